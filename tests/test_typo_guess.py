"""疑似错别字 (kind ``typo-guess``): what each class finds in sentences written here, and what it must leave alone."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

import djcheck
from djcheck import Document, check_document, load_pack
from djcheck.errors import ConfigError
from djcheck.loaders import load_document


def _guess_alone():
    """The common pack with typo-guess judging every slip itself (``listed_files: []``): the word lists
    now hold some of the seed slips (陆行, 致便, 防腐拒变), which the bundled rule leaves to them."""
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="djcheck-typo-guess-"))
    (folder / "guess-alone.yaml").write_text(
        "id: guess-alone\ntitle: 疑似错别字单独判断\nextends: [common]\nrules:\n"
        "  - id: typo-guess\n    options: {listed_files: [], allow: []}\n",
        encoding="utf-8",
    )
    return load_pack(str(folder / "guess-alone.yaml"))


COMMON = _guess_alone()
BUNDLED = load_pack("common")
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "typos"
CORRECT = yaml.safe_load((FIXTURES / "correct.yaml").read_text(encoding="utf-8"))["correct"]
CORRECT += yaml.safe_load((FIXTURES / "holdout.yaml").read_text(encoding="utf-8"))["correct"]


def found(text, pack=COMMON):
    res = check_document(Document.from_text(text), pack)
    return [f for f in res.findings if f.rule == "typo-guess"]


def pairs(text):
    return [(f.match, f.suggestion) for f in found(text)]


# -- 1. 同音字 / 形近字 ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text, expected",
    [
        ("各党支部要切实陆行管党治党责任。", ("陆行", "履行")),  # lù ~ lǚ: ü counts as u
        ("监督缺位，致便个别问题反复出现。", ("致便", "致使")),  # 便 / 使: similar shape
        ("局党组对下半年工作作出部暑。", ("部暑", "部署")),
        ("引导年轻干部筑牢思响防线。", ("思响", "思想")),
        ("扎实推近清廉机关建设。", ("推近", "推进")),
        ("开展违规吃喝问题专项整冶。", ("整冶", "整治")),
        ("整改期问，局党组召开专题会议3次。", ("期问", "期间")),
    ],
)
def test_sound_and_shape_slips_are_suggested(text, expected):
    assert pairs(text) == [expected]


def test_sound_class_needs_the_reading_the_word_has():
    # 互 hù is no slip for 核 hé in 核查 (核 may also be read hú); 堤 dī is no slip for 视 shì
    assert pairs("在纪律审查互查互评工作中获得好评，防汛期间党员巡堤查险。") == []


def test_a_stretch_written_twice_is_the_writers_own_word():
    once = "与分管股室负责人谈话。"
    assert pairs(once) == []  # 股市 is no report word anyway
    # a slip made once is reported; the same “slip” written twice is taken as the writer's term
    assert pairs("扎实推近清廉机关建设。") == [("推近", "推进")]
    assert pairs("扎实推近清廉机关建设，全面推近作风建设。") == []


def test_correct_fixed_expressions_hide_their_inner_pairs():
    # 立行立改 holds 行立 (行为?), 风清气正 holds 风清 (风情?), 正风肃纪 holds 风肃 (风俗?)
    assert pairs("对发现的问题立行立改，营造风清气正的政治生态，坚持正风肃纪。") == []


# -- 2. 成语和固定提法 ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text, expected",
    [
        ("筑牢防腐拒变的思想防线。", ("防腐拒变", "拒腐防变")),  # two characters swapped
        ("坚持肃风正纪，持续纠治“四风”。", ("肃风正纪", "正风肃纪")),
        ("做到有章可行、有法可依。", ("有章可行", "有章可循")),  # 行 / 循: similar shape
        ("坚持久久为攻，推动作风持续好转。", ("久久为攻", "久久为功")),  # same sound
        ("严格落实三会一科制度。", ("三会一科", "三会一课")),
        ("各级领导干部要带头真抓实于。", ("真抓实于", "真抓实干")),
    ],
)
def test_fixed_expressions_with_one_slip(text, expected):
    assert pairs(text) == [expected]


def test_a_swap_that_cuts_a_word_of_the_text_is_not_reported():
    # 从严治党|管党: no 管党治党 turned round
    assert pairs("坚持从严治党管党，用心用力抓好党建。") == []


def test_expressions_of_the_word_lists_are_left_to_their_rule():
    res = check_document(Document.from_text("开展主体党日活动。"), BUNDLED)
    rules = sorted(f.rule for f in res.findings)
    assert "typo-words" in rules and "typo-guess" not in rules


# -- 3. 的地得、数字 + 各 ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text, expected",
    [
        ("不断的加强理论学习。", ("的", "地")),
        ("组织党员认认真真的学习党章。", ("的", "地")),
        ("整改工作做的很好。", ("的", "得")),
        ("少数支部整改落实的不到位。", ("的", "得")),
        ("今年以来取的明显成效。", ("取的", "取得")),
        ("共查找出3各方面的问题。", ("各", "个")),
    ],
)
def test_grammar_slips(text, expected):
    assert pairs(text) == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "在不断的学习中提高本领。",  # 的 + verb + 中: a noun phrase
        "以认认真真的态度、扎扎实实的作风取得实实在在的成效。",  # AABB的 + noun
        "我们所做的很多工作还不够细。",  # 所 + verb + 的: a noun phrase
        "对选取的典型案例进行剖析。",
        "表3各项指标均已完成，2023年各单位共开展谈话520人次。",
        "1.各支部要按时报送学习情况。",
    ],
)
def test_grammar_leaves_correct_de_and_ge_alone(text):
    assert pairs(text) == []


# -- 4. what every finding is ---------------------------------------------------------------------
def test_every_finding_is_a_warning_suggestion_never_a_fix():
    (f,) = found("各支部要认真陆行管党治党责任。")
    assert f.level == "warning" and f.fixable is False
    assert f.message.startswith("疑似错别字：“陆行”，是否应为“履行”")


def test_the_fix_command_leaves_the_guesses_alone():
    from djcheck.fix import fixable

    text = "各支部要认真陆行管党治党责任，筑牢防腐拒变的思想防线。"
    res = check_document(Document.from_text(text), COMMON)
    guesses = [f for f in res.findings if f.rule == "typo-guess"]
    assert len(guesses) == 2
    assert not any(f in fixable(res.findings) for f in guesses)


@pytest.mark.parametrize("text", CORRECT)
def test_no_false_alarm_on_tempting_correct_sentences(text):
    assert pairs(text) == []


def test_suppression_marker_switches_it_off(tmp_path):
    draft = tmp_path / "r.txt"
    draft.write_text(
        "局党组2024年落实全面从严治党主体责任情况报告\n现将有关情况报告如下。\n【忽略检查 typo-guess：推近是单位简称】\n各支部要扎实推近清廉机关建设。\n【恢复检查】\n"
        "在制度建设上做到有章可行。\n",
        encoding="utf-8",
    )
    res = djcheck.check_file(draft)
    assert [(f.match, f.line) for f in res.findings if f.rule == "typo-guess"] == [("有章可行", 6)]
    assert res.suppressed == 1


def test_an_office_allows_its_own_words_in_its_config(tmp_path):
    draft = tmp_path / "r.txt"
    draft.write_text(
        "局党组2024年落实全面从严治党主体责任情况报告\n现将有关情况报告如下。\n各支部要扎实推近清廉机关建设，在制度建设上做到有章可行。\n",
        encoding="utf-8",
    )
    assert len([f for f in djcheck.check_file(draft).findings if f.rule == "typo-guess"]) == 2
    (tmp_path / "本单位词语.txt").write_text("# 本单位的正确写法\n有章可行\n", encoding="utf-8")
    (tmp_path / ".djcheck.yaml").write_text(
        "rules:\n  typo-guess: {allow: [推近], allow_files: [本单位词语.txt]}\n", encoding="utf-8"
    )
    assert [f for f in djcheck.check_file(draft).findings if f.rule == "typo-guess"] == []


def test_a_missing_allow_file_is_a_chinese_config_error(tmp_path):
    draft = tmp_path / "r.txt"
    draft.write_text(
        "局党组2024年落实全面从严治党主体责任情况报告\n现将有关情况报告如下。\n正文。\n", encoding="utf-8"
    )
    (tmp_path / ".djcheck.yaml").write_text(
        "rules:\n  typo-guess: {allow_files: [没有这个文件.txt]}\n", encoding="utf-8"
    )
    with pytest.raises(ConfigError) as exc:
        djcheck.check_file(draft)
    assert "没有这个文件.txt" in str(exc.value)


def test_classes_option_limits_what_runs():
    import dataclasses

    from djcheck.checks import typo_guess

    rule = COMMON.rule("typo-guess")
    only_grammar = dataclasses.replace(rule, options={**rule.options, "classes": ["grammar"]})
    only_grammar.compiled = typo_guess.prepare(only_grammar)
    text = "各支部要认真陆行管党治党责任，不断的加强理论学习。"
    assert [
        (text[g.start : g.end], g.suggestion) for g in typo_guess.guesses(only_grammar.compiled, text)
    ] == [("的", "地")]


def test_loading_the_packs_reads_no_pinyin_data():
    code = "import sys, djcheck; djcheck.load_pack('common'); print('pypinyin' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_an_office_pack_can_restate_the_rule_with_its_own_word_file(tmp_path):
    draft = tmp_path / "r.txt"
    draft.write_text(
        "局党组2024年落实全面从严治党主体责任情况报告\n现将有关情况报告如下。\n各支部要认真陆行管党治党责任。\n",
        encoding="utf-8",
    )
    (tmp_path / "规则").mkdir()
    (tmp_path / "规则" / "本单位词语.txt").write_text("陆行  # 本单位“陆行支部”的简称\n", encoding="utf-8")
    (tmp_path / "规则" / "ben-danwei.yaml").write_text(
        "id: ben-danwei\ntitle: 本单位规则\nextends: [common]\nrules:\n"
        "  - id: typo-guess\n    kind: typo-guess\n    title: 疑似错别字（词表以外）\n    level: warning\n"
        "    options:\n      listed_files: [terms/typos.yaml, terms/standard-terms.yaml]\n"
        "      allow_files: [本单位词语.txt]\n",
        encoding="utf-8",
    )
    (tmp_path / ".djcheck.yaml").write_text("rules_paths: [规则]\nextends: [ben-danwei]\n", encoding="utf-8")
    assert [f for f in djcheck.check_file(draft).findings if f.rule == "typo-guess"] == []


def test_seeds_only_their_real_typos(seed):
    """The seeds' typos (EXPECTED.md) are guessed without a list entry, and nothing else (checked with
    the rule judging alone: the bundled word lists now name these three and report them themselves)."""
    got = {}
    for prefix in ("000", "001", "002", "003", "004"):
        res = check_document(load_document(seed(prefix)), COMMON)
        got[prefix] = [(f.line, f.match, f.suggestion) for f in res.findings if f.rule == "typo-guess"]
    assert got == {
        "000": [(7, "致便", "致使")],
        "001": [],
        "002": [(3, "主体党日", "主题党日"), (5, "陆行", "履行")],
        "003": [],
        "004": [(10, "防腐拒变", "拒腐防变"), (12, "防腐拒变", "拒腐防变")],
    }


def test_listed_typos_are_left_to_the_word_list():
    """With the bundled options, a slip the word lists know (陆行 for 履行) is reported once, by
    typo-words, not again by this rule."""
    for text in ("各党支部要切实陆行管党治党责任。", "监督缺位，致便个别问题反复出现。"):
        assert found(text) and found(text, BUNDLED) == []


def test_a_long_text_is_read_in_stretches_with_the_same_candidates(monkeypatch):
    """The pair screen (:func:`_hits`) reads a long text in stretches (bounded memory): stretches of a
    few characters find exactly what one stretch finds, also for slips that straddle two."""
    from djcheck.checks import typo_guess

    rule = next(r for r in COMMON.active_rules if r.id == "typo-guess")
    text = (
        "筑牢防腐拒变的思想防线。坚持肃风正纪，持续纠治“四风”。做到有章可行、有法可依。"
        "坚持久久为攻，推动作风持续好转。严格落实三会一科制度。各级领导干部要带头真抓实于。"
    ) * 3
    text += "各党支部要切实陆行管党治党责任。局党组对下半年工作作出部暑。开展违规吃喝问题专项整冶。" * 2
    text += "引导年轻干部筑牢思响防线。扎实推近清廉机关建设。整改期问，局党组召开专题会议3次。"
    whole = typo_guess.fixed_candidates(rule.compiled, text)
    assert {w for _, _, w, _ in whole} >= {"拒腐防变", "正风肃纪", "有章可循", "久久为功", "三会一课", "真抓实干"}
    guessed = [vars(g) for g in typo_guess.guesses(rule.compiled, text)]
    assert {text[g["start"] : g["end"]] for g in guessed} >= {"思响", "推近", "期问"}
    for size in (1, 2, 3, 5, 7, 64):
        monkeypatch.setattr(typo_guess, "_HITS_STRETCH", size)
        assert typo_guess.fixed_candidates(rule.compiled, text) == whole, size
        assert [vars(g) for g in typo_guess.guesses(rule.compiled, text)] == guessed, size


def test_slip_pairs_are_kept_in_at_most_three_places():
    """guesses keeps at most three places of each slip pair (a long report's common pairs would
    otherwise cost one integer each): the places it then tries are those that keeping every place
    gives — a pair found once, or one doubled character the text holds once (行行 in 行行行)."""
    from collections import Counter

    from djcheck.checks import typo_guess

    rule = next(r for r in COMMON.rules if r.id == "typo-guess")
    scr = typo_guess.screen(rule.compiled)
    data = yaml.safe_load((FIXTURES / "typos.yaml").read_text(encoding="utf-8"))["typos"]
    typos = "".join(t["text"] for t in data)
    text = typos + typos[: len(typos) // 3] + "要极极参与。实施实实施。积积积极。实实实实。" + "".join(CORRECT)
    stretches = list(typo_guess._hit_stretches(scr, text))
    hits = [i for offsets, _ in stretches for i in offsets]
    codes = [code for _, part in stretches for code in part]
    assert codes == [typo_guess.pair_code(text, i) for i in hits] and hits == sorted(hits)
    where: dict[str, list[int]] = {}  # every place of every slip pair, as before
    for i in hits:
        if typo_guess.pair_code(text, i) in scr.slips:
            where.setdefault(text[i : i + 2], []).append(i)
    expected = sorted(
        i
        for pair, places in where.items()
        if len(places) == 1 or (pair[0] == pair[1] and text.count(pair) == 1)
        for i in places
    )
    at: dict[int, list[int]] = {}
    typo_guess._note_slips(at, hits, codes, scr.slips)
    assert max(map(len, at.values())) == 3
    assert typo_guess._lone_slips(at, text) == expected
    counts = Counter(text[i : i + 2] for i in expected)
    assert counts["极极"] == 1 and counts["积积"] == 2 and "实实" not in counts and len(counts) > 20


def test_a_lexicon_that_starts_afresh_guesses_the_same(monkeypatch):
    """The word-frequency lexicon keeps what it fetched up to LEXICON_KEEP keys, then starts afresh
    (bounded memory on a text of wide vocabulary): starting afresh at every look-up guesses the same
    on the project's typo sentences and correct sentences."""
    from djcheck import typolex
    from djcheck.checks import typo_guess

    rule = next(r for r in COMMON.rules if r.id == "typo-guess")
    data = yaml.safe_load((FIXTURES / "typos.yaml").read_text(encoding="utf-8"))["typos"]
    text = "".join(t["text"] for t in data) + "".join(CORRECT)
    kept = [vars(g) for g in typo_guess.guesses(rule.compiled, text)]
    assert len(kept) >= 20
    lex = typolex.lexicon()
    monkeypatch.setattr(typolex, "LEXICON_KEEP", 0)
    assert [vars(g) for g in typo_guess.guesses(rule.compiled, text)] == kept
    assert len(lex._known) + len(lex._absent) < 1000  # started afresh


def test_long_text_memory_savers_change_nothing(monkeypatch):
    """On a long draft made of the project's typo sentences (tests/fixtures/typos), pruning what
    fixed_candidates has compared (every position against never) finds the same candidates, and the
    generated 的/各 windows are the merged windows of every occurrence."""
    from djcheck.checks import typo_guess

    data = yaml.safe_load((FIXTURES / "typos.yaml").read_text(encoding="utf-8"))["typos"]
    text = "".join(t["text"] for t in data) * 40 + "".join(CORRECT) * 10
    assert len(text) > 4 * typo_guess._PRUNE_EVERY
    rule = next(r for r in COMMON.rules if r.id == "typo-guess")
    monkeypatch.setattr(typo_guess, "_PRUNE_EVERY", 10**9)
    unpruned = typo_guess.fixed_candidates(rule.compiled, text)
    monkeypatch.setattr(typo_guess, "_PRUNE_EVERY", 1)
    pruned = typo_guess.fixed_candidates(rule.compiled, text)
    assert pruned == unpruned and len({w for _, _, w, _ in pruned}) >= 10

    for char in ("的", "各"):
        spans = [(max(0, i - 12), min(len(text), i + 24)) for i, ch in enumerate(text) if ch == char]
        merged: list[tuple[int, int]] = []
        for lo, hi in spans:
            if merged and lo <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(hi, merged[-1][1]))
            else:
                merged.append((lo, hi))
        assert list(typo_guess._windows(text, char)) == merged and merged

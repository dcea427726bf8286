"""Weak-item checks (issue 4): verdicts with evidence on the seeds, on strong/weak draft pairs and on edge cases."""

from __future__ import annotations

from pathlib import Path

import pytest

import djcheck
from djcheck.checks import KINDS, NOT_APPLICABLE
from djcheck.checks.itemtools import MAX_EVIDENCE
from djcheck.context import Context
from djcheck.document import Document

DRAFTS = Path(__file__).parent / "fixtures" / "drafts"
WEAK_RULES = [
    "problems-specific",
    "problem-measure-match",
    "measures-concrete",
    "achievements-data",
    "problems-weight",
    "four-forms-sum",
    "first-person",
]


@pytest.fixture(scope="module")
def pack():
    return djcheck.load_pack("zhuti-zeren")


def outcome(pack, rule_id, doc):
    """Run one rule of the pack on a Document (whether or not the pack enables it)."""
    rule = pack.rule(rule_id)
    return KINDS[rule.kind].run(rule, Context(doc, pack))


def on_file(pack, rule_id, path):
    return outcome(pack, rule_id, djcheck.load_document(path))


def on_text(pack, rule_id, text):
    return outcome(pack, rule_id, Document.from_text(text))


def draft(name: str) -> Path:
    return DRAFTS / f"{name}.txt"


# -- seeds (../shared/seeds/EXPECTED.md) -------------------------------------------
def test_problems_specific_on_seeds(pack, seed):
    assert on_file(pack, "problems-specific", seed("000")).status == "ok"
    out = on_file(pack, "problems-specific", seed("001"))
    assert out.status == "weak"
    assert "4 个问题都笼统空泛" in out.message
    assert len(out.evidence) == 4 and all("没有点出具体" in e for e in out.evidence)
    assert "还有提升空间" in out.evidence[1]  # the hedge of item （二） is quoted
    out = on_file(pack, "problems-specific", seed("003"))
    assert out.status == "weak"
    assert "只有一句笼统表述" in out.message and "还存在一些差距和不足" in out.message
    assert on_file(pack, "problems-specific", seed("002")).status == NOT_APPLICABLE  # no 存在的问题 part: the problems rule reports it


def test_problem_measure_match_on_seeds(pack, seed):
    out = on_file(pack, "problem-measure-match", seed("000"))
    assert out.status == "ok", out.message
    assert len(out.evidence) == 3 and all("↔" in e for e in out.evidence)
    out = on_file(pack, "problem-measure-match", seed("001"))
    assert out.status == "weak"
    assert "（四）“干事创业的工作作风和精气神还不够”没有对应的整改措施" in out.message
    assert "（一）" not in out.message and "（二）" not in out.message and "（三）" not in out.message
    assert "措施 3 条，少于问题 4 个" in out.message
    assert out.line == 15
    out = on_file(pack, "problem-measure-match", seed("003"))
    assert out.status == "weak" and "没有列出具体问题" in out.message


def test_measures_concrete_on_seeds(pack, seed):
    out = on_file(pack, "measures-concrete", seed("001"))
    assert out.status == "weak"
    assert "3 条措施都没有写明责任主体和完成时限" in out.message
    assert all("没有责任主体、时限、数量目标" in e for e in out.evidence)
    assert on_file(pack, "measures-concrete", seed("003")).status == "weak"


def test_achievements_data_on_seeds(pack, seed):
    out = on_file(pack, "achievements-data", seed("000"))
    assert out.status == "weak" and "没有一处带单位的数据" in out.message
    out = on_file(pack, "achievements-data", seed("003"))
    assert out.status == "ok"
    assert "“28次”" in out.evidence[1] and "“53人次”" in out.evidence[1]


def test_four_forms_on_seeds_keeps_verdicts_and_explains_data(pack, seed):
    expected = {"000": "weak", "001": "weak", "002": "ok", "004": "missing"}
    for prefix, status in expected.items():
        assert on_file(pack, "four-forms", seed(prefix)).status == status, prefix
    out = on_file(pack, "four-forms", seed("003"))
    assert out.status == "weak"
    assert any("“5次”" in e and "不是各种形态的人次" in e for e in out.evidence)
    for prefix in ("000", "001", "002", "003", "004"):
        assert on_file(pack, "four-forms-sum", seed(prefix)).findings == []


def test_problems_weight_on_seeds(pack, seed):
    assert on_file(pack, "problems-weight", seed("000")).status == "ok"
    assert on_file(pack, "problems-weight", seed("001")).status == "ok"
    out = on_file(pack, "problems-weight", seed("003"))
    assert out.status == "weak" and "占全文 1.2%" in out.message


def test_weak_items_appear_in_the_checklist_with_evidence_and_advice(seed):
    res = djcheck.check_file(seed("001"))
    items = {i.id: i for i in res.checklist}
    for rule_id in ("problems-specific", "problem-measure-match", "measures-concrete"):
        assert items[rule_id].status == "weak"
        assert items[rule_id].evidence and items[rule_id].advice
    assert "first-person" not in items  # enabled only by the personal genres' packs
    assert items["achievements-data"].to_dict()["evidence"]


# -- strong / weak draft pairs, one check each ---------------------------------------
@pytest.mark.parametrize(
    "rule_id, strong, weak, words",
    [
        ("problems-specific", "problems-specific-strong", "problems-specific-weak", "笼统空泛"),
        ("problems-specific", "problems-specific-strong", "problems-praise-weak", "把成绩或优点当作问题"),
        ("problem-measure-match", "match-strong", "match-weak", "（四）“意识形态阵地把关不严”没有对应"),
        ("measures-concrete", "measures-concrete-strong", "measures-concrete-weak", "没有写明责任主体和完成时限"),
        ("achievements-data", "achievements-data-strong", "achievements-data-weak", "没有一处带单位的数据"),
        ("four-forms", "four-forms-strong", "four-forms-no-data", "没有各种形态的人次数据"),
        ("problems-weight", "problems-specific-strong", "problems-weight-weak", "分量过轻"),
        ("first-person", "first-person-strong", "first-person-weak", "没有一处“本人”或“我”"),
    ],
)
def test_draft_pairs(pack, rule_id, strong, weak, words):
    good = on_file(pack, rule_id, draft(strong))
    bad = on_file(pack, rule_id, draft(weak))
    assert good.status == "ok", good.message
    assert bad.status == "weak" and words in bad.message, bad.message
    assert bad.evidence


@pytest.mark.parametrize(
    "name",
    ["problems-specific-weak", "match-weak", "measures-concrete-weak", "achievements-data-weak", "four-forms-no-data"],
)
def test_each_weak_draft_isolates_its_check(pack, name):
    """A weak draft differs from its strong twin in one respect: the other weak-item checks stay ok."""
    isolated = {
        "problems-specific-weak": "problems-specific",
        "match-weak": "problem-measure-match",
        "measures-concrete-weak": "measures-concrete",
        "achievements-data-weak": "achievements-data",
        "four-forms-no-data": "four-forms",
    }[name]
    for rule_id in ("problems-specific", "problem-measure-match", "measures-concrete", "problems-weight"):
        if rule_id != isolated:
            assert on_file(pack, rule_id, draft(name)).status == "ok", rule_id


def test_praise_evidence_quotes_the_praise(pack):
    out = on_file(pack, "problems-specific", draft("problems-praise-weak"))
    text = "".join(out.evidence)
    for words in ("取得明显成效", "标准还不够高", "热情过高", "受到上级充分肯定"):
        assert words in text


def test_generic_evidence_quotes_items_and_hedges(pack):
    out = on_file(pack, "problems-specific", draft("problems-specific-weak"))
    assert out.evidence[0].startswith("（一）“主体责任向市场监管所传导还不够到位”")
    assert "“一定程度上”" in out.evidence[0]


def test_four_forms_data_verdict_and_sum(pack):
    out = on_file(pack, "four-forms", draft("four-forms-strong"))
    assert "共30人次" in out.message and "第一种形态22人次（73.3%）" in out.message
    assert on_file(pack, "four-forms-sum", draft("four-forms-strong")).findings == []
    findings = on_file(pack, "four-forms-sum", draft("four-forms-bad-sum")).findings
    messages = [f.message for f in findings]
    assert any("相加为 29（20+6+2+1），与总数 30人次 不符" in m for m in messages)
    assert any("占比相加为 110%" in m for m in messages)
    assert any("第二种形态 6人次 占 20.0%，文中写 25.0%" in m for m in messages)
    lines = draft("four-forms-bad-sum").read_text(encoding="utf-8").split("\n")
    for f in findings:
        assert f.line == 6
        assert lines[5][f.col - 1 : f.end_col - 1] == f.match


@pytest.mark.parametrize(
    "text, expect",
    [
        ("运用“四种形态”处理1.2万人次，其中第一种形态0.8万人次、第二种形态0.3万人次、第三种形态0.06万人次、第四种形态0.04万人次。", []),
        ("运用“四种形态”处理10人次，其中第一种形态8人次。", []),
        ("运用“四种形态”处理10人次，其中第一种形态8人次，第二种形态5人次。", ["超过总数"]),
        ("运用“四种形态”处理10人次，其中第一种形态8人次、占80%，第二种形态2人次、占20%。", []),
        ("运用“四种形态”处理10人次，其中第一种形态8人次、占90%，第二种形态2人次、占20%。", ["占比相加为 110%", "占比与人次不符"]),
        ("运用“四种形态”处理**人次，其中第一种形态**人次。", []),
    ],
)
def test_four_forms_sum_cases(pack, text, expect):
    findings = on_text(pack, "four-forms-sum", text).findings
    assert len(findings) == len(expect)
    for f, words in zip(findings, expect, strict=True):
        assert words in f.message


def test_personal_pack_can_enable_first_person(tmp_path):
    pack_file = tmp_path / "personal.yaml"
    pack_file.write_text(
        "id: personal-test\ntitle: 测试\nextends: [zhuti-zeren]\nrules:\n  - id: first-person\n    enabled: true\n",
        encoding="utf-8",
    )
    pack = djcheck.load_pack(pack_file)
    res = djcheck.check_file(draft("first-person-weak"), pack=pack)
    item = next(i for i in res.checklist if i.id == "first-person")
    assert item.status == "weak" and item.advice
    assert any("（一）“在理论学习方面”" in e for e in item.evidence)


def test_first_person_ignores_collective_we(pack):
    text = "一、工作情况\n召开会议12次。\n二、存在的问题\n（一）我局理论学习不深，我们开展批评与自我批评不够。\n三、下一步打算\n（一）加强学习。"
    assert on_text(pack, "first-person", text).status == "weak"


# -- zero, one and a hundred items ----------------------------------------------------
def report(problems: list[str], measures: list[str], achievements: str = "局党委召开党委会12次，谈话53人次。") -> str:
    return "\n".join(
        ["今年以来，局党委认真履行主体责任。现报告如下：", "一、工作情况", achievements, "二、存在的问题"]
        + problems
        + ["三、下一步打算"]
        + measures
    )


def all_weak_outcomes(pack, text):
    doc = Document.from_text(text)
    ctx = Context(doc, pack)
    out = {}
    for rule_id in WEAK_RULES:
        rule = pack.rule(rule_id)
        out[rule_id] = KINDS[rule.kind].run(rule, ctx)
    return out


def test_zero_items(pack):
    out = all_weak_outcomes(pack, report([], []))
    for rule_id in ("problems-specific", "measures-concrete", "first-person"):
        assert out[rule_id].status == "missing", rule_id  # the part is there but empty
    assert out["problem-measure-match"].status == NOT_APPLICABLE  # nothing to pair
    assert out["four-forms-sum"].findings == []


def test_one_item(pack):
    problem = "（一）6月督查发现，3个支部上半年未召开专题会议，本人没有及时督促。"
    measure = "（一）机关党委牵头，年底前督促3个支部召开专题会议。"
    out = all_weak_outcomes(pack, report([problem], [measure]))
    assert out["problems-specific"].status == "ok" and out["problems-specific"].message == "问题点出了具体事例或数据"
    assert out["problem-measure-match"].status == "ok"
    assert out["measures-concrete"].status == "ok"
    assert out["first-person"].status == "ok"
    out = all_weak_outcomes(pack, report(["一定程度上还存在学习不够深入的问题。"], ["进一步加强学习。"]))
    assert out["problems-specific"].status == "weak"
    assert out["measures-concrete"].status == "weak"
    assert out["measures-concrete"].message.startswith("唯一的一条措施没有写明")


def test_a_hundred_items(pack):
    # No enumerators: each sentence is an item (document.py numbers headings only up to 99).
    problems = [f"第{n}党支部6月有{n}名党员未参加组织生活会。" for n in range(1, 100)]
    problems.append("另有个别同志学习还不够深入，有待进一步加强。")
    measures = [f"机关党委牵头，年底前督促第{n}党支部{n}名党员补课组织生活会。" for n in range(1, 101)]
    out = all_weak_outcomes(pack, report(problems, measures))
    for rule_id, o in out.items():
        assert len(o.evidence) <= MAX_EVIDENCE, rule_id
    assert out["problems-specific"].status == "ok" and "100 个问题中 99 个" in out["problems-specific"].message
    assert out["problem-measure-match"].status == "ok"
    assert out["measures-concrete"].status == "ok" and "100 条措施中 100 条" in out["measures-concrete"].message
    assert out["measures-concrete"].evidence[-1].startswith("……另有 93 条")
    generic = all_weak_outcomes(pack, report(["个别同志学习还不够深入，有待进一步加强。"] * 100, ["加强学习。"] * 3))
    ps = generic["problems-specific"]
    assert ps.status == "weak" and "100 个问题都笼统空泛" in ps.message and "等" in ps.message
    assert "没有列出具体问题" in generic["problem-measure-match"].message
    few = all_weak_outcomes(pack, report(problems, measures[:3]))["problem-measure-match"]
    assert few.status == "weak" and "措施 3 条，少于问题 100 个" in few.message
    assert len(few.evidence) <= MAX_EVIDENCE


# -- rule examples prove each rule can fail and pass ------------------------------------
@pytest.mark.parametrize("rule_id", WEAK_RULES)
def test_rule_examples(pack, rule_id):
    rule = pack.rule(rule_id)
    assert rule.examples.get("fail") and rule.examples.get("pass")
    for text in rule.examples["fail"]:
        o = on_text(pack, rule_id, text)
        assert o.status in ("weak", "missing") or o.findings, text
    for text in rule.examples["pass"]:
        o = on_text(pack, rule_id, text)
        assert o.status in (None, "ok") and not o.findings, (text, o.message)


# -- output: -v shows evidence and advice; JSON carries them -------------------------
def test_verbose_plain_and_json_show_evidence(seed):
    import json

    from typer.testing import CliRunner

    from djcheck.cli import app

    path = str(seed("001"))
    plain = CliRunner().invoke(app, ["check", path, "-f", "plain", "-v"]).stdout
    lines = plain.split("\n")
    at = next(i for i, line in enumerate(lines) if " problem-measure-match " in line)
    assert lines[at + 1].startswith("    建议：")
    assert any(line.startswith("    · 问题（四）“干事创业的工作作风和精气神还不够”") for line in lines[at + 2 : at + 6])
    quiet = CliRunner().invoke(app, ["check", path, "-f", "plain"]).stdout
    assert "    · " not in quiet  # evidence only with -v: plain lines stay parseable
    data = json.loads(CliRunner().invoke(app, ["check", path, "-f", "json"]).stdout)
    item = next(i for i in data["files"][0]["checklist"] if i["id"] == "problems-specific")
    assert item["status"] == "weak" and len(item["evidence"]) == 4 and item["advice"]

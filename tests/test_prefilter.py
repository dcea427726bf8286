"""Screening primitives (djcheck.prefilter) give the same answers as scanning with every pattern, and the
bundled patterns that run without the timeout cannot backtrack catastrophically."""

from __future__ import annotations

import dataclasses
import random

import pytest
import regex

from djcheck import prefilter, safe_regex
from djcheck.engine import load_pack_cached as load_pack
from djcheck.pack import REGEX_FLAGS, bundled_packs
from djcheck.runner import check_paths


def _patterns(obj, seen):
    """Every compiled pattern inside ``obj`` (a rule's compiled data), and every list of them."""
    if id(obj) in seen:
        return
    seen.add(id(obj))
    if isinstance(obj, regex.Pattern):
        yield obj
    elif isinstance(obj, (list, tuple)):
        if len(obj) > 1 and all(isinstance(p, regex.Pattern) for p in obj):
            yield ("list", list(obj))
        if len(obj) > 1 and all(isinstance(getattr(p, "pattern", None), regex.Pattern) for p in obj):
            yield ("list", [p.pattern for p in obj])  # e.g. the pattern kind's entries
        for item in obj:
            yield from _patterns(item, seen)
    elif isinstance(obj, dict):
        for item in obj.values():
            yield from _patterns(item, seen)
    elif dataclasses.is_dataclass(obj):
        for f in dataclasses.fields(obj):
            yield from _patterns(getattr(obj, f.name), seen)


def bundled_patterns():
    """(label, pattern) for every pattern of the bundled packs' rules, and the alternation of each list."""
    found, seen = {}, set()
    for name in bundled_packs() + ["common", "quality"]:
        for rule in load_pack(name).rules:
            for p in _patterns(rule.compiled, seen):
                if isinstance(p, tuple):
                    joined = prefilter.any_of(p[1])
                    if joined is not None:
                        found[(rule.id, "any_of", joined.pattern)] = joined
                else:
                    found[(rule.id, p.pattern)] = p
    return found


def adversarial(pattern: regex.Pattern, n: int) -> list[str]:
    """Texts of ``n`` characters that make a backtracking pattern work hardest: long runs of one
    character class, and the pattern's own characters repeated."""
    own = "".join(dict.fromkeys(ch for ch in pattern.pattern if not ch.isascii() or ch.isalnum())) or "a"
    runs = ["1", "１", " ", "一", "的", "*", "X", "_", "。", "1 ", "1.", "“", "a"]
    return [(r * n)[:n] for r in runs] + [(own * n)[:n], (own[::-1] * n)[:n]]


def test_bundled_patterns_stay_fast_on_adversarial_text():
    """What lets safe_regex.needs_timeout skip the timeout for them on texts up to UNGUARDED_CHARS."""
    slow = []
    for label, pat in bundled_patterns().items():
        for text in adversarial(pat, safe_regex.UNGUARDED_CHARS):
            try:
                for _ in pat.finditer(text, timeout=1.0):
                    pass
            except TimeoutError:
                slow.append(label)
                break
    assert not slow, f"bundled patterns that backtrack badly: {slow}"


def test_timeout_still_guards_patterns_of_other_packs(tmp_path, monkeypatch):
    import djcheck.safe_regex

    monkeypatch.setattr(djcheck.safe_regex, "REGEX_TIMEOUT", 0.2)
    pack = tmp_path / "own.yaml"
    pack.write_text(
        "id: own\ntitle: 自定义\nextends: [zhuti-zeren]\nrules:\n"
        "  - id: bad-pattern\n    kind: pattern\n    title: 灾难性回溯\n    level: warning\n"
        "    options: {patterns: ['(a|aa)+b']}\n",
        encoding="utf-8",
    )
    draft = tmp_path / "draft.txt"
    draft.write_text("关于2025年度落实全面从严治党主体责任情况的报告\n" + "a" * 40 + "\n", encoding="utf-8")
    (res,) = check_paths([str(draft)], profile=str(pack))
    assert res.error and "仍未结束" in res.error and "(a|aa)+b" in res.error and "bad-pattern" in res.error
    assert safe_regex.needs_timeout(str(pack), "短文本") and not safe_regex.needs_timeout(
        load_pack("common").rules[0].file, "短文本"
    )
    assert safe_regex.needs_timeout(load_pack("common").rules[0].file, "长" * (safe_regex.UNGUARDED_CHARS + 1))


def _random_texts(seed: int, pool: str, count: int = 400) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(pool) for _ in range(rng.randint(0, 30))) for _ in range(count)]


def test_any_of_matches_exactly_when_one_pattern_does():
    lists = [
        p[1]
        for rule in load_pack("quality").rules
        for p in _patterns(rule.compiled, set())
        if isinstance(p, tuple)
    ]
    assert lists
    for patterns in lists:
        joined = prefilter.any_of(patterns)
        assert joined is not None
        pool = (
            "".join({ch for p in patterns for ch in p.pattern if not ch.isascii() or ch.isalnum()})
            + "12 ，。"
        )
        for text in _random_texts(len(patterns), pool):
            assert (joined.search(text) is not None) == any(p.search(text) for p in patterns), (
                joined.pattern,
                text,
            )
    assert prefilter.any_of([regex.compile(r"(a)\1", REGEX_FLAGS), regex.compile("b", REGEX_FLAGS)]) is None


@pytest.mark.parametrize(
    "source, expected",
    [
        ("主体责任", ("主体责任",)),
        ("第一责任人?", ("第一责任",)),
        ("监督执纪问责|执纪问责", ("监督执纪问责", "执纪问责")),
        ("同志们[，,！!：:]", ("同志们",)),
        ("[弛持]而不息", ("而不息",)),
        ("(?:党的)?(十九|二十)大会议精神", ("大会议精神",)),
        (r"截止(?=\s*(?:\d|目前))", ("截止",)),
        (r"中共(\p{Han}{1,6}?)(省|市|县|区)\2委", ("中共",)),
        ("xa+b", ("xa",)),
        (r"a\.b{0,2}c", ("a.",)),
        (r"\d+", None),
        ("x|", None),
        ("(?i)abc", None),
        ("[[a-z]--[aeiou]]bc", None),
        ("a?b*", None),
    ],
)
def test_required_literals_read_simple_patterns(source, expected):
    assert prefilter.required_literals(source) == expected
    assert prefilter.required_literals(source, regex.IGNORECASE) is None


def _all_sources():
    """Every pattern source of the bundled packs: rules, genre detection and part headings."""
    sources = {p.pattern for p in bundled_patterns().values()}
    for name in bundled_packs() + ["common", "quality"]:
        pack = load_pack(name)
        for key in ("title", "words"):
            sources |= set((pack.detect.get(key) or {}).keys())
        for spec in pack.parts:
            sources |= {p.pattern for p in spec.headings + spec.lead_ins}
    from djcheck import year

    sources |= {year._CONGRESS.pattern, year._CENTRAL.pattern, year._CCDI.pattern}
    sources |= {pat.pattern for _name, pat, _a, _b in year.load_events().campaigns}
    return sorted(sources)


def test_every_match_holds_a_required_literal():
    """Checked on every bundled pattern with texts made of its own characters."""
    checked = 0
    for n, source in enumerate(_all_sources()):
        need = prefilter.required_literals(source, REGEX_FLAGS)
        if need is None:
            continue
        pat = regex.compile(source, REGEX_FLAGS)
        pool = "".join(dict.fromkeys(ch for ch in source if not ch.isascii() or ch.isalnum())) + "的，。 1"
        for text in _random_texts(n, pool, 150) + [lit for lit in need]:
            for m in pat.finditer(text):
                assert any(lit in m.group() for lit in need), (source, need, text, m.group())
            if not any(lit in text for lit in need):
                assert pat.search(text) is None, (source, need, text)
        checked += 1
    assert checked > 50


@pytest.mark.parametrize(
    "source, expected",
    [
        ("[*＊]+", ((("*", "＊"),),)),
        ("某某", ((("某某",),),)),
        ("_{3,}|＿{2,}", ((("_",),), (("＿",),))),
        (r"20\d?_{1,3}(?=年)|(?<=\d)_+(?=年)", ((("_",), ("20",)), (("_",),))),
        (r"[（(]\s*待(?:补充|填写)\s*[）)]", ((("(", "（"), (")", "）"), ("待填写", "待补充")),)),
        ("(?:年底|年末)前|年内", ((("年底前", "年末前"),), (("年内",),))),
        ("(?:仍|仍然)有", ((("仍有", "仍然有"),),)),
        ("(?:仍|仍然)", ((("仍",),),)),
        ("(?P<v>甲|乙)丙", ((("乙丙", "甲丙"),),)),
        ("a(?:b|c)+d", ((("d",), ("ab", "ac")),)),
        ("(?:a|b|c|d|e)(?:f|g|h|i)", ((("a", "b", "c", "d", "e"), ("f", "g", "h", "i")),)),
        ("(?:ab|)c|(?=ab)c|(a|b.)c|(?:a(?:b))c", ((("c",),), (("c",),), (("c",),), (("c",),))),
        (r"(?:a\.|b\|)c", ((("c",),),)),
        ("[ab]?c+", ((("c",),),)),
        ("[^a]b", ((("b",),),)),
        ("[^a]", None),
        ("[a-z]+", None),
        (r"[\d]", None),
        (r"[\.x]y", ((("y",), (".", "x")),)),
        ("[[a-z]--[aeiou]]bc", None),
        ("(?i)abc", None),
        ("x|", None),
    ],
)
def test_requirements_read_simple_patterns(source, expected):
    assert prefilter.requirements(source) == expected
    assert prefilter.requirements(source, regex.IGNORECASE) is None


def test_every_match_holds_its_requirements():
    """Checked like required_literals: on every bundled pattern, with texts made of its own characters."""

    def holds(need, text):
        return any(all(any(t in text for t in piece) for piece in alt) for alt in need)

    checked = 0
    for n, source in enumerate(_all_sources()):
        need = prefilter.requirements(source, REGEX_FLAGS)
        if need is None:
            continue
        pat = regex.compile(source, REGEX_FLAGS)
        pool = "".join(
            dict.fromkeys(ch for ch in source if not ch.isascii() or ch.isalnum() or ch in "*_[]()")
        )
        pieces = [t for alt in need for piece in alt for t in piece]
        for text in _random_texts(n, pool + "的，。 1", 150) + ["".join(pieces), " ".join(pieces)]:
            for m in pat.finditer(text):
                assert holds(need, m.group()), (source, need, text, m.group())
            assert prefilter.may_contain(pat, text) == holds(need, text)
            if not holds(need, text):
                assert pat.search(text) is None, (source, need, text)
        checked += 1
    assert checked > 50


def test_literal_screen_finds_what_in_finds():
    rng = random.Random(5)
    for _ in range(300):
        pool = "".join(rng.sample("一二三四五六七八九十ab.*", rng.randint(2, 8)))
        literals = {
            "".join(rng.choice(pool) for _ in range(rng.randint(1, 4))) for _ in range(rng.randint(0, 12))
        }
        screen = prefilter.LiteralScreen(literals)
        for text in _random_texts(rng.randint(0, 99), pool, 20):
            assert screen.present(text) == {lit for lit in literals if lit in text}, (literals, text)


def test_timeout_guards_part_headings_of_other_packs(tmp_path, monkeypatch):
    """A part-heading pattern of an office's own pack keeps its timeout (it is not joined into an unguarded one)."""
    import djcheck.safe_regex

    monkeypatch.setattr(djcheck.safe_regex, "REGEX_TIMEOUT", 0.2)
    pack = tmp_path / "own.yaml"
    pack.write_text(
        "id: own\ntitle: 自定义\nextends: [zhuti-zeren]\n"
        "parts:\n  problems:\n    title: 存在的问题\n    headings: ['存在的问题', '(a|aa)+b']\n",
        encoding="utf-8",
    )
    draft = tmp_path / "draft.txt"
    draft.write_text(
        "关于2025年度落实全面从严治党主体责任情况的报告\n一、主要工作\n局党组落实主体责任。\n二、" + "a" * 40 + "\n问题。\n",
        encoding="utf-8",
    )
    (res,) = check_paths([str(draft)], profile=str(pack))
    assert res.error and "仍未结束" in res.error and "(a|aa)+b" in res.error


def test_literal_screen_finds_each_patterns_matches_as_finditer_does():
    """One scan gives each pattern of plain alternatives the matches ``finditer`` gives (left to right,
    without overlaps, the first alternative winning at a position), and the texts that occur."""
    rnd = random.Random(4)
    for _ in range(1500):
        patterns = {}
        for _ in range(rnd.randint(1, 4)):
            alternatives = [
                "".join(rnd.choice("abc") for _ in range(rnd.randint(1, 3))) for _ in range(rnd.randint(1, 4))
            ]
            patterns["|".join(alternatives)] = alternatives
        extra = {
            "".join(rnd.choice("abcd") for _ in range(rnd.randint(1, 3))) for _ in range(rnd.randint(0, 3))
        }
        scan = prefilter.LiteralScreen(extra, patterns)
        for _ in range(5):
            text = "".join(rnd.choice("abcd") for _ in range(rnd.randint(0, 15)))
            present, matches = scan.matches_by_pattern(text)
            assert scan.present(text) == present
            assert present == {t for t in scan.known if t in text}, (patterns, extra, text)
            for source in patterns:
                expected = [m.group() for m in regex.finditer(source, text, flags=REGEX_FLAGS)]
                assert matches.get(source, []) == expected, (source, text)
    assert prefilter.LiteralScreen().matches_by_pattern("任何文字") == (set(), {})


# -- soundness on random patterns of the syntax requirements() reads ------------------------------------
_ALPHABET = "甲乙丙丁ab"


def _atoms(draw_from):
    """A hypothesis strategy for one atom of the syntax :func:`prefilter.requirements` reads (and some it
    does not follow, which must give ``None`` or still be sound)."""
    from hypothesis import strategies as st

    char = st.sampled_from(_ALPHABET)
    text = st.text(alphabet=_ALPHABET, min_size=1, max_size=3)
    plain = st.one_of(
        char,
        st.sampled_from([r"\.", r"\(", r"\*", "、", "。"]),
        st.lists(char, min_size=1, max_size=3, unique=True).map(lambda cs: "[" + "".join(cs) + "]"),
        st.lists(char, min_size=1, max_size=2, unique=True).map(lambda cs: "[^" + "".join(cs) + "]"),
        st.just("[a-b]"),
        st.sampled_from([".", r"\d", r"\s", "^", "$"]),
        st.lists(text, min_size=1, max_size=3).map(lambda ts: "(?:" + "|".join(ts) + ")"),
        st.lists(text, min_size=1, max_size=3).map(lambda ts: "(" + "|".join(ts) + ")"),
        text.map(lambda t: f"(?={t})"),
        text.map(lambda t: f"(?!{t})"),
        text.map(lambda t: f"(?<={t})"),
    )
    quantifier = st.sampled_from(["", "", "", "?", "*", "+", "{2}", "{0,2}", "{1,}", "+?", "??", "{1,2}"])
    return st.tuples(st.one_of(plain, draw_from), quantifier).map("".join)


def _sources():
    from hypothesis import strategies as st

    def sequence(inner):
        return st.lists(_atoms(inner), min_size=1, max_size=6).map("".join)

    nested = st.deferred(
        lambda: st.lists(sequence(st.nothing()), min_size=1, max_size=3).map(lambda alts: "(?:" + "|".join(alts) + ")")
    )
    return st.lists(sequence(nested), min_size=1, max_size=3).map("|".join)


def _holds(need, text) -> bool:
    return any(all(any(t in text for t in piece) for piece in alt) for alt in need)


def test_requirements_hold_for_every_match_of_random_patterns():
    """The property that makes the prefilters safe for any pack (the bundled ones and an office's own):
    every match of a pattern contains, for some alternative, one text of each piece requirements() lists,
    so may_contain and screen never leave out a pattern that matches."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    @settings(max_examples=400, deadline=None, database=None)
    @given(_sources(), st.lists(st.text(alphabet=_ALPHABET + "。、.(* 1", max_size=14), min_size=1, max_size=6))
    def check(source, texts):
        try:
            pat = regex.compile(source, REGEX_FLAGS)
        except regex.error:
            return
        need = prefilter.requirements(source, REGEX_FLAGS)
        for text in texts:
            if need is None:
                assert prefilter.may_contain(pat, text)
                continue
            for m in pat.finditer(text, overlapped=True):
                assert _holds(need, m.group()), (source, need, text, m.group())
            assert prefilter.may_contain(pat, text) == bool(prefilter.screen([(pat, need)], text)) == _holds(need, text)
            if not _holds(need, text):
                assert pat.search(text) is None, (source, need, text)
            literals = prefilter.required_literals(source, REGEX_FLAGS)
            if literals is not None:
                for m in pat.finditer(text):
                    assert any(lit in m.group() for lit in literals), (source, literals, text, m.group())

    check()

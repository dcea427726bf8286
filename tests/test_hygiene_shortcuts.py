"""The shortcuts of the hygiene checks give what the plain way gives (random texts against a
straightforward reading of each rule)."""

from __future__ import annotations

import random

import regex

from djcheck.checks import KINDS, doubled_word, punctuation
from djcheck.context import Context
from djcheck.document import Document
from djcheck.engine import load_pack_cached as load_pack


def _texts(seed: int, pool: str, count: int = 400, longest: int = 60) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(pool) for _ in range(rng.randint(0, longest))) for _ in range(count)]


def test_only_unbalanced_lines_are_left_for_the_pair_check():
    """A line not listed has no mark out of place: each kind balanced, never closed before it opens."""

    def clean(line: str) -> bool:
        for opener, closer, _ in punctuation.PAIRS:
            depth = 0
            for ch in line:
                depth += (ch == opener) - (ch == closer)
                if depth < 0:
                    return False
            if depth:
                return False
        return True

    for text in _texts(1, "“”《》（）\n学a", longest=30):
        listed = set(punctuation._unbalanced_lines(text))
        for i, line in enumerate(text.split("\n")):
            if i not in listed:
                assert clean(line), (text, i)


def test_unbalanced_lines_are_those_that_do_not_reduce_to_nothing():
    def reduced(line: str) -> str:
        marks = "".join(ch for ch in line if ch in "“”《》（）")
        while True:
            shorter = marks.replace("“”", "").replace("《》", "").replace("（）", "")
            if shorter == marks:
                return marks
            marks = shorter

    for text in _texts(5, "“”《》（）\n学a", longest=30):
        expected = [i for i, line in enumerate(text.split("\n")) if reduced(line)]
        assert punctuation._unbalanced_lines(text) == expected, text


def test_a_long_text_is_judged_in_stretches_of_whole_lines(monkeypatch):
    texts = list(_texts(5, "“”《》（）\n学a", longest=30))
    whole = [punctuation._unbalanced_lines(text) for text in texts]
    for size in (1, 2, 5):
        monkeypatch.setattr(punctuation, "_STRETCH", size)
        assert [punctuation._unbalanced_lines(text) for text in texts] == whole, size


def test_offsets_are_those_of_a_class_scan():
    for text in _texts(6, ',;:?!()"中a\n', longest=30):
        for chars in (",;:?!", "()", '"', "\n", "“”《》（）"):
            expected = [m.start() for m in regex.finditer(f"[{regex.escape(chars)}]", text)]
            assert punctuation._offsets(text, chars) == expected, (text, chars)


def test_skipped_spans_are_those_of_the_whole_alternation():
    every = regex.compile(
        "|".join(src for _, src in punctuation._SKIP_BRANCHES), regex.VERSION1 | regex.IGNORECASE
    )
    pool = [
        "https://a.cn/x",
        "HTTP://b",
        "www.",
        "WWW.x.org",
        "a@b.cn",
        "`代码`",
        "`",
        "@",
        "://",
        "中文",
        "，",
        " ",
        "x",
    ]
    rng = random.Random(2)
    for _ in range(500):
        text = "".join(rng.choice(pool) for _ in range(rng.randint(0, 12)))
        skip = punctuation._Skip(text)
        assert skip.spans == [m.span() for m in every.finditer(text)], text
        for start in range(len(text)):
            for end in range(start + 1, min(len(text), start + 4) + 1):
                inside = any(s <= start and end <= e for s, e in skip.spans)
                assert skip.covers(start, end) == inside, (text, start, end)


def test_prefilter_finds_every_candidate():
    c = load_pack("common").rule("doubled-word").compiled
    for text in _texts(3, "做到建设一二主义a1，。“ 牢", longest=40):
        expected = [m.span() for m in c.candidates.finditer(text, overlapped=True)]
        assert [m.span() for m in doubled_word.candidates(c, text)] == expected, text


def test_term_tables_screened_together_or_alone_find_the_same():
    """A terms rule run with the context of another pack (not in its joint screen) finds the same."""
    text = "认真布署工作，开展主体党日活动，截止2023年6月底，深入开展打黑除恶专项斗争"
    common = load_pack("common")
    rule = common.rule("typo-words")
    other = load_pack("quality")
    assert rule not in other.active_rules
    results = []
    for pack in (common, other):
        ctx = Context(Document.from_text(text), pack, period=None)
        results.append([(f.start, f.end, f.message) for f in KINDS["terms"].run(rule, ctx).findings])
    assert results[0] == results[1] and len(results[0]) == 3

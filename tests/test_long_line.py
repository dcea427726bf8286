"""A report written as one long line (text pasted from a web page or a PDF) is checked as before.

The structure-related analyses read such a line piece by piece instead of holding copies or
per-sentence lists of all of it, and no longer search the whole text before each year. Each
test compares the new way with the plain computation it replaces, on real report text made long
(a few hundred thousand characters: no test is slow) or on random text.
"""

from __future__ import annotations

import random
from collections import Counter

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import SAMPLES
from djcheck import parts, year
from djcheck.checks import itemtools, measure_match
from djcheck.checks.outcome import shorten
from djcheck.checks.part import start_quote
from djcheck.context import Context
from djcheck.document import Document, count_chars, sentence_count, sentence_spans
from djcheck.engine import load_pack_cached
from longtext import result_digest
from test_weak_internals import plain_tfidf


def one_line(chars: int) -> str:
    """A title and, on one line, the bodies of the samples repeated to about ``chars`` characters."""
    bodies = [
        f.read_text(encoding="utf-8-sig").split("\n", 1)[-1].replace("\n", "")
        for f in sorted(SAMPLES.glob("*.txt"))
    ]
    body, i = [], 0
    while sum(map(len, body)) < chars:
        body.append(bodies[i % len(bodies)])
        i += 1
    return "关于落实全面从严治党主体责任情况的报告\n" + "".join(body) + "\n"


def plain_opening_year(paragraphs: list) -> regex.Match | None:
    """The opening's year as :func:`djcheck.year.detect_year` chose it before (every year examined)."""
    opening = [
        m
        for p in paragraphs
        for m in year._YEAR.finditer(p.text)
        if not year._history(p.text, m, lead=True)
        and not year._planned(p.text, m)
        and (m.group(2) or not year._RANGE_BEFORE.search(p.text, 0, m.start()))
    ]
    marked = [o for o in opening if o.group(2)]
    return (marked or opening or [None])[0]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from([*"2019年度 \t\n\u3000—-至到以来。a", " " * 40]), max_size=40).map("".join))
def test_a_range_and_an_opening_year_are_told_from_the_text_before_them_as_before(text):
    for at in range(len(text) + 1):
        assert year._range_before(text, at) == bool(year._RANGE_BEFORE.search(text, 0, at))
        assert year._opens(text, at) == (not text[:at].strip())


def test_the_opening_year_of_a_one_line_report_is_the_one_found_before():
    text = one_line(200_000)
    variants = [
        text,
        text.replace("年度", "年"),  # no period word: every year of the line is examined
        text.replace("年度", "年").replace("20", "—20"),  # years after a dash: the first of a range?
        "关于落实情况的报告\n" + "2020年以来，" + text.split("\n", 1)[1],
    ]
    for variant in variants:
        paragraphs = year._opening(Document.from_text(variant))
        found, plain = year._opening_year(paragraphs), plain_opening_year(paragraphs)
        assert (found and found.span()) == (plain and plain.span())


# -- the same results as before, on long texts -------------------------------------------------------


def long_report(chars: int, shape: str) -> str:
    """The bodies of the samples repeated to about ``chars`` characters after a title, as a
    report (``report``), one sentence a line (``lines``) or all on one line (``line``)."""
    bodies = [
        f.read_text(encoding="utf-8-sig").split("\n", 1)[-1].strip() + "\n" for f in sorted(SAMPLES.glob("*.txt"))
    ]
    parts, size, i = ["关于落实全面从严治党主体责任情况的报告\n"], 0, 0
    while size < chars:
        body = bodies[i % len(bodies)]
        if shape == "line":
            body = body.replace("\n", "")
        elif shape == "lines":
            body = body.replace("。", "。\n").replace("\n\n", "\n")
        parts.append(body)
        size += len(body)
        i += 1
    return "".join(parts) + ("\n" if shape == "line" else "")


def many_items(count: int) -> str:
    """A report on one line after its title whose problems part is ``count`` sentences (each an
    item): specific, generic, praise and faults that are virtues, answered or not by the measures."""
    problems = [
        "2025年9月县审计局审计发现，县水利工程建设服务中心全年有4次接待超出标准。",
        "个别同志学习还不够深入，理论联系实际还有待进一步加强。",
        "班子抓作风建设取得明显成效，受到上级充分肯定。",
        "部分干部工作标准还不够高，经常利用节假日加班。",
        "社保基金监管存在漏洞，3个项目的资金拨付没有经过集体研究。",
        "精气神还不够足，干事创业的劲头有所减弱。",
    ]
    measures = [
        "由局党组书记牵头，2026年3月底前完成公务接待专项检查，对4次超标接待逐一整改。",
        "组织班子成员每季度开展1次专题学习，理论联系实际撰写调研报告。",
        "严格社保基金集体研究制度，6月底前完成3个项目的复核。",
    ]
    body = "".join(problems[i % len(problems)] for i in range(count))
    return (
        "关于2025年度落实全面从严治党主体责任情况的报告\n"
        "2025年，局党组认真落实全面从严治党主体责任，全年召开专题会议6次，开展廉政谈话42人次。"
        "一、工作开展情况。局党组制定责任清单，列明任务38项，签订责任书14份。"
        "二、存在的问题。" + body + "三、下一步打算。" + "".join(measures) + "\n"
    )



#: :func:`result_digest` of each text as djcheck 122d1b2 (before this change) checked it. A change
#: that alters results must be deliberate: then recompute these with the code you trust.
BEFORE = {
    "line": "3985bf75e3ff259e",
    "report": "9a16b348b870378a",
    "lines": "8195abdd78a4f18c",
    "many-items": "d6eb4555dca0341c",
}


@pytest.mark.parametrize("name", sorted(BEFORE))
@pytest.mark.parametrize("compact", [False, True], ids=["counters", "compact"])
def test_long_reports_get_the_results_they_got_before(name, compact, tmp_path, monkeypatch):
    if compact:  # problem-measure-match numbers the words from the first item on
        monkeypatch.setattr(measure_match, "COMPACT_AFTER", 0)
    text = many_items(3000) if name == "many-items" else long_report(150_000, name)
    assert result_digest(text, tmp_path) == BEFORE[name]


# -- the pieces ----------------------------------------------------------------------------------


def plain_sentence_start(doc: Document, offset: int) -> int:
    """:func:`djcheck.parts._sentence_start` as it was: every sentence of the paragraph listed."""
    para = doc.paragraph_at(offset)
    start = para.start
    for s, e in sentence_spans(doc.text, para.start, para.end):
        if s <= offset < e:
            return s
        start = s if s <= offset else start
    return start


def test_sentences_read_a_stretch_at_a_time_are_those_of_the_whole_span(monkeypatch):
    rng = random.Random(3)
    pool = list("。！？!?；;\n \u3000ab学，") + ["。。", "学习", "  "]
    texts = ["".join(rng.choice(pool) for _ in range(rng.randint(0, 50))) for _ in range(300)]
    texts.append(long_report(20_000, "line"))
    for size in (1, 2, 3, 7, 64):
        monkeypatch.setattr(parts, "LONG_TEXT_STRETCH", size)
        for text in texts:
            for start, end in ((0, len(text)), (len(text) // 3, len(text) - 2)):
                spans = sentence_spans(text, start, end)
                stretches = list(parts.sentence_stretches(text, start, end))
                assert [s for chunk in stretches for s in chunk] == spans, (size, text)
                assert parts.count_sentences(text, start, end) == len(spans)
        for text in texts[:60] + texts[-1:]:
            doc = Document.from_text(text)
            for offset in range(0, len(doc.text), max(1, len(doc.text) // 40)):
                assert parts._sentence_start(doc, offset) == plain_sentence_start(doc, offset), (size, offset)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="\t\n\r\x0b\x0c\x1c\x1f \u3000\u2028\u200b\xa0a学", max_size=12))
def test_blank_is_nothing_left_after_strip(text):
    for start in range(len(text) + 1):
        for end in range(start, len(text) + 1):
            assert parts.blank(text, start, end) == (not text[start:end].strip())


def test_a_part_is_measured_and_quoted_as_its_text_is():
    for text in (long_report(150_000, "line"), long_report(40_000, "report"), many_items(50)):
        doc = Document.from_text(text)
        ctx = Context(doc, load_pack_cached("zhuti-zeren"))
        assert ctx.parts.parts
        for part in ctx.parts.parts:
            body = part.text(doc)
            assert part.chars(doc) == count_chars(body)
            assert part.sentences(doc) == sentence_count(body)
            for limit in (1, 20, 60, 500):
                assert start_quote(doc, part, limit) == shorten(body, limit)


def test_evidence_kept_in_groups_is_what_cap_shows_of_every_line():
    rng = random.Random(8)
    for _ in range(300):
        sizes = [rng.choice([0, 1, 3, 7, 8, 9, 20]) for _ in range(rng.randint(1, 3))]
        groups, every = [], []
        for g, size in enumerate(sizes):
            group = itemtools.Firsts()
            for i in range(size):
                group.add(lambda g, i: f"{g}:{i}", g, i)
                every.append(f"{g}:{i}")
            groups.append(group)
        assert itemtools.capped(*groups) == itemtools.cap(every)
    named = itemtools.Firsts(7)
    for i in range(30):
        named.keep(i)
    assert (named.kept, named.count) == (list(range(7)), 30)


def test_a_collection_kept_as_counters_or_compactly_gives_the_same_vectors():
    rng = random.Random(5)
    words = [f"词{i}" for i in range(60)]
    for _ in range(200):
        docs = [[rng.choice(words) for _ in range(rng.randint(0, 40))] for _ in range(rng.randint(1, 8))]
        docs.append(["词0"] * rng.choice([1, 255, 256, 1000]))  # a count past a byte widens the counts
        counts = [Counter(d) for d in docs]
        np = rng.randint(0, len(docs))
        both = set().union(*counts[:np]).intersection(*[set().union(*counts[np:])])
        plain = plain_tfidf(docs)
        for after in (0, 3, 50, None):
            collection = measure_match.Collection(after)
            for counted in counts:
                collection.add(counted)
            assert collection.in_words(collection.vector(0)) == plain[0]
            kept = collection.shared_keys(np)
            assert set(collection.in_words(dict.fromkeys(kept, 0.0))) == both
            for i in range(len(docs)):
                vector = collection.in_words(collection.vector(i, kept))
                assert vector == {w: v for w, v in plain[i].items() if w in both}
                assert collection.size(i) == len(counts[i])


def test_tfidf_of_large_collections_are_the_same_floats():
    """Past COMPACT_AFTER words, numbered words and widened counts."""
    rng = random.Random(5)
    words = [f"词{i}" for i in range(70_000)]
    docs = [words[:40_000], rng.sample(words, 300) * 3 + ["词7"] * 300, words[35_000:] + ["词1"] * 70_000]
    counts = [Counter(d) for d in docs]
    vectors, sizes = measure_match.tfidf(counts)
    assert sizes == [len(c) for c in counts]
    assert vectors == plain_tfidf(docs)


@pytest.mark.parametrize("shape", ["sample", "two-lines", "invisible", "one-line"])
def test_yearly_theme_head_is_the_first_three_paragraphs_joined(shape):
    """yearly_theme searches ``doc.text`` up to ``head_end`` instead of joining the first three paragraphs:
    the same text, for short documents, documents with invisible characters and one long line."""
    from djcheck.checks.yearly_theme import head_end

    text = next(iter(sorted(SAMPLES.glob("*.txt")))).read_text(encoding="utf-8")
    text = {
        "sample": text,
        "two-lines": "2025年度民主生活会对照检查材料\n按照要求",
        "invisible": text.replace("年度", "年\u200b度", 2),
        "one-line": one_line(300_000),
    }[shape]
    doc = Document.from_text(text)
    ctx = Context(doc, load_pack_cached("duizhao-jiancha"), None, None, None)
    assert doc.text[: head_end(ctx)] == "\n".join(p.text for p in doc.paragraphs[:3])

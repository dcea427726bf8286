"""Document model: headings, positions, sentences, run-in enumerators, decoding."""

from __future__ import annotations

import pytest

from djcheck.document import Document, cn_to_int, detect_heading, run_in_starts, sentence_spans
from djcheck.errors import InputError
from djcheck.loaders.text import decode_bytes


@pytest.mark.parametrize(
    "text, level, number",
    [
        ("一、基本情况", 1, 1),
        ("十二、其他", 1, 12),
        ("（三）坚持挺纪在前，持续加强纪律作风建设。加强廉政教育。", 2, 3),
        ("(二)强化监督", 2, 2),
        ("1.加强学习", 3, 1),
        ("2、压实责任", 3, 2),
        ("（4）健全制度", 4, 4),
        ("## 存在的问题", 2, None),
    ],
)
def test_heading_levels(text, level, number):
    h = detect_heading(text)
    assert h is not None and h.level == level and h.number == number


@pytest.mark.parametrize(
    "text",
    ["一是突出政治建设。", "2023年，局党组认真学习。", "1.5万元用于培训。", "", "今年以来，召开会议。"],
)
def test_not_headings(text):
    assert detect_heading(text) is None


def test_heading_title_and_run_in():
    h = detect_heading("（二）坚持压力传导，深化落实党组主体责任。压紧压实责任。")
    assert h.title == "坚持压力传导，深化落实党组主体责任" and h.run_in
    assert not detect_heading("三、存在的问题").run_in


def test_cn_numerals():
    assert [cn_to_int(x) for x in ("一", "九", "十", "十一", "二十", "二十三")] == [1, 9, 10, 11, 20, 23]
    assert cn_to_int("是") is None
    assert cn_to_int("一一十") is None and cn_to_int("十十") is None  # found by hypothesis


def test_locate_is_one_based_characters():
    doc = Document.from_text("第一行\n中文“**”占位")
    start = doc.text.index("**")
    assert doc.locate(start, start + 2) == (2, 4, 2, 6)


def test_sentences_and_run_ins():
    text = "总的来看，形势向好。一是责任待压实。二是监督待加强；三是作风待改进！"
    assert len(sentence_spans(text)) == 4
    assert [text[i : i + 2] for i in run_in_starts(text)] == ["一是", "二是", "三是"]


def test_decode_utf8_bom_gb18030_and_crlf():
    text = "一、基本情况\r\n局党组召开会议。\r\n"
    assert decode_bytes(("\ufeff" + text).encode("utf-8"), "a.txt").encoding == "utf-8-sig"
    src = decode_bytes(text.encode("gbk"), "a.txt")
    assert src.encoding == "gb18030" and src.newline == "\r\n" and "\r" not in src.text
    assert src.text.startswith("一、基本情况\n")
    assert decode_bytes(text.encode("utf-16"), "a.txt").text.startswith("一、基本情况")


@pytest.mark.parametrize(
    "data, words",
    [
        (b"", "空的"),
        (b"   \n\t\n", "空白"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "PNG"),
        (b"PK\x03\x04rest", "ZIP"),
        (b"abc\x00\x01\x02def", "二进制"),
    ],
)
def test_decode_rejects_bad_input_in_chinese(data, words):
    with pytest.raises(InputError) as exc:
        decode_bytes(data, "draft.txt")
    assert words in str(exc.value) and str(exc.value).startswith("draft.txt")


def _read_or_why(read, *args):
    """What ``read(*args)`` gives: a TextSource, or the message of the InputError it raises."""
    try:
        return read(*args)
    except InputError as exc:
        return str(exc)


def test_long_files_are_decoded_in_stretches(tmp_path, monkeypatch):
    """A long UTF-8 file is read and decoded a stretch at a time (characters cut at the end of a
    stretch, a byte-order mark, \\r\\n); every file gives what decoding it whole gives, the
    others (GB18030, damaged UTF-8, UTF-16, binary, blanks) the same text or the same refusal."""
    from djcheck.loaders import text as loader

    draft = "一、基本情况\r\n局党组召开会议，研究落实主体责任。\r\n二、存在问题\r\n" * 3
    contents = [
        draft.encode("utf-8"),
        draft.replace("\r\n", "\n").encode("utf-8"),
        ("\ufeff" + draft).encode("utf-8"),
        ("\ufeff" + draft).encode("utf-8")[:-3],  # the last character cut off
        draft.encode("gbk"),
        draft.encode("utf-8")[:40] + draft.encode("gbk"),  # mixed encodings
        draft.encode("utf-16"),
        draft.encode("utf-16-le"),
        b"\x89PNG\r\n\x1a\n" + draft.encode("utf-8"),
        b"   \n\t\n" * 5,
        b"abc\x01\x02\x03\x04\x05\x06\x07\x08\x0e\x0f\x10\x11\x12" * 4,
    ]
    monkeypatch.setattr(loader, "STRETCH_BYTES", 7)
    for i, data in enumerate(contents):
        path = tmp_path / f"{i}.txt"
        path.write_bytes(data)
        assert _read_or_why(loader.read_text, path) == _read_or_why(decode_bytes, data, str(path)), data[:20]
        with path.open("rb") as f:
            assert (loader._utf8_in_stretches(f) is not None) == (i in (0, 1, 2, 9, 10)), i  # the UTF-8 files


# -- the fast forms give what the plain definitions give ---------------------------------------------
_SENTENCE_END = __import__("re").compile(r"[。！？!?；;]+|\n")


def _sentence_spans_by_definition(text, start=0, end=None):
    """Sentences cut at each run of 。！？； and each line end; blank ones left out."""
    end = len(text) if end is None else end
    spans, pos = [], start
    for m in _SENTENCE_END.finditer(text, start, end):
        if text[pos : m.start()].strip():
            spans.append((pos, m.end() if m.group() != "\n" else m.start()))
        pos = m.end()
    if pos < end and text[pos:end].strip():
        spans.append((pos, end))
    return spans


def _random_texts(alphabet, count=20000, longest=14, seed=7):
    import random

    rnd = random.Random(seed)
    for _ in range(count):
        text = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, longest)))
        start = rnd.randint(0, len(text))
        yield text, start, rnd.choice([None, rnd.randint(start, len(text))])


def test_sentence_spans_match_their_definition():
    for text, start, end in _random_texts("。！？!?；;\n \t\u3000\x1c\x85\xa0ab中文，、"):
        spans = sentence_spans(text, start, end)
        assert spans == _sentence_spans_by_definition(text, start, end), (text, start, end)


def test_run_in_starts_match_their_definition():
    import re

    from djcheck.document import run_in_count

    plain = re.compile(
        r"(?:^|(?<=[。；;！？：:\s]))([一二三四五六七八九十]{1,3}是|第[一二三四五六七八九十]{1,3}[，,、：:]"
        r"|首先[，,]|其次[，,]|再次[，,]|最后[，,])"
    )
    for text, start, end in _random_texts("一二十是第，,、：:首先其次再最后。；;！？\n \u3000ab"):
        end = len(text) if end is None else end
        assert run_in_starts(text, start, end) == [m.start(1) for m in plain.finditer(text, start, end)]
        assert run_in_count(text) == len(run_in_starts(text))


def test_cn_to_int_table_matches_the_parser():
    from itertools import product

    from djcheck.document import CN_DIGITS, _parse_cn

    for n in range(5):
        for chars in product(CN_DIGITS + "a", repeat=n):
            numeral = "".join(chars)
            assert cn_to_int(numeral) == _parse_cn(numeral), numeral


def test_detect_heading_matches_trying_every_pattern():
    from djcheck import document as d

    def by_definition(text, style_level=None):
        stripped = text.strip()
        if not stripped:
            return None
        md = d._MD_HEADING.match(stripped)
        if md:
            return d.Heading(len(md.group(1)), None, md.group(1), "markdown", d._title(md.group(2))[0])
        for level, pattern, style in d._HEADING_PATTERNS:
            m = pattern.match(text)
            if m:
                numeral = m.group(1)
                number = int(numeral) if numeral.isdigit() else cn_to_int(numeral)
                title, run_in = d._title(text[m.end() :])
                if not title:
                    continue
                return d.Heading(style_level or level, number, m.group(0).strip(), style, title, run_in)
        if style_level:
            return d.Heading(style_level, None, "", "word-style", d._title(stripped)[0])
        return None

    alphabet = "一二十（）()、.．1２# 。：工作\u3000"
    for i, (text, _, _) in enumerate(_random_texts(alphabet, count=30000, longest=8)):
        level = (None, 1, 2)[i % 3]
        assert detect_heading(text, level) == by_definition(text, level), (text, level)


def test_control_characters_counted_in_utf8_bytes_as_in_the_text():
    import random

    from djcheck.loaders.text import _looks_binary

    rnd = random.Random(5)
    alphabet = ["\x00", "\x08", "\x09", "\x0b", "\x0e", "\x1f", "\x7f", "\x85", "a", "中", "\n", "\U0001f600"]
    for _ in range(3000):
        text = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 300)))
        assert _looks_binary(text, text.encode("utf-8")) == _looks_binary(text), text


def test_checked_size_names_what_is_wrong(tmp_path):
    import os

    from djcheck.loaders.text import checked_size

    good = tmp_path / "a.txt"
    good.write_bytes(b"x" * 10)
    assert checked_size(good, 10) == 10 and checked_size(str(good), 10) == 10
    cases = [(tmp_path / "missing.txt", "找不到"), (tmp_path, "文件夹"), (tmp_path / "a\x00.txt", "找不到")]
    if hasattr(os, "mkfifo"):
        os.mkfifo(tmp_path / "pipe")
        cases.append((tmp_path / "pipe", "管道"))
    for path, words in cases + [(good, "文件太大")]:
        with pytest.raises(InputError) as exc:
            checked_size(path, 9)
        assert words in str(exc.value), (path, str(exc.value))


def test_events_found_once_per_document():
    import dataclasses

    from djcheck import load_pack as djcheck_pack
    from djcheck.year import events_in, find_events, load_events

    doc = Document.from_text("2023年工作总结\n深入学习贯彻党的二十大精神和二十届中央纪委二次全会精神。")
    events = events_in(doc)
    assert events == find_events(doc.text, load_events()) and len(events) == 2
    rule = next(r for r in djcheck_pack("common").rules if r.kind == "events")
    assert events_in(doc, load_events(rule.compiled.data_file)) is events  # the events check reuses them
    copy = dataclasses.replace(doc, text=doc.text.replace("二十大", "十九大"))
    assert copy.cache == {} and events_in(copy)[0].name == "十九大"


def test_locate_agrees_with_paragraph_at_at_both_ends():
    """``locate`` bisects once when a span stays in one paragraph; it must equal the plain definition."""
    import random

    rng = random.Random(3)
    for _ in range(300):
        paras = ["".join(rng.choice("ab。\r") for _ in range(rng.randint(0, 8))) for _ in range(rng.randint(1, 6))]
        doc = Document.from_text("\n".join(paras))
        n = len(doc.text)
        for _ in range(50):
            a, b = rng.randint(-2, n + 2), rng.randint(-2, n + 3)
            p = doc.paragraph_at(a)
            e = b if b > a else a + 1
            q = doc.paragraph_at(e - 1)
            assert doc.locate(a, b) == (p.line, a - p.start + 1, q.line, e - q.start + 1), (paras, a, b)


def test_repeated_units_are_where_the_lookahead_matches():
    """Characters with the same lowest byte (丁 U+4E01, ā U+0101, 企 U+4F01, 𠄁 U+20101), characters
    below U+2E80 and a lone surrogate: the byte-wise comparison finds what the regex finds."""
    import random

    import regex

    from djcheck.document import repeated_units

    pool = "丁\u0101\u4f01\U00020101建建设a1\n\u2e80\u2e7f\ud801\x00"
    rng = random.Random(4)
    texts = ["".join(rng.choice(pool) for _ in range(rng.randint(0, 16))) for _ in range(3000)]
    for text in texts:
        unit = rng.randint(1, 8)
        lookahead = regex.compile(f"(?=([\u2e80-\U0010ffff]{{1,{unit}}})\\1)")
        assert repeated_units(text, unit) == [m.start() for m in lookahead.finditer(text)], (
            text,
            unit,
        )


def test_long_texts_are_read_in_stretches(monkeypatch):
    """repeated_units and count_chars read a long text a stretch at a time, with the same answers,
    also for repetitions and whitespace that straddle two stretches."""
    import random

    import regex

    from djcheck import document

    pool = "建建设设a 1\n\u3000研究研究做到做到"
    rng = random.Random(5)
    texts = ["".join(rng.choice(pool) for _ in range(rng.randint(0, 60))) for _ in range(300)]
    monkeypatch.setattr(document, "LONG_TEXT_STRETCH", 7)
    for text in texts:
        unit = rng.randint(1, 4)
        lookahead = regex.compile(f"(?=([\u2e80-\U0010ffff]{{1,{unit}}})\\1)")
        assert document.repeated_units(text, unit) == [m.start() for m in lookahead.finditer(text)], (text, unit)
        assert document.count_chars(text) == sum(not c.isspace() for c in text), text


def test_sentence_bounds_are_the_nearest_ends_on_either_side():
    """sentence_bounds looks in growing windows; it finds what searching the whole text finds."""
    import random

    from djcheck.document import sentence_bounds

    ends = "。！？；!?;\n"
    rng = random.Random(19)
    for _ in range(3000):
        length = rng.choice([5, 50, 300])
        text = "".join(rng.choice("报告研究落实" * 20 + ends) for _ in range(rng.randint(0, length)))
        if rng.random() < 0.3:
            text = "研" * rng.randint(0, 400) + text  # a long stretch without any end
        start = rng.randint(0, len(text))
        end = rng.randint(start, len(text))
        lo = max(text.rfind(c, 0, start) for c in ends) + 1
        after = [i for i in (text.find(c, end) for c in ends) if i >= 0]
        assert sentence_bounds(text, start, end, ends) == (lo, min(after) if after else len(text))
    assert sentence_bounds("第一句。第二句；第三句", 5, 6, ends) == (4, 7)


def _long_draft() -> str:
    """About 300,000 characters from the samples: the good report again and again, with a zero-width
    space in a keyword, a line of 20,000 characters and some blank lines."""
    from conftest import SAMPLES

    good = (SAMPLES / "good-report.txt").read_text(encoding="utf-8")
    tainted = (SAMPLES / "template-leftovers.txt").read_text(encoding="utf-8").replace("主体责任", "主体\u200b责任")
    long_line = ("".join(good.split("\n")) * 8)[:20_000]
    return "\n".join([good, tainted, long_line, "", good] * 24)


def test_long_documents_share_their_text(monkeypatch):
    """A long document keeps its paragraphs compactly, each made when read and reading its text from
    the document's text (no copy of every line; a very long one keeps it from its first read); they are equal to the
    paragraphs of the same document kept as a list of paragraphs that hold their text, and so are
    the headings, the locations and the invisible characters."""
    from djcheck import document

    draft = _long_draft()
    assert len(draft) >= document.SHARED_TEXT_MIN_CHARS
    # with invisible characters and a line longer than the limit; then without either
    for text in (draft, "\n".join(line[:1000] for line in draft.replace("\u200b", "").split("\n"))):
        monkeypatch.setattr(document, "SHARED_TEXT_MIN_CHARS", 200_000)
        doc = Document.from_text(text)
        monkeypatch.setattr(document, "SHARED_TEXT_MIN_CHARS", len(text) + 1)
        plain = Document.from_text(text)
        assert isinstance(doc.paragraphs, document._LongParagraphs) and type(plain.paragraphs) is list
        kinds = [(type(p), len(p.text) > document.SHARED_LINE_MAX_CHARS) for p in doc.paragraphs]
        assert set(kinds) <= {(document._SharedParagraph, False), (document._LongLineParagraph, True)}
        assert ((document._LongLineParagraph, True) in kinds) == (text is draft)
        for p in doc.paragraphs:  # a long line is copied once for each paragraph object read
            if len(p.text) > 1:  # (Python keeps one empty string and one string of each Latin-1 character)
                assert (p.text is p.text) == (type(p) is document._LongLineParagraph)
        assert doc.paragraphs == plain.paragraphs and plain.paragraphs == doc.paragraphs and doc == plain
        assert doc.text == plain.text and doc.invisible == plain.invisible
        assert list(doc.line_starts) == plain.line_starts and len(doc.paragraphs) == len(plain.paragraphs)
        assert doc.headings == plain.headings and doc.body_paragraphs == plain.body_paragraphs
        assert [p.end for p in doc.paragraphs] == [p.end for p in plain.paragraphs]
        assert [repr(p) for p in doc.paragraphs[:50]] == [repr(p) for p in plain.paragraphs[:50]]
        assert [p.text for p in doc.paragraphs] == text.replace("\u200b", "").split("\n")
        assert doc.paragraphs[-1] == plain.paragraphs[-1] and doc.paragraphs[5:9] == plain.paragraphs[5:9]
        assert list(reversed(doc.paragraphs))[:3] == plain.paragraphs[::-1][:3]
        assert [doc.paragraphs[i] for i in range(len(plain.paragraphs))] == plain.paragraphs
        with pytest.raises(IndexError):
            doc.paragraphs[len(plain.paragraphs)]
        n = len(doc.text)
        for a in range(0, n, 997):
            assert doc.locate(a, a + 5) == plain.locate(a, a + 5)
            assert doc.paragraph_at(a) == plain.paragraph_at(a)
    first = doc.paragraphs[1]
    blank = first.replaced(text=" " * len(first.text), heading=None)
    assert type(blank) is document.Paragraph and blank.text == " " * len(first.text) and blank.start == first.start
    assert first.replaced() == first and first != blank


def test_long_texts_are_split_in_stretches(monkeypatch):
    """A long text's lines are split a stretch at a time, with the same lines as one split, also
    where a stretch ends at or just before a line end."""
    import random

    from djcheck import document

    monkeypatch.setattr(document, "LONG_TEXT_STRETCH", 5)
    rng = random.Random(6)
    for _ in range(2000):
        text = "".join(rng.choice("ab\n") for _ in range(rng.randint(0, 40)))
        assert list(document._lines_of(text)) == text.split("\n"), text


def test_long_documents_give_the_same_findings(monkeypatch):
    """Checking a long draft whose paragraphs share the document's text gives the same result as
    when every paragraph holds its own copy."""
    import djcheck
    from djcheck import document

    text = _long_draft()[:120_000]
    pack = djcheck.load_pack("zhuti-zeren")
    monkeypatch.setattr(document, "SHARED_TEXT_MIN_CHARS", 1000)
    shared = djcheck.check_document(Document.from_text(text), pack)
    monkeypatch.setattr(document, "SHARED_TEXT_MIN_CHARS", len(text) + 1)
    plain = djcheck.check_document(Document.from_text(text), pack)
    assert shared.findings and shared.to_dict() == plain.to_dict()

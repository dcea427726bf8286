"""Invisible characters inside keywords (issue 16, item 17).

A zero-width space, soft hyphen, word joiner or bidi control inside 主体责任 must not hide
the keyword (the document matches on the text without them), and each must be reported
where it stands in the original text — line and column as the user's editor counts them —
asking to delete it. Every other location on such a line is a column of the original text.
"""

from __future__ import annotations

import zipfile

import pytest
from typer.testing import CliRunner

import djcheck
from conftest import SAMPLES
from djcheck.annotate import annotate_docx
from djcheck.cli import app
from djcheck.document import INVISIBLE, Document, without_invisible
from docxutil import comment_anchors, comment_texts, text_to_docx

GOOD = (SAMPLES / "good-report.txt").read_text(encoding="utf-8")
KEYWORD = "主体责任"
CHARS = {
    "zero-width-space": "\u200b",
    "soft-hyphen": "\u00ad",
    "word-joiner": "\u2060",
    "left-to-right-override": "\u202d",
    "right-to-left-mark": "\u200f",
    "zero-width-non-joiner": "\u200c",
    "byte-order-mark": "\ufeff",
    "isolate": "\u2066",
}


def _summary(result):
    return {i.id: i.status for i in result.checklist}, result.score


def _original_positions(text: str, ch: str) -> list[tuple[int, int]]:
    """1-based (line, column) of every ``ch`` in ``text``, counted as an editor does."""
    out = []
    for n, line in enumerate(text.split("\n"), 1):
        out += [(n, i + 1) for i, c in enumerate(line) if c == ch]
    return out


@pytest.mark.parametrize("name", list(CHARS))
def test_an_invisible_character_inside_a_keyword_is_matched_and_reported_where_it_stands(name, tmp_path):
    ch = CHARS[name]
    clean = tmp_path / "clean.txt"
    clean.write_text(GOOD, encoding="utf-8")
    dirty_text = GOOD.replace(KEYWORD, KEYWORD[:2] + ch + KEYWORD[2:])
    dirty = tmp_path / "dirty.txt"
    dirty.write_text(dirty_text, encoding="utf-8")
    before, after = djcheck.check_file(clean), djcheck.check_file(dirty)
    assert after.profile == before.profile == "zhuti-zeren"  # the title still names 主体责任
    statuses_before, _ = _summary(before)
    statuses_after, _ = _summary(after)
    assert statuses_before.pop("punctuation") == "ok" and statuses_after.pop("punctuation") != "ok"
    assert statuses_after == statuses_before  # every element is still found
    reported = [(f.line, f.col) for f in after.findings if f.rule == "punctuation" and "不可见字符" in f.message]
    assert reported == _original_positions(dirty_text, ch)
    assert all(f"U+{ord(ch):04X}" in f.message for f in after.findings if "不可见字符" in f.message)
    # every other finding points at the same text, at its original column
    lines = dirty_text.split("\n")
    for f in after.findings:
        if f.match and f.line == f.end_line:
            assert without_invisible(lines[f.line - 1][f.col - 1 : f.end_col - 1]) == f.match, f


def test_columns_after_an_invisible_character_are_those_of_the_original_line():
    doc = Document.from_text("标题\n\u200b\u200b落实主体\u00ad责任,加强监督")
    assert doc.paragraphs[1].text == "落实主体责任,加强监督"
    start = doc.text.index(",")
    assert doc.locate(start, start + 1) == (2, 10, 2, 11)  # ``,`` is the 10th character as typed
    start = doc.text.index("主体责任")
    assert doc.locate(start, start + 4) == (2, 5, 2, 10)  # the soft hyphen inside is spanned
    assert [(i.line, i.col, i.chars) for i in doc.invisible] == [(2, 1, "\u200b\u200b"), (2, 7, "\u00ad")]


def test_every_invisible_character_is_normalised():
    text = "落实" + INVISIBLE + "主体责任"
    doc = Document.from_text(text)
    assert doc.text == "落实主体责任" and len(doc.invisible) == 1 and doc.invisible[0].chars == INVISIBLE


def test_fix_applies_after_an_invisible_character_and_keeps_it(tmp_path):
    path = tmp_path / "draft.txt"
    path.write_text("关于落实主体\u200b责任情况的报告\n局党组认真布署,全面加强党风廉政建建设。\n", encoding="utf-8")
    path.write_text(path.read_text(encoding="utf-8").replace("认真布署", "认\u200b真布署"), encoding="utf-8")
    result = CliRunner().invoke(app, ["check", str(path), "--fix", "-f", "plain", "-p", "zhuti-zeren"])
    assert result.exit_code in (0, 1), result.output
    assert path.read_text(encoding="utf-8").split("\n")[1] == "局党组认\u200b真部署，全面加强党风廉政建设。"


def test_annotating_a_word_draft_with_invisible_characters(tmp_path):
    text = "关于落实主体\u200b责任情况的报告\n一、工作开展情况\n局党组\u2060落实主体\u00ad责任,加强监督。"
    source = text_to_docx(text, tmp_path / "draft.docx")
    result = djcheck.check_file(source, profile="zhuti-zeren")
    assert not result.error
    target = tmp_path / "copy.docx"
    annotate_docx(source, target, result)  # no "文件在检查之后被修改过": columns agree with the runs
    notes = comment_texts(target)
    anchors = comment_anchors(target)
    invisible = [cid for cid, note in notes.items() if "不可见字符" in note]
    assert len(invisible) == 3
    assert sorted(anchors[cid] for cid in invisible) == sorted(["\u200b", "\u2060", "\u00ad"])
    comma = [cid for cid, note in notes.items() if "，" in note and "建议改为" in note]
    assert comma and all(anchors[cid] == "," for cid in comma)
    with zipfile.ZipFile(target) as zf:
        assert "\u00ad".encode() in zf.read("word/document.xml")  # the text itself is left as it was

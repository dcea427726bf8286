"""Build .docx test drafts with python-docx, the way a Word user would: part headings in 标题 styles."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import docx

# Top-level part headings of a report: 一、…  (they get the "Heading 1" style, like 标题 1 in Word).
TOP_HEADING = re.compile(r"^\s*[一二三四五六七八九十]{1,3}\s*[、.．]")


def text_to_docx(
    text: str,
    path: Path,
    *,
    heading_style: str = "Heading 1",
    created: dt.datetime | None = dt.datetime(2023, 7, 10, 9, 30, tzinfo=dt.timezone.utc),
) -> Path:
    """Write ``text`` (one paragraph per line) as a .docx; top-level ``一、`` lines get ``heading_style``.

    Blank lines stay blank paragraphs, so paragraph *n* of the .docx is line *n* of ``text``.
    """
    document = docx.Document()
    for line in text.split("\n"):
        style = heading_style if TOP_HEADING.match(line) else None
        document.add_paragraph(line, style=style)
    if created is not None:
        document.core_properties.created = created
        document.core_properties.modified = created
    document.save(str(path))
    return path


def comment_anchors(path: Path) -> dict[int, str]:
    """``{comment id: anchored text}`` read back from the document XML of a .docx."""
    document = docx.Document(str(path))
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    anchors: dict[int, str] = {}
    active: set[int] = set()
    for el in document.element.body.iter():
        if el.tag == f"{w}commentRangeStart":
            cid = int(el.get(f"{w}id"))
            active.add(cid)
            anchors.setdefault(cid, "")
        elif el.tag == f"{w}commentRangeEnd":
            active.discard(int(el.get(f"{w}id")))
        elif el.tag == f"{w}t":
            for cid in active:
                anchors[cid] += el.text or ""
    return anchors


def comment_texts(path: Path) -> dict[int, str]:
    """``{comment id: comment text}`` of a .docx (paragraphs joined by ``\\n``)."""
    document = docx.Document(str(path))
    return {c.comment_id: c.text for c in document.comments}

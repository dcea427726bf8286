"""Split a part of a report (存在的问题, 下一步打算 …) into its items.

Reports enumerate problems and measures in one of three ways (domain
catalogue §2; seeds 000, 001, 003):

1. ``heading``: paragraphs opening with an enumerator heading (``（一）``,
   ``1.``, ``一、`` …). The headings of the highest level found inside the
   part start the items; an item runs to the next heading of that level.
2. ``run-in``: enumerators inside the running text (``一是`` … ``三是``,
   ``第一，``, ``首先，``), found by :func:`djcheck.document.run_in_starts`;
   used when there are at least two of them and no heading items.
3. ``sentence``: with no enumerators, every sentence (split at 。！？； and
   line ends by :func:`djcheck.document.sentence_spans`) is an item.

Text of the part before the first enumerator is the *preamble* (a lead-in
such as "对照要求，还存在以下问题：") and belongs to no item. In the
sentence fallback there is no preamble.

All offsets are character offsets into ``Document.text`` (end exclusive).
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import field

from .document import Document, first_sentence, run_in_starts, sentence_spans
from .parts import blank
from .records import record

HEADING, RUN_IN, SENTENCE = "heading", "run-in", "sentence"


@record
class Item:
    """One enumerated problem, measure or achievement.

    Attributes:
        index: 1-based position in the part.
        label: how the item is named in messages: the enumerator as written
            (``（四）``, ``二是``) or ``第3句`` in the sentence fallback.
        start, end: offsets into ``Document.text`` (end exclusive).
        via: ``heading`` | ``run-in`` | ``sentence``.
    """

    index: int
    label: str
    start: int
    end: int
    via: str

    def text(self, doc: Document) -> str:
        """The item's text, enumerator included, surrounding whitespace removed."""
        return doc.text[self.start : self.end].strip()

    def title(self, doc: Document) -> str:
        """The item's first sentence without the enumerator (its gist), on one line (computed once)."""
        known = self.__dict__.get("_title")
        if known is None or known[0] is not doc:
            known = self.__dict__["_title"] = (doc, self._title(doc))
        return known[1]

    def _title(self, doc: Document) -> str:
        text = self.text(doc)
        if self.via != SENTENCE and text.startswith(self.label):
            text = text[len(self.label) :].lstrip("、.． ")
        return " ".join(first_sentence(text).rstrip("。；;！？!?").split())

    def line(self, doc: Document) -> int:
        """1-based line where the item starts."""
        return doc.line_of(self.start)


@record
class ItemList:
    """The items of one span, with how they were found.

    Attributes:
        items: the items in document order (empty for a blank span).
        via: ``heading`` | ``run-in`` | ``sentence`` (``sentence`` when empty).
        preamble: ``(start, end)`` of the text before the first enumerator, or ``None``.
    """

    items: list[Item] = field(default_factory=list)
    via: str = SENTENCE
    preamble: tuple[int, int] | None = None

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self):
        return iter(self.items)

    @property
    def enumerated(self) -> bool:
        """The author numbered the items (headings or 一是…), rather than writing plain sentences."""
        return self.via != SENTENCE


def _heading_items(doc: Document, start: int, end: int, skip: int | None) -> list[Item]:
    first, stop = bisect_left(doc.line_starts, start), bisect_left(doc.line_starts, end)
    paras = [
        p
        for p in doc.paragraphs[first:stop]  # the paragraphs starting in [start, end)
        if p.heading and p.heading.style != "word-style" and p.start != skip
    ]
    if not paras:
        return []
    top = min(p.heading.level for p in paras)
    heads = [p for p in paras if p.heading.level == top]
    items = []
    for i, p in enumerate(heads):
        stop = heads[i + 1].start if i + 1 < len(heads) else end
        label = p.heading.marker.strip() or p.text.strip()[:6]
        if label[:1] in "（(":
            label = label.rstrip("、")
        items.append(Item(i + 1, label, p.start, _trim_end(doc.text, p.start, stop), HEADING))
    return items


def _run_in_items(doc: Document, start: int, end: int, skip: int | None) -> list[Item]:
    starts = run_in_starts(doc.text, start, end)
    if len(starts) < 2:
        return []
    items = []
    for i, s in enumerate(starts):
        stop = starts[i + 1] if i + 1 < len(starts) else end
        label = _run_in_label(doc.text, s)
        items.append(Item(i + 1, label, s, _trim_end(doc.text, s, stop), RUN_IN))
    return items


def _run_in_label(text: str, start: int) -> str:
    label = text[start : start + 6]
    for stop in ("是", "，", ",", "、", "：", ":"):
        i = label.find(stop)
        if i >= 0:
            return label[: i + 1] if stop == "是" else label[:i]
    return label[:2]


def _trim_end(text: str, start: int, stop: int) -> int:
    while stop > start and text[stop - 1].isspace():
        stop -= 1
    return stop


def split_items(doc: Document, start: int, end: int, skip_heading_at: int | None = None) -> ItemList:
    """Split ``doc.text[start:end]`` into items (see the module docstring).

    ``skip_heading_at`` is the offset of the part's own heading paragraph when
    that heading runs into the body (``二、存在的问题：一是……``); it is not an item.
    Returns an :class:`ItemList`; an empty or blank span gives no items.
    Never raises for any span inside the document.
    """
    start, end = max(0, start), min(len(doc.text), end)
    if start >= end or blank(doc.text, start, end):
        return ItemList()
    for finder, via in ((_heading_items, HEADING), (_run_in_items, RUN_IN)):
        items = finder(doc, start, end, skip_heading_at)
        if items:
            first = items[0].start
            preamble = None if blank(doc.text, start, first) else (start, first)
            return ItemList(items, via, preamble)
    items = [
        Item(i + 1, f"第{i + 1}句", s, e, SENTENCE)
        for i, (s, e) in enumerate(sentence_spans(doc.text, start, end))
    ]
    return ItemList(items, SENTENCE, None)

"""Find the parts of a report: 工作情况/成效 → 存在的问题 → (原因) → 下一步打算.

The part kinds and the phrasings that announce them are data from the rule
pack (``parts:``), not code; heading phrasings follow the domain catalogue §2.
A part is found in one of three ways, tried in this order:

1. ``heading``: a top-level heading whose title matches the kind's
   ``headings`` patterns (``三、存在的问题``, ``四、整改方向``). When a kind has no
   top-level heading, a lower-level heading whose title *starts* with a match
   is accepted (``（三）存在的问题``).
2. ``lead-in``: a sentence inside a paragraph that opens the part without a
   heading, matched by the kind's ``lead_ins`` patterns (seed 003:
   "……还存在一些差距和不足。下一步，我们将……"). Problems: the last such
   sentence before the next-steps part (or the end), anywhere after the opening;
   next steps: the first after the problems.
3. ``implicit``: text between the opening paragraph and the first other part
   counts as the first kind (achievements) when no heading names it.

Real drafts put the announcing words in other places too (issue 14), found here as well:

- a heading run into the end of the previous paragraph's line (``……落到实处。二、存在的问题``,
  text pasted from a web page or a PDF): a boundary at the enumerator (``heading``);
- an inline label at a sentence start (``存在的不足：……下一步打算：……``, ``主要问题：``,
  ``努力方向：``): a boundary at the label (``label``), for a kind no heading names;
- a top-level heading of no known name after the problems (or causes) part ends that part: when
  its title looks ahead (打算, 建议, 措施, 思路, 方向 …) it is the next-steps part
  (``三、几点打算``), else the part before it continues (its items are headings too).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cached_property
from itertools import chain

import regex

from .cache import lazy_pattern
from .document import LONG_TEXT_STRETCH, Document, Paragraph, count_chars, sentence_spans
from .records import record

ACHIEVEMENTS = "achievements"
PROBLEMS = "problems"
NEXT_STEPS = "next_steps"


@record
class PartSpec:
    """How one part kind is announced: compiled heading and lead-in patterns."""

    kind: str
    title: str
    headings: list[regex.Pattern]
    lead_ins: list[regex.Pattern]

    @cached_property
    def heading_test(self) -> regex.Pattern | None:
        """One pattern matching where any of :attr:`headings` matches (their alternation), built once;
        ``None`` when they cannot be joined (back-references, mixed flags) or run under a timeout
        (see :func:`_joined`)."""
        return _joined(self.headings)


@record
class Part:
    """A span of the document that plays one role.

    Attributes:
        kind: ``achievements`` | ``problems`` | ``causes`` | ``next_steps`` | a pack-defined kind.
        start, end: character offsets into ``Document.text`` (end exclusive).
        body_start: offset where the part's content starts (after a heading-only line).
        line: 1-based line where the part starts.
        via: ``heading`` | ``lead-in`` | ``implicit``.
        label: the heading title or the lead-in words that announced the part.
    """

    kind: str
    start: int
    end: int
    body_start: int
    line: int
    via: str
    label: str

    def text(self, doc: Document) -> str:
        """The part's content (without a heading-only line)."""
        return doc.text[self.body_start : self.end]

    def chars(self, doc: Document) -> int:
        """Number of non-whitespace characters in the part's content (read a stretch at a time:
        no copy of a long part)."""
        text, end, step = doc.text, self.end, LONG_TEXT_STRETCH
        return sum(count_chars(text[i : min(i + step, end)]) for i in range(self.body_start, end, step))

    def sentences(self, doc: Document) -> int:
        """Number of sentences in the part's content: ``sentence_count(self.text(doc))``
        (:func:`count_sentences`)."""
        return count_sentences(doc.text, self.body_start, self.end)


def count_sentences(text: str, start: int, end: int) -> int:
    """``len(sentence_spans(text, start, end))`` without holding every span (a report of 12 M
    characters on one line has 300,000 sentences: 34 MiB of spans); see :func:`sentence_stretches`."""
    return sum(map(len, sentence_stretches(text, start, end)))


def sentence_stretches(text: str, start: int, end: int) -> Iterator[list[tuple[int, int]]]:
    """``sentence_spans(text, start, end)`` a stretch of :data:`~djcheck.document.LONG_TEXT_STRETCH`
    characters at a time: the lists yielded, one after the other, are that list (offsets in characters).

    Exact for the sentence pattern, which looks neither behind nor ahead of what it matches: a
    sentence that ends before the end of a stretch is one of those of the whole span, found
    from where the sentence before it ends; the last sentence of a stretch may go on past it, so
    it is found again in the next stretch, which starts where the sentence before it ends (a
    stretch holding no whole sentence is made longer).
    """
    width = LONG_TEXT_STRETCH
    while True:
        stop = min(end, start + width)
        spans = sentence_spans(text, start, stop)
        if stop >= end:
            yield spans
            return
        if spans and spans[-1][1] == stop:
            spans.pop()  # may go on past the stretch
        if spans:
            yield spans
            start, width = spans[-1][1], LONG_TEXT_STRETCH
        else:
            width *= 2


def blank(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` is empty or whitespace (``not text[start:end].strip()``), without
    copying it: a part or a preamble can be millions of characters."""
    return _SOLID.search(text, start, end) is None


#: A character other than whitespace (the standard library's ``\S``: exactly not ``str.isspace()``).
_SOLID = re.compile(r"\S")


@record
class Parts:
    """All parts found, in document order, plus the opening paragraph."""

    opening: Paragraph | None
    parts: list[Part]

    def get(self, kind: str) -> Part | None:
        """The first part of ``kind``, or ``None``."""
        return next((p for p in self.parts if p.kind == kind), None)

    def kinds(self) -> list[str]:
        """Part kinds in document order."""
        return [p.kind for p in self.parts]


def _first_match(patterns: list[regex.Pattern], text: str, anchored: bool = False):
    for pat in patterns:
        m = pat.match(text) if anchored else pat.search(text)
        if m:
            return m
    return None


_ANY_HEADING: dict[int, tuple[list[PartSpec], regex.Pattern | None]] = {}


def _any_heading(specs: list[PartSpec]) -> regex.Pattern | None:
    """One pattern matching where any heading pattern of any of ``specs`` matches, built once per list;
    ``None`` when they cannot be joined (see :func:`djcheck.prefilter.any_of`) or run under a timeout (another
    office's pack: a joined pattern would run without it)."""
    known = _ANY_HEADING.get(id(specs))
    if known is None or known[0] is not specs:
        if len(_ANY_HEADING) > 1000:
            _ANY_HEADING.clear()
        known = _ANY_HEADING[id(specs)] = (specs, _joined([pat for spec in specs for pat in spec.headings]))
    return known[1]


def _joined(patterns: list) -> regex.Pattern | None:
    """The alternation of ``patterns`` (:func:`djcheck.prefilter.any_of`) when every one is a plain compiled
    pattern (a bundled pack's); ``None`` when one runs under a timeout (another office's pack, a
    :class:`~djcheck.safe_regex.GuardedPattern`): the joined pattern would run without it."""
    if not all(isinstance(pat, regex.Pattern) for pat in patterns):
        return None
    from .prefilter import any_of

    return any_of(patterns)


def classify_heading(title: str, specs: list[PartSpec], anchored: bool = False) -> str | None:
    """The part kind a heading title announces (first spec that matches), or ``None``."""
    if anchored:  # a sub-heading: most announce no part, which one joined pattern tells at once
        test = _any_heading(specs)
        if test is not None and not test.match(title):
            return None
    for spec in specs:
        test = spec.heading_test
        if test is None:
            if _first_match(spec.headings, title, anchored):
                return spec.kind
        elif test.match(title) if anchored else test.search(title):
            return spec.kind
    return None


def _opening(doc: Document) -> Paragraph | None:
    for p in doc.paragraphs:
        if not p.text.strip():
            continue
        if p.heading:
            return None
        if (
            len(p.text) < 40
            and not any(ch in p.text for ch in "。；，")
            and p.index + 1 < len(doc.paragraphs)
        ):
            continue  # a title line such as 关于……的报告
        return p
    return None


def find_parts(doc: Document, specs: list[PartSpec]) -> Parts:
    """Locate the parts named by ``specs`` in ``doc`` (see the module docstring).

    Text before the first part belongs to ``achievements`` (or, in a pack
    without that kind, to ``specs[0]``). ``specs`` order is the order in
    which heading titles are classified. Adjacent parts of one kind are merged.
    """
    opening = _opening(doc)
    heads = [p for p in doc.headings if p.heading.style != "markdown" or p.heading.level > 1 or p.index > 0]
    # A single Markdown "# title" at the top is the document title, not a part.
    boundaries: list[tuple[int, str | None, str, Paragraph | None, str]] = []
    if heads:
        top = min(p.heading.level for p in heads)
        found: set[str] = set()
        for p in heads:
            if p.heading.level == top:
                kind = classify_heading(p.heading.title, specs)
                boundaries.append((p.start, kind, "heading", p, p.heading.title))
                if kind:
                    found.add(kind)
        for p in heads:
            if p.heading.level > top:
                kind = classify_heading(p.heading.title, specs, anchored=True)
                if kind and kind not in found and kind != ACHIEVEMENTS:
                    boundaries.append((p.start, kind, "heading", p, p.heading.title))
                    found.add(kind)
        boundaries.sort(key=lambda b: b[0])

    _close_problems(boundaries, heads, specs)
    boundaries.extend(_run_in_headings(doc, specs, {b[1] for b in boundaries if b[1]}))
    boundaries.sort(key=lambda b: b[0])
    boundaries.extend(_inline_labels(doc, specs, boundaries))
    boundaries.sort(key=lambda b: b[0])
    found_kinds = {b[1] for b in boundaries if b[1]}
    lead_in_boundaries = _lead_ins(doc, specs, boundaries, found_kinds, opening)
    boundaries.extend(lead_in_boundaries)
    boundaries.sort(key=lambda b: b[0])

    body_start = opening.end + 1 if opening else 0
    if boundaries and boundaries[0][0] < body_start:
        body_start = boundaries[0][0]
    parts: list[Part] = []
    first_kind = ACHIEVEMENTS if any(s.kind == ACHIEVEMENTS for s in specs) or not specs else specs[0].kind
    first_boundary = boundaries[0][0] if boundaries else len(doc.text)
    if not blank(doc.text, body_start, first_boundary):
        parts.append(_make_part(doc, first_kind, body_start, first_boundary, "implicit", None, ""))
    for i, (start, kind, via, para, label) in enumerate(boundaries):
        end = boundaries[i + 1][0] if i + 1 < len(boundaries) else len(doc.text)
        if kind is None:
            kind = parts[-1].kind if parts else first_kind
            via = parts[-1].via if parts else "implicit"
        parts.append(_make_part(doc, kind, start, end, via, para, label))
    return Parts(opening, _merge(parts))


def _make_part(doc, kind, start, end, via, para, label) -> Part:
    body = start
    if para is not None and para.heading and not para.heading.run_in:
        body = min(para.end + 1, end)
    return Part(kind, start, end, body, doc.line_of(start), via, label)


def _merge(parts: list[Part]) -> list[Part]:
    merged: list[Part] = []
    for part in parts:
        if merged and merged[-1].kind == part.kind:
            prev = merged[-1]
            via = prev.via if prev.via == "heading" or part.via != "heading" else part.via
            label = prev.label or part.label
            merged[-1] = Part(prev.kind, prev.start, part.end, prev.body_start, prev.line, via, label)
        else:
            merged.append(part)
    return merged


def _sentence_start(doc: Document, offset: int) -> int:
    """Start of the sentence holding ``offset`` (else of the last sentence before it, else of its
    paragraph), reading the paragraph's sentences only up to it."""
    para = doc.paragraph_at(offset)
    start = para.start
    for spans in sentence_stretches(doc.text, para.start, para.end):
        for s, e in spans:
            if s <= offset < e:
                return s
            start = s if s <= offset else start
        if spans and spans[-1][0] > offset:
            break  # the sentences after this one start after offset too
    return start


def _lead_ins(doc, specs, boundaries, found_kinds, opening):
    """Boundaries for problems / next steps announced inside a paragraph."""
    result = []
    spec_by_kind = {s.kind: s for s in specs}
    text = doc.text
    after_opening = opening.end if opening else 0
    next_start = None
    next_spec = spec_by_kind.get(NEXT_STEPS)
    prob_spec = spec_by_kind.get(PROBLEMS)
    problem_start = next((b[0] for b in boundaries if b[1] == PROBLEMS), None)
    if next_spec and NEXT_STEPS not in found_kinds and next_spec.lead_ins:
        begin = problem_start if problem_start is not None else after_opening
        hits = [(m.start(), m.group()) for pat in next_spec.lead_ins for m in pat.finditer(text, begin)]
        if hits:
            offset, words = min(hits)
            next_start = _sentence_start(doc, offset)
            result.append((next_start, NEXT_STEPS, "lead-in", None, words))
    if next_start is None:
        next_start = next((b[0] for b in boundaries if b[1] == NEXT_STEPS), None)
    if prob_spec and PROBLEMS not in found_kinds and prob_spec.lead_ins:
        limit = next_start if next_start is not None else len(text)
        floor = after_opening  # anywhere after the opening (issue 14: lead-ins stood in the first part too)
        hits = [
            (m.start(), m.group()) for pat in prob_spec.lead_ins for m in pat.finditer(text, floor, limit)
        ]
        if hits:
            offset, words = max(hits)
            result.append((_sentence_start(doc, offset), PROBLEMS, "lead-in", None, words))
    return result


#: Words of a heading title that looks ahead: after the problems part, an unknown heading with one
#: of them is the next-steps part (三、几点打算, 四、相关建议, 四、工作要求).
_AHEAD = lazy_pattern(r"打算|计划|思路|措施|举措|建议|方向|安排|要求|重点|目标|设想|对策|努力|改进|今后|下一?步|明年|\d{4}年")
#: A title that still names problems (an item of a problem list written as a top-level heading).
_STILL_PROBLEM = lazy_pattern(r"不够|不足|不到位|不强|不深|不严|不力|欠缺|有待|薄弱|偏差|差距|问题|短板|滞后|松懈")


def _close_problems(boundaries: list, heads: list, specs: list[PartSpec]) -> None:
    """Give the next-steps kind to an unknown top-level heading after the problems / causes part
    whose title looks ahead (see :data:`_AHEAD`), when no heading names the next steps (in place)."""
    kinds = {s.kind for s in specs}
    if NEXT_STEPS not in kinds or any(b[1] == NEXT_STEPS for b in boundaries):
        return
    current = None
    for i, (start, kind, via, para, label) in enumerate(boundaries):
        if kind is not None:
            current = kind
            continue
        if (
            current in (PROBLEMS, "causes")
            and para is not None
            and _AHEAD.search(label)
            and not _STILL_PROBLEM.search(label)
        ):
            boundaries[i] = (start, NEXT_STEPS, via, para, label)
            return


#: A first-level enumerator run into the end of a paragraph's line, after a sentence end.
_RUN_IN_HEADING = lazy_pattern(r"(?<=[。；！？!?;])\s*([一二三四五六七八九十]{1,3}、)([^。；！？!?;：:\n]{2,20})(?=[。：:\n]|$)")


def _run_in_headings(doc: Document, specs: list[PartSpec], found: set[str]) -> list:
    """Boundaries for headings written at the end of the previous paragraph's line
    (``……落到实处。二、存在的问题``) whose title names a part not found yet."""
    result = []
    for m in _RUN_IN_HEADING.finditer(doc.text):
        title = m.group(2).strip()
        kind = classify_heading(title, specs)
        if kind and kind not in found and kind != ACHIEVEMENTS:
            result.append((m.start(1), kind, "heading", None, title))
            found.add(kind)
    return result


#: An inline label at a sentence start: a few words and a colon (存在的不足：, 下一步打算：, 主要问题：).
_LABEL = lazy_pattern(r"(?:^|(?<=[。；！？!?;\n]))[ \t　]*(?:[一二三四五六七八九十]+是)?([\p{Han}、]{2,10})[：:]", regex.M)


#: Where a :data:`_LABEL` match can start: after a sentence end or a line break (a few more line
#: separators than ``^`` knows, to be safe: the pattern itself still decides).
_LABEL_START_AFTER = re.compile("[。；！？!?;\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")


def _label_matches(text: str):
    """``_LABEL.finditer(text)``, trying the pattern only where a match can start (the start of the
    text and after each sentence end or line break) and where a colon follows before the next such
    place (a label holds no sentence end): the same matches, trying the pattern at every character
    cost about 1 ms a report."""
    find, end, pos = text.find, 0, 0
    # the places, one after the other (not listed: 400,000 of them in a report of 12 M characters)
    for stop in chain((m.end() for m in _LABEL_START_AFTER.finditer(text)), (len(text),)):
        # stop: the next place a label can start
        if pos >= end and (find("：", pos, stop) >= 0 or find(":", pos, stop) >= 0):
            m = _LABEL.match(text, pos)
            if m is not None:
                end = m.end()
                yield m
        pos = stop


def _inline_labels(doc: Document, specs: list[PartSpec], boundaries: list) -> list:
    """Boundaries for parts announced by an inline label (``存在问题：……整改措施：……``), for kinds
    no heading names; the label's words must be a part's heading name from its start."""
    found = {b[1] for b in boundaries if b[1]}
    result = []
    for m in _label_matches(doc.text):
        label = m.group(1)
        kind = classify_heading(label, specs, anchored=True)
        if kind and kind not in found and kind != ACHIEVEMENTS:
            result.append((m.start(1), kind, "label", None, label))
            found.add(kind)
    return result

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
   sentence before the next-steps part; next steps: the first after the problems.
3. ``implicit``: text between the opening paragraph and the first other part
   counts as the first kind (achievements) when no heading names it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import regex

from .document import Document, Paragraph, count_chars, sentence_spans

ACHIEVEMENTS = "achievements"
PROBLEMS = "problems"
NEXT_STEPS = "next_steps"


@dataclass
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


@dataclass
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
        """Number of non-whitespace characters in the part's content."""
        return count_chars(self.text(doc))


@dataclass
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
    if doc.text[body_start:first_boundary].strip():
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
    para = doc.paragraph_at(offset)
    start = para.start
    for s, e in sentence_spans(doc.text, para.start, para.end):
        if s <= offset < e:
            return s
        start = s if s <= offset else start
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
        floor = after_opening if next_start is not None else max(after_opening, int(len(text) * 0.6))
        hits = [
            (m.start(), m.group()) for pat in prob_spec.lead_ins for m in pat.finditer(text, floor, limit)
        ]
        if hits:
            offset, words = max(hits)
            result.append((_sentence_start(doc, offset), PROBLEMS, "lead-in", None, words))
    return result

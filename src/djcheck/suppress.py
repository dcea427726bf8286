"""Inline suppression: marker lines in the draft that switch rules off for a stretch of text.

A marker is a line of its own. In Markdown::

    <!-- djcheck-disable placeholder: 样稿中保留“**局”作为示例 -->
    …
    <!-- djcheck-enable -->

In plain text (and Word/WPS, where 【】 is typed with the Chinese input method)::

    【djcheck-disable placeholder：样稿中保留“**局”作为示例】
    …
    【djcheck-enable】

``忽略检查`` / ``恢复检查`` may be written instead of ``djcheck-disable`` /
``djcheck-enable``, ``[ ]`` instead of ``【】``, and either marker form works in
either kind of file. After the keyword come rule ids (separated by spaces,
commas or 、) and, after a colon, the reason. A disable marker without rule ids
covers every rule's located findings; one without a matching enable runs to
the end of the text; ``djcheck-enable`` without ids ends every open marker.

What is suppressed:

- located findings (a placeholder, a wrong word …) of a named rule on the lines
  between the markers;
- a checklist item judged on the whole text (结构, 四种形态 …) when a marker
  names its rule explicitly, wherever it stands (such an item has no single
  place in the text). The item is left out of the checklist and the score.

Suppressed findings and items are counted (``FileResult.suppressed``) and
listed with the marker's line and reason (``FileResult.suppressions``); they are
never dropped silently. Marker lines are blanked (to spaces, so character
offsets stay valid) before the text is checked, so their words count for nothing.
"""

from __future__ import annotations

import bisect
import dataclasses
import re
from dataclasses import field

from .cache import lazy_pattern
from .document import Document
from .model import Finding
from .records import record

_KEYWORD_TEXTS = ("djcheck-disable", "djcheck-enable", "忽略检查", "恢复检查")
_KEYWORDS = "|".join(_KEYWORD_TEXTS)
_MARKERS = [
    lazy_pattern(rf"^\s*<!--\s*(?P<verb>{_KEYWORDS})(?P<rest>.*?)-->\s*$", engine="re"),
    lazy_pattern(rf"^\s*[【\[]\s*(?P<verb>{_KEYWORDS})(?P<rest>[^】\]]*)[】\]]\s*$", engine="re"),
]
_ID = lazy_pattern(r"^[a-z0-9]+(-[a-z0-9]+)*$", engine="re")
ALL = "*"


@record
class Marker:
    """One marker line: ``disable`` or ``enable``, the rule ids it names (empty = all), the reason."""

    line: int
    disable: bool
    rules: tuple[str, ...]
    reason: str


@record
class Span:
    """Lines ``start``–``end`` (1-based, inclusive) where ``rule`` (or every rule, ``*``) is off."""

    rule: str
    start: int
    end: int
    marker: Marker
    count: int = 0


def parse_marker(text: str, line: int) -> Marker | None:
    """The marker on a line of text, or ``None`` when the line is not a marker."""
    for pattern in _MARKERS:
        m = pattern.match(text)
        if m:
            rest = m.group("rest").strip()
            ids, _, reason = (
                re.split(r"([:：])", rest, maxsplit=1) if re.search("[:：]", rest) else (rest, "", "")
            )
            rules = tuple(t for t in re.split(r"[\s,，、;；]+", ids.strip()) if t)
            disable = m.group("verb") in ("djcheck-disable", "忽略检查")
            return Marker(line, disable, rules, reason.strip())
    return None


@record
class Suppressions:
    """The markers of one document and what they have suppressed so far.

    Attributes:
        markers: every marker, in order.
        spans: the stretches each disable marker covers.
        count: findings and checklist items suppressed (grows as rules are filtered).
    """

    markers: list[Marker] = field(default_factory=list)
    spans: list[Span] = field(default_factory=list)
    count: int = 0
    #: Built on first use, once the markers and spans are final (see :meth:`_index`).
    _lookup: dict | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def marker_lines(self) -> set[int]:
        """Lines holding markers (blanked before checking)."""
        return self._index()["lines"]

    def named(self) -> set[str]:
        """Rule ids named by some disable marker."""
        return self._index()["named"]

    def _index(self) -> dict:
        """Marker lines, named rules, and per rule id the spans sorted by start line (with their
        order in :attr:`spans`), so that finding the span of a line is a bisection, not a scan:
        a draft with tens of thousands of markers stays linear."""
        if self._lookup is None:
            by_rule: dict[str, tuple[list[int], list[tuple[int, Span]]]] = {}
            # spans are made in marker order, so each rule's starts come ascending
            for order, span in enumerate(self.spans):
                starts, items = by_rule.setdefault(span.rule, ([], []))
                starts.append(span.start)
                items.append((order, span))
            self._lookup = {
                "lines": {m.line for m in self.markers},
                "named": {r for m in self.markers if m.disable for r in m.rules},
                "spans": by_rule,
                "first": {s.rule: s for s in reversed(self.spans)},
            }
        return self._lookup

    def filter(self, rule, outcome):
        """``outcome`` of ``rule`` with suppressed findings removed; ``None`` when the whole item is suppressed.

        Args:
            rule: the :class:`~djcheck.pack.Rule` that produced ``outcome``.
            outcome: a :class:`~djcheck.checks.Outcome`.
        """
        if not self.markers:
            return outcome  # nothing is suppressed in a draft without markers
        lines = self.marker_lines
        kept: list[Finding] = []
        for f in outcome.findings:
            if f.line in lines:
                continue  # a marker line is not report text
            span = self._span_for(rule.id, f.line)
            if span is None:
                kept.append(f)
            else:
                span.count += 1
                self.count += 1
        if outcome.status not in (None, "ok", "unchecked") and rule.id in self.named():
            span = self._index()["first"][rule.id]
            span.count += 1
            self.count += 1
            return None
        if len(kept) == len(outcome.findings):
            return outcome
        if outcome.status is None or not kept:
            return dataclasses.replace(
                outcome, findings=kept, message="" if outcome.status is None else outcome.message
            )
        return dataclasses.replace(outcome, findings=kept)

    def _span_for(self, rule_id: str, line: int) -> Span | None:
        """The first span (in :attr:`spans` order) of ``rule_id`` or of every rule covering ``line``."""
        best: tuple[int, Span] | None = None
        by_rule = self._index()["spans"]
        for key in (rule_id, ALL):
            entry = by_rule.get(key)
            if entry is None:
                continue
            starts, items = entry
            i = bisect.bisect_right(starts, line) - 1
            # spans of one rule never overlap (a rule's span opens only when none is open),
            # so the one starting last at or before ``line`` is the only candidate
            if i >= 0 and items[i][1].end >= line and (best is None or items[i][0] < best[0]):
                best = items[i]
        return best[1] if best else None

    def records(self) -> list[dict]:
        """JSON records: ``{"rule", "line", "end_line", "reason", "count"}`` for each span, in order."""
        return [
            {
                "rule": s.rule,
                "line": s.marker.line,
                "end_line": s.end,
                "reason": s.marker.reason,
                "count": s.count,
            }
            for s in self.spans
        ]

    def unknown_rules(self, known: set[str]) -> list[tuple[Marker, str]]:
        """Rule ids named by markers that the pack does not have, with their marker."""
        return [(m, r) for m in self.markers for r in m.rules if r not in known]


def scan(doc: Document) -> tuple[Document, Suppressions]:
    """Find the markers in ``doc``.

    Returns:
        ``(clean, suppressions)``: ``clean`` is ``doc`` with every marker line
        replaced by spaces of the same length (offsets, lines and columns are
        unchanged), ready to be checked.
    """
    sup = Suppressions()
    if not any(keyword in doc.text for keyword in _KEYWORD_TEXTS):
        return doc, sup  # a marker line names one of the keywords
    for p in doc.paragraphs:
        if "djcheck" in p.text or "检查" in p.text:
            marker = parse_marker(p.text, p.line)
            if marker:
                sup.markers.append(marker)
    if not sup.markers:
        return doc, sup
    last = len(doc.paragraphs)
    open_spans: dict[str, Span] = {}
    for m in sup.markers:
        targets = m.rules or (ALL,)
        if m.disable:
            for r in targets:
                if r not in open_spans:
                    open_spans[r] = Span(r, m.line, last, m)
                    sup.spans.append(open_spans[r])
        else:
            for r in list(open_spans) if not m.rules else m.rules:
                span = open_spans.pop(r, None)
                if span:
                    span.end = m.line
    lines = sup.marker_lines
    paragraphs = [
        p.replaced(text=" " * len(p.text), heading=None) if p.line in lines else p
        for p in doc.paragraphs
    ]
    clean = dataclasses.replace(doc, text="\n".join(p.text for p in paragraphs), paragraphs=paragraphs)
    return clean, sup


def unknown_rule_findings(doc: Document, sup: Suppressions, pack) -> list[Finding]:
    """A warning finding for each marker that names a rule ``pack`` does not have (the marker does nothing)."""
    known = {r.id for r in pack.rules}
    out = []
    for marker, rid in sup.unknown_rules(known):
        para = doc.paragraphs[marker.line - 1]
        text = para.text
        _, col, _, end_col = doc.locate(para.start, para.end)  # columns of the original line
        what = f"规则编号“{rid}”不合规范" if not _ID.match(rid) else f"规则包“{pack.title}”中没有规则“{rid}”"
        out.append(
            Finding(
                rule="djcheck-disable",
                level="warning",
                message=f"忽略标记无效：{what}，这条标记不起作用（用 djcheck rules list 查看规则编号）",
                line=marker.line,
                col=col,
                end_line=marker.line,
                end_col=end_col,
                match=text.strip(),
                start=doc.paragraphs[marker.line - 1].start,
                end=doc.paragraphs[marker.line - 1].end,
            )
        )
    return out

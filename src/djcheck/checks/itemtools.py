"""Helpers shared by the weak-item checks: pattern lists from options, quoting items, capping evidence."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import cached_property

import regex

from .. import prefilter, safe_regex
from ..document import Document
from ..items import Item
from ..pack import Rule
from ..prefilter import any_of, screen
from .outcome import shorten

#: Most evidence lines one checklist item shows; the rest are summarised in one line.
MAX_EVIDENCE = 8

STRING_LIST = {"type": "array", "items": {"type": "string", "minLength": 1}}


class Patterns(list):
    """A rule's compiled pattern list (a ``list``), with what :func:`spans` and :func:`matches` need
    to scan texts for it quickly, worked out once per list: what each pattern's matches contain
    (:func:`djcheck.prefilter.requirements`) and the alternation of those without (:func:`djcheck.prefilter.any_of`).

    Not to be modified once used: the plan describes the patterns it was built from.
    """

    @cached_property
    def plan(self) -> _Plan:
        return _Plan(self)

    def __getstate__(self):  # the plan is rebuilt after unpickling, not stored
        return None


class _Plan:
    """How to scan a text for a list of patterns.

    Attributes:
        entries: ``(pattern, needs)`` per pattern in list order; ``needs`` is what every match
            contains (:func:`djcheck.prefilter.requirements`), or ``None`` when nothing is known.
        free: how many patterns have ``needs`` ``None``.
        free_joined: the alternation (:func:`djcheck.prefilter.any_of`) of the patterns with ``needs``
            ``None``, when there are two or more of them and they can be joined; else ``None``.
    """

    __slots__ = ("entries", "free", "free_joined")

    def __init__(self, patterns: list[regex.Pattern]):
        self.entries = tuple((p, prefilter.requirements(p.pattern, p.flags)) for p in patterns)
        free = [p for p, needs in self.entries if needs is None]
        self.free = len(free)
        self.free_joined = any_of(free) if len(free) > 1 else None

    def to_scan(self, rule: Rule, text: str) -> list[regex.Pattern]:
        """The patterns that may match in ``text``, in list order (empty when none can).

        A pattern is left out when ``text`` lacks what its matches must contain
        (:func:`djcheck.prefilter.screen`, on requirements looked up once per list). When only
        patterns without known requirements remain, one scan of their alternation first tells
        whether any matches (when some pattern's requirements are met, a match is likely and
        the scan would be lost).

        Raises:
            RuleError: the alternation ran longer than the regex timeout.
        """
        kept = screen(self.entries, text)
        found = [pat for pat, _ in kept]
        present = len(kept) > self.free  # a pattern with requirements is left (the free ones always are)
        joined = self.free_joined
        if not present and joined is not None and len(found) > 1:
            try:
                if safe_regex.search(joined, text, rule.file) is None:
                    return []
            except TimeoutError:
                raise timed_out(rule, joined) from None
        return found


def _plan(patterns: list[regex.Pattern]) -> _Plan:
    """The scanning plan of ``patterns`` (kept on a :class:`Patterns` list, built afresh for a plain list)."""
    return patterns.plan if isinstance(patterns, Patterns) else _Plan(patterns)


def compile_list(rule: Rule, key: str, default: list[str]) -> Patterns:
    """Compile the regex list option ``key`` of ``rule`` (``default`` when absent).

    Raises:
        RuleError: a pattern is invalid (with the option's line in the rule file).
    """
    return Patterns(rule.compile(p, key) for p in rule.options.get(key, default))


def each_match(rule: Rule, patterns: list[regex.Pattern], text: str) -> Iterator[regex.Match]:
    """The matches of ``patterns`` in ``text``: each pattern's non-overlapping matches in turn, in pattern
    order (patterns that cannot match in ``text`` are not run).

    Raises:
        RuleError: a pattern ran longer than the regex timeout.
    """
    for pat in _plan(patterns).to_scan(rule, text):
        try:
            yield from safe_regex.finditer(pat, text, rule.file)
        except TimeoutError:
            raise timed_out(rule, pat) from None


def matches(rule: Rule, patterns: list[regex.Pattern], text: str) -> list[str]:
    """Texts matched by ``patterns`` in ``text``, non-overlapping per pattern, in pattern order.

    Raises:
        RuleError: a pattern ran longer than the regex timeout.
    """
    return [g for m in each_match(rule, patterns, text) if (g := m.group())]


def timed_out(rule: Rule, pattern: regex.Pattern):
    """The :class:`~djcheck.errors.RuleError` for ``pattern`` of ``rule`` running past the timeout."""
    return safe_regex.timeout_error(rule.file, f"规则“{rule.id}”", pattern.pattern, rule.line)


def may_match(rule: Rule, patterns: list[regex.Pattern], text: str) -> bool:
    """``False`` when none of ``patterns`` matches anywhere in ``text`` (one scan of their alternation,
    :func:`djcheck.prefilter.any_of`); ``True`` when one may.

    Raises:
        RuleError: the alternation ran longer than the regex timeout.
    """
    if len(patterns) < 2:
        return bool(patterns)
    joined = any_of(patterns)
    if joined is None:
        return True
    try:
        return safe_regex.search(joined, text, rule.file) is not None
    except TimeoutError:
        raise timed_out(rule, joined) from None


def spans(rule: Rule, patterns: list[regex.Pattern], text: str) -> list[tuple[int, int]]:
    """Distinct non-empty ``(start, end)`` spans matched by ``patterns`` in ``text`` (each pattern's
    non-overlapping matches), sorted, overlapping spans merged.

    Raises:
        RuleError: a pattern ran longer than the regex timeout.
    """
    scan = _plan(patterns).to_scan(rule, text)
    if not scan:
        return []
    found: list[tuple[int, int]] = []
    for pat in scan:
        try:
            found += [m.span() for m in safe_regex.finditer(pat, text, rule.file)]
        except TimeoutError:
            raise timed_out(rule, pat) from None
    found.sort()
    if len(scan) == 1:  # one pattern's matches do not overlap
        return [(s, e) for s, e in found if e > s]
    merged: list[tuple[int, int]] = []
    for s, e in found:
        if e <= s:
            continue
        if merged and s < merged[-1][1]:
            if e > merged[-1][1]:
                merged[-1] = (merged[-1][0], e)
        else:
            merged.append((s, e))
    return merged


def distinct(words: list[str], limit: int = 5) -> str:
    """Up to ``limit`` distinct words, each in “”, in first-occurrence order, with 等 when cut.

    Quoted items are not separated by 、 (GB/T 15834-2011 §4.5.3.5).
    """
    seen = list(dict.fromkeys(words))
    text = "".join(f"“{w}”" for w in seen[:limit])
    return text + ("等" if len(seen) > limit else "")


#: Items :func:`labels` shows before 等.
LABELS = 6
#: Items a check keeps to name a list of them: :func:`labels` of these is that of the whole list.
NAMED = LABELS + 1


def labels(items: list[Item], limit: int = LABELS) -> str:
    """``（一）（三）`` / ``一是、三是`` — the labels of ``items``, with 等 when cut."""
    sep = "" if items and items[0].label[:1] in "（(" else "、"
    text = sep.join(it.label for it in items[:limit])
    return text + ("等" if len(items) > limit else "")


def quote(doc: Document, item: Item, limit: int = 30) -> str:
    """``（四）“干事创业的工作作风和精气神还不够”`` — the item's label and shortened gist."""
    return f"{item.label}“{shorten(item.title(doc), limit)}”"


def cap(lines: list[str], limit: int = MAX_EVIDENCE, total: int | None = None) -> list[str]:
    """``lines`` cut to ``limit`` entries, the last one saying how many were left out.

    ``total``: how many lines there are in all when ``lines`` holds only the first of them (at
    least ``limit``, or all: what :class:`Firsts` keeps).
    """
    total = len(lines) if total is None else total
    if total <= limit:
        return lines
    return lines[: limit - 1] + [f"……另有 {total - limit + 1} 条未列出"]


class Firsts:
    """The first ``limit`` of many things (each made only when kept) and how many there were in all.

    A check that judges every item of a part writes an evidence line per item and lists the items
    of each verdict; a report of millions of characters has tens of thousands of items, and the
    lines (with the titles they quote, which the items keep) took megabytes to show eight.
    Evidence lines go in groups of :data:`MAX_EVIDENCE` (what :func:`cap` can show; :func:`capped`
    puts groups together); items to name, in groups of as many as the message names.
    """

    __slots__ = ("kept", "count", "limit")

    def __init__(self, limit: int = MAX_EVIDENCE) -> None:
        self.kept: list = []
        self.count = 0
        self.limit = limit

    def add(self, make: Callable, *args) -> None:
        """Count one more thing; make it (``make(*args)``) and keep it when it is among the first."""
        if self.count < self.limit:
            self.kept.append(make(*args))
        self.count += 1

    def keep(self, thing) -> None:
        """Count ``thing`` and keep it when it is among the first."""
        if self.count < self.limit:
            self.kept.append(thing)
        self.count += 1


def capped(*groups: Firsts) -> list[str]:
    """:func:`cap` of the evidence lines of ``groups`` (of :data:`MAX_EVIDENCE` each) one after the
    other, as if every line had been made."""
    lines = [line for group in groups for line in group.kept]
    return cap(lines, MAX_EVIDENCE, sum(group.count for group in groups))

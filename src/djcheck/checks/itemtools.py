"""Helpers shared by the weak-item checks: pattern lists from options, quoting items, capping evidence."""

from __future__ import annotations

import regex

from .. import rx
from ..document import Document
from ..items import Item
from ..pack import Rule
from ..rx import any_of
from . import shorten
from .pattern import timed_out

#: Most evidence lines one checklist item shows; the rest are summarised in one line.
MAX_EVIDENCE = 8

STRING_LIST = {"type": "array", "items": {"type": "string", "minLength": 1}}


def compile_list(rule: Rule, key: str, default: list[str]) -> list[regex.Pattern]:
    """Compile the regex list option ``key`` of ``rule`` (``default`` when absent).

    Raises:
        RuleError: a pattern is invalid (with the option's line in the rule file).
    """
    return [rule.compile(p, key) for p in rule.options.get(key, default)]


def matches(rule: Rule, patterns: list[regex.Pattern], text: str) -> list[str]:
    """Texts matched by ``patterns`` in ``text``, non-overlapping per pattern, in pattern order.

    Raises:
        RuleError: a pattern ran longer than the regex timeout.
    """
    found: list[str] = []
    if not may_match(rule, patterns, text):
        return found
    for pat in patterns:
        if not _may_contain(pat, text):
            continue
        try:
            found.extend(g for m in rx.finditer(pat, text, rule.file) if (g := m.group()))
        except TimeoutError:
            raise timed_out(rule, pat) from None
    return found


def _may_contain(pat: regex.Pattern, text: str) -> bool:
    """``False`` when ``text`` lacks every text a match of ``pat`` must contain (:func:`djcheck.rx.required_literals`)."""
    need = rx.required_for(pat)
    return need is None or any(lit in text for lit in need)


def may_match(rule: Rule, patterns: list[regex.Pattern], text: str) -> bool:
    """``False`` when none of ``patterns`` matches anywhere in ``text`` (one scan of their alternation,
    :func:`djcheck.rx.any_of`); ``True`` when one may.

    Raises:
        RuleError: the alternation ran longer than the regex timeout.
    """
    if len(patterns) < 2:
        return bool(patterns)
    joined = any_of(patterns)
    if joined is None:
        return True
    try:
        return rx.search(joined, text, rule.file) is not None
    except TimeoutError:
        raise timed_out(rule, joined) from None


def spans(rule: Rule, patterns: list[regex.Pattern], text: str) -> list[tuple[int, int]]:
    """Distinct ``(start, end)`` spans matched by ``patterns`` in ``text``, overlapping spans merged."""
    found: set[tuple[int, int]] = set()
    if not may_match(rule, patterns, text):
        return []
    for pat in patterns:
        if not _may_contain(pat, text):
            continue
        try:
            found.update(m.span() for m in rx.finditer(pat, text, rule.file) if m.end() > m.start())
        except TimeoutError:
            raise timed_out(rule, pat) from None
    raw = sorted(found)
    merged: list[tuple[int, int]] = []
    for s, e in raw:
        if merged and s < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
        else:
            merged.append((s, e))
    return merged


def distinct(words: list[str], limit: int = 5) -> str:
    """Up to ``limit`` distinct words, each in “”, in first-occurrence order, with 等 when cut.

    Quoted items are not separated by 、 (GB/T 15834-2011 §4.5.3.5).
    """
    seen: list[str] = []
    for w in words:
        if w not in seen:
            seen.append(w)
    text = "".join(f"“{w}”" for w in seen[:limit])
    return text + ("等" if len(seen) > limit else "")


def labels(items: list[Item], limit: int = 6) -> str:
    """``（一）（三）`` / ``一是、三是`` — the labels of ``items``, with 等 when cut."""
    sep = "" if items and items[0].label[:1] in "（(" else "、"
    text = sep.join(it.label for it in items[:limit])
    return text + ("等" if len(items) > limit else "")


def quote(doc: Document, item: Item, limit: int = 30) -> str:
    """``（四）“干事创业的工作作风和精气神还不够”`` — the item's label and shortened gist."""
    return f"{item.label}“{shorten(item.title(doc), limit)}”"


def cap(lines: list[str], limit: int = MAX_EVIDENCE) -> list[str]:
    """``lines`` cut to ``limit`` entries, the last one saying how many were left out."""
    if len(lines) <= limit:
        return lines
    return lines[: limit - 1] + [f"……另有 {len(lines) - limit + 1} 条未列出"]

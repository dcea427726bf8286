"""Regex helpers that make many patterns cheap without changing what they match.

- :func:`any_of`: one alternation of a list of patterns, used to skip the whole
  list when none of them can match (``(?:p1)|(?:p2)|…`` matches at a position
  exactly when one of the patterns matches there, lookarounds included, since
  every alternative is tried at that position of the same text);
- :func:`is_literal`: whether a pattern is plain text, so that ``in`` and
  ``str.count`` can stand in for a regex scan.
"""

from __future__ import annotations

import re

import regex

#: Pattern syntax that refers to groups by number or name: such patterns cannot be joined in one alternation.
_GROUP_REFS = re.compile(r"\\[1-9]|\\g<|\(\?P=|\(\?&|\(\?[+-]?\d|\(\?R")

_ANY: dict[tuple, regex.Pattern | None] = {}
_LITERAL: dict[str, bool] = {}


def any_of(patterns: list[regex.Pattern]) -> regex.Pattern | None:
    """The alternation ``(?:p1)|(?:p2)|…`` of compiled ``patterns`` (built once per distinct list).

    It matches somewhere in a text exactly when one of the patterns does.
    ``None`` when that cannot be guaranteed: group references (``\\1``,
    ``(?P=name)``, recursion), patterns compiled with different flags, or no patterns.
    """
    key = tuple((p.pattern, p.flags) for p in patterns)
    if key not in _ANY:
        joined = None
        if patterns and len({p.flags for p in patterns}) == 1 and not any(_GROUP_REFS.search(p.pattern) for p in patterns):
            try:
                joined = regex.compile("|".join(f"(?:{p.pattern})" for p in patterns), patterns[0].flags)
            except regex.error:
                joined = None
        _ANY[key] = joined
    return _ANY[key]


def is_literal(source: str) -> bool:
    """Whether the pattern ``source`` matches only the text ``source`` itself (no special characters)."""
    found = _LITERAL.get(source)
    if found is None:
        found = _LITERAL[source] = bool(source) and regex.escape(source, special_only=True) == source
    return found

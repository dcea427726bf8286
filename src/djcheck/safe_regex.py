"""Regular expressions from rule packs, bounded in time.

A pack may come from another office, and one careless pattern such as
``(a+)+$`` backtracks for hours on a long line. Every pattern such a pack
defines (rule options, ``parts:`` headings and lead-ins, ``detect:``) is run
with the ``regex`` module's ``timeout`` (:data:`REGEX_TIMEOUT` seconds): rule
and part patterns are compiled into a :class:`GuardedPattern` (see
:func:`guard`), and a pattern that runs out of time raises
:class:`~djcheck.errors.RuleError` naming the pack file, the line and the rule
(or pack key) it belongs to. The check of that draft stops with that one
message; the other drafts of the run are still checked.

The bundled packs (``rules/``, see :func:`djcheck.paths.bundled_dir`) are part of the program: their patterns
are reviewed, run on long pathological lines and fuzzed by the tests, and are
left unguarded, because the timeout bookkeeping slows the ``regex`` engine down
by up to 80 % per call (the checks that have always passed a timeout still do).
"""

from __future__ import annotations

import regex

from .errors import RuleError
from .paths import is_bundled

#: Seconds one pattern may run on one document (one call) before it is reported as too slow.
REGEX_TIMEOUT = 2.0


class GuardedPattern:
    """A compiled pattern whose every match runs under :data:`REGEX_TIMEOUT`.

    Offers the matching methods of a compiled ``regex`` pattern (``search``,
    ``match``, ``fullmatch``, ``finditer``, ``findall``, ``sub``, ``subn``,
    ``split``) with the same arguments; an explicit ``timeout=`` argument wins.

    Args:
        compiled: the compiled ``regex`` pattern.
        file / line: where the pattern is defined (pack file, 1-based line).
        owner: who uses it, in Chinese: ``规则“four-forms”`` or ``parts.problems.headings``.

    Raises (from every matching method):
        RuleError: the pattern ran longer than the timeout.
    """

    __slots__ = ("compiled", "file", "line", "owner")

    def __init__(self, compiled: regex.Pattern, *, file: str = "", line: int | None = None, owner: str = ""):
        self.compiled = compiled
        self.file = file
        self.line = line
        self.owner = owner

    def __repr__(self) -> str:
        return f"GuardedPattern({self.compiled.pattern!r}, owner={self.owner!r})"

    @property
    def pattern(self) -> str:
        return self.compiled.pattern

    @property
    def flags(self) -> int:
        return self.compiled.flags

    @property
    def groups(self) -> int:
        return self.compiled.groups

    @property
    def groupindex(self):
        return self.compiled.groupindex

    def timed_out(self) -> RuleError:
        """The error for this pattern running out of time."""
        return timeout_error(self.file, self.owner, self.compiled.pattern, self.line)

    def _call(self, method, args, kwargs):
        kwargs.setdefault("timeout", REGEX_TIMEOUT)
        try:
            return method(*args, **kwargs)
        except TimeoutError:
            raise self.timed_out() from None

    def search(self, *args, **kwargs):
        return self._call(self.compiled.search, args, kwargs)

    def match(self, *args, **kwargs):
        return self._call(self.compiled.match, args, kwargs)

    def fullmatch(self, *args, **kwargs):
        return self._call(self.compiled.fullmatch, args, kwargs)

    def findall(self, *args, **kwargs):
        return self._call(self.compiled.findall, args, kwargs)

    def sub(self, *args, **kwargs):
        return self._call(self.compiled.sub, args, kwargs)

    def subn(self, *args, **kwargs):
        return self._call(self.compiled.subn, args, kwargs)

    def split(self, *args, **kwargs):
        return self._call(self.compiled.split, args, kwargs)

    def finditer(self, *args, **kwargs):
        """Like ``regex.Pattern.finditer``; the timeout covers the whole iteration."""
        kwargs.setdefault("timeout", REGEX_TIMEOUT)
        try:
            yield from self.compiled.finditer(*args, **kwargs)
        except TimeoutError:
            raise self.timed_out() from None


def timeout_error(
    file: str | None, owner: str, pattern: str | None, line: int | None = None, seconds: float | None = -1.0
) -> RuleError:
    """The :class:`RuleError` for ``pattern`` (used by ``owner``, defined in ``file`` at ``line``) running out
    of time; ``seconds`` is the limit it had (default :data:`REGEX_TIMEOUT`; ``None``: not known)."""
    who = f"{owner}：" if owner else ""
    what = f"正则“{pattern}”" if pattern is not None else "其中的一个正则"
    limit = REGEX_TIMEOUT if seconds is not None and seconds < 0 else seconds
    took = f"运行超过 {limit:g} 秒仍未结束" if limit is not None else "运行超时"
    return RuleError(
        file or None,
        f"{who}{what}{took}（可能存在灾难性回溯，如 (a+)+ 这样的嵌套重复），已停止检查这份文件：请简化该正则。",
        line,
    )


def timeout_for(file: str | None) -> float | None:
    """The ``timeout=`` to pass when matching a pattern from pack file ``file`` (``None`` for a bundled pack)."""
    return None if is_bundled(file) else REGEX_TIMEOUT


def guard(compiled: regex.Pattern, *, file: str, line: int | None, owner: str):
    """``compiled`` as it is for a bundled pack, else wrapped in a :class:`GuardedPattern`."""
    if is_bundled(file):
        return compiled
    return GuardedPattern(compiled, file=file, line=line, owner=owner)

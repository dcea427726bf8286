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

This module is the one place for that policy:

- :data:`REGEX_FLAGS` and :func:`compile_user_pattern`: how a pattern written in a pack, a
  configuration or a data file is compiled (``\\b`` refused, errors at file:line);
- :data:`REGEX_TIMEOUT`, :func:`timeout_error`: the one limit and the one message;
- :func:`guard` / :func:`timeout_for`: a pack's patterns, wrapped unless the pack is bundled;
- :func:`needs_timeout`, :func:`finditer`, :func:`search`: djcheck's own (bundled) patterns run
  without the timeout on texts of at most :data:`UNGUARDED_CHARS` characters;
- :func:`file_budget`, :func:`run`, :func:`iterate`: one time budget per file (:data:`FILE_BUDGET`
  seconds) shared by every pattern that is not bundled. The per-call timeout alone does not bound a
  file: a pattern taking 1.9 s on each of 36 lines (a ``parts`` heading is searched line by line)
  ran 68 s on a 3 KB draft. Inside :func:`file_budget` (set by :meth:`djcheck.runner.Session.check`
  and :func:`djcheck.engine.check_document`) each such call is given the smaller of
  :data:`REGEX_TIMEOUT` and what is left of the budget, its time is charged to it, and a call
  made with the budget spent fails at once; :func:`timeout_error` then says so.
"""

from __future__ import annotations

import time
from contextlib import contextmanager
from contextvars import ContextVar

import regex

from .errors import RuleError
from .paths import is_bundled

#: Flags for every pattern a pack, configuration or data file defines: VERSION1 gives full Unicode set operations.
REGEX_FLAGS = regex.VERSION1
#: Seconds one pattern may run on one document (one call) before it is reported as too slow.
REGEX_TIMEOUT = 2.0
#: Texts of at most this many characters are scanned by djcheck's own patterns without the timeout.
UNGUARDED_CHARS = 1000
#: Seconds that all patterns from packs, configurations and data files that are not bundled may run,
#: together, on one file (see :func:`file_budget`).
FILE_BUDGET = 10.0


def compile_user_pattern(
    source: str, *, file: str | None, line: int | None, owner: str, flags: int = REGEX_FLAGS
) -> regex.Pattern:
    """Compile a pattern written by a user (a rule pack, a configuration, a data file).

    Args:
        source: the pattern as written.
        file / line: where it is written (1-based line; ``None`` when not known), for the error.
        owner: who uses it, in Chinese, put before the message: ``规则“four-forms”``, ``parts.problems.headings``.
        flags: ``regex`` flags (default :data:`REGEX_FLAGS`).

    Returns:
        The compiled ``regex`` pattern (not bounded in time: see :func:`guard`).

    Raises:
        RuleError: at ``file``:``line``, when ``source`` holds ``\\b`` (a word boundary, which means
            nothing useful between Chinese characters) or is not a valid pattern.
    """
    who = f"{owner}：" if owner else ""
    if "\\b" in source:
        raise RuleError(
            file or None, f"{who}正则“{source}”含有 \\b，在中文里不起作用，请改用明确的字符或前后文。", line
        )
    try:
        return regex.compile(source, flags)
    except regex.error as exc:
        raise RuleError(file or None, f"{who}正则“{source}”写错了：{exc}", line) from None


class _Budget:
    """One file's budget: ``seconds`` in all, ``left`` (seconds), ``spent`` once a call ran out of it."""

    __slots__ = ("left", "seconds", "spent")

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.left = seconds
        self.spent = False


_BUDGET: ContextVar[_Budget | None] = ContextVar("djcheck_regex_budget", default=None)


@contextmanager
def file_budget(seconds: float | None = None):
    """Run the block with one time budget (``seconds``, default :data:`FILE_BUDGET`) for every call of
    :func:`run` and :func:`iterate`, i.e. for all patterns that are not bundled.

    Nested uses share the outermost budget (a file checked by the runner, then by
    :func:`djcheck.engine.check_document`, has one budget, not two). Contexts are per thread and
    per task, so two files checked at once (``djcheck serve``) do not share one.
    """
    if _BUDGET.get() is not None:
        yield
        return
    token = _BUDGET.set(_Budget(FILE_BUDGET if seconds is None else seconds))
    try:
        yield
    finally:
        _BUDGET.reset(token)


def _limit(budget: _Budget | None, timeout: float | None) -> tuple[float, bool]:
    """The ``timeout=`` for the next guarded call — ``timeout`` (default :data:`REGEX_TIMEOUT`), no more
    than what is left of ``budget`` — and whether the budget is what limits it.

    Raises:
        TimeoutError: the budget is spent (marked, so that :func:`timeout_error` says so).
    """
    limit = REGEX_TIMEOUT if timeout is None else timeout
    if budget is None:
        return limit, False
    if budget.left <= 0:
        budget.spent = True
        raise TimeoutError("djcheck: the file's regex budget is spent")
    return (budget.left, True) if budget.left < limit else (limit, False)


def run(method, *args, timeout: float | None = None, **kwargs):
    """``method(*args, **kwargs)`` (a compiled pattern's ``search``, ``match``, ``sub`` …) under the
    timeout and the file's budget (see :func:`file_budget`); its time is charged to the budget.

    Raises:
        TimeoutError: the call ran out of time, or the budget was already spent.
    """
    budget = _BUDGET.get()
    limit, by_budget = _limit(budget, timeout)
    if budget is None:
        return method(*args, timeout=limit, **kwargs)
    started = time.perf_counter()
    try:
        return method(*args, timeout=limit, **kwargs)
    except TimeoutError:
        budget.spent = budget.spent or by_budget
        raise
    finally:
        budget.left -= time.perf_counter() - started


def iterate(finditer, *args, timeout: float | None = None, **kwargs):
    """Like :func:`run` for a ``finditer`` method: yields its matches; the time of each step is charged
    to the file's budget, and the iteration stops with :class:`TimeoutError` once it is spent.

    The ``regex`` module applies ``timeout=`` to each step of a ``finditer``, not to the whole
    iteration, so a step may overrun the budget by at most :data:`REGEX_TIMEOUT`.
    """
    budget = _BUDGET.get()
    limit, by_budget = _limit(budget, timeout)
    matches = finditer(*args, timeout=limit, **kwargs)
    if budget is None:
        yield from matches
        return
    while True:
        started = time.perf_counter()
        try:
            m = next(matches, None)
        except TimeoutError:
            budget.spent = budget.spent or by_budget
            raise
        finally:
            budget.left -= time.perf_counter() - started
        if m is None:
            return
        yield m
        if budget.left <= 0:
            budget.spent = True
            raise TimeoutError("djcheck: the file's regex budget is spent")


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
        try:
            return run(method, *args, **kwargs)
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
        """Like ``regex.Pattern.finditer``, each step under the timeout and the file's budget."""
        try:
            yield from iterate(self.compiled.finditer, *args, **kwargs)
        except TimeoutError:
            raise self.timed_out() from None


def timeout_error(
    file: str | None, owner: str, pattern: str | None, line: int | None = None, seconds: float | None = -1.0
) -> RuleError:
    """The :class:`RuleError` for ``pattern`` (used by ``owner``, defined in ``file`` at ``line``) running out
    of time; ``seconds`` is the limit it had (default :data:`REGEX_TIMEOUT`; ``None``: not known)."""
    who = f"{owner}：" if owner else ""
    what = f"正则“{pattern}”" if pattern is not None else "其中的一个正则"
    budget = _BUDGET.get()
    if budget is not None and budget.spent:  # the file's budget ran out, not this call's own limit
        took = f"运行时，这份文件上非自带规则的正则累计已超过 {budget.seconds:g} 秒"
    else:
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


def needs_timeout(file: str | None, text: str) -> bool:
    """Whether a pattern defined in ``file`` must run under the timeout on ``text``.

    The timeout (which costs a few microseconds a call, more than scanning a
    short item) guards against patterns that backtrack catastrophically. Patterns
    shipped in djcheck's own rule folder are vetted: none nests unbounded
    repeats, so their worst case grows with the square of the text's length,
    a fraction of a second at :data:`UNGUARDED_CHARS` characters
    (``tests/test_prefilter.py`` runs every one of them on adversarial text of that
    length). Items of a report are shorter than that; whole reports, and
    patterns from any other file (an organisation's pack or configuration),
    keep the timeout.
    """
    return len(text) > UNGUARDED_CHARS or not is_bundled(file)


def timeout_within(file: str | None, chars: int) -> float | None:
    """The ``timeout=`` for a pattern defined in ``file`` scanning ``chars`` characters (a window of a
    text): ``None`` under :func:`needs_timeout`'s rule (bundled, at most :data:`UNGUARDED_CHARS`),
    else :data:`REGEX_TIMEOUT`."""
    return None if chars <= UNGUARDED_CHARS and is_bundled(file) else REGEX_TIMEOUT


def finditer(
    pattern: regex.Pattern, text: str, file: str | None, pos: int | None = None, endpos: int | None = None
):
    """``pattern.finditer(text, pos, endpos)``, under the timeout when :func:`needs_timeout` says so, and
    charged to the file's budget (:func:`iterate`) when ``file`` is not bundled.

    Raises:
        TimeoutError: the pattern ran past :data:`REGEX_TIMEOUT` seconds (a :class:`GuardedPattern`
            raises its :class:`RuleError` instead).
    """
    if not needs_timeout(file, text):
        return pattern.finditer(text, pos, endpos)
    if isinstance(pattern, GuardedPattern):
        return pattern.finditer(text, pos, endpos)
    if not is_bundled(file):
        return iterate(pattern.finditer, text, pos, endpos)
    return pattern.finditer(text, pos, endpos, timeout=REGEX_TIMEOUT)


def search(pattern: regex.Pattern, text: str, file: str | None):
    """``pattern.search(text)``, under the timeout when :func:`needs_timeout` says so, and charged to the
    file's budget (:func:`run`) when ``file`` is not bundled.

    Raises:
        TimeoutError: the pattern ran past :data:`REGEX_TIMEOUT` seconds (a :class:`GuardedPattern`
            raises its :class:`RuleError` instead).
    """
    if not needs_timeout(file, text):
        return pattern.search(text)
    if isinstance(pattern, GuardedPattern):
        return pattern.search(text)
    if not is_bundled(file):
        return run(pattern.search, text)
    return pattern.search(text, timeout=REGEX_TIMEOUT)

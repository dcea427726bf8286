"""Regex helpers that make many patterns cheap without changing what they match.

- :func:`compile`: ``regex.compile`` through a per-user store of compiled
  patterns (the ``regex`` module pickles a pattern with its compiled code, so
  reading it back takes microseconds where compiling takes up to a millisecond;
  a run compiles a few dozen fixed patterns, about 30 ms);
- :func:`any_of`: one alternation of a list of patterns, used to skip the whole
  list when none of them can match (``(?:p1)|(?:p2)|…`` matches at a position
  exactly when one of the patterns matches there, lookarounds included, since
  every alternative is tried at that position of the same text);
- :func:`is_literal`: whether a pattern is plain text, so that ``in`` and
  ``str.count`` can stand in for a regex scan;
- :func:`required_literals`: texts one of which every match must contain, so
  that a text holding none of them need not be scanned;
- :func:`finditer` / :func:`search`: a rule's pattern run under the regex
  timeout (:data:`djcheck.pack.REGEX_TIMEOUT`) unless it is one of djcheck's
  own, vetted patterns and the text is short (see :func:`needs_timeout`).
"""

from __future__ import annotations

import re

import regex

from . import pack as _pack

#: Pattern syntax that refers to groups by number or name: such patterns cannot be joined in one alternation.
_GROUP_REFS = re.compile(r"\\[1-9]|\\g<|\(\?P=|\(\?&|\(\?[+-]?\d|\(\?R")

_ANY: dict[tuple, regex.Pattern | None] = {}

#: Most patterns kept in the store (an organisation's packs add theirs; beyond this, new ones are not kept).
STORE_LIMIT = 4000
_store: dict[tuple[str, int], regex.Pattern] | None = None
_store_dirty = False


def _store_file():
    import sys

    from .cache import CACHE_FORMAT, trusted_cache_dir

    folder = trusted_cache_dir()
    if folder is None:
        return None
    tag = f"{regex.__version__}-py{sys.version_info[0]}{sys.version_info[1]}-{CACHE_FORMAT}"
    return folder / f"regex-{tag}.pickle"


def _load_store() -> dict:
    global _store
    if _store is None:
        _store = {}
        try:
            file = _store_file()
            from .cache import _owned_file

            if file is not None and _owned_file(file):
                import pickle

                data = pickle.loads(file.read_bytes())
                if isinstance(data, dict):
                    _store = {k: v for k, v in data.items() if isinstance(v, regex.Pattern)}
        except Exception:  # noqa: BLE001 - a damaged or foreign store is simply not used
            _store = {}
    return _store


def _save_store() -> None:
    if not _store_dirty or _store is None:
        return
    try:
        import pickle

        from .cache import write_atomic

        file = _store_file()
        if file is not None:
            write_atomic(file, pickle.dumps(_store, protocol=pickle.HIGHEST_PROTOCOL))
    except Exception:  # noqa: BLE001 - the store is an optimisation only
        pass


def compile(source: str, flags: int = 0) -> regex.Pattern:  # noqa: A001 - mirrors regex.compile
    """``regex.compile(source, flags)``, read from the per-user store when compiled by an earlier run.

    The store (in :func:`djcheck.cache.trusted_cache_dir`, keyed by the versions
    of ``regex`` and Python) is written when the process exits if it gained
    patterns. Same result and errors as ``regex.compile``.
    """
    global _store_dirty
    store = _load_store()
    key = (source, flags)
    found = store.get(key)
    if found is None:
        found = regex.compile(source, flags)
        if len(store) < STORE_LIMIT:
            store[key] = found
            if not _store_dirty:
                import atexit

                atexit.register(_save_store)
                _store_dirty = True
    return found
_LITERAL: dict[str, bool] = {}


def can_join(pattern: regex.Pattern) -> bool:
    """Whether ``pattern`` can be one alternative of :func:`any_of` (it refers to no group)."""
    return not _GROUP_REFS.search(pattern.pattern)


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
                joined = compile("|".join(f"(?:{p.pattern})" for p in patterns), patterns[0].flags)
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


_SPECIAL = set(".^$*+?{}[]\\|()")
_REQUIRED: dict[str, tuple[str, ...] | None] = {}


def required_literals(source: str) -> tuple[str, ...] | None:
    """Plain texts such that every match of the pattern ``source`` contains one of them, or ``None``.

    Only simple shapes are recognised (anything else gives ``None``): literal
    alternatives ``监督执纪问责|执纪问责``, and a literal start followed by
    anything ``同志们[，,！!：:]`` / ``第一责任人?`` (the start up to the first
    special character, less the character a quantifier applies to).
    """
    if source in _REQUIRED:
        return _REQUIRED[source]
    found: tuple[str, ...] | None
    if "|" in source and not any(ch in source for ch in "()[]\\"):
        alternatives = source.split("|")
    elif "|" in source:
        alternatives = []
    else:
        alternatives = [source]
    heads = []
    for alt in alternatives:
        cut = next((i for i, ch in enumerate(alt) if ch in _SPECIAL), len(alt))
        head = alt[:cut]
        if cut < len(alt) and alt[cut] in "?*+{":
            head = head[:-1]
        heads.append(head)
    found = tuple(heads) if heads and all(heads) else None
    _REQUIRED[source] = found
    return found


#: Texts of at most this many characters are scanned by djcheck's own patterns without the timeout.
UNGUARDED_CHARS = 1000

_GUARDED: dict[str, bool] = {}


def needs_timeout(file: str | None, text: str) -> bool:
    """Whether a pattern defined in ``file`` must run under the timeout on ``text``.

    The timeout (which costs a few microseconds a call, more than scanning a
    short item) guards against patterns that backtrack catastrophically. Patterns
    shipped in djcheck's own rule folder are vetted: none nests unbounded
    repeats, so their worst case grows with the square of the text's length,
    a fraction of a second at :data:`UNGUARDED_CHARS` characters
    (``tests/test_rx.py`` runs every one of them on adversarial text of that
    length). Items of a report are shorter than that; whole reports, and
    patterns from any other file (an organisation's pack or configuration),
    keep the timeout.
    """
    if len(text) > UNGUARDED_CHARS:
        return True
    if not file:
        return True
    found = _GUARDED.get(file)
    if found is None:
        from pathlib import Path

        from .pack import bundled_dir

        try:
            inside = Path(file).resolve().is_relative_to(bundled_dir().resolve())
        except (OSError, ValueError):
            inside = False
        found = _GUARDED[file] = not inside
    return found


def finditer(pattern: regex.Pattern, text: str, file: str | None, pos: int | None = None, endpos: int | None = None):
    """``pattern.finditer(text, pos, endpos)``, under the timeout when :func:`needs_timeout` says so.

    Raises:
        TimeoutError: the pattern ran past :data:`djcheck.pack.REGEX_TIMEOUT` seconds.
    """
    if needs_timeout(file, text):
        return pattern.finditer(text, pos, endpos, timeout=_pack.REGEX_TIMEOUT)
    return pattern.finditer(text, pos, endpos)


def search(pattern: regex.Pattern, text: str, file: str | None):
    """``pattern.search(text)``, under the timeout when :func:`needs_timeout` says so.

    Raises:
        TimeoutError: the pattern ran past :data:`djcheck.pack.REGEX_TIMEOUT` seconds.
    """
    if needs_timeout(file, text):
        return pattern.search(text, timeout=_pack.REGEX_TIMEOUT)
    return pattern.search(text)

"""Screening primitives: cheap tests that tell which patterns need not run on a text, without
changing what any pattern matches. One copy of each; every one is checked against the plain scan
it replaces (``tests/test_prefilter.py``), and ``benchmarks/ablation.py`` measures what it buys.

- :func:`any_of`: one alternation of a list of patterns, used to skip the whole
  list when none of them can match (``(?:p1)|(?:p2)|…`` matches at a position
  exactly when one of the patterns matches there, lookarounds included, since
  every alternative is tried at that position of the same text);
- :func:`is_literal`: whether a pattern is plain text, so that ``in`` and
  ``str.count`` can stand in for a regex scan;
- :func:`required_literals`: texts one of which every match must contain, so
  that a text holding none of them need not be scanned;
- :func:`requirements`: everything a match must contain, per alternative
  (texts and characters), for a finer test: :func:`may_contain` (one pattern) and
  :func:`screen` (a list of patterns with their requirements looked up beforehand);
- :class:`LiteralScreen`: which of a fixed set of texts occur in a text, and the
  matches of patterns made of plain alternatives, in one scan.

Compiled patterns are read from the per-user store (:func:`djcheck.cache.compile_regex`); when a
pattern runs under the regex timeout is decided in :mod:`djcheck.safe_regex`.
"""

from __future__ import annotations

import re
from typing import Any

import regex

from .cache import compile_regex, lazy_pattern

#: Pattern syntax that refers to groups by number or name: such patterns cannot be joined in one alternation.
_GROUP_REFS = lazy_pattern(r"\\[1-9]|\\g<|\(\?P=|\(\?&|\(\?[+-]?\d|\(\?R", engine="re")

_ANY: dict[tuple, regex.Pattern | None] = {}

_LITERAL: dict[str, bool] = {}


def any_of(patterns: list[regex.Pattern]) -> regex.Pattern | None:
    """The alternation ``(?:p1)|(?:p2)|…`` of compiled ``patterns`` (built once per distinct list of sources;
    callers keep it for a list they reuse).

    It matches somewhere in a text exactly when one of the patterns does.
    ``None`` when that cannot be guaranteed: group references (``\\1``,
    ``(?P=name)``, recursion), patterns compiled with different flags, or no patterns.
    """
    key = tuple((p.pattern, p.flags) for p in patterns)
    if key not in _ANY:
        joined = None
        if (
            patterns
            and len({p.flags for p in patterns}) == 1
            and not any(_GROUP_REFS.search(p.pattern) for p in patterns)
        ):
            try:
                joined = compile_regex("|".join(f"(?:{p.pattern})" for p in patterns), patterns[0].flags)
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


_REQUIRED: dict[tuple[str, int], tuple[str, ...] | None] = {}
#: Escaped characters that stand for themselves (``\.``, ``\(`` …); any other escape is a class or an assertion.
_LITERAL_ESCAPES = set(".^$*+?{}[]()|\\/-—、，。：；！？“”《》（）#&~ ")


def required_literals(source: str, flags: int = 0) -> tuple[str, ...] | None:
    """Plain texts such that every match of the pattern ``source`` contains one of them, or ``None``.

    For each top-level alternative, the longest run of characters that every
    match must contain in a row (``[弛持]而不息`` → ``而不息``, ``(?:党的)?十九大精神`` →
    ``十九大精神``, ``截止(?=…)`` → ``截止``); ``None`` when an alternative has none or
    the pattern uses anything this reading does not follow (inline flags, case-
    insensitive or verbose ``flags``, a ``[`` inside a character class).
    """
    key = (source, flags)
    if key not in _REQUIRED:
        try:
            found = None if flags & (regex.IGNORECASE | regex.VERBOSE) else _required(source)
        except _Unsure:
            found = None
        _REQUIRED[key] = found
    return _REQUIRED[key]


class LiteralScreen:
    """Which of a fixed set of plain texts occur in a text, and the matches of patterns made of plain
    alternatives (``a|b|…``), found in one scan.

    Built once per set (per compiled rule, per set of candidate packs), then asked once per document:

    - :meth:`present` equals ``{t for t in literals if t in text}``;
    - :meth:`matches_by_pattern` also gives each pattern's matches as ``finditer`` finds them.

    The scan is one stdlib alternation of the texts, factored by their common prefixes
    (:func:`_trie_source`), searched again one character after each match's start so that
    overlapping occurrences are seen. At a position it matches the longest text that starts
    there; every other text starting there is a prefix of that one, and is added with it.
    Walking these positions left to right and taking, for each pattern, its first alternative
    that starts there, unless an earlier match of the same pattern still runs, gives the
    pattern's matches as ``finditer`` finds them (leftmost, without overlaps, the first
    alternative winning a tie).

    Args:
        literals: texts to report when present (empty ones are ignored).
        patterns: pattern source → its alternatives in order (each a non-empty plain text).
    """

    def __init__(self, literals=(), patterns: dict[str, list[str]] | None = None):
        patterns = patterns or {}
        texts = sorted(
            {lit for lit in literals if lit} | {a for alts in patterns.values() for a in alts},
            key=lambda t: (-len(t), t),
        )
        self.literals: tuple[str, ...] = tuple(texts)
        #: the same texts as a set (for membership tests)
        self.known: frozenset[str] = frozenset(texts)
        known = self.known
        #: text → the texts it starts with (itself included): all present where it matches
        self._prefixes = {t: frozenset(t[:i] for i in range(1, len(t) + 1) if t[:i] in known) for t in texts}
        #: the patterns :meth:`matches_by_pattern` reports on
        self.plain: tuple[str, ...] = tuple(patterns)
        #: text → ((pattern, its first alternative among the texts starting where this one matches), …)
        self._starts: dict[str, tuple[tuple[str, str], ...]] = {}
        if patterns:
            for t in texts:
                here = self._prefixes[t]
                entries = []
                for source, alternatives in patterns.items():
                    first = next((a for a in alternatives if a in here), None)
                    if first is not None:
                        entries.append((source, first))
                self._starts[t] = tuple(entries)
        self._pattern: re.Pattern | None = None  # compiled when first used (a rule's own may never be)

    def __getstate__(self):
        return {**self.__dict__, "_pattern": None}  # compiled again where it is used

    def _search(self):
        if self._pattern is None:
            self._pattern = re.compile(_trie_source(self.literals))
        return self._pattern.search

    def present(self, text: str) -> set[str]:
        """The literals (and pattern alternatives) that occur in ``text``."""
        found: set[str] = set()
        if not self.literals:
            return found
        search, prefixes = self._search(), self._prefixes
        m = search(text)
        while m is not None:
            found |= prefixes[m.group()]
            m = search(text, m.start() + 1)
        return found

    def matches_by_pattern(self, text: str) -> tuple[set[str], dict[str, list[str]]]:
        """:meth:`present`, and each pattern's matches in ``text`` in order (patterns without one left out)."""
        present: set[str] = set()
        matches: dict[str, list[str]] = {}
        if not self.literals:
            return present, matches
        search, prefixes, starts = self._search(), self._prefixes, self._starts
        ends: dict[str, int] = {}  # pattern → offset just past its last match
        m = search(text)
        while m is not None:
            at, word = m.start(), m.group()
            present |= prefixes[word]
            for source, alternative in starts.get(word, ()):
                if at >= ends.get(source, 0):
                    ends[source] = at + len(alternative)
                    if source in matches:
                        matches[source].append(alternative)
                    else:
                        matches[source] = [alternative]
            m = search(text, at + 1)
        return present, matches


def _trie_source(texts) -> str:
    """A stdlib pattern matching exactly the (non-empty) ``texts``, the longest one where several
    start at a position: one branch per first character, each followed by the same for the rest
    (``主体责任|主要`` → ``主(?:体责任|要)``), a text that goes on in longer ones made optional.

    Where they share first characters, a position is tried against each of those once, not
    once per text.
    """
    trie: dict = {}
    for text in texts:
        node = trie
        for ch in text:
            node = node.setdefault(ch, {})
        node[""] = {}  # a text ends here

    def source(node: dict) -> str:
        branches = [re.escape(ch) + source(rest) for ch, rest in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body  # greedy: the longer texts first

    return source(trie)


class _Unsure(Exception):
    pass


def _class_chars(body: str) -> frozenset[str] | None:
    """The characters of a character class ``[body]`` that lists them one by one, else ``None``."""
    chars = set()
    k = 0
    while k < len(body):
        c = body[k]
        if c == "\\":
            if k + 1 < len(body) and body[k + 1] in _LITERAL_ESCAPES:
                chars.add(body[k + 1])
                k += 2
                continue
            return None  # \d, \p{…}, \x41 …
        if c in "-&|~[":
            return None  # a range or a set operation
        chars.add(c)
        k += 1
    return frozenset(chars) or None


def _alternatives(source: str) -> list[list[tuple[str, Any]]]:
    """The top-level alternatives of ``source``, each as its atoms in order.

    An atom is ``("lit", ch)`` (a character), ``("rep", ch)`` (a character repeated at
    least once), ``("class", chars)`` (a class listing its characters, at least once),
    ``("alts", texts)`` / ``("rep-alts", texts)`` (a group of plain alternatives such as
    ``(?:还|仍|尚)``, once / repeated at least once) or ``("other", "")`` (anything else,
    or anything optional).

    Raises:
        _Unsure: the pattern uses syntax this reading does not follow.
    """
    alternatives: list[list[tuple[str, Any]]] = [[]]
    i, n = 0, len(source)
    while i < n:
        ch = source[i]
        if ch == "|":
            alternatives.append([])
            i += 1
            continue
        if ch == "\\":
            if i + 1 >= n:
                raise _Unsure
            nxt = source[i + 1]
            if nxt in _LITERAL_ESCAPES:
                atom, i = ("lit", nxt), i + 2
            elif nxt in "pPNxuUg" or nxt.isdigit():
                j = i + 2
                if j < n and source[j] == "{":
                    j = source.find("}", j)
                    if j < 0:
                        raise _Unsure
                    j += 1
                else:
                    j += {"x": 2, "u": 4, "U": 8}.get(nxt, 0)
                atom, i = ("other", ""), j
            else:
                atom, i = ("other", ""), i + 2
        elif ch == "[":
            j = i + 1
            negated = j < n and source[j] == "^"
            if negated:
                j += 1
            body = j
            if j < n and source[j] == "]":
                j += 1
            while j < n and source[j] != "]":
                if source[j] == "[":
                    raise _Unsure  # a nested set (VERSION1) or a literal "[": not followed here
                j += 2 if source[j] == "\\" else 1
            if j >= n:
                raise _Unsure
            chars = None if negated else _class_chars(source[body:j])
            atom, i = (("class", chars) if chars else ("other", "")), j + 1
        elif ch == "(":
            if source.startswith("(?", i) and i + 2 < n and source[i + 2] not in ":=!<>P#|(&":
                raise _Unsure  # inline flags, recursion …
            depth, j = 0, i
            while j < n:
                c = source[j]
                if c == "\\":
                    j += 2
                    continue
                if c == "[":
                    k = j + 1
                    while k < n and source[k] != "]":
                        k += 2 if source[k] == "\\" else 1
                    j = k + 1
                    continue
                if c == "(":
                    depth += 1
                elif c == ")":
                    depth -= 1
                    if depth == 0:
                        break
                j += 1
            if j >= n:
                raise _Unsure
            texts = _group_alternatives(source, i, j)
            atom, i = (("alts", texts) if texts else ("other", "")), j + 1
        elif ch in ".^$":
            atom, i = ("other", ""), i + 1
        elif ch in ")]{}*+?":
            raise _Unsure  # a quantifier or bracket where an atom should be
        else:
            atom, i = ("lit", ch), i + 1
        # a quantifier after the atom: optional atoms are not required; repeated ones end the run
        if i < n and source[i] in "?*+{":
            q = source[i]
            if q == "{":
                j = source.find("}", i)
                if j < 0 or not re.fullmatch(r"\d*(,\d*)?", source[i + 1 : j]):
                    raise _Unsure
                low = source[i + 1 : j].split(",")[0]
                optional = not low or int(low) == 0
                i = j + 1
            else:
                optional = q in "?*"
                i += 1
            if i < n and source[i] in "?+":  # lazy or possessive
                i += 1
            if optional:
                atom = ("other", "")
            elif atom[0] == "lit":
                atom = ("rep", atom[1])  # (a repeated class stays a class: one of its characters is needed)
            elif atom[0] == "alts":
                atom = ("rep-alts", atom[1])
        alternatives[-1].append(atom)
    return alternatives


def _group_alternatives(source: str, start: int, end: int) -> tuple[str, ...] | None:
    """The texts of the group ``source[start:end + 1]`` when it is a plain or capturing group of
    plain alternatives (``(?:还|仍|尚)``, ``(十九|二十)``), else ``None``.

    Lookarounds, atomic groups, references and alternatives holding anything but plain
    characters (or nothing) are not read.
    """
    if source.startswith("(?:", start):
        body = start + 3
    elif source.startswith("(?P<", start):
        body = source.find(">", start) + 1
        if body <= 0 or body > end:
            return None
    elif source.startswith("(?", start):
        return None
    else:
        body = start + 1
    texts = []
    for alternative in source[body:end].split("|"):
        text, k = "", 0
        while k < len(alternative):
            c = alternative[k]
            if c == "\\":
                if k + 1 >= len(alternative) or alternative[k + 1] not in _LITERAL_ESCAPES:
                    return None
                text += alternative[k + 1]
                k += 2
                continue
            if c in ".^$*+?{}[]()":
                return None
            text += c
            k += 1
        if not text:
            return None  # the group may match nothing
        texts.append(text)
    return tuple(texts)


def _pieces(atoms: list[tuple[str, Any]]) -> tuple[list[str], list[frozenset[str]]]:
    """The runs of characters (in order) and the classes every match of the alternative ``atoms`` contains
    (groups of alternatives are not read here)."""
    runs, classes, run = [], [], ""
    for kind, ch in atoms:
        if kind == "lit":
            run += ch
            continue
        if kind == "rep":  # required once, but what follows may not be adjacent
            run += ch
        elif kind == "class":
            classes.append(ch)
        if run:
            runs.append(run)
        run = ""
    if run:
        runs.append(run)
    return runs, classes


#: Most texts one piece of :func:`requirements` may list (a run through groups multiplies them).
_MOST_CHOICES = 16


def _choices(atoms: list[tuple[str, Any]]) -> list[tuple[str, ...]]:
    """The pieces every match of the alternative ``atoms`` contains, each as the texts one of which it holds.

    A run of characters is one text; a run through a group of plain alternatives is one text
    per alternative (``(?:还|仍)有`` → ``还有``, ``仍有``); a class gives its characters.
    A text holding another text of its piece is left out (``仍然`` beside ``仍``). The runs
    come first, in order, then the classes.
    """
    pieces: list[tuple[str, ...]] = []
    classes: list[tuple[str, ...]] = []
    run = {""}  # what the run so far may be

    def close() -> None:
        if run != {""}:
            pieces.append(tuple(sorted(t for t in run if not any(u != t and u in t for u in run))))

    for kind, value in atoms:
        if kind in ("lit", "rep"):
            run = {t + value for t in run}
        elif kind in ("alts", "rep-alts"):
            if len(run) * len(value) <= _MOST_CHOICES:
                run = {t + v for t in run for v in value}
            else:
                close()
                run = set(value)
        else:
            close()
            run = {""}
            if kind == "class":
                classes.append(tuple(sorted(value)))
            continue
        if kind in ("rep", "rep-alts"):  # required once, but what follows may not be adjacent
            close()
            run = {""}
    close()
    return pieces + classes


def _required(source: str) -> tuple[str, ...] | None:
    heads = []
    for atoms in _alternatives(source):
        runs, _ = _pieces(atoms)
        if not runs:
            return None
        heads.append(max(runs, key=len))  # the first of the longest
    return tuple(heads)


_REQUIREMENTS: dict[tuple[str, int], tuple[tuple[tuple[str, ...], ...], ...] | None] = {}


def requirements(source: str, flags: int = 0) -> tuple[tuple[tuple[str, ...], ...], ...] | None:
    """Everything every match of the pattern ``source`` contains, per top-level alternative, or ``None``.

    Each alternative gives its pieces (shortest texts first): a run of characters as ``(run,)``,
    a run through groups of plain alternatives as its possible texts (``(?:还|仍)有`` →
    ``("仍有", "还有")``), or a class listing its characters one by one as those characters
    (``[*＊]+`` → ``("*", "＊")``). A match of the alternative contains one text of every
    piece, so a text can hold a match only when, for some alternative, each piece has one of
    its texts in it (:func:`may_contain`, :func:`screen`). ``None`` like :func:`required_literals`, or when an
    alternative needs nothing (``[^…]``, ranges, escapes like ``\\d`` do not count).
    """
    key = (source, flags)
    if key not in _REQUIREMENTS:
        found = None
        if not flags & (regex.IGNORECASE | regex.VERBOSE):
            try:
                found = []
                for atoms in _alternatives(source):
                    pieces = _choices(atoms)
                    if not pieces:
                        found = None
                        break
                    pieces.sort(
                        key=lambda piece: max(map(len, piece))
                    )  # single characters first: the fastest to look for
                    found.append(tuple(pieces))
            except _Unsure:
                found = None
        _REQUIREMENTS[key] = tuple(found) if found is not None else None
    return _REQUIREMENTS[key]


def may_contain(pattern: regex.Pattern, text: str) -> bool:
    """``False`` when ``text`` cannot hold a match of ``pattern`` (:func:`requirements`); ``True`` when it may."""
    need = requirements(pattern.pattern, pattern.flags)
    return need is None or bool(screen(((pattern, need),), text))


def screen(entries, text: str) -> list[tuple[Any, Any]]:
    """The ``(pattern, need)`` pairs of ``entries`` whose pattern may match in ``text``, in order.

    ``need`` is the pattern's :func:`requirements` (looked up beforehand, once per list), or ``None``
    (nothing known: always kept). A pattern is left out when, for every alternative of ``need``, some
    piece has none of its texts in ``text``: no match of it can be there.
    """
    kept = []
    for entry in entries:
        need = entry[1]
        if need is not None:
            for alternative in need:
                for piece in alternative:
                    for t in piece:
                        if t in text:
                            break
                    else:
                        break  # no text of this piece: the alternative cannot match
                else:
                    break  # every piece found: the pattern may match
            else:
                continue  # no alternative can match
        kept.append(entry)
    return kept

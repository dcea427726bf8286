"""Read-only tables kept as a few long strings and arrays, for tables read back from the per-user
cache on every start (the 疑似错别字 check's screen and readings: :mod:`djcheck.checks.typo_guess`,
:mod:`djcheck.typolex`).

Why: reading back a pickled ``dict`` of 60,000 short strings creates and memoises every key and
value, about 60 ms on a quiet machine, while a single report looks up a few hundred of them. A
:class:`PackedMap` is pickled as one string of its keys, one byte string of its values (UTF-16,
see :data:`VALUE_ENCODING`) and two offset arrays (a few milliseconds to read) and answers by binary
search; once it has answered more look-ups than building the ``dict`` would
cost (a batch worker after a few reports), it builds that ``dict`` and answers from it. Both ways
give the same answers; only the cost differs. :class:`PackedCodes` does the same for a set of
integers (pairs of characters as :func:`djcheck.checks.typo_guess.pair_code` makes them).

Nothing here reads files or prints; the objects are safe to share between threads (a race builds
the ``dict`` twice, with the same content).
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Mapping

#: A look-up by binary search costs about this many times what one entry costs when the whole
#: ``dict`` (or ``frozenset``) is built: after ``len // …`` look-ups it is built. In Python, over
#: strings (:class:`PackedMap`):
STRING_SEARCHES_PER_BUILD = 16
#: In C, over integers (:class:`PackedCodes`, :class:`PackedCodeMap`):
CODE_SEARCHES_PER_BUILD = 8


def _offsets(parts: list) -> array:
    """``[0, len(p0), len(p0) + len(p1), …]``: where each of ``parts`` starts in their concatenation."""
    out = array("I", [0])
    total = 0
    for p in parts:
        total += len(p)
        out.append(total)
    return out


#: How values are kept: UTF-16 bytes are read back from a pickle as they are (a ``str`` would be
#: decoded from UTF-8 whole, about 20 M instructions for the screen's million characters) and
#: decoded a value at a time when looked up.
VALUE_ENCODING = "utf-16-le"


def _encode_values(values: list[str]) -> tuple[bytes, array]:
    """The values as one UTF-16 byte string and where each starts (in bytes)."""
    encoded = [v.encode(VALUE_ENCODING, "surrogatepass") for v in values]
    return b"".join(encoded), _offsets(encoded)


def _decoded_values(blob: bytes, at: array) -> Iterator[str]:
    """Every value of :func:`_encode_values`, in order."""
    return (blob[a:b].decode(VALUE_ENCODING, "surrogatepass") for a, b in zip(at, at[1:], strict=False))


class PackedMap(Mapping):
    """An immutable ``{str: str}``: its sorted keys concatenated into one string and its values into
    one UTF-16 byte string, with arrays of where each starts (characters for keys, bytes for values).

    Args:
        items: the entries (a ``dict`` or pairs); keys are unique.

    For tables looked up a few dozen times a run (readings of characters and words): a look-up
    before the ``dict`` is built is a binary search in Python, about ``log2(len)`` string slices.
    """

    __slots__ = ("_keys", "_key_at", "_values", "_value_at", "_dict", "_budget")

    def __init__(self, items: Mapping[str, str] | Iterable[tuple[str, str]] = ()):
        pairs = sorted(items.items() if isinstance(items, Mapping) else items)
        keys = [k for k, _ in pairs]
        values = [v for _, v in pairs]
        self.__setstate__(("".join(keys), _offsets(keys), *_encode_values(values)))

    def __getstate__(self):
        return self._keys, self._key_at, self._values, self._value_at

    def __setstate__(self, state):
        self._keys, self._key_at, self._values, self._value_at = state
        self._dict: dict[str, str] | None = None
        self._budget = len(self) // STRING_SEARCHES_PER_BUILD

    def _key(self, i: int) -> str:
        at = self._key_at
        return self._keys[at[i] : at[i + 1]]

    def _value(self, i: int) -> str:
        at = self._value_at
        return self._values[at[i] : at[i + 1]].decode(VALUE_ENCODING, "surrogatepass")

    def _built(self) -> dict[str, str] | None:
        """The ``dict``, built when the look-ups so far have used up the budget."""
        if self._dict is None:
            self._budget -= 1
            if self._budget < 0:
                self._dict = dict(self.items())
        return self._dict

    def _find(self, key) -> int:
        """The index of ``key``, or -1."""
        if not isinstance(key, str):
            return -1
        at, keys = self._key_at, self._keys
        lo, hi = 0, len(at) - 1
        while lo < hi:
            mid = (lo + hi) // 2
            if keys[at[mid] : at[mid + 1]] < key:
                lo = mid + 1
            else:
                hi = mid
        return lo if lo < len(at) - 1 and keys[at[lo] : at[lo + 1]] == key else -1

    def __getitem__(self, key: str) -> str:
        built = self._built()
        if built is not None:
            return built[key]
        i = self._find(key)
        if i < 0:
            raise KeyError(key)
        return self._value(i)

    def get(self, key: str, default=None):
        built = self._built()
        if built is not None:
            return built.get(key, default)
        i = self._find(key)
        return default if i < 0 else self._value(i)

    def __contains__(self, key) -> bool:
        built = self._built()
        if built is not None:
            return key in built
        return self._find(key) >= 0

    def __len__(self) -> int:
        return len(self._key_at) - 1

    def __iter__(self) -> Iterator[str]:
        at, keys = self._key_at, self._keys
        return map(keys.__getitem__, map(slice, at, at[1:]))

    def items(self) -> Iterator[tuple[str, str]]:  # type: ignore[override]
        """The entries in key order (no look-ups: nothing charged to the budget)."""
        return zip(iter(self), _decoded_values(self._values, self._value_at), strict=True)

    def __eq__(self, other) -> bool:
        return isinstance(other, Mapping) and dict(self.items()) == dict(other.items())

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"PackedMap({len(self)} entries)"


class PackedCodes:
    """An immutable set of integers from 0 to 2**64 - 1, kept as one sorted array (``bisect`` in C).

    Args:
        codes: the integers.
    """

    __slots__ = ("_codes", "_set", "_budget")

    def __init__(self, codes: Iterable[int] = ()):
        self.__setstate__(array("Q", sorted(set(codes))))

    def __getstate__(self):
        return self._codes

    def __setstate__(self, state):
        self._codes = state
        self._set: frozenset[int] | None = None
        self._budget = len(state) // CODE_SEARCHES_PER_BUILD

    def __len__(self) -> int:
        return len(self._codes)

    def __iter__(self) -> Iterator[int]:
        return iter(self._codes)

    def _index(self, code: int) -> int:
        """The index of ``code`` in the array, or -1."""
        codes = self._codes
        i = bisect_left(codes, code)
        return i if i < len(codes) and codes[i] == code else -1

    def __contains__(self, code) -> bool:
        return code in self.among([code])

    def among(self, *groups: Iterable[int]) -> frozenset[int] | set[int]:
        """A set holding every integer of ``groups`` that is in this set (it may hold more): the
        whole set once built, else those found by binary search (each distinct integer costs one
        search, charged to the budget; the set is built when the budget is spent)."""
        if self._set is not None:
            return self._set
        wanted = set().union(*groups)
        self._budget -= len(wanted)
        if self._budget < 0:
            self._set = frozenset(self._codes)
            return self._set
        index = self._index
        return {c for c in wanted if index(c) >= 0}

    def __eq__(self, other) -> bool:
        return type(other) is type(self) and self.__getstate__() == other.__getstate__()

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"{type(self).__name__}({len(self)} codes)"


class PackedCodeMap(PackedCodes):
    """An immutable ``{int: str}`` with integer keys as :class:`PackedCodes` (0 to 2**64 - 1) and
    the values concatenated into one UTF-16 byte string (as in :class:`PackedMap`).

    Args:
        items: the entries (a ``dict`` or pairs).
    """

    __slots__ = ("_values", "_value_at", "_dict")

    def __init__(self, items: Mapping[int, str] | Iterable[tuple[int, str]] = ()):
        pairs = sorted(items.items() if isinstance(items, Mapping) else items)
        values = [v for _, v in pairs]
        self.__setstate__((array("Q", [k for k, _ in pairs]), *_encode_values(values)))

    def __getstate__(self):
        return self._codes, self._values, self._value_at

    def __setstate__(self, state):
        codes, self._values, self._value_at = state
        super().__setstate__(codes)
        self._dict: dict[int, str] | None = None

    def items(self) -> Iterator[tuple[int, str]]:
        """The entries in key order."""
        return zip(self._codes, _decoded_values(self._values, self._value_at), strict=True)

    def get(self, code: int, default=None):
        """The value of ``code``, else ``default``."""
        found = self._dict
        if found is None:
            self._budget -= 1
            if self._budget >= 0:
                i = self._index(code)
                if i < 0:
                    return default
                at = self._value_at
                return self._values[at[i] : at[i + 1]].decode(VALUE_ENCODING, "surrogatepass")
            found = self._dict = dict(self.items())
        return found.get(code, default)

    def __contains__(self, code) -> bool:
        return self.get(code) is not None

"""jieba with its dictionary read on demand from a per-user SQLite file.

Stock jieba keeps its whole prefix dictionary — about 500,000 words and word
prefixes with their frequencies — in one dict. Building it from ``dict.txt``
takes about a second; even reading it back from a cache takes 0.2–0.3 s and
about 100 MB at every start. A report of 3,000 characters reaches only a few
thousand of those entries. So the dictionary, with the domain words already
added, is stored once in a SQLite table in the per-user cache folder
(:func:`djcheck.cache.trusted_cache_dir`), and :func:`new_tokenizer` returns a
``jieba.Tokenizer`` whose ``FREQ`` dict is filled with exactly the entries a
text can reach, fetched just before jieba walks that text.

Why the cut is identical to jieba with the full dictionary: jieba only ever
looks up substrings of the text it segments, and every prefix of a dictionary
word is itself an entry (frequency 0 when it is not a word). Fetching, for
every start position, ``text[i:i+1]``, then ``text[i:i+2]`` while the shorter
one exists, and so on, therefore loads every entry that is a substring of the
text; every other substring is absent from both dictionaries.

The store is keyed by the size and time of jieba's ``__init__.py`` (its
version) and ``dict.txt`` and by the domain dictionary; any change builds a
new one (about 1.5 s, once). The key is computed without importing jieba, so
:mod:`djcheck.fastseg` can use the store without jieba's start-up cost. When the cache folder is missing, untrusted or not
writable, or the file turns out to be damaged, the tokenizer silently falls
back to the full in-memory dictionary (slower start, same cuts).
"""

from __future__ import annotations

import os
import sys
import threading
from bisect import bisect_right
from functools import lru_cache
from itertools import compress
from pathlib import Path

#: Bumped when the layout of the SQLite store changes.
STORE_FORMAT = 2
#: Keys per ``IN (...)`` query (older SQLite builds allow at most 999 parameters).
_CHUNK = 900


class StoreError(Exception):
    """The SQLite store is missing, stale or damaged."""


def load_jieba():
    """Import jieba without letting it import ``pkg_resources``.

    jieba 0.42 looks for ``pkg_resources`` (setuptools) only to open its own
    data files; importing it costs about 0.1 s. With the import refused jieba
    opens the same files from its package folder.
    """
    if "jieba" in sys.modules:
        return sys.modules["jieba"]
    blocked = "pkg_resources" not in sys.modules
    if blocked:
        sys.modules["pkg_resources"] = None  # type: ignore[assignment] - makes the import raise ImportError
    try:
        import jieba
    finally:
        if blocked and sys.modules.get("pkg_resources", 0) is None:
            del sys.modules["pkg_resources"]
    import logging

    jieba.setLogLevel(logging.WARNING)
    return jieba


def store_key(jieba, domain_words: tuple[tuple[str, int | None], ...]) -> str:
    """Identity of a store: format, jieba's code and dictionary (size/time), domain words."""
    return store_key_for(Path(os.path.dirname(os.path.abspath(jieba.__file__))), domain_words)


def jieba_folder() -> Path | None:
    """The installed jieba package folder, found without importing jieba (``None``: not installed)."""
    from importlib.util import find_spec

    spec = find_spec("jieba")
    if spec is None or not spec.origin:
        return None
    return Path(spec.origin).parent


def store_key_for(folder: Path, domain_words: tuple[tuple[str, int | None], ...]) -> str:
    """:func:`store_key` from jieba's package folder (no import needed): the size and time of its
    ``__init__.py`` (stand-in for the version) and ``dict.txt``, the format and the domain words."""
    parts = [str(STORE_FORMAT)]
    for name in ("__init__.py", "dict.txt"):
        try:
            st = (folder / name).stat()
            parts.append(f"{name}:{st.st_size}:{st.st_mtime_ns}")
        except OSError:
            parts.append(f"no-{name}")
    parts.append(repr(domain_words))
    from .cache import sha256

    return sha256("\n".join(parts).encode("utf-8")).hexdigest()


def store_path(folder: Path, key: str) -> Path:
    """The store file for ``key`` in the cache folder ``folder``."""
    return folder / f"jieba-{key[:24]}.sqlite3"


def full_dictionary(jieba, domain_words) -> tuple[dict[str, int], int]:
    """jieba's complete prefix dictionary with the domain words added: ``(FREQ, total)``.

    Built exactly as jieba builds it (``gen_pfdict`` then ``add_word``), so the
    frequencies jieba chooses for domain words without one are kept.
    """
    freq, total, _ = _full_dictionary(jieba, domain_words)
    return freq, total


def _full_dictionary(jieba, domain_words) -> tuple[dict[str, int], int, dict]:
    """:func:`full_dictionary` plus facts about jieba's own dictionary, before the domain words were
    added: ``{"base_total": its total, "distinct_total": the sum of its words' frequencies (a word
    listed twice counted once), "domain_base": {domain word: its frequency there}}``."""
    tk = jieba.Tokenizer()
    with tk.get_dict_file() as fh:
        tk.FREQ, tk.total = tk.gen_pfdict(fh)
    tk.initialized = True
    base = {
        "base_total": tk.total,
        # rjieba counts a word listed twice in dict.txt once (jieba counts B超 twice)
        "distinct_total": sum(tk.FREQ.values()),
        "domain_base": {w: tk.FREQ[w] for w, _ in domain_words if tk.FREQ.get(w)},
    }
    for word, freq in domain_words:
        tk.add_word(word, freq)
    return tk.FREQ, tk.total, base


def reachable(text: str, known: dict[str, int], absent: set[str], fetch) -> tuple[list[tuple[str, int]], bool]:
    """Every dictionary entry that is a substring of ``text``, fetching the keys not yet in ``known`` / ``absent``.

    ``fetch(keys)`` returns ``(word, frequency)`` for the keys in the dictionary
    (prefix entries have frequency 0). New entries are added to ``known``,
    keys found missing to ``absent``.
    Why this finds them all: every prefix of a dictionary word is an entry, so
    a substring is only tried when its one-shorter prefix is an entry.

    Returns:
        ``(entries, fetched)``: the ``(word, frequency)`` entries found in ``text``
        (known before or fetched now), and whether ``fetch`` was called.

    Raises:
        StoreError: from ``fetch``.
    """
    out: list[tuple[str, int]] = []
    listed: set[str] = set()
    fetched = False
    n = len(text)
    contains = known.__contains__
    for first in range(0, n, REACHABLE_CHUNK):
        last = min(n, first + REACHABLE_CHUNK)
        alive: range | list[int] = range(first, last)  # where the entries looked for start
        size = 1
        while alive:
            if alive[-1] + size > n:
                alive = alive[: bisect_right(alive, n - size)]
                if not alive:
                    break
            subs = text[first:last] if size == 1 else [text[i : i + size] for i in alive]
            keys = set(subs)
            wanted = [k for k in keys if k not in known and k not in absent]
            if wanted:
                found = fetch(wanted)
                known.update(found)
                absent.update(set(wanted).difference(w for w, _ in found))
                fetched = True
            new = [k for k in keys if k in known and k not in listed]  # not keys & known: that reads all of known
            listed.update(new)
            out.extend((k, known[k]) for k in new)
            alive = list(compress(alive, map(contains, subs)))  # each substring made once a size
            size += 1
    return out, fetched


#: Start positions :func:`reachable` follows at once: a long text is read in stretches of this many
#: characters (entries may run past a stretch's end), so the positions it keeps cost a few MiB at
#: most, not about 40 bytes per character (500 MiB for a report of 12 M characters). Same entries.
REACHABLE_CHUNK = 1 << 16


class FreqStore:
    """Read-only access to a SQLite word-frequency store.

    The connection is opened lazily and reopened after a ``fork`` (a SQLite
    connection must not be shared between processes).

    Raises:
        StoreError: from :meth:`open` or :meth:`fetch` when the file is missing,
            has another key, is truncated or cannot be read.
    """

    def __init__(self, path: Path, key: str):
        self.path = path
        self.key = key
        self.total = 0
        self.meta: dict[str, str] = {}
        self._conn = None
        self._pid = None

    def _connect(self):
        import sqlite3

        try:
            uri = self.path.resolve().as_uri() + "?mode=ro&immutable=1"
            conn = sqlite3.connect(uri, uri=True, check_same_thread=False)
            conn.execute("PRAGMA mmap_size=67108864")  # read pages from a memory map: faster lookups
            meta = dict(conn.execute("SELECT k, v FROM meta").fetchall())
            page_count = conn.execute("PRAGMA page_count").fetchone()[0]
            page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        except (sqlite3.Error, OSError, ValueError) as exc:
            raise StoreError(str(exc)) from None
        if meta.get("key") != self.key or not str(meta.get("total", "")).isdigit():
            conn.close()
            raise StoreError("stale store")
        try:
            size = self.path.stat().st_size
        except OSError as exc:
            raise StoreError(str(exc)) from None
        if size != page_count * page_size:
            conn.close()
            raise StoreError("truncated store")
        self.total = int(meta["total"])
        self.meta = meta
        self._conn, self._pid = conn, os.getpid()

    def open(self) -> FreqStore:
        """Open and check the store (key, total, file size); returns ``self``."""
        self._connect()
        return self

    def fetch(self, keys: list[str]) -> list[tuple[str, int]]:
        """``(word, frequency)`` for those of ``keys`` that are in the store."""
        import sqlite3

        if self._conn is None or self._pid != os.getpid():
            self._connect()
        out: list[tuple[str, int]] = []
        try:
            for start in range(0, len(keys), _CHUNK):
                chunk = keys[start : start + _CHUNK]
                try:
                    marks = ",".join("?" * len(chunk))
                    out.extend(self._conn.execute(f"SELECT w, n FROM f WHERE w IN ({marks})", chunk))
                except UnicodeEncodeError:  # a lone surrogate (an undecodable byte kept in the text) is no word
                    chunk = [k for k in chunk if not _has_surrogate(k)]
                    marks = ",".join("?" * len(chunk))
                    out.extend(self._conn.execute(f"SELECT w, n FROM f WHERE w IN ({marks})", chunk))
        except sqlite3.Error as exc:
            raise StoreError(str(exc)) from None
        return out


def build_store(path: Path, key: str, freq: dict[str, int], total: int, base: dict | None = None) -> bool:
    """Write ``freq`` and ``total`` to a new store at ``path`` (atomically, through
    :func:`djcheck.cache.write_atomic`). ``False`` if it cannot.

    ``base`` (from :func:`_full_dictionary`) records jieba's own total and the
    domain words' frequencies before they were added (used by :mod:`djcheck.fastseg`).
    """
    import json
    import sqlite3
    import tempfile

    from .cache import write_atomic

    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=path.parent, prefix=f".{path.name}.") as folder:
            built = Path(folder) / path.name  # SQLite writes a file: built in a private folder, then stored
            conn = sqlite3.connect(built)
            try:
                conn.execute("PRAGMA journal_mode=OFF")
                conn.execute("PRAGMA synchronous=OFF")
                conn.execute("CREATE TABLE f(w TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID")
                conn.execute("CREATE TABLE meta(k TEXT PRIMARY KEY, v TEXT NOT NULL)")
                conn.executemany("INSERT INTO f VALUES (?, ?)", sorted(freq.items()))
                conn.executemany(
                    "INSERT INTO meta VALUES (?, ?)",
                    [("key", key), ("total", str(total)), ("count", str(len(freq)))]
                    + ([("base", json.dumps(base, ensure_ascii=False))] if base is not None else []),
                )
                conn.commit()
            finally:
                conn.close()
            return write_atomic(path, built.read_bytes())
    except (sqlite3.Error, OSError):
        return False


@lru_cache(maxsize=1)
def _lazy_tokenizer_class(jieba):
    class LazyTokenizer(jieba.Tokenizer):
        """A ``jieba.Tokenizer`` whose ``FREQ`` is filled from a :class:`FreqStore` on demand."""

        def __init__(self, store: FreqStore, domain_words, force_split):
            super().__init__()
            self._store: FreqStore | None = store
            self._domain_words = domain_words
            self._absent: set[str] = set()
            self._covered = ""
            self._fetch_lock = threading.Lock()
            self.FREQ = {}
            self.total = store.total
            self.initialized = True
            for word in force_split:
                jieba.finalseg.add_force_split(word)

        def prefetch(self, text: str) -> None:
            """Load every dictionary entry that is a substring of ``text`` into ``FREQ``."""
            if self._store is None or not text or text in self._covered:
                return
            with self._fetch_lock:
                if self._store is None:
                    return
                try:
                    self._fetch_all(text)
                except StoreError:
                    self._use_full_dictionary()
                    return
                self._covered = text

        def _fetch_all(self, text: str) -> None:
            reachable(text, self.FREQ, self._absent, self._store.fetch)

        def _use_full_dictionary(self) -> None:
            self.FREQ, self.total = full_dictionary(jieba, self._domain_words)
            self._store = None
            self._absent = set()

        def get_DAG(self, sentence):  # noqa: N802 - jieba's name
            self.prefetch(sentence)
            return super().get_DAG(sentence)

        def cut(self, sentence, *args, **kwargs):
            self.prefetch(jieba.strdecode(sentence))
            return super().cut(sentence, *args, **kwargs)

        def add_word(self, word, freq=None, tag=None):
            self.prefetch(jieba.strdecode(word))
            return super().add_word(word, freq, tag)

    return LazyTokenizer


def new_tokenizer(domain_words: tuple[tuple[str, int | None], ...]):
    """A jieba tokenizer with the domain words added, as cheap to start as the cache allows.

    Args:
        domain_words: ``(word, frequency or None)`` pairs added with ``add_word``.

    Returns:
        A ``jieba.Tokenizer`` (a subclass reading the SQLite store when the
        per-user cache is usable, else stock jieba with the full dictionary).
        Its cuts are the same either way; ``FREQ`` of the store-backed one holds
        only the entries reached so far, so read frequencies through its methods
        (``cut``, ``suggest_freq`` …), not from ``FREQ`` directly.
    """
    from .cache import trusted_cache_dir

    jieba = load_jieba()
    key = store_key(jieba, domain_words)
    force_split = [w for w, f in domain_words if f == 0]
    folder = trusted_cache_dir()
    if folder is not None:
        path = store_path(folder, key)
        try:
            store = FreqStore(path, key).open()
            return _lazy_tokenizer_class(jieba)(store, domain_words, force_split)
        except StoreError:
            pass
        freq, total, base = _full_dictionary(jieba, domain_words)
        build_store(path, key, freq, total, base)
    else:
        freq, total = full_dictionary(jieba, domain_words)
    tk = jieba.Tokenizer()
    tk.FREQ, tk.total, tk.initialized = freq, total, True
    return tk


def open_store(domain_words: tuple[tuple[str, int | None], ...]) -> FreqStore | None:
    """The store for ``domain_words``, built first if missing or stale (imports jieba then, once).

    Returns ``None`` when there is no trusted, writable cache folder or the
    store cannot be built or read (callers then use the full dictionary).
    """
    from .cache import trusted_cache_dir

    cache = trusted_cache_dir()
    folder = jieba_folder()
    if cache is None or folder is None:
        return None
    key = store_key_for(folder, domain_words)
    path = store_path(cache, key)
    try:
        return FreqStore(path, key).open()
    except StoreError:
        pass
    jieba = load_jieba()
    freq, total, base = _full_dictionary(jieba, domain_words)
    if not build_store(path, key, freq, total, base):
        return None
    try:
        return FreqStore(path, key).open()
    except StoreError:
        return None


def _has_surrogate(text: str) -> bool:
    """Whether ``text`` holds a lone surrogate (U+D800–U+DFFF), which SQLite cannot store as UTF-8."""
    return any("\ud800" <= ch <= "\udfff" for ch in text)

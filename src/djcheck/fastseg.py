"""jieba's cuts at native speed: rjieba (a binding to jieba-rs), used when it is installed and loads.

rjieba is a default dependency on the platforms it has wheels for (Windows, macOS,
Linux x86-64 and aarch64; see ``pyproject.toml``); elsewhere, or when it is absent
or fails to load, :mod:`djcheck.segment` uses pure-Python jieba with the same cuts.

Pure-Python jieba cuts about 0.2–0.3 M characters a second; on a batch of
reports its segmentation alone costs more than every other check together.
rjieba runs the same algorithm (prefix dictionary → DAG → the most probable
route, HMM off; search mode adds the dictionary words of 2 and 3 characters
inside longer words) in Rust, 20–30 times faster. :mod:`djcheck.segment`
uses it when it can be imported; the results are the same as jieba's
(``tests/test_fastseg.py`` compares both on every seed, sample and draft).

The same results need the same dictionary and the same total frequency
(every word's score is ``log(freq) − log(total)``):

- *on demand* (the default, cheap to start): an empty rjieba dictionary gets
  exactly the entries a text can reach, fetched from djcheck's SQLite store
  of jieba's dictionary with the domain words (:mod:`djcheck.wordfreq`), and
  a placeholder word that no text contains carries the rest of jieba's total;
- *whole* (:meth:`Segmenter.load_full`, for batch workers and for a process whose texts reached a
  wide vocabulary, :data:`FULL_AFTER_KEYS`; about 0.15 s once):
  rjieba's built-in dictionary — the same ``dict.txt`` as jieba 0.42 — plus
  the domain words with the frequencies jieba gave them, and the placeholder
  making up the difference in the total. A quick check that rjieba's
  dictionary agrees with jieba's on the domain words guards this; if it does
  not, the segmenter stays on demand.

Texts with characters that jieba and jieba-rs classify differently (CJK
extension and compatibility ideographs, U+9FD6–U+9FFF, the separators
U+001C–U+001F) are left to jieba by :mod:`djcheck.segment`.

rjieba's package ``__init__`` builds a default dictionary on import (0.13 s);
:func:`load_extension` loads the compiled module alone and registers it under
its own name, so a later ``import rjieba`` still works.
"""

from __future__ import annotations

import os
import re
import sys
import threading

from .wordfreq import FreqStore, StoreError, reachable

#: A word no text can contain (two supplementary private-use characters): carries the rest of the total.
PLACEHOLDER = "\U000f0000\U000f0001"
#: Characters on which jieba and jieba-rs split text into blocks differently (see the module docstring).
DIVERGENT = re.compile("[\x1c-\x1f\u3400-\u4dbf\u9fd6-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f]")


class FullDictionaryError(Exception):
    """rjieba's built-in dictionary cannot stand in for jieba's (different data, or a domain word set to 0)."""


def load_extension():
    """rjieba's compiled module (``rjieba.rjieba``), without running the package ``__init__``; ``None`` if absent."""
    if "rjieba.rjieba" in sys.modules:
        return sys.modules["rjieba.rjieba"]
    import importlib.machinery
    import importlib.util

    try:
        spec = importlib.util.find_spec("rjieba")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    for folder in spec.submodule_search_locations:
        for suffix in importlib.machinery.EXTENSION_SUFFIXES:
            path = os.path.join(folder, "rjieba" + suffix)
            if not os.path.isfile(path):
                continue
            try:
                loader = importlib.machinery.ExtensionFileLoader("rjieba.rjieba", path)
                module = importlib.util.module_from_spec(
                    importlib.util.spec_from_file_location("rjieba.rjieba", path, loader=loader)
                )
                loader.exec_module(module)
            except (ImportError, OSError):  # a broken or foreign build: jieba does the work
                return None
            sys.modules["rjieba.rjieba"] = module
            return module
    return None


class Segmenter:
    """jieba cuts (HMM off) computed by rjieba over djcheck's dictionary store.

    Args:
        ext: the rjieba extension module (:func:`load_extension`).
        store: the opened :class:`~djcheck.wordfreq.FreqStore` (jieba's dictionary with the domain words).
        domain_words: the ``(word, frequency or None)`` pairs the store was built with.

    Raises (from :meth:`cut`, :meth:`cut_for_search`):
        StoreError: the store became unreadable while fetching entries.
    """

    def __init__(self, ext, store: FreqStore, domain_words, vocabulary: Vocabulary | None = None):
        self._ext = ext
        self._store = store
        self._domain_words = domain_words
        self._lock = threading.Lock()
        self._vocab = vocabulary or Vocabulary(store.key, store.total)
        self._total = self._vocab.total
        self._in_jieba: set[str] = set()
        self._added = 0
        self._jieba = ext.Jieba.empty()
        self._jieba.add_word(PLACEHOLDER, self._total, None)
        self.full = False
        self._full_failed = False
        #: Many texts are coming (a batch): load the whole dictionary at the first cut.
        self.expect_many = False

    # -- dictionary ------------------------------------------------------------------
    def _prefetch(self, text: str) -> None:
        if self.full:
            return
        add, added = self._jieba.add_word, self._in_jieba
        grew = False
        for word, freq in self._vocab.reachable(text, self._store.fetch):
            if freq > 0 and word not in added:
                add(word, freq, None)
                added.add(word)
                self._added += freq
                grew = True
        if grew:
            add(PLACEHOLDER, self._total - self._added, None)

    def load_full(self) -> bool:
        """Switch to rjieba's whole built-in dictionary (about 0.15 s). ``False`` when it cannot stand in."""
        with self._lock:
            if self.full:
                return True
            try:
                if not self._store.meta:
                    self._store.open()  # entries came from the vocabulary file: the store is read now
                self._jieba = self._whole_dictionary()
            except (FullDictionaryError, KeyError, ValueError, StoreError):
                return False
            self.full = True
            self._vocab = Vocabulary(self._store.key, self._total)
            self._in_jieba = set()
            return True

    def _whole_dictionary(self):
        import json

        base = json.loads(self._store.meta["base"])
        base_total, domain_base = int(base["distinct_total"]), base["domain_base"]
        words = list(dict.fromkeys(w for w, _ in self._domain_words))
        freqs = dict(self._store.fetch(words))
        jieba = self._ext.Jieba()
        for word, old in domain_base.items():  # rjieba's dictionary must be jieba's
            if not jieba.has_word(word) or (jieba.cut(word, False) == [word] and jieba.suggest_freq(word) - old not in (0, 1)):
                raise FullDictionaryError(word)
        total = base_total
        for word in words:
            freq, old = freqs.get(word, 0), domain_base.get(word, 0)
            if freq > 0:
                jieba.add_word(word, freq, None)
                total += freq - old
            elif old > 0:
                raise FullDictionaryError(word)  # rjieba cannot take a word out of its dictionary
        rest = self._store.total - total
        if rest < 0:
            raise FullDictionaryError("total")
        if rest:
            jieba.add_word(PLACEHOLDER, rest, None)
        return jieba

    # -- cutting ---------------------------------------------------------------------
    def _ready(self, text: str) -> None:
        if not self.full and not self._full_failed and self._whole_pays():
            self._full_failed = not self.load_full()
        if not self.full:
            with self._lock:
                self._prefetch(text)

    def _whole_pays(self) -> bool:
        """Whether the whole dictionary should now replace the on-demand one: a batch is expected,
        or this process has fetched more than :data:`FULL_AFTER_KEYS` keys."""
        return self.expect_many or self._vocab.fetched > FULL_AFTER_KEYS

    def cut(self, text: str) -> list[str]:
        """jieba's precise-mode cut of ``text`` with HMM off."""
        self._ready(text)
        with self._lock:
            return self._jieba.cut(text, False)

    def cut_for_search(self, text: str) -> list[str]:
        """jieba's search-mode cut of ``text`` with HMM off."""
        self._ready(text)
        with self._lock:
            return self._jieba.cut_for_search(text, False)


#: Dictionary keys (entries, and substrings found to be none) fetched on demand by one process after
#: which rjieba's whole dictionary replaces the on-demand one (about 0.12 s and 35–45 MiB, once).
#:
#: Keys, not characters segmented, because memory is what a long report runs short of: on demand
#: costs about 130 bytes and 5–10 µs a key fetched (Python's ``known``/``absent`` and rjieba's
#: entries), and about 0.7 µs a character segmented (:func:`djcheck.wordfreq.reachable`) where the
#: whole dictionary cuts at about 0.3 µs. Measured on 12 M characters: the scaling benchmark's
#: ``report`` and ``lines`` shapes segment about 190,000 characters (doubled-word's clauses) and
#: reach under 3,000 keys: 40–60 MiB less at the peak on demand, the same time; so do the seeds,
#: samples and drafts repeated. Its ``line`` shape (problem–measure matching cuts the whole line):
#: about 50 MiB less, but 1 µs a character more (+2.5 s at 3 M characters, +13 s at 12 M). Words
#: drawn from jieba's dictionary, 12 M characters, reach about a million keys (+130 MiB and 9 s on
#: demand): they switch early. The seeds, samples and drafts cut whole, 63,000 characters, fetch
#: about 26,000 keys (the old threshold, 60,000 characters segmented, came at about the same point
#: for a run of ordinary reports).
FULL_AFTER_KEYS = 20_000


class Vocabulary:
    """The dictionary entries (and the substrings known not to be entries) fetched so far.

    Kept between runs in the per-user cache folder (``vocabulary-<store>.marshal``,
    at most :data:`VOCABULARY_LIMIT` keys), so that checking a report whose words
    were seen before needs neither SQLite nor the store: a single check then
    starts about 15 ms sooner. Tied to the store's key (jieba and the domain words).
    """

    def __init__(self, key: str, total: int, known: dict[str, int] | None = None, absent: set[str] | None = None):
        self.key, self.total = key, total
        self.known: dict[str, int] = known if known is not None else {}
        self.absent: set[str] = absent if absent is not None else set()
        self.grew = False
        #: Keys added to :attr:`known` and :attr:`absent` by this process (see :data:`FULL_AFTER_KEYS`).
        self.fetched = 0

    def reachable(self, text: str, fetch) -> list[tuple[str, int]]:
        """Every dictionary entry that is a substring of ``text``, fetching unknown keys with ``fetch``.

        Why this finds them all: every prefix of a dictionary word is an entry
        (frequency 0 when it is not a word), so a substring is only tried when its
        one-shorter prefix is an entry (see :mod:`djcheck.wordfreq`).

        Raises:
            StoreError: from ``fetch``.
        """
        before = len(self.known) + len(self.absent)
        out, fetched = reachable(text, self.known, self.absent, fetch)
        if fetched:
            self.grew = True
            self.fetched += len(self.known) + len(self.absent) - before
        return out

    # -- the file in the cache folder --------------------------------------------------------
    @staticmethod
    def file_for(folder, key: str):
        return folder / f"vocabulary-{key[:24]}.marshal"

    @classmethod
    def read(cls, folder, key: str) -> Vocabulary | None:
        """The saved vocabulary for ``key``, or ``None`` (none, another key, damaged, not trusted)."""
        import marshal

        from .cache import owned_file

        file = cls.file_for(folder, key)
        if not owned_file(file):
            return None
        try:
            data = marshal.loads(file.read_bytes())
            if data.get("format") != 1 or data.get("key") != key:
                return None
            return cls(key, int(data["total"]), dict(data["known"]), set(data["absent"]))
        except Exception:  # noqa: BLE001 - a damaged file is simply not used
            return None

    def save(self, folder) -> None:
        """Write the vocabulary if it grew (and is not too large); never raises."""
        if not self.grew or len(self.known) + len(self.absent) > VOCABULARY_LIMIT:
            return
        import marshal

        from .cache import write_atomic

        data = {"format": 1, "key": self.key, "total": self.total, "known": self.known, "absent": list(self.absent)}
        try:
            write_atomic(self.file_for(folder, self.key), marshal.dumps(data))
        except Exception:  # noqa: BLE001 - the vocabulary is an optimisation only
            pass


#: Most keys (entries and non-entries) kept in the saved vocabulary.
VOCABULARY_LIMIT = 150_000


def new_segmenter(domain_words) -> Segmenter | None:
    """A :class:`Segmenter` for ``domain_words``, or ``None`` when rjieba is not installed, does not
    load (a broken build, another interface) or the dictionary store cannot be opened or built (no
    trusted cache folder).

    When a saved :class:`Vocabulary` matches the store, the store itself is only
    opened if a text needs entries the vocabulary lacks.
    """
    ext = load_extension()
    if ext is None:
        return None
    from .cache import trusted_cache_dir
    from .wordfreq import jieba_folder, open_store, store_key_for, store_path

    cache, folder = trusted_cache_dir(), jieba_folder()
    if cache is None or folder is None:
        return None
    key = store_key_for(folder, domain_words)
    vocabulary = Vocabulary.read(cache, key)
    if vocabulary is not None:
        store = FreqStore(store_path(cache, key), key)  # opened on first fetch
    else:
        store = open_store(domain_words)
        if store is None or "base" not in store.meta:
            return None
        vocabulary = Vocabulary(key, store.total)
    try:
        seg = Segmenter(ext, store, domain_words, vocabulary)
    except (AttributeError, TypeError):  # an rjieba without the interface used here (older than 0.2)
        return None
    import atexit

    atexit.register(lambda: None if seg.full else seg._vocab.save(cache))
    return seg

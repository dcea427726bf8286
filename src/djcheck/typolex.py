"""Lexical resources of the 疑似错别字 check (kind ``typo-guess``), all loaded on first use.

Three resources, none of them read when a check without ``typo-guess`` runs:

- word frequencies: jieba's dictionary (``dict.txt``, MIT licence) with the domain
  dictionary (``rules/domain-words.txt``), read through the SQLite store of
  :mod:`djcheck.wordfreq` (:func:`djcheck.wordfreq.open_store`), or from the whole
  dictionary in memory when there is no usable cache folder;
- readings: the toneless pinyin of every character from pypinyin's offline data
  (``pinyin_dict``, MIT licence), limited to the 6,763 characters of GB 2312;
- fixed expressions: the 成语 (POS tag ``i``) and 习用语 (tag ``l``) of jieba's
  ``dict.txt`` above a frequency floor.

The shape-similarity groups are not here: they are data (``rules/terms/similar-shapes.txt``)
read by the check module.

Nothing here prints or exits; every function is safe to call from several threads
after the first call has returned (the first call takes a lock).
"""

from __future__ import annotations

import math
import threading
from functools import lru_cache
from pathlib import Path

from .packed import PackedMap

_lock = threading.Lock()
_lexicon: Lexicon | None = None


class Lexicon:
    """Word frequencies (jieba's dictionary plus the domain words), fetched on demand.

    Frequencies are jieba's counts (``dict.txt`` column 2); a string that is only the
    prefix of a word has frequency 0 and counts as no word. What was fetched is kept for later
    look-ups, up to :data:`LEXICON_KEEP` keys.
    """

    def __init__(self):
        from . import segment, wordfreq

        domain = segment.domain_words()
        store = wordfreq.open_store(domain)
        self._known: dict[str, int] = {}
        self._absent: set[str] = set()
        self._lock = threading.Lock()
        if store is not None:
            self._fetch = store.fetch
            self.total = store.total
        else:  # no usable cache folder: the whole dictionary in memory (slower start, same figures)
            full, total = wordfreq.full_dictionary(wordfreq.load_jieba(), domain)
            self._fetch = lambda keys: [(k, full[k]) for k in keys if k in full]
            self.total = total
        self.log_total = math.log(self.total)

    def load(self, text: str) -> dict[str, int]:
        """Every dictionary entry that is a substring of ``text``, with its frequency (0 for a prefix
        that is no word): what :meth:`route` needs for ``text`` or any part of it."""
        from .wordfreq import reachable

        with self._lock:
            if len(self._known) + len(self._absent) > LEXICON_KEEP:
                self._known, self._absent = {}, set()  # see LEXICON_KEEP
            return dict(reachable(text, self._known, self._absent, self._fetch)[0])

    def freqs(self, words) -> dict[str, int]:
        """``{word: frequency}`` for those of ``words`` that are dictionary words (frequency > 0)."""
        words = set(words)
        with self._lock:
            wanted = [w for w in words if w not in self._known and w not in self._absent]
            if wanted:
                found = self._fetch(wanted)
                self._known.update(found)
                self._absent.update(set(wanted).difference(w for w, _ in found))
            known = self._known
            return {w: known[w] for w in words if known.get(w)}

    def freq(self, word: str) -> int:
        """The frequency of ``word`` (0 when it is no word)."""
        return self.freqs([word]).get(word, 0)

    def route(self, text: str, entries: dict[str, int] | None = None) -> tuple[float, list[tuple[int, int]]]:
        """jieba's best segmentation of ``text`` (a run of Chinese characters) and its log-probability.

        The same dynamic programme as ``jieba.Tokenizer.calc`` (HMM off): each word
        scores ``log(frequency) - log(total)``, a character that is no word scores
        ``-log(total)``.

        Args:
            text: the characters to segment.
            entries: what :meth:`load` gave for ``text`` or a text holding it (``None``: load ``text``).

        Returns:
            ``(log_probability, spans)`` with ``spans`` the ``(start, end)`` character
            offsets of the words, in order.
        """
        known = self.load(text) if entries is None else entries
        n = len(text)
        lt = self.log_total
        best: list[tuple[float, int]] = [(0.0, 0)] * (n + 1)
        for i in range(n - 1, -1, -1):
            top = (math.log(known.get(text[i], 0) or 1) - lt + best[i + 1][0], i + 1)
            j = i + 2
            while j <= n:
                frag = text[i:j]
                if frag not in known:
                    break
                f = known[frag]
                if f:
                    cand = math.log(f) - lt + best[j][0]
                    if cand > top[0]:
                        top = (cand, j)
                j += 1
            best[i] = top
        spans = []
        i = 0
        while i < n:
            j = best[i][1]
            spans.append((i, j))
            i = j
        return best[0][0], spans


#: Keys (entries and substrings found to be none) a :class:`Lexicon` keeps between look-ups, about
#: 130 bytes each: past this many it starts afresh (a report fetches a few hundred; a text of 12 M
#: characters of words drawn from jieba's dictionary reached a million, +150 MiB). Each caller holds
#: the entries of its own text (:meth:`Lexicon.load`), so starting afresh changes no result.
LEXICON_KEEP = 50_000


def lexicon() -> Lexicon:
    """The shared :class:`Lexicon` (opened on first call)."""
    global _lexicon
    if _lexicon is None:
        with _lock:
            if _lexicon is None:
                _lexicon = Lexicon()
    return _lexicon


def _gb2312(ch: str) -> bool:
    try:
        ch.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def _pypinyin_data(name: str):
    """One of pypinyin's JSON data files (``pinyin_dict.json``, ``phrases_dict.json``), read
    without importing pypinyin, whose import loads both (about 0.3 s); falls back to the
    module when the file is not where pypinyin 0.4x–0.5x keeps it, and to an empty table when
    pypinyin is not installed."""
    import json
    from importlib.util import find_spec

    spec = find_spec("pypinyin")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        path = Path(folder) / f"{name}.json"
        if path.is_file():
            data = json.loads(path.read_text(encoding="utf-8"))
            return {int(k): v for k, v in data.items()} if name == "pinyin_dict" else data
    try:
        if name == "pinyin_dict":
            from pypinyin.pinyin_dict import pinyin_dict

            return pinyin_dict
        from pypinyin.phrases_dict import phrases_dict

        return phrases_dict
    except ImportError:  # pypinyin not installed: no readings, the 同音字 class finds nothing
        return {}


def _toneless(syllable: str, fuzzy_u: bool) -> str:
    """``lǚ`` → ``lu`` (``fuzzy_u``) or ``lv``; ``xíng`` → ``xing``."""
    import unicodedata

    plain = "".join(
        c for c in unicodedata.normalize("NFD", syllable) if not unicodedata.combining(c) or c == "\u0308"
    )
    return plain.replace("u\u0308", "u" if fuzzy_u else "v")


#: Bumped when the layout of the cached tables changes.
TABLES_FORMAT = 4
#: 成语/习用语 rarer than this in jieba's dictionary are not kept (most of jieba's 35,000 have frequency 3).
IDIOM_FLOOR = 5


def source_stamp() -> str:
    """Size and time of pypinyin's two data files and jieba's ``dict.txt``: the cache key of :func:`tables`."""
    from importlib.util import find_spec

    from .wordfreq import jieba_folder

    parts = [str(TABLES_FORMAT)]
    spec = find_spec("pypinyin")
    folders = [Path(f) for f in (spec.submodule_search_locations or [])] if spec else []
    files = [f / n for f in folders[:1] for n in ("pinyin_dict.json", "phrases_dict.json")]
    jf = jieba_folder()
    if jf is not None:
        files.append(jf / "dict.txt")
    for p in files:
        try:
            st = p.stat()
            parts.append(f"{p.name}:{st.st_size}:{st.st_mtime_ns}")
        except OSError:
            parts.append(f"no-{p.name}")
    return "\n".join(parts)


def _build_tables() -> dict:
    """The tables of :func:`tables`, computed from pypinyin's data and jieba's ``dict.txt`` (about 0.5 s)."""
    import re

    from .wordfreq import jieba_folder

    chars: dict[str, tuple[str, ...]] = {}
    for code, value in _pypinyin_data("pinyin_dict").items():
        ch = chr(code)
        if _gb2312(ch):
            chars[ch] = tuple(dict.fromkeys(_toneless(s, False) for s in value.split(",")))
    phrases = {}
    for word, syls in _pypinyin_data("phrases_dict").items():
        if len(syls) == len(word) and any(len(chars.get(ch, ())) > 1 for ch in word):
            phrases[word] = " ".join(_toneless(s[0], False) for s in syls)
    idioms: dict[str, int] = {}
    folder = jieba_folder()
    if folder is not None:
        try:
            data = (folder / "dict.txt").read_text(encoding="utf-8")
        except OSError:
            data = ""
        for m in re.finditer(r"(?m)^([\u4e00-\u9fff]{4,12}) (\d+) [il]$", data):
            if int(m.group(2)) >= IDIOM_FLOOR:
                idioms[m.group(1)] = int(m.group(2))
    sounds: dict[str, set[str]] = {}
    for ch, syls in chars.items():
        for syl in syls:
            sounds.setdefault(_fuzz(syl, True), set()).add(ch)
    return {
        "chars": PackedMap({ch: " ".join(syls) for ch, syls in chars.items()}),
        "sounds": PackedMap({syl: "".join(sorted(group)) for syl, group in sounds.items()}),
        "phrases": PackedMap(phrases),
        "idioms": PackedMap({w: str(f) for w, f in idioms.items()}),
    }


_tables: dict | None = None


def tables() -> dict:
    """``{"chars": {GB 2312 char: toneless readings, most common first, ü as v, separated by spaces},
    "sounds": {toneless syllable, ü as u: the GB 2312 characters with that reading among theirs},
    "phrases": {word with a 多音字: its readings in that word, separated by spaces}, "idioms": {jieba
    成语/习用语 of frequency at least :data:`IDIOM_FLOOR`: the frequency in decimal}}``, each a
    :class:`~djcheck.packed.PackedMap` (a run reads back a few milliseconds' worth, not 60,000 objects).

    Built once from pypinyin's data and jieba's ``dict.txt`` and kept as a pickle in the
    per-user cache folder (:func:`djcheck.cache.trusted_cache_dir`), keyed by the size and
    time of those files; without a usable cache folder it is built in memory each run.
    """
    global _tables
    if _tables is not None:
        return _tables
    import pickle

    from .cache import text_digest, trusted_cache_dir, write_atomic

    with _lock:
        if _tables is not None:
            return _tables
        key = text_digest(source_stamp())[:24]
        folder = trusted_cache_dir()
        path = folder / f"typolex-{key}.pickle" if folder is not None else None
        if path is not None:
            try:
                _tables = pickle.loads(path.read_bytes())
                return _tables
            except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError):
                pass
        _tables = _build_tables()
        if path is not None:
            write_atomic(path, pickle.dumps(_tables, protocol=pickle.HIGHEST_PROTOCOL))
        return _tables


def _fuzz(syl: str, fuzzy_u: bool) -> str:
    return syl.replace("v", "u") if fuzzy_u else syl


@lru_cache(maxsize=2)
def readings(fuzzy_u: bool = True) -> tuple[dict[str, tuple[str, ...]], dict[str, frozenset[str]]]:
    """``(char → its toneless syllables, most common first; syllable → the GB 2312 characters
    read so)`` from pypinyin's data. Every reading of a 多音字 counts (行: xing, hang, heng);
    with ``fuzzy_u`` ``ü`` counts as ``u`` (陆 lu ~ 履 lü). Builds both whole (about 20 ms): for
    building the screen; a check looks characters up with :func:`sound_alikes` and
    :func:`primary_reading`."""
    by_char: dict[str, tuple[str, ...]] = {}
    by_sound: dict[str, set[str]] = {}
    for ch, syls in tables()["chars"].items():
        sounds = tuple(dict.fromkeys(_fuzz(s, fuzzy_u) for s in syls.split(" ")))
        by_char[ch] = sounds
        for s in sounds:
            by_sound.setdefault(s, set()).add(ch)
    return by_char, {s: frozenset(c) for s, c in by_sound.items()}


@lru_cache(maxsize=8192)
def sound_alikes(ch: str, fuzzy_u: bool = True) -> frozenset[str]:
    """Characters (GB 2312) that share a toneless reading with ``ch``, ``ch`` itself excluded."""
    if not fuzzy_u:
        by_char, by_sound = readings(fuzzy_u)
        out: set[str] = set()
        for s in by_char.get(ch, ()):
            out |= by_sound.get(s, frozenset())
    else:
        t = tables()
        syls = t["chars"].get(ch)
        sounds = t["sounds"]
        out = set().union(*(sounds.get(_fuzz(s, True), "") for s in syls.split(" "))) if syls else set()
    out.discard(ch)
    return frozenset(out)


@lru_cache(maxsize=4)
def fixed_expressions(min_freq: int) -> dict[str, int]:
    """jieba's 成语 (tag ``i``) and 习用语 (tag ``l``) of four or more characters with at least
    ``min_freq`` as frequency: ``{expression: frequency}``. Empty when jieba's ``dict.txt`` is missing."""
    return {w: int(f) for w, f in tables()["idioms"].items() if int(f) >= min_freq}


@lru_cache(maxsize=4096)
def word_readings(word: str, fuzzy_u: bool = True) -> tuple[str, ...]:
    """The toneless pinyin of each character of ``word`` as read in that word: pypinyin's phrase
    data settles a 多音字 (核查 → he, cha); a word it lacks takes each character's most common reading."""
    phrase = tables()["phrases"].get(word)
    if phrase:
        return tuple(_fuzz(s, fuzzy_u) for s in phrase.split())
    return tuple(primary_reading(ch, fuzzy_u) for ch in word)


def reads_as(ch: str, syllable: str, fuzzy_u: bool = True) -> bool:
    """Whether the first (most common) reading pypinyin gives ``ch`` is the toneless ``syllable``
    (a typed character comes up under its common reading: 堤 dī, not its archaic shí)."""
    return primary_reading(ch, fuzzy_u) == syllable


def primary_reading(ch: str, fuzzy_u: bool = True) -> str:
    """The first reading pypinyin's data gives ``ch`` (a GB 2312 character), toneless; ``""`` when none."""
    syls = tables()["chars"].get(ch)
    return _fuzz(syls.split(" ", 1)[0], fuzzy_u) if syls else ""

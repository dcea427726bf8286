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

_lock = threading.Lock()
_lexicon: Lexicon | None = None


class Lexicon:
    """Word frequencies (jieba's dictionary plus the domain words), fetched on demand.

    Frequencies are jieba's counts (``dict.txt`` column 2); a string that is only the
    prefix of a word has frequency 0 and counts as no word.
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

    def load(self, text: str) -> None:
        """Fetch every dictionary entry that is a substring of ``text`` (so :meth:`route` can use them)."""
        from .wordfreq import reachable

        with self._lock:
            reachable(text, self._known, self._absent, self._fetch)

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

    def route(self, text: str) -> tuple[float, list[tuple[int, int]]]:
        """jieba's best segmentation of ``text`` (a run of Chinese characters) and its log-probability.

        The same dynamic programme as ``jieba.Tokenizer.calc`` (HMM off): each word
        scores ``log(frequency) - log(total)``, a character that is no word scores
        ``-log(total)``.

        Returns:
            ``(log_probability, spans)`` with ``spans`` the ``(start, end)`` character
            offsets of the words, in order.
        """
        self.load(text)
        known = self._known
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


@lru_cache(maxsize=2)
def readings(fuzzy_u: bool = True) -> tuple[dict[str, frozenset[str]], dict[str, frozenset[str]]]:
    """``(char → its toneless syllables, syllable → the GB 2312 characters read so)`` from pypinyin's data.

    Every reading of a 多音字 counts (行: xing, hang, heng).
    """
    import unicodedata

    from pypinyin.pinyin_dict import pinyin_dict

    by_char: dict[str, set[str]] = {}
    by_sound: dict[str, set[str]] = {}
    for code, value in pinyin_dict.items():
        ch = chr(code)
        if not _gb2312(ch):
            continue
        sounds = set()
        for syl in value.split(","):
            plain = "".join(
                c for c in unicodedata.normalize("NFD", syl) if not unicodedata.combining(c) or c == "\u0308"
            )
            plain = plain.replace("u\u0308", "u" if fuzzy_u else "v")
            sounds.add(plain)
        by_char[ch] = sounds
        for s in sounds:
            by_sound.setdefault(s, set()).add(ch)
    return (
        {c: frozenset(s) for c, s in by_char.items()},
        {s: frozenset(c) for s, c in by_sound.items()},
    )


def sound_alikes(ch: str, fuzzy_u: bool = True) -> frozenset[str]:
    """Characters (GB 2312) that share a toneless reading with ``ch``, ``ch`` itself excluded."""
    by_char, by_sound = readings(fuzzy_u)
    out: set[str] = set()
    for s in by_char.get(ch, ()):
        out |= by_sound.get(s, frozenset())
    out.discard(ch)
    return frozenset(out)


@lru_cache(maxsize=4)
def fixed_expressions(min_freq: int) -> dict[str, int]:
    """jieba's 成语 (tag ``i``) and 习用语 (tag ``l``) of four or more characters with at least
    ``min_freq`` as frequency: ``{expression: frequency}``. Empty when jieba's ``dict.txt`` is missing."""
    import re

    from .wordfreq import jieba_folder

    folder = jieba_folder()
    if folder is None:
        return {}
    try:
        data = (folder / "dict.txt").read_text(encoding="utf-8")
    except OSError:
        return {}
    out = {}
    for m in re.finditer(r"(?m)^([\u4e00-\u9fff]{4,12}) (\d+) [il]$", data):
        f = int(m.group(2))
        if f >= min_freq:
            out[m.group(1)] = f
    return out


@lru_cache(maxsize=4096)
def word_readings(word: str, fuzzy_u: bool = True) -> tuple[str, ...]:
    """The toneless pinyin of each character of ``word`` as read in that word (pypinyin's phrase
    data settles 多音字: 核查 → he, cha); ``ü`` as ``u`` with ``fuzzy_u``."""
    from pypinyin import Style, lazy_pinyin

    out = lazy_pinyin(word, style=Style.NORMAL, v_to_u=False, errors=lambda x: list(x))
    return tuple(s.replace("v", "u") if fuzzy_u else s for s in out)


def reads_as(ch: str, syllable: str, fuzzy_u: bool = True) -> bool:
    """Whether the first (most common) reading pypinyin gives ``ch`` is the toneless ``syllable``
    (a typed character comes up under its common reading: 堤 dī, not its archaic shí)."""
    return primary_reading(ch, fuzzy_u) == syllable


@lru_cache(maxsize=8192)
def primary_reading(ch: str, fuzzy_u: bool = True) -> str:
    """The first reading pypinyin's data gives ``ch``, toneless (``""`` when it has none)."""
    import unicodedata

    from pypinyin.pinyin_dict import pinyin_dict

    value = pinyin_dict.get(ord(ch))
    if not value:
        return ""
    syl = value.split(",")[0]
    plain = "".join(
        c for c in unicodedata.normalize("NFD", syl) if not unicodedata.combining(c) or c == "\u0308"
    )
    return plain.replace("u\u0308", "u" if fuzzy_u else "v")

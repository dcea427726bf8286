"""Chinese word segmentation (jieba) with the domain dictionary, started lazily.

jieba is imported only when a check first needs segmentation, and only once
per process. Its dictionary is not loaded whole: :mod:`djcheck.wordfreq`
keeps it in a SQLite store in the per-user cache folder (:func:`djcheck.paths.cache_dir`)
and fetches the entries each text can reach (same cuts, a few milliseconds
instead of 0.3–1.5 s); the store is rebuilt when jieba or the domain
dictionary changes.

The domain dictionary (``rules/domain-words.txt``) adds the field's fixed
terms (全面从严治党, 一岗双责, 四种形态, 三会一课 …) so they are kept whole.

When rjieba is installed (a default dependency where it has wheels; ``djcheck[fast]``
elsewhere) and loads, :func:`cut` and :func:`cut_for_search` let it compute the same
cuts 20–30 times faster (:mod:`djcheck.fastseg`); otherwise jieba cuts them.
``DJCHECK_SEGMENTER=jieba`` forces pure-Python jieba.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

from .paths import bundled_dir
from .wordfreq import StoreError

_lock = threading.Lock()
_tokenizer = None


def domain_words_file() -> Path:
    """The bundled domain dictionary: one word per line, optional frequency after a space."""
    return bundled_dir() / "domain-words.txt"


@lru_cache(maxsize=1)
def domain_words() -> tuple[tuple[str, int | None], ...]:
    """``(word, freq)`` pairs of the domain dictionary (``freq`` ``None`` lets jieba choose)."""
    out = []
    for raw in domain_words_file().read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        parts = line.split()
        freq = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None
        out.append((parts[0], freq))
    return tuple(out)


def tokenizer():
    """The shared jieba ``Tokenizer`` with the domain words added (created on first call).

    Started through :func:`djcheck.wordfreq.new_tokenizer`: the dictionary is
    read on demand from a per-user SQLite store, so the first cut costs
    milliseconds instead of loading jieba's whole dictionary; cuts are identical.
    """
    global _tokenizer
    if _tokenizer is not None:
        return _tokenizer
    with _lock:
        if _tokenizer is not None:
            return _tokenizer
        from .wordfreq import new_tokenizer

        _tokenizer = new_tokenizer(domain_words())
        return _tokenizer


_fast = None
_fast_tried = False
#: ``fastseg.DIVERGENT.search`` (set with the rjieba segmenter): texts rjieba would cut differently from jieba.
_divergent = None


def fast_segmenter():
    """The rjieba :class:`~djcheck.fastseg.Segmenter`, or ``None`` (rjieba not installed or not
    loading, ``DJCHECK_SEGMENTER=jieba``, or no usable dictionary store)."""
    global _fast, _fast_tried, _divergent
    if _fast_tried:
        return _fast
    with _lock:
        if not _fast_tried:
            if os.environ.get("DJCHECK_SEGMENTER", "").strip().lower() != "jieba":
                from .fastseg import DIVERGENT, new_segmenter

                _fast = new_segmenter(domain_words())
                if _fast is not None:
                    _fast.expect_many = _expect_many
                    _divergent = DIVERGENT.search
            _fast_tried = True
    return _fast


def reset() -> None:
    """Forget the segmenters chosen so far (after changing ``DJCHECK_SEGMENTER``; for tests)."""
    global _fast, _fast_tried, _tokenizer
    with _lock:
        _fast, _fast_tried, _tokenizer = None, False, None


def backend() -> str:
    """Which segmenter :func:`cut` uses: ``rjieba`` or ``jieba``."""
    return "rjieba" if fast_segmenter() is not None else "jieba"


_expect_many = False


def expect_many_texts() -> None:
    """Say that this process will segment many reports (a batch worker): with rjieba, the first
    cut then loads its whole dictionary (about 0.15 s, once) instead of fetching entries report by
    report. Costs nothing if nothing is segmented; no effect with pure-Python jieba."""
    global _expect_many
    _expect_many = True
    if _fast is not None:
        _fast.expect_many = True


def load_whole_dictionary() -> bool:
    """With rjieba, load its whole dictionary in this process now (as :func:`expect_many_texts` does at
    the first cut); ``False`` when there is no rjieba segmenter or it stays on demand.

    A batch started with ``fork`` calls this in the parent before its workers start, so that they
    inherit the dictionary instead of each building it (about 0.12 s of CPU per worker on a quiet
    machine, and the memory is shared between them until written)."""
    expect_many_texts()
    seg = fast_segmenter()
    return seg is not None and seg.load_full()


#: Characters segmented at a time (:func:`_stretches`): rjieba's working arrays for one cut take
#: about 30 bytes a character (a line of 3 M characters cut at once: +90 MiB at the peak besides
#: the words returned).
SEGMENT_STRETCH = 1 << 16
#: Where a stretch may end (just after): characters in no block that jieba or jieba-rs cuts, so
#: each is a token of its own in both and a cut never runs across one (not the ``\r`` of ``\r\n``).
_STRETCH_END = re.compile("[\n。！？；]")


def _stretches(text: str, size: int) -> Iterator[str]:
    """``text`` in consecutive pieces of at least ``size`` characters (the last may be shorter),
    each but the last ending just after a line break or a 。！？； (a piece with none of them after
    its first ``size`` characters runs to the end). jieba and jieba-rs cut each run of Chinese characters, letters and digits
    on its own and give every other character (a line break, or ``\r\n``) as a word of its own,
    so cutting the pieces one after the other gives exactly the cut of the whole text."""
    pos, n = 0, len(text)
    while pos < n:
        m = _STRETCH_END.search(text, pos + size) if pos + size < n else None
        end = m.end() if m else n
        yield text[pos:end]
        pos = end


def _segment(text: str, search: bool) -> list[str]:
    if len(text) <= SEGMENT_STRETCH:
        return _segment_one(text, search)
    out: list[str] = []
    for part in _stretches(text, SEGMENT_STRETCH):
        out += _segment_one(part, search)
    return out


def _segment_one(text: str, search: bool) -> list[str]:
    global _fast
    seg = _fast if _fast_tried else fast_segmenter()
    if seg is not None:
        if not _divergent(text):
            try:
                return seg.cut_for_search(text) if search else seg.cut(text)
            except StoreError:
                _fast = None  # the store broke mid-run: jieba falls back to its full dictionary
    tk = tokenizer()
    return list(tk.cut_for_search(text, HMM=False) if search else tk.cut(text, HMM=False))


def cut(text: str) -> list[str]:
    """Segment ``text`` into words (jieba precise mode, no HMM for new words).

    HMM is off so that unknown strings are split into known words and single
    characters, which keeps doubled-character detection predictable.
    """
    return _segment(text, False)


def cut_for_search(text: str) -> list[str]:
    """Segment ``text`` in jieba's search mode (HMM off): each word, preceded by the dictionary
    words of two and three characters inside it (工作作风 → 工作, 作风, 工作作风)."""
    return _segment(text, True)


def cut_spans(text: str) -> list[tuple[str, int, int]]:
    """Segment ``text`` into ``(word, start, end)`` with character offsets into ``text``."""
    out = []
    pos = 0
    for word in cut(text):
        out.append((word, pos, pos + len(word)))
        pos += len(word)
    return out

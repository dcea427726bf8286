"""Chinese word segmentation (jieba) with the domain dictionary, started lazily.

jieba is imported and its dictionary loaded only when a check first needs
segmentation, and only once per process. The loaded prefix dictionary is
cached in the per-user cache folder (:func:`cache_dir`) and read back with
``marshal.loads`` on the whole file, which is faster than jieba's own
cache loading; the cache key includes the jieba version and the dictionary's
size and modification time, so an upgrade invalidates it.

The domain dictionary (``rules/domain-words.txt``) adds the field's fixed
terms (全面从严治党, 一岗双责, 四种形态, 三会一课 …) so they are kept whole.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sys
import tempfile
import threading
from functools import lru_cache
from pathlib import Path

_lock = threading.Lock()
_tokenizer = None


def cache_dir() -> Path:
    """The per-user cache folder (``$XDG_CACHE_HOME/djcheck`` or ``~/.cache/djcheck``), created 0700.

    ``DJCHECK_CACHE_DIR`` overrides it. Returns a folder that may not be
    writable; callers treat cache writes as optional.
    """
    base = os.environ.get("DJCHECK_CACHE_DIR")
    if base:
        path = Path(base)
    elif sys.platform == "win32":
        path = Path(os.environ.get("LOCALAPPDATA", Path.home())) / "djcheck" / "cache"
    else:
        path = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "djcheck"
    try:
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError:
        pass
    return path


def domain_words_file() -> Path:
    """The bundled domain dictionary: one word per line, optional frequency after a space."""
    from importlib import resources

    return Path(str(resources.files("djcheck") / "rules" / "domain-words.txt"))


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


def _write_atomic(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except OSError:
        try:
            os.unlink(tmp)
        except OSError:
            pass


def tokenizer():
    """The shared jieba ``Tokenizer`` with the domain words added (created on first call)."""
    global _tokenizer
    if _tokenizer is not None:
        return _tokenizer
    with _lock:
        if _tokenizer is not None:
            return _tokenizer
        import logging

        import jieba

        jieba.setLogLevel(logging.WARNING)
        tk = jieba.Tokenizer()
        dict_path = Path(jieba.get_dict_file().name) if hasattr(jieba, "get_dict_file") else None
        stamp = f"{getattr(jieba, '__version__', '?')}"
        if dict_path and dict_path.exists():
            st = dict_path.stat()
            stamp += f"-{st.st_size}-{int(st.st_mtime)}"
        key = hashlib.sha1(stamp.encode()).hexdigest()[:12]
        cache = cache_dir() / f"jieba-{key}.marshal"
        loaded = False
        if cache.is_file():
            try:
                tk.FREQ, tk.total = marshal.loads(cache.read_bytes())
                tk.initialized = True
                loaded = True
            except (ValueError, EOFError, TypeError, OSError):
                loaded = False
        if not loaded:
            with tk.get_dict_file() as fh:
                tk.FREQ, tk.total = tk.gen_pfdict(fh)
            tk.initialized = True
            if cache.parent.is_dir():
                _write_atomic(cache, marshal.dumps((tk.FREQ, tk.total)))
        for word, freq in domain_words():
            tk.add_word(word, freq)
        _tokenizer = tk
        return tk


def cut(text: str) -> list[str]:
    """Segment ``text`` into words (jieba precise mode, no HMM for new words).

    HMM is off so that unknown strings are split into known words and single
    characters, which keeps doubled-character detection predictable.
    """
    return list(tokenizer().cut(text, HMM=False))


def cut_spans(text: str) -> list[tuple[str, int, int]]:
    """Segment ``text`` into ``(word, start, end)`` with character offsets into ``text``."""
    out = []
    pos = 0
    for word in cut(text):
        out.append((word, pos, pos + len(word)))
        pos += len(word)
    return out

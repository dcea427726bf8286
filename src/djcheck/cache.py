r"""The per-user on-disk store: every cache djcheck keeps between runs is read, written and trusted here.

Stored: resolved rule packs (:func:`djcheck.engine.load_pack_cached`), data files such as the events
list (:func:`load_data`), compiled regular expressions (:func:`compile_regex`; a module's own patterns are
:func:`lazy_pattern`\ s, compiled on first use) and the segmenter's
dictionary files (:mod:`djcheck.wordfreq`, :mod:`djcheck.fastseg`, through :func:`trusted_cache_dir`,
:func:`owned_file` and :func:`write_atomic`). The folder is
:func:`djcheck.paths.cache_dir`.

An entry (:func:`load_cached`) is reused while

- every file it was built from has the same size and SHA-256 digest, and
- the library is the same: djcheck version, Python version and the size and
  modification time of every module of the installed package (:func:`library_stamp`).

Anything else — a changed rule file, an upgrade, a corrupt, unreadable or
unwritable cache — silently falls back to building the value again.

Pickles are only read from a folder owned by the current user that neither the
group nor others may write to (on POSIX); otherwise the cache is not used, so a
shared or world-writable location can never inject code.

Imports nothing from djcheck above :mod:`djcheck.paths` and :mod:`djcheck.atomic`.
"""

from __future__ import annotations

import os
import pickle
import stat
import sys
from collections.abc import Callable
from functools import lru_cache, partial
from pathlib import Path

import regex

from .paths import cache_dir

try:  # CPython's built-in SHA-256: the same digests as hashlib without OpenSSL's start-up (a few ms a run)
    from _sha2 import sha256  # Python ≥ 3.12
except ImportError:
    try:
        from _sha256 import sha256  # Python 3.10–3.11
    except ImportError:
        from hashlib import sha256

#: Bumped when the layout of a cache entry changes.
CACHE_FORMAT = 1


def text_digest(text: str) -> str:
    """The SHA-256 hex digest (64 characters) of ``text`` encoded as UTF-8: for cache keys
    (CPython's built-in SHA-256 where there is one, see above)."""
    return sha256(text.encode("utf-8")).hexdigest()


def _trusted(path: Path, follow: bool, is_kind) -> bool:
    """Whether ``path`` (followed through links when ``follow``) is of the kind ``is_kind`` (``stat.S_ISDIR``
    …) and, on POSIX, owned by the current user and not writable by group or others."""
    try:
        st = path.stat() if follow else path.lstat()
    except OSError:
        return False
    if not is_kind(st.st_mode):
        return False
    return os.name != "posix" or (st.st_uid == os.getuid() and not st.st_mode & 0o022)


def trusted_cache_dir() -> Path | None:
    """The per-user cache folder if it is safe to read pickles from, else ``None``.

    Safe means (POSIX): a real folder owned by the current user and not writable
    by group or others. On Windows the per-user ``%LOCALAPPDATA%`` folder is used as is.
    """
    path = cache_dir()
    return path if _trusted(path, True, stat.S_ISDIR) else None


def write_atomic(path: Path, data: bytes) -> bool:
    """Write ``data`` to ``path`` through a private temporary file and a rename.

    The file is created 0600. Returns ``False`` (and leaves nothing behind) when
    the folder cannot be written; never raises ``OSError``.
    """
    from .atomic import write_bytes  # (imports tempfile: only when something is written)

    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        write_bytes(path, data, mode=0o600, fsync=False)
    except OSError:
        return False
    return True


def owned_file(path: Path) -> bool:
    """Whether ``path`` is a regular file (not a link) that may be trusted: on POSIX, owned by the
    current user and not writable by group or others."""
    return _trusted(path, False, stat.S_ISREG)


@lru_cache(maxsize=1)
def library_stamp() -> str:
    """Identity of the running djcheck code: version, Python version, module sizes and times.

    Editing any module of the package (an editable install during development)
    or upgrading it changes the stamp, so caches built by other code are ignored.
    """
    from . import __version__

    root = Path(__file__).resolve().parent
    parts = [__version__, f"{sys.version_info[0]}.{sys.version_info[1]}", str(CACHE_FORMAT)]
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            continue
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                if entry.name != "__pycache__" and not entry.name.startswith("."):
                    stack.append(Path(entry.path))
            elif entry.name.endswith(".py"):
                st = entry.stat()
                parts.append(f"{entry.path[len(str(root)):]}:{st.st_size}:{st.st_mtime_ns}")
    return sha256("\n".join(parts).encode("utf-8")).hexdigest()


def file_digest(path: str | Path) -> tuple[int, str] | None:
    """``(size in bytes, SHA-256 hex digest)`` of a file, or ``None`` if it cannot be read."""
    try:
        data = Path(path).read_bytes()
    except OSError:
        return None
    return len(data), sha256(data).hexdigest()


def _read_cached(file: Path):
    """The object cached in ``file`` if its header matches the library and its source files; else ``None``."""
    if not owned_file(file):
        return None
    try:
        data = file.read_bytes()
        import io

        stream = io.BytesIO(data)
        header = pickle.load(stream)
        if not isinstance(header, dict) or header.get("format") != CACHE_FORMAT:
            return None
        if header.get("stamp") != library_stamp():
            return None
        for name, size, digest in header["files"]:
            if file_digest(name) != (size, digest):
                return None
        return pickle.load(stream)
    except Exception:  # noqa: BLE001 - any damage to the cache means "not cached"
        return None


def _write_cached(file: Path, obj, sources: list[str], keep: int) -> None:
    files = []
    for name in sources:
        digest = file_digest(name)
        if digest is None:
            return
        files.append((str(Path(name).resolve()), *digest))
    header = {"format": CACHE_FORMAT, "stamp": library_stamp(), "files": files}
    try:
        data = pickle.dumps(header, protocol=pickle.HIGHEST_PROTOCOL) + pickle.dumps(
            obj, protocol=pickle.HIGHEST_PROTOCOL
        )
    except Exception:  # noqa: BLE001 - something that cannot be pickled is simply not cached
        return
    if write_atomic(file, data):
        _prune(file.parent, keep=keep)


def _prune(folder: Path, keep: int) -> None:
    try:
        entries = sorted(folder.glob("*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in entries[keep:]:
            old.unlink()
    except OSError:
        pass


def _resolved(name: str | Path) -> str:
    try:
        return str(Path(name).resolve())
    except OSError:
        return str(name)


def load_cached(
    folder: str,
    key: list[str],
    build: Callable[[], object],
    *,
    sources: Callable[[object], list[str]],
    keep: int,
    valid: Callable[[object], bool] = lambda _obj: True,
):
    """``build()`` through the per-user store: an entry under ``folder/`` of the cache folder, named by
    ``key`` (texts) and the library, reused while the files ``sources(value)`` are unchanged.

    Args:
        folder: the store's subfolder (``packs``, ``data``).
        key: what identifies the value besides the library (a resolved file name, search folders …).
        build: computes the value (from files) when no usable entry exists.
        sources: the files the built value was read from (their size and SHA-256 digest are recorded).
        keep: most entries kept in ``folder``; older ones are removed when a new one is written.
        valid: whether an object read back is of the expected type.

    Raises:
        whatever ``build`` raises (errors are never cached).
    """
    base = trusted_cache_dir()
    file = None
    if base is not None:
        digest = sha256("\n".join([*key, library_stamp()]).encode("utf-8")).hexdigest()[:40]
        file = base / folder / f"{digest}.pickle"
        cached = _read_cached(file)
        if cached is not None and valid(cached):
            return cached
    value = build()
    if file is not None:
        _write_cached(file, value, sources(value), keep)
    return value


#: Cached data files (events …) kept.
MAX_DATA_ENTRIES = 16


def load_data(kind: str, source: str | Path, build):
    """``build()`` — data read from the file ``source`` — through the per-user store (:func:`load_cached`).

    The result is pickled under ``data/`` in the cache folder and reused while
    ``source`` has the same size and SHA-256 digest and the library is the
    same (as for packs). ``kind`` names the data (``events``) in the key.

    Raises:
        whatever ``build`` raises (errors are never cached).
    """
    return load_cached("data", [kind, _resolved(source)], build, sources=lambda _v: [str(source)], keep=MAX_DATA_ENTRIES)


#: How an :class:`ExitStore` writes its dict unless told otherwise.
_PICKLE_DUMPS = partial(pickle.dumps, protocol=pickle.HIGHEST_PROTOCOL)


class ExitStore:
    """A dict of picklable values kept in one file of the per-user cache folder: read on first use,
    written back when the process exits if it gained entries.

    Args:
        name: the file name in the cache folder (it should name the versions the values depend on).
        accept: whether a value read back is usable (others are dropped).
        limit: most entries kept (beyond it, new ones are not added).
        dumps, loads: how the dict is written to and read from the file (:mod:`pickle` by default;
            :mod:`marshal` for code objects).
    """

    def __init__(
        self,
        name: str,
        *,
        accept: Callable[[object], bool],
        limit: int,
        dumps: Callable[[object], bytes] = _PICKLE_DUMPS,
        loads: Callable[[bytes], object] = pickle.loads,
    ):
        self.name, self.accept, self.limit, self.dumps, self.loads = name, accept, limit, dumps, loads
        self._entries: dict | None = None
        self._dirty = False

    def _file(self) -> Path | None:
        folder = trusted_cache_dir()
        return None if folder is None else folder / self.name

    def entries(self) -> dict:
        """The stored entries (read from the file on first call; empty when it is missing, damaged or foreign)."""
        if self._entries is None:
            self._entries = {}
            try:
                file = self._file()
                if file is not None and owned_file(file):
                    data = self.loads(file.read_bytes())
                    if isinstance(data, dict):
                        self._entries = {k: v for k, v in data.items() if self.accept(v)}
            except Exception:  # noqa: BLE001 - a damaged or foreign store is simply not used
                self._entries = {}
        return self._entries

    def add(self, key, value) -> None:
        """Keep ``value`` under ``key`` (written at exit), unless the store is full."""
        entries = self.entries()
        if len(entries) < self.limit:
            entries[key] = value
            if not self._dirty:
                import atexit

                atexit.register(self.save)
                self._dirty = True

    def save(self) -> None:
        """Write the entries to the file now if they changed (never raises)."""
        if not self._dirty or self._entries is None:
            return
        try:
            file = self._file()
            if file is not None:
                write_atomic(file, self.dumps(self._entries))
        except Exception:  # noqa: BLE001 - the store is an optimisation only
            pass


#: Most compiled patterns kept in the store (an organisation's packs add theirs; beyond this, new ones are not kept).
REGEX_STORE_LIMIT = 4000
_REGEXES = ExitStore(
    f"regex-{regex.__version__}-py{sys.version_info[0]}{sys.version_info[1]}-{CACHE_FORMAT}.pickle",
    accept=lambda v: isinstance(v, regex.Pattern),
    limit=REGEX_STORE_LIMIT,
)


def _record_code_store() -> ExitStore:
    """The compiled methods of :mod:`djcheck.records` (source text → code object), kept per
    interpreter bytecode version (the file name holds its magic number) in a :mod:`marshal` file."""
    import marshal
    from importlib.util import MAGIC_NUMBER
    from types import CodeType

    from . import records

    store = ExitStore(
        f"records-{MAGIC_NUMBER.hex()}-{CACHE_FORMAT}.marshal",
        accept=lambda v: isinstance(v, CodeType),
        limit=RECORD_STORE_LIMIT,
        dumps=marshal.dumps,
        loads=marshal.loads,
    )
    records.use_code_store(lambda source: store.entries().get(source), store.add)
    return store


#: Most compiled record methods kept (djcheck's records need about 100).
RECORD_STORE_LIMIT = 2000
_RECORD_CODE = _record_code_store()


def compile_regex(source: str, flags: int = 0) -> regex.Pattern:
    """``regex.compile(source, flags)``, read from the per-user store when compiled by an earlier run.

    The ``regex`` module pickles a pattern with its compiled code, so reading it back takes
    microseconds where compiling takes up to a millisecond (a run compiles a few dozen fixed
    patterns, about 30 ms). The store (keyed by the versions of ``regex`` and Python) is written
    when the process exits if it gained patterns. Same result and errors as ``regex.compile``.
    """
    key = (source, flags)
    found = _REGEXES.entries().get(key)
    if found is None:
        found = regex.compile(source, flags)
        _REGEXES.add(key, found)
    return found


class LazyPattern:
    """A regular expression compiled when it is first used (see :func:`lazy_pattern`).

    It offers every method and attribute of the compiled pattern (``search``, ``finditer``, ``sub``,
    ``pattern`` …): the first lookup of a name compiles the pattern and keeps the compiled pattern's
    attribute on this object, so later lookups cost what they cost on the compiled pattern itself.
    Pass ``.compiled`` where a real pattern object is needed (``re.sub(pattern, …)``, ``isinstance``).
    """

    def __init__(self, source: str, flags: int, engine: str):
        self._source, self._flags, self._engine = source, flags, engine

    @property
    def compiled(self):
        """The compiled pattern (a ``regex`` pattern from :func:`compile_regex`, or an ``re`` pattern)."""
        found = self.__dict__.get("_compiled")
        if found is None:
            if self._engine == "re":
                import re

                found = re.compile(self._source, self._flags)
            else:
                found = compile_regex(self._source, self._flags)
            self.__dict__["_compiled"] = found
        return found

    def __getattr__(self, name: str):
        if name.startswith("__") or name in ("_source", "_flags", "_engine", "_compiled"):
            raise AttributeError(name)
        value = getattr(self.compiled, name)
        self.__dict__[name] = value  # the next lookup finds it in the instance dict
        return value

    def __reduce__(self):
        return lazy_pattern, (self._source, self._flags, self._engine)

    def __repr__(self) -> str:
        return f"lazy_pattern({self._source!r}, {self._flags!r}, {self._engine!r})"


def lazy_pattern(source: str, flags: int = 0, engine: str = "regex") -> LazyPattern:
    """A module's own regular expression, compiled on first use instead of when the module is imported.

    What it buys: compiling a pattern costs from 0.3 M instructions (a short one) to 37 M (a set of
    Chinese characters in ``re``); a cold one-report run imports every check module but uses only some
    of their patterns. With ``engine="regex"`` (the default) the pattern comes from :func:`compile_regex`
    (the per-user store: read back in microseconds by the next run); ``engine="re"`` compiles it with the
    standard library's ``re``, which matches short texts faster but cannot be stored.

    Args:
        source: the pattern. flags: the engine's flags (``regex.VERSION1``, ``re.M`` …).
        engine: ``"regex"`` or ``"re"``.
    """
    if engine not in ("regex", "re"):
        raise ValueError(engine)
    return LazyPattern(source, int(flags), engine)

"""Per-user caches of expensive, stable work: the resolved rule pack.

Loading a pack means parsing YAML, validating it against JSON schemas and
compiling every pattern; the result depends only on the pack's files and on
the djcheck code. :func:`load_pack` keeps the resolved :class:`~djcheck.pack.Pack`
pickled in the per-user cache folder (:func:`djcheck.segment.cache_dir`) and
reuses it while

- every YAML file the pack was built from (the pack and the packs it extends)
  has the same size and SHA-256 digest, and
- the library is the same: djcheck version, Python version and the size and
  modification time of every module of the installed package.

Anything else — a changed rule file, an upgrade, a corrupt, unreadable or
unwritable cache — silently falls back to loading the pack from its files.

Pickles are only read from a folder owned by the current user that neither the
group nor others may write to (on POSIX); otherwise the cache is not used, so a
shared or world-writable location can never inject code.
"""

from __future__ import annotations

import os
import pickle
import stat
import sys
from functools import lru_cache
from pathlib import Path

try:  # CPython's built-in SHA-256: the same digests as hashlib without OpenSSL's start-up (a few ms a run)
    from _sha2 import sha256  # Python ≥ 3.12
except ImportError:
    try:
        from _sha256 import sha256  # Python 3.10–3.11
    except ImportError:
        from hashlib import sha256

#: Bumped when the layout of a cache entry changes.
CACHE_FORMAT = 1


def trusted_cache_dir() -> Path | None:
    """The per-user cache folder if it is safe to read pickles from, else ``None``.

    Safe means (POSIX): a real folder owned by the current user and not writable
    by group or others. On Windows the per-user ``%LOCALAPPDATA%`` folder is used as is.
    """
    from .segment import cache_dir

    path = cache_dir()
    try:
        st = path.stat()
    except OSError:
        return None
    if not stat.S_ISDIR(st.st_mode):
        return None
    if os.name == "posix" and (st.st_uid != os.getuid() or st.st_mode & 0o022):
        return None
    return path


def write_atomic(path: Path, data: bytes) -> bool:
    """Write ``data`` to ``path`` through a private temporary file and a rename.

    The file is created 0600. Returns ``False`` (and leaves nothing behind) when
    the folder cannot be written; never raises ``OSError``.
    """
    from .atomic import write_bytes

    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        write_bytes(path, data, mode=0o600, fsync=False)
    except OSError:
        return False
    return True


def _owned_file(path: Path) -> bool:
    try:
        st = path.lstat()
    except OSError:
        return False
    if not stat.S_ISREG(st.st_mode):
        return False
    return os.name != "posix" or (st.st_uid == os.getuid() and not st.st_mode & 0o022)


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


def pack_cache_file(path: Path, search: list[Path] | None = None) -> Path | None:
    """Where the cached pack for the pack file ``path`` lives (``None``: no trusted cache folder)."""
    folder = trusted_cache_dir()
    if folder is None:
        return None
    try:
        resolved = str(Path(path).resolve())
    except OSError:
        resolved = str(path)
    key = "\n".join([resolved, *(str(s) for s in search or []), library_stamp()])
    return folder / "packs" / f"{sha256(key.encode('utf-8')).hexdigest()[:40]}.pickle"


def _read_cached(file: Path):
    """The object cached in ``file`` if its header matches the library and its source files; else ``None``."""
    if not _owned_file(file):
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


def _read_cached_pack(file: Path):
    pack = _read_cached(file)
    from .pack import Pack

    return pack if isinstance(pack, Pack) else None


def _write_cached_pack(file: Path, pack) -> None:
    _write_cached(file, pack, pack.files, MAX_PACK_ENTRIES)


#: Cached packs kept; older entries (other pack files, earlier versions of the code) are removed.
MAX_PACK_ENTRIES = 32


def _prune(folder: Path, keep: int) -> None:
    try:
        entries = sorted(folder.glob("*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in entries[keep:]:
            old.unlink()
    except OSError:
        pass


def load_pack(name_or_path: str | Path, search: list[Path] | None = None):
    """:func:`djcheck.pack.load_pack` through the per-user cache; same arguments, result and errors.

    Returns:
        The resolved :class:`~djcheck.pack.Pack`, from the cache when its files
        and the library are unchanged, else loaded from YAML (and then cached).

    Raises:
        RuleError: as :func:`djcheck.pack.load_pack` (errors are never cached).
    """
    from .engine import load_pack as load_from_files
    from .pack import resolve_pack_path

    path = resolve_pack_path(str(name_or_path), None, search)
    file = pack_cache_file(path, search)
    if file is not None:
        pack = _read_cached_pack(file)
        if pack is not None:
            return pack
    pack = load_from_files(path, search)
    if file is not None:
        _write_cached_pack(file, pack)
    return pack


#: Cached data files (events …) kept.
MAX_DATA_ENTRIES = 16


def load_data(kind: str, source: str | Path, build):
    """``build()`` — data read from the file ``source`` — through the per-user cache.

    The result is pickled under ``data/`` in the cache folder and reused while
    ``source`` has the same size and SHA-256 digest and the library is the
    same (as for packs). ``kind`` names the data (``events``) in the key.

    Raises:
        whatever ``build`` raises (errors are never cached).
    """
    folder = trusted_cache_dir()
    file = None
    if folder is not None:
        try:
            resolved = str(Path(source).resolve())
        except OSError:
            resolved = str(source)
        key = "\n".join([kind, resolved, library_stamp()])
        file = folder / "data" / f"{sha256(key.encode('utf-8')).hexdigest()[:40]}.pickle"
        cached = _read_cached(file)
        if cached is not None:
            return cached
    data = build()
    if file is not None:
        _write_cached(file, data, [str(source)], MAX_DATA_ENTRIES)
    return data

"""Where djcheck's own files are: the bundled rule packs and word lists, and the per-user cache folder.

A leaf module (imports nothing from djcheck), so that every layer can ask for paths without importing
the layer that uses them.
"""

from __future__ import annotations

import functools
import os
import sys
from pathlib import Path

_PACKAGE = Path(__file__).parent


@functools.lru_cache(maxsize=1)
def bundled_dir() -> Path:
    """Folder of the bundled rule packs and word lists.

    An installed wheel carries them as ``djcheck/rules`` inside the package (the project's top-level
    ``rules/`` folder, copied there by hatch's ``force-include``); a source checkout or an editable
    install reads the top-level ``rules/`` beside ``src/`` directly. Computed from ``__file__`` without
    importing ``importlib.resources`` (several milliseconds a run).
    """
    inside = _PACKAGE / "rules"
    if inside.is_dir():
        return inside
    return _PACKAGE.parent.parent / "rules"


@functools.lru_cache(maxsize=1)
def _bundled_root() -> str:
    return str(bundled_dir().resolve())


@functools.lru_cache(maxsize=256)
def is_bundled(file: str | None) -> bool:
    """Whether pack file ``file`` is one of the packs shipped with djcheck (under :func:`bundled_dir`).

    A path that cannot be resolved (``OSError``) is not bundled.
    """
    if not file:
        return False
    try:
        resolved = str(Path(file).resolve())
    except OSError:
        return False
    root = _bundled_root()
    return resolved == root or resolved.startswith(root + "/") or resolved.startswith(root + "\\")


def cache_dir() -> Path:
    """The per-user cache folder, created 0700 when missing (its trust is checked by
    :func:`djcheck.cache.trusted_cache_dir`).

    ``DJCHECK_CACHE_DIR`` when set; on Windows ``%LOCALAPPDATA%\\djcheck\\cache``; elsewhere
    ``$XDG_CACHE_HOME/djcheck``, where (as the XDG Base Directory specification says) an empty or
    relative ``XDG_CACHE_HOME`` is ignored and ``~/.cache`` is used instead. Returns a folder that
    may not be writable; callers treat cache writes as optional.
    """
    base = os.environ.get("DJCHECK_CACHE_DIR")
    if base:
        path = Path(base)
    elif sys.platform == "win32":
        path = Path(os.environ.get("LOCALAPPDATA", Path.home())) / "djcheck" / "cache"
    else:
        xdg = os.environ.get("XDG_CACHE_HOME", "")
        path = (Path(xdg) if os.path.isabs(xdg) else Path.home() / ".cache") / "djcheck"
    try:
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError:
        pass
    return path

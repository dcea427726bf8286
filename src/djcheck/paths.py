"""Where djcheck's own files are: the bundled rule packs and word lists.

A leaf module (imports nothing from djcheck), so that every layer can ask for paths without importing
the layer that uses them.
"""

from __future__ import annotations

import functools
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

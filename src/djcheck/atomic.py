"""Atomic file writes: a temporary file in the target's folder, then :func:`os.replace`.

Every file djcheck writes — a draft fixed by ``--fix``, the Word copy of
``--annotate``, a report written with ``--output``, a cached rule pack — goes
through :func:`replacing`. The target is either left exactly as it was or
replaced as a whole: the new content is written to a hidden temporary file
(``.NAME.XXXX.tmp``) in the same folder (same file system, so the rename is
atomic), flushed to disk, given its permission bits, and renamed over the
target. If anything goes wrong before the rename — an I/O error, a full disk,
an exception in the code producing the content, Ctrl-C — the temporary file is
removed and the exception propagates.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

#: Temporary files are named ``.{target name}.{random}{TEMP_SUFFIX}``.
TEMP_SUFFIX = ".tmp"


def new_file_mode(target: str | os.PathLike) -> int:
    """Permission bits for a file written over ``target``: the existing file's, else ``0o666`` less the umask."""
    try:
        return os.stat(target).st_mode & 0o7777
    except OSError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask


@contextmanager
def replacing(path: str | os.PathLike, *, mode: int | None = None, fsync: bool = True) -> Iterator[BinaryIO]:
    """Open a temporary file to write; on success it replaces ``path``, on any exception it is removed.

    Args:
        path: the file to create or replace.
        mode: permission bits of the result; ``None``: :func:`new_file_mode` (keep the
            existing file's bits, else the usual ``0o666`` less the umask).
        fsync: flush the data to disk before the rename (off for caches).

    Yields:
        A binary file object on the temporary file.

    Raises:
        OSError: the folder cannot be written, or writing / renaming failed (``path``
            is then unchanged and no temporary file is left). Exceptions raised in
            the ``with`` block (``KeyboardInterrupt`` included) propagate the same way.
    """
    target = Path(path)
    final_mode = new_file_mode(target) if mode is None else mode
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=TEMP_SUFFIX)
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
            if fsync:
                os.fsync(fh.fileno())
        os.chmod(tmp, final_mode)  # mkstemp creates 0600
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def write_bytes(path: str | os.PathLike, data: bytes, **options) -> None:
    """Atomically write ``data`` to ``path`` (``options`` as for :func:`replacing`).

    Raises:
        OSError: see :func:`replacing`; ``path`` is then unchanged.
    """
    with replacing(path, **options) as fh:
        fh.write(data)

"""Every file djcheck writes goes through here: which targets may be written, and how.

Two ways of writing, one set of rules about the target:

* :func:`replacing` / :func:`write_bytes` — a new file (a report written with
  ``--output``, the Word copy of ``--annotate``, a cached rule pack): the content
  goes to a hidden temporary file (``.NAME.XXXX.tmp``) in the target's folder,
  is flushed to disk, given the old file's permission bits (and owner, when the
  process may set it) and renamed over the target. The target is either left
  exactly as it was or replaced as a whole.
* :func:`write_in_place` — a draft changed by ``--fix``: the user's own file is
  edited, not replaced, so its inode, hard links, permission bits and owner stay
  (and a symbolic link stays a link: the file it points to is edited). A copy of
  the old content is first written next to it (``.NAME.XXXX.tmp``); if writing
  the new content fails, the old content is written back and the copy removed.

:func:`check_write_target` is the one decision about targets. djcheck writes
only regular files: a device (``/dev/null``), a named pipe, a socket or a folder
is refused; so is a symbolic link unless the caller asks to follow links (the
``--allow-symlink`` option; ``--fix`` always edits the file a link points to);
so is a file nobody may write (``0444``) or the user may not write, and a file
owned by another user that could not be replaced without changing its owner.
A refusal is a :class:`WriteRefused` (an :class:`OSError` whose ``strerror`` is
one Chinese sentence), raised before anything is written.

Temporary files are removed on any exception, ``KeyboardInterrupt`` included;
:func:`cleanup_on_signals` turns SIGTERM and SIGHUP into such an exception so
that a stopped run leaves no temporary file behind either.
"""

from __future__ import annotations

import errno
import os
import signal
import stat
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

#: Temporary files are named ``.{target name}.{random}{TEMP_SUFFIX}``.
TEMP_SUFFIX = ".tmp"


class WriteRefused(OSError):
    """djcheck will not write this target; ``strerror`` says why in Chinese (one sentence, no final 。)."""

    def __init__(self, path: str | os.PathLike, reason: str):
        super().__init__(errno.EPERM, reason, str(path))

    def __str__(self) -> str:
        return f"{self.filename}：{self.strerror}"


def _may_write(st: os.stat_result, path: str) -> bool:
    """Whether the current user may write the file: some write bit set (root too) and ``os.access`` agrees."""
    return bool(st.st_mode & 0o222) and os.access(path, os.W_OK)


def check_write_target(path: str | os.PathLike, *, follow_symlinks: bool = False, must_exist: bool = False) -> Path:
    """Decide whether djcheck may write ``path``; returns the file to write (the link's target when following).

    Args:
        path: the file to create, replace or edit.
        follow_symlinks: a symbolic link is followed (else it is refused).
        must_exist: the file is edited in place (``--fix``), so it must exist.

    Returns:
        The path to write: ``path`` itself, or the resolved target of a followed link.

    Raises:
        WriteRefused: a device, pipe, socket or folder; a symbolic link not followed
            (or a broken one); a file the user may not write, or owned by another
            user that could not be replaced keeping its owner; a missing file for
            ``must_exist``.
    """
    target = Path(path)
    try:
        lst = os.lstat(target)
    except FileNotFoundError:
        if must_exist:
            raise WriteRefused(path, "找不到这个文件") from None
        return target
    except OSError as exc:
        raise WriteRefused(path, f"无法查看这个文件（{exc.strerror or exc}）") from None
    if stat.S_ISLNK(lst.st_mode):
        if not follow_symlinks:
            raise WriteRefused(
                path,
                "这是一个符号链接（快捷方式），djcheck 不会写入链接指向的文件：请换一个文件名，"
                "或确认无误后加 --allow-symlink",
            )
        real = Path(os.path.realpath(target))
        try:
            os.stat(real)
        except FileNotFoundError:
            if must_exist:
                raise WriteRefused(path, "这个符号链接指向的文件不存在") from None
            return real
        return check_write_target(real, follow_symlinks=False, must_exist=must_exist)
    if stat.S_ISDIR(lst.st_mode):
        raise WriteRefused(path, "这是一个文件夹，不能作为要写入的文件")
    if not stat.S_ISREG(lst.st_mode):
        raise WriteRefused(path, "这不是普通文件（是设备、管道或套接字），djcheck 只写入普通文件：请换一个文件名")
    if not _may_write(lst, str(target)):
        raise WriteRefused(path, "文件是只读的，或者你没有修改它的权限，文件未改动：如确需修改，请先取消只读属性")
    if not must_exist and lst.st_uid != os.geteuid() and os.geteuid() != 0:
        raise WriteRefused(path, "这个文件属于其他用户，覆盖后它的所有者会改变：请换一个文件名")
    return target


def new_file_mode(target: str | os.PathLike) -> int:
    """Permission bits for a file written over ``target``: the existing file's, else ``0o666`` less the umask."""
    try:
        return os.stat(target).st_mode & 0o7777
    except OSError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask


@contextmanager
def replacing(
    path: str | os.PathLike, *, mode: int | None = None, fsync: bool = True, follow_symlinks: bool = False
) -> Iterator[BinaryIO]:
    """Open a temporary file to write; on success it replaces ``path``, on any exception it is removed.

    Args:
        path: the file to create or replace (checked by :func:`check_write_target` first).
        mode: permission bits of the result; ``None``: :func:`new_file_mode` (keep the
            existing file's bits, else the usual ``0o666`` less the umask).
        fsync: flush the data to disk before the rename (off for caches).
        follow_symlinks: a symbolic link at ``path`` is followed and its target replaced
            (the link stays); otherwise a link is refused.

    Yields:
        A binary file object on the temporary file.

    Raises:
        WriteRefused: ``path`` may not be written (see :func:`check_write_target`); nothing is written.
        OSError: the folder cannot be written, or writing / renaming failed (``path``
            is then unchanged and no temporary file is left). Exceptions raised in
            the ``with`` block (``KeyboardInterrupt`` included) propagate the same way.
    """
    target = check_write_target(path, follow_symlinks=follow_symlinks)
    try:
        old = os.stat(target)
    except OSError:
        old = None
    final_mode = (old.st_mode & 0o7777 if old else new_file_mode(target)) if mode is None else mode
    import tempfile  # only when writing (its import costs a few ms a run)

    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=TEMP_SUFFIX)
    _TEMPORARY.add(tmp)
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
            if fsync:
                os.fsync(fh.fileno())
        if old is not None and (old.st_uid, old.st_gid) != (os.geteuid(), os.getegid()):
            try:
                os.chown(tmp, old.st_uid, old.st_gid)  # root writing over a user's file keeps it theirs
            except OSError:
                pass
        os.chmod(tmp, final_mode)  # mkstemp creates 0600
        check_write_target(target)  # nothing swapped in meanwhile (a link, a pipe)
        os.replace(tmp, target)
    except BaseException:
        _remove(tmp)
        raise
    finally:
        _TEMPORARY.discard(tmp)


def write_bytes(path: str | os.PathLike, data: bytes, **options) -> None:
    """Atomically write ``data`` to ``path`` (``options`` as for :func:`replacing`).

    Raises:
        OSError: see :func:`replacing` (:class:`WriteRefused` included); ``path`` is then unchanged.
    """
    with replacing(path, **options) as fh:
        fh.write(data)


def write_in_place(path: str | os.PathLike, data: bytes, *, expected: bytes | None = None) -> Path:
    """Replace the content of the existing file ``path`` by ``data``, keeping the file itself.

    The inode, hard links, permission bits and owner stay; a symbolic link is
    followed and stays a link. Before the file is changed: it is checked
    (:func:`check_write_target`, following links), the space ``data`` needs is
    reserved, and a copy of the old content is written next to the file when the
    folder allows it. If writing fails, the old content is written back.

    Args:
        path: the file to edit.
        data: its new content.
        expected: the content the new one was computed from; if the file no longer holds
            it (changed meanwhile), nothing is written.

    Returns:
        The file that was written (the link's target for a link).

    Raises:
        WriteRefused: not an existing regular file the user may write, or no longer
            ``expected``; nothing is written.
        OSError: reading or writing failed; the file holds its old content again
            (if even that failed, the message names the copy that holds it).
    """
    target = check_write_target(path, follow_symlinks=True, must_exist=True)
    fd = os.open(target, os.O_RDWR | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0))
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):  # swapped after the check
            raise WriteRefused(path, "这不是普通文件，djcheck 只写入普通文件")
        old = _read_all(fd, st.st_size)
        if expected is not None and old != expected:
            raise WriteRefused(path, "文件在检查之后被修改过，为免覆盖新的内容，没有修改：请重新运行")
        backup = _backup(target, old)
        try:
            if len(data) > len(old) and hasattr(os, "posix_fallocate"):
                try:
                    os.posix_fallocate(fd, 0, len(data))  # a full disk fails here, before any byte changes
                except OSError as exc:
                    if exc.errno not in (errno.EOPNOTSUPP, errno.EINVAL, getattr(errno, "ENOTSUP", -1)):
                        raise
            _write_all(fd, data)
            os.ftruncate(fd, len(data))
            os.fsync(fd)
        except BaseException:
            try:
                _write_all(fd, old)
                os.ftruncate(fd, len(old))
                os.fsync(fd)
            except OSError:
                if backup:
                    _TEMPORARY.discard(backup)  # keep it: it is the only copy of the old content
                    raise OSError(errno.EIO, f"写入失败，原来的内容保存在 {backup}") from None
                raise
            if backup:
                _remove(backup)
                _TEMPORARY.discard(backup)
            raise
        if backup:
            _remove(backup)
            _TEMPORARY.discard(backup)
    finally:
        os.close(fd)
    return target


def _read_all(fd: int, size: int) -> bytes:
    chunks, pos = [], 0
    while True:
        chunk = os.pread(fd, max(size - pos, 1 << 16), pos)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        pos += len(chunk)


def _write_all(fd: int, data: bytes) -> None:
    view, pos = memoryview(data), 0
    while pos < len(data):
        pos += os.pwrite(fd, view[pos:], pos)


def _backup(target: Path, old: bytes) -> str | None:
    """A hidden 0600 copy of ``old`` next to ``target`` (its path), or ``None`` when the folder is not writable."""
    import tempfile

    try:
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=TEMP_SUFFIX)
    except OSError:
        return None
    _TEMPORARY.add(tmp)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(old)
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException:
        _remove(tmp)
        _TEMPORARY.discard(tmp)
        raise
    return tmp


def _remove(tmp: str) -> None:
    try:
        os.unlink(tmp)
    except OSError:
        pass


# -- signals ----------------------------------------------------------------------------------
#: Temporary files being written right now (removed by the ``except`` blocks above; the set
#: lets :func:`remove_temporary_files` clean up when a signal arrives outside them).
_TEMPORARY: set[str] = set()


class Terminated(KeyboardInterrupt):
    """SIGTERM or SIGHUP arrived: unwinds like Ctrl-C, so every write in progress is rolled back."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


def _on_signal(signum, frame) -> None:
    raise Terminated(signum)


def cleanup_on_signals() -> None:
    """Make SIGTERM and SIGHUP raise :class:`Terminated` in the main thread (console entry point only).

    Every write in progress is then rolled back by its own ``except`` block and no
    ``.NAME.XXXX.tmp`` file is left; the process exits 128 + the signal number.
    """
    if threading.current_thread() is not threading.main_thread():
        return
    for name in ("SIGTERM", "SIGHUP"):
        signum = getattr(signal, name, None)
        if signum is not None and signal.getsignal(signum) in (signal.SIG_DFL, None):
            signal.signal(signum, _on_signal)


def remove_temporary_files() -> None:
    """Remove every temporary file still registered (last resort before the process ends)."""
    for tmp in list(_TEMPORARY):
        _remove(tmp)
        _TEMPORARY.discard(tmp)

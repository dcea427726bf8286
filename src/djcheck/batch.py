"""Check many drafts at once, in parallel worker processes, in a stable order.

A 纪委 collects reports from dozens or hundreds of units;
:func:`djcheck.runner.check_paths` checks a whole folder through :func:`check_files`. With ``jobs`` > 1 the files are split into small
chunks that worker processes check; each worker receives the
:class:`~djcheck.runner.Session` (settings, configuration and pack caches)
once when it starts, so it loads each pack at most once. Results always come back sorted by path, whatever
the number of workers, and a file that cannot be read (or breaks a rule at run
time) becomes a :class:`~djcheck.model.FileResult` with ``error`` set while the
others are still checked.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from .errors import ConfigError, DjcheckError, WorkersStopped, internal_error, naming
from .model import FileResult

#: Most files one worker task checks before reporting back (keeps the progress bar moving).
MAX_CHUNK = 16
#: Files per process from which segmentation loads its whole dictionary up front (see :mod:`djcheck.fastseg`).
MANY_FILES = 16

_worker_session = None


def default_jobs() -> int:
    """The number of CPU cores this process may use (at least 1)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def _check_one(path: str, session) -> FileResult:
    """Check one file; a rule failing on it becomes its error. A bad configuration
    file (:class:`ConfigError`) becomes the error of each file under it, naming the
    configuration file and line, and the files of other folders are still checked.

    An unexpected exception (a bug) also becomes this file's error, so the other
    files are still checked; set ``DJCHECK_DEBUG=1`` to let it propagate instead.
    """
    try:
        return session.check(path)
    except ConfigError as exc:
        return FileResult(path=path, error=config_error_message(path, exc))
    except DjcheckError as exc:  # e.g. a broken pack chosen by a folder's configuration
        return FileResult(path=path, error=naming(path, str(exc)))
    except Exception as exc:  # noqa: BLE001 - one file must not stop the batch
        if os.environ.get("DJCHECK_DEBUG"):
            raise
        return FileResult(path=path, error=internal_error(exc, path))


def config_error_message(path: str, exc: ConfigError) -> str:
    """The error of file ``path`` whose folder's configuration file is invalid (``exc`` names it and the line)."""
    return f"{path}：所在文件夹的配置文件有误，这份文件没有检查（改正配置文件后重新检查）：{exc}"


def _init_worker(session, many: bool = False, slots=None, counter=None) -> None:
    """Worker start: keep the session for every task; leave Ctrl-C to the parent process.
    ``many``: the worker will check many files (segmentation gets ready for a batch).
    ``slots`` / ``counter``: shared memory where the worker records the file it is checking
    (see :func:`_run_pool`). On Linux the worker is also ended when the parent process dies."""
    global _worker_session, _worker_slots, _worker_slot
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # A forked worker inherits the parent's SIGTERM/SIGHUP handler (djcheck.atomic.cleanup_on_signals),
    # which would print a traceback when the parent ends it; a worker writes nothing, so it just ends.
    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_DFL)
    _die_with_parent()
    _worker_session = session
    if slots is not None and counter is not None:
        with counter.get_lock():
            _worker_slot = counter.value
            counter.value += 1
        _worker_slots = slots if _worker_slot < len(slots) else None
    if many:
        from .segment import expect_many_texts

        expect_many_texts()


def _die_with_parent() -> None:
    """Linux: ask the kernel to send this worker SIGKILL when its parent dies (``PR_SET_PDEATHSIG``),
    so that a parent killed outright (``kill -9``, the OOM killer) leaves no orphaned worker."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes
        import signal

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, int(signal.SIGKILL), 0, 0, 0)  # 1 = PR_SET_PDEATHSIG
        if os.getppid() == 1:  # the parent died before the request: end now
            os._exit(1)
    except (OSError, AttributeError):
        pass


_worker_slots = None
_worker_slot = 0


def _check_chunk(chunk: list[tuple[int, str]]) -> list[FileResult]:
    """Check ``(index, path)`` pairs, recording each index in this worker's slot while it is checked."""
    out = []
    for index, path in chunk:
        if _worker_slots is not None:
            _worker_slots[_worker_slot] = index
        out.append(_check_one(path, _worker_session))
        if _worker_slots is not None:
            _worker_slots[_worker_slot] = -1
    return out


def _chunks(files: list[tuple[int, str]], jobs: int) -> list[list[tuple[int, str]]]:
    size = max(1, min(MAX_CHUNK, len(files) // (jobs * 4)))
    return [files[i : i + size] for i in range(0, len(files), size)]


#: Environment variable naming the multiprocessing start method of the workers (``fork``, ``spawn``,
#: ``forkserver``), e.g. to measure ``spawn`` (the default on Windows and macOS) on Linux.
START_METHOD_ENV = "DJCHECK_START_METHOD"


def _mp_context():
    """The multiprocessing context workers start with: :data:`START_METHOD_ENV` when it names a method
    this platform has, else ``fork`` on Linux (fastest: workers inherit the imported modules and caches),
    else the platform's default (``spawn`` on Windows and macOS)."""
    import multiprocessing

    methods = multiprocessing.get_all_start_methods()
    chosen = os.environ.get(START_METHOD_ENV, "").strip().lower()
    if chosen in methods:
        return multiprocessing.get_context(chosen)
    if sys.platform.startswith("linux") and "fork" in methods:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context()


def check_files(
    files: Sequence[str | Path],
    *,
    session,
    jobs: int | None = None,
    on_result: Callable[[FileResult], None] | None = None,
) -> list[FileResult]:
    """Check every file in ``files`` with ``session``.

    Args:
        files: draft paths (.txt / .md / .docx …); folders are not expanded here
            (see :func:`djcheck.runner.check_paths`).
        session: what checks one file: an object with ``check(path) -> FileResult`` that can be
            pickled (a :class:`~djcheck.runner.Session`); each worker process receives it once.
        jobs: worker processes; ``None`` = :func:`default_jobs`; 1 = check in this process.
        on_result: called in this process with each result as it arrives (completion
            order), e.g. to advance a progress bar.

    Returns:
        One :class:`FileResult` per file, sorted by path. A file that cannot be read,
        or whose configuration or pack is broken, gets a result with ``error`` set
        (an invalid configuration file never stops the batch).

    Raises:
        WorkersStopped: Ctrl-C while worker processes ran; they are ended before it is raised.
    """
    paths = [str(f) for f in files]
    jobs = min(default_jobs() if jobs is None else max(1, jobs), max(1, len(paths)))
    results: list[FileResult] = []

    def deliver(res: FileResult) -> None:
        results.append(res)
        if on_result is not None:
            on_result(res)

    if jobs <= 1:
        if len(paths) >= MANY_FILES:
            from .segment import expect_many_texts

            expect_many_texts()
        for path in paths:
            deliver(_check_one(path, session))
    else:
        _run_parallel(paths, session, jobs, deliver)
    results.sort(key=lambda r: r.path)
    return results


#: Shown for a file that ended a worker process twice (the second time checked alone).
WORKER_DIED = (
    "检查这份文件时工作进程意外退出（两次，可能内存不足或文件异常），这份文件没有检查；"
    "其他文件都已检查。可以单独用 --jobs 1 重新检查它，或把它另存一份再试。"
)
#: Shown when a worker process ended without any file being in its hands (none can be blamed).
POOL_BROKEN = "工作进程意外退出（可能内存不足），这份文件没有检查，请加 --jobs 1 重新检查。"


def _run_parallel(paths, session, jobs, deliver) -> None:
    """Check ``paths`` in worker processes; survive workers that die.

    When a worker dies (the OOM killer, a crash in a library), the pool breaks: the files it had
    not returned are checked again in a fresh pool. The files that were in a worker's hands at
    that moment are suspects: each is then checked alone in its own fresh worker, and one that
    ends that worker too is reported alone (:data:`WORKER_DIED`); every other file is checked.
    """
    many = len(paths) >= MANY_FILES * jobs
    suspects: list[str] = []
    pending = list(paths)
    while pending:
        unfinished, in_hand = _run_pool(pending, session, jobs, deliver, many, chunked=True)
        blamed = set(in_hand)
        suspects += [p for p in unfinished if p in blamed]
        pending = [p for p in unfinished if p not in blamed]
        if pending and not blamed:  # nothing to blame: do not loop; say what happened
            for p in pending:
                deliver(FileResult(path=p, error=f"{p}：{POOL_BROKEN}"))
            pending = []
    for path in suspects:
        unfinished, _ = _run_pool([path], session, 1, deliver, False, chunked=False)
        for p in unfinished:
            deliver(FileResult(path=p, error=f"{p}：{WORKER_DIED}"))


def _run_pool(paths, session, jobs, deliver, many, *, chunked) -> tuple[list[str], list[str]]:
    """One process pool over ``paths``; results are delivered as they come.

    Returns:
        ``(unfinished, in_hand)``: the files whose results were lost because the pool broke (a
        worker died), and among them those some worker was checking at that moment.
    """
    from concurrent.futures import ProcessPoolExecutor, as_completed
    from concurrent.futures.process import BrokenProcessPool

    context = _mp_context()
    if many and context.get_start_method() == "fork":  # workers inherit the dictionary instead of each building it
        from .segment import load_whole_dictionary

        load_whole_dictionary()
    slots = context.Array("q", [-1] * jobs, lock=False)
    counter = context.Value("i", 0)
    executor = ProcessPoolExecutor(
        max_workers=jobs,
        mp_context=context,
        initializer=_init_worker,
        initargs=(session, many, slots, counter),
    )
    indexed = list(enumerate(paths))
    unfinished: list[str] = []
    try:
        chunks = _chunks(indexed, jobs) if chunked else [[item] for item in indexed]
        # With fork every worker starts at the first submit, before any result is delivered.
        futures = {executor.submit(_check_chunk, chunk): chunk for chunk in chunks}
        for future in as_completed(futures):
            try:
                chunk_results = future.result()
            except BrokenProcessPool:
                unfinished += [p for _, p in futures[future]]
                continue
            for res in chunk_results:
                deliver(res)
    except KeyboardInterrupt as exc:  # Ctrl-C / SIGTERM / SIGHUP: the caller learns that the workers were ended
        _stop_workers(executor)
        raise WorkersStopped(getattr(exc, "signum", None)) from exc
    except BaseException:  # an error while delivering results
        _stop_workers(executor)
        raise
    if unfinished:
        _stop_workers(executor)
    else:
        executor.shutdown(wait=True)
    lost = set(unfinished)
    in_hand = [paths[i] for i in list(slots) if 0 <= i < len(paths) and paths[i] in lost]
    return unfinished, in_hand


def _stop_workers(executor) -> None:
    """Cancel the chunks not yet started and end the worker processes now.

    Workers ignore Ctrl-C (the parent handles it), so without this a Ctrl-C would
    wait for every running chunk to finish. Workers only read drafts, so ending
    them cannot leave a half-written file; they are joined, so none is left behind.
    """
    processes = list((getattr(executor, "_processes", None) or {}).values())
    executor.shutdown(wait=False, cancel_futures=True)
    for proc in processes:
        try:
            proc.terminate()
        except (OSError, ValueError, AttributeError):
            pass
    for proc in processes:
        try:
            proc.join(timeout=5)
        except (OSError, ValueError, AttributeError, AssertionError):
            pass


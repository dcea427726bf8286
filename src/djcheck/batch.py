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


def _init_worker(session, many: bool = False) -> None:
    """Worker start: keep the session for every task; leave Ctrl-C to the parent process.
    ``many``: the worker will check many files (segmentation gets ready for a batch)."""
    global _worker_session
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _worker_session = session
    if many:
        from .segment import expect_many_texts

        expect_many_texts()


def _check_chunk(paths: list[str]) -> list[FileResult]:
    return [_check_one(p, _worker_session) for p in paths]


def _chunks(files: list[str], jobs: int) -> list[list[str]]:
    size = max(1, min(MAX_CHUNK, len(files) // (jobs * 4)))
    return [files[i : i + size] for i in range(0, len(files), size)]


def _mp_context():
    import multiprocessing

    # fork is fastest (workers inherit the imported modules and caches); elsewhere
    # use the platform's default (spawn on Windows and macOS).
    if sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods():
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


def _run_parallel(paths, session, jobs, deliver) -> None:
    from concurrent.futures import ProcessPoolExecutor, as_completed
    from concurrent.futures.process import BrokenProcessPool

    many = len(paths) >= MANY_FILES * jobs
    executor = ProcessPoolExecutor(
        max_workers=jobs, mp_context=_mp_context(), initializer=_init_worker, initargs=(session, many)
    )
    try:
        # With fork every worker starts at the first submit, before any result is delivered.
        futures = {executor.submit(_check_chunk, chunk): chunk for chunk in _chunks(paths, jobs)}
        for future in as_completed(futures):
            try:
                chunk_results = future.result()
            except BrokenProcessPool:
                message = "检查这份文件的工作进程意外退出（可能内存不足），请加 --jobs 1 重新检查。"
                chunk_results = [FileResult(path=p, error=f"{p}：{message}") for p in futures[future]]
            for res in chunk_results:
                deliver(res)
    except KeyboardInterrupt as exc:  # Ctrl-C: the caller learns that the workers were ended
        _stop_workers(executor)
        raise WorkersStopped() from exc
    except BaseException:  # an error while delivering results
        _stop_workers(executor)
        raise
    executor.shutdown(wait=True)


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


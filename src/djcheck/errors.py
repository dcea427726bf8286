"""Errors that djcheck reports to the user as one line of plain Chinese.

Every error raised on purpose by the library derives from :class:`DjcheckError`.
The CLI prints ``str(error)`` and exits with code 2; it never shows a traceback.
"""

from __future__ import annotations


class DjcheckError(Exception):
    """Base class: a problem the user can fix, described in one Chinese sentence.

    Args:
        path: the file concerned (shown first), or ``None``.
        message: what is wrong and what to do, in Chinese.
        line: 1-based line in ``path`` when known.
    """

    def __init__(self, path: str | None, message: str, line: int | None = None):
        self.path = path
        self.message = message
        self.line = line
        super().__init__(str(self))

    def __str__(self) -> str:
        where = ""
        if self.path:
            from .safetext import shown  # a file name with a line break must not forge a line

            path = shown(self.path)
            where = f"{path}:{self.line}：" if self.line else f"{path}："
        return f"{where}{self.message}"


class InputError(DjcheckError):
    """A draft cannot be read: missing, empty, binary, undecodable, damaged."""


class RuleError(DjcheckError):
    """A rule pack (YAML) is malformed: syntax, unknown key, wrong type, bad regex."""


class ConfigError(DjcheckError):
    """A configuration file or command-line option is invalid."""


class WorkersStopped(KeyboardInterrupt):
    """Ctrl-C while a batch ran in worker processes; the workers were ended before this was raised.

    Python 3.11's exit hook for process pools can hang on, or print a traceback about,
    the interrupted pool's manager thread, so the console entry point ends the process
    with ``os._exit`` after its message (see :mod:`djcheck.cli_errors`).

    Args:
        signum: the signal that stopped the run (``signal.SIGTERM`` / ``SIGHUP``, see
            :class:`djcheck.atomic.Terminated`), or ``None`` for Ctrl-C.
    """

    def __init__(self, signum: int | None = None):
        super().__init__()
        self.signum = signum


def naming(path: str, message: str) -> str:
    """``message`` led by ``path`` (``报告.txt：…``) unless it already starts with it."""
    return message if message.startswith((f"{path}：", f"{path}:")) else f"{path}：{message}"


def internal_error(exc: BaseException, path: str | None = None) -> str:
    """One Chinese line for an unexpected exception (a bug in djcheck, not in the user's file), naming ``path``."""
    detail = " ".join(f"{type(exc).__name__}: {exc}".split())
    if len(detail) > 200:
        detail = detail[:199] + "…"
    if path:
        from .safetext import shown

        path = shown(path)
    where = f"{path}：" if path else ""
    return (
        f"{where}检查时出现内部错误（{detail}）。这是 djcheck 的问题，不是文件的问题："
        "请把这条信息反馈给维护者（设置环境变量 DJCHECK_DEBUG=1 可以看到详细信息）。"
    )

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
            where = f"{self.path}:{self.line}：" if self.line else f"{self.path}："
        return f"{where}{self.message}"


class InputError(DjcheckError):
    """A draft cannot be read: missing, empty, binary, undecodable, damaged."""


class RuleError(DjcheckError):
    """A rule pack (YAML) is malformed: syntax, unknown key, wrong type, bad regex."""


class ConfigError(DjcheckError):
    """A configuration file or command-line option is invalid."""

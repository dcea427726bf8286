"""A progress bar for batch checks (rich), drawn on a terminal stream and removed when done."""

from __future__ import annotations

from contextlib import contextmanager
from typing import TextIO

from ..model import FileResult


class _NoProgress:
    def advance(self, result: FileResult) -> None:  # noqa: ARG002 - same shape as the bar
        """Do nothing."""


@contextmanager
def progress_bar(total: int, stream: TextIO, *, enabled: bool = True):
    """Context manager yielding an object whose ``advance(result)`` moves the bar one file.

    Args:
        total: number of files to check.
        stream: where to draw (the CLI passes stderr, so stdout stays clean).
        enabled: ``False`` (quiet, piped, non-rich output) yields a no-op object and imports nothing.
    """
    if not enabled or total <= 1:
        yield _NoProgress()
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    console = Console(file=stream)
    with Progress(
        TextColumn("[bold]检查中"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("剩余"),
        TimeRemainingColumn(),
        TextColumn("{task.fields[name]}", style="dim"),
        console=console,
        transient=True,
        # No refresh thread (batch workers may be forked after the bar appears) and
        # no redirection of sys.stdout / sys.stderr: the bar is redrawn on each file.
        auto_refresh=False,
        redirect_stdout=False,
        redirect_stderr=False,
    ) as bar:
        task = bar.add_task("检查", total=total, name="")

        class _Bar:
            def advance(self, result: FileResult) -> None:
                """Count ``result`` as done."""
                name = result.path.replace("\\", "/").rsplit("/", 1)[-1]
                bar.update(task, advance=1, name=name, refresh=True)

        yield _Bar()

"""Rich output for several files: a summary table, worst first.

One file → its checklist (:mod:`djcheck.report.rich_report`). Several files →
one row per file (file, report type, score, verdict, missing and weak items,
by their short names so that the table fits an 80-column terminal) and a count
line; with ``verbose`` every checklist is printed first.
"""

from __future__ import annotations

import os
from typing import TextIO

from ..model import FileResult
from . import rich_report, terminal_safe
from .summary import rows, totals

_VERDICT_STYLE = {"通过": "green", "未通过": "red", "无法读取": "red", "未识别": "cyan"}


def write(
    results: list[FileResult], stream: TextIO, *, color: bool = True, verbose: bool = False, **options
) -> None:
    """Write the checklist of a single result, or the summary table of several."""
    if len(results) <= 1 or verbose:
        rich_report.write(results, stream, color=color, verbose=verbose, **options)
        if len(results) <= 1:
            return
        stream.write("\n")
    write_table(results, stream, color=color, hint=not verbose)


def write_table(results: list[FileResult], stream: TextIO, *, color: bool = True, hint: bool = True) -> None:
    """The summary table of ``results`` (worst first) and a line of totals."""
    from rich.cells import cell_len
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    results = terminal_safe(results)  # no control character of a file name reaches the terminal
    console = Console(file=stream, no_color=not color, highlight=False, force_terminal=color or None)
    summary = rows(results)
    genres = {r.genre_short for r in summary if r.genre_short}
    one_genre = len(genres) == 1 and all(r.genre or r.note for r in summary)
    base = _common_folder([r.path for r in summary])
    title = "检查汇总（问题最多的在前）"
    if base:
        title += f"\n文件夹：{base}"
    if one_genre:
        title += f"\n报告类型：{next(r.genre for r in summary if r.genre)}"
    table = Table(title=title, header_style="bold")
    # a file name is what the reader looks for: kept whole up to 40 columns, the other columns wrap
    names = [os.path.relpath(r.path, base) if base else r.path for r in summary]
    widest = max((cell_len(n) for n in names), default=4)
    table.add_column("文件", overflow="fold", min_width=min(widest, 40))
    if not one_genre:
        table.add_column("报告类型", overflow="fold")
    table.add_column("得分", justify="right", no_wrap=True)
    table.add_column("结论", overflow="fold")
    table.add_column("✖ 缺失项", overflow="fold")
    table.add_column("⚠ 较弱项", overflow="fold")
    for r in summary:
        score = "" if r.score is None else f"{r.score:g}"
        if r.verdict in ("无法读取", "未识别"):
            missing = Text(_strip_path(r.note, r.path), style="red" if r.verdict == "无法读取" else "dim")
        else:
            missing = Text("\n".join(r.missing_short), style="red")
        shown = os.path.relpath(r.path, base) if base else r.path
        cells = [shown] + ([] if one_genre else [r.genre_short])
        cells += [
            score,
            _verdict_cell(r),
            missing,
            Text("\n".join(r.weak_short), style="yellow"),
        ]
        table.add_row(*cells)
    console.print(table)
    t = totals(results)
    line = f"共 {t['total']} 份：通过 {t['passed']} 份，未通过 {t['failed']} 份"
    if t["unreadable"]:
        line += f"，无法读取 {t['unreadable']} 份"
    if t["unrecognised"]:
        line += f"，未识别 {t['unrecognised']} 份"
    console.print(Text(line, style="bold"))
    if hint:
        console.print(Text("查看某一份的详细清单：djcheck check 文件名；或加 -v 列出每一份的清单。", style="dim"))


def _verdict_cell(r):
    """The 结论 cell: the verdict, and for a failed file why it fails (dim, one reason a line,
    without the details in parentheses: the item columns name them)."""
    from rich.text import Text

    cell = Text(r.verdict, style=f"bold {_VERDICT_STYLE.get(r.verdict, '')}")
    if r.verdict == "未通过" and r.note:
        reasons = [reason.split("（", 1)[0] for reason in r.note.split("；")]
        cell.append("\n" + "\n".join(reasons), style="dim")
    return cell


def _strip_path(message: str, path: str) -> str:
    prefix = f"{path}："
    return message[len(prefix) :] if message.startswith(prefix) else message


def _common_folder(paths: list[str]) -> str:
    """The folder all ``paths`` lie in (shown once in the title), or ``""``."""
    if len(paths) < 2:
        return ""
    try:
        base = os.path.commonpath([os.path.dirname(p) or "." for p in paths])
    except ValueError:  # absolute and relative paths mixed, or several drives
        return ""
    return "" if base in ("", ".") else base

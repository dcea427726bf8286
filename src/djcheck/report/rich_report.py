"""Coloured checklist for the terminal (rich): ✔ present, ⚠ weak, ✖ missing."""

from __future__ import annotations

from typing import TextIO

from ..model import FileResult
from . import LEVEL_CN, STATUS_MARK, terminal_safe, verdict_cn

_STATUS_STYLE = {"ok": "green", "weak": "yellow", "missing": "red", "unchecked": "dim"}
_LEVEL_STYLE = {"error": "red", "warning": "yellow", "info": "cyan"}


def write(
    results: list[FileResult], stream: TextIO, *, color: bool = True, verbose: bool = False, **_o
) -> None:
    """Render each result as a checklist with findings and a score line."""
    from rich.console import Console
    from rich.text import Text

    results = terminal_safe(results)  # no control character of a file name reaches the terminal
    console = Console(
        file=stream, no_color=not color, highlight=False, soft_wrap=True, force_terminal=color or None
    )
    for n, res in enumerate(results):
        if n:
            console.print()
        if res.error:
            console.print(Text("✖ ", style="bold red") + Text(res.error))
            continue
        header = Text(res.path, style="bold")
        if not res.recognised:
            console.print(header + Text("  未识别为支持的报告类型，未评分", style="cyan"))
            if res.profile_reason:
                console.print(Text(f"  {res.profile_reason}", style="dim"))
            if res.findings:  # text rules still run on any document (runner.HYGIENE_RULES)
                console.print(Text("  只检查了占位符、重复字词、错别字、提法和标点：", style="dim"))
                _print_findings(console, res.findings, res)
                if res.passed is False:
                    console.print(Text("  有错误级问题（如未填写的占位符），不通过", style="bold red"))
            continue
        header.append(f"  ［{res.profile_title or res.profile}］", style="cyan")
        header.append(f" {res.profile}", style="dim")
        console.print(header)
        notes = []
        if res.profile_reason:
            notes.append(f"报告类型依据：{res.profile_reason}")
        if res.year:
            notes.append(
                f"报告年份：{res.year}（{res.year_reason}）" if res.year_reason else f"报告年份：{res.year}"
            )
        notes.extend(res.notes)
        for note in notes:
            console.print(Text(f"  {note}", style="dim"))
        for item in res.checklist:
            line = Text("  ")
            line.append(STATUS_MARK[item.status], style=f"bold {_STATUS_STYLE[item.status]}")
            quiet = item.status in ("ok", "unchecked")
            line.append(f" {item.title}", style="" if quiet else "bold")
            line.append(f" {item.id}", style="dim")  # the id for --profile, explain, .djcheck.yaml
            line.append(f"  {item.message}", style="dim" if quiet else "")
            said = res.place(item.line) in item.message if item.line else False  # one place per message
            if item.line and not quiet and not said:
                line.append(f"（{res.place(item.line)}）", style="dim")
            console.print(line)
            if item.status != "ok" and item.advice:
                console.print(Text(f"      建议：{item.advice}", style="dim"))
            if verbose and item.evidence:
                for ev in item.evidence:
                    console.print(Text(f"      · {ev}", style="dim"))
        if res.findings:
            console.print(Text("  问题位置：", style="bold"))
            _print_findings(console, res.findings, res)
        if res.suppressed:
            console.print(Text(f"  已按文中标记忽略 {res.suppressed} 处", style="dim"))
        style = "bold green" if res.passed else "bold red"
        score = Text(f"  得分 {res.score:g} / 100（合格线 {res.min_score:g}）  ")
        score.append(verdict_cn(res.passed), style=style)
        if not res.passed and res.fail_reasons:
            score.append("：" + "；".join(res.fail_reasons), style="red")
        console.print(score)


def _print_findings(console, findings, res) -> None:
    """One row per located finding: line:col (第N段:col for a Word file), level, rule id, message."""
    from rich.text import Text

    for f in findings:
        loc = f"{f.line}:{f.col}" if res.location_unit == "line" else f"{res.place(f.line)}:{f.col}"
        row = Text(f"    {loc:>7}  ")
        row.append(LEVEL_CN.get(f.level, f.level), style=_LEVEL_STYLE.get(f.level, ""))
        row.append(f"  {f.rule}  ", style="dim")
        row.append(f.message)
        console.print(row)

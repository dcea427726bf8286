"""Coloured checklist for the terminal (rich): ✔ present, ⚠ weak, ✖ missing."""

from __future__ import annotations

from typing import TextIO

from ..model import FileResult
from . import LEVEL_CN, STATUS_MARK, verdict_cn

_STATUS_STYLE = {"ok": "green", "weak": "yellow", "missing": "red", "unchecked": "dim"}
_LEVEL_STYLE = {"error": "red", "warning": "yellow", "info": "cyan"}


def write(
    results: list[FileResult], stream: TextIO, *, color: bool = True, verbose: bool = False, **_o
) -> None:
    """Render each result as a checklist with findings and a score line."""
    from rich.console import Console
    from rich.text import Text

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
            continue
        header.append(f"  ［{res.profile_title or res.profile}］", style="cyan")
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
            line.append(f"  {item.message}", style="dim" if quiet else "")
            unit = "段" if res.location_unit == "paragraph" else "行"
            said = f"第{item.line}{unit}" in item.message  # one place per message
            if item.line and not quiet and not said:
                line.append(f"（第{item.line}{unit}）", style="dim")
            console.print(line)
            if item.status != "ok" and item.advice:
                console.print(Text(f"      建议：{item.advice}", style="dim"))
            if verbose and item.evidence:
                for ev in item.evidence:
                    console.print(Text(f"      · {ev}", style="dim"))
        if res.findings:
            console.print(Text("  问题位置：", style="bold"))
            for f in res.findings:
                loc = f"{f.line}:{f.col}"
                row = Text(f"    {loc:>7}  ")
                row.append(LEVEL_CN.get(f.level, f.level), style=_LEVEL_STYLE.get(f.level, ""))
                row.append(f"  {f.rule}  ", style="dim")
                row.append(f.message)
                console.print(row)
        if res.suppressed:
            console.print(Text(f"  已按文中标记忽略 {res.suppressed} 处", style="dim"))
        style = "bold green" if res.passed else "bold red"
        score = Text(f"  得分 {res.score:g} / 100（合格线 {res.min_score:g}）  ")
        score.append(verdict_cn(res.passed), style=style)
        console.print(score)

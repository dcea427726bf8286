"""Plain format: ``path:line:col: level rule-id message`` lines, then a score line.

Editors and pre-commit parse these lines. Checklist items that are not ok come
first (column 1), then findings in position order.
"""

from __future__ import annotations

from typing import TextIO

from ..model import FileResult
from . import STATUS_MARK, terminal_safe


def write(results: list[FileResult], stream: TextIO, *, verbose: bool = False, **_options) -> None:
    """Write every result as plain lines to ``stream``.

    With ``verbose`` each item that is not ok is followed by its advice and
    evidence, indented four spaces (tools that parse ``path:line:col:`` skip them).
    """
    results = terminal_safe(results)  # no control character of a file name reaches the terminal
    for res in results:
        if res.error:
            stream.write(f"{res.error}\n")
            continue
        if not res.recognised:
            stream.write(f"{res.path}: info genre 未识别为支持的报告类型，未评分{_reason(res)}\n")
            _year(stream, res)
            for f in res.findings:  # text rules still run on any document (runner.HYGIENE_RULES)
                stream.write(f"{res.path}:{f.line}:{f.col}: {f.level} {f.rule} {f.message}\n")
            if res.findings:
                stream.write(f"{res.path}: 只检查了占位符、重复字词、错别字、提法和标点{verdict_note(res)}\n")
            continue
        for item in res.checklist:
            if item.status not in ("ok", "unchecked"):
                stream.write(
                    f"{res.path}:{item.line or 1}:1: {item.level} {item.id} "
                    f"{STATUS_MARK[item.status]} {item.title}：{item.message}\n"
                )
                if verbose:
                    if item.advice:
                        stream.write(f"    建议：{item.advice}\n")
                    for ev in item.evidence:
                        stream.write(f"    · {ev}\n")
        for f in res.findings:
            stream.write(f"{res.path}:{f.line}:{f.col}: {f.level} {f.rule} {f.message}\n")
        if res.profile_reason:
            stream.write(f"{res.path}: info genre 报告类型：{res.profile_title}［{res.profile}］，{res.profile_reason}\n")
        _year(stream, res)
        if res.suppressed:
            stream.write(f"{res.path}: info suppressed 已按文中标记忽略 {res.suppressed} 处\n")
        for note in res.notes:
            stream.write(f"{res.path}: 说明：{note}\n")
        stream.write(
            f"{res.path}: 得分 {res.score:g}/100（合格线 {res.min_score:g}）{res.verdict_text()}"
            f"［{res.profile}］\n"
        )


def _year(stream: TextIO, res: FileResult) -> None:
    """The report year and why (date-aware rules use it), when one was found."""
    if res.year:
        why = f"（{res.year_reason}）" if res.year_reason else ""
        stream.write(f"{res.path}: info year 报告年份：{res.year}{why}\n")


def verdict_note(res: FileResult) -> str:
    """For a text of no supported genre: why it fails, if it does."""
    return "，有错误级问题（如未填写的占位符），不通过" if res.passed is False else ""


def _reason(res: FileResult) -> str:
    return f"（{res.profile_reason}）" if res.profile_reason else ""

"""Plain format: ``path:line:col: level rule-id message`` lines, then a score line.

Editors and pre-commit parse these lines. Checklist items that are not ok come
first (column 1), then findings in position order.
"""

from __future__ import annotations

from typing import TextIO

from ..model import FileResult
from . import STATUS_MARK, verdict_cn


def write(results: list[FileResult], stream: TextIO, *, verbose: bool = False, **_options) -> None:
    """Write every result as plain lines to ``stream``.

    With ``verbose`` each item that is not ok is followed by its advice and
    evidence, indented four spaces (tools that parse ``path:line:col:`` skip them).
    """
    for res in results:
        if res.error:
            stream.write(f"{res.error}\n")
            continue
        if not res.recognised:
            stream.write(f"{res.path}: info genre 未识别为支持的报告类型，未评分{_reason(res)}\n")
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
        if res.suppressed:
            stream.write(f"{res.path}: info suppressed 已按文中标记忽略 {res.suppressed} 处\n")
        for note in res.notes:
            stream.write(f"{res.path}: 说明：{note}\n")
        stream.write(
            f"{res.path}: 得分 {res.score:g}/100（合格线 {res.min_score:g}）{verdict_cn(res.passed)}"
            f"［{res.profile}］\n"
        )


def _reason(res: FileResult) -> str:
    return f"（{res.profile_reason}）" if res.profile_reason else ""

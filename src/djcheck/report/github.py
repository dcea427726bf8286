"""GitHub Actions workflow commands (``--format github``) and the job-summary checklist.

Each weak or missing checklist item without findings of its own, then each
finding, becomes one line::

    ::error file=报告.txt,line=12,col=5,endLine=12,endColumn=7,title=djcheck placeholder::模板占位符……

(``warning`` for warnings, ``notice`` for info), and each file ends with a
``::notice`` carrying the score and verdict. GitHub shows these as annotations
on the file (it caps them at about ten per level and step, so the full
checklist also goes to the job summary, see :func:`write_summary`).

Escaping follows GitHub's toolkit (``@actions/core`` ``command.ts``): in the
message ``%`` → ``%25``, CR → ``%0D``, LF → ``%0A``; in property values
additionally ``:`` → ``%3A`` and ``,`` → ``%2C``. Any other control character (ESC, which
would start a colour or cursor sequence in the log …) is written as a visible escape
(:func:`djcheck.safetext.shown`).
"""

from __future__ import annotations

from typing import TextIO

from ..model import UNIT_CN, FileResult
from ..safetext import shown as safe_text
from . import STATUS_CN, STATUS_MARK

_COMMAND = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(text: str) -> str:
    """Escape a workflow-command message (the part after ``::``)."""
    return safe_text(text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def escape_property(text: str) -> str:
    """Escape a workflow-command property value (``file=``, ``title=`` …)."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(level: str, message: str, **props: object) -> str:
    """One workflow-command line, e.g. ``command("error", "msg", file="a.txt", line=3)``.

    Properties whose value is ``None`` are left out; order is kept.
    """
    name = _COMMAND.get(level, level)
    shown = ",".join(f"{k}={escape_property(str(v))}" for k, v in props.items() if v is not None)
    return f"::{name} {shown}::{escape_data(message)}" if shown else f"::{name}::{escape_data(message)}"


def write(results: list[FileResult], stream: TextIO, **_options) -> None:
    """Write workflow-command lines for every result to ``stream``."""
    for res in results:
        if res.error:
            stream.write(command("error", res.error, file=res.path, title="djcheck 无法读取文件") + "\n")
            continue
        if not res.recognised:
            stream.write(
                command("info", "未识别为支持的报告类型，未评分", file=res.path, title="djcheck") + "\n"
            )
            _findings(stream, res)  # text rules still run on any document (runner.HYGIENE_RULES)
            continue
        unit = UNIT_CN.get(res.location_unit, "行")
        with_findings = {f.rule for f in res.findings}
        for item in res.checklist:
            if item.status in ("ok", "unchecked") or item.id in with_findings:
                continue
            level = item.level if not (item.status == "weak" and item.level == "error") else "warning"
            text = f"{STATUS_MARK[item.status]} {item.title}：{item.message}"
            if item.advice:
                text += f"\n建议：{item.advice}"
            stream.write(
                command(
                    level, text, file=res.path, line=item.line or 1, title=f"djcheck {item.id} {item.title}"
                )
                + "\n"
            )
        _findings(stream, res)
        notes = "".join(f"\n{n}" for n in res.notes)
        stream.write(
            command(
                "info",
                f"得分 {res.score:g}/100（合格线 {res.min_score:g}），{res.verdict_text()}；"
                f"位置单位：{unit}{notes}",
                file=res.path,
                title=f"djcheck 得分 {res.score:g}",
            )
            + "\n"
        )



def _findings(stream, res) -> None:
    """One annotation per located finding of ``res``."""
    for f in res.findings:
        stream.write(
            command(
                f.level,
                f.message,
                file=res.path,
                line=f.line,
                col=f.col,
                endLine=f.end_line,
                endColumn=f.end_col,
                title=f"djcheck {f.rule}",
            )
            + "\n"
        )

def _md(text: object) -> str:
    """Make text safe inside a Markdown table cell (no pipes, no line breaks, no HTML)."""
    return (
        str(text)
        .replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("|", "\\|")
        .replace("\r", " ")
        .replace("\n", " ")
    )


def write_summary(results: list[FileResult], stream: TextIO) -> None:
    """Append the checklist of every file as Markdown (for ``$GITHUB_STEP_SUMMARY``)."""
    stream.write("## djcheck 检查结果\n\n")
    for res in results:
        name = _md(res.path)
        if res.error:
            stream.write(f"### ✖ {name}\n\n无法读取：{_md(res.error)}\n\n")
            continue
        if not res.recognised:
            stream.write(f"### {name}\n\n未识别为支持的报告类型，未评分。\n\n")
            continue
        mark = "✔" if res.passed else "✖"
        stream.write(
            f"### {mark} {name}：得分 {res.score:g}/100（合格线 {res.min_score:g}），{_md(res.verdict_text())}\n\n"
        )
        stream.write("| 状态 | 项目 | 说明 | 位置 |\n|---|---|---|---|\n")
        for item in res.checklist:
            where = res.place(item.line) if item.line else ""
            stream.write(
                f"| {STATUS_MARK[item.status]} {STATUS_CN[item.status]} | {_md(item.title)} | "
                f"{_md(item.message)} | {where} |\n"
            )
        if res.findings:
            stream.write(f"\n问题位置共 {len(res.findings)} 处（见文件上的标注）。\n")
        for note in res.notes:
            stream.write(f"\n> {_md(note)}\n")
        stream.write("\n")

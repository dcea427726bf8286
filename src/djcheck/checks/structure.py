"""Kind ``structure``: the report's required parts are present, announced by headings, in order.

Reports to superiors follow 工作情况/成效 → 存在的问题 → 下一步打算/整改措施
(domain catalogue §2; a county 纪委 sent back a report lacking 下步工作打算).
The parts themselves are found by :mod:`djcheck.parts` from the pack's
``parts:`` phrasings; kind ``part`` (:mod:`djcheck.checks.part`) judges one part's content.

Options:
    required: part kinds that must appear, in the order they must appear.

Verdict: missing when a required part is absent; weak when all are there
but one is announced only by a sentence inside a paragraph, or the order
is wrong; ok otherwise.
"""

from __future__ import annotations

from ..context import Context
from ..pack import Rule
from .outcome import Outcome, shorten

KIND = "structure"
DESCRIPTION_CN = "检查报告是否分设必备的几个部分、是否有单独的标题、顺序是否正确"

#: Checklist group: 0 structure, 1 required elements, 2 weak-item analysis, 3 located findings.
CHECKLIST_GROUP = 0

OPTIONS_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "properties": {"required": {"type": "array", "items": {"type": "string"}, "minItems": 1}},
}


def prepare(rule: Rule):
    return None


def run(rule: Rule, ctx: Context) -> Outcome:
    required = rule.options.get("required") or ["achievements", "problems", "next_steps"]
    parts = ctx.parts
    names = {k: ctx.part_title(k) for k in required}
    missing = [k for k in required if parts.get(k) is None]
    evidence = [
        f"{ctx.part_title(p.kind)}：第{p.line}行（{_via_cn(p.via)}{('“' + shorten(p.label, 20) + '”') if p.label else ''}）"
        for p in parts.parts
    ]
    if missing:
        listed = "、".join(f"“{names[k]}”" for k in missing)
        return Outcome("missing", f"缺少{listed}部分", ctx.last_line(), evidence=evidence)
    found = [parts.get(k) for k in required]
    order = [p.start for p in found]
    if order != sorted(order):
        seq = " → ".join(names[k] for k in sorted(required, key=lambda k: parts.get(k).start))
        return Outcome("weak", f"各部分顺序不对：现为 {seq}", found[0].line, evidence=evidence)
    soft = [p for p in found if p.via == "lead-in"]
    if soft:
        p = soft[0]
        return Outcome(
            "weak",
            f"“{names[p.kind]}”没有单独的标题，只在第{p.line}行段落中以“{shorten(p.label, 12)}”引出",
            p.line,
            evidence=evidence,
        )
    seq = " → ".join(f"{names[p.kind]}（第{p.line}行）" for p in found)
    return Outcome("ok", f"结构完整：{seq}", found[0].line, evidence=evidence)


def _via_cn(via: str) -> str:
    return {"heading": "标题", "lead-in": "段中引出", "label": "行内标注", "implicit": "未设标题"}.get(via, via)

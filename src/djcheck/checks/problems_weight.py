"""Kind ``problems-weight``: the problems part (存在的问题) carries weight in the report.

Reviewers' complaint: "报喜不报忧" — pages of achievements and a one-line
problems part (domain catalogue §3: a problems part below about 10 % of the
text is thin).

Share = non-whitespace characters of the part's content ÷ non-whitespace
characters of the whole document.

Options:
    part: the part kind (default ``problems``).
    min_share: weak below this share of the text (0–1, default 0.1).

Verdict: missing when the part is absent or empty; weak when its share is below
``min_share``; ok otherwise.
"""

from __future__ import annotations

from ..context import Context
from ..pack import Rule
from .outcome import NOT_APPLICABLE, Outcome

KIND = "problems-weight"
DESCRIPTION_CN = "检查“存在的问题”在全文中所占篇幅是否过少（报喜不报忧）"

#: Checklist group: 0 structure, 1 required elements, 2 weak-item analysis, 3 located findings.
CHECKLIST_GROUP = 2

OPTIONS_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "part": {"type": "string"},
        "min_share": {"type": "number", "minimum": 0, "maximum": 1},
    },
}


def prepare(rule: Rule):
    return None


def run(rule: Rule, ctx: Context) -> Outcome:
    kind = rule.options.get("part", "problems")
    title = ctx.part_title(kind)
    part = ctx.parts.get(kind)
    total = ctx.doc.char_count
    if part is None:
        return Outcome(NOT_APPLICABLE, f"没有“{title}”部分（占全文 0%）", ctx.last_line())
    chars = part.chars(ctx.doc)
    if chars == 0:
        return Outcome("missing", f"“{title}”部分没有内容", part.line)
    share = chars / max(total, 1)
    limit = rule.options.get("min_share", 0.1)
    evidence = [f"“{title}”{chars} 字，全文 {total} 字，占 {share:.1%}（合格线 {limit:.0%}）"]
    if share < limit:
        return Outcome(
            "weak",
            f"“{title}”只有 {chars} 字，占全文 {share:.1%}，与成绩部分相比分量过轻",
            part.line,
            evidence=evidence,
        )
    return Outcome("ok", f"“{title}”占全文 {share:.0%}", part.line, evidence=evidence)

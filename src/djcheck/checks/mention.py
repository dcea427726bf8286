"""Kind ``mention``: a required term is used, more than in passing.

Used for 主体责任 (《党委（党组）落实全面从严治党主体责任规定》, 2020): a
主体责任 report that names the duty only once, or only in its opening
sentence, reads as boilerplate.

Options:
    terms: the required terms (any counts), matched as plain text.
    related: related terms reported alongside (一岗双责, 两个责任 …).
    min_count: fewest mentions for ok (default 2).
    beyond_opening: weak when every mention is in the opening paragraph (default true).
    within: part kinds (``[causes]``); only mentions inside those parts count,
        and the verdict is missing when none of them is present.
"""

from __future__ import annotations

from bisect import bisect_right

from ..context import Context
from ..pack import Rule
from .outcome import Outcome

KIND = "mention"
DESCRIPTION_CN = "检查必备的提法是否出现、是否不止一次、是否不只在开头一笔带过"

#: Checklist group: 0 structure, 1 required elements, 2 weak-item analysis, 3 located findings.
CHECKLIST_GROUP = 1

OPTIONS_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["terms"],
    "properties": {
        "terms": {"type": "array", "items": {"type": "string", "minLength": 1}, "minItems": 1},
        "related": {"type": "array", "items": {"type": "string", "minLength": 1}},
        "min_count": {"type": "integer", "minimum": 1},
        "beyond_opening": {"type": "boolean"},
        "within": {"type": "array", "items": {"type": "string"}, "minItems": 1},
    },
}


def prepare(rule: Rule):
    return None


def _positions(text: str, term: str) -> list[int]:
    out, i = [], text.find(term)
    while i >= 0:
        out.append(i)
        i = text.find(term, i + len(term))
    return out


def run(rule: Rule, ctx: Context) -> Outcome:
    doc = ctx.doc
    opts = rule.options
    terms = opts["terms"]
    hits = sorted(pos for term in terms for pos in _positions(doc.text, term))
    within = [p for p in ctx.parts.parts if p.kind in opts.get("within", [])]
    if opts.get("within"):
        hits = [h for h in hits if any(p.start <= h < p.end for p in within)]
    related = {t: len(_positions(doc.text, t)) for t in opts.get("related", [])}
    related_note = "；".join(f"“{t}” {n} 次" for t, n in related.items() if n)
    name = "、".join(f"“{t}”" for t in terms)
    if opts.get("within") and not hits:
        where = "、".join(f"“{ctx.part_title(k)}”" for k in opts["within"])
        msg = rule.message or f"{where}部分没有提到{name}"
        if not within:
            msg = f"没有{where}部分，因而{msg}"
        return Outcome("missing", msg, within[0].line if within else ctx.last_line())
    if not hits:
        msg = rule.message or f"全文没有提到{name}"
        if related_note:
            msg += f"（相关提法：{related_note}）"
        return Outcome("missing", msg, 1)
    # a hit lies inside the text, so its line is the number of lines that start at or before it
    lines = sorted({bisect_right(doc.line_starts, h) for h in hits})
    kinds = []
    parts = ctx.parts.parts  # in document order, not overlapping
    starts = [p.start for p in parts]
    for h in hits:
        i = bisect_right(starts, h) - 1
        part = parts[i] if i >= 0 and h < parts[i].end else None
        label = ctx.part_title(part.kind) if part else "开头"
        if label not in kinds:
            kinds.append(label)
    evidence = [f"出现在第 {'、'.join(map(str, lines))} 行", f"分布：{'、'.join(kinds)}"]
    if related_note:
        evidence.append(f"相关提法：{related_note}")
    opening = ctx.parts.opening
    min_count = opts.get("min_count", 2)
    if len(hits) < min_count:
        return Outcome(
            "weak",
            f"{name}只提到 {len(hits)} 次（第{lines[0]}行），没有展开写如何落实",
            lines[0],
            evidence=evidence,
        )
    if opts.get("beyond_opening", True) and opening and all(opening.start <= h < opening.end for h in hits):
        return Outcome("weak", f"{name}只在开头段出现，正文没有写如何落实", lines[0], evidence=evidence)
    return Outcome("ok", f"提到{name} {len(hits)} 次，分布在{'、'.join(kinds)}", lines[0], evidence=evidence)

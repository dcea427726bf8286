"""Kind ``first-person``: personal material speaks of the person (本人 / 我) in its problems.

For 民主生活会对照检查材料 and 述责述廉报告 the problems must be the
writer's own ("见人见事见思想"); a problems part that speaks only of 班子,
有的同志 or 部分党员 shifts the blame (domain catalogue §3 QUAL-09). The
kind is generic; packs of the personal genres enable it.

Options:
    part: the part kind (default ``problems``).
    patterns: regexes of first-person words (data in the pack; ``我`` must
        not match the collective 我们 / 我局 / 我委 …).
    min_count: weak below this many first-person words in the part (default 1).
    team_title: regex; a document whose title matches it and names no person or post
        (个人, 书记, 局长 …) is a 领导班子's material, drafted in the 班子 voice (班子, 我们):
        the check does not apply to it (domain-2026 §6, §7.3).

Verdict: missing when the part is absent; weak when the part has fewer than
``min_count`` first-person words; ok otherwise. The evidence names the
items that never say 本人 / 我.
"""

from __future__ import annotations

from ..context import Context
from ..items import part_items
from ..pack import Rule
from . import NOT_APPLICABLE, Outcome
from .itemtools import STRING_LIST, cap, compile_list, distinct, quote, spans

#: Checklist group: 0 structure, 1 required elements, 2 weak-item analysis, 3 located findings.
CHECKLIST_GROUP = 2

OPTIONS_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["patterns"],
    "properties": {
        "part": {"type": "string"},
        "patterns": STRING_LIST,
        "min_count": {"type": "integer", "minimum": 1},
        "team_title": {"type": "string"},
    },
}


def prepare(rule: Rule):
    return compile_list(rule, "patterns", [])


def run(rule: Rule, ctx: Context) -> Outcome:
    if "team_title" in rule.options:
        from .yearly_theme import is_team_material

        if is_team_material(ctx, rule.compile(rule.options["team_title"], "team_title")):
            return Outcome(NOT_APPLICABLE, "领导班子的材料用班子的口吻，不要求写“本人”", ctx.last_line())
    kind = rule.options.get("part", "problems")
    title = ctx.part_title(kind)
    part = ctx.parts.get(kind)
    if part is None:
        return Outcome(NOT_APPLICABLE, f"没有“{title}”部分，无从判断是否查摆本人问题", ctx.last_line())
    doc = ctx.doc
    text = part.text(doc)
    if not text.strip():
        return Outcome("missing", f"“{title}”部分没有内容", part.line)
    words = [text[s:e] for s, e in spans(rule, rule.compiled, text)]
    items = part_items(ctx, kind)
    without = [it for it in (items.items if items else []) if not spans(rule, rule.compiled, it.text(doc))]
    evidence = [f"“{title}”中第一人称 {len(words)} 处" + (f"：{distinct(words, 4)}" if words else "")]
    evidence += [f"{quote(doc, it, 24)}（第{it.line(doc)}行）没有写“本人”或“我”" for it in without]
    if len(words) < rule.options.get("min_count", 1):
        return Outcome(
            "weak",
            f"“{title}”没有一处“本人”或“我”，查摆的是班子或他人的问题，不是本人的问题",
            part.line,
            evidence=cap(evidence),
        )
    msg = f"“{title}”用第一人称查摆本人问题（{len(words)} 处）"
    return Outcome("ok", msg, part.line, evidence=cap(evidence))

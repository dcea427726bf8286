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
    collective: regex; when the title names a collective author (领导班子) and not a
        person (``personal``), the material speaks in the 班子's voice and first person
        is not asked for (domain-2026 §7.3: a 领导班子对照检查材料 says 班子…, not 本人).
    personal: regex of the title words that make it personal all the same (个人, 本人).

Verdict: missing when the part is absent; weak when the part has fewer than
``min_count`` first-person words; ok otherwise. The evidence names the
items that never say 本人 / 我.
"""

from __future__ import annotations

from ..context import Context
from ..pack import Rule
from .itemtools import STRING_LIST, cap, compile_list, distinct, quote, spans
from .outcome import NOT_APPLICABLE, Outcome

KIND = "first-person"
DESCRIPTION_CN = "检查对照检查、述责述廉等个人材料的问题部分是否查摆到本人（本人、我），而不只说班子或别人"

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
        "collective": {"type": "string"},
        "personal": {"type": "string"},
    },
}


def prepare(rule: Rule):
    return compile_list(rule, "patterns", [])


def run(rule: Rule, ctx: Context) -> Outcome:
    kind = rule.options.get("part", "problems")
    title = ctx.part_title(kind)
    part = ctx.parts.get(kind)
    if part is None:
        return Outcome(NOT_APPLICABLE, f"没有“{title}”部分，无从判断是否查摆本人问题", ctx.last_line())
    doc = ctx.doc
    text = part.text(doc)
    if not text.strip():
        return Outcome("missing", f"“{title}”部分没有内容", part.line)
    voice = _collective_title(rule, ctx)
    if voice:
        return Outcome("ok", f"标题“{voice}”表明是班子材料，以班子名义查摆，不要求第一人称", part.line)
    words = [text[s:e] for s, e in spans(rule, rule.compiled, text)]
    items = ctx.items(kind)
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


def _collective_title(rule: Rule, ctx: Context) -> str:
    """The title line naming a collective author (``collective``, not ``personal``), or ``""``."""
    import regex

    from ..document import title_lines, title_zone

    collective = rule.options.get("collective")
    if not collective:
        return ""
    personal = rule.options.get("personal", "个人|本人")
    for line in title_zone(title_lines(ctx.doc)):
        if regex.search(collective, line) and not regex.search(personal, line):
            return line
    return ""

"""Kind ``measures-concrete``: the measures (下一步打算 / 整改措施) say who does what by when.

Reviewers' complaint: "整改措施针对性、操作性不强" — measures such as
"进一步加强学习教育" that name no owner, no deadline and no target
(人民网 2018; domain catalogue §3 QUAL-05). A measure that can be checked
off names a responsible unit or person (牵头, 负责, 责任单位), a time
(2026年6月底前, 每季度, 立行立改) or a figure (压减到15项以内, 每季度1次).

Each item of the measures part (split by :mod:`djcheck.items`) is tested
for three facets, each a regex list in the pack:

- ``owner_patterns``: 牵头, 负总责, 负责, 责任单位/人 …
- ``time_patterns``: a date, 年底前, 每季度, 限期, 立行立改 …
- ``figure_patterns``: a number with a unit.

A measure is concrete when it shows at least ``min_facets`` of them (default
2: a figure alone is often the problem restated — "对5家企业开展查处" — not
a commitment; the catalogue's own test is owner *and* deadline). "长期坚持"
is not a time: it sets no deadline.

Options:
    part: the part kind (default ``next_steps``).
    owner_patterns, time_patterns, figure_patterns: regex lists (data in the pack).
    min_facets: facets a measure needs to be concrete (1–3, default 2).
    min_share: weak when fewer than this share of the measures is concrete (default 0.5).

Verdict: missing when the part is absent or empty; weak when too few
measures are concrete; ok otherwise.
"""

from __future__ import annotations

import regex

from ..context import Context
from ..document import Document
from ..items import Item
from ..pack import Rule
from ..records import record
from .itemtools import NAMED, STRING_LIST, Firsts, capped, compile_list, distinct, labels, quote, spans
from .outcome import NOT_APPLICABLE, Outcome

KIND = "measures-concrete"
DESCRIPTION_CN = "检查整改措施是否写明责任主体、完成时限或数量目标，能否对照落实"

#: Checklist group: 0 structure, 1 required elements, 2 weak-item analysis, 3 located findings.
CHECKLIST_GROUP = 2

OPTIONS_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["owner_patterns", "time_patterns", "figure_patterns"],
    "properties": {
        "part": {"type": "string"},
        "owner_patterns": STRING_LIST,
        "time_patterns": STRING_LIST,
        "figure_patterns": STRING_LIST,
        "min_facets": {"type": "integer", "minimum": 1, "maximum": 3},
        "min_share": {"type": "number", "minimum": 0, "maximum": 1},
    },
}

FACETS = (("owner", "责任主体"), ("time", "时限"), ("figure", "数量目标"))


@record
class Compiled:
    owner: list[regex.Pattern]
    time: list[regex.Pattern]
    figure: list[regex.Pattern]


def prepare(rule: Rule) -> Compiled:
    return Compiled(
        compile_list(rule, "owner_patterns", []),
        compile_list(rule, "time_patterns", []),
        compile_list(rule, "figure_patterns", []),
    )


def facets(rule: Rule, text: str) -> dict[str, list[str]]:
    """``{"owner": [...], "time": [...], "figure": [...]}``: what ``text`` names of each facet."""
    comp: Compiled = rule.compiled
    return {name: [text[s:e] for s, e in spans(rule, getattr(comp, name), text)] for name, _ in FACETS}




def _shown(found: dict[str, list[str]]) -> str:
    """What a measure names of each facet: ``责任主体“……”；时限“……”``."""
    return "；".join(f"{cn}{distinct(found[name], 3)}" for name, cn in FACETS if found[name])


def _concrete_line(doc: Document, it: Item, found: dict[str, list[str]]) -> str:
    return f"措施{quote(doc, it, 20)}：{_shown(found)}"


def _vague_line(doc: Document, it: Item, found: dict[str, list[str]]) -> str:
    shown = _shown(found)
    detail = f"只有{shown}，" if shown else ""
    lacks = [cn for name, cn in FACETS if not found[name]]
    return f"措施{quote(doc, it, 24)}（第{it.line(doc)}行）：{detail}没有{'、'.join(lacks)}"


def run(rule: Rule, ctx: Context) -> Outcome:
    kind = rule.options.get("part", "next_steps")
    title = ctx.part_title(kind)
    items = ctx.items(kind)
    part = ctx.parts.get(kind)
    if items is None or part is None:
        return Outcome(NOT_APPLICABLE, f"没有“{title}”部分，无从判断措施是否具体", ctx.last_line())
    if not items.items:
        return Outcome("missing", f"“{title}”部分没有内容", part.line)
    doc = ctx.doc
    need = rule.options.get("min_facets", 2)
    # One item at a time, keeping what the message and the evidence show (a part can have
    # tens of thousands of items).
    vague = Firsts(NAMED)  # the first vague measures
    concrete = 0
    lines = Firsts(), Firsts()  # evidence: the vague measures, then the concrete ones
    for it in items:
        found = facets(rule, it.text(doc))
        if sum(1 for name, _ in FACETS if found[name]) >= need:
            concrete += 1
            lines[1].add(_concrete_line, doc, it, found)
        else:
            vague.keep(it)
            lines[0].add(_vague_line, doc, it, found)
    evidence = capped(*lines)
    n = len(items)
    share = concrete / n
    if share < rule.options.get("min_share", 0.5):
        listed = labels(vague.kept)
        if n == 1:
            msg = f"唯一的一条措施没有写明责任主体和完成时限（{listed}）"
        elif not concrete:
            msg = f"{n} 条措施都没有写明责任主体和完成时限（{listed}）"
        else:
            msg = f"{n} 条措施中 {vague.count} 条没有写明责任主体和完成时限（{listed}）"
        return Outcome("weak", msg, vague.kept[0].line(doc), evidence=evidence)
    msg = f"{n} 条措施中 {concrete} 条写明了责任主体、时限或数量目标" if n > 1 else "措施写明了责任主体和时限"
    return Outcome("ok", msg, part.line, evidence=evidence)

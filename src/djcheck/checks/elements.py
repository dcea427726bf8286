"""Kind ``elements``: a checklist of required contents, each told by regexes.

The governing documents name what a genre must cover: the areas of
《党委（党组）落实全面从严治党主体责任规定》 (政治建设, 思想建设 … 反腐败) for a 主体责任
report; 政治监督 and 信访举报 figures for a 监督责任 report; an overall judgement and the
一把手和领导班子 for a 政治生态 analysis (domain-2026 §6). Each element is a name and the
regexes that show it is there; the rule lists what is missing.

Options:
    elements: ``[{name, patterns: [regex, …], advice?}]``; an element is present when one of its
        patterns matches (inside ``within`` parts when given).
    min_found: how many elements must be present for ok (default: all).
    within: part kinds (``[achievements]``) to search instead of the whole text.

Verdict: ok when at least ``min_found`` elements are present; otherwise weak, or missing for an
``error``-level rule that finds none. The message names the missing elements.
"""

from __future__ import annotations

import regex

from ..context import Context
from ..pack import Rule
from ..records import record
from .outcome import Outcome

KIND = "elements"
DESCRIPTION_CN = "检查必备内容清单：按规则列出的几项内容（各用正则识别），列出没有写到的"

#: Checklist group: 0 structure, 1 required elements, 2 weak-item analysis, 3 located findings.
CHECKLIST_GROUP = 1

OPTIONS_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["elements"],
    "properties": {
        "elements": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["name", "patterns"],
                "properties": {
                    "name": {"type": "string", "minLength": 1},
                    "patterns": {"type": "array", "items": {"type": "string", "minLength": 1}, "minItems": 1},
                    "advice": {"type": "string"},
                },
            },
        },
        "min_found": {"type": "integer", "minimum": 1},
        "within": {"type": "array", "items": {"type": "string"}, "minItems": 1},
    },
}


@record
class Element:
    name: str
    patterns: list[regex.Pattern]
    advice: str


def prepare(rule: Rule) -> list[Element]:
    return [
        Element(e["name"], [rule.compile(p, "elements") for p in e["patterns"]], e.get("advice", ""))
        for e in rule.options["elements"]
    ]


def run(rule: Rule, ctx: Context) -> Outcome:
    elements: list[Element] = rule.compiled
    doc = ctx.doc
    within = rule.options.get("within")
    if within:
        texts = [p.text(doc) for p in ctx.parts.parts if p.kind in within]
    else:
        texts = [doc.text]
    found, missing = [], []
    for e in elements:
        hit = next((m for t in texts for p in e.patterns if (m := p.search(t))), None)
        (found if hit else missing).append((e, hit))
    need = rule.options.get("min_found", len(elements))
    evidence = [f"写到“{e.name}”：“{m.group()[:24]}”" for e, m in found]
    evidence += [f"没有写到“{e.name}”" + (f"：{e.advice}" if e.advice else "") for e, _ in missing]
    if len(found) >= need:
        return Outcome("ok", f"写到了{len(found)}/{len(elements)}项必备内容", evidence=evidence)
    names = "、".join(f"“{e.name}”" for e, _ in missing)
    status = "missing" if rule.level == "error" and not found else "weak"
    return Outcome(status, f"没有写到{names}", evidence=evidence)

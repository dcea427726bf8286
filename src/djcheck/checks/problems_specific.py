"""Kind ``problems-specific``: the problems (存在的问题) name concrete instances, and are real problems.

Superiors send reports back for "问题查摆不深不实": problems stated as
表象问题、共性问题 that could stand in any unit's report (共产党员网,
"见人见事见思想"; domain catalogue §3 QUAL-01, QUAL-02).

The part is split into items by :mod:`djcheck.items` (``（一）`` / ``一是`` /
``1.`` / sentences). For each item:

- *facts*: hard evidence, matched by ``fact_patterns`` — a figure with a unit,
  a date, a finding of an inspection or audit ("6月督查发现").
- *named instances*: matched by ``named_patterns`` — a person's role (书记,
  班子成员, 负责人), a meeting or system (三会一课, 组织生活会), a unit
  (支部, 科室, 一线单位), a named document (《……》).
- *hedges*: matched by ``hedges`` — 还不够, 有待加强, 一定程度上, 个别, 少数 …

An item is **specific** when it states a fact, or names an instance without
leaning on hedges (fewer than ``max_hedge_density`` hedges per 100
characters). Otherwise it is **generic**: it names nothing, or the few names
it has drown in hedges ("个别负责人……还不够严格……仍显不足").

An item is **praise** (an achievement disguised as a problem) when it matches
``praise_patterns`` (取得明显成效, 受到……肯定) or ``virtue_patterns``, faults
that are really virtues (标准还不够高, 热情过高, 忽视身体和家庭). In the
preamble and in unnumbered sentences a praise clause that concedes before
"但" ("虽然取得了一些成绩，但……") is the usual transition, not praise; inside
a numbered problem it counts.

Options:
    part: the part kind (default ``problems``).
    fact_patterns, named_patterns, hedges, praise_patterns, virtue_patterns:
        regex lists (data in the pack).
    max_hedge_density: hedges per 100 characters from which named instances
        no longer make an item specific (default 3.0; calibrated: seed 000's
        specific items have at most 2.0, the generic draft items 5.5 and more).
    max_generic_share: weak when more than this share of the items is generic
        (default 0.5: "most items").
    max_praise_items: weak when more items than this are praise (default 0).

Verdict: missing when the part is absent or empty; weak when most items are
generic, when the only item is generic (a token sentence such as
"还存在一些差距和不足"), or when an item is praise; ok otherwise.
"""

from __future__ import annotations

import regex

from ..cache import compile_regex
from ..context import Context
from ..document import Document, count_chars
from ..items import Item
from ..pack import Rule
from ..records import record
from .itemtools import (
    NAMED,
    STRING_LIST,
    Firsts,
    capped,
    compile_list,
    distinct,
    each_match,
    labels,
    matches,
    quote,
    spans,
)
from .outcome import NOT_APPLICABLE, Outcome, shorten

KIND = "problems-specific"
DESCRIPTION_CN = "检查“存在的问题”是否具体：每条问题有没有数据、时间或具体的人和事，是否把成绩当成问题来写"

#: Checklist group: 0 structure, 1 required elements, 2 weak-item analysis, 3 located findings.
CHECKLIST_GROUP = 2

OPTIONS_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["fact_patterns", "named_patterns", "hedges"],
    "properties": {
        "part": {"type": "string"},
        "fact_patterns": STRING_LIST,
        "named_patterns": STRING_LIST,
        "hedges": STRING_LIST,
        "praise_patterns": STRING_LIST,
        "virtue_patterns": STRING_LIST,
        "max_hedge_density": {"type": "number", "minimum": 0},
        "max_generic_share": {"type": "number", "minimum": 0, "maximum": 1},
        "max_praise_items": {"type": "integer", "minimum": 0},
    },
}

_CONCESSION = compile_regex(r"[，,]\s*(?:但|但是|然而|可是|不过)")


@record
class Compiled:
    facts: list[regex.Pattern]
    named: list[regex.Pattern]
    hedges: list[regex.Pattern]
    praise: list[regex.Pattern]
    virtue: list[regex.Pattern]


def prepare(rule: Rule) -> Compiled:
    return Compiled(
        compile_list(rule, "fact_patterns", []),
        compile_list(rule, "named_patterns", []),
        compile_list(rule, "hedges", []),
        compile_list(rule, "praise_patterns", []),
        compile_list(rule, "virtue_patterns", []),
    )


@record
class ItemVerdict:
    """What :func:`judge_item` found in one item.

    Attributes:
        item: the item judged.
        facts / named / hedges / praise: the matched texts.
        chars: non-whitespace characters of the item.
        generic: the item names no concrete instance (see the module docstring).
    """

    item: Item
    facts: list[str]
    named: list[str]
    hedges: list[str]
    praise: list[str]
    chars: int
    generic: bool


def _praise(rule: Rule, comp: Compiled, text: str, enumerated: bool) -> list[str]:
    found = matches(rule, comp.virtue, text)
    for m in each_match(rule, comp.praise, text):
        if not enumerated:
            sentence_end = min(
                [i for i in (text.find(c, m.end()) for c in "。；;！？") if i >= 0] or [len(text)]
            )
            if _CONCESSION.search(text, m.end(), sentence_end):
                continue
        found.append(m.group())
    return found


def judge_item(rule: Rule, doc: Document, item: Item, enumerated: bool) -> ItemVerdict:
    """Judge one problem item (facts, named instances, hedges, praise)."""
    comp: Compiled = rule.compiled
    text = item.text(doc)
    facts = [text[s:e] for s, e in spans(rule, comp.facts, text)]
    named = [text[s:e] for s, e in spans(rule, comp.named, text)]
    hedges = [text[s:e] for s, e in spans(rule, comp.hedges, text)]
    chars = count_chars(text)
    limit = rule.options.get("max_hedge_density", 3.0)
    density = 100.0 * len(hedges) / max(chars, 1)
    generic = not facts and (not named or density >= limit)
    return ItemVerdict(item, facts, named, hedges, _praise(rule, comp, text, enumerated), chars, generic)


def _why_generic(v: ItemVerdict) -> str:
    if v.named:
        why = f"只泛泛提到{distinct(v.named, 3)}，没有数据、时间或具体事例"
    else:
        why = "没有点出具体的单位、人员、会议、时间或数据"
    if v.hedges:
        why += f"，套用{distinct(v.hedges, 4)}"
    return why


def _gist(doc: Document, v: ItemVerdict) -> str:
    """The clause of the item holding its first hedge (``还存在一些差距和不足``), else its shortened title."""
    text = v.item.text(doc)
    if v.hedges:
        at = text.find(v.hedges[0])
        start = max([text.rfind(c, 0, at) for c in "，,。；;：:"] + [-1]) + 1
        ends = [i for i in (text.find(c, at) for c in "，,。；;") if i >= 0]
        return shorten(text[start : min(ends) if ends else len(text)], 30)
    return shorten(v.item.title(doc), 30)


#: Praise words the message shows (:func:`~djcheck.checks.itemtools.distinct`, then 等).
PRAISE_WORDS = 3


def _generic_line(doc: Document, v: ItemVerdict) -> str:
    return f"{quote(doc, v.item)}（第{v.item.line(doc)}行）：{_why_generic(v)}"


def _praise_line(doc: Document, v: ItemVerdict) -> str:
    return f"{quote(doc, v.item)}（第{v.item.line(doc)}行）：像是成绩而不是问题：{distinct(v.praise, 6)}"


def _specific_line(doc: Document, v: ItemVerdict) -> str:
    return f"{quote(doc, v.item)}：具体，点出了{distinct(v.facts + v.named, 4)}"


def run(rule: Rule, ctx: Context) -> Outcome:
    kind = rule.options.get("part", "problems")
    title = ctx.part_title(kind)
    items = ctx.items(kind)
    part = ctx.parts.get(kind)
    if items is None or part is None:
        return Outcome(NOT_APPLICABLE, f"没有“{title}”部分，无从判断问题是否具体", ctx.last_line())
    if not items.items:
        return Outcome("missing", f"“{title}”部分没有内容", part.line)
    doc = ctx.doc
    # One item at a time, keeping what the messages and the evidence show: the verdicts of every
    # item of a one-line report of 12 M characters (21,000 items) took tens of MiB.
    generic, praise = Firsts(NAMED), Firsts(NAMED)  # the first generic / praise items
    praise_words: dict[str, None] = {}  # the first distinct praise words, one more than are shown
    lines = Firsts(), Firsts(), Firsts()  # evidence: the generic items, the praise, the specific ones
    for it in items:
        v = judge_item(rule, doc, it, items.enumerated)
        if v.generic:
            generic.keep(v)
            lines[0].add(_generic_line, doc, v)
        else:
            lines[2].add(_specific_line, doc, v)
        if v.praise:
            praise.keep(v)
            lines[1].add(_praise_line, doc, v)
            for w in v.praise:
                if len(praise_words) > PRAISE_WORDS:
                    break
                praise_words.setdefault(w)
    evidence = capped(*lines)
    n = len(items)
    specific = n - generic.count
    share = generic.count / n
    max_share = rule.options.get("max_generic_share", 0.5)
    max_praise = rule.options.get("max_praise_items", 0)
    messages = []
    line = part.line
    if n == 1 and generic.count:
        v = generic.kept[0]
        messages.append(f"“{title}”只有一句笼统表述（“{_gist(doc, v)}”），没有列出具体问题")
        line = v.item.line(doc)
    elif share > max_share:
        listed = labels([v.item for v in generic.kept])
        if generic.count == n:
            messages.append(f"{n} 个问题都笼统空泛，没有点出具体事例、数据或时间（{listed}）")
        else:
            messages.append(
                f"{n} 个问题中有 {generic.count} 个笼统空泛，没有点出具体事例、数据或时间（{listed}）"
            )
        line = generic.kept[0].item.line(doc)
    if praise.count > max_praise:
        listed = labels([v.item for v in praise.kept])
        messages.append(f"问题{listed}把成绩或优点当作问题来写（{distinct(list(praise_words), PRAISE_WORDS)}）")
        if not messages[:-1]:
            line = praise.kept[0].item.line(doc)
    if messages:
        return Outcome("weak", "；".join(messages), line, evidence=evidence)
    if generic.count:
        msg = f"{n} 个问题中 {specific} 个点出了具体事例或数据"
    else:
        msg = f"{n} 个问题都点出了具体事例或数据" if n > 1 else "问题点出了具体事例或数据"
    return Outcome("ok", msg, part.line, evidence=evidence)

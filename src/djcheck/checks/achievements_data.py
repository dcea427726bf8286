"""Kind ``achievements-data``: the achievements (工作情况) are backed by figures.

Reviewers' complaint: "缺少数据支撑" — a work report that says 多次召开,
经常约谈, 不断加强 without a single count (domain catalogue §3 QUAL-06:
fewer than about 2 figures per 1,000 characters is thin).

A *quantified statement* is a number with a unit (``figure_patterns``:
12次, 53人次, 21件, 9.6万元, 80.5% …). Years, dates and ordinal names
(十九届六中全会, 第一种形态) are not figures. An unfilled template figure
(``**人次``) counts as a figure when ``count_placeholders`` is true (the
placeholder rule reports it separately), because the author did plan the data.

Options:
    part: the part kind (default ``achievements``).
    figure_patterns: regex list of quantified statements (data in the pack).
    placeholder_patterns: regex list of unfilled figures (``[*＊]+人次``).
    count_placeholders: count unfilled figures as figures (default true).
    min_per_1000: weak below this many figures per 1,000 characters (default 2.0).

Characters are non-whitespace characters of the part's content.

Verdict: missing when there is no achievements part; weak when the density
is below ``min_per_1000``; ok otherwise.
"""

from __future__ import annotations

import regex

from ..context import Context
from ..pack import Rule
from ..records import record
from .itemtools import STRING_LIST, compile_list, distinct, spans
from .outcome import NOT_APPLICABLE, Outcome

KIND = "achievements-data"
DESCRIPTION_CN = "检查“工作情况”是否有数据支撑（带单位的数字，如次数、人次、件数、金额）"

#: Checklist group: 0 structure, 1 required elements, 2 weak-item analysis, 3 located findings.
CHECKLIST_GROUP = 2

OPTIONS_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["figure_patterns"],
    "properties": {
        "part": {"type": "string"},
        "figure_patterns": STRING_LIST,
        "placeholder_patterns": STRING_LIST,
        "count_placeholders": {"type": "boolean"},
        "min_per_1000": {"type": "number", "minimum": 0},
    },
}


@record
class Compiled:
    figures: list[regex.Pattern]
    placeholders: list[regex.Pattern]


def prepare(rule: Rule) -> Compiled:
    return Compiled(compile_list(rule, "figure_patterns", []), compile_list(rule, "placeholder_patterns", []))


@record
class Density:
    """Figures found in a text.

    Attributes:
        figures: quantified statements as written (``28次``).
        placeholders: unfilled figures (``**人``).
        chars: non-whitespace characters of the text.
        counted: figures counted for the verdict.
        per_1000: ``counted`` per 1,000 characters.
    """

    figures: list[str]
    placeholders: list[str]
    chars: int
    counted: int
    per_1000: float


def density(rule: Rule, text: str) -> Density:
    """Count the quantified statements of ``text`` under ``rule``'s options."""
    from ..document import count_chars

    comp: Compiled = rule.compiled
    figures = [text[s:e] for s, e in spans(rule, comp.figures, text)]
    placeholders = [text[s:e] for s, e in spans(rule, comp.placeholders, text)]
    counted = len(figures) + (len(placeholders) if rule.options.get("count_placeholders", True) else 0)
    chars = count_chars(text)
    return Density(figures, placeholders, chars, counted, 1000.0 * counted / max(chars, 1))


def run(rule: Rule, ctx: Context) -> Outcome:
    kind = rule.options.get("part", "achievements")
    title = ctx.part_title(kind)
    part = ctx.parts.get(kind)
    if part is None or not part.text(ctx.doc).strip():
        return Outcome(NOT_APPLICABLE, f"没有“{title}”部分，无从判断成绩是否有数据支撑", 1)
    d = density(rule, part.text(ctx.doc))
    limit = rule.options.get("min_per_1000", 2.0)
    evidence = [f"“{title}”部分 {d.chars} 字，带单位的数字 {d.counted} 处，每千字 {d.per_1000:.1f} 处（合格线 {limit:g}）"]
    if d.figures:
        evidence.append(f"数据：{distinct(d.figures, 8)}")
    if d.placeholders:
        counted = "已计入" if rule.options.get("count_placeholders", True) else "未计入"
        evidence.append(f"未填写的数字 {len(d.placeholders)} 处（{counted}）：{distinct(d.placeholders, 5)}")
    if d.per_1000 < limit:
        if d.counted == 0:
            msg = f"“{title}”部分 {d.chars} 字，没有一处带单位的数据（会议次数、谈话人次、查处件数等）"
        else:
            msg = f"“{title}”部分 {d.chars} 字只有 {d.counted} 处数据（每千字 {d.per_1000:.1f} 处），成绩缺少数据支撑"
        return Outcome("weak", msg, part.line, evidence=evidence)
    return Outcome("ok", f"“{title}”部分有数据 {d.counted} 处（每千字 {d.per_1000:.1f} 处）", part.line, evidence=evidence)

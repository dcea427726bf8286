"""Kind ``yearly-theme``: a 民主生活会 对照检查材料 covers its year's theme and required parts.

Each year's notice sets the 民主生活会 theme and what the material must contain
(2024年度: the “四个带头” and 典型案例剖析; 2025年度: 落实中央八项规定精神 and the
学习教育整改落实情况 …; domain-2026 §5, §6). Those are data, keyed by 年度
(``rules/terms/themes.yaml``), so an office adds next year's without code.

The 年度 is the one the material names (“2025年度民主生活会”, in its title or
opening); failing that, the report's year (:mod:`djcheck.year`). A year with no
data, or no year at all, leaves the item out of the checklist.

Material of a 领导班子 (title names 领导班子 or 班子, not 个人 or a post) is ``team``;
the rest is ``personal``. An element may apply to one of them only (``for``).

Options:
    files: theme data files (default ``[terms/themes.yaml]``), relative to the pack file or
        the bundled ``rules/`` folder; a later file's year replaces an earlier one's.
    team_title: regex on the title that makes the material a 领导班子's.
    material: regex that the title or opening (first three paragraphs) must match for the check to
        apply (default: 民主生活会, 组织生活会, 对照检查 …), so that a rule added to every genre by
        an office's pack leaves other reports alone.

Verdict: ok when every required element of the year is found, weak when some are
missing (the message names them), with the year's theme in the evidence.
"""

from __future__ import annotations

from dataclasses import field

import regex

from ..cache import lazy_pattern
from ..context import Context
from ..pack import Rule
from ..records import record
from ..yamlio import LineList, load_yaml, validate
from .outcome import NOT_APPLICABLE, Outcome

KIND = "yearly-theme"
DESCRIPTION_CN = "检查民主生活会年度主题：对照检查材料是否写到本年度通知要求的主题和规定内容（按年度的数据）"

#: Checklist group: 0 structure, 1 required elements, 2 weak-item analysis, 3 located findings.
CHECKLIST_GROUP = 1

DEFAULT_MATERIAL = r"民主生活会|组织生活会|对照检查|对照检视|检视剖析|个人剖析|检视问题"
DEFAULT_TEAM_TITLE = r"(?:领导)?班子(?!成员)(?![^。\n]{0,20}个人)"

_YEAR_OF_MEETING = lazy_pattern(r"(?<!\d)(20\d{2})\s*年度[^。\n]{0,24}?(?:民主生活会|组织生活会|对照检查|检视剖析)")
_PERSONAL = lazy_pattern(r"个人|本人|书记|局长|主任|部长|厅长|处长|县长|市长|区长|镇长|乡长|院长|校长|组长|委员(?!会)")

_STRINGS = {"type": "array", "items": {"type": "string", "minLength": 1}, "minItems": 1}
FILE_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["themes"],
    "properties": {
        "description": {"type": "string"},
        "themes": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["year", "theme", "source", "required"],
                "properties": {
                    "year": {"type": "integer", "minimum": 2000, "maximum": 2100},
                    "held": {"type": "string"},
                    "theme": {"type": "string"},
                    "source": {"type": "string"},
                    "required": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "additionalProperties": False,
                            "required": ["name", "patterns", "source"],
                            "properties": {
                                "name": {"type": "string"},
                                "patterns": _STRINGS,
                                "for": {"enum": ["team", "personal", "all"]},
                                "advice": {"type": "string"},
                                "source": {"type": "string"},
                            },
                        },
                    },
                },
            },
        },
    },
}

OPTIONS_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "files": {"type": "array", "items": {"type": "string"}, "minItems": 1},
        "team_title": {"type": "string"},
        "material": {"type": "string"},
    },
}


@record
class Element:
    """A required element of a year's material: its name, patterns (any matches), whom it applies to."""

    name: str
    patterns: list[regex.Pattern]
    applies_to: str
    advice: str
    source: str


@record
class Theme:
    """One 年度: its theme and required elements, with where it was defined."""

    year: int
    theme: str
    source: str
    elements: list[Element] = field(default_factory=list)
    file: str = ""
    line: int | None = None


@record
class Compiled:
    themes: dict[int, Theme]
    team_title: regex.Pattern
    material: regex.Pattern


def _lines(items) -> list:
    return items.item_lines if isinstance(items, LineList) else [None] * len(items)


def _compile(pattern: str, name: str, file: str, line: int | None) -> regex.Pattern:
    from ..errors import RuleError
    from ..safe_regex import REGEX_FLAGS, guard

    try:
        compiled = regex.compile(pattern, REGEX_FLAGS)
    except regex.error as exc:
        raise RuleError(file, f"“{name}”的正则“{pattern}”写错了：{exc}", line) from None
    return guard(compiled, file=file, line=line, owner=f"“{name}”")  # an office's file: bounded in time


def prepare(rule: Rule) -> Compiled:
    from .terms import resolve_data_file

    themes: dict[int, Theme] = {}
    for name in rule.options.get("files", ["terms/themes.yaml"]):
        path = resolve_data_file(rule, name)
        data = load_yaml(path)
        validate(data, FILE_SCHEMA, str(path))
        for raw, line in zip(data["themes"], _lines(data["themes"]), strict=True):
            elements = [
                Element(
                    e["name"],
                    [_compile(p, e["name"], str(path), line) for p in e["patterns"]],
                    e.get("for", "all"),
                    e.get("advice", ""),
                    e["source"],
                )
                for e in raw["required"]
            ]
            themes[raw["year"]] = Theme(raw["year"], raw["theme"], raw["source"], elements, str(path), line)
    return Compiled(
        themes,
        rule.compile(rule.options.get("team_title", DEFAULT_TEAM_TITLE), "team_title"),
        rule.compile(rule.options.get("material", DEFAULT_MATERIAL), "material"),
    )


HEAD_PARAGRAPHS = 3


def head_end(ctx: Context) -> int:
    """Offset in ``ctx.doc.text`` just past the first :data:`HEAD_PARAGRAPHS` paragraphs (the title and
    opening): searching ``doc.text`` up to it (``endpos``) is searching those paragraphs joined by
    ``\n``, without copying them (a one-line report of 12 M characters would copy the whole text)."""
    starts = ctx.doc.line_starts
    return starts[HEAD_PARAGRAPHS] - 1 if len(starts) > HEAD_PARAGRAPHS else len(ctx.doc.text)


def meeting_year(ctx: Context) -> tuple[int, str] | None:
    """The 年度 of the material and why: named in the title or opening (“2025年度民主生活会”),
    else the report's year; ``None`` when neither is known."""
    m = _YEAR_OF_MEETING.search(ctx.doc.text, 0, head_end(ctx))
    if m:
        return int(m.group(1)), f"材料写明“{m.group(1)}年度”"
    period = ctx.period
    if period is not None:
        return period.year, f"报告年份 {period.year} 年（{period.reason}）"
    return None


def is_team_material(ctx: Context, team_title) -> bool:
    """Whether the material is a 领导班子's: its title names the 班子 and no person or post."""
    title = next((p.text for p in ctx.doc.paragraphs if p.text.strip()), "")
    return bool(team_title.search(title)) and not _PERSONAL.search(title)


def run(rule: Rule, ctx: Context) -> Outcome:
    compiled: Compiled = rule.compiled
    if not compiled.material.search(ctx.doc.text, 0, head_end(ctx)):
        return Outcome(NOT_APPLICABLE, "不是民主生活会（组织生活会）材料，年度主题不检查")
    found = meeting_year(ctx)
    if found is None:
        return Outcome(NOT_APPLICABLE, "未能确定民主生活会的年度，年度主题未检查")
    year, why = found
    theme = compiled.themes.get(year)
    if theme is None:
        return Outcome(NOT_APPLICABLE, f"没有{year}年度民主生活会主题的数据，年度主题未检查")
    who = "team" if is_team_material(ctx, compiled.team_title) else "personal"
    text = ctx.doc.text
    missing = [
        e
        for e in theme.elements
        if e.applies_to in ("all", who) and not any(p.search(text) for p in e.patterns)
    ]
    evidence = [f"{year}年度（{why}）主题：{theme.theme}", "材料类型：" + ("领导班子" if who == "team" else "个人")]
    evidence += [f"未写到“{e.name}”：{e.advice}" for e in missing]
    if missing:
        names = "、".join(f"“{e.name}”" for e in missing)
        return Outcome("weak", f"{year}年度民主生活会要求的{names}没有写到", evidence=evidence)
    return Outcome("ok", f"写到了{year}年度民主生活会要求的内容", evidence=evidence)

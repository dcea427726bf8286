"""Kind ``regulations``: titles of Party regulations and laws, and superseded versions cited as current.

Reviewers return drafts that quote a regulation under a wrong title
(《党委落实全面从严治党主体责任规定》 for 《党委（党组）落实全面从严治党主体责任规定》;
《新形势下党内政治生活若干准则》 for 《关于新形势下党内政治生活的若干准则》) or present an old
version as the text to study or enforce now (《中国共产党纪律处分条例》（2018年修订） in a 2025
report: revised 2023-12, in force 2024-01-01). Titles, versions, dates and sources are data
(``rules/terms/regulations.yaml``; domain-2026 §4).

Three findings, each located on the quoted title:

- a known wrong title → the official title (``--fix`` may apply it: the title is a fact);
- a known short title (《党内监督条例》) where the full title has not been given before and no
  “以下简称” introduces it → the official title, as a suggestion at info level;
- a version (“（2018年修订）”, “2018年修订的《…》”, “《…（2018年版）》”) superseded before the
  report period began, or a regulation replaced by another, in a sentence that presents it as the
  text to study or enforce (``study``), and not in a case citation (``case``: 处分决定 cite the
  old 条例 for acts before its revision, 从旧兼从轻); or a version that took effect after the
  report was written (a 2022 report studying the 2023 revision: copied from another year's
  material). Needs the report's year.

Options:
    files: regulation data files (default ``[terms/regulations.yaml]``), relative to the pack
        file or the bundled ``rules/`` folder; an organisation's own file adds titles.
    study: regex; a sentence presents the version as current when it matches.
    case: regex; a sentence matching it is a case citation and not judged for versions.
    fix: whether wrong titles may be corrected by ``--fix`` (default true).

File keys (per regulation): ``title``; ``wrong`` and ``short`` (lists of texts inside 《》);
``versions`` (``{year, adopted, in_force, source}``, oldest first); ``superseded_by``
(``{title, date, source}``); ``source``; ``examples`` (``{fail, pass}``, for ``djcheck rules test``).
"""

from __future__ import annotations

from dataclasses import field
from datetime import date

import regex

from ..cache import lazy_pattern
from ..context import Context
from ..document import sentence_bounds
from ..pack import Rule
from ..records import record
from ..yamlio import LineList, load_yaml, validate
from .outcome import Outcome

KIND = "regulations"
DESCRIPTION_CN = "核对法规名称和版本：书名号中的法规名称写错、简称未写全称，或把已被取代的旧版本当作现行版本"

DEFAULT_STUDY = (
    r"学习|贯彻|执行|宣传|宣讲|解读|培训|对照|遵守|遵循|落实|依照|按照|依据|根据|严格|运用|测试|考试|"
    r"印发|汇编|原文"
)
DEFAULT_CASE = r"给予|处分决定|处理决定|违纪行为|违纪事实|发生在|时任|立案|审查调查|从旧兼从轻|案件"

_DATE = {"type": "string", "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$"}
_TEXTS = {"type": "array", "items": {"type": "string", "minLength": 2}}

FILE_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["regulations"],
    "properties": {
        "description": {"type": "string"},
        "regulations": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["title", "source"],
                "properties": {
                    "title": {"type": "string", "minLength": 2},
                    "wrong": _TEXTS,
                    "short": _TEXTS,
                    "versions": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "additionalProperties": False,
                            "required": ["year", "in_force", "source"],
                            "properties": {
                                "year": {"type": "integer", "minimum": 1921, "maximum": 2100},
                                "adopted": _DATE,
                                "in_force": _DATE,
                                "source": {"type": "string"},
                            },
                        },
                    },
                    "superseded_by": {
                        "type": "object",
                        "additionalProperties": False,
                        "required": ["title", "date", "source"],
                        "properties": {"title": {"type": "string"}, "date": _DATE, "source": {"type": "string"}},
                    },
                    "source": {"type": "string"},
                    "examples": {
                        "type": "object",
                        "additionalProperties": False,
                        "properties": {"fail": {"type": "array", "items": {"type": "string"}},
                                       "pass": {"type": "array", "items": {"type": "string"}}},
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
        "study": {"type": "string"},
        "case": {"type": "string"},
        "fix": {"type": "boolean"},
    },
}


@record(frozen=True)
class Version:
    """One version of a regulation: the year reports cite it by, and when it took effect."""

    year: int
    in_force: date


@record
class Regulation:
    """A regulation's official title, known wrong and short titles, versions (oldest first).

    ``replaced``: ``(title, date)`` of the regulation that replaced this one, if any.
    """

    title: str
    wrong: list[str]
    short: list[str]
    versions: list[Version]
    replaced: tuple[str, date] | None
    source: str
    examples: dict = field(default_factory=dict)
    file: str = ""
    line: int | None = None

    def superseding(self, year: int) -> Version | None:
        """The version that replaced the one cited as ``year``'s, or ``None`` (current or unknown)."""
        years = [v.year for v in self.versions]
        if year not in years:
            return None
        i = years.index(year)
        return self.versions[i + 1] if i + 1 < len(self.versions) else None


@record
class Compiled:
    regulations: list[Regulation]
    #: text inside 《》 → (regulation, "title" | "wrong" | "short")
    by_text: dict[str, tuple[Regulation, str]]
    study: regex.Pattern
    case: regex.Pattern


_QUOTED = lazy_pattern(r"《([^《》\n]{2,60})》")
#: A version written inside the title's brackets: 《中国共产党纪律处分条例（2018年修订）》.
_INNER_VERSION = lazy_pattern(r"^(.*?)\s*[（(]\s*(\d{4})\s*年?\s*(?:修订|修正|修改|版|印发|制定|试行)?[^）)]{0,4}[）)]$")
_AFTER_VERSION = lazy_pattern(r"\s*[（(]\s*(\d{4})\s*年\s*(?:修订|修正|修改|版|印发|制定)?[^）)]{0,6}[）)]")
_BEFORE_VERSION = lazy_pattern(r"(\d{4})\s*年\s*(?:(?:修订|修正|修改|印发|制定)(?:后)?的?|版的?)\s*$")
_SENTENCE_END = "。！？；!?;\n"


def _lines(items) -> list:
    return items.item_lines if isinstance(items, LineList) else [None] * len(items)


def _parse(text: str) -> date:
    from ..year import parse_date

    return parse_date(text)


def prepare(rule: Rule) -> Compiled:
    from .terms import resolve_data_file

    regulations: list[Regulation] = []
    for name in rule.options.get("files", ["terms/regulations.yaml"]):
        path = resolve_data_file(rule, name)
        data = load_yaml(path)
        validate(data, FILE_SCHEMA, str(path))
        for raw, line in zip(data["regulations"], _lines(data["regulations"]), strict=True):
            rep = raw.get("superseded_by")
            regulations.append(
                Regulation(
                    title=raw["title"],
                    wrong=list(raw.get("wrong", [])),
                    short=list(raw.get("short", [])),
                    versions=sorted(
                        (Version(v["year"], _parse(v["in_force"])) for v in raw.get("versions", [])),
                        key=lambda v: (v.in_force, v.year),
                    ),
                    replaced=(rep["title"], _parse(rep["date"])) if rep else None,
                    source=raw["source"],
                    examples=dict(raw.get("examples") or {}),
                    file=str(path),
                    line=line,
                )
            )
    by_text: dict[str, tuple[Regulation, str]] = {}
    for reg in regulations:  # later files may add titles; the first definition of a text wins
        by_text.setdefault(_norm(reg.title), (reg, "title"))
        for w in reg.wrong:
            by_text.setdefault(_norm(w), (reg, "wrong"))
        for s in reg.short:
            by_text.setdefault(_norm(s), (reg, "short"))
    return Compiled(
        regulations,
        by_text,
        rule.compile(rule.options.get("study", DEFAULT_STUDY), "study"),
        rule.compile(rule.options.get("case", DEFAULT_CASE), "case"),
    )


def _norm(text: str) -> str:
    """A title as compared: without spaces, with ASCII brackets as full-width ones."""
    return "".join(text.split()).replace("(", "（").replace(")", "）")


def entry_examples(rule: Rule) -> list[tuple[str, str, int | None, list[str], list[str]]]:
    """Per-regulation examples as ``(title, file, line, fail, pass)`` (for :mod:`djcheck.selftest`)."""
    return [
        (r.title, r.file, r.line, list(r.examples.get("fail", [])), list(r.examples.get("pass", [])))
        for r in rule.compiled.regulations
        if r.examples
    ]


def _sentence(text: str, start: int, end: int) -> str:
    lo, hi = sentence_bounds(text, start, end, _SENTENCE_END)
    return text[lo:hi]


def _introduced(text: str, reg: Regulation, before: int, short: str, seen: dict[str, int | bool]) -> bool:
    """The full title appears before offset ``before``, or a “简称《short》” introduces the short one.

    ``seen`` (one dict per text) keeps where each full title first ends and whether each short
    title is introduced: looked up once per text instead of once per citation (each search reads
    the whole text; per citation that was quadratic in a long report's length).
    """
    full = f"《{reg.title}》"
    first_end = seen.get(full)
    if first_end is None:
        at = text.find(full)
        first_end = seen[full] = -1 if at < 0 else at + len(full)
    if 0 <= first_end <= before:  # the same as: full in text[:before]
        return True
    key = "简称" + short
    named = seen.get(key)
    if named is None:
        named = seen[key] = regex.search(rf"简称[“\"]?《{regex.escape(short)}》", text) is not None
    return bool(named)


def _cited_year(text: str, m: regex.Match, inner: int | None) -> int | None:
    if inner is not None:
        return inner
    after = _AFTER_VERSION.match(text, m.end())
    if after:
        return int(after.group(1))
    before = _BEFORE_VERSION.search(text[max(0, m.start() - 12) : m.start()])
    return int(before.group(1)) if before else None


def run(rule: Rule, ctx: Context) -> Outcome:
    compiled: Compiled = rule.compiled
    text = ctx.doc.text
    period = ctx.period
    allow_fix = rule.options.get("fix", True)
    findings = []
    introduced: dict[str, int | bool] = {}
    for m in _QUOTED.finditer(text):
        inside = _norm(m.group(1))
        inner = None
        known = compiled.by_text.get(inside)
        if known is None and (v := _INNER_VERSION.match(inside)):
            known = compiled.by_text.get(_norm(v.group(1)))
            inner = int(v.group(2)) if known else None
        if known is None:
            continue
        reg, how = known
        if how == "wrong":
            # with a version inside the brackets the official title is a hint, not a replacement
            findings.append(
                ctx.finding(
                    rule, m.start(1), m.end(1),
                    f"法规名称“{m.group(1)}”不准确，正式名称是《{reg.title}》",
                    reg.title if inner is None else None,
                    allow_fix and inner is None,
                )
            )
        elif how == "short" and not _introduced(text, reg, m.start(), m.group(1), introduced):
            findings.append(
                ctx.finding(
                    rule, m.start(1), m.end(1),
                    f"《{m.group(1)}》是简称，首次引用时应写全称《{reg.title}》（之后可写“以下简称《{m.group(1)}》”）",
                    reg.title, False, "info",
                )
            )
        if period is None:
            continue
        sentence = _sentence(text, m.start(), m.end())
        if not compiled.study.search(sentence) or compiled.case.search(sentence):
            continue
        cited = _cited_year(text, m, inner)
        newer = reg.superseding(cited) if cited is not None else None
        version = next((v for v in reg.versions if v.year == cited), None)
        if version is not None and version.in_force > period.latest_writing:
            findings.append(
                ctx.finding(
                    rule, m.start(1), m.end(1),
                    f"《{reg.title}》{cited}年版{version.in_force.year}年{version.in_force.month}月才施行，"
                    f"晚于本报告的时间（{period.year}年，{period.reason}），请核对是否沿用了其他年份的材料",
                )
            )
        elif newer is not None and period.start >= newer.in_force:
            findings.append(
                ctx.finding(
                    rule, m.start(1), m.end(1),
                    f"《{reg.title}》{cited}年版已被{newer.year}年修订版取代"
                    f"（{newer.in_force.year}年{newer.in_force.month}月{newer.in_force.day}日起施行），"
                    f"本报告为{period.year}年（{period.reason}），学习、执行应以现行版本为准；"
                    f"处分决定按“从旧兼从轻”引用旧版本的除外",
                )
            )
        elif reg.replaced is not None and period.start >= reg.replaced[1]:
            new_title, when = reg.replaced
            findings.append(
                ctx.finding(
                    rule, m.start(1), m.end(1),
                    f"《{reg.title}》已被《{new_title}》取代（{when.year}年{when.month}月{when.day}日起施行），"
                    f"本报告为{period.year}年（{period.reason}），请改为引用现行的《{new_title}》",
                    new_title, False,
                )
            )
    findings.sort(key=lambda f: f.start)
    evidence = [f"按 {period.year} 年报告检查法规版本（{period.reason}）"] if period is not None else []
    return Outcome(findings=findings, evidence=evidence)

"""Kind ``author-name``: the reporting body is called by one name throughout.

A unit is led either by a 党组 (government departments) or by a 党委; a draft
that says 局党组 in one place and 党委会、党委*同志 in another (seed 003) was
patched together from different sources. The check counts the mentions of
each variant that refer to the author — not those qualified as another body
(上级党委, 机关党委, 医院党委 …), not inside a document title 《…》, not
the combined form 党委（党组） — and reports the less frequent variant.

Options:
    variants: groups of alternative names of the author, e.g. ``[[党组, 党委]]``.
    not_before: regex; a mention preceded by a match ending right before it
        refers to another body (市委, 上级党委 …).
    other_bodies: regex; a mention whose clause names another body before it
        (医院, 机关, 下属 … within 12 characters, same clause) is left out
        (“委属9家公立医院全部修订党委会议事规则”).
    not_after: regex; a mention followed by a match is not a name of the author
        (党组织, 党委（党组）, 党委政府 …).
"""

from __future__ import annotations

from array import array
from bisect import bisect_right
from collections.abc import Iterator

import regex

from ..cache import compile_regex
from ..context import Context
from ..pack import Rule
from ..records import record
from .outcome import Outcome

DEFAULT_NOT_BEFORE = r"(?:各|该|省|市|县|区|乡|镇|村|街道|系统|上级|下级|同级)$"
DEFAULT_OTHER_BODIES = (
    r"上级|下级|各级|基层|地方|同级|所在|机关|医院|学校|公司|企业|行业|属单位|下属|直属|巡视|巡察组"
)
DEFAULT_NOT_AFTER = r"^(?:织|[（(]|和党|、党|或党|政府|领导下|\d|[一二三四五六七八九十两几]+个)"
#: Characters looked at before a mention for another body named in the same clause.
CLAUSE_WINDOW = 12
#: The last clause end in a text (``(?r)``: searched from the end).
_LAST_CLAUSE_END = compile_regex(r"(?r)[，。；：、！？,;:!?\n]")

KIND = "author-name"
DESCRIPTION_CN = "检查报告对本单位的称谓是否前后一致（如“党组”和“党委”混用）"

OPTIONS_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "variants": {
            "type": "array",
            "minItems": 1,
            "items": {"type": "array", "items": {"type": "string", "minLength": 1}, "minItems": 2},
        },
        "not_before": {"type": "string"},
        "other_bodies": {"type": "string"},
        "not_after": {"type": "string"},
    },
}


@record
class Compiled:
    groups: list[tuple[list[str], regex.Pattern]]
    not_before: regex.Pattern
    other_bodies: regex.Pattern
    not_after: regex.Pattern


def prepare(rule: Rule) -> Compiled:
    groups = []
    for names in rule.options.get("variants", [["党组", "党委"]]):
        alternation = "|".join(regex.escape(n) for n in sorted(names, key=len, reverse=True))
        groups.append((list(names), rule.compile(alternation, "variants")))
    return Compiled(
        groups,
        rule.compile(rule.options.get("not_before", DEFAULT_NOT_BEFORE), "not_before"),
        rule.compile(rule.options.get("other_bodies", DEFAULT_OTHER_BODIES), "other_bodies"),
        rule.compile(rule.options.get("not_after", DEFAULT_NOT_AFTER), "not_after"),
    )


_TITLE = compile_regex(r"《[^《》\n]*》")  # no 《 inside: a run of 《 stays linear


def mentions(ctx: Context, compiled: Compiled, pattern: regex.Pattern, names: list[str]) -> Mentions:
    """Mentions of the variants ``names`` (those ``pattern`` finds) that name the author, qualified
    and quoted ones left out."""
    text = ctx.doc.text
    titles = [m.span() for m in _TITLE.finditer(text)]  # sorted, not overlapping
    starts = [s for s, _ in titles]
    out = Mentions(names)
    for m in pattern.finditer(text):  # each test leaves a mention out; the cheapest first
        start = m.start()
        if compiled.not_after.search(text[m.end() : m.end() + 3]):
            continue
        i = bisect_right(starts, start) - 1  # the last title starting at or before the mention
        if i >= 0 and start < titles[i][1]:
            continue
        if compiled.not_before.search(text[max(0, start - 4) : start]):
            continue
        clause = text[max(0, start - CLAUSE_WINDOW) : start]
        last = _LAST_CLAUSE_END.search(clause)
        if last:
            clause = clause[last.end() :]
        if compiled.other_bodies.search(clause):
            continue
        out.add(start, m.group())
    return out


class Mentions:
    """Where the author is named, in order: the start (a character offset) and which of ``names``
    each mention is, kept in two arrays (a report of 12 M characters had 63,000 mentions: their match
    objects took 10 MiB at the run's peak)."""

    def __init__(self, names: list[str]):
        self.names = names
        self._index = {n: i for i, n in enumerate(names)}
        self._starts = array("q")
        self._which = array("H")

    def add(self, start: int, name: str) -> None:
        """One more mention, after those added before."""
        self._starts.append(start)
        self._which.append(self._index[name])

    def __iter__(self) -> Iterator[tuple[int, int, str]]:
        """``(start, end, name)`` of each mention, in order."""
        names = self.names
        for start, i in zip(self._starts, self._which, strict=True):
            yield start, start + len(names[i]), names[i]


def run(rule: Rule, ctx: Context) -> Outcome:
    compiled: Compiled = rule.compiled
    findings = []
    evidence = []
    text = ctx.doc.text
    for names, pattern in compiled.groups:
        if sum(1 for n in names if n in text) < 2:
            continue  # at most one of the names occurs at all: nothing can disagree
        found = mentions(ctx, compiled, pattern, names)
        counts = dict.fromkeys(names, 0)
        first: dict[str, int] = {}
        for start, _, name in found:
            counts[name] += 1
            first.setdefault(name, start)
        used = [n for n in names if counts[n]]
        if len(used) < 2:
            continue
        main = max(used, key=lambda n: (counts[n], -first[n]))
        tally = "、".join(f"“{n}”{counts[n]} 处" for n in used)
        evidence.append(f"本单位的称谓：{tally}")
        line = ctx.doc.line_of(first[main])
        messages = {  # one string a variant, shared by its findings
            n: f"称谓不一致：本报告多处称“{main}”（{counts[main]} 处，首见第{line}行），此处称“{n}”，请统一"
            for n in used
        }
        for start, end, name in found:
            if name != main:
                findings.append(ctx.finding(rule, start, end, messages[name], main))
    return Outcome(findings=findings, evidence=evidence)

"""Kind ``events``: meetings and campaigns that do not fit the report's date.

Two copy-paste errors reviewers catch (domain catalogue §3 QUAL-07, §4):

- a meeting that cannot have happened by the time the report was written
  (a 2022 report that studies “二十届中央纪委三次全会精神”, held January 2024);
- a campaign described as under way outside its years (“深入开展党史学习教育”
  in a 2023 report; 党史学习教育 ran in 2021). Consolidating its results
  (“巩固拓展……成果”, “常态化长效化”) is not flagged.

Dates come from ``rules/terms/events.yaml`` (see :mod:`djcheck.year`). Nothing
is reported when the report's year is unknown.

Options:
    file: an events data file (default: the bundled one), replacing it.
    files: an office's own events files, added to the bundled data (a new year's meetings and
        campaigns, same format): this rule then reports only the events those files define (the
        bundled rule reports the others), and the report's year is inferred with them too.
    underway: regex matched against the words just before a campaign's name
        that describe it as being carried out now (must match up to the name).
    settled: regex matched against the words just after the name that show it is
        referred to as past (成果, 常态化 …).
    current: instead of the checks above, say whether the report names the campaign(s) that
        started within its period (a 2026 report and 树立和践行正确政绩观学习教育; domain-2026
        §6 “All genres, 2026”): weak when one is not named, left out when none started then.
    future: regex matched against the sentence before the name (from its start): a match
        makes the mention a plan (明年将……, 下一步要……), which is not checked; nor is a
        campaign named inside the next-steps part (下一步打算).
"""

from __future__ import annotations

import bisect

import regex

from ..context import Context
from ..pack import Rule
from ..records import record
from ..year import FUTURE, planned
from .outcome import NOT_APPLICABLE, Outcome

DEFAULT_UNDERWAY = (
    r"(?:深入|扎实|全面|认真|广泛|集中|全力|持续|积极|正在|精心)?(?:组织)?"
    r"(?:开展|启动|部署|推进|进行|抓好|抓实)了?[“\"]?$"
)
DEFAULT_SETTLED = r"^[”\"]?(?:的)?(?:成果|成效|常态化|长效化|制度化|回头看|以来|期间|中|时|后|总结|经验|所)"

KIND = "events"
DESCRIPTION_CN = "检查文中提到的会议和学习教育与报告年份是否相符（如报告写在会议召开之前，或活动已结束仍写“深入开展”）"

OPTIONS_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "file": {"type": "string"},
        "files": {"type": "array", "items": {"type": "string"}, "minItems": 1},
        "underway": {"type": "string"},
        "settled": {"type": "string"},
        "future": {"type": "string"},
        "current": {"type": "boolean"},
    },
}


@record
class Compiled:
    #: what :func:`djcheck.year.load_events` is given: a file, or the bundled file and ``own_files``
    data_file: str | tuple[str, ...] | None
    underway: regex.Pattern
    settled: regex.Pattern
    future: regex.Pattern
    #: the office's files given by ``files`` (their events are the only ones this rule reports)
    own_files: tuple[str, ...] = ()
    #: ``(kind, key)`` of the events defined in ``own_files`` (see :attr:`djcheck.year.Event.key`)
    own_keys: frozenset = frozenset()


def _keys(data) -> frozenset:
    return frozenset(
        [("congress", (t,)) for t in data.congresses]
        + [("central", k) for k in data.central]
        + [("ccdi", k) for k in data.ccdi]
        + [("campaign", (c[0],)) for c in data.campaigns]
    )


def prepare(rule: Rule) -> Compiled:
    from ..year import events_file, load_events
    from .terms import resolve_data_file

    data_file: str | tuple[str, ...] | None = None
    if "file" in rule.options:
        data_file = str(resolve_data_file(rule, rule.options["file"]))
    own = tuple(str(resolve_data_file(rule, f)) for f in rule.options.get("files", []))
    keys: frozenset = frozenset()
    if own:
        keys = _keys(load_events(own))
        data_file = (data_file or str(events_file()), *own)
    load_events(data_file)  # validate now, so a bad file is reported when the pack loads
    return Compiled(
        data_file,
        rule.compile(rule.options.get("underway", DEFAULT_UNDERWAY), "underway"),
        rule.compile(rule.options.get("settled", DEFAULT_SETTLED), "settled"),
        rule.compile(rule.options.get("future", FUTURE), "future"),
        own,
        keys,
    )


class _NextSteps:
    """Whether an offset lies in a next-steps part, asked by bisection: a long report has thousands
    of parts, and reading them all for each campaign named was quadratic in its length."""

    def __init__(self, ctx: Context):
        spans = sorted((p.start, p.end) for p in getattr(ctx.parts, "parts", ()) if p.kind == "next_steps")
        self.starts = [s for s, _ in spans]
        self.reach: list[int] = []  # the furthest end of the parts starting up to each one
        for _, end in spans:
            self.reach.append(max(end, self.reach[-1]) if self.reach else end)

    def holds(self, at: int) -> bool:
        """Whether a next-steps part has ``start <= at < end``."""
        i = bisect.bisect_right(self.starts, at) - 1
        return i >= 0 and at < self.reach[i]


def _planned(ctx: Context, compiled: Compiled, at: int, next_steps: _NextSteps) -> bool:
    """Whether the campaign named at offset ``at`` is announced as a plan: inside the next-steps
    part, or after a word of the future (将, 计划, 明年 …) earlier in its sentence."""
    return next_steps.holds(at) or planned(ctx.doc.text, at, compiled.future)


def _current(rule: Rule, ctx: Context, period) -> Outcome:
    """Whether the campaigns that started within the report period are named (see ``current``)."""
    from ..year import load_events

    if period is None:
        return Outcome(NOT_APPLICABLE, "未能确定报告年份，当年的集中性学习教育未检查")
    data = load_events(rule.compiled.data_file)
    own = rule.compiled.own_keys
    due = [
        (name, pat, start)
        for name, pat, start, _until in data.campaigns
        if period.start <= start <= period.end and (not own or ("campaign", (name,)) in own)
    ]
    if not due:
        return Outcome(NOT_APPLICABLE, f"{period.year}年没有开始新的集中性学习教育")
    absent = [(name, start) for name, pat, start in due if not pat.search(ctx.doc.text)]
    evidence = [f"按 {period.year} 年报告检查（{period.reason}）"]
    if absent:
        names = "、".join(f"“{name}”（{_month(start)}开始）" for name, start in absent)
        return Outcome("weak", f"本报告为{period.year}年，没有提到当年开展的{names}", evidence=evidence)
    return Outcome("ok", f"提到了{period.year}年开展的集中性学习教育", evidence=evidence)


def _month(d) -> str:
    return f"{d.year}年{d.month}月"


def run(rule: Rule, ctx: Context) -> Outcome:
    from ..year import events_in, in_plan, load_events, overlaps

    period = ctx.period
    if rule.options.get("current"):
        return _current(rule, ctx, period)
    if period is None:
        return Outcome(message="未能确定报告年份，会议和活动的时间未检查（可用 --year 指定年份）")
    compiled: Compiled = rule.compiled
    text = ctx.doc.text
    findings = []
    next_steps = None
    for ev in events_in(ctx.doc, load_events(compiled.data_file)):
        if compiled.own_keys and (ev.kind, ev.key) not in compiled.own_keys:
            continue  # a bundled event: the bundled rule reports it
        if ev.kind == "campaign":
            para = ctx.doc.paragraph_at(ev.start)
            before = text[max(para.start, ev.start - 12) : ev.start]
            after = text[ev.end : min(para.end, ev.end + 6)]
            if not compiled.underway.search(before) or compiled.settled.search(after):
                continue
            if next_steps is None:
                next_steps = _NextSteps(ctx)
            if in_plan(text, ev.start, ev.end) or _planned(ctx, compiled, ev.start, next_steps):
                continue  # a plan (明年将……) is not a claim that it is under way
                continue
            if overlaps(period, ev.date, ev.until) or period.end < ev.date <= period.latest_writing:
                continue  # under way in the period, or begun while the report was being written
            span = f"{_month(ev.date)}至{_month(ev.until)}"
            msg = (
                f"“{ev.name}”是{span}开展的集中教育，本报告为{period.year}年（{period.reason}），"
                f"不应写成正在开展；如指巩固成果，请写明“巩固拓展……成果”"
            )
            findings.append(ctx.finding(rule, ev.start, ev.end, msg))
        elif ev.date > period.latest_writing:
            est = "（按届次推算）" if ev.estimated else ""
            msg = (
                f"“{ev.name}”于{_month(ev.date)}{est}召开，晚于本报告的时间（{period.year}年，{period.reason}），"
                f"请核对是否沿用了其他年份的材料"
            )
            findings.append(ctx.finding(rule, ev.start, ev.end, msg))
    return Outcome(findings=findings, evidence=[f"按 {period.year} 年报告检查（{period.reason}）"])

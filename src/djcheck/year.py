"""The report's year and period, from its text (or ``--year``), and date arithmetic for dated rules.

Date-aware rules (新冠肺炎 → 新型冠状病毒感染 from 2022-12-26, 党的十九大精神 as current
guidance after 2022-10 …) need to know when a report was written. This module
infers it, in this order:

1. a year written in the opening (title and first paragraph): "2022年上半年，"
   gives 2022 and the period 2022-01-01 … 2022-06-30. Period phrases come first
   (2024年度 wins over the 2025年1月 of the meeting where it is given); a range
   gives its last year; a year tied to history is not the report's (发轫于2003年,
   成立于2016年, 自2018年以来, 2014年以来, 2019年印发, 组建以来 …);
2. otherwise, when the opening speaks of 今年 / 本年 / 一年来 and the draft is dated
   (a last line such as 2025年12月20日), the year of that date (for a date in
   January or February without 今年以来: the year before, an annual report written early);
3. otherwise the year the body mentions most often, leaving out plans and
   deadlines (将, 计划, 拟, 下一步, 明年, ……年6月底前) and history, unless the latest
   party meeting or campaign it names is later than the writing window (see 4);
   an annual report may cite meetings held up to about three months after its year
   (a 2025 report citing the October 2025 plenum stays 2025; a meeting of October–December
   of the body's own year never moves it);
4. otherwise the latest meeting or campaign named (``rules/terms/events.yaml``):
   a meeting held in October–December points to the next year's report
   (十九届六中全会, November 2021 → 2022), earlier in the year to that year.

The result says which year and why (:attr:`ReportPeriod.reason`, Chinese).

A dated rule or entry applies only when the whole report period lies inside
its validity (:func:`period_within`): a report that may have been written
before a renaming is not blamed for the old name.
"""

from __future__ import annotations

import calendar
import functools
from datetime import date, timedelta
from pathlib import Path

import regex

from .cache import compile_regex
from .document import Document, cn_to_int, sentence_bounds
from .paths import bundled_dir
from .prefilter import may_contain
from .records import record
from .yamlio import DATE, load_yaml, validate

#: Months after the end of the period within which a report is written (an annual report in January).
WRITING_GRACE_DAYS = 62

_YEAR = compile_regex(
    r"(?<!\d)(20\d{2})\s*年\s*"
    r"(上半年|下半年|前三季度|第?[一二三四1-4]季度|度|全年|"
    r"(?:1|一)\s*[-—–~至到]\s*(\d{1,2}|[一二三四五六七八九十]{1,3})\s*月)?"
)
_RUN_IN_START = compile_regex(r"^\s*[一二三四五六七八九十]{1,3}是")
#: The meetings djcheck dates, named by term (届): every match of :data:`_CONGRESS`, :data:`_CENTRAL`
#: and :data:`_CCDI` starts with one of these terms, or with 第 and one of them. The table below is
#: derived from it, and so is the vocabulary of the test that compares the shortcut with ``finditer``.
MEETING_TERMS = ("十八", "十九", "二十", "二十一")
_CN_TERM = "(" + "|".join(MEETING_TERMS) + ")"
_CN_NUM = r"([一二三四五六七八九十])"
_CONGRESS = compile_regex(rf"{_CN_TERM}大|第{_CN_TERM}次全国代表大会")
_CENTRAL = compile_regex(rf"{_CN_TERM}届{_CN_NUM}中全会|{_CN_TERM}届中央委员会第{_CN_NUM}次全体会议")
#: Words that present a meeting as still to come ("迎接党的二十大胜利召开"): such a mention dates nothing.
_UPCOMING_BEFORE = compile_regex(
    r"(?:迎接|喜迎|迎来|筹备|即将召开的?|将要召开的?|将于[^，。；]{0,8}召开的?)[“\"]?(?:党的)?$"
)
_UPCOMING_AFTER = compile_regex(r"^[”\"]?(?:召开前|召开之际|前夕|即将|将于|将要|召开在即)")
_CCDI = compile_regex(
    rf"{_CN_TERM}届中央纪委第?{_CN_NUM}次全(?:体)?会|{_CN_TERM}届中央纪律检查委员会第{_CN_NUM}次全体会议"
)
#: Where a meeting match can start (:func:`_meeting_starts`): at a character of ``_MEETING_FIRST``
#: (a term's first character, or 第) at most ``_TERM_REACH`` characters before the term's 十.
_MEETING_FIRST = frozenset({term[0] for term in MEETING_TERMS} | {"第"})
_TERM_REACH = len("第") + max(term.index("十") for term in MEETING_TERMS)


@record(frozen=True)
class ReportPeriod:
    """When a report was written about.

    Attributes:
        year: the report's year (e.g. 2022).
        reason: why, in Chinese ("开头写明“2022年上半年”").
        start / end: first and last day of the period the report covers (inclusive).
    """

    year: int
    reason: str
    start: date
    end: date

    @property
    def latest_writing(self) -> date:
        """The latest plausible date of writing: the period's end plus :data:`WRITING_GRACE_DAYS`."""
        return self.end + timedelta(days=WRITING_GRACE_DAYS)


@record(frozen=True)
class Event:
    """A party meeting or campaign named in the text.

    Attributes:
        name: as written ("十九届六中全会").
        date: when it was held (for a campaign: when it started).
        until: for a campaign, when it ended; ``None`` for a meeting.
        start / end: offsets of the mention in ``Document.text``.
        kind: ``congress`` | ``central`` | ``ccdi`` | ``campaign``.
        estimated: the date was computed by rule, not read from the data file.
    """

    name: str
    date: date
    until: date | None
    start: int
    end: int
    kind: str
    estimated: bool = False
    #: What identifies the event in the data: ``(term,)`` for a congress, ``(term, number)`` for a
    #: plenum, ``(name,)`` for a campaign.
    key: tuple = ()


def parse_date(text: str, *, end: bool = False) -> date:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` as a date: the first day, or the last when ``end``.

    Raises:
        ValueError: not one of those forms.
    """
    parts = [int(p) for p in str(text).split("-")]
    if len(parts) == 1:
        return date(parts[0], 12, 31) if end else date(parts[0], 1, 1)
    if len(parts) == 2:
        y, m = parts
        return date(y, m, calendar.monthrange(y, m)[1]) if end else date(y, m, 1)
    if len(parts) == 3:
        return date(*parts)
    raise ValueError(text)


def period_within(period: ReportPeriod, valid_from: str | None, valid_until: str | None) -> bool:
    """Whether the whole report period lies inside ``[valid_from, valid_until]`` (ISO dates, either open)."""
    if valid_from and period.start < parse_date(valid_from):
        return False
    if valid_until and period.end > parse_date(valid_until, end=True):
        return False
    return True


def overlaps(period: ReportPeriod, start: date, end: date) -> bool:
    """Whether the report period shares at least one day with ``[start, end]``."""
    return period.start <= end and start <= period.end


def for_year(year: int, reason: str, start_month: int = 1, end_month: int = 12) -> ReportPeriod:
    """A period of months ``start_month … end_month`` of ``year`` (the whole year by default)."""
    return ReportPeriod(
        year,
        reason,
        date(year, start_month, 1),
        date(year, end_month, calendar.monthrange(year, end_month)[1]),
    )


# -- events ------------------------------------------------------------------
def events_file() -> Path:
    """The bundled data file of meetings and campaigns (``rules/terms/events.yaml``)."""
    return bundled_dir() / "terms" / "events.yaml"


_DATE = DATE
_MEETING = {
    "type": "object",
    "additionalProperties": False,
    "required": ["term", "date", "source"],
    "properties": {
        "term": {"type": "string"},
        "number": {"type": "integer", "minimum": 1},
        "date": _DATE,
        "until": _DATE,
        "source": {"type": "string"},
    },
}
EVENTS_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "congresses": {"type": "array", "items": _MEETING},
        "central_plenums": {"type": "array", "items": _MEETING},
        "ccdi_plenums": {"type": "array", "items": _MEETING},
        "campaigns": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["name", "pattern", "from", "until", "source"],
                "properties": {
                    "name": {"type": "string"},
                    "pattern": {"type": "string"},
                    "from": _DATE,
                    "until": _DATE,
                    "source": {"type": "string"},
                },
            },
        },
    },
}


@record
class EventData:
    """Meetings and campaigns loaded from an events file."""

    congresses: dict[str, date]
    central: dict[tuple[str, int], date]
    ccdi: dict[tuple[str, int], date]
    campaigns: list[tuple[str, regex.Pattern, date, date]]


@functools.lru_cache(maxsize=8)
def load_events(path: str | tuple[str, ...] | None = None) -> EventData:
    """Load and validate an events file (default: the bundled one), through the per-user cache
    (:func:`djcheck.cache.load_data`: parsed once, reused while the file is unchanged).

    ``path`` may be a tuple of files: they are merged in order, a later file's entry replacing an
    earlier one's for the same meeting or campaign (an office's own file on top of the bundled one).

    Raises:
        RuleError: malformed YAML, a schema error (with file and line) or a bad pattern.
    """
    from .cache import load_data

    if isinstance(path, tuple):
        return merge_events([load_events(p) for p in path])
    name = path or str(events_file())
    return load_data("events", name, lambda: _read_events(name))


def merge_events(datas: list[EventData]) -> EventData:
    """Several events data merged in order (a later one's entries win for the same key or name)."""
    congresses: dict[str, date] = {}
    central: dict[tuple[str, int], date] = {}
    ccdi: dict[tuple[str, int], date] = {}
    campaigns: dict[str, tuple[str, regex.Pattern, date, date]] = {}
    for d in datas:
        congresses.update(d.congresses)
        central.update(d.central)
        ccdi.update(d.ccdi)
        campaigns.update((c[0], c) for c in d.campaigns)
    return EventData(congresses, central, ccdi, list(campaigns.values()))


def pack_events(pack) -> EventData | None:
    """The bundled events data with the files that ``events`` rules of ``pack`` add (option
    ``files``: an office's own meetings and campaigns), for dating a report; ``None`` when no rule
    adds any (the bundled data is used)."""
    extra: list[str] = []
    for rule in pack.active_rules:
        if rule.kind == "events" and rule.compiled is not None:
            extra.extend(f for f in getattr(rule.compiled, "own_files", ()) if f not in extra)
    return load_events((str(events_file()), *extra)) if extra else None


def _read_events(name: str) -> EventData:
    from .safe_regex import compile_user_pattern, guard

    data = load_yaml(name) or {}
    validate(data, EVENTS_SCHEMA, name)

    def meetings(key: str) -> dict:
        return {(m["term"], m.get("number", 0)): parse_date(m["date"]) for m in data.get(key) or []}

    campaigns = []
    for c in data.get("campaigns") or []:
        line = getattr(c, "line", None) or None
        owner = f"活动“{c['name']}”"
        # an office's own file is not vetted: its patterns run under the timeout and the file's budget
        pat = guard(compile_user_pattern(c["pattern"], file=name, line=line, owner=owner), file=name, line=line, owner=owner)
        campaigns.append((c["name"], pat, parse_date(c["from"]), parse_date(c["until"], end=True)))
    return EventData(
        congresses={k[0]: v for k, v in meetings("congresses").items()},
        central=meetings("central_plenums"),
        ccdi=meetings("ccdi_plenums"),
        campaigns=campaigns,
    )


def _groups(m: regex.Match) -> tuple[str, int]:
    found = [g for g in m.groups() if g]
    return found[0], cn_to_int(found[1]) or 0


def find_events(text: str, data: EventData | None = None) -> list[Event]:
    """Every dated meeting or campaign named in ``text``, in order of position.

    Meetings presented as still to come (迎接党的二十大胜利召开, 即将召开的……) are
    left out. A 中央纪委 plenum missing from the data is dated by the rule "the N-th plenum
    of the term elected in year Y is held in January of Y − 1 + N" (marked
    ``estimated``); a 中央全会 missing from the data is skipped.
    """
    data = data or load_events()
    out: list[Event] = []

    def upcoming(m: regex.Match) -> bool:
        before = text[max(0, m.start() - 10) : m.start()]
        return bool(_UPCOMING_BEFORE.search(before) or _UPCOMING_AFTER.search(text[m.end() : m.end() + 6]))

    starts = _meeting_starts(text)
    for m in _matches_from(_CONGRESS, text, starts):
        term = next(g for g in m.groups() if g)
        if term in data.congresses and not upcoming(m):
            out.append(Event(m.group(), data.congresses[term], None, m.start(), m.end(), "congress", key=(term,)))
    for m in _matches_from(_CENTRAL, text, starts):
        key = _groups(m)
        if key in data.central and not upcoming(m):
            out.append(Event(m.group(), data.central[key], None, m.start(), m.end(), "central", key=key))
    for m in _matches_from(_CCDI, text, starts):
        term, number = key = _groups(m)
        if upcoming(m):
            continue
        when, estimated = data.ccdi.get(key), False
        if when is None and term in data.congresses and number >= 1:
            congress = data.congresses[term]
            when = congress if number == 1 else date(congress.year - 1 + number, 1, 1)
            estimated = True
        if when is not None:
            out.append(Event(m.group(), when, None, m.start(), m.end(), "ccdi", estimated, key))
    for name, pat, start, until in data.campaigns:
        if not may_contain(pat, text):
            continue  # every match would contain a text that is not there
        for m in pat.finditer(text):
            out.append(Event(m.group(), start, until, m.start(), m.end(), "campaign", key=(name,)))
    out.sort(key=lambda e: e.start)
    return out


def _meeting_starts(text: str) -> list[int]:
    """The offsets, in order, where a match of a meeting pattern can start: those holding a character
    of :data:`_MEETING_FIRST` at most :data:`_TERM_REACH` characters before a 十 (a few per report,
    found with ``str.find`` instead of letting each pattern scan the whole text)."""
    starts: list[int] = []
    at = text.find("十")
    while at >= 0:
        for p in range(max(at - _TERM_REACH, starts[-1] + 1 if starts else 0), at + 1):
            if text[p] in _MEETING_FIRST:
                starts.append(p)
        at = text.find("十", at + 1)
    return starts


def _matches_from(pattern: regex.Pattern, text: str, starts: list[int]) -> list[regex.Match]:
    """``pattern.finditer(text)`` for a pattern whose matches are not empty and can start only at
    ``starts`` (ascending): the first match at or after the end of the previous one."""
    found = []
    end = 0
    for p in starts:
        if p >= end and (m := pattern.match(text, p)):
            found.append(m)
            end = m.end()
    return found


def events_in(doc: Document, data: EventData | None = None) -> list[Event]:
    """:func:`find_events` of ``doc``'s text, found once per document and data file (kept in
    :attr:`Document.cache`: the year detection and the ``events`` check both need them)."""
    data = data or load_events(str(events_file()))  # the call the events check makes for the bundled file
    key = ("events", id(data))
    known = doc.cache.get(key)
    if known is None or known[0] is not data:
        known = doc.cache[key] = (data, find_events(doc.text, data))
    return known[1]


#: Words before a campaign's name, in the same sentence, that make it a plan rather than work done
#: (明年将全力推进……学习教育; 下一步要扎实开展……): reports are written early in the next year and
#: announce its campaign (domain-2026 §7.2).
FUTURE = r"将|拟|计划|准备|下一步|下步|明年|来年|今后|(?<![主重需必纪摘提概简只纲首])要(?![求点素害件闻职务领])"
_FUTURE = compile_regex(FUTURE)
_SENTENCE_END = frozenset("。！？；!?;\n")


def planned(text: str, at: int, future: regex.Pattern | None = None) -> bool:
    """Whether the mention at offset ``at`` of ``text`` is announced as a plan: a word of the
    future (将, 计划, 明年 …; ``future`` overrides :data:`FUTURE`) earlier in its sentence."""
    start = at
    while start > 0 and text[start - 1] not in _SENTENCE_END:
        start -= 1
    return bool((future or _FUTURE).search(text, start, at))


#: A heading that opens the plans (三、下一步工作打算; 今后努力方向): campaigns named after it are plans.
_PLANS_HEADING = compile_regex(
    r"^\s*(?:[一二三四五六七八九十]{1,3}[、.．]|[（(][一二三四五六七八九十]{1,3}[）)])?\s*"
    r"(?:下一?步|今后|明年|\d{4}年)[^。；]{0,10}(?:打算|计划|思路|安排|措施|重点|方向|工作)[^。；]{0,6}$"
)


def _plans_start(doc: Document) -> int:
    """Offset of the heading that opens the plans part (下一步工作打算 …), or the text's length."""
    for p in doc.paragraphs:
        if len(p.text.strip()) <= 24 and _PLANS_HEADING.match(p.text):
            return p.start
    return len(doc.text)


def _implied_year(when: date) -> int:
    return when.year + 1 if when.month >= 10 else when.year


# -- detection ---------------------------------------------------------------
def _opening(doc: Document) -> list:
    out = []
    for p in doc.paragraphs:
        if not p.text.strip():
            continue
        if out and (p.heading or _RUN_IN_START.match(p.text)):
            break
        out.append(p)
        if len(out) == 2:
            break
    return out


def _period_of(m: regex.Match, reason: str) -> ReportPeriod:
    year = int(m.group(1))
    marker = m.group(2) or ""
    if marker == "上半年":
        return for_year(year, reason, 1, 6)
    if marker == "下半年":
        return for_year(year, reason, 7, 12)
    if marker == "前三季度":
        return for_year(year, reason, 1, 9)
    if "季度" in marker:
        q = cn_to_int(marker[-3]) if not marker[-3].isdigit() else int(marker[-3])
        q = q or 1
        return for_year(year, reason, 3 * q - 2, 3 * q)
    if m.group(3):
        last = int(m.group(3)) if m.group(3).isdigit() else cn_to_int(m.group(3))
        if last and 1 <= last <= 12:
            return for_year(year, reason, 1, last)
    return for_year(year, reason)


#: Words around a year that tie it to history, not to the report's period.
_HISTORY_BEFORE = compile_regex(r"(?:发轫于|成立于|始于|起源于|创建于|组建于|建于|设立于|源于|早在)\s*$")
_HISTORY_AFTER = compile_regex(
    r"^(?:\d{1,2}\s*月(?:\d{1,2}\s*日)?)?\s*(?:起)?(?:以来|至今|以前|之前|印发|颁布|出台|发布|修订|成立|组建|设立|创建|建成"
    r"|任|担任|起任|调任|到任|入职|参加工作|分管)"
)
#: A document issued that year by some body (2005年中央办公厅印发《……》): history.
_ISSUED_AFTER = compile_regex(r"[^，。；,;\n《]{0,10}?(?:印发|颁布|出台|发布|修订|制定)(?:了)?《")
#: A range of years (2018年-2020年, 2018—2020年): the first year is not the period's.
_RANGE_AFTER = compile_regex(r"\s*[-—–~至到]\s*(20\d{2})")
#: The end of a range (2018年-2020年): in the opening it dates the report only with a period word (2021—2023年度).
_RANGE_BEFORE = compile_regex(r"20\d{2}\s*年?\s*[-—–~至到]\s*$")
#: Sentence words that make a year a plan or a deadline, not the period reported on.
_PLAN = compile_regex(r"(?<!现)将(?!近)|计划|拟|下一步|下步|明年|力争|争取|预计|打算")
_DEADLINE_AFTER = compile_regex(r"[^。；，]{0,8}?(?:底前|前完成|以前|之前|前)")
#: Words of the opening that speak of the current year without naming it.
_THIS_YEAR = compile_regex(r"今年以来|今年|本年度|一年来|过去的?一年")
#: A date line (the draft's own date), e.g. 2025年12月20日.
_DATE_LINE = compile_regex(r"^\s*(20\d{2})\s*年\s*(\d{1,2})\s*月\s*\d{1,2}\s*日\s*$")
#: Months after its year within which an annual report may cite a meeting (written by March).
CITING_GRACE_MONTHS = 3


def _history(text: str, m: regex.Match, lead: bool = False) -> bool:
    """Whether the year match ``m`` in ``text`` is tied to history (see :data:`_HISTORY_BEFORE`).

    ``lead``: ``m`` opens the paragraph, where ``2021年以来，……`` states the period reported on.
    """
    if lead and text[m.end() : m.end() + 2] == "以来" and _opens(text, m.start()):
        return False
    before = text[max(0, m.start() - 6) : m.start()]
    after = text[m.end() : m.end() + 8]
    if _HISTORY_BEFORE.search(before) or _HISTORY_AFTER.search(after):
        return True
    if _ISSUED_AFTER.match(text, m.end()):  # 2005年中央办公厅印发《……》
        return True
    return bool(_RANGE_AFTER.match(text, m.end()))  # the first year of a range


def _opens(text: str, at: int) -> bool:
    """Whether only whitespace comes before character offset ``at`` of ``text`` (what
    ``not text[:at].strip()`` says): looks at the leading whitespace only, where the copy of
    ``text[:at]`` made the year detection of a one-line report quadratic in its length."""
    i = 0
    while i < at and text[i].isspace():
        i += 1
    return i == at


#: Characters before a year in which :func:`_range_before` looks for the start of a range first.
_RANGE_REACH = 32
#: Characters of a :data:`_RANGE_BEFORE` match that are not whitespace: at most 20dd, 年 and the dash.
_RANGE_SOLID = 6
_SOLID = compile_regex(r"\S")


def _range_before(text: str, at: int) -> bool:
    """Whether ``text`` up to character offset ``at`` ends with the start of a range of years
    (``2018—``, ``2018年至``): whether :data:`_RANGE_BEFORE` matches in ``text[:at]``.

    Looked for in the last :data:`_RANGE_REACH` characters first: a match that starts before them
    holds, in those characters, only whitespace and at most :data:`_RANGE_SOLID` other characters,
    so when they hold more no such match exists and the answer is final; the whole text before
    ``at`` is searched only when they are nearly all whitespace. Searching it for every year of
    the opening made the year detection of a one-line report quadratic (27 s for 12 M characters).
    """
    lo = max(0, at - _RANGE_REACH)
    if _RANGE_BEFORE.search(text, lo, at):
        return True
    if lo == 0 or len(_SOLID.findall(text, lo, at)) > _RANGE_SOLID:
        return False
    return bool(_RANGE_BEFORE.search(text, 0, at))


def _planned(text: str, m: regex.Match) -> bool:
    """Whether the year match ``m`` stands in a plan or a deadline (see :data:`_PLAN`)."""
    return in_plan(text, m.start(), m.end()) or bool(_DEADLINE_AFTER.match(text, m.end()))


def in_plan(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` stands in a sentence that states a plan (将, 计划, 拟, 下一步, 明年 …),
    not something that happened: ``2025年将扎实开展……学习教育`` in the next steps of a 2024 report.
    Offsets are characters; the sentence runs between 。；！？ or line ends."""
    lo, hi = sentence_bounds(text, start, end, "。；！？\n")
    return bool(_PLAN.search(text, lo, hi))


def _dated(doc: Document) -> tuple[int, int] | None:
    """The draft's own date (year, month) from a date line near its end, or ``None``."""
    lines = [p.text for p in doc.paragraphs if p.text.strip()][-4:]
    for text in reversed(lines):
        m = _DATE_LINE.match(text)
        if m:
            return int(m.group(1)), int(m.group(2))
    return None


def _opening_year(paragraphs: list) -> regex.Match | None:
    """The year of the opening ``paragraphs`` that dates the report: the first with a period word
    (2024年度, 上半年 …), else the first; years tied to history or plans, and the first year of a
    range written without a period word, left out. Read up to the first year with a period word."""
    first = None
    for p in paragraphs:
        for m in _YEAR.finditer(p.text):
            if _history(p.text, m, lead=True) or _planned(p.text, m):
                continue
            if m.group(2):
                return m
            if first is None and not _range_before(p.text, m.start()):
                first = m
    return first


def detect_year(doc: Document, data: EventData | None = None) -> ReportPeriod | None:
    """Infer the report's year and period from its text; ``None`` when nothing dates it.

    See the module docstring for the order of evidence.
    """
    paragraphs = _opening(doc)
    m = _opening_year(paragraphs)
    if m is not None:
        return _period_of(m, f"开头写明“{m.group().strip()}”")
    dated = _dated(doc)
    head = "".join(p.text for p in paragraphs) if dated is not None else ""  # joined only when it is read
    this_year = _THIS_YEAR.search(head) if dated is not None else None
    if this_year is not None:
        y, month = dated
        if month <= 2 and "今年以来" not in head:
            return for_year(y - 1, f"开头说“{this_year.group()}”，落款日期为{y}年{month}月，推定为{y - 1}年")
        return for_year(y, f"开头说“{this_year.group()}”，落款日期为{y}年{month}月")
    counts: dict[int, int] = {}
    first: dict[int, regex.Match] = {}
    for m in _YEAR.finditer(doc.text):
        if _history(doc.text, m) or _planned(doc.text, m) or _DATE_LINE.match(doc.paragraph_at(m.start()).text):
            continue
        y = int(m.group(1))
        counts[y] = counts.get(y, 0) + 1
        first.setdefault(y, m)
    plans = _plans_start(doc)
    events = [
        e
        for e in events_in(doc, data)
        if not (e.kind == "campaign" and (e.start >= plans or planned(doc.text, e.start)))
    ]
    latest = max(events, key=lambda e: e.date, default=None)
    event_year = _implied_year(latest.date) if latest else None
    if counts:
        year = max(counts, key=lambda y: (counts[y], y))
        # A meeting held in the body's year Y (even in October–December: an annual report cites the
        # same year's autumn plenum), or cited within a few months after it, does not move the report
        # to Y + 1 (domain-2026 §7.1).
        cited_in_time = latest is not None and (latest.date.year, latest.date.month) <= (year + 1, CITING_GRACE_MONTHS)
        if event_year is None or event_year <= year or cited_in_time or latest.date.year <= year:
            times = f"（{counts[year]} 次）" if counts[year] > 1 else ""
            return _period_of(first[year], f"正文提到“{year}年”{times}")
    if latest is not None:
        month = f"{latest.date.year}年{latest.date.month}月"
        what = "开始" if latest.kind == "campaign" else "召开"
        return for_year(
            event_year, f"正文提到的最近会议或活动是“{latest.name}”（{month}{what}），推定为{event_year}年"
        )
    return None


def resolve(
    doc: Document, year: int | None, reason: str | None = None, data: EventData | None = None
) -> ReportPeriod | None:
    """The report period to use: ``year`` (from ``--year`` or a caller) wins over the text.

    When ``year`` agrees with the year found in the text, the text's finer period
    (上半年 …) is kept. ``data``: the events to date the text by (default: the bundled file;
    :func:`pack_events` adds an office's own).
    """
    found = detect_year(doc, data)
    if year is None:
        return found
    if found is not None and found.year == year:
        return ReportPeriod(
            year, reason or f"命令行 --year 指定（与正文一致：{found.reason}）", found.start, found.end
        )
    return for_year(year, reason or "命令行 --year 指定")

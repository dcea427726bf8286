"""The report's year and period, from its text (or ``--year``), and date arithmetic for dated rules.

Date-aware rules (新冠肺炎 → 新型冠状病毒感染 from 2022-12-26, 党的十九大精神 as current
guidance after 2022-10 …) need to know when a report was written. This module
infers it, in this order:

1. a year written in the opening (title and first paragraph): "2022年上半年，"
   gives 2022 and the period 2022-01-01 … 2022-06-30;
2. otherwise the year the body mentions most often, unless the latest party
   meeting or campaign it names was held in a later year (a meeting of October–December
   of that same year does not move it: annual reports cite the autumn plenum);
3. otherwise the latest meeting or campaign named (``rules/terms/events.yaml``):
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
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import regex

from . import rx
from .document import Document, cn_to_int
from .paths import bundled_dir

#: Months after the end of the period within which a report is written (an annual report in January).
WRITING_GRACE_DAYS = 62

_YEAR = rx.compile(
    r"(?<!\d)(20\d{2})\s*年\s*"
    r"(上半年|下半年|前三季度|第?[一二三四1-4]季度|度|全年|"
    r"(?:1|一)\s*[-—–~至到]\s*(\d{1,2}|[一二三四五六七八九十]{1,3})\s*月)?"
)
_RUN_IN_START = rx.compile(r"^\s*[一二三四五六七八九十]{1,3}是")
_CN_TERM = r"(十八|十九|二十|二十一)"
_CN_NUM = r"([一二三四五六七八九十])"
_CONGRESS = rx.compile(rf"{_CN_TERM}大|第{_CN_TERM}次全国代表大会")
_CENTRAL = rx.compile(rf"{_CN_TERM}届{_CN_NUM}中全会|{_CN_TERM}届中央委员会第{_CN_NUM}次全体会议")
#: Words that present a meeting as still to come ("迎接党的二十大胜利召开"): such a mention dates nothing.
_UPCOMING_BEFORE = rx.compile(
    r"(?:迎接|喜迎|迎来|筹备|即将召开的?|将要召开的?|将于[^，。；]{0,8}召开的?)[“\"]?(?:党的)?$"
)
_UPCOMING_AFTER = rx.compile(r"^[”\"]?(?:召开前|召开之际|前夕|即将|将于|将要|召开在即)")
_CCDI = rx.compile(
    rf"{_CN_TERM}届中央纪委第?{_CN_NUM}次全(?:体)?会|{_CN_TERM}届中央纪律检查委员会第{_CN_NUM}次全体会议"
)
#: Every match of the three meeting patterns above holds a term (十八 十九 二十 二十一), whose 十 lies at most
#: this many characters after the match's start (第二十次…), and begins with one of :data:`_MEETING_FIRST`.
_TERM_REACH = 2
_MEETING_FIRST = frozenset("十二第")


@dataclass(frozen=True)
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


@dataclass(frozen=True)
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


_DATE = {"type": "string", "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$"}
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


@dataclass
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
    from .errors import RuleError
    from .pack import REGEX_FLAGS, load_yaml, validate

    data = load_yaml(name) or {}
    validate(data, EVENTS_SCHEMA, name)

    def meetings(key: str) -> dict:
        return {(m["term"], m.get("number", 0)): parse_date(m["date"]) for m in data.get(key) or []}

    campaigns = []
    for c in data.get("campaigns") or []:
        try:
            pat = regex.compile(c["pattern"], REGEX_FLAGS)
        except regex.error as exc:
            raise RuleError(name, f"活动“{c['name']}”的正则写错了：{exc}") from None
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
        if not _may_contain(pat, text):
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


def _may_contain(pattern: regex.Pattern, text: str) -> bool:
    """``False`` when ``text`` lacks every text a match of ``pattern`` must contain (:func:`djcheck.rx.required_for`)."""
    need = rx.required_for(pattern)
    return need is None or any(lit in text for lit in need)


#: Words before a campaign's name, in the same sentence, that make it a plan rather than work done
#: (明年将全力推进……学习教育; 下一步要扎实开展……): reports are written early in the next year and
#: announce its campaign (domain-2026 §7.2).
FUTURE = r"将|拟|计划|准备|下一步|下步|明年|来年|今后|(?<![主重需必纪摘提概简只纲首])要(?![求点素害件闻职务领])"
_FUTURE = rx.compile(FUTURE)
_SENTENCE_END = frozenset("。！？；!?;\n")


def planned(text: str, at: int, future: regex.Pattern | None = None) -> bool:
    """Whether the mention at offset ``at`` of ``text`` is announced as a plan: a word of the
    future (将, 计划, 明年 …; ``future`` overrides :data:`FUTURE`) earlier in its sentence."""
    start = at
    while start > 0 and text[start - 1] not in _SENTENCE_END:
        start -= 1
    return bool((future or _FUTURE).search(text, start, at))


#: A heading that opens the plans (三、下一步工作打算; 今后努力方向): campaigns named after it are plans.
_PLANS_HEADING = rx.compile(
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


def detect_year(doc: Document, data: EventData | None = None) -> ReportPeriod | None:
    """Infer the report's year and period from its text; ``None`` when nothing dates it.

    See the module docstring for the order of evidence.
    """
    opening = [m for p in _opening(doc) for m in _YEAR.finditer(p.text)]
    if opening:
        year = opening[0].group(1)
        m = next((o for o in opening if o.group(1) == year and o.group(2)), opening[0])
        return _period_of(m, f"开头写明“{m.group().strip()}”")
    counts: dict[int, int] = {}
    first: dict[int, regex.Match] = {}
    for m in _YEAR.finditer(doc.text):
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
        # same year's autumn plenum) does not move the report to Y + 1 (domain-2026 §7.1).
        if latest is None or latest.date.year <= year:
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

"""Result data: checklist items, findings and per-file results.

Positions are 1-based lines and 1-based character columns (characters, not
bytes). ``end_col`` is exclusive: a two-character match starting at column 15
has ``end_col`` 17. For a .docx file a "line" is a paragraph number, and the Chinese
text says 第N段 (:func:`location_unit`, :func:`in_units`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import field
from operator import attrgetter
from sys import intern
from typing import Literal

from .records import record

Level = Literal["error", "warning", "info"]
Status = Literal["ok", "weak", "missing", "unchecked"]

#: The Chinese word for a location unit: text files count lines, Word (and PDF) paragraphs.
UNIT_CN = {"line": "行", "paragraph": "段"}

_LINE_REF = re.compile(r"第(\s*\d+(?:\s*[、，,]\s*\d+)*\s*)行")
_QUOTED = re.compile(r"“[^“”]*”")


def location_unit(kind: str) -> str:
    """``paragraph`` for a document ``kind`` whose positions are paragraphs (``docx``, ``pdf``),
    else ``line``. The one place that decides what "第N行/第N段" means for a file."""
    return "paragraph" if kind in ("docx", "pdf") else "line"


def place(line: int, unit: str) -> str:
    """``第9行`` or, for ``unit`` ``paragraph``, ``第9段`` (Word users' word for a paragraph)."""
    return f"第{line}{UNIT_CN.get(unit, '行')}"


def in_units(text: str, unit: str) -> str:
    """``text`` (a message written with ``第N行``, ``第 3、5 行``) in the words of ``unit``: for
    ``paragraph`` every such reference outside “quotations” (quoted draft text stays as it is)
    says ``段``; for ``line`` ``text`` is returned unchanged."""
    if unit != "paragraph" or "行" not in text:
        return text
    out, last = [], 0
    for q in _QUOTED.finditer(text):
        out.append(_LINE_REF.sub(r"第\1段", text[last : q.start()]))
        out.append(q.group())
        last = q.end()
    out.append(_LINE_REF.sub(r"第\1段", text[last:]))
    return "".join(out)


@record
class Finding:
    """A located problem in the text (a placeholder, a doubled word …).

    Attributes:
        rule: rule id, e.g. ``placeholder``.
        level: ``error`` | ``warning`` | ``info``.
        message: Chinese explanation, with advice.
        line, col, end_line, end_col: 1-based; ``end_col`` exclusive.
        match: the offending text.
        suggestion: replacement text when there is one, else ``None``.
        start, end: character offsets into ``Document.text`` (0-based, end exclusive).
        fixable: the suggestion is safe to apply automatically.
    """

    rule: str
    level: Level
    message: str
    line: int
    col: int
    end_line: int
    end_col: int
    match: str = ""
    suggestion: str | None = None
    start: int = 0
    end: int = 0
    fixable: bool = False

    def __post_init__(self) -> None:
        """Keep one string for equal messages and matches (:func:`sys.intern`).

        Why: a long report has tens of thousands of findings that repeat a few messages and
        matches (62,000 findings in a report of 12 M characters: 13 MiB of copies). An interned
        string is dropped when no longer used, so a batch does not accumulate them."""
        self.message = intern(self.message)
        self.match = intern(self.match)

    def __reduce_ex__(self, protocol):
        return _reduced(self, Finding, protocol)

    def to_dict(self) -> dict:
        """The JSON shape of a finding (contract of ``--format json``)."""
        out = {
            "rule": self.rule,
            "level": self.level,
            "message": self.message,
            "line": self.line,
            "col": self.col,
            "end_line": self.end_line,
            "end_col": self.end_col,
            "match": self.match,
        }
        if self.suggestion is not None:
            out["suggestion"] = self.suggestion
        return out


@record
class ChecklistItem:
    """One row of the checklist: a required element or a rule family.

    Attributes:
        id: rule id (``structure``, ``zhuti-zeren``, ``problems`` …).
        title: Chinese title shown in the checklist.
        status: ``ok`` (✔), ``weak`` (⚠), ``missing`` (✖), or ``unchecked`` (—: nothing to check,
            e.g. no 四种形态 breakdown; neither passed nor failed, left out of the score).
        level: the rule's level; an ``error`` item that is ``missing`` fails the file.
        message: one line of Chinese saying what is there, thin or absent.
        line: 1-based line the item refers to (where it is, or where it should be).
        weight: points the item is worth in the score.
        credit: share of the weight earned (1.0 ok, the rule's ``weak_credit`` when weak, 0 missing
            or unchecked; an unchecked item's weight does not count).
        evidence: short quotations and figures behind a weak verdict.
        advice: what a stronger version contains.
        short: a short name for narrow places (the batch summary table); ``""`` = derived
            from ``title`` (see :attr:`short_title`). Not part of the JSON output.
    """

    id: str
    title: str
    status: Status
    level: Level
    message: str
    line: int | None = None
    weight: float = 0.0
    credit: float = 1.0
    evidence: list[str] = field(default_factory=list)
    advice: str = ""
    short: str = ""

    @property
    def short_title(self) -> str:
        """``short``, else the title without its parenthesised explanation
        (三段式结构（工作情况 → …） → 三段式结构)."""
        return self.short or self.title.split("（", 1)[0].strip() or self.title

    def __reduce_ex__(self, protocol):
        return _reduced(self, ChecklistItem, protocol)

    def to_dict(self) -> dict:
        """The JSON shape of a checklist item."""
        return {
            "id": self.id,
            "title": self.title,
            "status": self.status,
            "level": self.level,
            "message": self.message,
            "line": self.line,
            "weight": self.weight,
            "evidence": list(self.evidence),
            "advice": self.advice,
        }


@record
class FileResult:
    """The outcome of checking one file.

    ``error`` is set (and ``score`` is ``None``) when the file could not be read.
    ``recognised`` is ``False`` when the text fits no supported report genre.
    ``location_unit`` is ``line`` for text files and ``paragraph`` for .docx/.pdf
    (``line`` fields then count paragraphs). ``notes`` are Chinese sentences about
    how the file was read (location unit, what a PDF loses), shown by every format.
    """

    path: str
    profile: str | None = None
    profile_title: str | None = None
    profile_reason: str | None = None
    recognised: bool = True
    score: float | None = None
    min_score: float | None = None
    passed: bool | None = None
    checklist: list[ChecklistItem] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    error: str | None = None
    encoding: str | None = None
    year: int | None = None
    year_reason: str | None = None
    #: Short name of the report type for narrow places (the pack's ``short_title``); not in the JSON.
    profile_short: str | None = None
    suppressed: int = 0
    location_unit: str = "line"
    #: Inline markers that suppressed something: ``{"rule", "line", "end_line", "reason", "count"}``.
    suppressions: list[dict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    #: The configuration file applied to this draft (``.djcheck.yaml`` / ``pyproject.toml`` / ``--config``), or ``None``.
    config: str | None = None
    #: Why a failed file fails, one Chinese phrase each (有错误级问题未解决（模板占位符 9 处）,
    #: 得分低于合格线 …); empty when it passes or was not scored.
    fail_reasons: list[str] = field(default_factory=list)

    def __reduce_ex__(self, protocol):
        """Pickled as three tuples (its fields, its checklist rows' fields, its findings' fields) rebuilt
        by one call of :func:`_file_result`: a worker sends each result to the parent process, and the
        default pickling of dataclasses (a class reference, a ``__dict__`` and a ``__setstate__`` per
        object) made loading it in the parent cost about 2.5 times as much."""
        plain = _all_plain([self], FileResult)
        if not (plain and _all_plain(self.checklist, ChecklistItem) and _all_plain(self.findings, Finding)):
            return super().__reduce_ex__(protocol)  # not the plain shape: pickled as usual
        values = _getter(FileResult)(self)
        rows = tuple(map(_getter(ChecklistItem), self.checklist))
        found = tuple(map(_getter(Finding), self.findings))
        return _file_result, (values, rows, found)

    def place(self, line: int) -> str:
        """``第9行`` / ``第9段``: ``line`` in this file's location unit."""
        return place(line, self.location_unit)

    def verdict_text(self) -> str:
        """通过, or 未通过 with its reasons (未通过：有错误级问题未解决（模板占位符 9 处）；得分低于合格线)."""
        if self.passed:
            return "通过"
        return "未通过：" + "；".join(self.fail_reasons) if self.fail_reasons else "未通过"

    def to_dict(self) -> dict:
        """The JSON shape of a file result (contract of ``--format json``); ``config`` is present
        only when a configuration file applied (``--format json`` always writes it, ``null`` when none)."""
        extra = {"config": self.config} if self.config is not None else {}
        return extra | {
            "path": self.path,
            "profile": self.profile,
            "profile_title": self.profile_title,
            "profile_reason": self.profile_reason,
            "recognised": self.recognised,
            "score": self.score,
            "min_score": self.min_score,
            "passed": self.passed,
            "fail_reasons": list(self.fail_reasons),
            "encoding": self.encoding,
            "year": self.year,
            "year_reason": self.year_reason,
            "location_unit": self.location_unit,
            "notes": list(self.notes),
            "suppressed": self.suppressed,
            "suppressions": [dict(s) for s in self.suppressions],
            "checklist": [item.to_dict() for item in self.checklist],
            "findings": [f.to_dict() for f in self.findings],
            "error": self.error,
        }


# -- pickling (a worker process sends each FileResult to the parent) ----------------------------------
#: The fields of a FileResult pickled apart, as their rows' field values.
_OWN_LISTS = ("checklist", "findings")
_SHAPES: dict[type, tuple[tuple[str, ...], Callable[[object], tuple]]] = {}


def _shape(cls: type) -> tuple[tuple[str, ...], Callable[[object], tuple]]:
    """The names of dataclass ``cls``'s fields (a FileResult's without :data:`_OWN_LISTS`) and a function
    giving an instance's values of them as a tuple; worked out once per class."""
    shape = _SHAPES.get(cls)
    if shape is None:
        from dataclasses import fields

        names = tuple(f.name for f in fields(cls) if cls is not FileResult or f.name not in _OWN_LISTS)
        shape = _SHAPES[cls] = (names, attrgetter(*names))
    return shape


def _getter(cls: type) -> Callable[[object], tuple]:
    return _shape(cls)[1]


def _all_plain(objs: list, cls: type) -> bool:
    """Whether each of ``objs`` is exactly a ``cls`` with no attribute besides its fields (else the
    result is pickled as usual, so that nothing is lost)."""
    n = len(_shape(cls)[0]) + (len(_OWN_LISTS) if cls is FileResult else 0)
    return all(type(x) is cls and len(x.__dict__) == n for x in objs)


def _reduced(obj, cls: type, protocol: int):
    """``__reduce_ex__`` of a :class:`Finding` or :class:`ChecklistItem` pickled on its own: the class and its
    field values (rebuilt by the constructor)."""
    return (cls, _getter(cls)(obj)) if _all_plain([obj], cls) else super(cls, obj).__reduce_ex__(protocol)


def _file_result(values: tuple, rows: tuple, found: tuple) -> FileResult:
    """The :class:`FileResult` pickled by :meth:`FileResult.__reduce_ex__`: its field values (without the
    checklist and findings), then its checklist rows' and findings' field values in order."""
    return FileResult(
        **dict(zip(_shape(FileResult)[0], values, strict=True)),
        checklist=[ChecklistItem(*row) for row in rows],
        findings=[Finding(*f) for f in found],
    )

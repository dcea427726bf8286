"""The batch summary: one row per file, worst first (shared by the rich table and CSV).

Order: files that could not be read, then failed reports (lowest score
first), then texts not recognised as a supported report, then passed reports
(lowest score first); ties by path.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..model import FileResult

#: Column titles of the summary, in order (the CSV header row).
COLUMNS = ("文件", "报告类型", "规则包", "得分", "合格线", "结论", "缺失项", "较弱项", "问题处数", "说明")

#: Separator between item titles inside one cell.
ITEM_SEP = "；"


@dataclass
class SummaryRow:
    """One file in the summary.

    Attributes:
        path: the file as given or found.
        genre: the report type's Chinese title (the pack title), ``""`` if not scored.
        profile: the pack id (``zhuti-zeren`` …), ``""`` if not scored.
        score / min_score: out of 100, ``None`` when not scored.
        verdict: 通过 / 未通过 / 无法读取 / 未识别.
        missing / weak: titles of the checklist items that are missing / weak, in checklist order.
        findings: number of located findings.
        note: the read error or why the text was not recognised, else ``""``.
        genre_short / missing_short / weak_short: the same with short names (the pack's
            ``short_title``, the rules' ``short``), for narrow tables; the CSV keeps the full titles.
    """

    path: str
    genre: str
    profile: str
    score: float | None
    min_score: float | None
    verdict: str
    missing: list[str] = field(default_factory=list)
    weak: list[str] = field(default_factory=list)
    findings: int = 0
    note: str = ""
    genre_short: str = ""
    missing_short: list[str] = field(default_factory=list)
    weak_short: list[str] = field(default_factory=list)

    def cells(self) -> list[str]:
        """The row as text cells matching :data:`COLUMNS`."""
        return [
            self.path,
            self.genre,
            self.profile,
            "" if self.score is None else f"{self.score:g}",
            "" if self.min_score is None else f"{self.min_score:g}",
            self.verdict,
            ITEM_SEP.join(self.missing),
            ITEM_SEP.join(self.weak),
            str(self.findings),
            self.note,
        ]


def _rank(res: FileResult) -> tuple:
    if res.error:
        group = 0
    elif not res.recognised or res.score is None:
        group = 2
    elif not res.passed:
        group = 1
    else:
        group = 3
    return (group, res.score if res.score is not None else 0.0, res.path)


def worst_first(results: list[FileResult]) -> list[FileResult]:
    """``results`` reordered worst first (see the module docstring)."""
    return sorted(results, key=_rank)


def row(res: FileResult) -> SummaryRow:
    """The summary row of one result."""
    if res.error:
        return SummaryRow(res.path, "", "", None, None, "无法读取", note=res.error)
    if not res.recognised or res.score is None:
        config = f"；配置文件：{res.config}" if res.config else ""
        return SummaryRow(res.path, "", "", None, None, "未识别", note=(res.profile_reason or "") + config)
    missing = [i for i in res.checklist if i.status == "missing"]
    weak = [i for i in res.checklist if i.status == "weak"]
    genre = res.profile_title or res.profile or ""
    return SummaryRow(
        path=res.path,
        genre=genre,
        profile=res.profile or "",
        score=res.score,
        min_score=res.min_score,
        verdict="通过" if res.passed else "未通过",
        missing=[i.title for i in missing],
        weak=[i.title for i in weak],
        findings=len(res.findings),
        note="；".join([*res.fail_reasons, *([f"配置文件：{res.config}"] if res.config else [])]),
        genre_short=res.profile_short or genre,
        missing_short=[i.short_title for i in missing],
        weak_short=[i.short_title for i in weak],
    )


def rows(results: list[FileResult]) -> list[SummaryRow]:
    """Summary rows, worst first."""
    return [row(r) for r in worst_first(results)]


def totals(results: list[FileResult]) -> dict[str, int]:
    """How many files ``passed``, ``failed``, were ``unreadable`` or ``unrecognised``, and ``total``."""
    out = {"total": len(results), "passed": 0, "failed": 0, "unreadable": 0, "unrecognised": 0}
    for r in results:
        if r.error:
            out["unreadable"] += 1
        elif not r.recognised or r.score is None:
            out["unrecognised"] += 1
        elif r.passed:
            out["passed"] += 1
        else:
            out["failed"] += 1
    return out

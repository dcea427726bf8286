"""Reporters: turn :class:`~djcheck.model.FileResult` lists into output.

Each reporter module has ``write(results, stream, **options)``. The CLI picks
one; the library never writes to the terminal by itself.
"""

from __future__ import annotations

import dataclasses

from ..safetext import UNSAFE, shown, spreadsheet_safe  # noqa: F401 - used by the writers

FORMATS = ("auto", "rich", "plain", "json", "csv", "sarif", "github", "html")

STATUS_MARK = {"ok": "✔", "weak": "⚠", "missing": "✖"}
STATUS_CN = {"ok": "合格", "weak": "较弱", "missing": "缺失"}
LEVEL_CN = {"error": "错误", "warning": "警告", "info": "提示"}


def verdict_cn(passed: bool | None) -> str:
    """通过 / 未通过 for a verdict."""
    return "通过" if passed else "未通过"


def get_writer(fmt: str):
    """The ``write`` function of the reporter for ``fmt`` (imported on demand)."""
    if fmt == "json":
        from . import json_report as mod
    elif fmt == "sarif":
        from . import sarif as mod
    elif fmt == "github":
        from . import github as mod
    elif fmt == "html":
        from . import html as mod
    elif fmt == "csv":
        from . import csv_report as mod
    elif fmt == "summary":  # rich: one checklist, or a table for several files
        from . import rich_summary as mod
    elif fmt == "rich":
        from . import rich_report as mod
    else:
        from . import plain as mod
    return mod.write


def _shown_value(value):
    if isinstance(value, str):
        return shown(value)
    if isinstance(value, list):
        return [_shown_value(v) for v in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return _shown_fields(value)
    return value


def _shown_fields(obj):
    changes = {}
    for f in dataclasses.fields(obj):
        value = getattr(obj, f.name)
        new = _shown_value(value)
        if new != value:
            changes[f.name] = new
    return dataclasses.replace(obj, **changes) if changes else obj


def _texts(res) -> list[str]:
    """Every text of a result that a terminal format shows."""
    texts = [res.path, res.error or "", res.profile or "", res.profile_reason or "", res.profile_title or "",
             res.profile_short or "", res.year_reason or "", *res.notes]
    for item in res.checklist:
        texts += (item.id, item.title, item.short, item.message, item.advice, *item.evidence)
    for f in res.findings:
        texts += (f.rule, f.message, f.match, f.suggestion or "")
    return texts


def terminal_safe(results: list) -> list:
    """Copies of ``results`` (:class:`~djcheck.model.FileResult`) whose texts are :func:`shown` —
    for the formats read on a terminal (plain, rich); results without such characters (nearly
    all: one search over their joined texts tells) are returned as they are."""
    return [r if UNSAFE.search("".join(_texts(r))) is None else _shown_fields(r) for r in results]

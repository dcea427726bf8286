"""Reporters: turn :class:`~djcheck.model.FileResult` lists into output.

Each reporter module has ``write(results, stream, *, packs, documents, **options)``
and prints only what it is given: it imports nothing of djcheck but
:mod:`djcheck.model` and :mod:`djcheck.errors` (the import-linter contract in
``pyproject.toml``). The CLI picks one (:data:`FORMATS`); the library never writes
to the terminal by itself.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from ..safetext import UNSAFE, shown, spreadsheet_safe  # noqa: F401 - used by the writers

STATUS_MARK = {"ok": "✔", "weak": "⚠", "missing": "✖", "unchecked": "—"}
STATUS_CN = {"ok": "合格", "weak": "较弱", "missing": "缺失", "unchecked": "无从核对"}
LEVEL_CN = {"error": "错误", "warning": "警告", "info": "提示"}


@dataclass(frozen=True)
class Format:
    """One output format.

    Attributes:
        module: the submodule of :mod:`djcheck.report` whose ``write`` produces it.
        suffixes: ``--output`` file suffixes that choose it under ``--format auto``.
        packs: the writer describes rules, so the caller passes the packs the run used.
        documents: the writer shows the drafts' text, so the caller passes the documents.
    """

    module: str
    suffixes: tuple[str, ...] = ()
    packs: bool = False
    documents: bool = False


#: Output format name (``--format``) → :class:`Format`; ``auto`` (the CLI's choice) is not a writer.
FORMATS: dict[str, Format] = {
    "rich": Format("rich_summary"),  # one checklist, or a table for several files
    "plain": Format("plain"),
    "json": Format("json_report", (".json",)),
    "sarif": Format("sarif", (".sarif",), packs=True),
    "github": Format("github"),
    "html": Format("html", (".html", ".htm"), documents=True),
    "csv": Format("csv_report", (".csv",)),  # the batch summary table
}


def verdict_cn(passed: bool | None) -> str:
    """通过 / 未通过 for a verdict."""
    return "通过" if passed else "未通过"


def get_writer(fmt: str):
    """The ``write`` function of the reporter for ``fmt`` (a key of :data:`FORMATS`, imported on demand).

    Every writer is called as ``write(results, stream, *, packs={pack id: Pack},
    documents={path: Document}, color=bool, verbose=bool)``; ``packs`` are the packs as
    configured for the run, ``documents`` the drafts as read for it.

    Raises:
        KeyError: ``fmt`` is not a format.
    """
    import importlib

    return importlib.import_module(f".{FORMATS[fmt].module}", __name__).write


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

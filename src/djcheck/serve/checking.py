"""The one place where ``djcheck serve`` calls the checking library.

Everything the web page and the HTTP API need from djcheck goes through this
module, so that the rest of :mod:`djcheck.serve` does not depend on how the
library is laid out. It uses only: :class:`djcheck.runner.Session`, :func:`djcheck.loaders.load_document`, the JSON
report's per-file conversion, :func:`djcheck.annotate.annotate_docx`,
:func:`djcheck.fix.fix_file`, the HTML report's rendering helpers, and the list
of bundled profiles (:func:`djcheck.pack.bundled_packs`, :func:`djcheck.engine.load_pack` for their titles).

An upload is written to a private temporary folder (created with mode 0700 by
:func:`tempfile.mkdtemp`), checked there and removed, folder and all, before
the function returns; nothing is written anywhere else. Paths inside that folder
never reach the caller: every message names the file by its uploaded name.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

#: Name of the empty configuration written next to each upload when the server has no ``--config``:
#: :class:`~djcheck.runner.Session` finds it first, so no ``.djcheck.yaml`` in a shared temporary
#: folder (or above it) can change the rules.
_EMPTY_CONFIG = ".djcheck.yaml"
_NAME_LIMIT = 120  # characters kept of an uploaded file name
_lock = threading.Lock()  # one check at a time: the page sends files one by one anyway


class UploadError(Exception):
    """An upload that cannot be checked; ``str(exc)`` is one Chinese line naming the file."""


@dataclass
class Outcome:
    """A checked upload.

    Attributes:
        name: the uploaded file name, cleaned (see :func:`clean_name`).
        data: one element of ``--format json``'s ``files`` (``path`` is ``name``).
        draft_html: the draft as the HTML report shows it (one numbered line per paragraph,
            findings marked), ``""`` when not asked for or not scored.
        fixable: how many findings the safe fix would change (``.txt`` / ``.md`` only, else 0).
        annotated: the annotated Word copy (bytes of a .docx), when asked for.
        fixed: the fixed text file (bytes, in the draft's own encoding), when asked for.
    """

    name: str
    data: dict
    draft_html: str = ""
    fixable: int = 0
    annotated: bytes | None = None
    fixed: bytes | None = None


@lru_cache(maxsize=1)
def profiles() -> tuple[tuple[str, str, str], ...]:
    """The bundled report types as ``(id, title, short_title)``, e.g.
    ``("zhuti-zeren", "落实全面从严治党主体责任情况报告", "主体责任报告")``, sorted by id."""
    from djcheck.engine import load_pack
    from djcheck.pack import bundled_packs

    out = []
    for pid in bundled_packs():
        pack = load_pack(pid)
        out.append((pid, pack.title, pack.short_title or pack.title))
    return tuple(out)


def report_css() -> str:
    """The HTML report's style sheet (the draft view uses its classes)."""
    from djcheck.report import html

    return html._CSS


def clean_name(filename: str | None) -> str:
    """A safe file name from an uploaded one: the last path component, without control
    characters, no leading dot, at most 120 characters (the suffix kept); ``未命名`` if empty."""
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip().lstrip(".")
    if len(name) > _NAME_LIMIT:
        stem, dot, suffix = name.rpartition(".")
        keep = f".{suffix}" if dot and len(suffix) <= 10 else ""
        name = name[: _NAME_LIMIT - len(keep)] + keep
    return name or "未命名"


def check_upload(
    filename: str | None,
    data: bytes,
    *,
    profile: str | None = None,
    year: int | None = None,
    config: str | os.PathLike | None = None,
    temp_root: str | os.PathLike | None = None,
    view: bool = False,
    annotate: bool = False,
    fix: bool = False,
) -> Outcome:
    """Check one uploaded draft.

    Args:
        filename: the name the browser sent (only its last component is used).
        data: the file's bytes (the caller enforces the upload size limit).
        profile: a bundled report type id (see :func:`profiles`), ``None`` to detect it.
        year: the report year (2000–2100), ``None`` to infer it from the text.
        config: the server's ``--config`` file; ``None``: bundled defaults only.
        temp_root: where the private temporary folder goes (default: the system's).
        view: also render the draft with its findings marked (``Outcome.draft_html``) and count
            the safe fixes.
        annotate / fix: also make the annotated Word copy / the fixed text.

    Returns:
        An :class:`Outcome`; a draft not recognised as a report type is a normal outcome
        (``data["recognised"]`` is false).

    Raises:
        UploadError: the file cannot be read (empty, binary, too large, a zip bomb, a legacy
            .doc …), or ``annotate`` / ``fix`` does not apply to it.
        djcheck.errors.DjcheckError: the ``config`` file is broken.
    """
    from djcheck.runner import Session

    name = clean_name(filename)
    folder = tempfile.mkdtemp(prefix="djcheck-serve-", dir=temp_root)
    try:
        path = os.path.join(folder, name)
        with open(path, "xb") as fh:
            fh.write(data)
        internal = None
        if config is None:
            config = internal = os.path.join(folder, _EMPTY_CONFIG)
            Path(config).write_bytes(b"")
        with _lock:
            res = Session(profile=profile, year=year, config=config).check(path)
        if internal is not None and res.config == internal:  # the empty stand-in is not the user's configuration
            res.config = None
            res.notes = [n for n in res.notes if internal not in n]
        if res.error:
            raise UploadError(_rename(res.error, path, name))
        out = Outcome(name=name, data={})
        if view and res.recognised and res.score is not None:
            out.draft_html = _draft_html(res, path)
            if Path(name).suffix.lower() in _fix_suffixes():
                out.fixable = _fix(res, path, name, write=False)[0]
        if annotate:
            out.annotated = _annotate(res, path, name, folder)
        if fix:
            out.fixed = _fix(res, path, name, write=True)[1]
        res.path = name
        res.profile_reason = _rename(res.profile_reason, path, name)
        if profile is not None:  # the Session words it for the command line
            res.profile_reason = "按所选的报告类型检查"
        if year is not None:
            res.year_reason = "按所填的报告年份"
        res.notes = [_rename(n, path, name) for n in res.notes]
        out.data = _per_file(res)
        return out
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _rename(text: str | None, path: str, name: str) -> str | None:
    return text.replace(path, name) if text else text


def _per_file(res) -> dict:
    """One element of ``--format json``'s ``files``."""
    from djcheck.report.json_report import to_data

    return to_data([res])["files"][0]


def _fix_suffixes() -> tuple[str, ...]:
    from djcheck.fix import FIXABLE_SUFFIXES

    return FIXABLE_SUFFIXES


def _fix(res, path: str, name: str, *, write: bool) -> tuple[int, bytes]:
    """``(number of fixes, the file's bytes afterwards)``; the upload's copy is rewritten when ``write``."""
    from djcheck.errors import DjcheckError
    from djcheck.fix import fix_file

    if Path(name).suffix.lower() not in _fix_suffixes():
        raise UploadError(f"{name}：只有 .txt / .md 文件可以下载自动修改稿，Word 文档请下载批注稿。")
    if not res.recognised or res.score is None:
        raise UploadError(f"{name}：未识别报告类型，请先选择报告类型再下载修改稿。")
    try:
        done = fix_file(path, res.findings, write=write)
    except DjcheckError as exc:
        raise UploadError(_rename(str(exc), path, name)) from None
    return len(done.applied), (Path(path).read_bytes() if write else b"")


def _annotate(res, path: str, name: str, folder: str) -> bytes:
    from djcheck.annotate import annotate_docx
    from djcheck.errors import DjcheckError

    if Path(name).suffix.lower() != ".docx":
        raise UploadError(f"{name}：只有 Word 文档（.docx）可以下载批注稿。")
    if not res.recognised or res.score is None:
        raise UploadError(f"{name}：未识别报告类型，请先选择报告类型再下载批注稿。")
    target = os.path.join(folder, "批注稿.docx")
    try:
        annotate_docx(path, target, res)
    except DjcheckError as exc:
        raise UploadError(_rename(str(exc), path, name)) from None
    return Path(target).read_bytes()


def _draft_html(res, path: str) -> str:
    """The HTML report's view of the draft at ``path`` (the file just checked): ``<div class="draft">``
    with one ``<p class="line">`` per paragraph (line), each finding a ``<mark class="finding">`` with
    its explanation."""
    from djcheck.errors import DjcheckError
    from djcheck.loaders import load_document
    from djcheck.report import html

    try:
        doc = load_document(path)
    except DjcheckError:
        return ""
    spans = html._spans(doc, res.findings)
    anchored = {item.line for item in res.checklist if item.status != "ok" and item.line}
    placed: set[int] = set()
    parts = ['<div class="draft">']
    for p in doc.paragraphs:
        cls = "line anchored" if p.line in anchored else "line"
        body = html._render_line(p.text, spans.get(p.line, []), res.findings, "d", placed)
        parts.append(
            f'<p class="{cls}" data-line="{p.line}"><span class="ln">{p.line}</span><span class="tx">{body}</span></p>'
        )
    parts.append("</div>")
    return "".join(parts)

"""Run a rule pack over a document: checklist, findings, score, verdict.

Score: each checklist item is worth its rule's ``weight``; an ``ok`` item
earns all of it, a ``weak`` item the rule's ``weak_credit`` share, a
``missing`` item nothing. ``score = 100 × earned / total`` (one decimal).
A file passes when its score reaches the pack's ``min_score`` and no
``error``-level item is missing (an error-level hygiene rule with findings,
such as placeholders, counts as missing).
"""

from __future__ import annotations

from pathlib import Path

from .checks import KINDS, NOT_APPLICABLE, Outcome
from .context import Context
from .document import Document
from .errors import InputError
from .loaders import TEXT_SUFFIXES, read_text
from .model import ChecklistItem, FileResult, Finding
from .pack import Pack, Rule
from .safe_regex import timeout_error

DEFAULT_PROFILE = "zhuti-zeren"
DOCX_SUFFIXES = (".docx",)
#: Legacy Word/WPS files: walked in folders so the user is told to save them as .docx.
LEGACY_SUFFIXES = (".doc", ".wps")
#: PDF needs the optional extra ``djcheck[pdf]``; read when named, not when walking folders.
PDF_SUFFIXES = (".pdf",)
SUPPORTED_SUFFIXES = TEXT_SUFFIXES + DOCX_SUFFIXES
#: File names skipped when walking a folder (documentation beside the drafts).
SKIPPED_NAMES = ("readme", "changelog", "license")


def load_document(path: str | Path) -> Document:
    """Read a draft file into a :class:`Document`.

    Raises:
        InputError: unreadable, unsupported, empty, binary or undecodable file.
    """
    name = str(path)
    suffix = Path(name).suffix.lower()
    if suffix in TEXT_SUFFIXES or not Path(name).exists():
        src = read_text(name)
        kind = "md" if suffix in (".md", ".markdown") else "txt"
        return Document.from_text(src.text, path=name, kind=kind, encoding=src.encoding, newline=src.newline)
    if suffix in DOCX_SUFFIXES:
        from .docx_reader import read_docx

        return read_docx(name)
    if suffix in LEGACY_SUFFIXES:
        from .docx_reader import legacy_word_error

        raise legacy_word_error(name)
    if suffix in PDF_SUFFIXES:
        from .pdf_reader import read_pdf

        return read_pdf(name)
    supported = "、".join(SUPPORTED_SUFFIXES)
    raise InputError(name, f"不支持的文件类型“{suffix or '无扩展名'}”，目前支持 {supported}。")


def collect_files(paths: list[str]) -> tuple[list[str], list[FileResult]]:
    """Expand folders into the supported files below them, sorted by path.

    Returns:
        ``(files, errors)``: the files to check, and a :class:`FileResult` with
        ``error`` set for each path that is missing, a folder without drafts, or
        a folder (or subfolder) that cannot be read.
    """
    files: list[str] = []
    errors: list[FileResult] = []
    for raw in paths:
        if not str(raw).strip():  # Path("") is the current folder: never check it by accident
            errors.append(FileResult(path=str(raw), error="命令行中有一个空的文件名（脚本中的变量可能没有赋值），已跳过。"))
            continue
        p = Path(raw)
        if p.is_dir():
            unreadable: list[str] = []
            found = sorted(_drafts_below(p, unreadable))
            errors.extend(
                FileResult(path=d, error=f"{d}：没有读取这个文件夹的权限（或无法读取），其中的文件没有检查。")
                for d in unreadable
            )
            if not found and not unreadable:
                exts = "、".join(SUPPORTED_SUFFIXES)
                errors.append(FileResult(path=raw, error=f"{raw}：文件夹里没有可检查的文件（{exts}）。"))
            files.extend(found)
        elif p.exists():
            files.append(raw)
        else:
            errors.append(FileResult(path=raw, error=f"{raw}：找不到这个文件或文件夹，请检查路径是否写对。"))
    return files, errors


def _drafts_below(folder: Path, unreadable: list[str]):
    """The drafts below ``folder`` as path strings (as ``str(folder / ...)`` spells them): files
    with a supported (or legacy Word) suffix, except hidden files and folders, Word's ``~$`` lock
    files and documentation (:data:`SKIPPED_NAMES`); symbolic links to folders are not followed.
    Folders that cannot be listed are appended to ``unreadable``.

    Works on strings (``os.walk``), not ``Path`` objects: a folder of a thousand drafts is
    listed in a few milliseconds.
    """
    import os

    def failed(exc: OSError) -> None:
        unreadable.append(str(exc.filename) if exc.filename else str(folder))

    top = str(folder)
    wanted = SUPPORTED_SUFFIXES + LEGACY_SUFFIXES
    for root, dirs, names in os.walk(top, onerror=failed):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        if top == "." and root.startswith("./"):  # spelled as Path(".") / "sub" / name spells it
            root = root[2:]
        for name in names:
            stem, suffix = os.path.splitext(name)
            if (
                suffix.lower() in wanted
                and not name.startswith((".", "~$"))  # hidden; Word's lock file beside an open document
                and not stem.lower().startswith(SKIPPED_NAMES)
            ):
                path = name if root == "." else os.path.join(root, name)
                if os.path.isfile(path):
                    yield path


def _derive(rule: Rule, outcome: Outcome) -> Outcome:
    if outcome.status is not None:
        return outcome
    findings = outcome.findings
    if not findings:
        return Outcome("ok", outcome.message or "未发现问题", None, findings, outcome.evidence)
    status = "missing" if rule.level == "error" else "weak"
    shown = "、".join(f"“{f.match}”（第{f.line}行）" for f in findings[:3])
    more = f"等 {len(findings)} 处" if len(findings) > 3 else f"共 {len(findings)} 处"
    message = outcome.message or f"发现{shown}{more}"
    return Outcome(status, message, findings[0].line, findings, outcome.evidence)


def score_items(items: list[ChecklistItem]) -> float:
    """Score 0–100 from the weights and credits of ``items`` (100 when nothing is weighted)."""
    total = sum(i.weight for i in items)
    if total <= 0:
        return 100.0
    earned = sum(i.weight * i.credit for i in items)
    return round(100.0 * earned / total, 1)


def rule_applies(rule: Rule, year: int | None, period=None) -> bool:
    """Whether a rule with ``valid_from`` / ``valid_until`` applies to a report of ``year``.

    With no known year every rule applies. When the report ``period``
    (:class:`djcheck.year.ReportPeriod`) is known, the rule applies only if the
    whole period lies within its validity (a 2022 report is not subject to a
    rule valid from 2022-12-26).
    """
    if year is None:
        return True
    if period is not None:
        if not (rule.valid_from or rule.valid_until):
            return True  # what period_within answers for a rule valid at all times
        from .year import period_within

        return period_within(period, rule.valid_from, rule.valid_until)
    if rule.valid_from and year < int(rule.valid_from[:4]):
        return False
    if rule.valid_until and year > int(rule.valid_until[:4]):
        return False
    return True


#: Share of a rule's weight an ``ok`` / ``missing`` item earns (a weak one earns the rule's ``weak_credit``).
_CREDIT = {"ok": 1.0, "missing": 0.0}


def check_document(
    doc: Document,
    pack: Pack,
    *,
    year: int | None = None,
    year_reason: str | None = None,
    min_score: float | None = None,
    suppressions=None,
) -> FileResult:
    """Check ``doc`` against ``pack``.

    ``year`` (e.g. from ``--year``) overrides the year found in the text
    (:mod:`djcheck.year`); the result's ``year`` / ``year_reason`` say which was used.

    Returns a :class:`FileResult` with the checklist (one item per active rule,
    in pack order), the findings sorted by position, the score and the verdict.
    ``suppressions`` (a :class:`djcheck.suppress.Suppressions`) removes what the
    draft's inline markers switch off, and counts it.

    Raises:
        RuleError: a rule failed while running (e.g. a regex that timed out).
    """
    from .year import pack_events, resolve

    period = resolve(doc, year, year_reason, pack_events(pack))
    if period is not None:
        year, year_reason = period.year, period.reason
    ctx = Context(doc, pack, year, year_reason)
    ctx.cache["report_period"] = period
    items: list[ChecklistItem] = []
    findings: list[Finding] = []
    filtering = suppressions is not None and bool(suppressions.markers)  # no markers: nothing to filter
    for rule in pack.active_rules:
        if not rule_applies(rule, year, period):
            continue
        try:
            outcome = KINDS[rule.kind].run(rule, ctx)
        except TimeoutError:  # a pattern given an explicit timeout by its check ran out of it
            raise timeout_error(rule.file, f"规则“{rule.id}”", None, rule.line, seconds=None) from None
        if filtering:
            outcome = suppressions.filter(rule, outcome)
            if outcome is None:  # the whole item is switched off by a marker
                continue
        outcome = _derive(rule, outcome)
        if outcome.status == NOT_APPLICABLE:
            continue
        credit = rule.weak_credit if outcome.status == "weak" else _CREDIT[outcome.status]
        items.append(
            ChecklistItem(
                id=rule.id,
                title=rule.title,
                status=outcome.status,  # type: ignore[arg-type]
                level=rule.level,  # type: ignore[arg-type]
                message=outcome.message,
                line=outcome.line,
                weight=rule.weight,
                credit=credit,
                evidence=outcome.evidence,
                advice=rule.advice if outcome.status != "ok" else "",
                short=rule.short,
            )
        )
        findings.extend(outcome.findings)
    findings.sort(key=lambda f: (f.line, f.col, f.rule))
    score = score_items(items)
    threshold = pack.min_score if min_score is None else min_score
    blocking = any(i.level == "error" and i.status == "missing" for i in items)
    return FileResult(
        path=doc.path,
        profile=pack.id,
        profile_title=pack.title,
        profile_short=pack.short_title or None,
        score=score,
        min_score=threshold,
        passed=score >= threshold and not blocking,
        checklist=items,
        findings=findings,
        encoding=doc.encoding,
        year=year,
        year_reason=year_reason,
        location_unit="paragraph" if doc.kind in ("docx", "pdf") else "line",
        suppressed=suppressions.count if suppressions is not None else 0,
        suppressions=suppressions.records() if suppressions is not None else [],
        notes=list(doc.metadata.get("notes", [])),
    )


def check_file(
    path: str | Path,
    *,
    profile: str | None = None,
    pack: Pack | None = None,
    min_score: float | None = None,
    year: int | None = None,
    config: str | Path | None = None,
) -> FileResult:
    """Read and check one draft; never raises for a bad file.

    The pack is ``pack``, else ``profile``, else the configuration's
    ``profile``, else the genre detected from the text (:mod:`djcheck.genre`);
    the configuration (``config``, or the nearest ``.djcheck.yaml`` above the
    file) and the draft's inline markers apply. See :mod:`djcheck.runner`.

    Args:
        path: a .txt / .md / .docx draft (or .pdf with the ``pdf`` extra).
        profile: pack id or path, overriding detection and configuration.
        pack: an already loaded pack, used as it is.
        min_score: overrides the pack's pass mark.
        year: the report's year for date-aware rules.
        config: a configuration file to use instead of the discovered one.

    Returns:
        A :class:`FileResult`; when the file cannot be read, ``error`` holds the
        Chinese message and ``score`` is ``None``; when it fits no supported
        genre, ``recognised`` is ``False`` and ``score`` is ``None``.

    Raises:
        RuleError: the pack cannot be loaded.
        ConfigError: the configuration file is invalid.
    """
    from .runner import Session

    return Session(profile=profile, pack=pack, min_score=min_score, year=year, config=config).check(path)

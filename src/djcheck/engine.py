"""Load a pack ready to run (:func:`load_pack`), and run it over a document
(:func:`check_document`): checklist, findings, score, verdict.

The engine knows check kinds only through :data:`djcheck.checks.KINDS`; reading
files is :mod:`djcheck.loaders`' job, choosing the pack and the configuration
:mod:`djcheck.runner`'s.

Score: each checklist item is worth its rule's ``weight``; an ``ok`` item
earns all of it, a ``weak`` item the rule's ``weak_credit`` share, a
``missing`` item nothing; an ``unchecked`` item (nothing to check) is left out.
``score = 100 × earned / total`` (one decimal).
A file passes when its score reaches the pack's ``min_score`` and no
``error``-level item is missing (an error-level hygiene rule with findings,
such as placeholders, counts as missing).
"""

from __future__ import annotations

from pathlib import Path

from .checks import KINDS, NOT_APPLICABLE, UNCHECKED, Outcome, data_files, prepare_rules
from .context import Context
from .document import Document
from .model import ChecklistItem, FileResult, Finding, in_units, location_unit
from .pack import Pack, Rule, read_pack, resolve_pack_path
from .penalties import fold_consequences
from .safe_regex import file_budget, timeout_error


def load_pack(
    name_or_path: str | Path, search: list[Path] | None = None, *, parents: dict[tuple, Pack] | None = None
) -> Pack:
    """A pack ready to run, by bundled id (``zhuti-zeren``) or YAML path: read and resolved
    (:func:`djcheck.pack.read_pack`), its rules checked, prepared and put in checklist
    order at each level of ``extends`` (:func:`djcheck.checks.prepare_rules`). ``search``: folders where ``extends``
    names are looked up before the bundled packs. ``parents``: as for :func:`~djcheck.pack.read_pack`
    (packs read together share the packs they extend: :func:`load_packs`).

    Raises:
        RuleError: malformed YAML or schema, unknown kind, bad option or regex, extends cycle.
    """
    pack = read_pack(name_or_path, search, prepare=prepare_rules, parents=parents)
    # the word lists a rule reads (``files:``) belong to the pack too: the per-user cache of the
    # pack is rebuilt when an office edits its own list
    for rule in pack.rules:
        pack.files.extend(f for f in data_files(rule) if f not in pack.files)
    return pack


def load_packs(names: list[str | Path], search: list[Path] | None = None) -> list[Pack]:
    """:func:`load_pack` of each of ``names``, in order, reading a pack that several of them extend
    (``common``) once: its rules are the same objects in each pack, so pickling the list stores them once.

    Raises:
        RuleError: as :func:`load_pack`, for the first pack that cannot be loaded.
    """
    parents: dict[tuple, Pack] = {}
    return [load_pack(name, search, parents=parents) for name in names]


def pack_key(name_or_path: str | Path, search: list[Path] | None = None) -> tuple[str, ...]:
    """What identifies a loaded pack: its resolved file and the ``search`` folders (which can change
    what its ``extends`` names mean). Two loads with the same key give the same pack.

    Raises:
        RuleError: no pack of that name (:func:`djcheck.pack.resolve_pack_path`).
    """
    path = resolve_pack_path(str(name_or_path), None, search)
    try:
        resolved = str(path.resolve())
    except OSError:
        resolved = str(path)
    return (resolved, *(str(s) for s in search or []))


#: Cached packs kept; older entries (other pack files, earlier versions of the code) are removed.
CACHED_PACKS = 32


def load_pack_cached(name_or_path: str | Path, search: list[Path] | None = None) -> Pack:
    """:func:`load_pack` through the per-user store (:func:`djcheck.cache.load_cached`); same arguments,
    result and errors.

    Returns:
        The resolved :class:`~djcheck.pack.Pack`, read back pickled while every file it was built from
        (the pack, the packs it extends, the word lists its rules read) and the library are unchanged,
        else loaded from YAML (and then stored).

    Raises:
        RuleError: as :func:`load_pack` (errors are never cached).
    """
    from . import cache

    path = resolve_pack_path(str(name_or_path), None, search)
    return cache.load_cached(
        "packs",
        list(pack_key(path, search)),
        lambda: load_pack(path, search),
        sources=lambda pack: pack.files,
        keep=CACHED_PACKS,
        valid=lambda obj: isinstance(obj, Pack),
    )


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


def fail_reasons(
    blocking: list[ChecklistItem],
    findings: list[Finding],
    level_cn: str,
    score: float | None = None,
    threshold: float | None = None,
) -> list[str]:
    """Why a file fails, in Chinese: ``有错误级问题未解决（模板占位符 9 处、三段式结构）`` for the
    ``blocking`` items (each by its short name, with its number of findings when it has any;
    ``level_cn`` 错误级 / 警告级以上), and ``得分低于合格线（72.5 < 80）`` when ``score`` is below
    ``threshold``. Empty when neither holds (the file passes)."""
    reasons = []
    if blocking:
        named = []
        for item in blocking:
            count = sum(1 for f in findings if f.rule == item.id)
            named.append(f"{item.short_title} {count} 处" if count else item.short_title)
        reasons.append(f"有{level_cn}问题未解决（{'、'.join(named)}）")
    if score is not None and threshold is not None and score < threshold:
        reasons.append(f"得分低于合格线（{score:g} < {threshold:g}）")
    return reasons


def score_items(items: list[ChecklistItem]) -> float:
    """Score 0–100 from the weights and credits of ``items`` (100 when nothing is weighted);
    ``unchecked`` items do not count."""
    items = [i for i in items if i.status != UNCHECKED]
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
_CREDIT = {"ok": 1.0, "missing": 0.0, UNCHECKED: 0.0}


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

    Patterns that are not bundled share one time budget for the document
    (:func:`djcheck.safe_regex.file_budget`; the runner's, when it set one for the whole file).

    Raises:
        RuleError: a rule failed while running (e.g. a regex that timed out, or spent the budget).
    """
    with file_budget():
        return _check_document(doc, pack, year, year_reason, min_score, suppressions)


def _check_document(doc, pack, year, year_reason, min_score, suppressions) -> FileResult:
    from .year import pack_events, resolve

    unit = location_unit(doc.kind)
    period = resolve(doc, year, year_reason, pack_events(pack))
    if period is not None:
        year, year_reason = period.year, period.reason
    ctx = Context(doc, pack, year, year_reason, period)
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
                message=in_units(outcome.message, unit),
                line=outcome.line,
                weight=rule.weight,
                credit=credit,
                evidence=[in_units(e, unit) for e in outcome.evidence],
                advice=rule.advice if outcome.status not in ("ok", UNCHECKED) else "",
                short=rule.short,
            )
        )
        findings.extend(outcome.findings)
    # One defect, one row: items that only restate a thin problems part's defect are noted under it
    # (djcheck.penalties, docs/scoring.md).
    items = fold_consequences(items, ctx)
    if unit != "line":
        for f in findings:
            f.message = in_units(f.message, unit)
    findings.sort(key=lambda f: (f.line, f.col, f.rule))
    score = score_items(items)
    threshold = pack.min_score if min_score is None else min_score
    blocking = [i for i in items if i.level == "error" and i.status == "missing"]
    reasons = fail_reasons(blocking, findings, "错误级", score, threshold)
    return FileResult(
        path=doc.path,
        profile=pack.id,
        profile_title=pack.title,
        profile_short=pack.short_title or None,
        score=score,
        min_score=threshold,
        passed=not reasons,
        fail_reasons=reasons,
        checklist=items,
        findings=findings,
        encoding=doc.encoding,
        year=year,
        year_reason=year_reason,
        location_unit=unit,
        suppressed=suppressions.count if suppressions is not None else 0,
        suppressions=suppressions.records() if suppressions is not None else [],
        notes=list(doc.metadata.get("notes", [])),
    )


"""SARIF 2.1.0 output (``--format sarif``) for code-scanning viewers (GitHub, VS Code SARIF viewer).

One run: ``tool.driver.rules`` lists every rule of the packs used, as configured
for the run (the ``packs`` the caller passes; id,
shortDescription = title, fullDescription = message, help = advice and source,
defaultConfiguration.level). ``results`` hold

* each checklist item that is weak or missing and has no findings of its own,
  anchored where the element is or should be (``ChecklistItem.line``; line 1
  when unknown), column 1;
* each :class:`~djcheck.model.Finding`, with its region (1-based lines and
  columns; ``columnKind`` is ``unicodeCodePoints``: columns count characters).

Every result has a ``partialFingerprints["djcheck/v1"]`` that survives edits
elsewhere in the file (rule, file, matched text and occurrence number; no line
number). Paths are URIs relative to the working directory (``%SRCROOT%``)
when the file lies below it. For a .docx/.pdf, lines are paragraph numbers:
the artifact's ``properties.locationUnit`` says so and its ``description``
carries the notes. Unreadable files become ``toolExecutionNotifications`` and
``executionSuccessful`` is false.

Level mapping: ``error`` → ``error``, ``warning`` → ``warning``, ``info`` →
``note``; a *weak* item of an error-level rule is reported as ``warning``
(only a missing error-level item fails the file).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping
from pathlib import Path, PurePosixPath
from typing import TextIO
from urllib.parse import quote

from .. import __version__
from ..model import FileResult
from . import STATUS_MARK

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SRCROOT = "%SRCROOT%"
_LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def artifact_uri(path: str, base: Path | None = None) -> tuple[str, str | None]:
    """``(uri, uriBaseId)`` for ``path``: relative to ``base`` (default: cwd) when below it, else absolute.

    Non-ASCII characters (Chinese file names) are percent-encoded as UTF-8.
    """
    base = (base or Path.cwd()).resolve()
    p = Path(path)
    absolute = p if p.is_absolute() else (base / p)
    try:
        rel = absolute.resolve().relative_to(base)
    except (ValueError, OSError):
        return absolute.resolve().as_uri(), None
    return quote(PurePosixPath(*rel.parts).as_posix(), safe="/"), SRCROOT


def _rules_catalogue(results: list[FileResult], packs: Mapping) -> list[dict]:
    """SARIF rule descriptors for every rule id that appears, pack rules first."""
    rules: dict[str, dict] = {}
    profiles = [r.profile for r in results if r.profile]
    for profile in dict.fromkeys(profiles):
        pack = packs.get(profile)
        if pack is None:
            continue
        for rule in pack.active_rules:
            if rule.id in rules:
                continue
            help_text = rule.advice or rule.message or rule.title
            if rule.source:
                help_text += f"\n依据：{rule.source}"
            rules[rule.id] = {
                "id": rule.id,
                "shortDescription": {"text": rule.title},
                "fullDescription": {"text": rule.message or rule.title},
                "help": {"text": help_text},
                "defaultConfiguration": {"level": _LEVEL.get(rule.level, "warning")},
                "properties": {"weight": rule.weight, "pack": rule.pack or pack.id, "kind": rule.kind},
            }
    for res in results:  # rules not found in a pack (no pack given for the result's profile)
        for item in res.checklist:
            if item.id not in rules:
                rules[item.id] = {
                    "id": item.id,
                    "shortDescription": {"text": item.title},
                    "help": {"text": item.advice or item.message or item.title},
                    "defaultConfiguration": {"level": _LEVEL.get(item.level, "warning")},
                }
        for f in res.findings:
            if f.rule not in rules:
                rules[f.rule] = {
                    "id": f.rule,
                    "shortDescription": {"text": f.rule},
                    "help": {"text": f.message},
                    "defaultConfiguration": {"level": _LEVEL.get(f.level, "warning")},
                }
    return list(rules.values())


def _fingerprint(*parts: object) -> str:
    return hashlib.sha256("\0".join(str(p) for p in parts).encode("utf-8")).hexdigest()[:32]


def to_data(results: list[FileResult], packs: Mapping | None = None, base: Path | None = None) -> dict:
    """The SARIF log as a Python dict (see the module docstring).

    Args:
        results: file results in output order.
        packs: ``{pack id: Pack}``, the packs as configured for the run; a result whose
            profile is not there has its rules described from its checklist items.
        base: the directory relative URIs start from (default: the working directory).
    """
    rules = _rules_catalogue(results, packs or {})
    index = {r["id"]: i for i, r in enumerate(rules)}
    artifacts: list[dict] = []
    out: list[dict] = []
    notifications: list[dict] = []
    for res in results:
        uri, base_id = artifact_uri(res.path, base)
        location = {"uri": uri}
        if base_id:
            location["uriBaseId"] = base_id
        if res.error:
            notifications.append(
                {
                    "level": "error",
                    "message": {"text": res.error},
                    "locations": [{"physicalLocation": {"artifactLocation": location}}],
                }
            )
            continue
        art_index = len(artifacts)
        artifact: dict = {
            "location": dict(location),
            "properties": {
                "profile": res.profile,
                "score": res.score,
                "minScore": res.min_score,
                "passed": res.passed,
                "failReasons": list(res.fail_reasons),
                "locationUnit": res.location_unit,
            },
        }
        if res.config:
            artifact["properties"]["configFile"] = res.config
        if res.notes:
            artifact["description"] = {"text": " ".join(res.notes)}
        artifacts.append(artifact)
        loc = dict(location, index=art_index)
        with_findings = {f.rule for f in res.findings}
        for item in res.checklist:
            if item.status in ("ok", "unchecked") or item.id in with_findings:
                continue
            level = _LEVEL.get(item.level, "warning")
            if item.status == "weak" and level == "error":
                level = "warning"
            text = f"{STATUS_MARK[item.status]} {item.title}：{item.message}"
            if item.advice:
                text += f" 建议：{item.advice}"
            out.append(
                {
                    "ruleId": item.id,
                    "ruleIndex": index[item.id],
                    "level": level,
                    "message": {"text": text},
                    "locations": [
                        {
                            "physicalLocation": {
                                "artifactLocation": loc,
                                "region": {"startLine": item.line or 1, "startColumn": 1},
                            }
                        }
                    ],
                    "partialFingerprints": {
                        "djcheck/v1": _fingerprint(item.id, uri, "checklist", item.status)
                    },
                    "properties": {"checklistStatus": item.status},
                }
            )
        seen: dict[tuple[str, str], int] = {}
        for f in res.findings:
            key = (f.rule, f.match)
            seen[key] = seen.get(key, 0) + 1
            region = {
                "startLine": f.line,
                "startColumn": f.col,
                "endLine": f.end_line,
                "endColumn": f.end_col,
            }
            if f.match:
                region["snippet"] = {"text": f.match}
            result = {
                "ruleId": f.rule,
                "ruleIndex": index[f.rule],
                "level": _LEVEL.get(f.level, "warning"),
                "message": {"text": f.message},
                "locations": [{"physicalLocation": {"artifactLocation": loc, "region": region}}],
                "partialFingerprints": {"djcheck/v1": _fingerprint(f.rule, uri, f.match, seen[key])},
            }
            if f.suggestion is not None:
                result["properties"] = {"suggestion": f.suggestion}
            out.append(result)
    run: dict = {
        "tool": {
            "driver": {
                "name": "djcheck",
                "version": __version__,
                "semanticVersion": __version__,
                "rules": rules,
            }
        },
        "columnKind": "unicodeCodePoints",
        "invocations": [
            {"executionSuccessful": not notifications, "toolExecutionNotifications": notifications}
        ],
        "artifacts": artifacts,
        "results": out,
    }
    if not notifications:
        del run["invocations"][0]["toolExecutionNotifications"]
    # The configuration files applied in this run (each artifact names its own).
    run["properties"] = {"configFiles": sorted({r.config for r in results if r.config})}
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}


def write(results: list[FileResult], stream: TextIO, *, packs: Mapping | None = None, **_options) -> None:
    """Write the SARIF log (UTF-8 JSON, Chinese kept readable) to ``stream``.

    ``packs`` (``{pack id: Pack}``) are the packs as configured for the run: their
    rules' levels, titles and advice are what ``tool.driver.rules`` describes.
    """
    json.dump(to_data(results, packs or {}, Path(os.getcwd())), stream, ensure_ascii=False, indent=2, allow_nan=False)
    stream.write("\n")

"""Check kinds: each YAML ``kind:`` maps to one module here.

A kind module provides:

- ``OPTIONS_SCHEMA``: JSON schema of the rule's ``options`` (validated at load);
- ``prepare(rule) -> object``: compile patterns once, raising ``RuleError`` with
  the rule's file and line on a bad option;
- ``run(rule, ctx) -> Outcome``: the verdict for one document.

A kind either judges an element (``Outcome.status`` set: ok / weak / missing)
or reports located findings (``status`` left ``None``; the engine derives the
checklist status from the findings).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..model import Finding

#: Status a check returns when what it analyses is absent (e.g. no 存在的问题 part to judge
#: for specificity): the item is left out of the checklist and the score, since the rule
#: that requires the part already reports it missing.
NOT_APPLICABLE = "n/a"


@dataclass
class Outcome:
    """A check's verdict on one document.

    Attributes:
        status: ``ok`` | ``weak`` | ``missing``, :data:`NOT_APPLICABLE`, or ``None`` to derive
            it from ``findings``.
        message: one line of Chinese for the checklist.
        line: 1-based line the verdict points at.
        findings: located findings.
        evidence: quotations and figures behind the verdict (shown with ``-v``).
    """

    status: str | None = None
    message: str = ""
    line: int | None = None
    findings: list[Finding] = field(default_factory=list)
    evidence: list[str] = field(default_factory=list)


def shorten(text: str, limit: int = 40) -> str:
    """``text`` on one line, cut to ``limit`` characters with …"""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _registry() -> dict:
    from . import (
        achievements_data,
        author_name,
        doubled_word,
        events,
        first_person,
        four_forms,
        measure_match,
        measures_concrete,
        mention,
        numbering,
        pattern,
        problems_specific,
        problems_weight,
        punctuation,
        slogans,
        structure,
        terms,
        typo_guess,
    )

    return {
        "structure": structure.Structure,
        "part": structure.PartPresent,
        "mention": mention,
        "four-forms": four_forms,
        "pattern": pattern,
        "problems-specific": problems_specific,
        "problem-measure-match": measure_match,
        "measures-concrete": measures_concrete,
        "achievements-data": achievements_data,
        "problems-weight": problems_weight,
        "first-person": first_person,
        "four-forms-sum": four_forms.FourFormsSum,
        # hygiene kinds (issue 3)
        "doubled-word": doubled_word,
        "terms": terms,
        "slogans": slogans,
        "events": events,
        "punctuation": punctuation,
        "numbering": numbering,
        "author-name": author_name,
        typo_guess.KIND: typo_guess,  # 疑似错别字 (issue 20)
    }


KINDS: dict = _registry()
"""Kind name (the YAML ``kind:``) → the module or class that runs it."""

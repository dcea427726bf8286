"""What a check kind returns: :class:`Outcome`, and small helpers every kind may use.

A leaf of :mod:`djcheck.checks`: kind modules import it, the registry in
``checks/__init__.py`` imports the kind modules.
"""

from __future__ import annotations

from dataclasses import field

from ..model import Finding
from ..records import record

#: Status a check returns when what it analyses is absent (e.g. no 存在的问题 part to judge
#: for specificity): the item is left out of the checklist and the score, since the rule
#: that requires the part already reports it missing.
NOT_APPLICABLE = "n/a"

#: Status of an item that could not be checked (e.g. no 四种形态 breakdown to add up): shown as
#: "—" in the checklist, neither passed nor failed, and left out of the score.
UNCHECKED = "unchecked"


@record
class Outcome:
    """A check's verdict on one document.

    Attributes:
        status: ``ok`` | ``weak`` | ``missing``, :data:`UNCHECKED`, :data:`NOT_APPLICABLE`, or ``None`` to derive
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

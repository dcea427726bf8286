"""Kind ``part``: one part of the report (e.g. 存在的问题, 下一步打算) is present and not a token.

The parts are found by :mod:`djcheck.parts` from the pack's ``parts:`` phrasings
(domain catalogue §2); kind ``structure`` (:mod:`djcheck.checks.structure`)
judges their order.

Options:
    part: the part kind (``problems``, ``next_steps`` …).
    min_chars: fewest characters (non-whitespace) of content to count as real.
    min_sentences: fewest sentences or items to count as real.

Verdict: missing when the part is absent; weak when it is shorter than
``min_chars`` or has fewer than ``min_sentences`` sentences; ok otherwise.
"""

from __future__ import annotations

from ..context import Context
from ..document import Document
from ..pack import Rule
from ..parts import Part
from .outcome import Outcome, shorten

KIND = "part"
DESCRIPTION_CN = "检查某一部分是否存在，内容是否够得上实质（字数、句数）"

#: Checklist group: 0 structure, 1 required elements, 2 weak-item analysis, 3 located findings.
CHECKLIST_GROUP = 1

OPTIONS_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["part"],
    "properties": {
        "part": {"type": "string"},
        "min_chars": {"type": "integer", "minimum": 0},
        "min_sentences": {"type": "integer", "minimum": 0},
    },
}


def prepare(rule: Rule):
    return None


def start_quote(doc: Document, part: Part, limit: int) -> str:
    """``shorten(part.text(doc), limit)``, read from the start of the part only (a part can be
    millions of characters; shortening copies what it is given, twice).

    The start of the part, on one line, is the start of the whole part on one line: once it is
    longer than ``limit`` characters it is cut where the whole part would be.
    """
    width = 2 * limit
    while True:
        end = min(part.end, part.body_start + width)
        start = doc.text[part.body_start : end]
        if end == part.end or len(" ".join(start.split())) > limit:
            return shorten(start, limit)
        width *= 4


def run(rule: Rule, ctx: Context) -> Outcome:
    kind = rule.options["part"]
    title = ctx.part_title(kind)
    part = ctx.parts.get(kind)
    if part is None:
        return Outcome("missing", rule.message or f"没有“{title}”部分", ctx.last_line())
    chars = part.chars(ctx.doc)
    sentences = part.sentences(ctx.doc)
    items = len(ctx.items(kind) or ())  # the one item splitter (items.py) every check uses
    min_chars = rule.options.get("min_chars", 80)
    min_sentences = rule.options.get("min_sentences", 2)
    evidence = [
        f"第{part.line}行起，{chars} 字，{sentences} 句，{items} 项",
        f"原文：“{start_quote(ctx.doc, part, 60)}”",
    ]
    if chars < min_chars or sentences < min_sentences:
        return Outcome(
            "weak",
            f"“{title}”只有 {sentences} 句、{chars} 字（第{part.line}行），内容单薄",
            part.line,
            evidence=evidence,
        )
    return Outcome(
        "ok", f"有“{title}”（第{part.line}行起，{items} 项，{chars} 字）", part.line, evidence=evidence
    )


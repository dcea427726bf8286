"""Structure checks: the three-part structure and the presence of a part.

Reports to superiors follow 工作情况/成效 → 存在的问题 → 下一步打算/整改措施
(domain catalogue §2; a county 纪委 sent back a report lacking 下步工作打算).
The parts themselves are found by :mod:`djcheck.parts` from the pack's
``parts:`` phrasings.
"""

from __future__ import annotations

from ..context import Context
from ..document import count_chars, run_in_count, sentence_count
from ..pack import Rule
from . import Outcome, shorten


class Structure:
    """Kind ``structure``: required parts present, announced by headings, in order.

    Options:
        required: part kinds that must appear, in the order they must appear.

    Verdict: missing when a required part is absent; weak when all are there
    but one is announced only by a sentence inside a paragraph, or the order
    is wrong; ok otherwise.
    """

    CHECKLIST_GROUP = 0
    OPTIONS_SCHEMA = {
        "type": "object",
        "additionalProperties": False,
        "properties": {"required": {"type": "array", "items": {"type": "string"}, "minItems": 1}},
    }

    @staticmethod
    def prepare(rule: Rule):
        return None

    @staticmethod
    def run(rule: Rule, ctx: Context) -> Outcome:
        required = rule.options.get("required") or ["achievements", "problems", "next_steps"]
        parts = ctx.parts
        names = {k: ctx.part_title(k) for k in required}
        missing = [k for k in required if parts.get(k) is None]
        evidence = [
            f"{ctx.part_title(p.kind)}：第{p.line}行（{_via_cn(p.via)}{('“' + shorten(p.label, 20) + '”') if p.label else ''}）"
            for p in parts.parts
        ]
        if missing:
            listed = "、".join(f"“{names[k]}”" for k in missing)
            return Outcome("missing", f"缺少{listed}部分", ctx.last_line(), evidence=evidence)
        found = [parts.get(k) for k in required]
        order = [p.start for p in found]
        if order != sorted(order):
            seq = " → ".join(names[k] for k in sorted(required, key=lambda k: parts.get(k).start))
            return Outcome("weak", f"各部分顺序不对：现为 {seq}", found[0].line, evidence=evidence)
        soft = [p for p in found if p.via == "lead-in"]
        if soft:
            p = soft[0]
            return Outcome(
                "weak",
                f"“{names[p.kind]}”没有单独的标题，只在第{p.line}行段落中以“{shorten(p.label, 12)}”引出",
                p.line,
                evidence=evidence,
            )
        seq = " → ".join(f"{names[p.kind]}（第{p.line}行）" for p in found)
        return Outcome("ok", f"结构完整：{seq}", found[0].line, evidence=evidence)


def _via_cn(via: str) -> str:
    return {"heading": "标题", "lead-in": "段中引出", "label": "行内标注", "implicit": "未设标题"}.get(via, via)


def count_items(text: str, sentences: int | None = None) -> int:
    """Items in a part: run-in enumerators (一是…) or sub-headings, else sentences.

    ``sentences``: :func:`~djcheck.document.sentence_count` of ``text`` when already known.
    """
    run_ins = run_in_count(text)
    if run_ins >= 2:
        return run_ins
    heads = sum(
        1
        for line in text.split("\n")
        if line.strip()[:1] in "（(" or line.strip()[:2].rstrip("、.．").isdigit()
    )
    if heads >= 2:
        return heads
    return sentence_count(text) if sentences is None else sentences


class PartPresent:
    """Kind ``part``: one part (e.g. 存在的问题, 下一步打算) is present and not a token.

    Options:
        part: the part kind (``problems``, ``next_steps`` …).
        min_chars: fewest characters (non-whitespace) of content to count as real.
        min_sentences: fewest sentences or items to count as real.

    Verdict: missing when the part is absent; weak when it is shorter than
    ``min_chars`` or has fewer than ``min_sentences`` sentences; ok otherwise.
    """

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

    @staticmethod
    def prepare(rule: Rule):
        return None

    @staticmethod
    def run(rule: Rule, ctx: Context) -> Outcome:
        kind = rule.options["part"]
        title = ctx.part_title(kind)
        part = ctx.parts.get(kind)
        if part is None:
            return Outcome("missing", rule.message or f"没有“{title}”部分", ctx.last_line())
        text = part.text(ctx.doc)
        chars = count_chars(text)
        sentences = sentence_count(text)
        items = count_items(text, sentences)
        min_chars = rule.options.get("min_chars", 80)
        min_sentences = rule.options.get("min_sentences", 2)
        evidence = [
            f"第{part.line}行起，{chars} 字，{sentences} 句，{items} 项",
            f"原文：“{shorten(text, 60)}”",
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

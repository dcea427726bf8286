"""Kind ``four-forms``: 监督执纪“四种形态” named, and backed by figures.

Source: 《中国共产党党内监督条例》(2016) 第七条 defines the four forms
(批评教育/约谈函询 → 轻处分/组织调整 → 重处分/重大职务调整 → 立案审查);
CCDI releases report them as "运用‘四种形态’处理X人次，其中第一种形态X人次……"
(domain catalogue §6).

Options:
    terms: how the forms are named (default ``四种形态``).
    figure_patterns: regexes for a figure about the forms (``\\d+人次``,
        ``第一种形态……\\d``); an unfilled ``**人次`` also counts as a figure
        here, the placeholder rule reports it separately.
    window: characters before and after a mention, within its paragraph,
        in which a figure must stand (default 200).

Verdict: missing when never named; weak when no mention has a figure near it.
"""

from __future__ import annotations

from ..context import Context
from ..pack import Rule
from . import Outcome, shorten

DEFAULT_FIGURES = [
    r"(?:\d+(?:\.\d+)?|[*＊]+)\s*万?人次",
    r"第[一二三四]种形态[^。；\n]{0,30}?(?:\d|[*＊])",
]

#: Judges a required element (listed before the hygiene rules in the checklist).
JUDGES_ELEMENT = True

OPTIONS_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "terms": {"type": "array", "items": {"type": "string", "minLength": 1}, "minItems": 1},
        "figure_patterns": {"type": "array", "items": {"type": "string"}, "minItems": 1},
        "window": {"type": "integer", "minimum": 0},
    },
}


def prepare(rule: Rule):
    return [rule.compile(p, "figure_patterns") for p in rule.options.get("figure_patterns", DEFAULT_FIGURES)]


def mentions(ctx: Context, rule: Rule) -> list[int]:
    """Offsets where the forms are named."""
    text = ctx.doc.text
    out = []
    for term in rule.options.get("terms", ["四种形态"]):
        i = text.find(term)
        while i >= 0:
            out.append(i)
            i = text.find(term, i + 1)
    return sorted(out)


def figures_near(ctx: Context, rule: Rule, offset: int) -> list[str]:
    """Figures about the forms within the window around ``offset``, in its paragraph."""
    para = ctx.doc.paragraph_at(offset)
    window = rule.options.get("window", 200)
    lo, hi = max(para.start, offset - window), min(para.end, offset + window)
    found = []
    for pat in rule.compiled:
        for m in pat.finditer(ctx.doc.text, lo, hi, timeout=5):
            found.append(m.group())
    return found


def run(rule: Rule, ctx: Context) -> Outcome:
    hits = mentions(ctx, rule)
    if not hits:
        return Outcome("missing", rule.message or "全文没有运用监督执纪“四种形态”的表述", ctx.last_line())
    evidence = []
    with_figures = []
    for h in hits:
        line = ctx.doc.line_of(h)
        figs = figures_near(ctx, rule, h)
        para = ctx.doc.paragraph_at(h)
        snippet = shorten(ctx.doc.text[max(para.start, h - 12) : min(para.end, h + 30)], 44)
        evidence.append(
            f"第{line}行：“{snippet}”" + (f"，数据：{'、'.join(figs[:4])}" if figs else "，附近没有数据")
        )
        if figs:
            with_figures.append(line)
    first = ctx.doc.line_of(hits[0])
    if not with_figures:
        return Outcome(
            "weak",
            f"提到“四种形态”{len(hits)} 次（第{first}行），但附近没有各种形态的人次数据",
            first,
            evidence=evidence,
        )
    return Outcome(
        "ok", f"运用“四种形态”并附有数据（第{with_figures[0]}行）", with_figures[0], evidence=evidence
    )

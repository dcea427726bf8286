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

Verdict: missing when never named; weak when no mention has a figure near it;
ok otherwise. The evidence gives the figures found per form (the data
verdict): ``共30人次；第一种形态22人次（73.3%）……``.

Kind ``four-forms-sum`` (:mod:`djcheck.checks.four_forms_sum`) checks that the
breakdown found here (:func:`breakdowns`) adds up.
"""

from __future__ import annotations

from dataclasses import field

from .. import safe_regex
from ..cache import compile_regex
from ..context import Context
from ..pack import Rule
from ..records import record
from .outcome import Outcome, shorten

DEFAULT_FIGURES = [
    r"(?:\d+(?:\.\d+)?|[*＊]+)\s*万?人次",
    r"第[一二三四]种形态[^。；\n]{0,30}?(?:\d|[*＊])",
]

KIND = "four-forms"
DESCRIPTION_CN = "检查是否写了运用监督执纪“四种形态”，以及附近有没有人次数据"

#: Checklist group: 0 structure, 1 required elements, 2 weak-item analysis, 3 located findings.
CHECKLIST_GROUP = 1

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


def _terms(rule: Rule) -> tuple[str, ...]:
    return tuple(rule.options.get("terms", ["四种形态"]))


def mentions(ctx: Context, rule: Rule) -> list[int]:
    """Offsets where the forms are named (found once per document and list of terms).

    ``四种形态`` inside ``第四种形态`` is the fourth form, not the name of the four; a paragraph that
    names the forms one by one (第一种形态……第四种形态, with or without the words 四种形态) counts
    as a mention at its first ``第X种形态`` (issue 14).
    """
    key = ("four-forms.mentions", _terms(rule))
    found = ctx.cache.get(key)
    if found is None:
        text = ctx.doc.text
        found = []
        for term in key[1]:
            i = text.find(term)
            while i >= 0:
                if not (i > 0 and text[i - 1] == "第" and term.startswith("四种")):
                    found.append(i)
                i = text.find(term, i + 1)
        named = {ctx.doc.paragraph_at(i).index for i in found}
        for m in _FORM.finditer(text):
            para = ctx.doc.paragraph_at(m.start())
            if para.index not in named:
                named.add(para.index)
                found.append(m.start())
        found = ctx.cache[key] = sorted(found)
    return list(found)


def _window(ctx: Context, rule: Rule, offset: int) -> tuple[int, int]:
    """The offsets ``[lo, hi)`` within ``window`` characters of ``offset``, in its paragraph."""
    para = ctx.doc.paragraph_at(offset)
    window = rule.options.get("window", 200)
    return max(para.start, offset - window), min(para.end, offset + window)


def figures_near(ctx: Context, rule: Rule, offset: int) -> list[str]:
    """Figures about the forms within the window around ``offset``, in its paragraph.

    The patterns run under the regex timeout and the file's budget, except a bundled pack's (vetted) on a
    window of at most :data:`~djcheck.safe_regex.UNGUARDED_CHARS` characters
    (:func:`djcheck.safe_regex.timeout_within`).
    Mentions in a paragraph shorter than the window share their window: it is scanned
    once per document and rule (do not modify the list).
    """
    lo, hi = _window(ctx, rule, offset)
    key = ("four-forms.figures", id(rule), lo, hi)
    found = ctx.cache.get(key)
    if found is None:
        text = ctx.doc.text
        if safe_regex.timeout_within(rule.file, hi - lo) is None:
            found = [m.group() for pat in rule.compiled for m in pat.finditer(text, lo, hi)]
        else:
            found = [m.group() for pat in rule.compiled for m in safe_regex.iterate(pat.finditer, text, lo, hi)]
        ctx.cache[key] = found
    return found


FORM_NAMES = "一二三四"
_NUMBER = r"(\d+(?:\.\d+)?)\s*(万)?\s*人次"
_FORM = compile_regex(r"第([一二三四])种形态")
_COUNT = compile_regex(_NUMBER)
#: A total given after the per-form figures (合计184人次).
_TOTAL_AFTER = compile_regex(r"(?:合计|共计|总计|累计)\s*(\d+(?:\.\d+)?\s*万?\s*人次)")
_PERCENT = compile_regex(r"^[^。；;\n]{0,12}?占[^。；;\n\d]{0,8}?(\d+(?:\.\d+)?)\s*[%％]")
_ANY_FIGURE = compile_regex(r"\d+(?:\.\d+)?\s*(?:万)?\s*(?:人次|次|人|件|名|起|%|％)")


@record
class Figure:
    """A number as written, with its offsets in ``Document.text``."""

    value: float
    start: int
    end: int
    text: str


@record
class Breakdown:
    """The 四种形态 figures given in one paragraph.

    Attributes:
        total: the overall 人次 (the first 人次 figure before the first per-form one), or ``None``.
        counts: form number (1–4) → its 人次.
        percents: form number (1–4) → its percentage.
    """

    total: Figure | None = None
    counts: dict[int, Figure] = field(default_factory=dict)
    percents: dict[int, Figure] = field(default_factory=dict)

    def describe(self) -> str:
        """``共30人次；第一种形态22人次（73.3%）、……`` (Chinese, for evidence)."""
        parts = []
        if self.total:
            parts.append(f"共{self.total.text}")
        forms = []
        for n in sorted(set(self.counts) | set(self.percents)):
            c, p = self.counts.get(n), self.percents.get(n)
            forms.append(
                f"第{FORM_NAMES[n - 1]}种形态" + (c.text if c else "") + (f"（{p.text}）" if p else "")
            )
        if forms:
            parts.append("、".join(forms))
        return "；".join(parts)


def _figure(m) -> Figure:
    """A :class:`Figure` from a ``_COUNT`` match (``1.2万人次`` → 12000)."""
    value = float(m.group(1)) * (10000 if m.group(2) else 1)
    return Figure(value, m.start(), m.end(), m.group())


def breakdown(text: str, start: int, end: int) -> Breakdown:
    """Parse the 四种形态 figures in ``text[start:end]`` (one paragraph).

    Per form: the first ``N人次`` after "第X种形态" before the next form or the
    end of the clause run (。；), then "占……Y%" right after it. Placeholders
    (``**人次``) are not numbers and are skipped.
    """
    out = Breakdown()
    forms = list(_FORM.finditer(text, start, end))
    first_form = forms[0].start() if forms else end
    # Every _COUNT match holds 人次, every _PERCENT match a 占 among its first 13 characters:
    # where these are missing, the search is left out.
    m = _COUNT.search(text, start, first_form) if text.find("人次", start, first_form) >= 0 else None
    if m:
        out.total = _figure(m)
    elif forms:  # the total after the forms: ……第四种形态6人次，合计184人次
        t = _TOTAL_AFTER.search(text, forms[-1].end(), end)
        if t:
            out.total = _figure(_COUNT.search(text, t.start(1), t.end()))
    for i, f in enumerate(forms):
        n = FORM_NAMES.index(f.group(1)) + 1
        if n in out.counts:
            continue
        stop = forms[i + 1].start() if i + 1 < len(forms) else end
        clause_end = min([j for j in (text.find(c, f.end(), stop) for c in "。；;") if j >= 0] or [stop])
        c = _COUNT.search(text, f.end(), clause_end) if text.find("人次", f.end(), clause_end) >= 0 else None
        if c:
            out.counts[n] = _figure(c)
            p = _PERCENT.search(text[c.end() : stop]) if text.find("占", c.end(), c.end() + 13) >= 0 else None
            if p:
                out.percents[n] = Figure(
                    float(p.group(1)), c.end() + p.start(1), c.end() + p.end(), p.group(1) + "%"
                )
    return out


def breakdowns(ctx: Context, rule: Rule) -> list[Breakdown]:
    """One :class:`Breakdown` per paragraph that names the forms and gives a 人次 figure.

    Parsed once per document and list of terms (both kinds of this module use them); do not modify.
    """
    key = ("four-forms.breakdowns", _terms(rule))
    found = ctx.cache.get(key)
    if found is None:
        seen, found = set(), []
        for h in mentions(ctx, rule):
            para = ctx.doc.paragraph_at(h)
            if para.index in seen:
                continue
            seen.add(para.index)
            b = breakdown(ctx.doc.text, h, para.end)
            if b.total or b.counts:
                found.append(b)
        ctx.cache[key] = found
    return found


def run(rule: Rule, ctx: Context) -> Outcome:
    hits = mentions(ctx, rule)
    if not hits:
        return Outcome("missing", rule.message or "全文没有运用监督执纪“四种形态”的表述", ctx.last_line())
    evidence = []
    with_figures = []
    for h in hits:
        para = ctx.doc.paragraph_at(h)
        line = para.line
        figs = figures_near(ctx, rule, h)
        snippet = shorten(ctx.doc.text[max(para.start, h - 12) : min(para.end, h + 30)], 44)
        evidence.append(
            f"第{line}行：“{snippet}”" + (f"，数据：{'、'.join(figs[:4])}" if figs else "，附近没有数据")
        )
        if figs:
            with_figures.append(line)
    first = ctx.doc.line_of(hits[0])
    if not with_figures:
        others = _other_figures(ctx, rule, hits)
        if others:
            evidence.append(f"附近只有{'、'.join(others[:4])}等数字，不是各种形态的人次")
        return Outcome(
            "weak",
            f"提到“四种形态”{len(hits)} 次（第{first}行），但附近没有各种形态的人次数据",
            first,
            evidence=evidence,
        )
    parsed = [b for b in breakdowns(ctx, rule) if b.counts or b.total]
    described = parsed[0].describe() if parsed else ""
    detail = f"：{described}" if parsed else ""
    if parsed:
        evidence.append(f"分形态数据：{described}")
    return Outcome(
        "ok", f"运用“四种形态”并附有数据（第{with_figures[0]}行）{detail}", with_figures[0], evidence=evidence
    )


def _other_figures(ctx: Context, rule: Rule, hits: list[int]) -> list[str]:
    found: list[str] = []
    for h in hits:
        for m in _ANY_FIGURE.finditer(ctx.doc.text, *_window(ctx, rule, h)):
            quoted = f"“{m.group()}”"
            if quoted not in found:
                found.append(quoted)
    return found

"""Kind ``four-forms-sum``: the 四种形态 breakdown adds up.

Reports located findings when the published breakdown does not add up
(domain catalogue §6; the breakdown is read by :func:`djcheck.checks.four_forms.breakdowns`):

- all four forms given with a total: their 人次 must sum to the total
  (tolerance ``sum_tolerance``, relative, for totals rounded to 万);
  fewer forms given: their sum must not exceed the total;
- all four percentages given: they must sum to ``percent_range`` (99–101,
  rounding); fewer: not above its upper bound;
- a form with both a count and a percentage: the percentage must equal
  count ÷ total within ``percent_tolerance`` percentage points.

Options:
    terms: how the forms are named (default ``四种形态``).
    sum_tolerance: relative tolerance of per-form sum vs total (default 0.005).
    percent_range: ``[low, high]`` the four percentages must sum to (default ``[99, 101]``).
    percent_tolerance: percentage points a stated share may differ from count ÷ total (default 1.0).

Reports findings (no verdict of its own); no breakdown means nothing to check: the item is
``unchecked`` (— in the checklist, left out of the score), not a pass.
"""

from __future__ import annotations

from ..context import Context
from ..pack import Rule
from .four_forms import FORM_NAMES, breakdowns
from .outcome import UNCHECKED, Outcome

KIND = "four-forms-sum"
DESCRIPTION_CN = "核对“四种形态”的分项数据：各形态人次相加是否等于总数，占比相加是否约为百分之百，占比与人次是否相符"

OPTIONS_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "terms": {"type": "array", "items": {"type": "string", "minLength": 1}, "minItems": 1},
        "sum_tolerance": {"type": "number", "minimum": 0, "maximum": 1},
        "percent_range": {
            "type": "array",
            "items": {"type": "number", "minimum": 0},
            "minItems": 2,
            "maxItems": 2,
        },
        "percent_tolerance": {"type": "number", "minimum": 0},
    },
}


def prepare(rule: Rule):
    return None


def run(rule: Rule, ctx: Context) -> Outcome:
    opts = rule.options
    tol = opts.get("sum_tolerance", 0.005)
    low, high = opts.get("percent_range", [99, 101])
    ptol = opts.get("percent_tolerance", 1.0)
    findings = []
    checked = 0
    for b in breakdowns(ctx, rule):
        checked += 1
        forms = sorted(b.counts)
        if b.total and forms:
            total = b.total.value
            s = sum(b.counts[n].value for n in forms)
            terms = "+".join(_num(b.counts[n].value) for n in forms)
            if len(forms) == 4 and abs(s - total) > max(tol * total, 0.5):
                findings.append(
                    ctx.finding(
                        rule,
                        b.total.start,
                        b.total.end,
                        f"“四种形态”各形态人次相加为 {_num(s)}（{terms}），与总数 {b.total.text} 不符",
                    )
                )
            elif len(forms) < 4 and s > total * (1 + tol) + 0.5:
                findings.append(
                    ctx.finding(
                        rule,
                        b.total.start,
                        b.total.end,
                        f"“四种形态”已列各形态人次相加为 {_num(s)}（{terms}），超过总数 {b.total.text}",
                    )
                )
        pforms = sorted(b.percents)
        if pforms:
            ps = sum(b.percents[n].value for n in pforms)
            terms = "+".join(b.percents[n].text for n in pforms)
            first = b.percents[pforms[0]]
            last = b.percents[pforms[-1]]
            if (len(pforms) == 4 and not low <= ps <= high) or ps > high:
                findings.append(
                    ctx.finding(
                        rule,
                        first.start,
                        last.end,
                        f"“四种形态”各形态占比相加为 {_num(ps)}%（{terms}），应在 {_num(low)}%–{_num(high)}% 之间",
                    )
                )
        if b.total and b.total.value > 0:
            wrong = []
            for n in pforms:
                if n in b.counts:
                    real = 100.0 * b.counts[n].value / b.total.value
                    if abs(real - b.percents[n].value) > ptol:
                        wrong.append((n, real))
            if wrong:
                n0 = wrong[0][0]
                listed = "；".join(
                    f"第{FORM_NAMES[n - 1]}种形态 {b.counts[n].text} 占 {real:.1f}%，文中写 {b.percents[n].text}"
                    for n, real in wrong
                )
                findings.append(
                    ctx.finding(
                        rule,
                        b.percents[n0].start,
                        b.percents[n0].end,
                        f"“四种形态”占比与人次不符（总数 {b.total.text}）：{listed}",
                    )
                )
    if findings:
        more = f"（另有 {len(findings) - 1} 处不一致）" if len(findings) > 1 else ""
        message = f"{findings[0].message}{more}"
    elif not checked:
        return Outcome(UNCHECKED, "没有可核对的分项数据")
    else:
        message = "分项数据相加无误"
    return Outcome(message=message, findings=findings)


def _num(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".") if x != int(x) else str(int(x))

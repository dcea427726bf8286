"""Kind ``numbering``: heading numbers and run-in enumerators (一是、二是) in sequence and in form.

Official documents number headings 一、 → （一） → 1. → （1） (GB/T 9704-2012
§7.3.3; domain catalogue §2). Checks, each switchable in ``options``:

- ``sequence``: within one parent heading, numbers of one level go 1, 2, 3 …
  without gaps (一、二、四、) or repeats (二、二、); a level restarts under each
  new parent, and a new list may restart at 1.
- ``forms``: ``（一）、`` (no 顿号 after brackets), ``一.`` (一、), ``1、`` (1.),
  ``（1）、`` (（1）).
- ``mixed``: sibling headings of one level written with different separators
  (一、 and 一.; 1. and 1、): the forms that differ from the first are reported.
- ``run_in``: run-in enumerators 一是、二是 … in order; a sequence continues
  across paragraphs until the next heading, and may restart at 一是.

Markdown headings are checked by the enumerator inside their title
(``## 一、基本情况``).
"""

from __future__ import annotations

import bisect

from ..cache import compile_regex
from ..context import Context
from ..document import Heading, cn_to_int, detect_heading
from ..pack import Rule
from ..records import record
from .outcome import Outcome

KIND = "numbering"
DESCRIPTION_CN = "检查标题序号和“一是、二是”是否连续、写法是否规范（一、（一）1.（1），GB/T 9704-2012）"

OPTIONS_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "sequence": {"type": "boolean"},
        "forms": {"type": "boolean"},
        "mixed": {"type": "boolean"},
        "run_in": {"type": "boolean"},
    },
}

CN = "〇一二三四五六七八九十"
_ENUMERATED = ("cn", "paren-cn", "arabic", "paren-arabic")
_LEVEL_OF_STYLE = {"cn": 1, "paren-cn": 2, "arabic": 3, "paren-arabic": 4}
_RUN_IN = compile_regex(r"(?:^|(?<=[。；;！？：:，,、\s]))([一二三四五六七八九十]{1,3})是")
# (style, regex on the marker, message, suggestion builder)
_BAD_FORMS = [
    (
        "paren-cn",
        compile_regex(r"^[（(]\s*([一二三四五六七八九十]+)\s*[）)]\s*、$"),
        "括号序号后不加顿号",
        "（{n}）",
    ),
    ("paren-arabic", compile_regex(r"^[（(]\s*(\d+)\s*[）)]\s*、$"), "括号序号后不加顿号", "（{n}）"),
    ("cn", compile_regex(r"^([一二三四五六七八九十]+)\s*[.．]$"), "汉字序号后用顿号", "{n}、"),
    ("arabic", compile_regex(r"^(\d+)\s*、$"), "阿拉伯数字序号后用下脚点", "{n}."),
]


def prepare(rule: Rule):
    return None


def to_cn(n: int) -> str:
    """1–99 as a Chinese numeral (``12`` → ``十二``)."""
    if n <= 10:
        return "十" if n == 10 else CN[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else CN[tens]) + "十" + (CN[ones] if ones else "")


def _shown(h: Heading, n: int) -> str:
    return {
        "cn": f"{to_cn(n)}、",
        "paren-cn": f"（{to_cn(n)}）",
        "arabic": f"{n}.",
        "paren-arabic": f"（{n}）",
    }.get(h.style, str(n))


def _separator(h: Heading) -> str:
    """The marker's form without its number: ``、`` / ``.`` / ``（）`` / ``（）、`` …"""
    return _NUMBER.sub("", h.marker.replace("(", "（").replace(")", "）"))


_NUMBER = compile_regex(r"[0-9一二三四五六七八九十\s]+")


@record
class _Head:
    heading: Heading
    start: int  # offset of the marker in Document.text
    level: int


def _headings(ctx: Context) -> list[_Head]:
    out = []
    for p in ctx.doc.paragraphs:
        h = p.heading
        if h is None:
            continue
        offset = p.start + (len(p.text) - len(p.text.lstrip()))
        if h.style == "markdown":
            inner = detect_heading(h.title)
            if inner is None or inner.style not in _ENUMERATED:
                continue
            offset = p.start + max(0, p.text.find(inner.marker))
            out.append(_Head(inner, offset, h.level))
        elif h.style in _ENUMERATED and h.number is not None:
            out.append(_Head(h, offset, h.level))
    return out


def _sequence(rule, ctx, heads, out):
    last: dict[int, int] = {}
    for item in heads:
        h, level = item.heading, item.level
        for deeper in [lv for lv in last if lv > level]:
            del last[deeper]
        prev = last.get(level)
        n = h.number
        end = item.start + len(h.marker)
        if prev is None:
            if n != 1:
                msg = f"编号“{h.marker}”前没有同级的“{_shown(h, 1)}”，序号应从 1 开始"
                out.append(ctx.finding(rule, item.start, end, msg))
        elif n == prev:
            out.append(
                ctx.finding(
                    rule,
                    item.start,
                    end,
                    f"编号“{h.marker}”与上一个同级标题重复，应为“{_shown(h, prev + 1)}”",
                )
            )
        elif n != prev + 1 and n != 1:
            out.append(
                ctx.finding(
                    rule,
                    item.start,
                    end,
                    f"编号不连续：上一个同级标题是第 {prev} 个，这里应为“{_shown(h, prev + 1)}”",
                )
            )
        last[level] = n


#: Style → its wrong forms (the entries of _BAD_FORMS for it).
_BAD_FORMS_OF: dict[str, list] = {}
for _form in _BAD_FORMS:
    _BAD_FORMS_OF.setdefault(_form[0], []).append(_form)


def _forms(rule, ctx, heads, out):
    for item in heads:
        h = item.heading
        for _style, pat, what, template in _BAD_FORMS_OF.get(h.style, ()):
            m = pat.match(h.marker)
            if m:
                right = template.format(n=m.group(1))
                msg = f"标题序号“{h.marker}”不规范：{what}，应为“{right}”（GB/T 9704-2012）"
                out.append(ctx.finding(rule, item.start, item.start + len(h.marker), msg, right))


def _mixed(rule, ctx, heads, out, reported):
    separators = [_separator(item.heading) for item in heads]
    forms: dict[str, set[str]] = {}
    for item, sep in zip(heads, separators, strict=True):
        forms.setdefault(item.heading.style, set()).add(sep)
    if all(len(f) == 1 for f in forms.values()):
        return  # each style is written one way throughout: no siblings differ
    groups: dict[tuple, list[int]] = {}  # (parent, level, style) → indices into heads
    parents: dict[int, int] = {}
    for k, item in enumerate(heads):
        level = item.level
        for deeper in [lv for lv in parents if lv > level]:
            del parents[deeper]
        parent = -1  # the start of the nearest shallower heading (the latest one)
        for lv, start in parents.items():
            if lv < level and start > parent:
                parent = start
        groups.setdefault((parent, level, item.heading.style), []).append(k)
        parents[level] = item.start
    for members in groups.values():
        items = [heads[k] for k in members]
        seps = [separators[k] for k in members]
        if len(set(seps)) == 1:
            continue  # one form throughout
        usual = max(seps, key=lambda s: (seps.count(s), -seps.index(s)))
        example = items[seps.index(usual)].heading.marker
        for item, sep in zip(items, seps, strict=True):
            if sep != usual and item.start not in reported:
                h = item.heading
                msg = f"同级标题的序号写法不一致：其他标题用“{example}”的形式，这里用“{h.marker}”"
                out.append(ctx.finding(rule, item.start, item.start + len(h.marker), msg))


def _run_in(rule, ctx, out):
    # One scan of the whole text (a match never crosses a line end); a heading paragraph between
    # two matches restarts the count, as when each paragraph is scanned in turn.
    doc = ctx.doc
    heading_rows: list[int] | None = None  # listed at the first match (most drafts have a few)
    prev: int | None = None
    row = -1
    for m in _RUN_IN.finditer(doc.text):
        at = doc.paragraph_at(m.start()).index
        if at != row:
            if heading_rows is None:
                heading_rows = [p.index for p in doc.paragraphs if p.heading is not None]
            k = bisect.bisect_right(heading_rows, row)
            if k < len(heading_rows) and heading_rows[k] <= at:
                prev = None
            row = at
        n = cn_to_int(m.group(1))
        if n is None:
            continue
        if prev is not None and n != 1 and n != prev + 1:
            word = "重复" if n == prev else "不连续"
            msg = f"“{m.group()}”编号{word}：上一项是“{to_cn(prev)}是”，这里应为“{to_cn(prev + 1)}是”"
            out.append(ctx.finding(rule, m.start(), m.end(), msg))
        elif prev is None and n != 1:
            msg = f"“{m.group()}”前面没有“一是”"
            out.append(ctx.finding(rule, m.start(), m.end(), msg))
        prev = n


def run(rule: Rule, ctx: Context) -> Outcome:
    opts = rule.options
    heads = _headings(ctx)
    findings: list = []
    if opts.get("sequence", True):
        _sequence(rule, ctx, heads, findings)
    if opts.get("forms", True):
        _forms(rule, ctx, heads, findings)
    if opts.get("mixed", True):
        _mixed(rule, ctx, heads, findings, {f.start for f in findings if "不规范" in f.message})
    if opts.get("run_in", True):
        _run_in(rule, ctx, findings)
    findings.sort(key=lambda f: f.start)
    return Outcome(findings=findings)

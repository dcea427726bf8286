"""Kind ``punctuation``: punctuation of Chinese text (GB/T 15834-2011 标点符号用法).

Checks, each switchable in ``options``:

- ``half_width``: ``, ; : ? ! ( )`` next to Chinese characters → ``，；：？！（）``.
  Digits and Latin text keep their punctuation (3.5, 10:30, 1,200, f(x),
  "Excel,Word"); URLs, e-mail addresses and Markdown code spans are skipped.
  A mark counts as inside Chinese text when the nearest non-space character on
  either side is Chinese (a Han character or full-width punctuation).
  A parenthesised phrase is reported once: ``(部门)`` → ``（部门）``.
- ``quotes``: straight quotes ``"`` around Chinese text → “ ”; fixable when
  the quotes of a paragraph pair up.
- ``pairs``: unbalanced or reversed “ ” 《 》 （ ） within a paragraph.
- ``ellipsis``: ``...`` / ``。。。`` / a single ``…`` next to Chinese text → ``……``.
- ``invisible``: invisible characters (zero-width space, soft hyphen, word joiner,
  bidi controls …, :data:`djcheck.document.INVISIBLE`), usually brought in by
  copying from a web page. The document has already taken them out of the text it
  matches on (so 主体\u200b责任 counts as 主体责任); this reports each run of them
  where it stands in the original text, asking to delete it. Not fixable: the
  finding has no text of the document to replace (``match`` is empty).

Half-width marks, paired straight quotes and ellipses are fixable (``--fix``);
unbalanced pairs are only reported.
"""

from __future__ import annotations

from bisect import bisect_right
from functools import lru_cache

import regex

from ..cache import compile_regex, lazy_pattern
from ..context import Context
from ..document import INVISIBLE_NAMES, LONG_TEXT_STRETCH
from ..model import Finding
from ..pack import Rule
from .outcome import Outcome

KIND = "punctuation"
DESCRIPTION_CN = "检查中文标点：中文里的半角标点和直引号，不成对的引号、书名号、括号，不规范的省略号（GB/T 15834-2011）"

OPTIONS_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "half_width": {"type": "boolean"},
        "quotes": {"type": "boolean"},
        "pairs": {"type": "boolean"},
        "ellipsis": {"type": "boolean"},
        "invisible": {"type": "boolean"},
    },
}

FULL_WIDTH = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"}
PAIRS = (("“", "”", "引号"), ("《", "》", "书名号"), ("（", "）", "括号"))

_HAN = compile_regex(r"[\p{Han}\u3000-\u303f\uff01-\uff5e“”‘’…—]")
#: The spans every sub-check skips: URLs, "www." addresses, e-mail addresses, Markdown code
#: spans; each branch with a text it cannot match without (``www.`` in any case).
_SKIP_BRANCHES = (
    ("://", r"https?://\S+"),
    ("www.", r"www\.[A-Za-z0-9.-]+\S*"),
    # The e-mail branch starts only where a run of address characters starts: tried at
    # every letter of a long Latin run, it would take time quadratic in the run's length.
    ("@", r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+\.[A-Za-z0-9.-]+"),
    ("`", r"`[^`\n]*`"),
)
_PAREN = compile_regex(r"\(([^()\n]{0,40})\)")
_PAIR_MARKS = "".join(o + c for o, c, _ in PAIRS)
_ALL_PAIR_MARKS = compile_regex(f"[{_PAIR_MARKS}]")
_PAIR_MARKS_AND_BREAKS = lazy_pattern(f"[{_PAIR_MARKS}\n]", engine="re")
#: An opener, then no mark and no line end, then its closer: a pair with nothing left inside.
_INNERMOST = [lazy_pattern(f"{opener}[^{_PAIR_MARKS}\n]*{closer}", engine="re") for opener, closer, _ in PAIRS]
_ELLIPSIS = compile_regex(r"\.{3,}|。{3,}|(?<!…)…(?!…)|…{3,}")


def prepare(rule: Rule):
    return None


def _is_han(ch: str) -> bool:
    """Whether ``ch`` (one character, or ``""``) is Chinese text: a Han character or a full-width mark."""
    return _HAN.match(ch) is not None


def _offsets(text: str, chars: str) -> list[int]:
    """Offsets of the characters ``chars`` in ``text``, ascending (those of ``re.finditer("[chars]", text)``).

    ``str.find`` skips the text between them about four times faster than a class pattern scanning
    every character (measured: ``benchmarks/ablation.py``, variant ``punctuation-offsets``); these
    marks are few in a report.
    """
    found = []
    for ch in chars:
        i = text.find(ch)
        while i >= 0:
            found.append(i)
            i = text.find(ch, i + 1)
    found.sort()
    return found


class _Paragraphs:
    """``doc.paragraph_at`` for offsets visited in order: the last paragraph found is tried first."""

    def __init__(self, doc):
        self.doc = doc
        self.last = None

    def at(self, offset: int):
        p = self.last
        if p is None or not p.start <= offset <= p.end:
            p = self.last = self.doc.paragraph_at(offset)
        return p


def _neighbours(text: str, start: int, end: int, lo: int, hi: int) -> tuple[str, str]:
    """Nearest non-space characters before ``start`` and after ``end`` within ``[lo, hi)``."""
    i = start - 1
    while i >= lo and text[i] in " \t":
        i -= 1
    j = end
    while j < hi and text[j] in " \t":
        j += 1
    return (text[i] if i >= lo else ""), (text[j] if j < hi else "")


class _Skip:
    """The spans of ``text`` no sub-check looks into (URLs, e-mail addresses, code spans)."""

    def __init__(self, text: str):
        pattern = _skip_pattern(tuple(_may_occur(need, text) for need, _ in _SKIP_BRANCHES))
        self.spans = [m.span() for m in pattern.finditer(text)] if pattern is not None else []
        self.starts = [s for s, _ in self.spans]  # the spans are in order and do not overlap

    def covers(self, start: int, end: int) -> bool:
        """Whether ``[start, end)`` (not empty) lies inside one of the spans."""
        i = bisect_right(self.starts, start) - 1  # the only span that can contain it
        return i >= 0 and end <= self.spans[i][1]


def _may_occur(need: str, text: str) -> bool:
    """Whether ``need`` occurs in ``text`` (``www.`` in any case: ``"www." in text.casefold()``)."""
    if need == "www.":
        return ("w" in text or "W" in text) and _WWW.search(text) is not None
    return need in text


#: ``www.`` in any case. Only w and W fold to w (ẘ folds to w and a ring above, which no w or
#: full stop follows), and only a full stop to one: what ``"www." in text.casefold()`` finds,
#: without a folded copy of the text (24 MiB for a report of 12 M characters).
_WWW = lazy_pattern(r"[wW]{3}\.", engine="re")


@lru_cache(maxsize=16)
def _skip_pattern(present: tuple[bool, ...]) -> regex.Pattern | None:
    """The alternation of the skip branches whose text is ``present``, in their order, or ``None``.

    A branch left out could match nowhere in the text, so the alternation finds the same spans
    as the one of all branches.
    """
    branches = [source for (_, source), keep in zip(_SKIP_BRANCHES, present, strict=True) if keep]
    if not branches:
        return None
    return compile_regex("|".join(branches), regex.VERSION1 | regex.IGNORECASE)


def _by_paragraph(doc, offsets):
    """Group offsets (ascending) by paragraph: ``[(paragraph, [offset, …]), …]``."""
    groups: list = []
    paragraphs = _Paragraphs(doc)
    for i in offsets:
        para = paragraphs.at(i)
        if groups and groups[-1][0] is para:
            groups[-1][1].append(i)
        else:
            groups.append((para, [i]))
    return groups


# Each sub-check scans the whole text once and looks at the paragraph of each match;
# no pattern matches across a line end, so this finds what a scan of every paragraph finds.
def _half_width(rule, ctx, skip, out):
    doc = ctx.doc
    text = doc.text
    parens = _offsets(text, "()")
    done: set[int] = set()  # positions inside the parenthesised phrases already judged
    paragraphs = _Paragraphs(doc)
    for m in _PAREN.finditer(text) if parens else ():
        if skip.covers(*m.span()):
            continue
        para = paragraphs.at(m.start())
        before, after = _neighbours(text, m.start(), m.end(), para.start, para.end)
        inner = m.group(1)
        has_han = _HAN.search(inner) is not None
        if not has_han and (before == "]" or (before.isascii() and before.isalnum())):
            done.update(range(*m.span()))  # a Latin expression f(x), or a Markdown link [text](url)
            continue
        if has_han or _is_han(before) or _is_han(after):
            fixed = f"（{inner}）"
            out.append(
                ctx.finding(
                    rule, m.start(), m.end(), f"中文里应使用全角括号：“{m.group()}”应为“{fixed}”", fixed, True
                )
            )
        done.update(range(*m.span()))
    for pos in _offsets(text, ",;:?!"):
        if pos in done or skip.covers(pos, pos + 1):
            continue
        para = paragraphs.at(pos)
        before, after = _neighbours(text, pos, pos + 1, para.start, para.end)
        if not (_is_han(before) or _is_han(after)):
            continue
        if before.isdigit() and after.isdigit():
            continue
        mark = text[pos]
        if mark == ":" and text.startswith("//", pos + 1):
            continue
        full = FULL_WIDTH[mark]
        out.append(ctx.finding(rule, pos, pos + 1, f"中文里应使用全角标点：“{mark}”应为“{full}”", full, True))
    for i in parens:
        if i in done or skip.covers(i, i + 1):
            continue
        para = paragraphs.at(i)
        before, after = _neighbours(text, i, i + 1, para.start, para.end)
        if _is_han(before) or _is_han(after):
            ch = text[i]
            full = FULL_WIDTH[ch]
            out.append(ctx.finding(rule, i, i + 1, f"中文里应使用全角括号：“{ch}”应为“{full}”", full, True))


def _quotes(rule, ctx, skip, out):
    text = ctx.doc.text
    found = [i for i in _offsets(text, '"') if not skip.covers(i, i + 1)]
    for _para, positions in _by_paragraph(ctx.doc, found):
        paired = len(positions) % 2 == 0
        for k, i in enumerate(positions):
            if paired:
                a, b = (positions[k], positions[k + 1]) if k % 2 == 0 else (positions[k - 1], positions[k])
                chinese = (
                    _HAN.search(text, a + 1, b) is not None
                    or _is_han(text[a - 1 : a])
                    or _is_han(text[b + 1 : b + 2])
                )
            else:
                chinese = _is_han(text[i - 1 : i]) or _is_han(text[i + 1 : i + 2])
            if not chinese:
                continue
            if paired:
                full = "“" if k % 2 == 0 else "”"
                out.append(
                    ctx.finding(rule, i, i + 1, f"中文里应使用中文引号：直引号应为“{full}”", full, True)
                )
            else:
                out.append(
                    ctx.finding(rule, i, i + 1, "中文里应使用中文引号“”，这里的直引号也没有配对", None, False)
                )


#: Pair mark → (index in PAIRS, is the opener).
_PAIR_OF = {ch: (k, ch == pair[0]) for k, pair in enumerate(PAIRS) for ch in pair[:2]}


def _pairs(rule, ctx, out):
    doc = ctx.doc
    for index in _unbalanced_lines(doc.text):
        para = doc.paragraphs[index]
        state: list[tuple[list[int], list[int]]] = [([], []) for _ in PAIRS]
        for m in _ALL_PAIR_MARKS.finditer(doc.text, para.start, para.end):
            i = m.start()
            k, is_opener = _PAIR_OF[m.group()]
            stack, stray = state[k]
            if is_opener:
                stack.append(i)
            elif stack:
                stack.pop()
            else:
                stray.append(i)
        _report_pairs(rule, ctx, state, out)


def _unbalanced_lines(text: str) -> list[int]:
    """0-based lines (paragraphs) of ``text`` whose pair marks may need a finding, ascending
    (:func:`_unbalanced_in`). Lines are judged alone, so a long text is judged in stretches of
    whole lines of at most about 64 k characters: the copies the deletions make stay small (three
    copies of the whole text, 70 MiB at once for a report of 12 M characters, otherwise). A line
    longer than that is judged where it stands (:func:`_nested`)."""
    n = len(text)
    if n <= _STRETCH:
        return _unbalanced_in(text)
    out: list[int] = []
    line = first = 0
    while first <= n:
        cut = text.rfind("\n", first, first + _STRETCH) if first + _STRETCH < n else n
        if cut < 0:  # the line at first is longer than a stretch
            stop = text.find("\n", first + _STRETCH)
            stop = n if stop < 0 else stop
            if not _nested(text, first, stop):
                out.append(line)
            line += 1
        else:
            stop = cut
            out.extend(line + i for i in _unbalanced_in(text[first:stop]))
            line += text.count("\n", first, stop) + 1
        first = stop + 1
    return out


def _nested(text: str, start: int, end: int) -> bool:
    """Whether the pair marks of ``text[start:end]`` (one line) are nested properly: what
    :func:`_unbalanced_in` tells of the line, read mark by mark (each closer closes the last
    opener left open, of its kind), without copying the line."""
    open_marks: list[int] = []
    for m in _ALL_PAIR_MARKS.finditer(text, start, end):
        k, is_opener = _PAIR_OF[m.group()]
        if is_opener:
            open_marks.append(k)
        elif not open_marks or open_marks.pop() != k:
            return False
    return not open_marks


#: About how many characters :func:`_unbalanced_lines` judges at once (the project's one stretch size).
_STRETCH = LONG_TEXT_STRETCH


def _unbalanced_in(text: str) -> list[int]:
    """0-based lines (paragraphs) of ``text`` whose pair marks may need a finding, ascending.

    The others are nested properly: their marks, read in order, reduce to nothing by
    deleting adjacent pairs (“” 《》 （）) again and again, so the marks of each kind
    are balanced and never close before they open. The pairs are deleted from the text
    itself, with what stands between them (no mark, no line end): each pattern of
    ``_INNERMOST`` is found by its first character, many times faster than a scan for the
    class of all marks, which is left for the lines of a text where some marks remain.
    """
    rest = text
    while any(ch in rest for ch in _PAIR_MARKS):
        shorter = rest
        for innermost in _INNERMOST:
            shorter = innermost.sub("", shorter)
        if len(shorter) == len(rest):  # no adjacent pair left: the lines still holding marks
            marks = "".join(_PAIR_MARKS_AND_BREAKS.findall(rest))  # one line per paragraph
            return [i for i, line in enumerate(marks.split("\n")) if line]
        rest = shorter
    return []


def _report_pairs(rule, ctx, state, out):
    """Findings for one paragraph's unbalanced pairs: ``state[k]`` = (open positions, stray closers) of PAIRS[k]."""
    for (opener, closer, name), (stack, stray) in zip(PAIRS, state, strict=False):
        while stray and stack and stray[0] < stack[0]:
            c, o = stray.pop(0), stack.pop(0)
            out.append(
                ctx.finding(rule, c, o + 1, f"{name}方向颠倒：应先用“{opener}”后用“{closer}”", None, False)
            )
        for c in stray:
            out.append(
                ctx.finding(rule, c, c + 1, f"多了一个“{closer}”，或缺少与之配对的“{opener}”", None, False)
            )
        for o in stack:
            out.append(ctx.finding(rule, o, o + 1, f"“{opener}”没有配对的“{closer}”", None, False))


def _ellipsis(rule, ctx, skip, out):
    doc = ctx.doc
    text = doc.text
    if not ("…" in text or "..." in text or "。。。" in text):
        return  # every match contains one of these
    paragraphs = _Paragraphs(doc)
    for m in _ELLIPSIS.finditer(text):
        if skip.covers(*m.span()):
            continue
        para = paragraphs.at(m.start())
        before, after = _neighbours(text, m.start(), m.end(), para.start, para.end)
        if m.group().startswith(".") and not (_is_han(before) or _is_han(after)):
            continue
        out.append(
            ctx.finding(rule, m.start(), m.end(), f"省略号应为“……”（六个点），不是“{m.group()}”", "……", True)
        )


def _invisible(rule: Rule, ctx: Context) -> list[Finding]:
    """One finding per run of invisible characters, at its line and column in the original text."""
    out = []
    for inv in ctx.doc.invisible:
        codes = []
        for ch in inv.chars:
            code = f"U+{ord(ch):04X}（{INVISIBLE_NAMES[ch]}）"
            if code not in codes:
                codes.append(code)
        count = f" {len(inv.chars)} 个" if len(inv.chars) > 1 else ""
        out.append(
            Finding(
                rule=rule.id,
                level=rule.level,  # type: ignore[arg-type]
                message=f"此处有{count}不可见字符 {'、'.join(codes)}，可能是从网页复制带来的，请删除",
                line=inv.line,
                col=inv.col,
                end_line=inv.line,
                end_col=inv.col + len(inv.chars),
                match="",
                start=inv.offset,
                end=inv.offset,
            )
        )
    return out


def run(rule: Rule, ctx: Context) -> Outcome:
    opts = rule.options
    findings: list = []
    skip = _Skip(ctx.doc.text)
    if opts.get("half_width", True):
        _half_width(rule, ctx, skip, findings)
    if opts.get("quotes", True):
        _quotes(rule, ctx, skip, findings)
    if opts.get("pairs", True):
        _pairs(rule, ctx, findings)
    if opts.get("ellipsis", True):
        _ellipsis(rule, ctx, skip, findings)
    if opts.get("invisible", True) and ctx.doc.invisible:
        findings.extend(_invisible(rule, ctx))
    findings.sort(key=lambda f: (f.start, f.line, f.col))  # no two sub-checks report the same character
    return Outcome(findings=findings)

"""Kind ``terms``: wrong → right lists kept as data (易错词, 规范提法, 时效性提法).

Each entry names a wrong form (a literal ``wrong`` or a regex ``pattern``), the
right form, and its source. Entries live in YAML data files (``files:``, one
entry per item, easy for an organisation to extend) or inline (``entries:``).

Options:
    files: data files, relative to the pack file (falling back to the bundled
        ``rules/`` folder), each ``{description?, entries: [...]}``.
    entries: inline entries, same shape.
    fix: whether non-context replacements may be applied by ``--fix`` (default true).

Entry keys:
    wrong | pattern: the wrong form, literal or regex (``\\1`` groups usable in ``right``).
    right: the right form (the suggestion).
    context: true when only the context decides (截止/截至): reported as a
        suggestion, never applied automatically.
    unless: regexes; a match lying inside a match of one of them is correct usage.
    message: overrides the default message; may use ``{match}`` and ``{right}``.
    note: a short explanation appended to the message.
    source: where the fact comes from (required in data files).
    valid_from / valid_until: the entry applies only to reports whose whole period
        lies in this span (``新冠肺炎`` is outdated from 2022-12-26); skipped when
        the report's year is unknown. A match whose sentence names a year no later than
        ``valid_from``'s (“2006年……打黑除恶专项斗争”) is a historical mention and is not
        reported either (domain-2026 §7.7).
    since: the date from which the entry's fact holds (the reference edition, the document
        that set the form), for the record only: it never limits where the entry applies.
    level: ``info`` | ``warning`` | ``error``, overriding the rule's level for this entry
        (中纪委 → 中央纪委 is only worth an info).
    examples: ``{fail: [...], pass: [...]}`` checked by :mod:`djcheck.selftest`.
"""

from __future__ import annotations

import bisect
from dataclasses import field
from pathlib import Path

import regex

from .. import prefilter, safe_regex
from ..boundaries import ACROSS_WORDS, ON_BOUNDARIES, word_fit
from ..cache import lazy_pattern
from ..context import Context
from ..document import sentence_bounds
from ..pack import Rule
from ..records import record
from ..safe_regex import compile_user_pattern
from ..yamlio import DATE, STRINGS, LineList, load_yaml, validate
from ..year import period_within
from .outcome import Outcome

_DATE = DATE
_STRINGS = STRINGS


def _entry_schema(source_required: bool) -> dict:
    return {
        "type": "object",
        "additionalProperties": False,
        "required": ["source"] if source_required else [],
        "properties": {
            "wrong": {"type": "string", "minLength": 1},
            "pattern": {"type": "string", "minLength": 1},
            "right": {"type": "string"},
            "context": {"type": "boolean"},
            "unless": _STRINGS,
            "message": {"type": "string"},
            "note": {"type": "string"},
            "source": {"type": "string"},
            "valid_from": _DATE,
            "valid_until": _DATE,
            "since": _DATE,
            "level": {"enum": ["info", "warning", "error"]},
            "examples": {
                "type": "object",
                "additionalProperties": False,
                "properties": {"fail": _STRINGS, "pass": _STRINGS},
            },
        },
    }


KIND = "terms"
DESCRIPTION_CN = "按词表查找易错词、不规范提法和过时提法，给出正确写法和依据"

OPTIONS_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "files": {"type": "array", "items": {"type": "string"}, "minItems": 1},
        "entries": {"type": "array", "items": _entry_schema(False)},
        "fix": {"type": "boolean"},
    },
}

FILE_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["entries"],
    "properties": {
        "description": {"type": "string"},
        "entries": {"type": "array", "items": _entry_schema(True)},
    },
}


@record
class Entry:
    """One compiled wrong → right entry.

    Attributes:
        label: the wrong form as written in the data (for messages and self-tests).
        pattern: compiled regex of the wrong form.
        right: the suggestion template, or ``None``.
        file / line: where the entry is defined.
    """

    label: str
    pattern: regex.Pattern
    right: str | None
    context: bool
    unless: list[regex.Pattern]
    message: str | None
    note: str
    source: str
    valid_from: str | None
    valid_until: str | None
    examples: dict = field(default_factory=dict)
    since: str | None = None
    level: str | None = None
    file: str = ""
    line: int | None = None
    #: The wrong form when it is a literal (``wrong``): a text without it cannot match.
    literal: str | None = None

    @property
    def dated(self) -> bool:
        """The entry depends on the report's date."""
        return bool(self.valid_from or self.valid_until)


def resolve_data_file(rule: Rule, name: str) -> Path:
    """A data file named in a rule's ``files`` option (:meth:`djcheck.pack.Rule.data_file`).

    Raises:
        RuleError: no such file.
    """
    return rule.data_file(name, "files")


def _compile(rule: Rule, raw: dict, file: str, line: int | None) -> Entry:
    from ..errors import RuleError

    def comp(pat: str) -> regex.Pattern:
        return compile_user_pattern(pat, file=file, line=line, owner=f"规则“{rule.id}”的条目")

    if ("wrong" in raw) == ("pattern" in raw):
        raise RuleError(
            file, f"规则“{rule.id}”的条目必须写 wrong（错误写法）或 pattern（正则）其中之一。", line
        )
    label = raw.get("wrong") or raw["pattern"]
    pattern = comp(regex.escape(raw["wrong"]) if "wrong" in raw else raw["pattern"])
    return Entry(
        label=label,
        pattern=pattern,
        right=raw.get("right"),
        context=raw.get("context", False),
        unless=[comp(p) for p in raw.get("unless", [])],
        message=raw.get("message"),
        note=raw.get("note", ""),
        source=raw.get("source", rule.source),
        valid_from=raw.get("valid_from"),
        valid_until=raw.get("valid_until"),
        examples=dict(raw.get("examples") or {}),
        since=raw.get("since"),
        level=raw.get("level"),
        file=file,
        line=line,
        literal=raw.get("wrong"),
    )


def _lines(items) -> list:
    return items.item_lines if isinstance(items, LineList) else [None] * len(items)


@record
class Table:
    """A rule's compiled entries, with what lets one scan of a text rule most of them out.

    Attributes:
        entries: the entries, in data order (the order findings are claimed in).
        needs: per entry, texts one of which every match must contain (the literal
            ``wrong``, or :func:`djcheck.prefilter.required_literals` of the pattern), or ``None``.
        screen: the union of ``needs``, looked up in a text in one scan.
        dated: how many entries depend on the report's date.
        by_text: text of ``needs`` → indices of the entries that need it.
        unscreened: indices of the entries with no ``needs`` (always run).
    """

    entries: list[Entry]
    needs: list[tuple[str, ...] | None]
    screen: prefilter.LiteralScreen
    dated: int
    by_text: dict[str, tuple[int, ...]]
    unscreened: tuple[int, ...]

    @classmethod
    def of(cls, entries: list[Entry]) -> Table:
        needs = [
            (e.literal,)
            if e.literal is not None
            else prefilter.required_literals(e.pattern.pattern, e.pattern.flags)
            for e in entries
        ]
        by_text: dict[str, list[int]] = {}
        for i, need in enumerate(needs):
            for lit in need or ():
                by_text.setdefault(lit, []).append(i)
        return cls(
            entries,
            needs,
            prefilter.LiteralScreen(by_text),
            sum(1 for e in entries if e.dated),
            {lit: tuple(ids) for lit, ids in by_text.items()},
            tuple(i for i, need in enumerate(needs) if need is None),
        )

    def candidates(self, present: set[str]) -> list[Entry]:
        """The entries that may match in a text holding the texts ``present`` of ``screen`` (and
        maybe others), in data order: the others lack every text they need."""
        hits = set(self.unscreened)
        for lit in present:
            hits.update(self.by_text.get(lit, ()))
        return [self.entries[i] for i in sorted(hits)]


def _present(ctx: Context, table: Table) -> set[str]:
    """Texts of ``table.screen`` that occur in the document (with texts of other tables).

    All term tables of the pack are screened together, in one scan per document; their joint
    screen is built once per pack (kept in :attr:`djcheck.pack.Pack.derived`).
    """
    shared = ctx.cache.get("terms.present")
    if shared is None:
        joint = ctx.pack.derived.get("terms.screen")
        if joint is None:
            tables = [r.compiled for r in ctx.pack.active_rules if r.kind == "terms"]
            joint = ctx.pack.derived["terms.screen"] = (
                tables,
                prefilter.LiteralScreen(lit for t in tables for lit in t.screen.literals),
            )
        shared = ctx.cache["terms.present"] = (joint[0], joint[1].present(ctx.doc.text))
    tables, present = shared
    if any(t is table for t in tables):
        return present
    return table.screen.present(ctx.doc.text)  # a table the joint screen does not cover


def data_files(rule: Rule) -> list[str]:
    """Paths of the word lists named by the rule's ``files`` option (for the pack cache's key).

    Raises:
        RuleError: a file exists neither beside the pack nor in the bundled ``rules/``.
    """
    return [str(resolve_data_file(rule, name)) for name in rule.options.get("files", [])]


def prepare(rule: Rule) -> Table:
    entries: list[Entry] = []
    for name in rule.options.get("files", []):
        path = resolve_data_file(rule, name)
        data = load_yaml(path)
        validate(data, FILE_SCHEMA, str(path))
        for raw, line in zip(data["entries"], _lines(data["entries"]), strict=True):
            entries.append(_compile(rule, raw, str(path), line))
    inline = rule.options.get("entries", [])
    for raw, line in zip(inline, _lines(inline), strict=True):
        entries.append(_compile(rule, raw, rule.file, line))
    if not entries:
        raise rule.error("没有任何条目：请在 options 中写 files（数据文件）或 entries。")
    return Table.of(entries)


def entry_examples(rule: Rule) -> list[tuple[str, str, int | None, list[str], list[str]]]:
    """Per-entry examples as ``(label, file, line, fail, pass)`` (for :mod:`djcheck.selftest`)."""
    return [
        (e.label, e.file, e.line, list(e.examples.get("fail", [])), list(e.examples.get("pass", [])))
        for e in rule.compiled.entries
        if e.examples
    ]


class _Taken:
    """The spans ``[start, end)`` (characters) already reported, asked whether one holds a new match.

    Kept sorted by start, with the longest span's length: only spans starting at most that far
    before a match can hold it, so a question reads a few spans, not all of them (asking every
    span was quadratic in the number of findings of a long report).
    """

    def __init__(self) -> None:
        self.spans: list[tuple[int, int]] = []
        self.longest = 0

    def add(self, start: int, end: int) -> None:
        bisect.insort(self.spans, (start, end))
        self.longest = max(self.longest, end - start)

    def holds(self, start: int, end: int) -> bool:
        """Whether an added span contains ``[start, end)``."""
        spans = self.spans
        lo = bisect.bisect_left(spans, (start - self.longest,))
        hi = bisect.bisect_left(spans, (start + 1,))
        return any(end <= e for _, e in spans[lo:hi])


def _excused(entry: Entry, text: str, start: int, end: int) -> bool:
    lo, hi = max(0, start - 40), min(len(text), end + 40)
    for pat in entry.unless:
        for m in safe_regex.finditer(pat, text, entry.file, lo, hi):
            if m.start() <= start and end <= m.end():
                return True
    return False


_YEAR_IN_SENTENCE = lazy_pattern(r"(?<!\d)((?:19|20)\d{2})\s*年")
_SENTENCE_END = "。！？；!?;\n"


def _historical(entry: Entry, text: str, start: int, end: int) -> bool:
    """Whether the match ``[start, end)`` of a dated entry lies in a sentence that names a year no
    later than the year the entry starts to apply (“全县在2006年打黑除恶专项斗争中”): a past
    event told under its name of the time, not a current use of the old name."""
    if not entry.valid_from:
        return False
    lo, hi = sentence_bounds(text, start, end, _SENTENCE_END)
    first = int(entry.valid_from[:4])
    return any(int(m.group(1)) <= first for m in _YEAR_IN_SENTENCE.finditer(text, lo, hi))


def _message(entry: Entry, match: str, right: str | None) -> str:
    if entry.message:
        msg = entry.message.replace("{match}", match).replace("{right}", right or "")
    elif right is None:
        msg = f"“{match}”不规范"
    elif entry.context:
        msg = f"“{match}”可能应为“{right}”，请根据语境判断"
    else:
        msg = f"“{match}”应为“{right}”"
    if entry.note:
        msg += f"（{entry.note}）"
    return msg


def run(rule: Rule, ctx: Context) -> Outcome:
    table: Table = rule.compiled
    text = ctx.doc.text
    period = ctx.period
    allow_fix = rule.options.get("fix", True)
    findings = []
    seen = _Taken()
    # Without a report period every dated entry is skipped, whether or not the text could match it.
    skipped_dated = table.dated if period is None else 0

    for entry in table.candidates(_present(ctx, table)):
        if entry.valid_from or entry.valid_until:  # entry.dated
            if period is None or not period_within(period, entry.valid_from, entry.valid_until):
                continue
        try:
            matches = list(safe_regex.finditer(entry.pattern, text, entry.file))
        except TimeoutError:
            raise rule.error(f"正则“{entry.pattern.pattern}”运行超时，请简化该正则。", entry.line) from None
        for m in matches:
            start, end = m.span()
            if start == end or seen.holds(start, end) or _excused(entry, text, start, end):
                continue
            if entry.dated and _historical(entry, text, start, end):
                continue
            right = m.expand(entry.right) if entry.right is not None else None
            fixable = allow_fix and not entry.context and right is not None
            if entry.literal is not None or fixable:
                # Segmentation decides (djcheck.boundaries): a match cutting a word in two is not the
                # wrong form (学习|总书记 is not 习总书记); one inside a longer word is only suggested.
                fit = word_fit(text, start, end)
                if fit == ACROSS_WORDS and entry.literal is not None:
                    continue
                fixable = fixable and fit == ON_BOUNDARIES
            seen.add(start, end)
            findings.append(
                ctx.finding(rule, start, end, _message(entry, m.group(), right), right, fixable, entry.level)
            )
    findings.sort(key=lambda f: f.start)
    message = ""
    evidence = []
    if skipped_dated:
        evidence.append(f"未能确定报告年份，{skipped_dated} 条与日期有关的条目未检查（可用 --year 指定年份）")
        if not findings:
            message = "未能确定报告年份，时效性提法未检查（可用 --year 指定年份）"
    elif period is not None and table.dated:
        evidence.append(f"按 {period.year} 年报告检查（{period.reason}）")
    return Outcome(message=message, findings=findings, evidence=evidence)

"""Kind ``pattern``: report every match of a list of regular expressions.

Used for template placeholders and other forbidden forms. Each entry may
carry its own message and a replacement.

Options:
    patterns: list of ``{pattern, message?, suggestion?, fixable?}`` (or plain strings).
        ``message`` may use ``{match}``; ``suggestion`` may use ``\\1`` groups.
    exclude: regexes; a match lying inside an exclude match is not reported
        (e.g. the legitimate anonymisation 张某某 in a case report).
    exclude_in: ``{md: [...], docx: [...]}`` exclusions that apply only to one input kind
        (e.g. Markdown ``**bold**``).

Patterns are matched with the ``regex`` module under a timeout, so a
catastrophic pattern is reported instead of hanging. The patterns of a bundled
pack (vetted, see :mod:`djcheck.safe_regex`) are not run on a text that lacks
what their matches must contain (:func:`djcheck.prefilter.requirements`).
"""

from __future__ import annotations

import regex

from .. import prefilter, safe_regex
from ..context import Context
from ..pack import Rule
from ..paths import is_bundled
from ..records import record
from .itemtools import may_match, timed_out
from .outcome import Outcome

_ENTRY = {
    "oneOf": [
        {"type": "string"},
        {
            "type": "object",
            "additionalProperties": False,
            "required": ["pattern"],
            "properties": {
                "pattern": {"type": "string"},
                "message": {"type": "string"},
                "suggestion": {"type": "string"},
                "fixable": {"type": "boolean"},
            },
        },
    ]
}

KIND = "pattern"
DESCRIPTION_CN = "逐处查找不允许出现的写法，报告所在的行和列"

OPTIONS_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["patterns"],
    "properties": {
        "patterns": {"type": "array", "items": _ENTRY, "minItems": 1},
        "exclude": {"type": "array", "items": {"type": "string"}},
        "exclude_in": {
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        },
    },
}


@record
class _Entry:
    pattern: regex.Pattern
    message: str | None
    suggestion: str | None
    fixable: bool


@record
class Compiled:
    entries: list[_Entry]
    exclude: list[regex.Pattern]
    exclude_in: dict[str, list[regex.Pattern]]


def prepare(rule: Rule) -> Compiled:
    entries = []
    for raw in rule.options["patterns"]:
        if isinstance(raw, str):
            raw = {"pattern": raw}
        entries.append(
            _Entry(
                rule.compile(raw["pattern"]),
                raw.get("message"),
                raw.get("suggestion"),
                raw.get("fixable", False),
            )
        )
    exclude = [rule.compile(p, "exclude") for p in rule.options.get("exclude", [])]
    exclude_in = {
        k: [rule.compile(p, "exclude_in") for p in v] for k, v in rule.options.get("exclude_in", {}).items()
    }
    return Compiled(entries, exclude, exclude_in)


def search(rule: Rule, pattern: regex.Pattern, text: str):
    """Iterate matches of ``pattern`` under the timeout (see :func:`djcheck.safe_regex.needs_timeout`).

    Raises:
        RuleError: the pattern ran longer than ``REGEX_TIMEOUT`` seconds (catastrophic backtracking).
    """
    try:
        yield from safe_regex.finditer(pattern, text, rule.file)
    except TimeoutError:
        raise timed_out(rule, pattern) from None


def run(rule: Rule, ctx: Context) -> Outcome:
    compiled: Compiled = rule.compiled
    text = ctx.doc.text
    entries = compiled.entries
    excludes = compiled.exclude + compiled.exclude_in.get(ctx.doc.kind, [])
    if is_bundled(rule.file):
        # A pattern that cannot match (the text lacks what its matches contain) is left out.
        entries = [e for e in entries if prefilter.may_contain(e.pattern, text)]
        if not entries:
            return Outcome(findings=[])
        excludes = [p for p in excludes if prefilter.may_contain(p, text)]
    else:  # another pack's patterns all run, as they always have (a slow one is reported)
        if not may_match(rule, [e.pattern for e in entries], text):
            return Outcome(findings=[])  # no pattern matches anywhere: nothing to report
    excluded: list[tuple[int, int]] = []
    for pat in excludes:
        excluded.extend(m.span() for m in search(rule, pat, text))
    findings = []
    seen: set[tuple[int, int]] = set()
    messages: dict[str, str] = {}
    for entry in entries:
        for m in search(rule, entry.pattern, text):
            span = m.span()
            if span[0] == span[1] or span in seen:
                continue
            if any(s <= span[0] and span[1] <= e for s, e in excluded):
                continue
            seen.add(span)
            suggestion = m.expand(entry.suggestion) if entry.suggestion is not None else None
            template = entry.message or rule.message or "发现“{match}”"
            message = template.replace("{match}", m.group())
            if suggestion is not None and "{suggestion}" in message:
                message = message.replace("{suggestion}", suggestion)
            message = messages.setdefault(message, message)  # findings with the same message share it
            findings.append(ctx.finding(rule, span[0], span[1], message, suggestion, entry.fixable))
    findings.sort(key=lambda f: f.start)
    return Outcome(findings=findings)

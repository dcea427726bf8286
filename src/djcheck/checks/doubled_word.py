"""Kind ``doubled-word``: a word written twice (做到做到) or a character glued to its own word (建建设).

Character doubling alone flags correct Chinese (牢牢, 层层, 原原本本, 学习|习近平,
作风|风气; domain catalogue §5), so each candidate is judged on word tokens:

1. a regex finds every adjacent repetition of one to ``max_unit`` Chinese
   characters (``XX`` or ``ABAB``);
2. a candidate inside an allow-listed reduplication (``allow``) is correct;
3. only the candidate's neighbourhood — its clause, at most ``window``
   characters either side — is segmented with jieba and the domain
   dictionary (:mod:`djcheck.segment`), never the whole text;
4. the repetition is an error when the token boundary falls exactly in its
   middle and either the same word is repeated (做到|做到, 社会主义|主义 → the
   unit 主义 twice), or a one-character token is followed by a word that starts
   with that character (建|建设), unless the character is a function word
   listed in ``particles`` (对|对方, 在|在职 are correct).

Words that merely meet at a boundary (学习|习近平, 管理|理念) are never
flagged: the tokens on both sides are longer than the repeated unit. A
one-character word doubled after a longer word ending with it (列为|为) is
flagged too.

An administrative suffix (``suffixes``: 市, 区, 县, 站 …) doubled after a name
or a number is a name and its office, not a doubling (4市|市委书记, 各区|区委,
服务站|站长, 国土所|所长, issue 14); it is reported only at the start of a
clause, where no name precedes it (区区委书记带队检查).

Options:
    allow: correct reduplications (牢牢, 原原本本, 红红脸 …).
    particles: one-character function words that may precede a word starting with themselves.
    window: characters of context on each side given to the segmenter (default 10).
    max_unit: longest repeated unit in characters (default 4).
    suffixes: one-character administrative suffixes (see above).
"""

from __future__ import annotations

import regex

from ..cache import compile_regex
from ..context import Context
from ..document import repeated_units
from ..pack import Rule
from ..records import record
from ..safe_regex import REGEX_FLAGS
from .outcome import Outcome

KIND = "doubled-word"
DESCRIPTION_CN = "查找重复的字词（如“做到做到”“建建设”），按分词判断，不把“层层”“原原本本”等正常叠词当作错误"

OPTIONS_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "allow": {"type": "array", "items": {"type": "string", "minLength": 2}},
        "particles": {"type": "array", "items": {"type": "string", "minLength": 1, "maxLength": 1}},
        "window": {"type": "integer", "minimum": 2, "maximum": 40},
        "max_unit": {"type": "integer", "minimum": 1, "maximum": 8},
        "suffixes": {"type": "array", "items": {"type": "string", "minLength": 1, "maxLength": 1}},
    },
}

_CLAUSE_BREAK = compile_regex(r"[^\p{Han}A-Za-z0-9]")
#: Chinese numerals: a numeral after a number ending with it is a name (“十五五”规划), not a doubling.
_NUMERALS = frozenset("〇零一二三四五六七八九十百千万亿两")


@record
class Compiled:
    candidates: regex.Pattern
    allow: regex.Pattern | None
    particles: frozenset[str]
    window: int
    max_unit: int = 4
    suffixes: frozenset[str] = frozenset()


def prepare(rule: Rule) -> Compiled:
    max_unit = rule.options.get("max_unit", 4)
    allow = sorted(set(rule.options.get("allow", [])), key=len, reverse=True)
    return Compiled(
        candidates=regex.compile(rf"(\p{{Han}}{{1,{max_unit}}}?)\1", REGEX_FLAGS),
        allow=regex.compile("|".join(regex.escape(w) for w in allow), REGEX_FLAGS) if allow else None,
        particles=frozenset(rule.options.get("particles", [])),
        window=rule.options.get("window", 10),
        max_unit=max_unit,
        suffixes=frozenset(rule.options.get("suffixes", [])),
    )


def _tokens(clause: str) -> list[tuple[str, int, int]]:
    from .. import segment

    return segment.cut_spans(clause)


def _neighbourhood(text: str, start: int, end: int, window: int) -> tuple[int, int]:
    """The clause around ``[start, end)``, at most ``window`` characters either side."""
    lo = max(0, start - window)
    hi = min(len(text), end + window)
    left = text[lo:start]
    breaks = list(_CLAUSE_BREAK.finditer(left))
    if breaks:
        lo = lo + breaks[-1].end()
    m = _CLAUSE_BREAK.search(text, end, hi)
    if m:
        hi = m.start()
    return lo, hi


def judge(tokens, unit: str, mid: int) -> tuple[int, int, str] | None:
    """Decide one candidate from the tokens of its neighbourhood.

    Args:
        tokens: ``(word, start, end)`` of the neighbourhood, offsets relative to it.
        unit: the repeated unit (``建``, ``做到``).
        mid: offset (relative) where the second copy of the unit starts.

    Returns:
        ``(start, end, suggestion)`` relative to the neighbourhood when the
        repetition is an error, else ``None``. Needs ``particles`` filtering by the caller.
    """
    left = next((t for t in tokens if t[2] == mid), None)
    right = next((t for t in tokens if t[1] == mid), None)
    if left is None or right is None:
        return None  # the repetition lies inside one token (工作作风, 牢牢)
    w1, w2 = left[0], right[0]
    n = len(unit)
    if w1 == unit and w2 == unit:
        return mid - n, mid + n, unit  # 做到|做到
    if n == 1:
        if w1 == unit and len(w2) > 1 and w2.startswith(unit):
            return left[1], right[2], w2  # 建|建设
        if w2 == unit and len(w1) > 1 and w1.endswith(unit) and unit not in _NUMERALS:
            return mid - 1, mid + 1, unit  # 列为|为 (not 十五|五 of “十五五”)
        return None
    if w2 == unit and w1.endswith(unit):
        return mid - n, mid + n, unit  # 社会主义|主义
    if w1 == unit and len(w2) > n and w2.startswith(unit):
        return left[1], right[2], w2  # 建设|建设者
    return None


def _glued(tokens, unit: str, mid: int) -> bool:
    """Whether the first copy of a one-character ``unit`` ends a longer word and the second stands
    alone (进一步|步): ``tokens`` and ``mid`` as for :func:`judge`."""
    left = next((t for t in tokens if t[2] == mid), None)
    right = next((t for t in tokens if t[1] == mid), None)
    return (
        len(unit) == 1
        and left is not None
        and right is not None
        and len(left[0]) > 1
        and left[0].endswith(unit)
        and right[0] == unit
    )


def candidates(c: Compiled, text: str):
    """The matches of ``c.candidates`` in ``text``, overlapping, in order of position —
    what ``c.candidates.finditer(text, overlapped=True)`` gives (tried only where
    :func:`djcheck.document.repeated_units` finds a repetition)."""
    match = c.candidates.match
    for start in repeated_units(text, c.max_unit):
        m = match(text, start)
        if m:
            yield m


def run(rule: Rule, ctx: Context) -> Outcome:
    c: Compiled = rule.compiled
    text = ctx.doc.text
    findings = []
    covered_end = 0  # end of the findings so far; each starts at its candidate, candidates come in order
    for m in candidates(c, text):
        start, end = m.span()
        if (
            start < covered_end
        ):  # inside a finding already made (linear, even for a long run of one character)
            continue
        unit = m.group(1)
        lo, hi = _neighbourhood(text, start, end, c.window)
        allowed = c.allow is not None and any(
            a.start() <= start and end <= a.end()
            for a in c.allow.finditer(text, max(0, lo - 4), min(len(text), hi + 4))
        )
        if allowed and len(unit) > 1:
            continue
        tokens = _tokens(text[lo:hi])
        mid = start + len(unit) - lo
        # An allowed reduplication (步步, 层层) is one only when it stands as its own word: in 进一步|步 the
        # first 步 belongs to the word before it, so the allow list does not apply there.
        if allowed and not _glued(tokens, unit, mid):
            continue
        verdict = judge(tokens, unit, mid)
        if verdict is None:
            continue
        s, e, suggestion = verdict[0] + lo, verdict[1] + lo, verdict[2]
        if len(unit) == 1 and text[s:e] != unit * 2 and unit in c.particles:
            continue
        if len(unit) == 1 and unit in c.suffixes and start > lo:
            continue  # a name and its office: 4市|市委书记, 各区|区委, 服务站|站长
        covered_end = max(covered_end, e)
        match = text[s:e]
        msg = f"“{match}”重复，应为“{suggestion}”"
        findings.append(ctx.finding(rule, s, e, msg, suggestion, fixable=True))
    return Outcome(findings=findings)

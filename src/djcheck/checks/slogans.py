"""Kind ``slogans``: the verb paired with a fixed slogan (增强“四个意识”、坚定“四个自信”、做到“两个维护”).

The standard collocations come from 《党委（党组）落实全面从严治党主体责任规定》
第三条 (2020); a few variants are accepted (树牢“四个意识”, 践行“两个维护”,
捍卫“两个确立” — domain catalogue §4). When one of the slogan verbs is paired
with a slogan that does not take it (坚定“四个意识”, 增强“两个维护”), the
pairing is reported with the standard form as a suggestion. Verbs outside the
``verbs`` list are not judged.

The verb must govern the slogan: in 切实增强“两个维护”的政治自觉 the object of 增强 is
政治自觉 and the slogan only qualifies it (issue 14), so a slogan followed by 的 or by a
head noun such as 政治自觉 / 思想自觉 / 行动自觉 / 定力 is not a pairing.

Options:
    slogans: list of ``{slogan, standard, accepted: [...]}``: the slogan's text
        (without quotes), its standard verb and the other accepted verbs.
    verbs: the verbs that count as a slogan pairing (longest first is not required).
"""

from __future__ import annotations

import regex

from ..cache import lazy_pattern
from ..context import Context
from ..pack import Rule
from ..records import record
from ..safe_regex import REGEX_FLAGS
from .outcome import Outcome

KIND = "slogans"
DESCRIPTION_CN = "检查“四个意识”“四个自信”“两个维护”等固定提法是否搭配了规范的动词（如增强“四个意识”）"

OPTIONS_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["slogans", "verbs"],
    "properties": {
        "slogans": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["slogan", "standard"],
                "properties": {
                    "slogan": {"type": "string", "minLength": 1},
                    "standard": {"type": "string", "minLength": 1},
                    "accepted": {"type": "array", "items": {"type": "string"}},
                },
            },
        },
        "verbs": {"type": "array", "items": {"type": "string", "minLength": 1}, "minItems": 1},
    },
}


#: After the slogan: it qualifies the verb's real object (增强“两个维护”的政治自觉).
_QUALIFIES = lazy_pattern(r"的|(?:政治|思想|行动)自觉|定力|观念")


@record
class Slogan:
    """A compiled slogan: ``pattern`` captures ``verb`` then the (optionally quoted) slogan."""

    slogan: str
    standard: str
    accepted: frozenset[str]
    pattern: regex.Pattern


def prepare(rule: Rule) -> list[Slogan]:
    verbs = sorted(set(rule.options["verbs"]), key=len, reverse=True)
    alternation = "|".join(regex.escape(v) for v in verbs)
    out = []
    for item in rule.options["slogans"]:
        quoted = rf"[“\"‘']?{regex.escape(item['slogan'])}[”\"’']?"
        pattern = regex.compile(rf"(?P<verb>{alternation})\s*(?P<slogan>{quoted})", REGEX_FLAGS)
        accepted = frozenset([item["standard"], *item.get("accepted", [])])
        out.append(Slogan(item["slogan"], item["standard"], accepted, pattern))
    return out


def run(rule: Rule, ctx: Context) -> Outcome:
    text = ctx.doc.text
    findings = []
    for s in rule.compiled:
        if s.slogan not in text:
            continue  # every match holds the slogan's text: a text without it is not scanned
        for m in s.pattern.finditer(text):
            verb = m.group("verb")
            if verb in s.accepted or _QUALIFIES.match(text, m.end()):
                continue
            right = s.standard + m.group("slogan")
            others = "、".join(v for v in sorted(s.accepted - {s.standard}))
            also = f"（也可用{others}）" if others else ""
            msg = f"“{m.group()}”搭配不当，规范提法为“{right}”{also}"
            findings.append(ctx.finding(rule, m.start(), m.end(), msg, right, fixable=False))
    findings.sort(key=lambda f: f.start)
    return Outcome(findings=findings)

"""Kind ``typo-guess``: 疑似错别字 that no word list names (同音字、形近字、成语和固定提法的错写、的地得).

The word lists (kind ``terms``, ``rules/terms/typos.yaml``) find only the typos
somebody listed. This kind guesses the others from evidence in the text, and
reports each one as a suggestion (“疑似错别字：……，是否应为……”), never as a
fix. Precision matters more than recall: a false alarm on a correct report costs
more trust than a missed typo, so every class below needs strong evidence.

1. **同音字 / 形近字** (``sound`` / ``shape``). Two characters that jieba's best
   segmentation leaves as single-character words (or one rare word, frequency at
   most ``rare_max``) are tried with one of them replaced by a character of the
   same toneless pinyin (pypinyin's data; ``ü`` counts as ``u``, so 陆 lù ~ 履 lǚ;
   the typed character's most common reading must be the one the intended word
   gives that character) or of a similar shape (the curated groups of
   ``rules/terms/similar-shapes.txt``). A replacement is reported when it makes a
   word of the report vocabulary (``rules/terms/report-vocabulary.txt`` and the
   domain dictionary) of jieba frequency at least ``min_freq``, a word of the best
   segmentation of the changed clause covers it, and that segmentation is at least
   ``min_ratio`` times as probable as the original (jieba's unigram model: the
   product of the words' relative frequencies, on ``window`` characters either
   side). Never reported: a replaced character that is a frequent word of its own
   (之、于、不: ``free_max``), a stretch the text uses twice (the writer's own
   word: 股室), one inside a reduplication (认认真真) or overlapping a correctly
   written fixed expression (立行立改 holds 行立). 陆行 → 履行, 致便 → 致使.
2. **成语和固定提法** (``fixed``). A stretch that is no word but differs from a
   成语 or 习用语 of jieba's dictionary (POS tags ``i`` / ``l``, frequency at least
   ``idiom_min_freq``), a word of four or more characters of the domain
   dictionary, or an ``expressions`` entry, by one character of similar sound or
   shape, or by two characters swapped: 防腐拒变 → 拒腐防变, 有章可行 → 有章可循.
3. **的地得** (``grammar``): 的 between an adverb that is never an adjective
   (不断、逐步、切实 …) or a reduplicated adjective (认认真真) and a verb
   (→ 地); 的 between a verb and a degree complement (做的很好、抓的不实 → 得);
   取的/获的 before 成绩、成效 … (→ 取得/获得); an Arabic number followed by 各
   (3各 → 3个).

A stretch inside an ``allow`` word (or a word of an ``allow_files`` file) is
never reported; an office adds its own names and terms there.

Options:
    classes: which classes run (default all): ``sound``, ``shape``, ``fixed``, ``grammar``.
    min_freq: least jieba frequency of a suggested word (default 50; the suggestion must also
        be a word of the report vocabulary).
    min_ratio: least factor by which a 同音/形近 suggestion must make its clause more probable
        (default 100; set on the seeds, samples and real excerpts with ``benchmarks/typos.py``).
    fixed_min_ratio: the same for 成语/固定提法 (default 30).
    fixed_freq: the frequency given to a fixed expression jieba's dictionary lacks (default 20).
    free_max: a character more frequent than this as a word of its own (之、于、不) is never
        taken for a slip in the 同音/形近 class (default 100000).
    vocabulary / vocabulary_files: the words a 同音/形近 slip may be corrected to (default
        ``terms/report-vocabulary.txt``) besides the domain dictionary.
    expressions_files: files of fixed expressions, one a line (default ``terms/fixed-expressions.txt``).
    listed_files: ``terms`` data files whose wrong forms their own rule reports; a guess
        overlapping one is left to that rule.
    rare_max: a stretch that is a dictionary word of at most this frequency may still be
        a typo (陆行, frequency 3; default 5).
    idiom_min_freq: least jieba frequency of a 成语/习用语 used as a fixed expression (default 10,
        at least 5).
    expressions: more fixed expressions (four or more characters).
    allow: words never reported (place names, people's names, the office's own terms).
    allow_files: files of such words, one or more a line (``#`` starts a comment), relative
        to the pack or configuration file.
    builtin_allow: also allow the words of the bundled ``terms/typo-allow.txt`` (逐件、逐项 …;
        default true). ``allow`` and ``allow_files`` add to it.
    shape_file: the similar-shape groups (default ``terms/similar-shapes.txt``).
    window: characters of context on each side (default 4).

Sources: jieba ``dict.txt`` (MIT) for word frequencies and 成语/习用语 tags;
pypinyin's ``pinyin_dict`` and ``phrases_dict`` (MIT) for readings; similar-shape
groups, report vocabulary and fixed formulations curated for this project
(``rules/terms/``);
的/地/得 usage per 《现代汉语词典》第 7 版 (结构助词“地”用在状语后，“得”用在补语前).
Thresholds and lists were set on the seeds, ``samples/`` and the real excerpts of
``../shared/corpus``; ``benchmarks/typos.py`` prints the figures (user docs: ``docs/typos.md``).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from functools import lru_cache
from itertools import compress
from operator import eq
from pathlib import Path

import regex

from .. import segment, typolex
from ..context import Context
from ..document import LONG_TEXT_STRETCH
from ..pack import Rule
from ..packed import PackedCodeMap, PackedCodes
from ..paths import bundled_dir, is_bundled
from ..records import record
from ..safe_regex import REGEX_FLAGS, guard
from .outcome import Outcome

KIND = "typo-guess"
DESCRIPTION_CN = "查找疑似错别字（同音字、形近字、成语和固定提法的错写、的地得），只提建议不自动修改"

CLASSES = ("sound", "shape", "fixed", "grammar")

OPTIONS_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "classes": {"type": "array", "items": {"enum": list(CLASSES)}, "uniqueItems": True},
        "min_freq": {"type": "integer", "minimum": 1},
        "min_ratio": {"type": "number", "minimum": 1},
        "rare_max": {"type": "integer", "minimum": 0},
        "idiom_min_freq": {"type": "integer", "minimum": 5},
        "fixed_min_ratio": {"type": "number", "minimum": 1},
        "free_max": {"type": "integer", "minimum": 0},
        "fixed_freq": {"type": "integer", "minimum": 1},
        "expressions": {"type": "array", "items": {"type": "string", "minLength": 4}},
        "expressions_files": {"type": "array", "items": {"type": "string", "minLength": 1}},
        "vocabulary": {"type": "array", "items": {"type": "string", "minLength": 2}},
        "vocabulary_files": {"type": "array", "items": {"type": "string", "minLength": 1}},
        "listed_files": {"type": "array", "items": {"type": "string", "minLength": 1}},
        "allow": {"type": "array", "items": {"type": "string", "minLength": 1}},
        "allow_files": {"type": "array", "items": {"type": "string", "minLength": 1}},
        "builtin_allow": {"type": "boolean"},
        "shape_file": {"type": "string", "minLength": 1},
        "window": {"type": "integer", "minimum": 1, "maximum": 12},
    },
}

# -- 的地得 ---------------------------------------------------------------------------------
#: Adverbs that are never adjectives: “X的” before a verb is then always a slip for “X地”.
_ADVERBS = "不断|逐步|逐渐|逐一|逐项|逐条|切实|更加|始终|一直|大力|着力"
#: Verbs that follow an adverbial in reports.
_VERBS = (
    "学习|贯彻|落实|推进|推动|开展|加强|强化|做好|抓好|抓实|抓紧|完善|建立|健全|提高|提升|解决|整改|查处|"
    "执行|履行|参与|参加|开展|实施|部署|检查|监督|纠正|防范|化解|压实|增强|坚持|改进|提醒|约谈|谈话|"
    "把握|领会|运用|发挥|维护|遵守|传达|组织|督促|指导|研究|分析|研判|排查|清理|规范|整治|减少|杜绝|"
    "破解|补齐|弥补|聚焦|围绕|服务|推行|投入|融入|转变|扭转|遏制|巩固|拓展|深化|净化|营造|树立|筑牢"
)
#: What may follow the verb and still make “的 + verb” a noun phrase (“不断的学习中”) — never reported.
_NOUN_TAIL = "中|下|上|里|过程|力度|程度|工作|情况|成效|成果|效果|结果|方式|方法|意识|氛围|态势|要求|之中|和|与|及|是|的|，|。|；|、|$"
#: Words before which “X的 + verb” is a noun phrase (加强切实的监督, 要有扎扎实实的组织保障): never reported.
_NOUN_HEAD = (
    "(?<!加强|实施|进行|开展|给予|得到|受到|有|作出|做出|采取|提供|通过|在|以|经过|加以|实行|予以|强化|"
    "形成|建立|保持|需要|离不开|靠|凭|和|与|及|是|的)"
)
_DE_ADVERB = rf"{_NOUN_HEAD}(?P<adv>{_ADVERBS})(?P<de>的)(?P<verb>{_VERBS})(?!{_NOUN_TAIL})"
#: A reduplicated adjective (AABB) then 的 then a verb: 认认真真的学习 → 地.
_DE_AABB = rf"{_NOUN_HEAD}(?P<adv>(\p{{Han}})\2(\p{{Han}})\3)(?P<de>的)(?P<verb>{_VERBS})(?!{_NOUN_TAIL})"
#: Degree complements: “做的很好” → “做得很好”.
_COMPLEMENTS = "很好|很实|很深|很细|很快|不够|不到位|不扎实|不深入|不彻底|不严格|不严|不细|不实|不深|不透|不好|还不够|比较好|较好|非常好|十分好|更好|越来越好"
_DE_COMPLEMENT = (
    rf"(?<![所之])(?P<verb>(?<![科大医化数文哲同小中主监分接托检调审排督巡骨能实苦硬蛮肯敢巧])(?:做|抓|干|学|管|查)"
    rf"|落实|执行|推进|开展|完成|贯彻|整改|研究|把握|领会|坚持)"
    rf"(?P<de>的)(?P<comp>{_COMPLEMENTS})"
)
#: 取的/获的 before what is achieved: 取得/获得.
_DE_OBTAIN = r"(?<=所|已|来|中|均|都|共|已经|相继|先后|[，。；、：\s]|^)(?P<verb>[取获])(?P<de>的)(?=(?:明显|显著|一定|良好|较好|阶段性|重大|重要|积极|初步)?(?:成绩|成效|成果|进展|实效|胜利|突破|荣誉|奖项))"
#: An Arabic number followed by 各 where a measure word belongs.
_NUMBER_GE = r"(?<![\d.,，．表图件第号条款项章节])(?P<num>[0-9０-９]+)(?P<ge>各)(?!自|级|类|族|界|项|位|部门|单位|支部|党支部)"


@record
class Compiled:
    classes: frozenset[str]
    min_freq: int
    min_ratio: float
    rare_max: int
    idiom_min_freq: int
    expressions: tuple[str, ...]
    vocabulary: frozenset[str]
    listed: regex.Pattern | None
    fixed_min_ratio: float
    free_max: int
    fixed_freq: int
    allow: frozenset[str]
    shapes: dict[str, frozenset[str]]
    window: int
    allow_max: int = 0
    #: Identifies the fixed expressions (idiom floor and ``expressions``) for the in-process index cache.
    fixed_key: str = ""
    #: Identifies ``vocabulary`` for the in-process cache of correction targets.
    vocab_key: str = ""
    #: Identifies ``shapes`` for the in-process cache of :func:`_slip_bigrams`.
    shape_key: str = ""


def _data_file(rule: Rule, name: str, key: str) -> Path:
    """A data file named in option ``key`` of ``rule`` (:meth:`djcheck.pack.Rule.data_file`).

    Raises:
        RuleError: no such file.
    """
    return rule.data_file(name, key)


def _word_lines(path: Path, rule: Rule, key: str) -> list[str]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise rule.error(f"读不了文件“{path}”：{exc}", rule.option_line(key)) from None
    return [w for raw in text.splitlines() if (w := raw.split("#", 1)[0].strip())]


def read_shapes(path: Path, rule: Rule | None = None) -> dict[str, frozenset[str]]:
    """The similar-shape groups of ``path``: each non-comment line is a group of characters
    (spaces ignored) that are mistaken for one another. Returns ``{char: the others of its groups}``."""
    groups: dict[str, set[str]] = {}
    lines = (
        _word_lines(path, rule, "shape_file")
        if rule is not None
        else [
            w for raw in path.read_text(encoding="utf-8").splitlines() if (w := raw.split("#", 1)[0].strip())
        ]
    )
    for line in lines:
        chars = [c for c in line if not c.isspace()]
        for c in chars:
            groups.setdefault(c, set()).update(x for x in chars if x != c)
    return {c: frozenset(o) for c, o in groups.items()}


def _listed(rule: Rule, path: Path) -> list[str]:
    """The wrong forms of a ``terms`` data file as regexes (those typos are reported by that rule)."""
    from ..errors import RuleError
    from ..pack import load_yaml

    try:
        data = load_yaml(path)
    except RuleError as exc:
        raise rule.error(exc.message, rule.option_line("listed_files")) from None
    entries = data.get("entries", []) if isinstance(data, dict) else []
    out = []
    for e in entries:
        if not isinstance(e, dict):
            continue
        if isinstance(e.get("wrong"), str):
            out.append(regex.escape(e["wrong"]))
        elif isinstance(e.get("pattern"), str):
            out.append(e["pattern"])
    return out


def _digest(parts: list[str]) -> str:
    from ..cache import text_digest

    return text_digest("\n".join(parts))[:24]


def prepare(rule: Rule) -> Compiled:
    o = rule.options
    allow = set(o.get("allow", []))
    if o.get("builtin_allow", True):
        for line in _word_lines(bundled_dir() / "terms" / "typo-allow.txt", rule, "builtin_allow"):
            allow.update(line.split())
    for name in o.get("allow_files", []):
        for line in _word_lines(_data_file(rule, name, "allow_files"), rule, "allow_files"):
            allow.update(line.split())
    expressions = set(o.get("expressions", []))
    for name in o.get("expressions_files", ["terms/fixed-expressions.txt"]):
        expressions.update(
            _word_lines(_data_file(rule, name, "expressions_files"), rule, "expressions_files")
        )
    vocabulary = set(o.get("vocabulary", []))
    for name in o.get("vocabulary_files", ["terms/report-vocabulary.txt"]):
        for line in _word_lines(_data_file(rule, name, "vocabulary_files"), rule, "vocabulary_files"):
            vocabulary.update(line.split())
    listed_parts = []
    own_listed = ""  # an office's own word list: its patterns are not vetted
    for name in o.get("listed_files", []):
        path = _data_file(rule, name, "listed_files")
        listed_parts.extend(_listed(rule, path))
        if not is_bundled(str(path)):
            own_listed = str(path)
    listed = None
    if listed_parts:
        try:
            listed = regex.compile("|".join(f"(?:{p})" for p in listed_parts), REGEX_FLAGS)
        except regex.error as exc:
            raise rule.error(
                f"listed_files 中的正则写错了：{exc}", rule.option_line("listed_files")
            ) from None
        if own_listed:  # under the timeout and the file's budget
            listed = guard(listed, file=own_listed, line=None, owner=f"规则“{rule.id}”的 listed_files")
    shapes = read_shapes(
        _data_file(rule, o.get("shape_file", "terms/similar-shapes.txt"), "shape_file"), rule
    )
    return Compiled(
        classes=frozenset(o.get("classes", CLASSES)),
        min_freq=o.get("min_freq", 50),
        min_ratio=float(o.get("min_ratio", 100)),
        rare_max=o.get("rare_max", 5),
        idiom_min_freq=o.get("idiom_min_freq", 10),
        expressions=tuple(sorted(expressions)),
        vocabulary=frozenset(vocabulary),
        listed=listed,
        fixed_min_ratio=float(o.get("fixed_min_ratio", 30)),
        free_max=o.get("free_max", 100000),
        fixed_freq=o.get("fixed_freq", 20),
        allow=frozenset(allow),
        shapes=shapes,
        window=o.get("window", 4),
        allow_max=max((len(w) for w in allow), default=0),
        fixed_key=_digest([str(o.get("idiom_min_freq", 10)), *sorted(expressions)]),
        vocab_key=_digest(sorted(vocabulary)),
        shape_key=_digest(sorted(f"{k}{''.join(sorted(v))}" for k, v in shapes.items())),
    )


@lru_cache(maxsize=1)
def _grammar_patterns() -> tuple[regex.Pattern, ...]:
    """The 的地得 and 数字+各 patterns, compiled on first use (not at import: a run without this
    rule pays nothing for them)."""
    from ..cache import compile_regex

    return tuple(compile_regex(p) for p in (_DE_ADVERB, _DE_AABB, _DE_COMPLEMENT, _DE_OBTAIN, _NUMBER_GE))


# -- findings --------------------------------------------------------------------------------


@record
class Guess:
    """One suspected typo: ``[start, end)`` character offsets in the text, the suggested
    replacement of that stretch, the class (``sound`` | ``shape`` | ``fixed`` | ``grammar``),
    a score (higher = stronger evidence; log ratio for sound/shape) and a short reason in Chinese.
    ``quote`` is the ``[start, end)`` of the words shown in the message when the stretch alone
    says too little (the single 的 of 不断的加强); ``None`` shows the stretch itself."""

    start: int
    end: int
    suggestion: str
    cls: str
    score: float = 0.0
    reason: str = ""
    quote: tuple[int, int] | None = None


def _allowed(c: Compiled, text: str, start: int, end: int) -> bool:
    if not c.allow:
        return False
    lo = max(0, start - c.allow_max)
    hi = min(len(text), end + c.allow_max)
    for w in c.allow:
        i = text.find(w, lo, hi)
        while i >= 0:
            if i <= start and end <= i + len(w):
                return True
            i = text.find(w, i + 1, hi)
    return False


# -- 1. 同音字 / 形近字 -----------------------------------------------------------------------


_targets_cache: dict[str, dict[tuple[int, str], list[str]]] = {}


def _targets(c: Compiled) -> dict[tuple[int, str], list[str]]:
    """The two-character words a slip may be corrected to (report vocabulary and domain words),
    keyed by the position of the replaced character (0 or 1) and the character kept:
    ``(0, "行") → [履行, 执行, 进行 …]`` (sorted)."""
    idx = _targets_cache.get(c.vocab_key)
    if idx is None:
        idx = {}
        words = set(c.vocabulary) | {w for w, _ in segment.domain_words()}
        for w in sorted(words):
            if len(w) == 2:
                idx.setdefault((0, w[1]), []).append(w)
                idx.setdefault((1, w[0]), []).append(w)
        _targets_cache[c.vocab_key] = idx
    return idx


def _slip_class(c: Compiled, typed: str, meant: str) -> str | None:
    """``sound`` when ``typed`` shares a reading with ``meant``, ``shape`` when they are in one
    similar-shape group (and that class runs), else ``None``."""
    if "sound" in c.classes and meant in typolex.sound_alikes(typed):
        return "sound"
    if "shape" in c.classes and meant in c.shapes.get(typed, ()):
        return "shape"
    return None


def _sounds_like(typed: str, word: str, k: int) -> bool:
    """Whether ``typed`` has the reading that character ``k`` of ``word`` has in that word
    (互 hù is no slip for 核 in 核查 hé chá, though 核 may also be read hú)."""
    syl = typolex.word_readings(word)
    return k < len(syl) and typolex.reads_as(typed, syl[k])


def _similar(c: Compiled, a: str, b: str, word: str = "", k: int = 0) -> str | None:
    if b in typolex.sound_alikes(a) and (not word or _sounds_like(a, word, k)):
        return "同音字"
    if b in c.shapes.get(a, ()):
        return "形近字"
    return None


# -- the screen: per-rule tables built once, so that a report costs a few set look-ups --------


#: Bumped when the layout of :class:`Screen` changes.
SCREEN_FORMAT = 6


class Screen:
    """What :func:`guesses` looks up in a report, built once per rule options and dictionary
    (:func:`screen`) so that checking needs no readings, no pypinyin data and no segmentation
    of a clause without a candidate. Pairs of characters are :func:`pair_code` integers.

    Attributes:
        slips: every two characters that :func:`guess_words` could take for a 同音/形近 slip → its
            corrections, ``"k new cls"`` separated by ``|`` (``k``: the position of the replaced
            character, 0 or 1; ``new``: the suggested word; ``cls``: ``sound`` | ``shape``). Only
            stretches that are no word or a rare one (jieba frequency at most ``rare_max``), only
            corrections of frequency at least ``min_freq``, only replaced characters no more
            frequent than ``free_max`` and, for ``sound``, read as the suggested word reads that
            character: every condition of a guess that does not depend on the report.
        anchors: for the 成语/固定提法 class, ``gap`` (1–3) → two characters ``gap`` apart → what to
            compare there: one line per check, ``check<TAB>expression:offset expression:offset``,
            where ``check`` is a third character and its offset from the first of the two
            (``-2义``) or ``*`` (none), and each offset after an expression is where the pair's
            first character is in it. Each slip of an expression (one character replaced, or two
            swapped) holds one chosen pair and third character at known offsets, chosen rare
            together in jieba's dictionary, so few positions of a report are looked at. Only gap 1
            unless an expression is shorter than four characters.
        word_list: every fixed expression, ``\\n`` between them (also when the class does not run:
            :func:`_plausible` needs them); :attr:`words` as a set.
        lengths: the lengths of the expressions, longest first.
        scan: the pairs of ``slips`` and of ``anchors`` at gap 1: what :func:`_hit_stretches` looks for.

    The tables are :class:`~djcheck.packed.PackedCodeMap` and :class:`~djcheck.packed.PackedCodes`:
    read back from the store in a few milliseconds (a single report looks up a few hundred entries)
    and built into a ``dict`` or ``frozenset`` once a batch has looked up enough to make that pay.
    """

    def __init__(
        self,
        slips: PackedCodeMap,
        anchors: dict[int, PackedCodeMap],
        word_list: str,
        lengths: list[int],
        scan: PackedCodes,
    ):
        self.__setstate__((slips, anchors, word_list, lengths, scan))

    def __getstate__(self):
        return self.slips, self.anchors, self.word_list, self.lengths, self.scan

    def __setstate__(self, state):
        self.slips, self.anchors, self.word_list, self.lengths, self.scan = state
        self._words: frozenset[str] | None = None
        #: (gap, pair code) → the parsed lines of its anchor: (offset or None, character, entries)
        self._checks: dict[tuple[int, int], list[tuple[int | None, str, list[tuple[str, int, int]]]]] = {}

    @property
    def words(self) -> frozenset[str]:
        """Every fixed expression."""
        if self._words is None:
            self._words = frozenset(self.word_list.split("\n")) if self.word_list else frozenset()
        return self._words

    def anchor_checks(self, gap: int, code: int) -> list[tuple[int | None, str, list[tuple[str, int, int]]]]:
        """The checks of the anchor ``code`` at ``gap`` (empty when there is none): ``(offset of the
        third character or None, the character, [(expression, offset of the pair in it, length)])``."""
        key = (gap, code)
        found = self._checks.get(key)
        if found is None:
            found = []
            value = self.anchors[gap].get(code)
            for line in value.split("\n") if value else ():
                check, _, entries = line.partition("\t")
                parsed = [(w, int(j), len(w)) for w, _, j in (e.rpartition(":") for e in entries.split(" "))]
                if check == "*":
                    found.append((None, "", parsed))
                else:
                    found.append((int(check[:-1]), check[-1], parsed))
            self._checks[key] = found
        return found


_screens: dict[str, Screen] = {}


def _screen_key(c: Compiled) -> list[str]:
    """What a :class:`Screen` depends on besides the library: the options, jieba's and pypinyin's
    data and the domain dictionary."""
    from ..wordfreq import jieba_folder, store_key_for

    folder = jieba_folder()
    store = store_key_for(folder, segment.domain_words()) if folder is not None else "no-jieba"
    return [
        f"typo-screen {SCREEN_FORMAT}",
        typolex.source_stamp(),
        store,
        c.vocab_key,
        c.shape_key,
        c.fixed_key,
        ",".join(sorted(c.classes)),
        f"{c.free_max} {c.rare_max} {c.min_freq} {c.idiom_min_freq}",
    ]


def screen(c: Compiled) -> Screen:
    """The :class:`Screen` of ``c``: built on first use (about a second) and kept in the per-user
    store (:func:`djcheck.cache.load_cached`, folder ``typo``), so later runs read it back."""
    key = "|".join([c.vocab_key, c.shape_key, c.fixed_key, ",".join(sorted(c.classes))])
    key += f"|{c.free_max}|{c.rare_max}|{c.min_freq}|{c.idiom_min_freq}"
    found = _screens.get(key)
    if found is None:
        from ..cache import load_cached

        found = load_cached(
            "typo",
            _screen_key(c),
            lambda: _build_screen(c),
            sources=lambda _v: [],
            keep=8,
            valid=lambda v: isinstance(v, Screen),
        )
        _screens[key] = found
    return found


def _build_screen(c: Compiled) -> Screen:
    words = set(typolex.fixed_expressions(c.idiom_min_freq))  # also for _plausible: kept for every class
    words.update(w for w, _ in segment.domain_words() if len(w) >= 4)
    words.update(c.expressions)
    slips = _build_slips(c) if {"sound", "shape"} & c.classes else {}
    common = set(c.vocabulary) | {w for w, _ in segment.domain_words()}
    anchors = _build_anchors(sorted(words), common) if "fixed" in c.classes and words else {}
    scan = PackedCodes(pair_code(p) for p in [*slips, *anchors.get(1, {})])
    lengths = sorted({len(w) for w in words}, reverse=True)
    return Screen(
        PackedCodeMap({pair_code(p): v for p, v in slips.items()}),
        {gap: PackedCodeMap({pair_code(p): v for p, v in table.items()}) for gap, table in anchors.items()},
        "\n".join(sorted(words)),
        lengths,
        scan,
    )


def _build_slips(c: Compiled) -> dict[str, str]:
    """:attr:`Screen.slips` of ``c``."""
    lex = typolex.lexicon()
    by_char, _ = typolex.readings()
    targets = _targets(c)
    free = lex.freqs(set(by_char) | {x for group in c.shapes.values() for x in group} | set(c.shapes))
    new_freq = lex.freqs({w for words in targets.values() for w in words})
    by_primary: dict[str, list[str]] = {}
    for ch, syls in by_char.items():
        by_primary.setdefault(syls[0], []).append(ch)
    found: dict[str, list[str]] = {}
    for (k, kept), words in sorted(targets.items()):
        for new in words:
            if new_freq.get(new, 0) < c.min_freq:
                continue
            typed: set[str] = set()
            if "sound" in c.classes:
                typed.update(by_primary.get(typolex.word_readings(new)[k], ()))
            if "shape" in c.classes:
                typed.update(c.shapes.get(new[k], ()))
            for x in sorted(typed):
                if x == new[k] or free.get(x, 0) > c.free_max:
                    continue
                cls = _slip_class(c, x, new[k])
                if cls is None or (cls == "sound" and not _sounds_like(x, new, k)):
                    continue
                found.setdefault(x + kept if k == 0 else kept + x, []).append(f"{k} {new} {cls}")
    stretch_freq = lex.freqs(found)
    return {b: "|".join(props) for b, props in found.items() if stretch_freq.get(b, 0) <= c.rare_max}


def _slips_of(word: str, words: set[str]) -> list[str]:
    """The slips of ``word`` that :func:`fixed_candidates` looks for, each as the text with ``?`` for
    a replaced character: one character replaced (``有章可?``) or two different ones swapped;
    none that is itself an expression, and none with fewer than two characters left in place."""
    n = len(word)
    out = [word[:p] + "?" + word[p + 1 :] for p in range(n)] if n >= 3 else []
    if n >= 4:
        for p in range(n):
            for q in range(p + 1, n):
                if word[p] != word[q]:
                    s = word[:p] + word[q] + word[p + 1 : q] + word[p] + word[q + 1 :]
                    if s not in words:
                        out.append(s)
    return out


def _build_anchors(words: list[str], common: set[str]) -> dict[int, dict[str, str]]:
    """:attr:`Screen.anchors` of ``words``, keyed by the pairs as text.

    For each slip of each expression (:func:`_slips_of`): a pair of its known characters (adjacent
    when there is one) and one more known character, chosen so that the two occur seldom together.
    A pair's cost is its frequency as a word plus the product of its characters' frequencies over
    jieba's total (a rough count of its occurrences in a text), times the frequency of the third
    character, and a thousand times more when the pair is part of a word of ``common`` (the domain
    dictionary and the report vocabulary: words every report uses); an anchor already chosen for
    the same expression costs nothing more, so each expression keeps few."""
    in_common = {w[j : j + 2] for w in common for j in range(len(w) - 1)}
    lex = typolex.lexicon()
    wanted: set[str] = set()
    for w in words:
        wanted.update(w)
        wanted.update(w[j : j + 2] for j in range(len(w) - 1))
        for s in _slips_of(w, set()):
            wanted.update(s[j : j + 2] for j in range(len(s) - 1) if "?" not in s[j : j + 2])
    freq = lex.freqs(wanted)
    total = lex.total

    def cost(pair: str, third: str) -> float:
        seen = freq.get(pair, 0) + freq.get(pair[0], 1) * freq.get(pair[1], 1) / total
        return seen * (freq.get(third, 1) if third else total) * (1000 if pair in in_common else 1)

    word_set = set(words)
    by_pair: dict[int, dict[str, dict[str, list[str]]]] = {1: {}, 2: {}, 3: {}}
    for w in words:
        chosen: set[tuple[int, str, str, int]] = set()  # (gap, pair, check: "d char" or "*", offset)
        for s in _slips_of(w, word_set):
            known = [m for m, ch in enumerate(s) if ch != "?"]
            options = []
            for gap in (1, 2, 3):
                for j in known:
                    if j + gap < len(s) and s[j + gap] != "?":
                        pair = s[j] + s[j + gap]
                        thirds = [(f"{m - j} {s[m]}", s[m]) for m in known if m not in (j, j + gap)]
                        options.extend(
                            (cost(pair, ch), gap, pair, check, j) for check, ch in thirds or [("*", "")]
                        )
                if options:
                    break  # pairs of a smaller gap when there are any
            if options:
                best = min(options, key=lambda o: (0 if o[1:] in chosen else 1, o))
                chosen.add(best[1:])
        for gap, pair, check, j in sorted(chosen):
            by_pair[gap].setdefault(pair, {}).setdefault(check.replace(" ", ""), []).append(f"{w}:{j}")
    return {
        gap: {pair: "\n".join(f"{k}\t{' '.join(v)}" for k, v in sorted(checks.items())) for pair, checks in t.items()}
        for gap, t in by_pair.items()
        if t
    }


def pair_code(text: str, i: int = 0, gap: int = 1) -> int:
    """The characters ``text[i]`` and ``text[i + gap]`` as one integer, as :func:`_hit_stretches` reads two
    neighbours from a text's UTF-32 code units (``pair_code("履行")``)."""
    return ord(text[i]) | ord(text[i + gap]) << 32


#: Characters of a text screened at a time by :func:`_hit_stretches` (4 bytes each as UTF-32; a
#: 12 M-character report would otherwise hold a 48 MB copy, and its 2 M hits 17 MiB more).
_HITS_STRETCH = LONG_TEXT_STRETCH  # the project's one stretch size (djcheck.document)


def _hit_stretches(scr: Screen, text: str) -> Iterator[tuple[list[int], list[int]]]:
    """The offsets ``i`` where ``text[i : i + 2]`` is in :attr:`Screen.scan`, ascending, and their
    :func:`pair_code` values, in two lists per :data:`_HITS_STRETCH` characters of ``text`` (a pair
    that straddles two stretches belongs to the first), so that a long text's hits are never all
    held at once: a report of 12 M characters has about 2 M of them, mostly pairs of common words
    (责任, 问题) anchoring domain expressions.

    The text is read as UTF-32 (four bytes a character), so that its pairs of characters at even
    and at odd offsets are the 8-byte words of two memory views, tested in C without making a
    string for each: about 600 instructions a character, where making the pairs (``map(add, text,
    text[1:])``) and testing them costs 1,300."""
    n = len(text)
    if n <= _HITS_STRETCH + 1:
        yield _hits_in(scr, text, 0)
        return
    for lo in range(0, n - 1, _HITS_STRETCH):
        yield _hits_in(scr, text[lo : lo + _HITS_STRETCH + 1], lo)


def _hits_in(scr: Screen, text: str, base: int) -> tuple[list[int], list[int]]:
    """The hits of :func:`_hit_stretches` in ``text`` (one stretch), offsets plus ``base``, and
    their codes, read from the memory views (a :func:`pair_code` call a hit cost more)."""
    n = len(text)
    if n < 2:
        return [], []
    data = memoryview(text.encode("utf-32-le", "surrogatepass"))
    evens, odds = data[: (n // 2) * 8].cast("Q"), data[4 : 4 + ((n - 1) // 2) * 8].cast("Q")
    test = scr.scan.among(evens, odds).__contains__
    even, odd = list(map(test, evens)), list(map(test, odds))
    offsets = [*compress(range(base, base + n, 2), even), *compress(range(base + 1, base + n, 2), odd)]
    codes = [*compress(evens, even), *compress(odds, odd)]
    order = sorted(range(len(offsets)), key=offsets.__getitem__)
    return list(map(offsets.__getitem__, order)), list(map(codes.__getitem__, order))


#: How many characters :func:`fixed_candidates` reads between two prunings of what it has compared.
_PRUNE_EVERY = 1 << 12


def fixed_candidates(
    c: Compiled, text: str, scan: _FixedScan | None = None
) -> list[tuple[int, int, str, str]]:
    """Stretches of ``text`` that differ from a fixed expression by one similar character or one
    swapped pair: ``(start, end, expression, reason)``, sorted by ``start``. ``text`` may hold
    punctuation: no expression holds any.

    Only where a pair of :attr:`Screen.anchors` occurs with its third character is an expression
    compared.

    Args:
        scan: a :class:`_FixedScan` of ``text`` already fed every hit of :func:`_hit_stretches`
            (``None``: they are found here).
    """
    scr = screen(c)
    if not scr.anchors:
        return []
    cands: list[tuple[int, int, str, str]] = []
    for gap, table in scr.anchors.items():
        if gap == 1:
            if scan is None:
                scan = _FixedScan(c, text)
                for hits, codes in _hit_stretches(scr, text):
                    scan.feed(hits, codes)
            cands.extend(scan.cands)
        else:  # only for expressions shorter than four characters
            codes = [pair_code(text, i, gap) for i in range(len(text) - gap)]
            present = table.among(codes)
            other = _FixedScan(c, text, gap)
            other.feed([i for i, code in enumerate(codes) if code in present])
            cands.extend(other.cands)
    return sorted(set(cands))


class _FixedScan:
    """The comparisons of :func:`fixed_candidates` at one ``gap``, fed the offsets of the text's
    anchor pairs at that gap in ascending order, in as many pieces as come (a long text's hits a
    stretch at a time). :attr:`cands` holds what was found, possibly more than once."""

    def __init__(self, c: Compiled, text: str, gap: int = 1):
        self.c, self.text, self.gap = c, text, gap
        self.scr = screen(c)
        self.cands: list[tuple[int, int, str, str]] = []
        # an expression starts at most this far before its pair
        self._reach = self.scr.lengths[0] if self.scr.lengths else 0
        # (start, expression) compared so far: the positions come in order, so an entry that starts
        # more than ``reach`` before the current one cannot come again and is dropped now and then
        # (a 12 M-character report compared 60 MiB worth). Another gap may compare it again, hence
        # the set of fixed_candidates.
        self._seen: set[tuple[int, str]] = set()
        self._prune_at = _PRUNE_EVERY

    def feed(self, positions: list[int], codes: list[int] | None = None) -> None:
        """Compare the expressions anchored at ``positions`` (ascending, after those fed before);
        ``codes``: their :func:`pair_code` values at this gap, when already known."""
        c, text, gap, scr = self.c, self.text, self.gap, self.scr
        if gap not in scr.anchors:
            return
        words = scr.words
        n = len(text)
        seen, cands = self._seen, self.cands
        if codes is None:
            codes = [pair_code(text, i, gap) for i in positions]
        for i, code in zip(positions, codes, strict=True):
            if i >= self._prune_at:
                seen = self._seen = {x for x in seen if x[0] >= i - self._reach}
                self._prune_at = i + _PRUNE_EVERY
            for d, third, parsed in scr.anchor_checks(gap, code):
                if d is not None and not (0 <= i + d < n and text[i + d] == third):
                    continue
                for w, j, length in parsed:
                    start = i - j
                    end = start + length
                    if start < 0 or end > n:
                        continue
                    t = text[start:end]
                    if t in words:
                        continue  # a fixed expression itself: what most anchors of a report find
                    if (start, w) in seen:
                        continue
                    seen.add((start, w))
                    if sum(map(eq, w, t)) < length - 2:
                        continue  # 3+ differ
                    diff = [k for k, (x, y) in enumerate(zip(w, t, strict=True)) if x != y]
                    if len(diff) == 1:
                        p = diff[0]
                        why = _similar(c, t[p], w[p], w, p)
                        if why:
                            cands.append((start, end, w, f"固定说法中的{why}"))
                    elif len(diff) == 2:
                        p, q = diff
                        if t[p] == w[q] and t[q] == w[p]:
                            cands.append((start, end, w, "固定说法中的两个字颠倒"))


def guess_words(
    c: Compiled,
    run: str,
    spans: list[tuple[int, int]],
    at: list[int] | None = None,
    entries: dict[str, int] | None = None,
) -> list[Guess]:
    """同音/形近 guesses in one run of Chinese characters (offsets relative to ``run``).

    Only two-character stretches are tried, and a guess needs all of: the stretch is
    two single-character words of the best segmentation or one rare word (frequency at
    most ``rare_max``); the replaced character is no frequent function word (frequency
    as a word at most ``free_max``: 之、于、不 …); the suggestion is a word of the
    report vocabulary with frequency at least ``min_freq``, a token of the best
    segmentation of the changed clause, which is at least ``min_ratio`` times as
    probable as the original. When two suggestions qualify, only the stronger is kept.
    The conditions that do not depend on the report are those of :attr:`Screen.slips`.

    Args:
        at: the offsets in ``run`` of its stretches in :attr:`Screen.slips`, ascending, when
            already found (``None``: find them).
        entries: the dictionary entries of ``run`` (:meth:`djcheck.typolex.Lexicon.load`) when
            already fetched.
    """
    slips = screen(c).slips
    if at is None:
        at = [i for i in range(len(run) - 1) if pair_code(run, i) in slips]
    if not at:
        return []
    lex = typolex.lexicon()
    if entries is None:
        entries = lex.load(run)
    n = len(run)
    ends = dict(spans)
    proposals: list[tuple[int, int, str, str]] = []  # (start, end, new word, class)
    for s in at:
        e = s + 2
        if not (ends.get(s) == e or (ends.get(s) == s + 1 and ends.get(s + 1) == e)):
            continue  # not one word of the best segmentation nor two single characters
        if entries.get(run[s:e], 0) > c.rare_max:
            continue
        if (s > 0 and run[s - 1] == run[s]) or (e < n and run[e] == run[e - 1]):
            continue  # part of a reduplication (认认真真, 竞竞业业): doubled on purpose, not one slip
        for prop in slips.get(pair_code(run, s)).split("|"):
            _k, new, cls = prop.split(" ")
            proposals.append((s, e, new, cls))
    if not proposals:
        return []
    best: dict[tuple[int, int], Guess] = {}
    threshold = math.log(c.min_ratio)
    w = c.window
    for s, e, new, cls in proposals:
        lo, hi = max(0, s - w), min(n, e + w)
        old_ctx = run[lo:hi]
        new_ctx = old_ctx[: s - lo] + new + old_ctx[e - lo :]
        old_logp, _ = lex.route(old_ctx, entries)
        new_logp, new_spans = lex.route(new_ctx)
        gain = new_logp - old_logp
        if gain < threshold or not any(a <= s - lo and e - lo <= b for a, b in new_spans):
            continue
        prev = best.get((s, e))
        if prev is None or gain > prev.score:
            best[(s, e)] = Guess(s, e, new, cls, gain, "同音字" if cls == "sound" else "形近字")
    return list(best.values())


def guess_fixed(
    c: Compiled, run: str, spans: list[tuple[int, int]], cands=None, entries: dict[str, int] | None = None
) -> list[Guess]:
    """成语/固定提法 guesses in one run of Chinese characters (offsets relative to ``run``).

    Args:
        spans: the run's best segmentation (:meth:`djcheck.typolex.Lexicon.route`).
        cands: the run's :func:`fixed_candidates` when already found (``None``: find them).
        entries: the dictionary entries of ``run`` (:meth:`djcheck.typolex.Lexicon.load`) when
            already fetched.
    """
    n = len(run)
    if cands is None:
        cands = fixed_candidates(c, run) if n >= 4 else []
    if not cands:
        return []
    lex = typolex.lexicon()
    if entries is None:
        entries = lex.load(run)
    long_cover = [False] * n  # inside a word of two or more characters of the best segmentation
    for s, e in spans:
        if e - s > 1:
            for x in range(s, e):
                long_cover[x] = True
    threshold = math.log(c.fixed_min_ratio)
    w = c.window
    out = []
    for s, e, expr, why in cands:
        if entries.get(run[s:e], 0) > c.rare_max:  # the text is itself a word (一丝不挂 beside 一丝不苟)
            continue
        if any(a < s < b or a < e < b for a, b in spans):
            continue  # the stretch cuts a word of the text (从严治党|管|党 holds no 管党治党 turned round)
        swapped = why.endswith("颠倒")
        if swapped and all(long_cover[s:e]) and sum(1 for a, b in spans if a < e and s < b) > 1:
            continue  # words of the text cover it whole: two words in either order (学习|教育)
        lo, hi = max(0, s - w), min(n, e + w)
        old_logp, _ = lex.route(run[lo:hi], entries)
        # the expression as one word (a fixed formulation jieba lacks counts as frequency ``fixed_freq``)
        f = max(lex.freq(expr), c.fixed_freq)
        new_logp = (
            lex.route(run[lo:s], entries)[0]
            + math.log(f)
            - lex.log_total
            + lex.route(run[e:hi], entries)[0]
        )
        if new_logp - old_logp < threshold:
            continue
        out.append(Guess(s, e, expr, "fixed", 100.0 + new_logp - old_logp, why))
    return out


# -- 3. 的地得 ------------------------------------------------------------------------------


def _windows(text: str, char: str, before: int = 12, after: int = 24) -> Iterator[tuple[int, int]]:
    """Merged ``[start, end)`` windows around every occurrence of ``char`` in ``text``, in order;
    generated as the text is read (a 12 M-character report has 300,000 的: a list of their windows
    held 20 MiB)."""
    n = len(text)
    lo = hi = -1
    i = text.find(char)
    while i >= 0:
        a, b = max(0, i - before), min(n, i + after)
        if a <= hi:
            hi = max(hi, b)
        else:
            if hi >= 0:
                yield lo, hi
            lo, hi = a, b
        i = text.find(char, i + 1)
    if hi >= 0:
        yield lo, hi


_ADVERB_SET = frozenset(_ADVERBS.split("|"))
_VERB_SET = frozenset(_VERBS.split("|"))
_COMPLEMENT_FIRST = frozenset(x[0] for x in _COMPLEMENTS.split("|"))
_COMPLEMENT_VERBS = frozenset("做抓干学管查") | frozenset(
    ("落实", "执行", "推进", "开展", "完成", "贯彻", "整改", "研究", "把握", "领会", "坚持")
)
_DIGITS = frozenset("0123456789０１２３４５６７８９")


def _grammar_needs(text: str) -> tuple[bool, bool, bool, bool, bool]:
    """For each pattern of :func:`_grammar_patterns`, whether the text has a 的 (各 for the last)
    with what every match of the pattern holds beside it: an adverb before and a verb after,
    AABB before and a verb after, a verb before and a complement's first character after, 取/获
    before; a digit before 各. A pattern without is not run (a report has dozens of 的, and the
    patterns' look-behinds make each window costly); with one, it runs as before."""
    need = [False] * 5
    i = text.find("的")
    while i >= 0:
        after = text[i + 1 : i + 3]
        if after in _VERB_SET:
            need[0] = need[0] or text[max(0, i - 2) : i] in _ADVERB_SET
            need[1] = need[1] or (i >= 4 and text[i - 4] == text[i - 3] and text[i - 2] == text[i - 1])
        need[2] = need[2] or (
            text[i + 1 : i + 2] in _COMPLEMENT_FIRST
            and (text[max(0, i - 1) : i] in _COMPLEMENT_VERBS or text[max(0, i - 2) : i] in _COMPLEMENT_VERBS)
        )
        need[3] = need[3] or text[max(0, i - 1) : i] in ("取", "获")
        i = text.find("的", i + 1)
    i = text.find("各")
    while i >= 0 and not need[4]:
        need[4] = text[max(0, i - 1) : i] in _DIGITS
        i = text.find("各", i + 1)
    return tuple(need)


def guess_grammar(text: str) -> list[Guess]:
    """的/地/得 and 数字+各 guesses in the whole text (offsets into ``text``).

    The patterns are tried only in windows around each 的 and 各 (a report has a few dozen),
    not at every position of the text: their look-behinds make a scan of the whole text costly.
    A window reaches 12 characters before and 24 after, more than any pattern spans, so the
    matches are those of a scan of the whole text."""
    out = []
    de_adverb, de_aabb, de_complement, de_obtain, number_ge = _grammar_patterns()
    need = _grammar_needs(text)

    def matches(pattern, around: str, wanted: bool):
        if not wanted:  # no 的/各 in the text with what every match needs beside it: no match
            return
        for lo, hi in _windows(text, around):
            yield from pattern.finditer(text, lo, hi)

    for m in matches(de_adverb, "的", need[0]):
        g = Guess(m.start("de"), m.end("de"), "地", "grammar", 50, "副词修饰动词，用“地”", m.span())
        out.append(g)
    for m in matches(de_aabb, "的", need[1]):
        g = Guess(m.start("de"), m.end("de"), "地", "grammar", 50, "重叠形容词修饰动词，用“地”", m.span())
        out.append(g)
    for m in matches(de_complement, "的", need[2]):
        g = Guess(m.start("de"), m.end("de"), "得", "grammar", 50, "动词后接补语，用“得”", m.span())
        out.append(g)
    for m in matches(de_obtain, "的", need[3]):
        out.append(
            Guess(m.start("verb"), m.end("de"), m.group("verb") + "得", "grammar", 50, "应为“取得/获得”")
        )
    for m in matches(number_ge, "各", need[4]):
        g = Guess(m.start("ge"), m.end("ge"), "个", "grammar", 50, "数字后面的量词是“个”", m.span())
        out.append(g)
    return out


# -- the check --------------------------------------------------------------------------------


def _plausible(c: Compiled, text: str, g: Guess) -> bool:
    """A 同音/形近 guess stands unless the writer uses the stretch again elsewhere (股室、驻局 are
    the office's own words, a slip is rarely made twice) or it overlaps a fixed expression
    written correctly (立行立改 holds 行立; 能|立行立改 is no 能力)."""
    wrong = text[g.start : g.end]
    if text.count(wrong) > 1:
        return False
    scr = screen(c)
    for length in scr.lengths:
        for a in range(max(0, g.start - length + 1), min(g.end - 1, len(text) - length) + 1):
            if text[a : a + length] in scr.words:
                return False
    return True


def _listed_at(c: Compiled, text: str, g: Guess) -> bool:
    """The stretch overlaps a typo of the word lists (``listed_files``), which their rule reports."""
    if c.listed is None:
        return False
    lo, hi = max(0, g.start - 40), min(len(text), g.end + 40)
    return any(m.start() < g.end and g.start < m.end() for m in c.listed.finditer(text, lo, hi))


@lru_cache(maxsize=1)
def _han_edges() -> tuple[regex.Pattern, regex.Pattern]:
    """Patterns finding the run of Chinese characters around a position: forwards and backwards."""
    from ..cache import compile_regex

    return compile_regex(r"\p{Han}*"), compile_regex(r"\p{Han}*", regex.REVERSE)


def _runs_around(text: str, positions) -> dict[int, int]:
    """``{start: end}`` of the runs of two or more Chinese characters (as ``\\p{Han}{2,}`` finds them)
    holding one of ``positions`` (offsets of Chinese characters)."""
    forward, backward = _han_edges()
    runs: dict[int, int] = {}
    last = -1
    for i in sorted(positions):
        if i < last:
            continue
        start, last = backward.match(text, 0, i).start(), forward.match(text, i).end()
        if last - start >= 2:
            runs[start] = last
    return runs


def _note_slips(at: dict[int, list[int]], hits: list[int], codes: list[int], slip_codes: PackedCodeMap) -> None:
    """Add to ``at`` (:func:`pair_code` → offsets) those of ``hits`` (offsets, ``codes`` their pair
    codes) whose two characters are a pair of :attr:`Screen.slips`. At most three offsets are kept a pair: a
    pair found more than once is the writer's own word (:func:`guesses` drops it, the only reading
    of ``at``), unless it is one character doubled that ``text`` holds once (行行 in 行行行: two overlapping
    places), and three places mean ``text`` holds it twice. So a long text's common
    pairs hold three integers each, not one per place."""
    present = slip_codes.among(codes)
    for i, code in zip(hits, codes, strict=True):
        if code in present:
            where = at.setdefault(code, [])
            if len(where) < 3:
                where.append(i)


def _lone_slips(at: dict[int, list[int]], text: str) -> list[int]:
    """The places of :func:`_note_slips` (``at``) where a guess can stand, ascending: a pair the
    text holds more than once is the writer's own word (see :func:`_plausible`)."""
    slips: list[int] = []
    for where in at.values():
        pair = text[where[0] : where[0] + 2]
        if len(where) > 1 and (pair[0] != pair[1] or text.count(pair) > 1):
            continue
        slips.extend(where)
    slips.sort()
    return slips


def guesses(c: Compiled, text: str) -> list[Guess]:
    """Every guess in ``text`` that survives the allow-list, overlaps resolved (the stronger
    evidence wins), in text order. Offsets are characters into ``text``.

    A report is first screened with :func:`screen`'s tables: only the runs of Chinese characters
    holding a stretch that could be a slip or a fixed expression written wrong are segmented."""
    found: list[Guess] = []
    if "grammar" in c.classes:
        found.extend(guess_grammar(text))
    word_classes = {"sound", "shape"} & c.classes
    if word_classes or "fixed" in c.classes:
        scr = screen(c)
        scan = _FixedScan(c, text) if "fixed" in c.classes else None
        at: dict[int, list[int]] = {}  # slip pair → where it is (at most three places)
        for hits, codes in _hit_stretches(scr, text):  # one stretch's hits at a time: see _hit_stretches
            if scan is not None:
                scan.feed(hits, codes)
            if word_classes:
                _note_slips(at, hits, codes, scr.slips)
        fixed = fixed_candidates(c, text, scan) if scan is not None else []
        slips = _lone_slips(at, text)  # where two characters could be a 同音/形近 slip
        runs = _runs_around(text, [s for s, _, _, _ in fixed] + slips)
        if runs:
            lex = typolex.lexicon()
            k = h = 0
            for off, end in sorted(runs.items()):
                while k < len(fixed) and fixed[k][0] < off:
                    k += 1
                mine = []
                while k < len(fixed) and fixed[k][0] < end:
                    s, e, expr, why = fixed[k]
                    if e <= end:
                        mine.append((s - off, e - off, expr, why))
                    k += 1
                while h < len(slips) and slips[h] < off:
                    h += 1
                here = []
                while h < len(slips) and slips[h] < end:
                    if slips[h] < end - 1:
                        here.append(slips[h] - off)
                    h += 1
                if not mine and not here:
                    continue
                run = text[off:end]
                entries = lex.load(run)
                _, spans = lex.route(run, entries)
                local: list[Guess] = []
                if mine:
                    local.extend(guess_fixed(c, run, spans, mine, entries))
                if here:
                    local.extend(guess_words(c, run, spans, here, entries))
                for g in local:
                    g.start += off
                    g.end += off
                found.extend(local)
    if word_classes:
        found = [g for g in found if g.cls not in ("sound", "shape") or _plausible(c, text, g)]
    found = [g for g in found if not _allowed(c, text, g.start, g.end) and not _listed_at(c, text, g)]
    found.sort(key=lambda g: (-g.score, g.start))
    kept: list[Guess] = []
    for g in found:
        if all(g.end <= k.start or k.end <= g.start for k in kept):
            kept.append(g)
    kept.sort(key=lambda g: g.start)
    return kept


def run(rule: Rule, ctx: Context) -> Outcome:
    c: Compiled = rule.compiled
    text = ctx.doc.text
    findings = []
    for g in guesses(c, text):
        lo, hi = g.quote or (g.start, g.end)
        hi = min(hi, len(text))
        wrong = text[lo:hi]
        right = text[lo : g.start] + g.suggestion + text[g.end : hi]
        msg = f"疑似错别字：“{wrong}”，是否应为“{right}”？（{g.reason}）"
        findings.append(ctx.finding(rule, g.start, g.end, msg, g.suggestion, fixable=False))
    return Outcome(findings=findings)

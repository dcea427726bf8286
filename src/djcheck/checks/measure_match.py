"""Kind ``problem-measure-match``: every problem (存在的问题) has a measure (下一步打算) that answers it.

Reviewers' complaint: "整改措施针对性不强" — the next steps are stock
sentences that answer none of the problems just stated (人民网 2018;
domain catalogue §3 QUAL-04).

Method (TF-IDF over the report's own items). Both parts are split into items
by :mod:`djcheck.items`; each item is segmented with jieba
(:mod:`djcheck.segment`, search mode, so that 工作作风 also yields 作风, with
the domain dictionary keeping 主体责任, 一岗双责 … whole). Content words are
tokens of two or more characters containing a Chinese character, minus the
stop-words (``rules/stop-words.txt`` plus the ``stop_words`` option).
Each item becomes a TF-IDF vector, the items of both parts being the
collection: ``tf = 1 + ln(count)``, ``idf = ln((1 + N) / (1 + df)) + 1``.
A word every item shares (局党组, 党风廉政建设 in one unit's report) thus
weighs little, while a word only one problem and one measure share
(精气神, 社保基金) weighs a lot. A problem is answered by a measure when the
cosine similarity of their vectors reaches ``min_similarity``.

TF-IDF rather than plain overlap (Jaccard): the items are long and share many
genre words, and plain overlap either matches every pair or none; weighting by
rarity inside the report lets the distinctive words decide, and needs no
corpus outside the document.

Options:
    problems / measures: part kinds (default ``problems`` / ``next_steps``).
    stop_words: extra stop-words (added to the bundled list).
    min_similarity: cosine at or above which a measure answers a problem
        (default 0.045, calibrated on the seeds and drafts: answered problems
        score 0.068 and above, unanswered ones 0.026 and below).
    min_terms: a problem item with fewer distinct content words (precise mode)
        states no problem (default 4; "还存在一些差距和不足" has none); when no
        item states one, the measures cannot answer any.
    require_count: weak when there are fewer measures than problems (default true).

Verdict: missing when either part is absent; weak when a problem has no
matching measure (reported by its text), when there are fewer measures than
problems, or when the problems part states no problem; ok otherwise.
"""

from __future__ import annotations

import math
import operator
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache
from itertools import chain

from ..cache import lazy_pattern
from ..context import Context
from ..items import Item
from ..pack import Rule
from ..paths import bundled_dir
from .itemtools import STRING_LIST, cap, quote
from .outcome import NOT_APPLICABLE, Outcome

KIND = "problem-measure-match"
DESCRIPTION_CN = "检查每条问题在“下一步打算”中是否有针对它的整改措施（按两部分共有的关键词比对）"

#: Checklist group: 0 structure, 1 required elements, 2 weak-item analysis, 3 located findings.
CHECKLIST_GROUP = 2

OPTIONS_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "problems": {"type": "string"},
        "measures": {"type": "string"},
        "stop_words": STRING_LIST,
        "min_similarity": {"type": "number", "minimum": 0, "maximum": 1},
        "min_terms": {"type": "integer", "minimum": 0},
        "require_count": {"type": "boolean"},
    },
}


@lru_cache(maxsize=1)
def bundled_stop_words() -> frozenset[str]:
    """The bundled stop-words (``rules/stop-words.txt``: words separated by spaces, ``#`` comments)."""
    text = (bundled_dir() / "stop-words.txt").read_text(encoding="utf-8")
    return frozenset(w for line in text.splitlines() for w in line.split("#", 1)[0].split())


def prepare(rule: Rule) -> frozenset[str]:
    return bundled_stop_words() | frozenset(rule.options.get("stop_words", []))


def content_words(tokens: Iterable[str], stop: frozenset[str]) -> set[str]:
    """The content words among ``tokens``: those of two or more characters with a Chinese character
    (CJK Unified Ideographs, U+4E00–U+9FFF) that are not in ``stop``."""
    words = set(tokens)
    words.difference_update(stop)
    return {
        w
        for w in words
        # "\u4e00" <= w < "\ua000": w starts with such a character (the usual case, tested without a regex)
        if len(w) >= 2 and ("\u4e00" <= w < "\ua000" or (not w.isascii() and _CJK.search(w) is not None))
    }


#: Whether a word holds a character of the CJK Unified Ideographs block (U+4E00–U+9FFF).
_CJK = lazy_pattern("[\u4e00-\u9fff]", engine="re")  # rarely used: compiling it costs 18 M instructions


def tfidf(counts: list[Counter], keep: set[str] | None = None) -> tuple[list[dict[str, float]], list[int]]:
    """Unit-length TF-IDF vectors of documents given as word counts (see the module docstring for the weights).

    Returns ``(vectors, sizes)``: ``sizes[i]`` is the number of distinct words of document i;
    ``vectors[i]`` maps its words to their weights in the order of ``counts[i]``, holding only
    the words in ``keep`` when ``keep`` is given (the norm counts every word all the same).
    """
    n = len(counts)
    df = Counter(chain.from_iterable(counts))  # documents containing each word
    idf = {k: math.log((1 + n) / (1 + k)) + 1 for k in range(1, n + 1)}  # per possible df
    tf = {c: 1 + math.log(c) for c in set().union(*(c.values() for c in counts))}  # per distinct count
    vectors, sizes = [], []
    for counted in counts:
        weights = [tf[c] * idf[df[w]] for w, c in counted.items()]
        norm = math.sqrt(sum(map(operator.mul, weights, weights))) or 1.0  # the same left-to-right sum
        pairs = zip(counted, weights, strict=True)
        vectors.append({w: v / norm for w, v in pairs if keep is None or w in keep})
        sizes.append(len(counted))
    return vectors, sizes


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    """Cosine of two unit-length sparse vectors (the sum runs over ``a``'s words, in its order)."""
    return sum(v * b[w] for w, v in a.items() if w in b)  # words missing from b add exactly 0.0


def shared(a: dict[str, float], b: dict[str, float], limit: int = 4) -> list[str]:
    """The words ``a`` and ``b`` share, heaviest first, leaving out parts of longer shared words."""
    common = [w for w in a if w in b]
    # joined by a character no word has, a word occurs twice when it is also part of a longer shared word
    joined = "\0".join(common)
    whole = [w for w in common if joined.count(w) == 1]
    return sorted(whole, key=lambda w: -(a[w] * b[w]))[:limit]


def states_problem(text: str, tokens: list[str], counted: Counter, good: set[str], min_terms: int) -> bool:
    """Whether a problem item has at least ``min_terms`` distinct content words in precise mode.

    ``tokens`` is the item's search-mode cut, ``counted`` its content words (counted), ``good``
    the report's content words. Search mode gives each precise word, preceded by its grams: the
    dictionary words of 2 or 3 characters inside it (:func:`djcheck.segment.cut_for_search`).
    So the precise content words are at most those of ``counted``, and at least those of them
    that cannot be such a gram: of 4 or more characters, or inside no longer token. These bounds
    decide for almost every item (:func:`_states_by_bounds`); only when they do not is the item
    cut in precise mode (:func:`_states_precisely`).
    """
    decided = _states_by_bounds(tokens, counted, min_terms)
    return decided if decided is not None else _states_precisely(text, good, min_terms)


def _states_by_bounds(tokens: list[str], counted: Counter, min_terms: int) -> bool | None:
    """What the bounds of :func:`states_problem` decide for an item, ``None`` when they do not."""
    if len(counted) < min_terms:
        return False
    longer = [w for w in tokens if len(w) > 2]
    over2 = "\0".join(longer)  # the words 2-character grams come from
    over3 = "\0".join([w for w in longer if len(w) > 3])  # those 3-character grams come from
    surely = 0
    for w in counted:
        if len(w) > 3 or w not in (over2 if len(w) == 2 else over3):
            surely += 1
            if surely >= min_terms:
                return True
    return None


def _states_precisely(text: str, good: set[str], min_terms: int) -> bool:
    """Whether ``text`` cut in precise mode holds ``min_terms`` distinct words of ``good``."""
    from .. import segment

    return len(good.intersection(segment.cut(text))) >= min_terms


def similarity_matrix(
    ctx: Context, rule: Rule, problems: list[Item], measures: list[Item], min_terms: int = 4
):
    """Similarities of every problem to every measure.

    Returns ``(problem_vectors, measure_vectors, sims, stated)``: ``sims[i][j]``
    is the cosine of problem i and measure j; ``stated`` lists (ascending) the
    problems that state something: ``min_terms`` or more distinct content words
    in precise mode (:func:`states_problem`).
    The vectors hold only the words that problems and measures share (the only
    ones a cosine or :func:`shared` reads); their norms count every word.
    """
    from .. import segment

    doc, stop = ctx.doc, rule.compiled
    np = len(problems)
    # One item at a time: the search-mode cuts of all the items at once took about 50 bytes a
    # character of the two parts (600 MiB for a report of 12 M characters).
    counts: list[Counter] = []
    decided: list[bool | None] = []  # per problem: what the bounds of states_problem decide
    good: set[str] = set()  # the report's content words
    for i, item in enumerate(chain(problems, measures)):
        tokens = segment.cut_for_search(item.text(doc))
        # every precise word is also a search token: the search tokens hold every content word
        words = content_words(tokens, stop)
        good |= words
        counts.append(Counter(filter(words.__contains__, tokens)))  # in order of first occurrence
        if i < np:
            decided.append(_states_by_bounds(tokens, counts[i], min_terms))
    in_problems = set().union(*counts[:np])
    both = in_problems.intersection(chain.from_iterable(counts[np:]))  # words of problems and of measures
    vectors, sizes = tfidf(counts, both)
    pv, mv = vectors[:np], vectors[np:]
    psize, msize = sizes[:np], sizes[np:]
    sims = []
    for p, plen in zip(pv, psize, strict=True):
        row = []
        for m, mlen in zip(mv, msize, strict=True):
            if p.keys().isdisjoint(m):
                row.append(0)  # what the sum over no shared word gives
            else:  # the sum runs over the vector with fewer words (the problem's on a tie), as always
                row.append(cosine(m, p) if plen > mlen else cosine(p, m))
        sims.append(row)
    stated = [
        i
        for i in range(np)
        if (decided[i] if decided[i] is not None else _states_precisely(problems[i].text(doc), good, min_terms))
    ]
    return pv, mv, sims, stated


def run(rule: Rule, ctx: Context) -> Outcome:
    opts = rule.options
    pk, mk = opts.get("problems", "problems"), opts.get("measures", "next_steps")
    ptitle, mtitle = ctx.part_title(pk), ctx.part_title(mk)
    pitems, mitems = ctx.items(pk), ctx.items(mk)
    absent = [t for t, items in ((ptitle, pitems), (mtitle, mitems)) if items is None or not items.items]
    if absent:
        names = "和".join(f"“{t}”" for t in absent)
        return Outcome(NOT_APPLICABLE, f"没有{names}部分，无法对照问题和措施", ctx.last_line())
    doc = ctx.doc
    problems, measures = pitems.items, mitems.items
    pv, mv, sims, stated = similarity_matrix(ctx, rule, problems, measures, opts.get("min_terms", 4))
    threshold = opts.get("min_similarity", 0.045)
    first_line = problems[0].line(doc)
    if not stated:
        quoted = "；".join(quote(doc, p) for p in problems[:3])
        return Outcome(
            "weak",
            f"“{ptitle}”没有列出具体问题，{len(measures)} 条措施无从一一对应",
            first_line,
            evidence=[f"问题部分原文：{quoted}"],
        )
    evidence, unmatched = [], []
    for i in stated:
        row = sims[i]
        best = max(range(len(measures)), key=row.__getitem__)  # the first of the best
        score = row[best]
        words = "、".join(shared(pv[i], mv[best])) or "无"
        if score >= threshold:
            evidence.append(
                f"问题{quote(doc, problems[i], 20)} ↔ 措施{measures[best].label}（相似度 {score:.2f}，共同词：{words}）"
            )
        else:
            unmatched.append(i)
            evidence.insert(
                len(unmatched) - 1,
                f"问题{quote(doc, problems[i], 30)}（第{problems[i].line(doc)}行）没有对应措施；"
                f"最接近的是措施{measures[best].label}（相似度 {score:.2f}，共同词：{words}）",
            )
    messages = []
    line = problems[0].line(doc)
    if unmatched:
        listed = "；".join(quote(doc, problems[i], 24) for i in unmatched[:3])
        more = f"等 {len(unmatched)} 个问题" if len(unmatched) > 3 else ""
        messages.append(f"问题{listed}{more}没有对应的整改措施")
        line = problems[unmatched[0]].line(doc)
    if opts.get("require_count", True) and len(measures) < len(problems):
        messages.append(f"措施 {len(measures)} 条，少于问题 {len(problems)} 个")
    if messages:
        return Outcome("weak", "；".join(messages), line, evidence=cap(evidence))
    msg = (
        f"{len(stated)} 个问题都有对应的措施（{len(measures)} 条）" if len(stated) > 1 else "问题有对应的措施"
    )
    return Outcome("ok", msg, mitems.items[0].line(doc), evidence=cap(evidence))

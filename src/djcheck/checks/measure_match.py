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
from array import array
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache
from itertools import chain

from ..cache import lazy_pattern
from ..context import Context
from ..document import Document
from ..items import Item
from ..pack import Rule
from ..paths import bundled_dir
from .itemtools import STRING_LIST, Firsts, capped, quote
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
    the words in ``keep`` when given (the norm counts every word all the same).
    Computed by a :class:`Collection`, as the check does.
    """
    collection = Collection()
    for counted in counts:
        collection.add(counted)
    kept = None if keep is None else collection.keys_of(keep)
    vectors = [collection.in_words(collection.vector(i, kept)) for i in range(len(counts))]
    return vectors, [collection.size(i) for i in range(len(counts))]


#: Words (distinct per document, over all documents) a :class:`Collection` keeps as ``Counter`` objects:
#: past them it numbers them and keeps numbers and counts in flat arrays.
COMPACT_AFTER = 1 << 16


def _with_counts(counts: array, more: Iterable[int]) -> array:
    """``counts`` with ``more`` appended: a byte each while every count fits in one (nearly always),
    else 4 bytes each (a copy of ``counts`` of that type)."""
    if counts.typecode == "B":
        try:
            counts.frombytes(bytes(more))
            return counts
        except ValueError:  # a count of 256 or more
            counts = array("I", counts)
    counts.extend(more)
    return counts


class Collection:
    """The content-word counts of a collection of documents (the items of both parts), and their
    TF-IDF vectors (see the module docstring), made one document at a time.

    The documents are kept as they are added, as ``Counter`` objects of their words, until they hold
    ``compact_after`` words in all (default :data:`COMPACT_AFTER`; a report's items hold a few
    thousand). Past that the
    collection is kept compactly: a document is its words' numbers and counts, in the order of
    its ``Counter``, in two flat arrays (5 bytes a word: :func:`_with_counts`), a word's number
    being where the first document holding it put it in them. A document's vector is keyed by
    what the collection keeps: words, or numbers (:meth:`in_words` names them). Keeping a
    ``Counter`` and a vector for every item of a one-line report of 12 M characters (21,000
    items, 2.1 M words) took about 300 MiB, and every vector was made before any was compared;
    numbering the words costs a look-up a word, a tenth of the check for an ordinary report.
    """

    def __init__(self, compact_after: int | None = None) -> None:
        self._counters: list[Counter] | None = []  # the documents, until they are compacted
        self._held = 0  # words the counters hold
        self._compact_after = COMPACT_AFTER if compact_after is None else compact_after
        self.number: dict[str, int] = {}  # word -> its number, once compacted
        self._ids = array("I")  # the documents' words' numbers, one after the other
        self._counts = array("B")  # and their counts
        self._ends = array("Q", [0])  # document i is [_ends[i], _ends[i + 1]) of the two above
        self._weights: tuple[Counter, dict, dict] | None = None  # made when a vector is first asked for
        self._words: dict[int, str] | None = None  # number -> word, made when first asked for

    def __len__(self) -> int:
        return len(self._counters) if self._counters is not None else len(self._ends) - 1

    def add(self, counted: Counter) -> None:
        """Add a document given by its word counts (in the order its vector is to follow)."""
        self._weights = self._words = None  # the collection grows: document frequencies and idf change
        if self._counters is not None:
            self._counters.append(counted)
            self._held += len(counted)
            if self._held <= self._compact_after:
                return
            counters, self._counters = self._counters, None
            for one in counters:
                self._number(one)
        else:
            self._number(counted)

    def _number(self, counted: Counter) -> None:
        at = len(self._ids)
        # one look-up a word: a word already numbered keeps its number, a new one gets its place
        self._ids.extend(map(self.number.setdefault, counted, range(at, at + len(counted))))
        self._counts = _with_counts(self._counts, counted.values())
        self._ends.append(len(self._ids))

    def _document(self, i: int) -> tuple:
        """``(keys, counts)`` of document ``i``: its words (or their numbers) and their counts, in order."""
        if self._counters is not None:
            counted = self._counters[i]
            return counted, counted.values()
        lo, hi = self._ends[i], self._ends[i + 1]
        return self._ids[lo:hi].tolist(), self._counts[lo:hi]

    def shared_keys(self, j: int) -> set:
        """The words (or their numbers) that both a document before ``j`` and one from ``j`` on hold."""
        if self._counters is not None:
            return set().union(*self._counters[:j]).intersection(chain.from_iterable(self._counters[j:]))
        start = self._ends[j]  # the words of documents before j are numbered below where j starts
        return set(filter(start.__gt__, set(self._ids[start:])))

    def keys_of(self, words) -> set:
        """Those of ``words`` that the collection holds, as it keys them (words, or numbers)."""
        if self._counters is not None:
            return set(words)
        number = self.number
        return {number[w] for w in words if w in number}

    def size(self, i: int) -> int:
        """Number of distinct words of document ``i``."""
        if self._counters is not None:
            return len(self._counters[i])
        return self._ends[i + 1] - self._ends[i]

    def vector(self, i: int, keep: set | None = None) -> dict:
        """The unit-length TF-IDF vector of document ``i``: its words (or their numbers; those in
        ``keep`` when given, the norm counting every word) to their weights, in the document's order."""
        if self._weights is None:
            n, counters = len(self), self._counters
            # documents holding each word (a document holds each of its words once)
            df = Counter(chain.from_iterable(counters) if counters is not None else self._ids)
            idf = {k: math.log((1 + n) / (1 + k)) + 1 for k in set(df.values())}  # per df
            counts = set().union(*(c.values() for c in counters)) if counters is not None else set(self._counts)
            tf = {c: 1 + math.log(c) for c in counts}  # per count
            self._weights = df, idf, tf
        df, idf, tf = self._weights
        keys, counts = self._document(i)
        weights = [tf[c] * idf[df[k]] for k, c in zip(keys, counts, strict=True)]
        norm = math.sqrt(sum(map(operator.mul, weights, weights))) or 1.0  # the same left-to-right sum
        return {k: v / norm for k, v in zip(keys, weights, strict=True) if keep is None or k in keep}

    def in_words(self, vector: dict) -> dict[str, float]:
        """``vector`` keyed by words, in the same order."""
        if self._counters is not None:
            return vector
        words = self._words
        if words is None:
            words = self._words = {k: w for w, k in self.number.items()}
        return {words[k]: v for k, v in vector.items()}


def cosine(a: dict, b: dict) -> float:
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


def best_measures(ctx: Context, rule: Rule, problems: list[Item], measures: list[Item], min_terms: int = 4):
    """The measure most similar to each problem that states something.

    Yields ``(i, best, score, words)`` in the order of the problems, for each problem i with
    ``min_terms`` or more distinct content words in precise mode (:func:`states_problem`):
    ``best`` is the measure whose vector has the largest cosine with it (the first of the best),
    ``score`` that cosine (``0`` when they share no word), ``words`` the words they share
    (:func:`shared`).

    Two passes: the first cuts every item and counts its content words (a :class:`Collection`),
    which gives every word's document frequency; the second makes one problem's vector at a time
    and compares it with the measures'. The vectors hold only the words that problems and
    measures share (the only ones a cosine or :func:`shared` reads); their norms count every word.
    """
    from .. import segment

    doc, stop = ctx.doc, rule.compiled
    np = len(problems)
    collection = Collection()
    decided: list[bool | None] = []  # per problem: what the bounds of states_problem decide
    good: set[str] = set()  # the report's content words
    for i, item in enumerate(chain(problems, measures)):
        tokens = segment.cut_for_search(item.text(doc))
        # every precise word is also a search token: the search tokens hold every content word
        words = content_words(tokens, stop)
        good |= words
        counted = Counter(filter(words.__contains__, tokens))  # in order of first occurrence
        collection.add(counted)
        if i < np:
            decided.append(_states_by_bounds(tokens, counted, min_terms))
    both = collection.shared_keys(np)  # words of problems and of measures
    mv = [collection.vector(j, both) for j in range(np, len(collection))]
    msize = [collection.size(j) for j in range(np, len(collection))]
    for i in range(np):
        stated = decided[i]
        if not (stated if stated is not None else _states_precisely(problems[i].text(doc), good, min_terms)):
            continue
        p, plen = collection.vector(i, both), collection.size(i)
        row = []
        for m, mlen in zip(mv, msize, strict=True):
            if p.keys().isdisjoint(m):
                row.append(0)  # what the sum over no shared word gives
            else:  # the sum runs over the vector with fewer words (the problem's on a tie), as always
                row.append(cosine(m, p) if plen > mlen else cosine(p, m))
        best = max(range(len(row)), key=row.__getitem__)  # the first of the best
        yield i, best, row[best], shared(collection.in_words(p), collection.in_words(mv[best]))


def _matched(doc: Document, problem: Item, measure: Item, score: float, words: list[str]) -> str:
    """The evidence line of a problem a measure answers."""
    return f"问题{quote(doc, problem, 20)} ↔ 措施{measure.label}（相似度 {score:.2f}，共同词：{'、'.join(words) or '无'}）"


def _unmatched(doc: Document, problem: Item, measure: Item, score: float, words: list[str]) -> str:
    """The evidence line of a problem no measure answers (``measure``: the closest)."""
    return (
        f"问题{quote(doc, problem, 30)}（第{problem.line(doc)}行）没有对应措施；"
        f"最接近的是措施{measure.label}（相似度 {score:.2f}，共同词：{'、'.join(words) or '无'}）"
    )


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
    threshold = opts.get("min_similarity", 0.045)
    stated = 0
    matched, unmatched = Firsts(), Firsts()  # the evidence: the unmatched problems first
    first_unmatched: list[int] = []  # the first few unmatched problems, for the message
    for i, best, score, words in best_measures(ctx, rule, problems, measures, opts.get("min_terms", 4)):
        stated += 1
        if score >= threshold:
            matched.add(_matched, doc, problems[i], measures[best], score, words)
        else:
            if len(first_unmatched) < 3:
                first_unmatched.append(i)
            unmatched.add(_unmatched, doc, problems[i], measures[best], score, words)
    if not stated:
        quoted = "；".join(quote(doc, p) for p in problems[:3])
        return Outcome(
            "weak",
            f"“{ptitle}”没有列出具体问题，{len(measures)} 条措施无从一一对应",
            problems[0].line(doc),
            evidence=[f"问题部分原文：{quoted}"],
        )
    evidence = capped(unmatched, matched)
    messages = []
    line = problems[0].line(doc)
    if unmatched.count:
        listed = "；".join(quote(doc, problems[i], 24) for i in first_unmatched)
        more = f"等 {unmatched.count} 个问题" if unmatched.count > 3 else ""
        messages.append(f"问题{listed}{more}没有对应的整改措施")
        line = problems[first_unmatched[0]].line(doc)
    if opts.get("require_count", True) and len(measures) < len(problems):
        messages.append(f"措施 {len(measures)} 条，少于问题 {len(problems)} 个")
    if messages:
        return Outcome("weak", "；".join(messages), line, evidence=evidence)
    msg = f"{stated} 个问题都有对应的措施（{len(measures)} 条）" if stated > 1 else "问题有对应的措施"
    return Outcome("ok", msg, mitems.items[0].line(doc), evidence=evidence)

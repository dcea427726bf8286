"""The fast paths of the weak-item checks give exactly what the plain computations give.

- :func:`djcheck.checks.itemtools.spans` / ``matches`` / ``each_match`` skip patterns whose
  required literals are absent and scan an alternation first: the spans are those of running
  every pattern;
- :func:`djcheck.items.Item.title` finds only the first sentence: the one ``sentence_spans`` gives;
- :mod:`djcheck.checks.measure_match` judges content words once per report, computes TF-IDF with
  ``map`` and keeps only shared words in the vectors: the cosines are the same floats, bit for bit;
  it tells whether a problem states something from its search-mode cut (bounds), cutting it in
  precise mode only when the bounds do not decide: the answer is that of the precise cut.
"""

from __future__ import annotations

import math
import pickle
import random
from collections import Counter

import regex
from hypothesis import given, settings
from hypothesis import strategies as st

import djcheck
from conftest import FIXTURES, SAMPLES
from djcheck import segment
from djcheck.checks import itemtools, measure_match
from djcheck.document import first_sentence, sentence_spans
from djcheck.pack import REGEX_FLAGS

WEAK_KINDS = ("problems-specific", "measures-concrete", "achievements-data", "first-person")


def pattern_lists():
    """Every pattern list of the weak-item rules of the bundled packs, with its rule."""
    found = []
    for name in ("zhuti-zeren", "duizhao-jiancha"):
        for rule in djcheck.load_pack(name).rules:
            if rule.kind in WEAK_KINDS:
                lists = (
                    [rule.compiled] if isinstance(rule.compiled, list) else list(vars(rule.compiled).values())
                )
                found += [(rule, p) for p in lists if isinstance(p, list)]
    return found


def plain_spans(patterns, text):
    """Every pattern run over the whole text, spans merged: what spans() must give."""
    found = sorted({m.span() for p in patterns for m in p.finditer(text) if m.end() > m.start()})
    merged = []
    for s, e in found:
        if merged and s < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
        else:
            merged.append((s, e))
    return merged


def random_texts(patterns, count, seed):
    rng = random.Random(seed)
    pool = sorted({ch for p in patterns for ch in p.pattern if not ch.isascii() or ch.isalnum()})
    pool += list("0123456789 ，。；\n*＊")
    return ["".join(rng.choice(pool) for _ in range(rng.randint(0, 40))) for _ in range(count)]


def test_spans_and_matches_are_those_of_every_pattern():
    lists = pattern_lists()
    assert lists and all(isinstance(p, itemtools.Patterns) for _, p in lists)
    for rule, patterns in lists:
        for text in random_texts(patterns, 300, rule.id):
            assert itemtools.spans(rule, patterns, text) == plain_spans(patterns, text), (rule.id, text)
            assert itemtools.matches(rule, patterns, text) == [
                m.group() for p in patterns for m in p.finditer(text) if m.group()
            ]


def test_spans_of_plain_lists_overlaps_empty_matches_and_reverse_patterns():
    rule = djcheck.load_pack("quality").rule("problems-specific")
    cases = [
        (["aba", "b+", "x*"], "ababa xx b"),  # one pattern's matches do not overlap; another's do
        (["a(?=b)", "(?<=a)b", "c?"], "abcab"),  # lookarounds, empty matches
        (["(?r)ab", "ba"], "ababab"),  # a reverse pattern yields its matches backwards
        (["(a)\\1", "b"], "aab"),  # a group reference: no alternation
    ]
    for sources, text in cases:
        patterns = [regex.compile(s, REGEX_FLAGS) for s in sources]
        expected = plain_spans(patterns, text)
        assert itemtools.spans(rule, patterns, text) == expected
        assert itemtools.spans(rule, itemtools.Patterns(patterns), text) == expected


def test_the_scanning_plan_is_not_pickled():
    patterns = itemtools.Patterns([regex.compile("个别"), regex.compile("还(?:不够|不足)")])
    assert patterns.plan is patterns.plan
    again = pickle.loads(pickle.dumps(patterns))
    assert type(again) is itemtools.Patterns and "plan" not in vars(again)
    assert [p.pattern for p in again] == [p.pattern for p in patterns]


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="。！？!?；;\n \u3000ab中，", max_size=30))
def test_first_sentence_is_that_of_sentence_spans(text):
    spans = sentence_spans(text)
    assert first_sentence(text) == (text[spans[0][0] : spans[0][1]] if spans else text)


def plain_tfidf(docs):
    """The TF-IDF of the module docstring, computed the plain way (as before the fast path)."""
    n = len(docs)
    counts = [Counter(d) for d in docs]
    df = Counter(w for c in counts for w in c)
    vectors = []
    for counted in counts:
        vec = {w: (1 + math.log(c)) * (math.log((1 + n) / (1 + df[w])) + 1) for w, c in counted.items()}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        vectors.append({w: v / norm for w, v in vec.items()})
    return vectors


def plain_cosine(a, b):
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b[w] for w, v in a.items() if w in b)


def test_tfidf_cosines_are_the_same_floats():
    rng = random.Random(4)
    words = [f"词{i}" for i in range(40)] + ["x", "ab", "12", "…"]
    stop = frozenset({"词0", "词1"})
    for _ in range(300):
        np, nm = rng.randint(1, 6), rng.randint(1, 6)
        tokens = [[rng.choice(words) for _ in range(rng.randint(0, 30))] for _ in range(np + nm)]
        good = measure_match.content_words([w for t in tokens for w in t], stop)
        assert good == {w for t in tokens for w in t if len(w) >= 2 and "词" in w and w not in stop}
        docs = [[w for w in t if w in good] for t in tokens]
        plain = plain_tfidf(docs)
        counts = [Counter(d) for d in docs]
        both = set().union(*counts[:np]) & set().union(*counts[np:])
        vectors, sizes = measure_match.tfidf(counts, both)
        assert sizes == [len(v) for v in plain]
        assert vectors == [{w: v for w, v in p.items() if w in both} for p in plain]
        for i in range(np):
            for j in range(np, np + nm):
                fast = measure_match.cosine(vectors[j], vectors[i]) if sizes[i] > sizes[j] else None
                fast = fast if fast is not None else measure_match.cosine(vectors[i], vectors[j])
                assert repr(fast) == repr(plain_cosine(plain[i], plain[j]))


def test_shared_words_leave_out_parts_of_longer_shared_words():
    def plain(a, b, limit=4):
        common = [w for w in a if w in b]
        whole = [w for w in common if not any(len(o) > len(w) and w in o for o in common)]
        return sorted(whole, key=lambda w: -(a[w] * b[w]))[:limit]

    rng = random.Random(7)
    words = [
        "作风",
        "工作作风",
        "工作",
        "作",
        "风气",
        "作风作风",
        "精气神",
        "气神",
        "主体责任",
        "责任",
        "主体",
    ]
    for _ in range(2000):
        a = {w: rng.choice([0.1, 0.2, 0.3]) for w in rng.sample(words, rng.randint(0, len(words)))}
        b = {w: rng.choice([0.1, 0.2, 0.3]) for w in rng.sample(words, rng.randint(0, len(words)))}
        assert measure_match.shared(a, b) == plain(a, b)


def test_stated_problems_are_those_with_enough_precise_content_words(monkeypatch):
    files = sorted(SAMPLES.rglob("*.txt")) + sorted((FIXTURES / "drafts").rglob("*.txt"))
    lines = [
        line.strip() for f in files for line in f.read_text(encoding="utf-8-sig").splitlines() if line.strip()
    ]
    rng = random.Random(11)
    words = [
        "工作作风",
        "作风",
        "工作",
        "主体责任",
        "主体",
        "责任",
        "精气神",
        "的",
        "和",
        "不够",
        "党风廉政建设",
        "进一步",
    ]
    texts = lines[:400] + ["".join(rng.choice(words) for _ in range(rng.randint(0, 8))) for _ in range(300)]
    stop = measure_match.bundled_stop_words()
    cut, precise_cuts = segment.cut, []
    monkeypatch.setattr(segment, "cut", lambda text: precise_cuts.append(text) or cut(text))
    for text in texts:
        tokens = segment.cut_for_search(text)
        good = measure_match.content_words(tokens, stop)
        counted = Counter(filter(good.__contains__, tokens))
        exact = len(good.intersection(cut(text)))
        for min_terms in range(8):
            stated = measure_match.states_problem(text, tokens, counted, good, min_terms)
            assert stated == (exact >= min_terms), (text, min_terms)
    assert 0 < len(precise_cuts) < len(texts) * 8 / 4  # the bounds decide mostly, not always

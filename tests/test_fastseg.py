"""rjieba gives exactly jieba's cuts and therefore exactly the same findings.

rjieba is a default dependency where it has wheels (and in the test extra); these tests are
skipped with a reason where it is not installed.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys

import pytest

from conftest import FIXTURES, SAMPLES, SEEDS
from djcheck import fastseg, segment, wordfreq

pytestmark = pytest.mark.skipif(
    fastseg.load_extension() is None, reason="rjieba 未安装（pip install 'djcheck[fast]'）：只检查纯 Python jieba"
)

OWN_TEXT = (
    "关于2025年度落实全面从严治党主体责任情况的报告\n"
    "区水务局党组坚决扛起全面从严治党主体责任，党组书记履行第一责任人职责，班子成员落实“一岗双责”。"
    "运用监督执纪“四种形态”批评教育帮助和处理干部14人次，其中第一种形态11人次。\n"
    "一是2个基层党支部“三会一课”记录不完整，研究研究再说，的的确确存在差距。\n"
    "Q3完成ERP系统升级，投入资金1.5亿元（含C++、AT&T 5G项目）；下一步将由纪检组负责专项检查。"
)


def corpus() -> list[str]:
    """The texts of every seed (when present), sample and fixture draft, and one text of our own."""
    files = sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else []
    for folder in (SAMPLES, FIXTURES / "drafts", FIXTURES / "genres"):
        files += sorted(p for p in folder.rglob("*") if p.suffix in (".txt", ".md"))
    return [OWN_TEXT] + [p.read_text(encoding="utf-8-sig") for p in files]


@pytest.fixture(scope="module")
def cache_folder(tmp_path_factory):
    """A private cache folder holding the dictionary store, built once for this module."""
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(scope="module")
def segmenters(cache_folder):
    """(stock jieba with the full dictionary, rjieba on demand, rjieba with its whole dictionary)."""
    with pytest.MonkeyPatch.context() as m:
        m.setenv("DJCHECK_CACHE_DIR", str(cache_folder))
        words = segment.domain_words()
        jieba = wordfreq.load_jieba()
        freq, total = wordfreq.full_dictionary(jieba, words)
        reference = jieba.Tokenizer()
        reference.FREQ, reference.total, reference.initialized = freq, total, True
        lazy = fastseg.new_segmenter(words)
        whole = fastseg.new_segmenter(words)
    assert lazy is not None and whole is not None
    assert whole.load_full() and whole.full and not lazy.full
    return reference, lazy, whole


def assert_same(segmenters, text):
    reference, lazy, whole = segmenters
    expected = list(reference.cut(text, HMM=False))
    assert lazy.cut(text) == expected
    assert whole.cut(text) == expected
    expected = list(reference.cut_for_search(text, HMM=False))
    assert lazy.cut_for_search(text) == expected
    assert whole.cut_for_search(text) == expected


@pytest.mark.slow
def test_cuts_equal_jieba_on_every_report(segmenters):
    for text in corpus():
        assert_same(segmenters, text)


def test_equal_scores_are_broken_as_jieba_breaks_them(segmenters):
    # 一一|一 and 一|一一 score the same up to rounding: the last bits decide, so rjieba must
    # use exactly jieba's total (jieba counts the word B超, listed twice in dict.txt, twice).
    assert_same(segmenters, "一一一改革")
    assert segmenters[2].cut("一一一改革") == ["一一", "一", "改革"]


def test_cuts_equal_jieba_on_mixed_text(segmenters):
    rng = random.Random(7)
    pool = "".join(corpus())
    odd = list(" \t\n\r\u3000\xa0\u200b·-_.%#&+@!?,;:()（）“”《》、。，；：？！…—'\"ABCxyz0123456789０１２é€¥") + ["\r\n"]
    for _ in range(300):
        parts = []
        for _ in range(rng.randint(1, 10)):
            if rng.random() < 0.6:
                i = rng.randrange(len(pool))
                parts.append(pool[i : i + rng.randint(1, 30)])
            else:
                parts.append("".join(rng.choice(odd) for _ in range(rng.randint(1, 4))))
        assert_same(segmenters, "".join(parts))


def test_rare_characters_are_left_to_jieba(monkeypatch):
    """Texts with characters jieba and jieba-rs classify differently never reach rjieba."""
    assert fastseg.DIVERGENT.search("㐀") and fastseg.DIVERGENT.search("\U00020000")
    assert not fastseg.DIVERGENT.search(OWN_TEXT)
    seg = segment.fast_segmenter()
    assert seg is not None
    called = []
    monkeypatch.setattr(seg, "cut", lambda text: called.append(text))
    assert segment.cut("研究㐀研究") == list(segment.tokenizer().cut("研究㐀研究", HMM=False))
    assert called == []


def test_whole_dictionary_is_refused_when_rjieba_disagrees_with_jieba(segmenters, cache_folder, monkeypatch):
    monkeypatch.setenv("DJCHECK_CACHE_DIR", str(cache_folder))
    seg = fastseg.new_segmenter(segment.domain_words())
    base = seg._store.meta["base"]
    monkeypatch.setitem(seg._store.meta, "base", base.replace('"一把手": 282', '"一把手": 999'))
    assert seg.load_full() is False and not seg.full
    assert seg.cut("落实全面从严治党主体责任") == ["落实", "全面从严治党", "主体责任"]


def test_a_batch_loads_the_whole_dictionary_once(segmenters, cache_folder, monkeypatch):
    monkeypatch.setenv("DJCHECK_CACHE_DIR", str(cache_folder))
    seg = fastseg.new_segmenter(segment.domain_words())
    assert seg.cut(OWN_TEXT) and not seg.full  # one report: entries fetched on demand
    seg.expect_many = True
    assert seg.cut(OWN_TEXT) and seg.full


def test_a_long_text_of_known_words_stays_on_demand(segmenters, cache_folder, monkeypatch):
    """One long report whose words were fetched before stays on the on-demand dictionary however
    long it is (its bookkeeping stays small); a process reaching a wide vocabulary, more than
    FULL_AFTER_KEYS keys fetched, loads the whole dictionary. The cuts are jieba's either way."""
    monkeypatch.setenv("DJCHECK_CACHE_DIR", str(cache_folder))
    reference = segmenters[0]
    seg = fastseg.new_segmenter(segment.domain_words())
    seg._vocab = fastseg.Vocabulary(seg._vocab.key, seg._vocab.total)  # nothing saved by other tests
    expected = list(reference.cut(OWN_TEXT, HMM=False))
    monkeypatch.setattr(fastseg, "FULL_AFTER_KEYS", 2_000)
    for _ in range(50):  # 10,000 characters of the same report
        assert seg.cut(OWN_TEXT) == expected and not seg.full
    assert 0 < seg._vocab.fetched <= 2_000
    texts = corpus()[1:]
    for text in texts:  # every seed, sample and draft: about 26,000 keys
        if seg.full:
            break
        assert seg.cut(text) == list(reference.cut(text, HMM=False))
    assert seg.full and not seg._in_jieba
    assert all(seg.cut(text) == list(reference.cut(text, HMM=False)) for text in texts[:5])


@pytest.mark.parametrize("backend", ["rjieba", "jieba"])
def test_a_long_text_is_cut_in_stretches_with_the_same_words(backend, monkeypatch):
    """segment cuts a long text a stretch at a time, each ending after a line break or a sentence end
    (rjieba's working arrays are bounded): the words are those of one cut of the whole text, in both
    modes and with both segmenters, also where a stretch would end in ``\r\n`` or between letters."""
    text = "".join(corpus()).replace("\n", "\r\n", 20) + "ABC。DEF\r\n\r\n5G。"
    monkeypatch.setenv("DJCHECK_SEGMENTER", backend)
    segment.reset()
    try:
        assert segment.backend() == backend
        monkeypatch.setattr(segment, "SEGMENT_STRETCH", 10**9)
        whole = segment.cut(text), segment.cut_for_search(text)
        assert len(whole[0]) > 10_000
        for size in (1, 2, 7, 500):
            monkeypatch.setattr(segment, "SEGMENT_STRETCH", size)
            parts = list(segment._stretches(text, size))
            assert "".join(parts) == text and len(parts) > 1
            assert all(len(p) >= size and p[-1] in "\n。！？；" for p in parts[:-1])
            assert (segment.cut(text), segment.cut_for_search(text)) == whole, size
    finally:
        segment.reset()


def variant_texts() -> dict:
    """The accuracy variants (``tests/fixtures/variants``), keyed by their path in the repository."""
    return {f"variants/{p.name}": p for p in sorted((FIXTURES / "variants").glob("*.txt"))}


def test_findings_are_the_same_with_either_segmenter(monkeypatch):
    """Every result recorded by the regression guard, and the full result of every accuracy variant
    (under detection and under each genre pack), comes out the same with jieba and with rjieba."""
    from test_results_unchanged import project_texts, record, seed_texts

    texts = {**seed_texts(), **project_texts(), **variant_texts()}
    assert len(variant_texts()) >= 40

    def results(backend):
        monkeypatch.setenv("DJCHECK_SEGMENTER", backend)
        segment.reset()
        assert segment.backend() == backend
        return {key: record(key, path) for key, path in texts.items()}

    try:
        assert results("jieba") == results("rjieba")
    finally:
        monkeypatch.delenv("DJCHECK_SEGMENTER")
        segment.reset()


def test_an_rjieba_that_does_not_load_leaves_the_work_to_jieba(tmp_path):
    """A broken rjieba build (here a damaged extension module found first on the path) is passed
    over: jieba segments, with the same cuts and findings."""
    import importlib.machinery

    fake = tmp_path / "rjieba"
    fake.mkdir()
    (fake / "__init__.py").write_text("raise ImportError('broken build')\n", encoding="utf-8")
    (fake / ("rjieba" + importlib.machinery.EXTENSION_SUFFIXES[0])).write_bytes(b"\x7fELF not really")
    code = (
        "import json, sys; from djcheck import fastseg, segment; from djcheck.runner import Session; "
        "print(fastseg.load_extension() is None, segment.backend()); "
        f"r = Session().check({str(SAMPLES / 'good-report.txt')!r}); "
        "print(json.dumps([[f.rule, f.line, f.col, f.message] for f in r.findings], ensure_ascii=False))"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), *sys.path])}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert out.returncode == 0, out.stderr
    first, findings = out.stdout.splitlines()
    assert first == "True jieba"
    env.pop("PYTHONPATH")
    code = code.replace("print(fastseg.load_extension() is None, segment.backend()); ", "")
    same = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert same.returncode == 0, same.stderr
    assert same.stdout.strip() == findings  # rjieba (when it loads) finds the same


def test_loading_the_extension_leaves_rjieba_importable():
    # rjieba's package __init__ (which builds a default dictionary, 0.1–0.2 s) is not run …
    code = (
        "import sys; from djcheck import fastseg; ext = fastseg.load_extension(); "
        "print('rjieba' in sys.modules); import rjieba; print(rjieba.Jieba is ext.Jieba)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["False", "True"]  # … and a later import of rjieba still works


def test_saved_vocabulary_spares_the_store_and_keeps_the_cuts(segmenters, cache_folder, monkeypatch):
    reference = segmenters[0]
    monkeypatch.setenv("DJCHECK_CACHE_DIR", str(cache_folder))
    words = segment.domain_words()
    first = fastseg.new_segmenter(words)
    first.cut_for_search(OWN_TEXT)
    first._vocab.save(cache_folder)
    again = fastseg.new_segmenter(words)
    assert again._store._conn is None  # the vocabulary came from the saved file
    assert again.cut_for_search(OWN_TEXT) == list(reference.cut_for_search(OWN_TEXT, HMM=False))
    assert again._store._conn is None  # … and held every entry this text needs
    other = "区水务局河长制办公室开展暗访督查，发现3处问题"
    assert again.cut(other) == list(reference.cut(other, HMM=False))
    assert again._store._conn is not None  # new words: read from the store
    (cache_folder / next(p.name for p in cache_folder.glob("vocabulary-*"))).write_bytes(b"damaged")
    assert fastseg.new_segmenter(words)._store._conn is not None  # a damaged file is not used

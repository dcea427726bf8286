"""jieba with the dictionary read on demand: same cuts as the full dictionary, safe fallbacks."""

from __future__ import annotations

import os

import pytest

from conftest import SAMPLES
from djcheck import segment, wordfreq

OWN_TEXT = (
    "关于2025年度落实全面从严治党主体责任情况的报告\n"
    "区水务局党组坚决扛起全面从严治党主体责任，党组书记履行第一责任人职责，班子成员落实“一岗双责”。"
    "运用监督执纪“四种形态”批评教育帮助和处理干部14人次，其中第一种形态11人次。\n"
    "一是2个基层党支部“三会一课”记录不完整，研究研究再说，的的确确存在差距。"
    "二是对工程项目招投标环节监督不够，全年有3个项目出现评标专家抽取程序不规范问题。\n"
    "Q3完成ERP系统升级，投入资金1.5亿元；下一步将由纪检组负责专项检查。"
)


@pytest.fixture(scope="module")
def tokenizers(tmp_path_factory):
    """(reference with the full dictionary, store-backed tokenizer), built in a private cache folder."""
    folder = tmp_path_factory.mktemp("cache")
    with pytest.MonkeyPatch.context() as m:
        m.setenv("DJCHECK_CACHE_DIR", str(folder))
        words = segment.domain_words()
        full = wordfreq.new_tokenizer(words)  # builds the store, returns the full dictionary
        lazy = wordfreq.new_tokenizer(words)
    assert type(full).__name__ == "Tokenizer" and type(lazy).__name__ == "LazyTokenizer"
    assert len(list(folder.glob("jieba-*.sqlite3"))) == 1
    return full, lazy, folder


def texts(seed):
    out = [OWN_TEXT]
    for prefix in ("000", "001", "002", "003", "004"):
        try:
            out.append(seed(prefix).read_text(encoding="utf-8"))
        except pytest.skip.Exception:
            break
    return out


def test_cuts_equal_the_full_dictionary(tokenizers, seed):
    full, lazy, _ = tokenizers
    for text in texts(seed):
        assert list(lazy.cut(text, HMM=False)) == list(full.cut(text, HMM=False))
        assert list(lazy.cut(text)) == list(full.cut(text))
        assert lazy.lcut_for_search(text) == full.lcut_for_search(text)
        assert list(lazy.tokenize(text, HMM=False)) == list(full.tokenize(text, HMM=False))
    assert lazy.total == full.total
    assert 0 < len(lazy.FREQ) < len(full.FREQ) / 20  # only what the texts reach


def test_domain_words_stay_whole(tokenizers):
    _, lazy, _ = tokenizers
    words = lazy.lcut("局党组落实全面从严治党主体责任，坚持“三会一课”，落实一岗双责。", HMM=False)
    for term in ("全面从严治党", "主体责任", "三会一课", "一岗双责"):
        assert term in words


def test_words_added_later_behave_alike(tokenizers):
    full, lazy, _ = tokenizers
    sentence = "区水务局河长制办公室开展暗访督查"
    assert lazy.suggest_freq("河长制", False) == full.suggest_freq("河长制", False)
    for tk in (full, lazy):
        tk.add_word("河长制办公室")
    assert lazy.lcut(sentence, HMM=False) == full.lcut(sentence, HMM=False)
    assert "河长制办公室" in lazy.lcut(sentence, HMM=False)


def test_store_failure_mid_run_falls_back_to_full_dictionary(tokenizers, monkeypatch):
    full, _, folder = tokenizers
    monkeypatch.setenv("DJCHECK_CACHE_DIR", str(folder))
    lazy = wordfreq.new_tokenizer(segment.domain_words())

    def broken(keys):
        raise wordfreq.StoreError("database disk image is malformed")

    monkeypatch.setattr(lazy._store, "fetch", broken)
    assert lazy.lcut(OWN_TEXT, HMM=False) == full.lcut(OWN_TEXT, HMM=False)
    assert lazy._store is None and len(lazy.FREQ) > 400_000  # the whole dictionary


def test_truncated_store_is_rebuilt(tokenizers, tmp_path, monkeypatch):
    full, _, folder = tokenizers
    monkeypatch.setenv("DJCHECK_CACHE_DIR", str(tmp_path))
    (store,) = folder.glob("jieba-*.sqlite3")
    copy = tmp_path / store.name
    data = store.read_bytes()
    copy.write_bytes(data[: len(data) // 3])
    first = wordfreq.new_tokenizer(segment.domain_words())
    assert first.lcut(OWN_TEXT, HMM=False) == full.lcut(OWN_TEXT, HMM=False)
    assert copy.stat().st_size == len(data)  # rebuilt whole
    again = wordfreq.new_tokenizer(segment.domain_words())
    assert type(again).__name__ == "LazyTokenizer"
    assert again.lcut(OWN_TEXT, HMM=False) == full.lcut(OWN_TEXT, HMM=False)


def test_store_of_other_domain_words_is_not_used(tokenizers, monkeypatch):
    _, _, folder = tokenizers
    monkeypatch.setenv("DJCHECK_CACHE_DIR", str(folder))
    jieba = wordfreq.load_jieba()
    words = segment.domain_words()
    assert wordfreq.store_key(jieba, words) != wordfreq.store_key(jieba, words + (("河长制", None),))


@pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits")
def test_world_writable_cache_is_not_used(tokenizers, tmp_path, monkeypatch):
    full, _, _ = tokenizers
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)
    monkeypatch.setenv("DJCHECK_CACHE_DIR", str(shared))
    tk = wordfreq.new_tokenizer(segment.domain_words())
    assert type(tk).__name__ == "Tokenizer" and list(shared.iterdir()) == []
    assert tk.lcut(OWN_TEXT, HMM=False) == full.lcut(OWN_TEXT, HMM=False)


def test_jieba_is_imported_without_pkg_resources():
    import subprocess
    import sys

    code = "from djcheck import wordfreq; wordfreq.load_jieba(); import sys; print('pkg_resources' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.stdout.strip() == "False", out.stderr


def test_a_long_text_is_read_in_stretches_with_the_same_entries(monkeypatch):
    """reachable() follows the start positions of a long text a stretch at a time (bounded memory):
    stretches of a few characters find every entry one stretch finds, each once."""
    text = "".join(p.read_text(encoding="utf-8-sig") for p in sorted(SAMPLES.glob("*.txt")))
    full, total = wordfreq.full_dictionary(wordfreq.load_jieba(), segment.domain_words())

    def entries():
        known, absent = {}, set()
        out, _ = wordfreq.reachable(text, known, absent, lambda keys: [(k, full[k]) for k in keys if k in full])
        return out, known, absent

    out, known, absent = entries()
    assert len(out) == len({w for w, _ in out}) and ("全面从严治党", full["全面从严治党"]) in out
    for size in (3, 1000):
        monkeypatch.setattr(wordfreq, "REACHABLE_CHUNK", size)
        chunked, chunked_known, chunked_absent = entries()
        assert sorted(chunked) == sorted(out) and len(chunked) == len(out)
        assert chunked_known == known and chunked_absent == absent

"""Packed tables (djcheck.packed) answer exactly as the dict or set they stand for, before and after
they build it, and after a pickle round trip; the 疑似错别字 check finds the same on real drafts
whichever way its screen answers (binary search for a single report, dicts in a batch)."""

from __future__ import annotations

import pickle
import random
from pathlib import Path

import pytest

from djcheck import packed
from djcheck.packed import PackedCodeMap, PackedCodes, PackedMap

ROOT = Path(__file__).resolve().parent.parent


def _words(n: int, seed: int) -> dict[str, str]:
    rng = random.Random(seed)
    han = [chr(c) for c in range(0x4E00, 0x4E00 + 400)]
    out = {}
    while len(out) < n:
        key = "".join(rng.choice(han) for _ in range(rng.randint(1, 5)))
        out[key] = " ".join(rng.choice(["xing", "hang", "lv", ""]) for _ in range(rng.randint(0, 3)))
    return out


def _probes(table: dict, seed: int) -> list:
    rng = random.Random(seed)
    keys = list(table)
    absent = ["", "不在", "\uffff", "一" * 9, keys[0] + "一"]
    return [rng.choice(keys) for _ in range(300)] + absent


@pytest.mark.parametrize("n", [0, 1, 2, 37, 2000])
def test_packed_map_answers_as_the_dict_before_and_after_building_it(n):
    table = _words(n, seed=n)
    m = PackedMap(table)
    assert len(m) == len(table) and dict(m.items()) == table and list(m) == sorted(table)
    probes = _probes(table, seed=n) if table else ["", "一"]
    for p in probes * 3:  # enough look-ups to spend the budget part-way
        assert m.get(p) == table.get(p)
        assert (p in m) == (p in table)
        if p in table:
            assert m[p] == table[p]
        else:
            with pytest.raises(KeyError):
                m[p]
    assert m.get(12) is None and 12 not in m  # not a string: absent, as in a dict of strings


def test_packed_map_pickles_without_its_dict():
    table = _words(3000, seed=7)
    m = PackedMap(table)
    for p in list(table)[:1000]:
        m.get(p)
    assert m._dict is not None  # the budget (3000 // 16) was spent: built
    back = pickle.loads(pickle.dumps(m, protocol=pickle.HIGHEST_PROTOCOL))
    assert back._dict is None and back == m and dict(back.items()) == table


@pytest.mark.parametrize("n", [0, 1, 500, 5000])
def test_packed_codes_and_code_map_answer_as_set_and_dict(n):
    rng = random.Random(n)
    codes = {rng.randrange(0, 2**64) for _ in range(n)} | ({0, 2**64 - 1} if n else set())
    table = {c: f"值{c % 97}" for c in codes}
    s, m = PackedCodes(codes), PackedCodeMap(table)
    probes = [rng.choice(sorted(codes)) for _ in range(200)] if codes else []
    probes += [rng.randrange(0, 2**64) for _ in range(200)]
    for _ in range(3):
        for p in probes:
            assert (p in s) == (p in codes) == (p in m)
            assert m.get(p) == table.get(p)
        found = s.among(probes[:50], probes[50:])
        assert {p for p in probes if p in found} == {p for p in probes if p in codes}
    assert dict(m.items()) == table and sorted(s) == sorted(codes)
    back = pickle.loads(pickle.dumps(m))
    assert back == m and back.get(probes[0]) == table.get(probes[0])


def _sentences() -> list[str]:
    import yaml

    folder = ROOT / "tests" / "fixtures" / "typos"
    out = [t["text"] for t in yaml.safe_load((folder / "typos.yaml").read_text(encoding="utf-8"))["typos"]]
    for name in ("correct.yaml", "holdout.yaml"):
        data = yaml.safe_load((folder / name).read_text(encoding="utf-8"))
        for key in ("typos", "correct"):
            out += [t if isinstance(t, str) else t["text"] for t in data.get(key, [])]
    return out


def _typo_findings(drafts: list[str]) -> list[tuple[int, str, str]]:
    from djcheck import Document, check_document, load_pack

    pack = load_pack("common")
    out = []
    for n, text in enumerate(drafts):
        result = check_document(Document.from_text(text), pack)
        out += [(n, f.match, f.suggestion) for f in result.findings if f.rule == "typo-guess"]
    return out


def test_typo_guess_finds_the_same_whether_its_tables_search_or_have_built_their_dicts(monkeypatch, tmp_path):
    """The project's typo sentences (tests/fixtures/typos) as drafts of ten sentences: every look-up
    by binary search (budgets never spent) against dicts and sets built at the first look-up: the
    same 疑似错别字 findings, and many of them."""
    from djcheck import typolex
    from djcheck.checks import typo_guess

    sentences = _sentences()
    drafts = ["".join(sentences[i : i + 10]) for i in range(0, len(sentences), 10)]
    monkeypatch.setenv("DJCHECK_CACHE_DIR", str(tmp_path / "cache"))

    def fresh(searches: int) -> list[tuple[int, str, str]]:
        monkeypatch.setattr(packed, "STRING_SEARCHES_PER_BUILD", searches)
        monkeypatch.setattr(packed, "CODE_SEARCHES_PER_BUILD", searches)
        typo_guess._screens.clear()  # read back from the store, as a new process does
        monkeypatch.setattr(typolex, "_tables", None)
        typolex.sound_alikes.cache_clear()
        typolex.word_readings.cache_clear()
        return _typo_findings(drafts)

    fresh(1)  # builds and stores the screen and the readings
    searching = fresh(1)  # budget = the table's length: never spent here
    built = fresh(10**9)  # budget 0: built at the first look-up
    assert searching == built
    assert len({(match, suggestion) for _, match, suggestion in searching}) >= 50

"""The bundled genre packs in a run: read together through one entry of the per-user store, with their
genre detector; the pack detection chose is the one that checks the draft; an office's packs as before."""

from __future__ import annotations

import pytest

import djcheck.engine
import djcheck.genre
import djcheck.runner
from conftest import SAMPLES
from djcheck.config import Config
from djcheck.engine import load_pack, load_packs, pack_key
from djcheck.runner import Session

DRAFT = SAMPLES / "genres" / "jiandu-zeren.txt"


@pytest.fixture
def store(tmp_path, monkeypatch):
    """An empty per-user store; returns its folder of packs."""
    monkeypatch.setenv("DJCHECK_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache" / "packs"


def refuse(*_args, **_kwargs):
    raise AssertionError("built again instead of read from the store")


def test_the_detected_pack_is_loaded_once_and_checks_the_draft(store, monkeypatch):
    loads = []

    def counting(name, search=None):
        loads.append(pack_key(name, search))
        return djcheck.engine.load_pack_cached(name, search)

    monkeypatch.setattr(djcheck.runner, "load_pack_cached", counting)
    session = Session()
    res = session.check(DRAFT)
    assert res.profile == "jiandu-zeren"
    scored = next(p for p in session.candidates(Config()) if p.id == res.profile)
    assert session.pack_of(res) is scored  # the object detection scored, not a second load of its file
    assert pack_key(scored.file) not in loads


def test_a_later_run_reads_packs_and_detector_from_one_entry(store, monkeypatch):
    first = Session().check(DRAFT).to_dict()
    assert len(list(store.glob("*.pickle"))) == 1  # the five genre packs and their detector
    for module, name in ((djcheck.engine, "load_pack"), (djcheck.runner, "load_packs"),
                         (djcheck.runner, "load_pack_cached"), (djcheck.genre._Detector, "__init__")):
        monkeypatch.setattr(module, name, refuse)
    monkeypatch.setattr(djcheck.genre, "_DETECTORS", {})  # as in a new process
    monkeypatch.setattr(djcheck.genre, "_PLANS", {})
    assert Session().check(DRAFT).to_dict() == first


def test_packs_read_together_share_what_they_extend_and_check_alike(store):
    together = load_packs(["zhuti-zeren", "jiandu-zeren"])
    assert together[0].rule("placeholder") is together[1].rule("placeholder")  # common's rule, read once
    text = djcheck.runner.load_document(str(DRAFT))
    for pack in together:
        alone = load_pack(pack.id)
        assert pack.files == alone.files
        got = djcheck.engine.check_document(text, pack).to_dict()
        assert got == djcheck.engine.check_document(text, alone).to_dict()


def test_an_office_common_pack_still_changes_the_genre_pack_it_checks_with(tmp_path, store, monkeypatch):
    """A ``common`` pack in the configuration's ``rules_paths`` is what the bundled genre packs extend when a
    draft under it is checked (detection reads the bundled packs as they are)."""
    (tmp_path / "规则").mkdir()
    (tmp_path / ".djcheck.yaml").write_text("rules_paths: [规则]\n", encoding="utf-8")
    (tmp_path / "规则" / "common.yaml").write_text(
        "id: common\ntitle: 本单位通用规则\nrules:\n"
        "  - id: ben-danwei-ci\n    kind: pattern\n    title: 本单位禁用词\n    level: warning\n    weight: 5\n"
        "    options: {patterns: ['协助职责']}\n",
        encoding="utf-8",
    )
    draft = tmp_path / "报告.txt"
    draft.write_text(DRAFT.read_text(encoding="utf-8"), encoding="utf-8")
    session = Session()
    res = session.check(draft)
    assert res.profile == "jiandu-zeren"
    ids = {item.id for item in res.checklist}
    assert "ben-danwei-ci" in ids and "placeholder" not in ids
    scored = next(p for p in session.candidates(session.config_for(draft)) if p.id == res.profile)
    assert scored.rule("placeholder") is not None  # detection: the bundled pack, with the bundled common


def _han(text: str) -> int:
    return sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf")


@pytest.mark.parametrize("path", sorted(SAMPLES.rglob("*.txt")), ids=lambda p: p.name)
def test_the_cheap_han_count_never_exceeds_the_exact_one(path):
    text = path.read_text(encoding="utf-8")
    assert djcheck.runner._fewest_han(text) <= _han(text)
    assert djcheck.runner.not_chinese(djcheck.runner.load_document(str(path))) is None  # reports in Chinese


def test_a_text_mostly_in_english_is_still_told_apart():
    from djcheck.document import Document

    notes = "Meeting notes on 四种形态 and 政治生态: review the draft, then send it to the office by Friday."
    found = djcheck.runner.not_chinese(Document.from_text(notes))
    assert found is not None and found.profile is None
    assert f"{_han(notes)} 个汉字" in found.reason


def test_letters_of_a_long_text_are_counted_a_stretch_at_a_time(monkeypatch):
    """The 汉字 and Latin letters of a long text are counted a stretch at a time, with the same counts
    as on the whole text, also for runs that straddle two stretches."""
    import random
    import re

    from djcheck.document import Document

    notes = "Meeting notes on 四种形态 and 政治生态: review the draft, then send it to the office by Friday. "
    rng = random.Random(7)
    texts = ["".join(rng.choice("ab汉字ü。 \n") for _ in range(rng.randint(0, 50))) for _ in range(500)]
    whole = {t: (djcheck.runner._fewest_han(t), len(re.findall("[A-Za-z]", t)), _han(t)) for t in texts}
    monkeypatch.setattr(djcheck.runner, "LONG_TEXT_STRETCH", 4)
    for text, (fewest, latin, han) in whole.items():
        assert djcheck.runner._fewest_han(text) == fewest, text
        han_runs, latin_runs = djcheck.runner._letter_runs()
        assert djcheck.runner._chars_in_runs(latin_runs, text) == latin, text
        assert djcheck.runner._chars_in_runs(han_runs, text) == han, text
    found = djcheck.runner.not_chinese(Document.from_text(notes * 3))
    assert found is not None and f"{3 * _han(notes)} 个汉字" in found.reason

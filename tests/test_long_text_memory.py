"""Long texts are checked as before while typo-guess, segmentation, the dictionaries and the
author-name and placeholder checks hold less of them at once.

Each text is real report text made long (the samples repeated, the project's typo sentences once
each, so that typo-guess has slips to find), checked whole; its result must be the one djcheck
122d1b2 gave, also with every memory saver set to work at once (stretches of a few characters,
the lexicon starting afresh at each look-up, the whole dictionary after a few keys or never).
"""

from __future__ import annotations

from collections import Counter

import pytest
import yaml

from conftest import FIXTURES, SAMPLES
from djcheck import fastseg, segment, typolex
from djcheck.checks import typo_guess
from djcheck.runner import Session
from longtext import result_digest


def long_text(chars: int, shape: str) -> str:
    """A title, the samples' bodies repeated to about ``chars`` characters with the typo sentences
    (``tests/fixtures/typos``) and a mix of 党组 and 党委 in between, as a report (``report``) or
    all on one line (``line``)."""
    bodies = [f.read_text(encoding="utf-8-sig").split("\n", 1)[-1].strip() for f in sorted(SAMPLES.glob("*.txt"))]
    typos = [t["text"] for t in yaml.safe_load((FIXTURES / "typos" / "typos.yaml").read_text(encoding="utf-8"))["typos"]]
    parts, size, i = [], 0, 0
    while size < chars:
        part = bodies[i % len(bodies)] + "\n" + (typos[i] if i < len(typos) else "") + "局党委会议研究部署XX工作。\n"
        parts.append(part.replace("\n", "") if shape == "line" else part)
        size += len(part)
        i += 1
    return "关于落实全面从严治党主体责任情况的报告\n" + "".join(parts) + "\n"



#: :func:`result_digest` of each text as djcheck 122d1b2 (before this change) checked it. A change
#: that alters results must be deliberate: then recompute these with the code you trust.
BEFORE = {
    "report": "4ce82467cf8286a7",
    "line": "411703243fb1a2ee",
}


def test_the_long_texts_hold_what_the_savers_work_on(tmp_path):
    text = long_text(150_000, "report")
    path = tmp_path / "long.txt"
    path.write_text(text, encoding="utf-8")
    found = Counter(f.rule for f in Session().check(str(path)).findings)
    assert found["typo-guess"] >= 5 and found["doubled-word"] >= 5
    assert found["placeholder"] > 100 and found["author-name"] > 100
    assert len(text) > 2 * max(typo_guess._HITS_STRETCH, segment.SEGMENT_STRETCH)


@pytest.mark.parametrize("shape", sorted(BEFORE))
@pytest.mark.parametrize("savers", ["as-shipped", "all-at-once"])
def test_long_texts_get_the_results_they_got_before(shape, savers, tmp_path, monkeypatch):
    if savers == "all-at-once":
        monkeypatch.setattr(typo_guess, "_HITS_STRETCH", 97)
        monkeypatch.setattr(segment, "SEGMENT_STRETCH", 50)
        monkeypatch.setattr(typolex, "LEXICON_KEEP", 0)
        monkeypatch.setattr(fastseg, "FULL_AFTER_KEYS", 0 if shape == "line" else 10**9)
    segment.reset()  # a segmenter of its own, on demand until FULL_AFTER_KEYS
    try:
        assert result_digest(long_text(150_000, shape), tmp_path) == BEFORE[shape]
    finally:
        segment.reset()

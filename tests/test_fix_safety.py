"""``--fix`` is safe by construction (issue 14 item 6), proved over every text available: the seeds, the
samples, ../shared/corpus (where present) and the variant drafts of tests/fixtures/variants.

For each text, checked and fixed in a temporary copy: (1) outside the replaced spans the text is unchanged;
(2) re-checking the fixed text gives no finding (rule, matched text) that was not there before.
"""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

import pytest

from djcheck.fix import fix_file, verify_fix
from djcheck.model import Finding
from djcheck.runner import Session

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("DJCHECK_SEEDS", ROOT.parent / "shared" / "seeds")).parent


def all_texts() -> list[Path]:
    texts = sorted((ROOT / "samples").rglob("*.txt")) + sorted((ROOT / "tests/fixtures/variants").glob("*.txt"))
    texts += sorted((SHARED / "seeds").glob("*.txt")) + sorted((SHARED / "corpus" / "excerpts").glob("*.txt"))
    return texts


def outside_spans_unchanged(old: str, new: str, applied) -> bool:
    """Rebuild ``new`` from ``old`` line by line with only the applied replacements."""
    lines = old.split("\n")
    for f in sorted(applied, key=lambda f: (f.line, -f.col)):
        line = lines[f.line - 1]
        lines[f.line - 1] = line[: f.col - 1] + (f.suggestion or "") + line[f.end_col - 1 :]
    return "\n".join(lines) == new


@pytest.mark.parametrize("path", all_texts(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_fix_changes_only_its_spans_and_adds_no_finding(path, tmp_path):
    original = path.read_text(encoding="utf-8")
    copy = tmp_path / path.name
    copy.write_text(original, encoding="utf-8")
    session = Session()
    res = session.check(copy)
    assert res.error is None
    done = fix_file(copy, res.findings, profile=res.profile if res.recognised else None)
    fixed = copy.read_text(encoding="utf-8")
    if not done.written:
        assert fixed == original  # nothing to fix, or refused: the file is untouched
        return
    assert outside_spans_unchanged(original, fixed, done.applied)
    before = Counter((f.rule, f.match) for f in res.findings)
    for f in session.check(copy).findings:
        assert before[(f.rule, f.match)] > 0, f"new finding after --fix: {f.rule} {f.match}"
        before[(f.rule, f.match)] -= 1


def test_texts_are_there():
    assert len(all_texts()) >= 40  # samples and variants at least


def test_fix_traps_are_not_rewritten(tmp_path):
    src = ROOT / "tests/fixtures/variants/v31-fix-traps.txt"
    copy = tmp_path / src.name
    copy.write_text(src.read_text(encoding="utf-8"), encoding="utf-8")
    res = Session().check(copy)
    assert not any(f.match == "习总书记" for f in res.findings)  # 学习|总书记 is not 习总书记
    fix_file(copy, res.findings, profile=res.profile)
    fixed = copy.read_text(encoding="utf-8")
    for wrong in ("习近平总书记", "不敢腐", "扫黑除恶", "倡议支点"):
        assert wrong not in fixed


def test_verify_refuses_a_replacement_that_creates_a_finding():
    lines = ["局党组认真部署全年工作。"]
    bad = Finding(rule="typo-words", level="warning", message="", line=1, col=6, end_line=1, end_col=8,
                  match="部署", suggestion="布署", fixable=True)
    new = ["局党组认真布署全年工作。"]
    assert verify_fix(lines, new, [bad], profile="zhuti-zeren")


def test_verify_refuses_a_change_outside_the_spans():
    f = Finding(rule="doubled-word", level="warning", message="", line=1, col=1, end_line=1, end_col=3,
                match="的的", suggestion="的", fixable=True)
    assert verify_fix(["的的确认"], ["的确定"], [f], profile=None)

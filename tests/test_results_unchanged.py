"""Regression guard: every verdict and finding on the seeds, samples and fixture drafts stays as recorded.

Speed work (issue 7 follow-up) must not change what djcheck says. This test
checks every text — the seeds (``../shared/seeds``, skipped with a reason when
absent), ``samples/`` and the drafts under ``tests/fixtures/drafts`` and
``tests/fixtures/genres`` — once with genre detection (as ``djcheck check``
does) and once under each bundled genre pack (``--profile``), and compares the
whole result with ``tests/fixtures/expected-results.json``:

- for the project's own texts checked with detection: the full JSON result
  (checklist ids, statuses, messages, lines, evidence, advice; findings with
  messages, positions, matches, suggestions, offsets and ``fixable``);
- for everything else, and always for the seeds (whose text must not be
  copied into the project): the ids, statuses, lines and positions, plus a
  SHA-256 of each checklist item and finding in full, so any change to a
  message, quotation or evidence line is still caught and located.

A change that alters results must be deliberate. Regenerate the expected data
from the code you trust, then review the diff of the JSON file::

    python tests/test_results_unchanged.py          # rewrites tests/fixtures/expected-results.json

(The data was first generated from main at the merge of issues 2–7, before
the speed work.) A seed whose file changed is skipped with a reason.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if __name__ == "__main__":  # run as a script: make conftest and djcheck importable
    sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "src")]

from conftest import FIXTURES, SAMPLES, SEEDS  # noqa: E402

EXPECTED = FIXTURES / "expected-results.json"


def project_texts() -> dict[str, Path]:
    """The project's own drafts, keyed by their path relative to the repository."""
    found = [
        p
        for folder in (SAMPLES, FIXTURES / "drafts", FIXTURES / "genres")
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.suffix in (".txt", ".md") and not p.stem.lower().startswith("readme")
    ]
    return {p.relative_to(ROOT).as_posix(): p for p in found}


def seed_texts() -> dict[str, Path]:
    """The seeds present, keyed ``seeds/000`` … (file names carry a hash that is not part of the key)."""
    if not SEEDS.is_dir():
        return {}
    return {f"seeds/{p.name[:3]}": p for p in sorted(SEEDS.glob("[0-9][0-9][0-9]_*.txt"))}


def _digest(data) -> str:
    raw = json.dumps(data, ensure_ascii=False, sort_keys=True).encode("utf-8")
    return hashlib.sha256(raw).hexdigest()[:16]


def full_result(res) -> dict:
    """The JSON result (``--format json`` shape) plus each finding's offsets and ``fixable``; path left out."""
    data = res.to_dict()
    data.pop("path")
    for out, f in zip(data["findings"], res.findings, strict=True):
        out.update(start=f.start, end=f.end, fixable=f.fixable)
    return data


def digest_result(res) -> dict:
    """Only ids, statuses and positions in clear; every item and finding as a digest of its full JSON."""
    data = full_result(res)
    return {
        "head": {
            k: data[k]
            for k in ("profile", "recognised", "score", "min_score", "passed", "year", "suppressed", "location_unit")
        },
        "checklist": [[i["id"], i["status"], i["line"], _digest(i)] for i in data["checklist"]],
        "findings": [[f["rule"], f["line"], f["col"], f["end_col"], _digest(f)] for f in data["findings"]],
        "all": _digest(data),
    }


def profiles() -> list[str]:
    from djcheck.runner import bundled_order

    return bundled_order()


def record(key: str, path: Path) -> dict:
    """Everything recorded for one text: its digest, the detected result, the result under each genre pack."""
    from djcheck.runner import Session

    own = not key.startswith("seeds/")
    auto = Session().check(str(path))
    entry = {
        "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
        "auto": full_result(auto) if own else digest_result(auto),
        "profiles": {name: digest_result(Session(profile=name).check(str(path))) for name in profiles()},
    }
    return entry


def regenerate() -> None:
    texts = {**seed_texts(), **project_texts()}
    if not seed_texts():
        sys.exit(f"seeds not found at {SEEDS}: regenerate where ../shared/seeds exists")
    data = {
        "about": "Results recorded by tests/test_results_unchanged.py (see its docstring to regenerate).",
        "texts": {key: record(key, path) for key, path in sorted(texts.items())},
    }
    EXPECTED.write_text(json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {EXPECTED} ({len(texts)} texts × {1 + len(profiles())} runs)")


def _expected() -> dict:
    if not EXPECTED.exists():
        return {}
    return json.loads(EXPECTED.read_text(encoding="utf-8"))["texts"]


def _keys() -> list[str]:
    return sorted(_expected())


def _first_difference(old, new, where="") -> str:
    if isinstance(old, dict) and isinstance(new, dict):
        for k in sorted(set(old) | set(new), key=str):
            if old.get(k, "<absent>") != new.get(k, "<absent>"):
                return _first_difference(old.get(k, "<absent>"), new.get(k, "<absent>"), f"{where}.{k}")
    if isinstance(old, list) and isinstance(new, list):
        for i, (a, b) in enumerate(zip(old, new, strict=False)):
            if a != b:
                return _first_difference(a, b, f"{where}[{i}]")
        if len(old) != len(new):
            return f"{where}: {len(old)} entries recorded, {len(new)} now"
    return f"{where}: recorded {old!r}, now {new!r}"


@pytest.mark.parametrize("key", _keys())
def test_results_unchanged(key):
    expected = _expected()[key]
    if key.startswith("seeds/"):
        path = seed_texts().get(key)
        if path is None:
            pytest.skip(f"种子报告 {key} 不存在（{SEEDS}）：../shared/seeds 只在开发和 CI 环境中提供")
    else:
        path = ROOT / key
    if hashlib.sha256(path.read_bytes()).hexdigest() != expected["sha256"]:
        pytest.skip(f"{key} changed since the results were recorded; regenerate (see the module docstring)")
    got = record(key, path)
    assert got == expected, f"{key}: {_first_difference(expected, got)}"


def test_every_text_is_recorded():
    """A new sample or fixture draft gets recorded too (regenerate after adding one)."""
    assert EXPECTED.exists(), f"{EXPECTED} is missing; regenerate (see the module docstring)"
    missing = sorted(set(project_texts()) - set(_expected()))
    assert not missing, f"not recorded yet: {missing}; regenerate (see the module docstring)"


if __name__ == "__main__":
    regenerate()

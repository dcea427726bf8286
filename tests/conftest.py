"""Shared fixtures: the real seed reports (skipped where ../shared is absent) and helpers."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = Path(os.environ.get("DJCHECK_SEEDS", ROOT.parent / "shared" / "seeds"))
SAMPLES = ROOT / "samples"
FIXTURES = ROOT / "tests" / "fixtures"


def seed_path(prefix: str) -> Path:
    """The seed file whose name starts with ``prefix`` (``"000"``), or skip the test."""
    if not SEEDS.is_dir():
        pytest.skip(f"种子报告目录不存在（{SEEDS}）：../shared/seeds 只在开发和 CI 环境中提供")
    matches = sorted(SEEDS.glob(f"{prefix}_*.txt"))
    if not matches:
        pytest.skip(f"找不到种子报告 {prefix}_*.txt（{SEEDS}）")
    return matches[0]


@pytest.fixture
def seed():
    """``seed("001")`` → path of that seed report."""
    return seed_path


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(autouse=True)
def _inputs_unchanged(request):
    """Every test: the seeds, samples and test fixtures are byte-identical afterwards, and so is every
    input file the test registered with :func:`unchanged` (nothing the user owns is changed)."""
    watched = [p for d in (SEEDS, SAMPLES, FIXTURES) if d.is_dir() for p in sorted(d.rglob("*")) if p.is_file()]
    before = {p: _digest(p) for p in watched}
    registered: dict[Path, str | None] = {}
    request.node._djcheck_unchanged = registered
    yield
    for p, digest in before.items():
        assert p.exists() and _digest(p) == digest, f"{p} was modified"
    for p, digest in registered.items():
        if digest is None:  # a file that must not come into existence (an output refused)
            assert not p.exists(), f"{p} was created"
        else:
            assert p.exists() and _digest(p) == digest, f"{p} was modified"


@pytest.fixture
def unchanged(request):
    """``unchanged(path, ...)`` → the paths; each must be byte-identical (or still absent) when the test ends.

    Use it for the input files a test builds in ``tmp_path``: the check must never write them.
    """

    def register(*paths):
        for p in paths:
            p = Path(p)
            if p.is_file():
                request.node._djcheck_unchanged[p] = _digest(p)
            elif not p.exists():
                request.node._djcheck_unchanged[p] = None
        return paths[0] if len(paths) == 1 else paths

    return register

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


@pytest.fixture(autouse=True)
def _inputs_unchanged():
    """Every test: the seeds and samples are byte-identical afterwards (nothing the user owns is changed)."""
    watched = [p for d in (SEEDS, SAMPLES) if d.is_dir() for p in sorted(d.rglob("*")) if p.is_file()]
    before = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in watched}
    yield
    for p, digest in before.items():
        assert p.exists() and hashlib.sha256(p.read_bytes()).hexdigest() == digest, f"{p} was modified"

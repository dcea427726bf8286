"""The bundled samples: the good draft passes, each defect draft fails for its own reason."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

import djcheck
from conftest import SAMPLES
from djcheck.cli import app


def items(name):
    res = djcheck.check_file(SAMPLES / name, profile="zhuti-zeren")
    assert res.error is None
    return {i.id: i.status for i in res.checklist}, res


def test_good_report_passes():
    got, res = items("good-report.txt")
    assert res.passed and all(s == "ok" for s in got.values()), got


@pytest.mark.parametrize(
    "name, expected",
    [
        ("missing-problems-and-next-steps.txt", {"problems": "missing", "next-steps": "missing", "structure": "missing"}),
        ("token-problems.txt", {"problems": "weak", "structure": "weak", "four-forms": "weak", "next-steps": "ok"}),
        ("template-leftovers.txt", {"placeholder": "missing", "structure": "ok"}),
    ],
)
def test_defect_drafts_fail_for_their_reason(name, expected):
    got, res = items(name)
    assert res.passed is False
    for rule_id, status in expected.items():
        assert got[rule_id] == status, (rule_id, got[rule_id])


def test_main_job_exit_code_on_top_level_samples():
    files = sorted(str(p) for p in SAMPLES.glob("*.txt"))
    result = CliRunner().invoke(app, ["check", *files, "--format", "plain"])
    assert result.exit_code == 1
    assert "good-report.txt: 得分 100/100" in result.stdout

"""Core checklist verdicts on the five real seed reports (../shared/seeds/EXPECTED.md)."""

from __future__ import annotations

import pytest

import djcheck


def statuses(path, profile="zhuti-zeren"):
    res = djcheck.check_file(path, profile=profile)
    assert res.error is None, res.error
    return {item.id: item.status for item in res.checklist}, res


@pytest.mark.parametrize(
    "prefix, expected",
    [
        ("000", {"structure": "ok", "zhuti-zeren": "ok", "problems": "ok", "next-steps": "ok", "four-forms": "weak"}),
        ("001", {"structure": "ok", "zhuti-zeren": "ok", "problems": "ok", "next-steps": "ok", "four-forms": "weak"}),
        ("002", {"structure": "missing", "zhuti-zeren": "ok", "problems": "missing", "next-steps": "missing",
                 "four-forms": "ok"}),
        ("003", {"structure": "weak", "zhuti-zeren": "ok", "problems": "weak", "next-steps": "ok"}),
        ("004", {"structure": "missing", "zhuti-zeren": "missing", "four-forms": "missing",
                 "problems": "missing", "next-steps": "missing"}),
    ],
)
def test_design_card_verdicts(seed, prefix, expected):
    got, _ = statuses(seed(prefix))
    for rule_id, status in expected.items():
        assert got[rule_id] == status, f"{prefix} {rule_id}: {got[rule_id]} != {status}"


def test_seed_000_passes_and_001_fails_on_placeholders(seed):
    _, res = statuses(seed("000"))
    assert res.passed and res.score >= res.min_score
    got, res = statuses(seed("001"))
    assert got["placeholder"] == "missing" and res.passed is False


def test_001_next_steps_found_under_zhenggai_fangxiang(seed):
    _, res = statuses(seed("001"))
    item = next(i for i in res.checklist if i.id == "structure")
    assert "第16行" in item.message  # 四、整改方向


def test_003_parts_announced_inside_last_paragraph(seed):
    doc = djcheck.load_document(seed("003"))
    pack = djcheck.load_pack("zhuti-zeren")
    from djcheck.parts import find_parts

    parts = find_parts(doc, pack.parts)
    problems, next_steps = parts.get("problems"), parts.get("next_steps")
    assert problems.via == next_steps.via == "lead-in"
    assert problems.line == next_steps.line == 9
    assert doc.text[next_steps.start:].startswith("下一步，我们将")
    assert "还存在一些差距和不足" in doc.text[problems.start:problems.end]


def test_finding_positions_point_at_the_text(seed):
    path = seed("004")
    lines = path.read_text(encoding="utf-8").split("\n")
    _, res = statuses(path)
    placeholders = [f for f in res.findings if f.rule == "placeholder"]
    assert len(placeholders) >= 20
    for f in placeholders:
        line = lines[f.line - 1]
        assert line[f.col - 1:f.end_col - 1] == f.match
        assert set(f.match) <= {"*", "＊"}


def test_checklist_line_points_at_part_heading(seed):
    path = seed("000")
    lines = path.read_text(encoding="utf-8").split("\n")
    _, res = statuses(path)
    problems = next(i for i in res.checklist if i.id == "problems")
    assert lines[problems.line - 1].startswith("二、存在的问题")
    four = next(i for i in res.checklist if i.id == "four-forms")
    assert "四种形态" in lines[four.line - 1]

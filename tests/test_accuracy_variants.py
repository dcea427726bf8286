"""Issue 14: verdicts that hold on the variety of real drafts (tests/fixtures/variants, written for this project).

Each test reads a variant draft of one class (labels in tests/fixtures/variants/labels.yaml) and checks the
behaviour a reviewer expects of that class.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from djcheck.runner import Session

VARIANTS = Path(__file__).parent / "fixtures" / "variants"
LABELS = yaml.safe_load((VARIANTS / "labels.yaml").read_text(encoding="utf-8"))


def check(name: str, **options):
    res = Session(**options).check(VARIANTS / name)
    assert res.error is None, res.error
    return res


def matches(res, rule: str) -> list[str]:
    return [f.match for f in res.findings if f.rule == rule]


# -- hygiene on every text -------------------------------------------------------------------------
def test_notice_is_not_a_report_but_its_placeholders_are_reported():
    res = check("v18-notice.txt")
    assert not res.recognised and res.score is None
    assert res.profile_reason  # says why it is not scored
    found = matches(res, "placeholder")
    assert any("XX" in m for m in found)
    assert res.passed is False  # a leftover placeholder is a defect in any document


def test_unrecognised_text_without_error_findings_is_not_judged():
    res = check("v17-speech.txt")
    assert not res.recognised and res.passed is None
    assert all(f.level != "error" for f in res.findings)


def test_plain_report_lists_findings_of_an_unrecognised_text():
    import io

    from djcheck.report import plain

    res = check("v18-notice.txt")
    out = io.StringIO()
    plain.write([res], out)
    text = out.getvalue()
    assert "未识别为支持的报告类型" in text and "placeholder" in text and "不通过" in text


# -- genre ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", sorted(n for n, lab in LABELS.items() if "genre" in lab))
def test_genre_of_each_variant(name):
    want = LABELS[name]["genre"]
    res = check(name)
    assert res.profile_reason  # every decision keeps its reason
    if want is None:
        assert not res.recognised, res.profile_reason
    elif want == "any":
        assert res.recognised, res.profile_reason
    else:
        assert res.recognised and res.profile == want, res.profile_reason


def test_wrapped_title_is_matched_whole():
    from djcheck.document import Document
    from djcheck.genre import title_lines, title_zone

    doc = Document.from_text("县财政局领导班子2025年度民主生活会对照检\n查材料\n根据县委要求，现将对照检查情况报告如下。\n")
    assert "县财政局领导班子2025年度民主生活会对照检查材料" in title_zone(title_lines(doc))


def test_title_run_into_first_heading_is_a_title():
    from djcheck.document import Document
    from djcheck.genre import title_lines

    doc = Document.from_text("市水利局党组2025年度党风廉政建设工作总结一、主要做法，全年召开专题会议6次。\n")
    assert title_lines(doc) == ["市水利局党组2025年度党风廉政建设工作总结"]


def test_duizhao_jiancha_as_a_verb_is_not_the_genre_name():
    res = check("v19-duizhao-verb.txt")
    assert res.profile == "zhuti-zeren"
    assert "对照检查" not in res.profile_reason.split("；")[0]

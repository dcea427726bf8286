"""Inline suppression markers: Markdown comments and 【】 lines; counted, never silently dropped."""

from __future__ import annotations

import json

from typer.testing import CliRunner

import djcheck
from conftest import SAMPLES
from djcheck.cli import app
from djcheck.suppress import parse_marker, scan

runner = CliRunner()
GOOD = (SAMPLES / "good-report.txt").read_text(encoding="utf-8")
LINES = GOOD.split("\n")


def draft(tmp_path, lines, name="r.txt"):
    p = tmp_path / name
    p.write_text("\n".join(lines), encoding="utf-8")
    return p


def with_placeholders(lines, at):
    """``lines`` with “**” written into the given 0-based lines (after their first character)."""
    return [ln[:1] + "**" + ln[1:] if i in at else ln for i, ln in enumerate(lines)]


def placeholder_lines(res):
    return sorted(f.line for f in res.findings if f.rule == "placeholder")


def test_markdown_markers_suppress_between_and_count(tmp_path):
    base = with_placeholders(LINES, {6, 8, 14})
    lines = base[:6] + ["<!-- djcheck-disable placeholder: 样稿保留“**”作示例 -->"] + base[6:9] + ["<!-- djcheck-enable -->"] + base[9:]
    res = djcheck.check_file(draft(tmp_path, lines, "r.md"))
    # line 7 (marker) .. line 11 (enable): the placeholders on draft lines 8 and 10 are suppressed; 17 is not
    assert placeholder_lines(res) == [17]
    assert res.suppressed == 2
    assert res.suppressions == [
        {"rule": "placeholder", "line": 7, "end_line": 11, "reason": "样稿保留“**”作示例", "count": 2}
    ]
    data = json.loads(runner.invoke(app, ["check", str(tmp_path / "r.md"), "-f", "json"]).stdout)["files"][0]
    assert data["suppressed"] == 2 and data["suppressions"][0]["reason"] == "样稿保留“**”作示例"
    plain = runner.invoke(app, ["check", str(tmp_path / "r.md"), "-f", "plain"]).stdout
    assert "已按文中标记忽略 2 处" in plain


def test_plain_text_markers_and_positions_are_unchanged(tmp_path):
    base = with_placeholders(LINES, {8, 14})
    unsuppressed = djcheck.check_file(draft(tmp_path, base, "a.txt"))
    lines = base[:8] + ["【djcheck-disable placeholder：示例数字待统计后补】"] + base[8:]
    res = djcheck.check_file(draft(tmp_path, lines, "b.txt"))
    assert res.suppressed == 2 and placeholder_lines(res) == []  # no enable: to the end of the text
    assert placeholder_lines(unsuppressed) == [9, 15]
    # Chinese keywords, half-width brackets; an enable in between ends the stretch
    lines = base[:8] + ["[忽略检查 placeholder]"] + base[8:10] + ["【恢复检查】"] + base[10:]
    res = djcheck.check_file(draft(tmp_path, lines, "c.txt"))
    assert res.suppressed == 1 and placeholder_lines(res) == [17]
    f = next(f for f in res.findings if f.rule == "placeholder")
    assert lines[f.line - 1][f.col - 1 : f.end_col - 1] == "**"


def test_whole_text_item_suppressed_only_when_named(tmp_path):
    no_forms = [ln for ln in LINES if "四种形态" not in ln]
    plain = djcheck.check_file(draft(tmp_path, no_forms, "a.txt"))
    assert {i.id: i.status for i in plain.checklist}["four-forms"] == "missing"
    lines = no_forms[:2] + ["【djcheck-disable four-forms：本单位上半年未处理任何人】"] + no_forms[2:]
    res = djcheck.check_file(draft(tmp_path, lines, "b.txt"))
    assert "four-forms" not in [i.id for i in res.checklist]
    assert res.suppressed == 1 and res.suppressions[0]["rule"] == "four-forms"
    assert res.score > plain.score
    # a marker without rule ids covers located findings only, never a whole-text element
    lines = no_forms[:2] + ["【djcheck-disable】"] + no_forms[2:]
    res = djcheck.check_file(draft(tmp_path, lines, "c.txt"))
    assert {i.id: i.status for i in res.checklist}["four-forms"] == "missing" and res.suppressed == 0


def test_marker_lines_are_not_report_text(tmp_path):
    no_forms = [ln for ln in LINES if "四种形态" not in ln]
    # the marker's own words (四种形态, XX) neither satisfy a rule nor trigger one
    lines = no_forms[:2] + ["【djcheck-disable zhuti-zeren：四种形态 处理XX人次】"] + no_forms[2:]
    clean, sup = scan(djcheck.Document.from_text("\n".join(lines)))
    assert len(sup.markers) == 1 and "四种形态" not in clean.text and len(clean.text) == len("\n".join(lines))
    lines = no_forms[:2] + ["<!-- djcheck-disable zhuti-zeren: 四种形态处理XX人次 -->"] + no_forms[2:]
    res = djcheck.check_file(draft(tmp_path, lines, "r.md"))
    assert {i.id: i.status for i in res.checklist}["four-forms"] == "missing"
    assert placeholder_lines(res) == []


def test_unknown_rule_in_marker_is_reported(tmp_path):
    lines = LINES[:2] + ["【djcheck-disable four-form：拼错了】"] + LINES[2:]
    res = djcheck.check_file(draft(tmp_path, lines))
    warn = [f for f in res.findings if f.rule == "djcheck-disable"]
    assert len(warn) == 1 and warn[0].line == 3 and "four-form" in warn[0].message
    assert res.suppressed == 0


def test_parse_marker_forms():
    m = parse_marker("<!-- djcheck-disable placeholder, four-forms: 样稿 -->", 4)
    assert m.disable and m.rules == ("placeholder", "four-forms") and m.reason == "样稿" and m.line == 4
    m = parse_marker("  【djcheck-enable】", 9)
    assert not m.disable and m.rules == ()
    assert parse_marker("【具体举措】", 1) is None
    assert parse_marker("本段落提到 djcheck-disable 但不是标记。", 1) is None

"""``--fix`` / ``--diff``: safe replacements only, original encoding and line endings, atomic, untouched when clean."""

from __future__ import annotations

import os

import pytest
from typer.testing import CliRunner

import djcheck
from djcheck.cli import app
from djcheck.errors import InputError
from djcheck.fix import fix_file

runner = CliRunner()

DRAFT = [
    "2024年上半年，局党组认真布署全面从严治党工作，全面加强党风廉政建建设。",
    "组织全员深入贯彻上级会议精神,并编制分解表(部门)，统筹做好新冠肺炎疫情防控。",
    "截止2024年6月底，开展谈话**次，坚决做到做到红线不触...",
]
FIXED = [
    "2024年上半年，局党组认真部署全面从严治党工作，全面加强党风廉政建设。",
    "组织全员深入贯彻上级会议精神，并编制分解表（部门），统筹做好新冠肺炎疫情防控。",
    "截止2024年6月底，开展谈话**次，坚决做到红线不触……",
]


def write(tmp_path, lines, *, encoding="utf-8", newline="\n", bom=b"", name="draft.txt"):
    p = tmp_path / name
    p.write_bytes(bom + newline.join(lines).encode(encoding) + newline.encode(encoding))
    return p


@pytest.mark.parametrize(
    "encoding, bom, newline",
    [("utf-8", b"", "\n"), ("utf-8", b"\xef\xbb\xbf", "\r\n"), ("gb18030", b"", "\r\n"), ("utf-16-le", b"\xff\xfe", "\n")],
)
def test_fix_keeps_encoding_and_line_endings(tmp_path, encoding, bom, newline):
    p = write(tmp_path, DRAFT, encoding=encoding, newline=newline, bom=bom)
    res = djcheck.check_file(p, profile="zhuti-zeren")
    done = fix_file(p, res.findings)
    assert done.written
    data = p.read_bytes()
    assert data.startswith(bom)
    assert data[len(bom) :].decode(encoding) == newline.join(FIXED) + newline
    # Context suggestions (截止), outdated terms and placeholders were left alone.
    left = {f.rule for f in djcheck.check_file(p, profile="zhuti-zeren").findings}
    assert left == {"typo-words", "outdated-term", "placeholder"}
    assert {f.rule for f in done.applied} == {"typo-words", "doubled-word", "punctuation"}


def test_mixed_line_endings_survive(tmp_path):
    p = tmp_path / "mixed.txt"
    p.write_bytes("加强党风廉政建建设。\r\n第二行,内容。\n第三行\r".encode())
    fix_file(p, djcheck.check_file(p, profile="zhuti-zeren").findings)
    assert p.read_bytes() == "加强党风廉政建设。\r\n第二行，内容。\n第三行\r".encode()


def test_diff_shows_and_writes_nothing(tmp_path):
    p = write(tmp_path, DRAFT)
    before = p.read_bytes()
    done = fix_file(p, djcheck.check_file(p, profile="zhuti-zeren").findings, write=False)
    assert not done.written and p.read_bytes() == before
    assert "-2024年上半年，局党组认真布署" in done.diff and "+2024年上半年，局党组认真部署" in done.diff


def test_clean_file_is_not_touched(tmp_path):
    p = write(tmp_path, ["今年以来，局党组认真部署全面从严治党工作，开展谈话**次。"])
    stamp = 1_600_000_000
    os.utime(p, (stamp, stamp))
    done = fix_file(p, djcheck.check_file(p, profile="zhuti-zeren").findings)
    assert not done.written and done.diff == "" and p.stat().st_mtime == stamp


def test_stale_findings_are_skipped(tmp_path):
    p = write(tmp_path, DRAFT)
    findings = djcheck.check_file(p, profile="zhuti-zeren").findings
    p.write_text("全新的内容，认真布署工作。\n", encoding="utf-8")
    done = fix_file(p, findings)
    assert p.read_text(encoding="utf-8") == "全新的内容，认真布署工作。\n"
    assert not done.written and done.skipped


def test_unsupported_file_type(tmp_path):
    p = tmp_path / "draft.docx"
    p.write_bytes(b"PK\x03\x04")
    with pytest.raises(InputError, match="只能自动修改"):
        fix_file(p, [])


def test_cli_fix_writes_then_reports_what_is_left(tmp_path):
    p = write(tmp_path, DRAFT)
    result = runner.invoke(app, ["check", str(p), "--fix", "-f", "plain", "-p", "zhuti-zeren"])
    assert p.read_text(encoding="utf-8") == "\n".join(FIXED) + "\n"
    assert "已修改" in result.stderr
    assert "第1行 第15列：“布署” → “部署”" in result.stderr  # --fix lists what it changed
    assert "doubled-word" not in result.stdout and "placeholder" in result.stdout
    assert result.exit_code == 1  # the placeholder is still there
    leftovers = list(tmp_path.iterdir())
    assert leftovers == [p]  # no temporary file left behind


def test_cli_diff_does_not_write(tmp_path):
    p = write(tmp_path, DRAFT)
    before = p.read_bytes()
    result = runner.invoke(app, ["check", str(p), "--diff", "-p", "zhuti-zeren"])
    assert result.exit_code == 1
    # only the changed words with their place and a little context, not whole lines
    assert "第1行 第15列：“布署” → “部署”（…半年，局党组认真部署全面从严治党工作…）" in result.stdout
    assert "“做到做到” → “做到”" in result.stdout
    assert "+++" not in result.stdout and "\x1b[" not in result.stdout  # no colour when not a terminal
    assert p.read_bytes() == before
    clean = write(tmp_path, ["局党组认真部署工作。"], name="clean.txt")
    result = runner.invoke(app, ["check", str(clean), "--diff", "-p", "zhuti-zeren"])
    assert result.exit_code == 0 and result.stdout == ""


def test_changes_are_described_with_place_words_and_colour_on_request():
    from djcheck.fix import describe_changes, planned_fixes

    line = "党委坚持把党的政治建设摆在首位,全年召开党委会研究党建工作12次，持续加强建建设基层组织。"
    col = line.index(",") + 1
    dup = line.index("建建设") + 1
    findings = [
        djcheck.Finding("punctuation", "warning", "", 7, col, 7, col + 1, ",", "，", fixable=True),
        djcheck.Finding("doubled-word", "error", "", 7, dup, 7, dup + 3, "建建设", "建设", fixable=True),
        djcheck.Finding("typo-words", "warning", "", 7, 1, 7, 3, "党委", "党组", fixable=False),  # a suggestion
    ]
    lines = [""] * 6 + [line]
    plain = describe_changes(planned_fixes(findings), lines, unit="段")
    assert plain == [
        f"第7段 第{col}列：“,” → “，”（…政治建设摆在首位，全年召开党委会研…）",
        f"第7段 第{dup}列：“建建设” → “建设”（…12次，持续加强建设基层组织。）",
    ]
    coloured = describe_changes(planned_fixes(findings), lines, color=True)
    assert "\x1b[31;9m“,”\x1b[0m → \x1b[32;1m“，”\x1b[0m" in coloured[0] and coloured[0].startswith("第7行")

"""Issue 18 (a new user's first hour): Word users' words, why a file fails, any console, Chinese names.

The drafts are written here for these tests (varied, invented offices and figures).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest

from djcheck.model import in_units, location_unit, place
from djcheck.runner import Session
from docxutil import text_to_docx

#: A 主体责任 report of an invented bureau with two template leftovers (XX) in paragraphs 1 and 4,
#: a doubled word in paragraph 6, and 四种形态 without figures.
DRAFT = """中共XX县农机服务中心党支部2025年落实全面从严治党主体责任情况报告
2025年，中心党支部坚持以习近平新时代中国特色社会主义思想为指导，认真履行管党治党政治责任，现将有关情况报告如下。
一、履行主体责任情况
（一）压实责任链条。支部书记与XX名班子成员签订责任书，召开专题会议4次，研究解决农机补贴发放中的问题。
（二）加强纪律教育。组织警示教育3场，参加人员共计126人次，运用监督执纪“四种形态”，抓早抓小。
（三）深化作风建设。整治形式主义、官僚主义问题，精简会议文件，基层减负减负成效明显。
二、存在的问题
（一）对下属服务站的日常监督还不够到位，2025年抽查的6个站点中有2个站点台账不全。
（二）廉政风险排查不够深入，补贴审核环节的防控措施落实不细。
三、下一步打算
（一）由支部书记牵头，2026年6月底前完成全部服务站台账核查。
（二）由纪检委员负责，2026年3月底前修订补贴审核廉政风险防控办法。
"""


@pytest.fixture
def word_draft(tmp_path):
    """The draft as a .docx (paragraph n = line n of DRAFT)."""
    return text_to_docx(DRAFT, tmp_path / "农机中心报告.docx")


@pytest.fixture
def text_draft(tmp_path):
    path = tmp_path / "农机中心报告.txt"
    path.write_text(DRAFT, encoding="utf-8")
    return path


def _djcheck(*args, env_extra=None, cwd=None):
    env = {**os.environ, "NO_COLOR": "1", **(env_extra or {})}
    return subprocess.run(
        [sys.executable, "-m", "djcheck", *args], capture_output=True, env=env, cwd=cwd, timeout=300
    )


# ── Item 3: 第N段 for Word ────────────────────────────────────────────────────────────────


def test_location_unit_is_decided_by_the_document_kind():
    assert location_unit("docx") == location_unit("pdf") == "paragraph"
    assert location_unit("text") == "line"
    assert place(9, "paragraph") == "第9段" and place(9, "line") == "第9行"


def test_in_units_rewrites_references_but_not_quoted_draft_text():
    message = "提到“四种形态”1 次（第8行），“见第3行附件”出现在第 2、5 行"
    assert in_units(message, "paragraph") == "提到“四种形态”1 次（第8段），“见第3行附件”出现在第 2、5 段"
    assert in_units(message, "line") == message


def test_word_draft_says_paragraph_everywhere(word_draft):
    res = Session().check(str(word_draft))
    assert res.location_unit == "paragraph"
    texts = [i.message for i in res.checklist] + [e for i in res.checklist for e in i.evidence]
    texts += [f.message for f in res.findings] + res.notes
    assert any("段" in t and "第" in t for t in texts)
    assert not [t for t in texts if re.search(r"第\s*\d+\s*行|“行”", t)]


def test_text_draft_keeps_lines(text_draft):
    res = Session().check(str(text_draft))
    texts = [i.message for i in res.checklist] + [f.message for f in res.findings]
    assert res.location_unit == "line" and any(re.search(r"第\d+行", t) for t in texts)


def test_word_draft_formats_say_paragraph(word_draft, tmp_path):
    for fmt in ("plain", "json", "html", "rich", "github"):
        out = _djcheck("check", str(word_draft), "-f", fmt)
        text = out.stdout.decode("utf-8")
        assert out.returncode == 1, (fmt, out.stderr.decode())
        assert re.search(r"第\d+段|位置单位：段", text), fmt
        assert not re.search(r"第\d+行", text), fmt


def test_annotated_summary_comment_says_paragraph(word_draft, tmp_path):
    from djcheck.annotate import summary_text

    res = Session().check(str(word_draft))
    summary = summary_text(res)
    assert "第N行" not in summary and "行）" not in summary
    assert "未通过：有错误级问题未解决（" in summary


# ── Item 3: every failing file says why ──────────────────────────────────────────────────


def test_fail_reasons_name_the_blocking_items_with_counts(text_draft):
    res = Session().check(str(text_draft))
    assert res.passed is False
    blocking = res.fail_reasons[0]
    assert blocking.startswith("有错误级问题未解决（")
    placeholders = sum(1 for f in res.findings if f.rule == "placeholder")
    assert placeholders == 2
    assert f"占位符 {placeholders} 处" in blocking
    assert res.verdict_text().startswith("未通过：有错误级问题未解决")


def test_low_score_reason(text_draft):
    res = Session(min_score=99.5).check(str(text_draft))
    assert any(r.startswith("得分低于合格线") for r in res.fail_reasons)
    passing = Session(min_score=0).check(str(text_draft))
    assert not any(r.startswith("得分低于合格线") for r in passing.fail_reasons)


def test_a_passing_file_has_no_reasons(tmp_path):
    clean = DRAFT.replace("XX县", "临川县").replace("XX名", "5名").replace("减负减负", "减负")
    path = tmp_path / "定稿.txt"
    path.write_text(clean, encoding="utf-8")
    res = Session(min_score=0).check(str(path))
    assert res.passed and res.fail_reasons == [] and res.verdict_text() == "通过"


def test_fail_on_warning_says_why(text_draft, tmp_path):
    clean = DRAFT.replace("XX县", "临川县").replace("XX名", "5名").replace("减负减负", "减负")
    path = tmp_path / "定稿.txt"
    path.write_text(clean, encoding="utf-8")
    assert Session(min_score=0).check(str(path)).passed  # passes at the default --fail-on error
    res = Session(min_score=0, fail_on="warning").check(str(path))
    assert res.passed is False  # a thin 存在的问题 part is a weak item
    assert res.fail_reasons and all(r.startswith("有警告级以上问题未解决（") for r in res.fail_reasons)
    weak = [i.short_title for i in res.checklist if i.status != "ok" and i.level in ("error", "warning")]
    assert weak and all(name in res.fail_reasons[0] for name in weak)


def test_every_format_says_why_a_file_fails(text_draft):
    for fmt in ("plain", "rich", "github", "html", "csv"):
        out = _djcheck("check", str(text_draft), "-f", fmt)
        assert out.returncode == 1
        assert "有错误级问题未解决" in out.stdout.decode("utf-8"), fmt
    data = json.loads(_djcheck("check", str(text_draft), "-f", "json").stdout)
    assert data["files"][0]["fail_reasons"][0].startswith("有错误级问题未解决（")
    sarif = json.loads(_djcheck("check", str(text_draft), "-f", "sarif").stdout)
    props = sarif["runs"][0]["artifacts"][0]["properties"]
    assert props["failReasons"] == data["files"][0]["fail_reasons"]


# ── Item 2: any console ──────────────────────────────────────────────────────────────────


def test_marks_follow_the_encoding():
    from djcheck.report.console import marks_for, substitute

    assert marks_for("utf-8") == {"ok": "✔", "weak": "⚠", "missing": "✖"}
    assert marks_for("gbk") == {"ok": "√", "weak": "△", "missing": "×"}
    assert marks_for("cp936") == marks_for("gb18030".replace("gb18030", "gbk"))
    assert marks_for("ascii") == {"ok": "v", "weak": "!", "missing": "x"}
    assert substitute("党", "ascii") == "?" and substitute("党", "gbk") == "党"


def test_fit_keeps_json_data_exact_in_any_encoding():
    from djcheck.report.console import fit

    text = json.dumps({"message": "✖ 缺少“存在的问题”↔ 😀"}, ensure_ascii=False)
    for encoding in ("gbk", "ascii", "latin-1", "utf-8"):
        raw = fit(text, "json", encoding)
        assert json.loads(raw.decode(encoding)) == json.loads(text), encoding


@pytest.mark.parametrize("fmt", ["plain", "rich", "github", "json", "sarif", "csv", "html"])
def test_gbk_console_piped_every_format(text_draft, fmt):
    """``PYTHONIOENCODING=gbk djcheck check 报告.txt -f FMT | more``: no crash, and output the console can show."""
    out = _djcheck("check", str(text_draft), "-f", fmt, env_extra={"PYTHONIOENCODING": "gbk"})
    err = out.stderr.decode("gbk")
    assert out.returncode == 1, err
    assert "内部错误" not in err and "Error" not in err
    if fmt in ("html", "csv"):  # files with a declared encoding: UTF-8 whatever the console
        text = out.stdout.decode("utf-8")
        assert "有错误级问题未解决" in text
        return
    text = out.stdout.decode("gbk")  # strict: every byte is GBK
    if fmt in ("json", "sarif"):
        utf8 = _djcheck("check", str(text_draft), "-f", fmt, env_extra={"PYTHONIOENCODING": "utf-8"})
        assert json.loads(text) == json.loads(utf8.stdout.decode("utf-8"))
        return
    assert "有错误级问题未解决" in text
    assert "✖" not in text and "⚠" not in text and "✔" not in text
    assert "△" in text  # the weak items (a thin 存在的问题 …)


def test_gbk_console_folder_table_and_rule_commands(tmp_path, text_draft):
    (tmp_path / "第二份.txt").write_text(DRAFT.replace("减负减负", "减负"), encoding="utf-8")
    gbk = {"PYTHONIOENCODING": "gbk"}
    table = _djcheck("check", str(tmp_path), "-f", "rich", env_extra=gbk)
    assert table.returncode == 1 and "× 缺失项" in table.stdout.decode("gbk")
    for args in (["rules", "list"], ["rules", "test"], ["explain", "placeholder"], ["--help"]):
        out = _djcheck(*args, env_extra=gbk)
        assert out.returncode == 0, (args, out.stderr.decode("gbk"))
        out.stdout.decode("gbk")


def test_ascii_console_does_not_crash(text_draft):
    out = _djcheck("check", str(text_draft), "-f", "plain", env_extra={"PYTHONIOENCODING": "ascii"})
    assert out.returncode == 1
    text = out.stdout.decode("ascii")
    assert " x " in text or " ! " in text


# ── Item 6: Chinese names everywhere ─────────────────────────────────────────────────────


def test_match_names_prefers_an_exact_name_then_containment():
    from djcheck.pack import match_names

    named = [
        ("zhuti-zeren", ["落实全面从严治党主体责任情况报告", "主体责任报告"]),
        ("jiandu-zeren", ["落实监督责任情况报告", "监督责任报告"]),
        ("four-forms", ["运用监督执纪“四种形态”", "四种形态"]),
        ("four-forms-sum", ["“四种形态”数据相加一致", "形态数据相加"]),
    ]
    assert match_names("监督责任", named) == ["jiandu-zeren"]
    assert match_names("四种形态", named) == ["four-forms"]  # exact short name wins
    assert match_names("“四种形态”数据", named) == ["four-forms-sum"]  # quotes ignored
    assert match_names("报告", named) == ["zhuti-zeren", "jiandu-zeren"]
    assert match_names("纪律处分", named) == [] and match_names("  ", named) == []


def test_profile_by_chinese_name(text_draft):
    data = json.loads(_djcheck("check", str(text_draft), "-f", "json", "--profile", "监督责任").stdout)
    assert data["files"][0]["profile"] == "jiandu-zeren"
    assert "--profile 监督责任" in data["files"][0]["profile_reason"]
    vague = _djcheck("check", str(text_draft), "--profile", "报告")
    assert vague.returncode == 2
    err = vague.stderr.decode("utf-8")
    assert "对应多个规则包" in err and "jiandu-zeren" in err and "Traceback" not in err


def test_explain_by_chinese_name():
    out = _djcheck("explain", "四种形态")
    assert out.returncode == 0 and out.stdout.decode("utf-8").startswith("four-forms ")
    vague = _djcheck("explain", "形态")
    assert vague.returncode == 2 and "对应多条规则" in vague.stderr.decode("utf-8")


def test_checklist_shows_rule_and_pack_ids(text_draft):
    out = _djcheck("check", str(text_draft), "-f", "rich").stdout.decode("utf-8")
    assert "［落实全面从严治党主体责任情况报告］ zhuti-zeren" in out
    assert re.search(r"模板占位符\S* placeholder", out)


def test_mistyped_command_in_chinese_with_a_suggestion():
    out = _djcheck("chek", "报告.txt")
    assert out.returncode == 2
    assert out.stderr.decode("utf-8").startswith("djcheck：没有“chek”这个命令，是不是要用 check？")
    sub = _djcheck("rules", "lsit")
    assert "是不是要用 list？" in sub.stderr.decode("utf-8")
    opt = _djcheck("check", "--fromat", "json", "报告.txt")
    assert "没有 --fromat 这个选项，是不是要用 --format？" in opt.stderr.decode("utf-8")


def test_plain_djcheck_prints_its_help_once():
    out = _djcheck()
    assert out.stdout.decode("utf-8").count("用法：") == 1
    assert "check" in out.stdout.decode("utf-8")


def test_help_is_not_mangled_by_markup():
    out = _djcheck("check", "--help", env_extra={"COLUMNS": "200"}).stdout.decode("utf-8")
    assert "djcheck[pdf]" in out and "\\[" not in out
    missing = _djcheck("check").stderr.decode("utf-8")
    assert "djcheck[pdf]" in missing and "\\[" not in missing


# ── Item 7: folders ──────────────────────────────────────────────────────────────────────

#: An English notes file with a few Chinese terms and Markdown headings, left in a drafts folder.
NOTES = """# Notes for the 政治生态 report

## To do
- Ask the discipline office for the 四种形态 figures (first and second form).
- The 存在的问题 section is too thin; add the audit cases from March.

## Sources
- Last year's 政治生态分析研判报告 is on the shared drive; compare its 主要特征 part.

## Meeting
Thursday 10am with the branch secretary about 整改方向 and deadlines.
"""


@pytest.fixture
def drafts_folder(tmp_path):
    folder = tmp_path / "草稿"
    folder.mkdir()
    clean = DRAFT.replace("XX县", "临川县").replace("XX名", "5名").replace("减负减负", "减负")
    (folder / "定稿.txt").write_text(clean, encoding="utf-8")
    (folder / "初稿.txt").write_text(DRAFT, encoding="utf-8")
    (folder / "notes.md").write_text(NOTES, encoding="utf-8")
    return folder


def test_english_notes_are_not_a_report(drafts_folder):
    res = Session().check(str(drafts_folder / "notes.md"))
    assert res.recognised is False and res.score is None and res.passed is None
    assert "汉字只占文字的" in res.profile_reason
    # a Chinese draft is still detected, and a pack given on purpose still checks the notes
    assert Session().check(str(drafts_folder / "定稿.txt")).recognised
    forced = Session(profile="政治生态").check(str(drafts_folder / "notes.md"))
    assert forced.recognised and forced.profile == "zhengzhi-shengtai"


def test_notes_do_not_fail_the_batch(drafts_folder):
    (drafts_folder / "初稿.txt").unlink()
    out = _djcheck("check", str(drafts_folder), "-f", "csv", "--min-score", "0")
    assert out.returncode == 0, out.stdout.decode("utf-8")
    rows = out.stdout.decode("utf-8").splitlines()
    notes_row = next(r for r in rows if "notes.md" in r)
    assert ",未识别," in notes_row


def test_folder_html_starts_with_the_worst_first_summary(drafts_folder, tmp_path):
    out = tmp_path / "汇总.html"
    run = _djcheck("check", str(drafts_folder), "-o", str(out))
    assert run.returncode == 1
    page = out.read_text(encoding="utf-8")
    table = page.index('<table class="summary">')
    assert table < page.index('<section class="file"')  # before every file's section
    rows = re.findall(r'<tr class="summary-row"><td><a href="#(file\d+)">([^<]+)</a>', page)
    assert [name.rsplit("/", 1)[-1] for _, name in rows] == ["初稿.txt", "notes.md", "定稿.txt"]
    for anchor, name in rows:  # each link leads to that file's section
        assert f'<section class="file" id="{anchor}">\n<h2>{name}</h2>' in page
    first = page[table : page.index("</tr>", page.index('class="summary-row"'))]
    assert "未通过" in first and "有错误级问题未解决（占位符 2 处" in first


def test_tooltips_stay_inside_the_window():
    from djcheck.report.html import _CSS

    rule = re.search(r"mark\.finding:hover::after,mark\.finding:focus::after\{([^}]*)\}", _CSS).group(1)
    assert "position:fixed" in rule  # placed in the window, not beside a mark at its right edge
    assert "max-width:min(" in rule and "100vw" in rule and "max-height" in rule


@pytest.mark.parametrize("command", [[], ["check"], ["rules"], ["rules", "list"], ["explain"], ["serve"]])
def test_help_is_complete_at_80_columns(command):
    """Every option's help appears whole (nothing cut with …), no line is wider than 80 cells."""
    from rich.cells import cell_len

    from djcheck.cli import app

    out = _djcheck(*command, "--help", env_extra={"COLUMNS": "80"})
    assert out.returncode == 0
    text = out.stdout.decode("utf-8")
    assert all(cell_len(line) <= 80 for line in text.splitlines()), text
    flat = "".join(text.split())
    import typer.main

    group = typer.main.get_command(app)
    cmd = group
    for name in command:
        cmd = cmd.commands[name]
    for param in cmd.params:
        if param.help:
            assert "".join(param.help.split()) in flat, param.name
    assert "…" not in text and "显示本帮助并退出。" in text


def test_wrap_breaks_between_chinese_characters_and_keeps_words():
    from djcheck.cli_help import wrap

    lines = wrap("使用这个配置文件（默认：从每个文件所在文件夹向上查找 .djcheck.yaml）。", 20)
    assert "".join(lines) == "使用这个配置文件（默认：从每个文件所在文件夹向上查找.djcheck.yaml）。"
    assert all(len(line.encode("gbk")) <= 20 for line in lines)
    assert not any(line.startswith(("，", "。", "）")) for line in lines)
    assert any(line.endswith(".djcheck.yaml）。") or line == ".djcheck.yaml）。" for line in lines)

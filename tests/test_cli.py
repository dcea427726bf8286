"""The command line: formats, JSON contract, exit codes, bad input as one Chinese line."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from djcheck.cli import app

runner = CliRunner()

GOOD = """关于2026年上半年落实全面从严治党主体责任情况的报告
今年以来，局党委认真履行全面从严治党主体责任。现将有关情况报告如下：
一、工作开展情况
局党委召开党委会12次，专题研究主体责任落实。党委书记履行第一责任人职责，班子成员落实“一岗双责”。扎实开展树立和践行正确政绩观学习教育，落实“第一议题”制度，做到“两个维护”；严格执行中央八项规定精神，开展党纪教育2次，修订制度3项，查处违纪违法案件1件；对市委巡察反馈的6个问题已完成整改5个。运用监督执纪“四种形态”处理8人次，其中第一种形态7人次，第二种形态1人次。
二、存在的问题
一是3个党支部上半年未按要求开展组织生活会，批评和自我批评流于形式。二是对2个下属单位的经费支出监督不到位，发现违规报销问题5起。三是年轻干部教育管理不够，上半年有2名入职不满三年的干部受到诫勉。
三、下一步工作打算
一是由机关党委牵头，9月底前督促3个党支部补开组织生活会。二是由纪检组负责，每季度对下属单位经费支出开展一次专项检查，压实主体责任。三是由组织人事科牵头，年底前完成年轻干部廉洁教育全覆盖。
"""


def run(*args):
    return runner.invoke(app, list(args))


@pytest.fixture
def good(tmp_path):
    p = tmp_path / "good.txt"
    p.write_text(GOOD, encoding="utf-8")
    return p


def test_json_contract(good, tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_text(GOOD.split("二、存在的问题")[0], encoding="utf-8")
    result = run("check", str(good), str(bad), "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["schema_version"] == 1 and data["tool"] == "djcheck" and data["version"]
    by_name = {f["path"].rsplit("/", 1)[-1]: f for f in data["files"]}
    g, b = by_name["good.txt"], by_name["bad.txt"]
    assert g["passed"] is True and b["passed"] is False and g["profile"] == "zhuti-zeren"
    for f in (g, b):
        assert {"path", "profile", "score", "min_score", "passed", "checklist", "findings", "error"} <= f.keys()
        for item in f["checklist"]:
            assert {"id", "title", "status", "level", "message", "line"} <= item.keys()
            assert item["status"] in ("ok", "weak", "missing", "unchecked")
    ids = [i["id"] for i in g["checklist"]]
    assert ids[:5] == ["structure", "zhuti-zeren", "problems", "next-steps", "four-forms"]
    assert {i["id"]: i["status"] for i in b["checklist"]}["problems"] == "missing"


def test_plain_format_lines(tmp_path):
    p = tmp_path / "draft.txt"
    p.write_text(GOOD.replace("召开党委会12次", "召开党委会**次"), encoding="utf-8")
    result = run("check", str(p), "--format", "plain")
    assert result.exit_code == 1
    line = next(ln for ln in result.stdout.splitlines() if " placeholder 模板" in ln)
    assert line.startswith(f"{p}:4:9: error placeholder")
    assert "得分" in result.stdout.splitlines()[-1] and "未通过" in result.stdout


def test_exit_zero_when_all_pass(good):
    result = run("check", str(good), "--format", "plain")
    assert result.exit_code == 0, result.stdout
    assert "通过" in result.stdout


def test_min_score_option_changes_verdict(good):
    assert run("check", str(good), "--min-score", "100", "-f", "plain").exit_code == 0
    data = json.loads(run("check", str(good), "--min-score", "100", "-f", "json").stdout)
    assert data["files"][0]["min_score"] == 100


@pytest.mark.parametrize(
    "content, words",
    [(None, "找不到"), (b"", "空的"), (b"\x89PNG\r\n\x1a\n\x00", "PNG"), (b"\xff\xfe\xfd\x80\x81" * 3, "编码")],
)
def test_bad_input_one_chinese_line_exit_2(tmp_path, good, content, words):
    p = tmp_path / "draft.txt"
    if content is not None:
        p.write_bytes(content)
    result = run("check", str(p), str(good), "--format", "plain")
    assert result.exit_code == 2
    assert words in result.stdout
    assert "Traceback" not in result.stdout
    assert f"{good}: 得分" in result.stdout  # the other file is still checked


def test_folder_without_drafts(tmp_path):
    (tmp_path / "x.png").write_bytes(b"\x89PNG")
    result = run("check", str(tmp_path), "-f", "plain")
    assert result.exit_code == 2 and "没有可检查的文件" in result.stdout


def test_folder_is_walked_sorted(tmp_path, good):
    sub = tmp_path / "b"
    sub.mkdir()
    (sub / "z.md").write_text(GOOD, encoding="utf-8")
    (tmp_path / "README.md").write_text("# 说明", encoding="utf-8")
    data = json.loads(run("check", str(tmp_path), "-f", "json").stdout)
    paths = [f["path"] for f in data["files"]]
    assert paths == sorted(paths) and len(paths) == 2 and not any("README" in p for p in paths)


def test_unknown_profile_is_a_clear_error(good):
    result = run("check", str(good), "--profile", "nonesuch")
    assert result.exit_code == 2


def test_console_script_runs_without_traceback(tmp_path):
    p = tmp_path / "missing.txt"
    proc = subprocess.run(
        [sys.executable, "-m", "djcheck", "check", str(p), "-f", "plain"], capture_output=True, text=True
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr + proc.stdout
    assert "找不到这个文件" in proc.stdout + proc.stderr


def test_rich_output_has_marks_and_score(good, tmp_path):
    p = tmp_path / "d.txt"
    p.write_text(GOOD.replace("运用监督执纪“四种形态”处理8人次，其中第一种形态7人次，第二种形态1人次。", ""), encoding="utf-8")
    result = run("check", str(p), "--format", "rich", "--no-color")
    assert "✔" in result.stdout and "✖" in result.stdout and "得分" in result.stdout

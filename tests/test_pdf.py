"""PDF input (optional extra djcheck[pdf]): paragraphs rebuilt from lines, headings from numbering only."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest
from typer.testing import CliRunner

import djcheck
from djcheck.cli import app
from djcheck.loaders.pdf import lines_to_paragraphs
from docxutil import text_to_docx

runner = CliRunner()


def test_printed_lines_are_joined_into_paragraphs():
    lines = [
        "关于2023年落实主体责任情况的报告",
        "今年以来，局党委认真履行全面从严治党主体责任，召开党委会12",
        "次，专题研究主体责任落实。现将有关情况报告如下：",
        "一、工作开展情况",
        "（一）压实责任。党组书记与6名班子成员签订责任书，开展履责谈",
        "话24人次。",
        "- 2 -",
        "二、存在的问题",
        "一是3个党支部未按要求开展组织生活会，批评和自我批评流于形式",
        "。二是对下属单位经费支出监督不到位。",
        "第 3 页 共 5 页",
    ]
    assert lines_to_paragraphs(lines) == [
        "关于2023年落实主体责任情况的报告",
        "今年以来，局党委认真履行全面从严治党主体责任，召开党委会12次，专题研究主体责任落实。现将有关情况报告如下：",
        "一、工作开展情况",
        "（一）压实责任。党组书记与6名班子成员签订责任书，开展履责谈话24人次。",
        "二、存在的问题",
        "一是3个党支部未按要求开展组织生活会，批评和自我批评流于形式。二是对下属单位经费支出监督不到位。",
    ]


def test_spaces_the_extraction_adds_next_to_chinese_are_dropped():
    assert lines_to_paragraphs(["现将 2023 年上半年有关情况报告如下。"]) == [
        "现将2023年上半年有关情况报告如下。"
    ]


def test_without_pypdf_the_error_says_what_to_install(tmp_path, monkeypatch):
    p = tmp_path / "a.pdf"
    p.write_bytes(b"%PDF-1.4\n")
    monkeypatch.setitem(sys.modules, "pypdf", None)
    result = runner.invoke(app, ["check", str(p), "-f", "plain"])
    assert result.exit_code == 2 and "djcheck[pdf]" in result.stdout


def test_text_renamed_pdf_is_refused(tmp_path):
    pytest.importorskip("pypdf", reason="pypdf 是可选组件 djcheck[pdf]")
    p = tmp_path / "a.pdf"
    p.write_text("一、工作情况\n正文。", encoding="utf-8")
    result = runner.invoke(app, ["check", str(p), "-f", "plain"])
    assert result.exit_code == 2 and "不是 PDF" in result.stdout and "Traceback" not in result.stdout


def test_damaged_pdf_is_one_line(tmp_path):
    pytest.importorskip("pypdf", reason="pypdf 是可选组件 djcheck[pdf]")
    p = tmp_path / "a.pdf"
    p.write_bytes(b"%PDF-1.7\n1 0 obj <<>> garbage")
    result = runner.invoke(app, ["check", str(p), "-f", "plain"])
    assert result.exit_code == 2 and "Traceback" not in result.stdout and str(p) in result.stdout


@pytest.mark.integration
def test_pdf_exported_by_libreoffice_keeps_the_structure_verdicts(seed, tmp_path):
    pytest.importorskip("pypdf", reason="pypdf 是可选组件 djcheck[pdf]")
    exe = shutil.which("libreoffice") or shutil.which("soffice")
    if not exe:
        pytest.skip("未安装 LibreOffice（Debian 软件包 libreoffice-writer-nogui）：无法生成测试用的 PDF")
    src = text_to_docx(seed("000").read_text(encoding="utf-8"), tmp_path / "000.docx")
    proc = subprocess.run(
        [
            exe,
            f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(src),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        env=dict(os.environ, HOME=str(tmp_path)),
    )
    assert proc.returncode == 0, proc.stderr
    pdf = tmp_path / "000.pdf"
    from_pdf = djcheck.check_file(pdf)
    assert from_pdf.error is None, from_pdf.error
    from_txt = djcheck.check_file(seed("000"))
    status = {i.id: i.status for i in from_pdf.checklist}
    for rule in ("structure", "zhuti-zeren", "problems", "next-steps"):
        assert status[rule] == next(i.status for i in from_txt.checklist if i.id == rule), rule
    doc = djcheck.load_document(pdf)
    heads = [p.heading.title for p in doc.paragraphs if p.heading and p.heading.level == 1]
    assert heads[:3] == ["基本情况", "存在的问题", "下一步打算"]
    assert from_pdf.location_unit == "paragraph"
    out = runner.invoke(app, ["check", str(pdf), "-f", "plain"]).stdout
    assert "标题层级只能根据文字编号" in out and "位置按段落计" in out

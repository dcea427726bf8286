"""Reading .docx drafts: body order, tables, heading styles, core properties, safety, seeds parity."""

from __future__ import annotations

import datetime as dt
import json
import zipfile

import docx
import pytest
from typer.testing import CliRunner

import djcheck
from djcheck.cli import app
from djcheck.loaders.docx import MAX_XML_PART_BYTES, read_docx
from docxutil import text_to_docx

runner = CliRunner()
SEED_PREFIXES = ["000", "001", "002", "003", "004"]


@pytest.mark.parametrize("prefix", SEED_PREFIXES)
def test_seed_as_docx_gives_the_same_checklist_as_txt(seed, tmp_path, prefix):
    txt = seed(prefix)
    as_docx = text_to_docx(txt.read_text(encoding="utf-8"), tmp_path / f"{prefix}.docx")
    from_txt = djcheck.check_file(txt)
    from_docx = djcheck.check_file(as_docx)
    assert from_docx.error is None, from_docx.error
    assert [(i.id, i.status) for i in from_docx.checklist] == [(i.id, i.status) for i in from_txt.checklist]
    assert from_docx.score == from_txt.score and from_docx.passed == from_txt.passed
    # Same places: paragraph n of the .docx is line n of the text file.
    assert [(f.rule, f.line, f.col, f.match) for f in from_docx.findings] == [
        (f.rule, f.line, f.col, f.match) for f in from_txt.findings
    ]
    assert from_docx.location_unit == "paragraph" and from_txt.location_unit == "line"


def test_part_headings_take_their_level_from_the_word_style(seed, tmp_path):
    path = text_to_docx(seed("000").read_text(encoding="utf-8"), tmp_path / "000.docx")
    doc = read_docx(path)
    styled = [p for p in doc.paragraphs if p.heading and p.heading.level == 1]
    assert [p.heading.title for p in styled][:3] == ["基本情况", "存在的问题", "下一步打算"]


def test_heading_style_without_numbering_still_marks_the_parts(tmp_path):
    """A Word user who lets the style do the numbering: 标题 1 paragraphs without “一、”."""
    document = docx.Document()
    heading = document.styles.add_style("标题 1", docx.enum.style.WD_STYLE_TYPE.PARAGRAPH)
    heading.base_style = document.styles["Normal"]
    document.add_paragraph("关于2026年上半年落实全面从严治党主体责任情况的报告")
    document.add_paragraph("局党委认真履行全面从严治党主体责任，现将有关情况报告如下：")
    for title, body in [
        ("工作开展情况", "局党委召开党委会12次，专题研究主体责任落实。"),
        ("存在的问题", "3个党支部未按要求开展组织生活会，对2个下属单位的经费支出监督不到位。"),
        ("下一步工作打算", "由机关党委牵头，9月底前督促3个党支部补开组织生活会，压实主体责任。"),
    ]:
        document.add_paragraph(title, style="标题 1")
        document.add_paragraph(body)
    path = tmp_path / "styled.docx"
    document.save(str(path))
    doc = read_docx(path)
    heads = [(p.line, p.heading.level, p.heading.style) for p in doc.paragraphs if p.heading]
    assert heads == [(3, 1, "word-style"), (5, 1, "word-style"), (7, 1, "word-style")]
    result = djcheck.check_file(path, profile="zhuti-zeren")
    status = {i.id: i.status for i in result.checklist}
    assert (
        status["structure"] == "ok" and status["problems"] != "missing" and status["next-steps"] != "missing"
    )


def test_outline_level_on_a_custom_style_counts_as_a_heading(tmp_path):
    document = docx.Document()
    style = document.styles.add_style("报告小标题", docx.enum.style.WD_STYLE_TYPE.PARAGRAPH)
    ppr = style.element.get_or_add_pPr()
    lvl = docx.oxml.OxmlElement("w:outlineLvl")
    lvl.set(docx.oxml.ns.qn("w:val"), "1")
    ppr.append(lvl)
    document.add_paragraph("加强组织建设", style="报告小标题")
    document.add_paragraph("正文。")
    path = tmp_path / "outline.docx"
    document.save(str(path))
    doc = read_docx(path)
    assert doc.paragraphs[0].heading.level == 2 and doc.paragraphs[1].heading is None


def test_tables_are_read_in_body_order_and_count_as_paragraphs(tmp_path):
    document = docx.Document()
    document.add_paragraph("一、工作开展情况")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "形态"
    table.cell(0, 1).text = "人次"
    table.cell(1, 0).text = "第一种形态"
    table.cell(1, 1).text = "**人次"
    merged = document.add_table(rows=1, cols=2)
    merged.cell(0, 0).merge(merged.cell(0, 1)).text = "合并单元格"
    document.add_paragraph("二、存在的问题")
    path = tmp_path / "table.docx"
    document.save(str(path))
    doc = read_docx(path)
    assert [p.text for p in doc.paragraphs] == [
        "一、工作开展情况",
        "形态",
        "人次",
        "第一种形态",
        "**人次",
        "合并单元格",
        "二、存在的问题",
    ]
    result = djcheck.check_file(path, profile="zhuti-zeren")
    placeholder = [f for f in result.findings if f.rule == "placeholder"]
    assert [(f.line, f.col, f.match) for f in placeholder] == [(5, 1, "**")]


def test_tracked_insertions_are_read_and_deletions_are_not(tmp_path):
    document = docx.Document()
    p = document.add_paragraph("召开党委会")
    w = docx.oxml.ns.qn
    ins = docx.oxml.OxmlElement("w:ins", {w("w:id"): "1", w("w:author"): "a"})
    run = docx.oxml.OxmlElement("w:r")
    t = docx.oxml.OxmlElement("w:t")
    t.text = "12次"
    run.append(t)
    ins.append(run)
    p._p.append(ins)
    dele = docx.oxml.OxmlElement("w:del", {w("w:id"): "2", w("w:author"): "a"})
    drun = docx.oxml.OxmlElement("w:r")
    dt_ = docx.oxml.OxmlElement("w:delText")
    dt_.text = "**次"
    drun.append(dt_)
    dele.append(drun)
    p._p.append(dele)
    path = tmp_path / "tracked.docx"
    document.save(str(path))
    assert read_docx(path).paragraphs[0].text == "召开党委会12次"


def test_core_properties_give_created_and_modified_year(tmp_path):
    path = text_to_docx(
        "一、工作情况\n正文。", tmp_path / "a.docx", created=dt.datetime(2022, 12, 30, tzinfo=dt.timezone.utc)
    )
    meta = read_docx(path).metadata
    assert meta["created_year"] == 2022 and meta["modified_year"] == 2022
    assert meta["created"].startswith("2022-12-30")


def test_docx_output_says_locations_are_paragraphs(tmp_path, seed):
    path = text_to_docx(seed("001").read_text(encoding="utf-8"), tmp_path / "001.docx")
    data = json.loads(runner.invoke(app, ["check", str(path), "-f", "json"]).stdout)
    f = data["files"][0]
    assert f["location_unit"] == "paragraph" and any("段落" in n for n in f["notes"])
    plain = runner.invoke(app, ["check", str(path), "-f", "plain"]).stdout
    assert "说明：位置按段落计" in plain
    rich = runner.invoke(app, ["check", str(path), "-f", "rich", "--no-color"]).stdout
    assert "位置按段落计" in rich and "（第1段）" in rich


def test_folder_walk_includes_docx_and_skips_word_lock_files(tmp_path):
    text_to_docx("一、工作情况\n正文。", tmp_path / "报告.docx")
    (tmp_path / "~$报告.docx").write_bytes(b"\x05owner")
    data = json.loads(runner.invoke(app, ["check", str(tmp_path), "-f", "json"]).stdout)
    assert [f["path"].rsplit("/", 1)[-1] for f in data["files"]] == ["报告.docx"]
    assert data["files"][0]["error"] is None


# -- refusing bad files -------------------------------------------------------


def _cli_error(path) -> tuple[int, str]:
    result = runner.invoke(app, ["check", str(path), "-f", "plain"])
    return result.exit_code, result.stdout + result.stderr


@pytest.mark.parametrize(
    "name, content, words",
    [
        ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "另存为"),
        ("old.wps", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, ".docx"),
        ("renamed.docx", "一、工作情况\n这其实是文本文件。\n".encode(), "扩展名改为 .txt"),
        ("legacy.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "旧版 Word/WPS"),
        ("empty.docx", b"", "空的"),
        ("scan.docx", b"%PDF-1.7\n", "PDF"),
    ],
)
def test_unreadable_word_files_are_one_chinese_line_exit_2(tmp_path, name, content, words):
    path = tmp_path / name
    path.write_bytes(content)
    code, out = _cli_error(path)
    assert code == 2 and words in out and "Traceback" not in out
    assert out.strip().count("\n") == 0 and str(path) in out


def test_truncated_docx_is_reported_as_damaged(tmp_path):
    good = text_to_docx("一、工作情况\n正文。" * 50, tmp_path / "good.docx")
    data = good.read_bytes()
    cut = tmp_path / "cut.docx"
    cut.write_bytes(data[: len(data) // 2])
    code, out = _cli_error(cut)
    assert code == 2 and "损坏" in out and "Traceback" not in out


def test_corrupted_member_is_reported_as_damaged(tmp_path):
    good = text_to_docx("一、工作情况\n正文。", tmp_path / "good.docx")
    raw = bytearray(good.read_bytes())
    with zipfile.ZipFile(good) as zf:
        info = zf.getinfo("word/document.xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    for i in range(start + 10, start + 40):
        raw[i] ^= 0xFF
    bad = tmp_path / "bad.docx"
    bad.write_bytes(bytes(raw))
    code, out = _cli_error(bad)
    assert code == 2 and "损坏" in out and "Traceback" not in out


def test_excel_renamed_docx_is_named(tmp_path):
    path = tmp_path / "table.docx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.xml", "<workbook/>")
    code, out = _cli_error(path)
    assert code == 2 and "Excel" in out


def _rezip(src, dst, replace: dict[str, bytes]):
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = replace.get(info.filename, zin.read(info))
            zout.writestr(info.filename, data)
    return dst


def test_zip_bomb_is_refused_before_decompressing(tmp_path):
    """A highly compressed document.xml larger than the limit: refused from the declared size."""
    good = text_to_docx("一、工作情况\n正文。", tmp_path / "good.docx")
    with zipfile.ZipFile(good) as zf:
        xml = zf.read("word/document.xml")
    padding = b"<!--" + b"A" * (MAX_XML_PART_BYTES + 1024) + b"-->"
    bomb_xml = xml.replace(b"<w:body>", b"<w:body>" + padding, 1)
    bomb = _rezip(good, tmp_path / "bomb.docx", {"word/document.xml": bomb_xml})
    assert bomb.stat().st_size < 200_000  # small on disk, > 40 MB inside
    code, out = _cli_error(bomb)
    assert code == 2 and "过大" in out and "恶意" in out


def test_lying_size_header_cannot_smuggle_more_data(tmp_path):
    """zipfile never yields more than the declared size, so a header that understates it is caught."""
    good = text_to_docx("一、工作情况\n正文。" * 20, tmp_path / "good.docx")
    raw = bytearray(good.read_bytes())
    pos = raw.find(b"PK\x01\x02")  # first central-directory entry
    while raw[pos : pos + 4] == b"PK\x01\x02":
        name_len, extra_len, comment_len = (
            int.from_bytes(raw[pos + k : pos + k + 2], "little") for k in (28, 30, 32)
        )
        if raw[pos + 46 : pos + 46 + name_len] == b"word/document.xml":
            raw[pos + 24 : pos + 28] = (100).to_bytes(4, "little")  # declared uncompressed size
            break
        pos += 46 + name_len + extra_len + comment_len
    else:
        raise AssertionError("document.xml not found in the central directory")
    bad = tmp_path / "lying.docx"
    bad.write_bytes(bytes(raw))
    code, out = _cli_error(bad)
    assert code == 2 and ("损坏" in out) and "Traceback" not in out


XXE_SECRET = "TOP-SECRET-FROM-DISK"


def _xxe_docx(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text(XXE_SECRET, encoding="utf-8")
    good = text_to_docx("一、工作情况\n&xxe;", tmp_path / "good.docx")
    with zipfile.ZipFile(good) as zf:
        xml = zf.read("word/document.xml").decode("utf-8")
    decl, rest = xml.split("?>", 1)
    doctype = f'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>'
    evil = (decl + "?>" + doctype + rest.replace("&amp;xxe;", "&xxe;")).encode("utf-8")
    return _rezip(good, tmp_path / "xxe.docx", {"word/document.xml": evil}), evil


def test_docx_with_a_doctype_is_refused(tmp_path):
    path, _ = _xxe_docx(tmp_path)
    code, out = _cli_error(path)
    assert code == 2 and "DTD" in out and XXE_SECRET not in out


def test_python_docx_parser_never_resolves_external_entities(tmp_path):
    """Defence in depth: even without djcheck's DOCTYPE check, python-docx's parser does not read the file."""
    from docx.oxml.parser import parse_xml

    _, evil = _xxe_docx(tmp_path)
    root = parse_xml(evil)
    from lxml import etree

    assert XXE_SECRET not in etree.tostring(root, encoding="unicode")
    assert XXE_SECRET not in "".join(root.itertext())


def test_docx_without_text_is_refused(tmp_path):
    path = tmp_path / "blank.docx"
    document = docx.Document()
    document.add_paragraph("")
    document.save(str(path))
    code, out = _cli_error(path)
    assert code == 2 and "没有文字" in out


def test_reading_never_writes_the_docx(tmp_path, seed):
    path = text_to_docx(seed("003").read_text(encoding="utf-8"), tmp_path / "003.docx")
    before = path.read_bytes()
    djcheck.check_file(path)
    assert path.read_bytes() == before

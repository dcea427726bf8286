"""Word files built by hand (issue 16, items 11 and 12).

* Every part python-docx may parse as XML is bounded and checked whatever its name (``.XML``,
  no extension, a main part not called document.xml) and encoding (UTF-16/UTF-32 with or
  without a byte-order mark); an encoding that could hide markup is refused.
* Text in every valid run container is read exactly once: tracked moves (not the moved-away
  copy), insertions inside hyperlinks and content controls, nested content controls,
  ``w:dir`` / ``w:bdo``, smart tags, custom XML, simple fields, and one branch of
  ``mc:AlternateContent``.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from djcheck.errors import InputError
from djcheck.loaders.docx import MAX_XML_TAGS, read_docx
from docxutil import text_to_docx

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
MARK = "【此处替换】"


def _rezip(src: Path, dst: Path, replace: dict[str, bytes], add: dict[str, bytes] | None = None) -> Path:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, replace.get(info.filename, zin.read(info)))
        for name, data in (add or {}).items():
            zout.writestr(name, data)
    return dst


def _base(tmp_path: Path) -> tuple[Path, str]:
    """A small .docx and its document.xml (declaration normalised to ``encoding="UTF-8"``)."""
    path = text_to_docx(f"一、工作开展情况\n{MARK}\n二、存在的问题\n学习不够深入。", tmp_path / "base.docx")
    with zipfile.ZipFile(path) as zf:
        xml = zf.read("word/document.xml").decode("utf-8")
    return path, xml.replace("encoding='UTF-8'", 'encoding="UTF-8"', 1)


def r(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>'


def with_paragraph(tmp_path: Path, inner: str) -> Path:
    """A .docx whose second paragraph's content is ``inner`` (WordprocessingML inside ``w:p``)."""
    base, xml = _base(tmp_path)
    start = xml.index(MARK)
    p_open = xml.rindex("<w:p>", 0, start) if "<w:p>" in xml[:start] else xml.rindex("<w:p ", 0, start)
    p_close = xml.index("</w:p>", start)
    head = xml[:p_open]
    if 'xmlns:mc="' not in head:
        head = head.replace("<w:document ", f'<w:document xmlns:mc="{MC_NS}" ', 1)
    new = head + "<w:p>" + inner + xml[p_close:]
    return _rezip(base, tmp_path / "hand.docx", {"word/document.xml": new.encode("utf-8")})


CONTAINERS = {
    "move-to-not-move-from": (
        r("落实") + f'<w:moveFrom w:id="1" w:author="a">{r("旧位置")}</w:moveFrom>'
        f'<w:moveTo w:id="2" w:author="a">{r("主体责任")}</w:moveTo>',
        "落实主体责任",
    ),
    "insertion-in-hyperlink": (
        f'<w:hyperlink w:anchor="x"><w:ins w:id="1" w:author="a">{r("主体责任")}</w:ins></w:hyperlink>',
        "主体责任",
    ),
    "insertion-in-content-control": (
        f'<w:sdt><w:sdtPr/><w:sdtContent><w:ins w:id="1" w:author="a">{r("主体")}</w:ins>'
        f'{r("责任")}</w:sdtContent></w:sdt>',
        "主体责任",
    ),
    "nested-content-controls": (
        f"<w:sdt><w:sdtContent>{r('全面')}<w:sdt><w:sdtContent>{r('从严')}<w:sdt><w:sdtContent>"
        f"{r('治党')}</w:sdtContent></w:sdt></w:sdtContent></w:sdt></w:sdtContent></w:sdt>",
        "全面从严治党",
    ),
    "dir-and-bdo": (f'<w:dir w:val="ltr">{r("主体")}</w:dir><w:bdo w:val="ltr">{r("责任")}</w:bdo>', "主体责任"),
    "smart-tag-custom-xml-field": (
        f'<w:smartTag w:uri="u" w:element="e">{r("主")}</w:smartTag>'
        f'<w:customXml w:element="c">{r("体")}</w:customXml>'
        f'<w:fldSimple w:instr="TITLE"><w:hyperlink w:anchor="y">{r("责任")}</w:hyperlink></w:fldSimple>',
        "主体责任",
    ),
    "deletion-inside-insertion": (
        f'<w:ins w:id="1" w:author="a">{r("主体")}<w:del w:id="2" w:author="a"><w:r><w:delText>删去</w:delText>'
        f'</w:r></w:del>{r("责任")}</w:ins>',
        "主体责任",
    ),
    "alternate-content-once": (
        f'<mc:AlternateContent><mc:Choice Requires="w14">{r("主体责任")}</mc:Choice>'
        f"<mc:Fallback>{r('主体责任')}</mc:Fallback></mc:AlternateContent>",
        "主体责任",
    ),
    "alternate-content-fallback": (
        f'<mc:AlternateContent><mc:Choice Requires="w14"/><mc:Fallback>{r("主体责任")}</mc:Fallback>'
        "</mc:AlternateContent>",
        "主体责任",
    ),
    "move-to-in-content-control-in-hyperlink": (
        f'<w:hyperlink w:anchor="z"><w:sdt><w:sdtContent><w:moveTo w:id="3" w:author="a">{r("主体责任")}'
        "</w:moveTo></w:sdtContent></w:sdt></w:hyperlink>",
        "主体责任",
    ),
}


@pytest.mark.parametrize("case", list(CONTAINERS))
def test_text_in_run_containers_is_read_once(case, tmp_path):
    inner, expected = CONTAINERS[case]
    doc = read_docx(with_paragraph(tmp_path, inner))
    assert doc.paragraphs[1].text == expected


def test_rows_and_cells_in_content_controls_are_read(tmp_path):
    cell = f"<w:tc><w:p>{r('主体责任')}</w:p></w:tc>"
    table = (
        "<w:tbl><w:tblPr/><w:tblGrid><w:gridCol/></w:tblGrid>"
        f"<w:sdt><w:sdtContent><w:tr>{cell}</w:tr></w:sdtContent></w:sdt>"
        f"<w:tr><w:sdt><w:sdtContent><w:tc><w:p>{r('监督责任')}</w:p></w:tc></w:sdtContent></w:sdt></w:tr>"
        "</w:tbl>"
    )
    base, xml = _base(tmp_path)
    new = xml.replace("<w:sectPr", table + "<w:sectPr", 1)
    doc = read_docx(_rezip(base, tmp_path / "table.docx", {"word/document.xml": new.encode("utf-8")}))
    texts = [p.text for p in doc.paragraphs]
    assert "主体责任" in texts and "监督责任" in texts


def test_a_moved_problems_section_is_not_reported_missing(tmp_path):
    """The false "missing" of the issue: the problems part moved with a tracked move (as LibreOffice keeps it)."""
    import djcheck

    text = (
        "关于2024年落实全面从严治党主体责任情况的报告\n一、工作开展情况\n局党组召开专题会议研究部署。\n"
        f"{MARK}\n三、下一步工作打算\n六月底前完成整改。"
    )
    base = text_to_docx(text, tmp_path / "moved.docx")
    with zipfile.ZipFile(base) as zf:
        xml = zf.read("word/document.xml").decode("utf-8")
    moved = (
        f'<w:moveFrom w:id="1" w:author="a">{r("（原位置）")}</w:moveFrom>'
        f'<w:moveTo w:id="2" w:author="a">{r("二、存在的问题：学习不够深入，调研不够，整改跟踪不到位。")}</w:moveTo>'
    )
    start = xml.index(MARK)
    p_open = xml.rindex("<w:p", 0, start)
    p_open = xml.index(">", p_open) + 1
    new = xml[:p_open] + moved + xml[xml.index("</w:p>", start) :]
    path = _rezip(base, tmp_path / "moved2.docx", {"word/document.xml": new.encode("utf-8")})
    result = djcheck.check_file(path, profile="zhuti-zeren")
    assert not result.error
    problems = [i for i in result.checklist if i.id == "problems"]
    assert problems and problems[0].status != "missing", problems


# -- bounded parts whatever their name and encoding ---------------------------------------------------
def _doctype(xml: str) -> str:
    decl, rest = xml.split("?>", 1)
    return decl + '?><!DOCTYPE w:document [<!ENTITY a "主体责任">]>' + rest


def refused(path: Path, *words: str) -> str:
    with pytest.raises(InputError) as info:
        read_docx(path)
    message = str(info.value)
    for w in words:
        assert w in message, (w, message)
    return message


@pytest.mark.parametrize("codec, bom", [("utf-32-le", b"\xff\xfe\x00\x00"), ("utf-32-be", b"\x00\x00\xfe\xff"),
                                        ("utf-32-le", b""), ("utf-16-be", b""), ("utf-16-le", b"\xff\xfe")])
def test_a_dtd_in_a_utf16_or_utf32_part_is_refused(codec, bom, tmp_path):
    base, xml = _base(tmp_path)
    evil = _doctype(xml).replace('encoding="UTF-8"', f'encoding="{codec.upper()[:6]}"', 1)
    path = _rezip(base, tmp_path / "wide.docx", {"word/document.xml": bom + evil.encode(codec)})
    refused(path, "DTD")


def test_a_part_declaring_utf7_is_refused(tmp_path):
    base, xml = _base(tmp_path)
    sneaky = xml.replace('encoding="UTF-8"', 'encoding="UTF-7"', 1).replace("<w:body>", "<w:body>+ADw-!DOCTYPE", 1)
    refused(_rezip(base, tmp_path / "utf7.docx", {"word/document.xml": sneaky.encode("utf-8")}), "字符编码")


@pytest.mark.parametrize("part", ["word/Extra.XML", "word/extra", "customXml/item9.bin"])
def test_a_dtd_in_a_part_with_any_name_is_refused(part, tmp_path):
    base, xml = _base(tmp_path)
    with zipfile.ZipFile(base) as zf:
        types = zf.read("[Content_Types].xml").decode("utf-8")
    override = f'<Override PartName="/{part}" ContentType="application/xml"/>'
    types = types.replace("</Types>", override + "</Types>")
    path = _rezip(
        base, tmp_path / "named.docx", {"[Content_Types].xml": types.encode("utf-8")},
        add={part: _doctype('<?xml version="1.0" encoding="UTF-8"?><x/>').encode("utf-8")},
    )
    refused(path, part, "DTD")


def test_a_main_part_not_named_xml_is_bounded(tmp_path):
    """The main part is word/main.bin (rels and content type point there): its tags are counted."""
    base, xml = _base(tmp_path)
    with zipfile.ZipFile(base) as zf:
        types = zf.read("[Content_Types].xml").decode("utf-8")
        rels = zf.read("_rels/.rels").decode("utf-8")
        doc_rels = zf.read("word/_rels/document.xml.rels")
    kind = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
    types = types.replace("</Types>", f'<Override PartName="/word/main.bin" ContentType="{kind}"/></Types>')
    rels = rels.replace("word/document.xml", "word/main.bin")
    many = xml.replace("<w:body>", "<w:body>" + "<w:p/>" * (MAX_XML_TAGS + 10), 1)
    path = _rezip(
        base, tmp_path / "main-bin.docx",
        {"[Content_Types].xml": types.encode("utf-8"), "_rels/.rels": rels.encode("utf-8")},
        add={"word/main.bin": many.encode("utf-8"), "word/_rels/main.bin.rels": doc_rels},
    )
    assert path.stat().st_size < 400_000
    refused(path, "word/main.bin", "过多的 XML 标记")


def test_a_genuine_document_with_images_and_wide_parts_still_reads(tmp_path):
    """Binary parts are not mistaken for XML; a UTF-16 main part without a DTD is read."""
    base, xml = _base(tmp_path)
    wide = xml.replace('encoding="UTF-8"', 'encoding="UTF-16"', 1)
    path = _rezip(
        base, tmp_path / "ok.docx", {"word/document.xml": b"\xff\xfe" + wide.encode("utf-16-le")},
        add={"word/media/image1.png": b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40},
    )
    doc = read_docx(path)
    assert any(p.text == MARK for p in doc.paragraphs)

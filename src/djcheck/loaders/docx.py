"""Read a Word draft (.docx) into a :class:`~djcheck.document.Document` (python-docx).

What is read:

* every paragraph of the main text in body order, the paragraphs inside table
  cells included (row by row, cell by cell; a merged cell once), so paragraph
  *n* of the document is line *n* of the :class:`Document` — locations in a
  .docx are **paragraph numbers** (blank and table paragraphs counted) and
  character offsets within the paragraph;
* the text "with tracked changes accepted": runs of insertions (``w:ins``),
  hyperlinks, simple fields, smart tags and inline content controls are read,
  deleted text is not;
* heading levels from the paragraph style (``Heading 1`` / ``标题 1`` …, or an
  outline level set on the style or the paragraph), passed on to
  :meth:`Document.from_paragraphs`, which also reads numbering typed in the text;
* the core properties: ``created`` / ``modified`` date and year, ``title``
  (in :attr:`Document.metadata`).

What is not read: headers, footers, footnotes, comments, text boxes, and
numbering that Word generates automatically (a list's ``一、`` that is not typed
in the text); headings then come from the style alone.

Safety: the file is opened as a ZIP archive and refused *before* any part is
decompressed when it is not a ZIP (a legacy .doc, an encrypted document, a
text file renamed), when the archive is damaged or truncated, or when its
declared uncompressed size exceeds :data:`MAX_UNCOMPRESSED_BYTES` (a "zip
bomb"; :mod:`zipfile` never yields more bytes than declared). An XML part with
more than :data:`MAX_XML_TAGS` tags, or a main text of more than
:data:`MAX_PARAGRAPHS` paragraphs, is refused too: a 100 KB file of millions
of empty paragraphs would otherwise take minutes and gigabytes. XML parts that
carry a document type declaration (``<!DOCTYPE``/``<!ENTITY``, never present
in a genuine Word file) are refused; python-docx's own parser is also built
with ``resolve_entities=False``, so external entities are never resolved.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path

from ..document import Document
from ..errors import InputError
from .text import checked_size

#: Largest .docx file read, in bytes (reports with photos stay far below).
MAX_DOCX_BYTES = 100 * 1024 * 1024
#: Largest total declared uncompressed size of all ZIP entries, in bytes.
MAX_UNCOMPRESSED_BYTES = 300 * 1024 * 1024
#: Largest uncompressed size of one XML part (document.xml of a report is well under 1 MB).
MAX_XML_PART_BYTES = 40 * 1024 * 1024
#: Most entries a .docx may have.
MAX_ENTRIES = 10_000
#: Most XML tags (counted as ``<``) in one XML part: bounds the memory of parsing it (a long
#: report in Word's verbose markup has a few hundred thousand at most).
MAX_XML_TAGS = 1_000_000
#: Most paragraphs in the main text (a 100-page report has a few thousand).
MAX_PARAGRAPHS = 100_000

LOCATION_NOTE = (
    "位置按段落计：“第N段”是 Word 文档中的段落序号（空段落和表格中的段落都计入），“列”是段落内的字符位置。"
)

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_STYLE_LEVEL = re.compile(r"^\s*(?:heading|标题)\s*([1-9])\s*$", re.IGNORECASE)
# Runs that make up a paragraph's text, tracked insertions accepted, deletions dropped.
_RUNS_XPATH = (
    "./w:r | ./w:hyperlink/w:r | ./w:ins/w:r | ./w:ins/w:hyperlink/w:r | ./w:fldSimple/w:r"
    " | ./w:smartTag/w:r | ./w:sdt/w:sdtContent/w:r | ./w:customXml/w:r"
)
_DTD_MARKERS = [
    m.encode(enc) for m in ("<!DOCTYPE", "<!ENTITY") for enc in ("ascii", "utf-16-le", "utf-16-be")
]


def _refuse_non_zip(path: str, head: bytes) -> None:
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise InputError(
            path,
            "这是旧版 Word/WPS 文档（.doc/.wps）或设置了密码的文档，无法直接读取："
            "请用 Word 或 WPS 打开后“另存为”Word 文档（.docx）再检查（加密文档请先取消密码）。",
        )
    if head.startswith(b"%PDF"):
        raise InputError(
            path, "这是 PDF 文件，不是 Word 文档：请把扩展名改为 .pdf，或另存为 .docx 后再检查。"
        )
    if head.startswith(b"{\\rtf"):
        raise InputError(
            path, "这是 RTF 文件，不是 Word 文档：请用 Word 或 WPS 打开后“另存为” .docx 再检查。"
        )
    sample = head[:4096]
    looks_text = b"\x00" not in sample
    if looks_text:
        raise InputError(
            path,
            "这不是 Word 文档（.docx），内容看起来是文本：如果是文本文件，请把扩展名改为 .txt 后再检查。",
        )
    raise InputError(
        path, "这不是 Word 文档（.docx），也不是能识别的其他格式：请用 Word 或 WPS 另存为 .docx 后再检查。"
    )


def inspect_archive(path: str | Path) -> None:
    """Refuse a file that is not a safe, intact .docx, before python-docx reads it.

    Checks, in order: the file exists and is at most :data:`MAX_DOCX_BYTES`;
    it starts like a ZIP archive (else: legacy .doc/.wps, encrypted document,
    PDF, RTF or text renamed); the ZIP directory is intact; at most
    :data:`MAX_ENTRIES` entries, :data:`MAX_UNCOMPRESSED_BYTES` in total and
    :data:`MAX_XML_PART_BYTES` per XML part (declared sizes, which :mod:`zipfile`
    enforces while decompressing) and :data:`MAX_XML_TAGS` tags per XML part;
    ``word/document.xml`` is present; no XML part declares a DTD or entities. (Other parts are
    CRC-checked by :mod:`zipfile` when python-docx reads them.)

    Raises:
        InputError: with a Chinese message naming the problem and what to do.
    """
    name = str(path)
    p = Path(path)
    if checked_size(path, MAX_DOCX_BYTES) == 0:
        raise InputError(name, "文件是空的（0 字节），可能没有保存完整：请用 Word 重新保存后再检查。")
    try:
        with p.open("rb") as fh:
            head = fh.read(4096)
    except PermissionError:
        raise InputError(name, "没有读取这个文件的权限，请检查文件权限。") from None
    except OSError as exc:
        raise InputError(name, f"读取文件失败：{exc.strerror or exc}。") from None
    if not head.startswith(b"PK\x03\x04"):
        _refuse_non_zip(name, head)
    damaged = "Word 文档已损坏或不完整（可能没有下载或复制完整）：请用 Word 打开并重新保存后再检查。"
    try:
        with zipfile.ZipFile(p) as zf:
            infos = zf.infolist()
            if len(infos) > MAX_ENTRIES:
                raise InputError(
                    name, f"Word 文档包含的部件过多（{len(infos)} 个），不像正常的报告，已拒绝读取。"
                )
            total = sum(i.file_size for i in infos)
            if total > MAX_UNCOMPRESSED_BYTES:
                raise InputError(
                    name,
                    f"Word 文档解压后过大（{total // 1024 // 1024} MB，上限 {MAX_UNCOMPRESSED_BYTES // 1024 // 1024} MB），"
                    "可能是恶意构造的压缩包，已拒绝读取。",
                )
            names = {i.filename for i in infos}
            if "word/document.xml" not in names:
                if "xl/workbook.xml" in names:
                    raise InputError(
                        name, "这是 Excel 表格（.xlsx），不是 Word 文档：请把报告正文另存为 .docx 后再检查。"
                    )
                if "ppt/presentation.xml" in names:
                    raise InputError(
                        name, "这是 PowerPoint 演示文稿，不是 Word 文档：请把报告正文另存为 .docx 后再检查。"
                    )
                raise InputError(
                    name, "这是一个压缩包，不是 Word 文档（缺少正文部分）：请用 Word 另存为 .docx 后再检查。"
                )
            for info in infos:
                if info.filename.endswith((".xml", ".rels")):
                    if info.file_size > MAX_XML_PART_BYTES:
                        raise InputError(
                            name,
                            f"Word 文档的“{info.filename}”部件解压后过大（{info.file_size // 1024 // 1024} MB），"
                            "可能是恶意构造的压缩包，已拒绝读取。",
                        )
                    data = zf.read(info)
                    tags = data.count(b"<")
                    if tags > MAX_XML_TAGS:
                        raise InputError(
                            name,
                            f"Word 文档的“{info.filename}”部件含有过多的 XML 标记（{tags} 个，上限 {MAX_XML_TAGS} 个），"
                            "不像正常的报告，可能是恶意构造的文件，已拒绝读取。",
                        )
                    if any(marker in data for marker in _DTD_MARKERS):
                        raise InputError(
                            name,
                            f"Word 文档的“{info.filename}”部件含有 DTD/实体声明，正常的 Word 文档不会有，已拒绝读取。",
                        )
    except InputError:
        raise
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        zlib.error,
        EOFError,
        NotImplementedError,
        ValueError,
        OSError,
    ):
        raise InputError(name, damaged) from None
    except RuntimeError:  # zipfile: "File is encrypted, password required"
        raise InputError(name, "Word 文档的部件被加密，无法读取：请取消密码后另存为 .docx 再检查。") from None


def paragraph_runs(p_element) -> list:
    """The ``w:r`` elements whose text makes up paragraph ``p_element``, in order.

    The same list is used to read the text and to anchor comments, so offsets
    agree: ``"".join(r.text for r in paragraph_runs(p))`` is the paragraph text.
    """
    return p_element.xpath(_RUNS_XPATH)


def paragraph_text(p_element) -> str:
    """Text of a ``w:p`` element (tracked insertions accepted); breaks as ``\\n``, tabs as ``\\t``."""
    return "".join(r.text for r in paragraph_runs(p_element))


def iter_paragraph_elements(container) -> Iterator:
    """Every ``w:p`` of a body or table cell in reading order, table cells included.

    ``container`` is a ``w:body`` or ``w:tc`` element. Tables are walked row by
    row and cell by cell; a horizontally merged cell appears once, a vertically
    merged continuation cell (``w:vMerge`` without ``restart``) is skipped as
    it holds no text of its own.
    """
    for child in container.iterchildren():
        tag = child.tag
        if tag == f"{_W}p":
            yield child
        elif tag == f"{_W}tbl":
            for tr in child.iterchildren(f"{_W}tr"):
                for tc in tr.iterchildren(f"{_W}tc"):
                    yield from iter_paragraph_elements(tc)
        elif tag in (f"{_W}sdt", f"{_W}customXml"):
            content = child.find(f"{_W}sdtContent") if tag == f"{_W}sdt" else child
            if content is not None:
                yield from iter_paragraph_elements(content)


class _StyleLevels:
    """Heading level of paragraph styles: from the name (Heading N / 标题 N) or the outline level."""

    def __init__(self, document):
        self.by_id: dict[str, object] = {}
        self.cache: dict[str, int | None] = {}
        styles_element = document.styles.element
        for st in styles_element.iterchildren(f"{_W}style"):
            sid = st.get(f"{_W}styleId")
            if sid:
                self.by_id[sid] = st

    def level(self, style_id: str | None, depth: int = 0) -> int | None:
        if not style_id or depth > 10:
            return None
        if style_id in self.cache:
            return self.cache[style_id]
        st = self.by_id.get(style_id)
        result = None
        if st is not None:
            name_el = st.find(f"{_W}name")
            name = name_el.get(f"{_W}val") if name_el is not None else ""
            m = _STYLE_LEVEL.match(name or "")
            if m:
                result = int(m.group(1))
            else:
                result = _outline_level(st.find(f"{_W}pPr"))
                if result is None:
                    based = st.find(f"{_W}basedOn")
                    if based is not None:
                        result = self.level(based.get(f"{_W}val"), depth + 1)
        self.cache[style_id] = result
        return result


def _outline_level(ppr) -> int | None:
    """1-based heading level from ``w:outlineLvl`` (0–8; 9 means body text), or ``None``."""
    if ppr is None:
        return None
    el = ppr.find(f"{_W}outlineLvl")
    if el is None:
        return None
    try:
        value = int(el.get(f"{_W}val"))
    except (TypeError, ValueError):
        return None
    return value + 1 if 0 <= value <= 8 else None


def paragraph_style_level(p_element, styles: _StyleLevels) -> int | None:
    """Heading level a paragraph's formatting gives (direct outline level, then style), or ``None``."""
    ppr = p_element.find(f"{_W}pPr")
    if ppr is not None:
        direct = ppr.find(f"{_W}outlineLvl")
        if direct is not None:
            return _outline_level(ppr)
        pstyle = ppr.find(f"{_W}pStyle")
        if pstyle is not None:
            return styles.level(pstyle.get(f"{_W}val"))
    return None


def open_docx(path: str | Path):
    """Open a .docx with python-docx after :func:`inspect_archive`; returns ``docx.Document``.

    Raises:
        InputError: unsafe, damaged or not a Word document.
    """
    inspect_archive(path)
    name = str(path)
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(str(path))
        if getattr(document.element, "body", None) is None:  # the main part's root is not w:document
            raise InputError(name, "Word 文档的正文部分已损坏，无法读取：请用 Word 打开并重新保存后再检查。")
        return document
    except ValueError as exc:
        if "not a Word file" in str(exc):
            raise InputError(
                name, "这不是 Word 文档（可能是其他 Office 文件改了扩展名）：请另存为 .docx 后再检查。"
            ) from None
        raise InputError(name, "Word 文档已损坏，无法读取：请用 Word 打开并重新保存后再检查。") from None
    except (
        PackageNotFoundError,
        KeyError,
        zipfile.BadZipFile,
        zlib.error,
        EOFError,
        AttributeError,
        TypeError,
    ):
        raise InputError(name, "Word 文档已损坏，无法读取：请用 Word 打开并重新保存后再检查。") from None
    except Exception as exc:  # lxml.etree.XMLSyntaxError and other parser errors
        if type(exc).__name__ == "XMLSyntaxError":
            raise InputError(
                name, "Word 文档内部的 XML 已损坏，无法读取：请用 Word 打开并重新保存后再检查。"
            ) from None
        raise


def docx_paragraph_elements(document) -> list:
    """All ``w:p`` elements of a python-docx document's main text, in the order djcheck numbers them."""
    return list(iter_paragraph_elements(document.element.body))


def _core_metadata(document) -> dict:
    meta: dict = {}
    try:
        props = document.core_properties
        created, modified, title = props.created, props.modified, props.title
    except Exception:  # a malformed docProps/core.xml must not stop the check
        return meta
    if created is not None:
        meta["created"] = created.isoformat()
        meta["created_year"] = created.year
    if modified is not None:
        meta["modified"] = modified.isoformat()
        meta["modified_year"] = modified.year
    if title:
        meta["title"] = title
    return meta


def read_docx(path: str | Path) -> Document:
    """Read a .docx draft into a :class:`Document` of kind ``docx``.

    Line *n* of the result is paragraph *n* of the Word document (see the module
    docstring for what is counted); columns are 1-based characters within it.
    ``metadata`` holds ``created`` / ``modified`` (ISO 8601), ``created_year`` /
    ``modified_year`` (int), ``title`` when set, ``paragraphs`` (count) and
    ``notes`` (Chinese sentences for the output, e.g. that locations are paragraphs).

    Raises:
        InputError: see :func:`inspect_archive` and :func:`open_docx`; also a
            document without any text.
    """
    name = str(path)
    document = open_docx(path)
    styles = _StyleLevels(document)
    texts: list[str] = []
    levels: list[int | None] = []
    elements = docx_paragraph_elements(document)
    if len(elements) > MAX_PARAGRAPHS:
        raise InputError(
            name,
            f"Word 文档的段落过多（{len(elements)} 个，上限 {MAX_PARAGRAPHS} 个），不像正常的报告，已拒绝读取。",
        )
    for p in elements:
        texts.append(paragraph_text(p))
        levels.append(paragraph_style_level(p, styles))
    if not any(t.strip() for t in texts):
        raise InputError(
            name, "Word 文档里没有文字（正文为空，或内容都在文本框、页眉页脚中），没有可检查的内容。"
        )
    meta = _core_metadata(document)
    meta["paragraphs"] = len(texts)
    meta["notes"] = [LOCATION_NOTE]
    return Document.from_paragraphs(
        texts, path=name, kind="docx", style_levels=levels, encoding="docx", metadata=meta
    )


def legacy_word_error(path: str | Path) -> InputError:
    """The error for a legacy .doc / .wps file: save it as .docx first."""
    return InputError(
        str(path),
        "旧版 Word/WPS 格式（.doc/.wps）无法直接检查：请用 Word 或 WPS 打开后“另存为”Word 文档（.docx），"
        "或用 LibreOffice 转换：libreoffice --headless --convert-to docx 文件名。",
    )

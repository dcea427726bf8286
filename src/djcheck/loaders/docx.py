"""Read a Word draft (.docx) into a :class:`~djcheck.document.Document` (python-docx).

What is read:

* every paragraph of the main text in body order, the paragraphs inside table
  cells included (row by row, cell by cell; a merged cell once), so paragraph
  *n* of the document is line *n* of the :class:`Document` — locations in a
  .docx are **paragraph numbers** (blank and table paragraphs counted) and
  character offsets within the paragraph;
* the text "with tracked changes accepted" (:func:`paragraph_runs`): the runs of a
  paragraph and of every run container inside it, nested in any order — tracked
  insertions and moves (``w:ins``, ``w:moveTo``), hyperlinks, simple fields, smart
  tags, custom XML, content controls (``w:sdt``), ``w:dir`` / ``w:bdo``, and one
  branch of ``mc:AlternateContent`` (the first ``mc:Choice`` holding runs, else
  ``mc:Fallback``); deleted and moved-away text (``w:del``, ``w:moveFrom``) is not
  read;
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
bomb"; :mod:`zipfile` never yields more bytes than declared). Every part that
python-docx might parse as XML — whatever its name or case (``.XML``, no
extension), found by its name, by its content type in ``[Content_Types].xml``
or by its first bytes — is bounded: at most :data:`MAX_XML_PART_BYTES` and
:data:`MAX_XML_TAGS` tags; a main text of more than :data:`MAX_PARAGRAPHS`
paragraphs is refused too (a 100 KB file of millions of empty paragraphs would
otherwise take minutes and gigabytes). Such a part must be in UTF-8, UTF-16 or
UTF-32 (with or without a byte-order mark) or an ASCII-compatible encoding it
declares; any other encoding (UTF-7, EBCDIC …, which could hide markup from the
checks) is refused, and a part that carries a document type declaration
(``<!DOCTYPE``/``<!ENTITY``, never present in a genuine Word file) is refused
whatever its encoding. python-docx's own parser is also built with
``resolve_entities=False``, so external entities are never resolved.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path

from ..cache import lazy_pattern
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
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_STYLE_LEVEL = lazy_pattern(r"^\s*(?:heading|标题)\s*([1-9])\s*$", re.IGNORECASE, engine="re")
#: Elements inside a paragraph whose runs are part of its text (tracked changes accepted).
_RUN_CONTAINERS = frozenset(
    f"{_W}{t}" for t in ("hyperlink", "ins", "moveTo", "fldSimple", "smartTag", "customXml", "dir", "bdo")
)
#: A DTD or entity declaration in decoded XML text (XML is case-sensitive; any case is refused).
_DTD = lazy_pattern(r"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE, engine="re")
#: Encodings an XML part may declare: UTF-16/32 are recognised from the first bytes; the others
#: keep ``<`` and ``!`` as the ASCII bytes, so the checks below read the markup as it is parsed.
_ASCII_COMPATIBLE = lazy_pattern(
    r"^(?:utf-?8|(?:us-)?ascii|iso-?8859-\d+|latin-?1|(?:windows|cp)-?125\d|gbk|gb2312|gb18030|big5)$",
    re.IGNORECASE,
    engine="re",
)
_WIDE = lazy_pattern(r"^(?:utf-?16|utf-?32|ucs-?2|ucs-?4)(?:-?[lb]e)?$", re.IGNORECASE, engine="re")
_DECLARED = lazy_pattern(r"^\s*<\?xml[^>]*?encoding\s*=\s*[\"']([^\"']*)[\"']", engine="re")
#: Byte-order marks and the codec they start (longest first: a UTF-32-LE mark starts like UTF-16-LE).
_BOMS = (
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xfe\xff", "utf-16-be"),
    (b"\xff\xfe", "utf-16-le"),
)


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
            xml_types = _xml_content_types(zf, names, name)
            for info in infos:
                _inspect_part(zf, info, name, xml_types)
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


def _xml_content_types(zf: zipfile.ZipFile, names: set[str], name: str) -> tuple[set[str], set[str]]:
    """``(extensions, part names)`` (lower case) that ``[Content_Types].xml`` declares as XML.

    The file is bounded and checked like every XML part before it is parsed here.
    """
    info = zf.getinfo("[Content_Types].xml") if "[Content_Types].xml" in names else None
    if info is None:
        return set(), set()
    _inspect_part(zf, info, name, (set(), set()))
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(zf.read(info), parser)
    except etree.XMLSyntaxError:
        return set(), set()
    extensions, parts = set(), set()
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        kind = (el.get("ContentType") or "").lower()
        if not kind.endswith("xml"):
            continue
        if el.tag.endswith("}Default") and el.get("Extension"):
            extensions.add(el.get("Extension").lower())
        elif el.tag.endswith("}Override") and el.get("PartName"):
            parts.add(el.get("PartName").lstrip("/").lower())
    return extensions, parts


def _xml_codec(head: bytes) -> str | None:
    """The codec of a part whose first bytes look like XML (``<`` after blanks), else ``None``.

    UTF-32 and UTF-16 with or without a byte-order mark, and UTF-8 / ASCII-compatible
    encodings (returned as ``"utf-8"``; the declared encoding is checked separately).
    """
    for bom, codec in _BOMS:
        if head.startswith(bom):
            return codec
    for codec in ("utf-32-le", "utf-32-be", "utf-16-le", "utf-16-be", "utf-8"):
        unit = len("<".encode(codec))
        sample = head[: len(head) - len(head) % unit]
        text = sample.decode(codec, "ignore")
        if text.lstrip().startswith("<") and "<".encode(codec) in sample:
            return codec
    return None


def _inspect_part(zf: zipfile.ZipFile, info: zipfile.ZipInfo, name: str, xml_types) -> None:
    """Refuse ``info`` when it is (or may be parsed as) XML and is too large, has too many
    tags, is in an encoding that could hide markup, or declares a DTD or entities."""
    if info.is_dir():
        return
    part = info.filename
    lower = part.lower()
    extensions, overrides = xml_types
    declared_xml = (
        lower.endswith((".xml", ".rels"))
        or lower.rsplit(".", 1)[-1] in extensions
        or lower in overrides
    )
    with zf.open(info) as fh:
        head = fh.read(256)
    codec = _xml_codec(head)
    if codec is None and not declared_xml:
        return  # an image or other binary part: never parsed
    if info.file_size > MAX_XML_PART_BYTES:
        raise InputError(
            name,
            f"Word 文档的“{part}”部件解压后过大（{info.file_size // 1024 // 1024} MB），"
            "可能是恶意构造的压缩包，已拒绝读取。",
        )
    data = zf.read(info)
    if codec is None:
        if not data.strip(b" \t\r\n\x00"):
            return  # an empty part: nothing to parse
        raise InputError(name, f"Word 文档的“{part}”部件不是能识别的 XML，正常的 Word 文档不会这样，已拒绝读取。")
    # UTF-8 and the ASCII-compatible encodings byte for byte (``<`` and ``!`` are themselves)
    text = data.decode("latin-1") if codec == "utf-8" else data.decode(codec, "replace")
    m = _DECLARED.match(text[:512].lstrip("\ufeff\xef\xbb\xbf"))
    if m:
        declared = m.group(1).strip()
        allowed = _ASCII_COMPATIBLE if codec == "utf-8" else _WIDE
        if not allowed.match(declared):
            raise InputError(
                name,
                f"Word 文档的“{part}”部件使用了 Word 不会使用的字符编码（{declared[:40]}），"
                "可能是恶意构造的文件，已拒绝读取。",
            )
    tags = text.count("<")
    if tags > MAX_XML_TAGS:
        raise InputError(
            name,
            f"Word 文档的“{part}”部件含有过多的 XML 标记（{tags} 个，上限 {MAX_XML_TAGS} 个），"
            "不像正常的报告，可能是恶意构造的文件，已拒绝读取。",
        )
    if _DTD.search(text):
        raise InputError(
            name,
            f"Word 文档的“{part}”部件含有 DTD/实体声明，正常的 Word 文档不会有，已拒绝读取。",
        )


def paragraph_runs(p_element) -> list:
    """The ``w:r`` elements whose text makes up paragraph ``p_element``, in order.

    Runs directly in the paragraph and in run containers nested in any order and
    depth (:data:`_RUN_CONTAINERS`, content controls through ``w:sdtContent``, one
    branch of ``mc:AlternateContent``); not those of ``w:del`` / ``w:moveFrom``.
    The same list is used to read the text and to anchor comments, so offsets
    agree: ``"".join(r.text for r in paragraph_runs(p))`` is the paragraph text.
    """
    runs: list = []
    _collect_runs(p_element, runs, 0)
    return runs


#: Deepest nesting of run containers followed (Word nests a handful at most).
_MAX_RUN_NESTING = 64


def _collect_runs(container, runs: list, depth: int) -> None:
    for child in container.iterchildren():
        tag = child.tag
        if tag == f"{_W}r":
            runs.append(child)
        elif depth >= _MAX_RUN_NESTING or not isinstance(tag, str):
            continue  # comments and processing instructions have a function as their tag
        elif tag in _RUN_CONTAINERS:
            _collect_runs(child, runs, depth + 1)
        elif tag == f"{_W}sdt":
            content = child.find(f"{_W}sdtContent")
            if content is not None:
                _collect_runs(content, runs, depth + 1)
        elif tag == f"{_MC}AlternateContent":
            _collect_alternative(child, runs, depth + 1)


def _collect_alternative(alternate, runs: list, depth: int) -> None:
    """One branch of ``mc:AlternateContent``: the first ``mc:Choice`` that holds runs, else ``mc:Fallback``."""
    for branch in alternate.iterchildren(f"{_MC}Choice", f"{_MC}Fallback"):
        found: list = []
        _collect_runs(branch, found, depth)
        if found or branch.tag == f"{_MC}Fallback":
            runs.extend(found)
            return


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
            for tr in _unwrapped(child, f"{_W}tr"):
                for tc in _unwrapped(tr, f"{_W}tc"):
                    yield from iter_paragraph_elements(tc)
        elif tag in (f"{_W}sdt", f"{_W}customXml"):
            content = child.find(f"{_W}sdtContent") if tag == f"{_W}sdt" else child
            if content is not None:
                yield from iter_paragraph_elements(content)
        elif tag == f"{_MC}AlternateContent":
            branch = child.find(f"{_MC}Choice")
            if branch is None:
                branch = child.find(f"{_MC}Fallback")
            if branch is not None:
                yield from iter_paragraph_elements(branch)


def _unwrapped(parent, tag: str, depth: int = 0) -> Iterator:
    """The ``tag`` children of ``parent``, also those wrapped in content controls or custom XML
    (a row- or cell-level ``w:sdt``)."""
    for child in parent.iterchildren():
        if child.tag == tag:
            yield child
        elif depth < _MAX_RUN_NESTING and child.tag in (f"{_W}sdt", f"{_W}customXml"):
            content = child.find(f"{_W}sdtContent") if child.tag == f"{_W}sdt" else child
            if content is not None:
                yield from _unwrapped(content, tag, depth + 1)


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

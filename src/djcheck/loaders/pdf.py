"""Read a PDF draft into a :class:`~djcheck.document.Document` (optional extra ``djcheck[pdf]``, pypdf).

A PDF stores positioned lines of glyphs, not paragraphs or styles, so less is
known than for a .docx or a text file:

* paragraphs are **reconstructed**: a printed line continues the previous one
  unless the previous line is short (under 80 % of a full line: a paragraph's
  last line, a title), or ends a sentence (。！？；：) short of the full width,
  or the line opens with a heading number (``一、`` ``（一）`` ``1.``);
* heading levels come **only from the numbering** in the text (no styles);
* spaces next to Chinese characters are removed (extraction inserts them, ``2023 年``);
  symbols drawn from another font, typically curly quotes “”, may come out of place;
* lines that are only a page number (``- 3 -``, ``第 3 页``) are dropped;
  other header/footer text may be mixed into the body;
* scanned PDFs (images without a text layer) have no text to check.

Locations are numbers of these reconstructed paragraphs, which is said in the
output (:data:`NOTES`).
"""

from __future__ import annotations

from pathlib import Path

from ..cache import lazy_pattern
from ..document import Document, detect_heading
from ..errors import InputError
from .text import checked_size

#: Largest PDF file read, in bytes.
MAX_PDF_BYTES = 100 * 1024 * 1024
#: Most pages read (a report has a few dozen).
MAX_PAGES = 500

NOTES = [
    "位置按段落计：“行”是从 PDF 中重建的段落序号，“列”是段落内的字符位置。",
    "PDF 不含段落和标题样式：分段是按标点和行宽推测的，标题层级只能根据文字编号（一、（一）1.）推断，"
    "引号等符号的位置可能错乱，页眉页脚可能混入正文；如有 Word 原稿，请检查 .docx。",
]

_PAGE_NUMBER = lazy_pattern(
    r"^\s*(?:[-—–－]\s*\d{1,4}\s*[-—–－]|\d{1,4}|第\s*\d{1,4}\s*页(?:\s*[，,/]?\s*共\s*\d{1,4}\s*页)?)\s*$",
    engine="re",
)
# Spaces the extraction puts next to Chinese characters (``2023 年``) carry no meaning in Chinese text.
_CJK_SPACE = lazy_pattern(
    r"(?<=[\u3000-\u9fff\uff00-\uffef])[ \t\u00a0]+|[ \t\u00a0]+(?=[\u3000-\u9fff\uff00-\uffef])",
    engine="re",
)
_SENTENCE_END = "。！？!?；;：:”’）)"


def lines_to_paragraphs(lines: list[str]) -> list[str]:
    """Join the printed lines of a PDF into paragraphs (see the module docstring).

    ``lines`` are the text lines in reading order across all pages. Returns the
    paragraphs' texts; blank lines are dropped (they only separate paragraphs).
    """
    kept = [_CJK_SPACE.sub("", ln.strip()) for ln in lines if not _PAGE_NUMBER.match(ln)]
    widths = sorted(len(ln) for ln in kept if ln)
    full = widths[int(len(widths) * 0.9)] if widths else 0  # a typical full line's length
    paragraphs: list[str] = []
    current: str | None = None
    prev_len = 0
    for ln in kept:
        if not ln:
            if current is not None:
                paragraphs.append(current)
            current = None
            continue
        starts_new = (
            current is None
            or detect_heading(ln) is not None
            or prev_len < 0.8 * full  # a short line ends its paragraph (last line, title, heading)
            or (current[-1] in _SENTENCE_END and prev_len < full)
        )
        if starts_new:
            if current is not None:
                paragraphs.append(current)
            current = ln
        else:
            current += ln
        prev_len = len(ln)
    if current is not None:
        paragraphs.append(current)
    return paragraphs


def read_pdf(path: str | Path) -> Document:
    """Extract the text of a PDF into a :class:`Document` of kind ``pdf``.

    ``metadata`` holds ``pages``, ``created_year`` when the PDF states a
    creation date, and ``notes`` (what is lost, shown in every output format).

    Raises:
        InputError: pypdf not installed (install ``djcheck[pdf]``), missing,
            too large, encrypted, damaged, or no text layer (a scan).
    """
    name = str(path)
    p = Path(path)
    try:
        from pypdf import PdfReader
        from pypdf.errors import PdfReadError
    except ImportError:
        raise InputError(
            name,
            "检查 PDF 需要安装可选组件：pip install 'djcheck[pdf]'；也可以把报告另存为 .docx 或 .txt 后再检查。",
        ) from None
    checked_size(path, MAX_PDF_BYTES)
    damaged = "PDF 文件已损坏或不完整，无法读取：请重新导出 PDF，或检查 Word 原稿（.docx）。"
    try:
        with p.open("rb") as fh:
            if not fh.read(1024).lstrip().startswith(b"%PDF"):
                raise InputError(name, "这不是 PDF 文件（文件开头没有 %PDF 标记）：请确认文件类型后再检查。")
        reader = PdfReader(str(p))
        if reader.is_encrypted:
            raise InputError(name, "PDF 设置了密码，无法读取：请导出一份没有密码的 PDF，或检查 Word 原稿。")
        if len(reader.pages) > MAX_PAGES:
            raise InputError(name, f"PDF 页数过多（{len(reader.pages)} 页，上限 {MAX_PAGES} 页）。")
        lines: list[str] = []
        for page in reader.pages:  # a page break is not a paragraph break
            lines.extend((page.extract_text() or "").split("\n"))
        meta: dict = {"pages": len(reader.pages)}
        try:
            created = reader.metadata.creation_date if reader.metadata else None
        except Exception:  # a malformed date string must not stop the check
            created = None
    except InputError:
        raise
    except (
        PdfReadError,
        OSError,
        ValueError,
        KeyError,
        TypeError,
        AttributeError,
        IndexError,
        RecursionError,
    ):
        raise InputError(name, damaged) from None
    paragraphs = lines_to_paragraphs(lines)
    if not any(t.strip() for t in paragraphs):
        raise InputError(
            name, "PDF 中没有文字层（可能是扫描件或图片），无法检查：请检查 Word 原稿或文本版本。"
        )
    if created is not None:
        meta["created"] = created.isoformat()
        meta["created_year"] = created.year
    meta["notes"] = list(NOTES)
    return Document.from_paragraphs(paragraphs, path=name, kind="pdf", encoding="pdf", metadata=meta)

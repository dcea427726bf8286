"""Read a draft from disk into text, detecting its encoding.

Encoding choice: a UTF-8 or UTF-16 byte-order mark decides first; otherwise
strict UTF-8, then strict GB18030 (a superset of GBK and GB2312, so every GBK
file decodes). We use the standard library codecs rather than a statistical
detector (charset-normalizer): the only encodings these drafts come in are
UTF-8 and the GB family, strict UTF-8 almost never accepts GB bytes, and a
statistical guess on a short Chinese text can pick a wrong legacy code page.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError

TEXT_SUFFIXES = (".txt", ".md", ".markdown")
#: Largest text file read, in bytes (a report is a few tens of kilobytes).
MAX_TEXT_BYTES = 50 * 1024 * 1024

_BINARY_MAGIC = {
    b"\x89PNG": "PNG 图片",
    b"%PDF": "PDF 文件",
    b"PK\x03\x04": "ZIP 压缩包（或 Word 文档）",
    b"\xd0\xcf\x11\xe0": "旧版 Office 文档（.doc/.wps）",
    b"\xff\xd8\xff": "JPEG 图片",
    b"GIF8": "GIF 图片",
}


@dataclass
class TextSource:
    """Decoded text of a file and what is needed to write it back unchanged.

    Attributes:
        text: the text with line endings normalised to ``\\n`` and no BOM.
        encoding: codec used (``utf-8``, ``utf-8-sig``, ``utf-16``, ``gb18030``).
        newline: the file's dominant line ending (``\\n``, ``\\r\\n`` or ``\\r``).
    """

    text: str
    encoding: str
    newline: str


def _dominant_newline(raw: str) -> str:
    crlf = raw.count("\r\n")
    cr = raw.count("\r") - crlf
    lf = raw.count("\n") - crlf
    if crlf >= max(cr, lf) and crlf:
        return "\r\n"
    if cr > lf:
        return "\r"
    return "\n"


def decode_bytes(data: bytes, path: str) -> TextSource:
    """Decode the bytes of a text draft.

    Raises:
        InputError: empty data, binary content, or bytes that are neither
            UTF-8 nor GB18030.
    """
    if not data:
        raise InputError(path, "文件是空的，没有可检查的内容。")
    for magic, what in _BINARY_MAGIC.items():
        if data.startswith(magic):
            raise InputError(path, f"这是{what}，不是文本文件，请另存为 .txt 或 .docx 后再检查。")
    if data.startswith(b"\xef\xbb\xbf"):
        encoding, body = "utf-8-sig", data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding, body = "utf-16", data
    else:
        encoding, body = None, data
    if encoding is None and b"\x00" in data[:8192]:
        raise InputError(path, "文件含有二进制内容，不是文本文件，请另存为 .txt 或 .docx 后再检查。")
    try:
        if encoding == "utf-16":
            raw = body.decode("utf-16")
        elif encoding == "utf-8-sig":
            raw = body.decode("utf-8")
        else:
            try:
                raw = body.decode("utf-8")
                encoding = "utf-8"
            except UnicodeDecodeError:
                raw = body.decode("gb18030")
                encoding = "gb18030"
    except UnicodeDecodeError:
        raise InputError(
            path,
            "无法识别文件编码（既不是 UTF-8 也不是 GBK/GB18030），请用记事本或 WPS 另存为 UTF-8 后再检查。",
        ) from None
    if _looks_binary(raw):
        raise InputError(path, "文件含有大量控制字符，不像文本文件，请另存为 .txt 或 .docx 后再检查。")
    newline = _dominant_newline(raw)
    text = raw.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise InputError(path, "文件只有空白，没有可检查的内容。")
    return TextSource(text=text, encoding=encoding, newline=newline)


#: Control characters other than \t \n \v \f \r.
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f]")


def _looks_binary(text: str) -> bool:
    sample = text[:4096]
    controls = len(_CONTROL.findall(sample))  # in C: this runs for every file
    return controls > max(8, len(sample) // 20)


def read_text(path: str | os.PathLike) -> TextSource:
    """Read a .txt or .md draft.

    Raises:
        InputError: missing file, a folder, no permission, too large, empty,
            binary or undecodable (message in Chinese, naming the file).
    """
    p = Path(path)
    name = str(path)
    if not p.exists():
        raise InputError(name, "找不到这个文件，请检查路径是否写对。")
    if p.is_dir():
        raise InputError(name, "这是一个文件夹，不是文件。")
    try:
        size = p.stat().st_size
        if size > MAX_TEXT_BYTES:
            raise InputError(
                name,
                f"文件太大（{size // 1024 // 1024} MB），超过 {MAX_TEXT_BYTES // 1024 // 1024} MB 的上限。",
            )
        data = p.read_bytes()
    except PermissionError:
        raise InputError(name, "没有读取这个文件的权限，请检查文件权限。") from None
    except OSError as exc:
        raise InputError(name, f"读取文件失败：{exc.strerror or exc}。") from None
    return decode_bytes(data, name)

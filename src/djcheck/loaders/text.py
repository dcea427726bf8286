"""Read a draft from disk into text, detecting its encoding.

Encoding choice: a UTF-8 or UTF-16 byte-order mark decides first; then
UTF-16 without a mark (zero bytes all at odd or all at even offsets, see
:func:`_utf16_without_bom`); otherwise strict UTF-8 — a file that is UTF-8
apart from a few bytes (mixed encodings, a cut-off last character) is refused
with the line of the first bad byte rather than read as GB18030 nonsense —
then strict GB18030 (a superset of GBK and GB2312, so every GBK
file decodes). We use the standard library codecs rather than a statistical
detector (charset-normalizer): the only encodings these drafts come in are
UTF-8 and the GB family, strict UTF-8 almost never accepts GB bytes, and a
statistical guess on a short Chinese text can pick a wrong legacy code page.
"""

from __future__ import annotations

import codecs
import os
import stat
from pathlib import Path
from typing import BinaryIO

from ..cache import lazy_pattern
from ..errors import InputError
from ..records import record

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


@record
class TextSource:
    """Decoded text of a file and what is needed to write it back unchanged.

    Attributes:
        text: the text with line endings normalised to ``\\n`` and no BOM.
        encoding: codec used (``utf-8``, ``utf-8-sig``, ``utf-16`` (with a byte-order mark),
            ``utf-16-le`` / ``utf-16-be`` (without one), ``gb18030``).
        newline: the file's dominant line ending (``\\n``, ``\\r\\n`` or ``\\r``).
    """

    text: str
    encoding: str
    newline: str


def _dominant_newline(raw: str) -> str:
    if "\r" not in raw:
        return "\n"
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
    if encoding is None and data.find(b"\x00", 0, 8192) >= 0:
        encoding = _utf16_without_bom(data)
        if encoding is None:
            raise InputError(path, "文件含有二进制内容，不是文本文件，请另存为 .txt 或 .docx 后再检查。")
    try:
        if encoding in ("utf-16", "utf-16-le", "utf-16-be"):
            raw = body.decode(encoding)
        elif encoding == "utf-8-sig":
            raw = body.decode("utf-8")
        else:
            try:
                raw = body.decode("utf-8")
                encoding = "utf-8"
            except UnicodeDecodeError as exc:
                _refuse_damaged_utf8(body, exc, path)
                try:
                    raw = body.decode("gb18030")
                except UnicodeDecodeError:
                    _refuse_mixed(body, exc, path)
                    raise
                encoding = "gb18030"
    except UnicodeDecodeError:
        raise InputError(
            path,
            "无法识别文件编码（既不是 UTF-8 也不是 GBK/GB18030），请用记事本或 WPS 另存为 UTF-8 后再检查。",
        ) from None
    return _finished(raw, encoding, path, body if encoding in ("utf-8", "utf-8-sig") else None)


def _finished(raw: str, encoding: str, path: str, utf8: bytes | None) -> TextSource:
    """The :class:`TextSource` of the decoded text ``raw`` (line endings normalised), after the
    checks that it is text (``utf8``: as for :func:`_looks_binary`) and not only blanks."""
    if _looks_binary(raw, utf8):
        raise InputError(path, "文件含有大量控制字符，不像文本文件，请另存为 .txt 或 .docx 后再检查。")
    newline = _dominant_newline(raw)
    text = raw.replace("\r\n", "\n").replace("\r", "\n") if "\r" in raw else raw
    if not text or text.isspace():  # only blanks (str.isspace and str.strip agree on what a blank is)
        raise InputError(path, "文件只有空白，没有可检查的内容。")
    return TextSource(text=text, encoding=encoding, newline=newline)


def _utf16_without_bom(data: bytes) -> str | None:
    """``utf-16-le`` / ``utf-16-be`` when ``data`` reads as UTF-16 text without a byte-order mark, else ``None``.

    Called for data with zero bytes (the high half of ASCII characters and line
    breaks in UTF-16, also the low half of 一 U+4E00). The byte order is the one
    that decodes strictly into text that is almost all Chinese, ASCII and common
    punctuation; the other order, and binary data, give scattered rare characters.
    """
    if len(data) % 2:
        return None
    for codec in ("utf-16-le", "utf-16-be"):
        try:
            head = data.decode(codec)[:4096]
        except UnicodeDecodeError:
            continue
        plain = sum(1 for ch in head if ch.isspace() or " " <= ch <= "~" or _COMMON_CJK(ch))
        if plain >= 0.95 * len(head):
            return codec
    return None


def _COMMON_CJK(ch: str) -> bool:  # noqa: N802 - reads as a character class
    o = ord(ch)
    return 0x4E00 <= o <= 0x9FFF or 0x3000 <= o <= 0x303F or 0xFF00 <= o <= 0xFFEF or 0x2000 <= o <= 0x206F


def _refuse_damaged_utf8(body: bytes, exc: UnicodeDecodeError, path: str) -> None:
    """Raise when ``body`` is UTF-8 apart from a few bytes (mixed encodings, or a cut-off last character).

    Decoding such a file as GB18030 would give nonsense, so it is refused with
    the line of the first bad byte. A file with little valid UTF-8 (a GBK file)
    returns normally and is tried as GB18030.
    """
    line = body.count(b"\n", 0, exc.start) + 1
    if exc.reason == "unexpected end of data" and exc.end >= len(body):
        if body[: exc.start].decode("utf-8", "ignore") and body.count(b"\n") + 1 == line:
            raise InputError(
                path,
                f"文件最后一个字符不完整（第 {line} 行末尾），文件可能没有保存或复制完整：请重新保存为 UTF-8 后再检查。",
            )
    text = body.decode("utf-8", "replace")
    bad = text.count("\ufffd")
    good = sum(1 for ch in text if ord(ch) > 0x7F) - bad
    if good >= 10 and good >= 4 * bad:
        raise InputError(
            path,
            f"文件编码混杂：大部分是 UTF-8，但第 {line} 行起有不是 UTF-8 的内容（共 {bad} 处，可能是从 GBK 编码的文档粘贴来的）："
            "请用记事本或 WPS 打开，检查该处文字后另存为 UTF-8 再检查。",
        )


def _refuse_mixed(body: bytes, exc: UnicodeDecodeError, path: str) -> None:
    """Raise the mixed-encodings error when ``body`` is valid UTF-8 Chinese text up to the bad byte."""
    before = body[: exc.start].decode("utf-8")
    if sum(1 for ch in before if ord(ch) > 0x7F) >= 10:
        line = body.count(b"\n", 0, exc.start) + 1
        raise InputError(
            path,
            f"文件编码混杂：第 {line} 行之前是 UTF-8，从第 {line} 行起不是（可能混入了 GBK 编码的内容）："
            "请用记事本或 WPS 打开，检查该处文字后另存为 UTF-8 再检查。",
        )


#: Control characters other than \t \n \v \f \r.
_CONTROL = lazy_pattern("[\x00-\x08\x0e-\x1f]", engine="re")
_CONTROL_BYTES = bytes(range(0x00, 0x09)) + bytes(range(0x0E, 0x20))
SAMPLE_CHARS = 4096


def _looks_binary(text: str, utf8: bytes | None = None) -> bool:
    """Whether the first :data:`SAMPLE_CHARS` characters of ``text`` hold many control characters.

    ``utf8``: the UTF-8 bytes ``text`` was decoded from, if it was; for a text no longer than
    the sample they are counted there (a control character is one byte in UTF-8 and no byte of
    another character is one; ``bytes.translate`` counts several times faster than a regex, and
    most drafts hold none, which one ``memchr`` per control byte tells faster still).
    """
    sample = text[:SAMPLE_CHARS]
    if utf8 is not None and len(text) <= SAMPLE_CHARS:
        if not any(byte in utf8 for byte in _CONTROL_BYTES):
            return False
        controls = len(utf8) - len(utf8.translate(None, _CONTROL_BYTES))
    else:
        controls = len(_CONTROL.findall(sample))  # in C: this runs for every file
    return controls > max(8, len(sample) // 20)


def checked_size(path: str | os.PathLike, limit: int) -> int:
    """Size in bytes of the regular file ``path``, checked before it is read (shared by every loader).

    Raises:
        InputError: missing, a folder, a pipe or device, unreadable, or larger than ``limit`` bytes.
    """
    name = str(path)
    try:
        st = os.stat(path)  # one system call when the file is there
    except (OSError, ValueError):
        st = _stat_or_explain(path)
    if stat.S_ISDIR(st.st_mode):
        raise InputError(name, "这是一个文件夹，不是文件。")
    if not stat.S_ISREG(st.st_mode):  # a named pipe or a device such as /dev/zero would block or never end
        raise InputError(name, "这不是普通文件（可能是管道或设备），无法检查。")
    size = st.st_size
    if size > limit:
        raise InputError(
            name, f"文件太大（{size // 1024 // 1024} MB），超过 {limit // 1024 // 1024} MB 的上限。"
        )
    return size


def _stat_or_explain(path: str | os.PathLike) -> os.stat_result:
    """After ``os.stat(path)`` failed: an :class:`InputError` saying why (missing as :meth:`Path.exists`
    sees it, unreadable), or the status when a second look finds the file after all."""
    p = Path(path)
    name = str(path)
    if not p.exists():
        raise InputError(name, "找不到这个文件，请检查路径是否写对。")
    try:
        return p.stat()
    except PermissionError:
        raise InputError(name, "没有读取这个文件的权限，请检查文件权限。") from None
    except OSError as exc:
        raise InputError(name, f"读取文件失败：{exc.strerror or exc}。") from None


def read_text(path: str | os.PathLike) -> TextSource:
    """Read a .txt or .md draft.

    Raises:
        InputError: missing file, a folder, no permission, too large, empty,
            binary or undecodable (message in Chinese, naming the file).
    """
    name = str(path)
    size = checked_size(path, MAX_TEXT_BYTES)
    try:
        with open(path, "rb") as f:
            decoded = _utf8_in_stretches(f) if size > STRETCH_BYTES else None
            if decoded is None:
                f.seek(0)
                data = f.read()
    except PermissionError:
        raise InputError(name, "没有读取这个文件的权限，请检查文件权限。") from None
    except OSError as exc:
        raise InputError(name, f"读取文件失败：{exc.strerror or exc}。") from None
    if decoded is not None:
        return _finished(*decoded, name, None)
    return decode_bytes(data, name)


#: Bytes of a file read at once by :func:`_utf8_in_stretches` (a larger UTF-8 file is read so).
STRETCH_BYTES = 1 << 20


def _utf8_in_stretches(f: BinaryIO) -> tuple[str, str] | None:
    """``(text, encoding)`` of the UTF-8 file ``f`` (``utf-8``, or ``utf-8-sig`` with a byte-order
    mark), read and decoded a stretch of :data:`STRETCH_BYTES` at a time; ``None`` when its start
    says it is not such a file (binary, UTF-16) or a stretch does not decode: :func:`decode_bytes`
    then reads it whole, and decides or explains as for any file.

    Why: reading the whole file and then decoding it held the bytes and the text at once, 57 MiB
    for a report of 12 M Chinese characters (3 bytes each); the text's pieces and the text joined
    from them take 46. Each stretch is decoded strictly and a character cut at the end of one is
    completed by the next, so the text is what :func:`decode_bytes` gives.
    """
    head = f.read(STRETCH_BYTES)
    if head.startswith((*_BINARY_MAGIC, b"\xff\xfe", b"\xfe\xff")) or head.find(b"\x00", 0, 8192) >= 0:
        return None
    encoding = "utf-8-sig" if head.startswith(b"\xef\xbb\xbf") else "utf-8"
    decoder = codecs.getincrementaldecoder("utf-8")()
    pieces = []
    chunk = head[3:] if encoding == "utf-8-sig" else head
    del head
    try:
        while chunk:
            pieces.append(decoder.decode(chunk))
            chunk = f.read(STRETCH_BYTES)
        pieces.append(decoder.decode(b"", final=True))
    except UnicodeDecodeError:
        return None
    return "".join(pieces), encoding

"""No traceback, ever: the bad-input matrix through the real command line.

Every bad input is checked together with a good draft. Each must give exactly one
Chinese line on standard error that names the file and the cause, exit code 2,
and the good draft must still be checked and scored. Inputs that are unusual but
valid (UTF-16, GB18030, 10 MB, a 1 MB line, control characters) must simply be
checked. Every input file is registered with ``unchanged``: reading never writes it.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import struct
import subprocess
import sys
import time
import zipfile
import zlib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import SAMPLES
from djcheck import safe_regex
from djcheck.cli import app
from docxutil import text_to_docx

runner = CliRunner()
GOOD_TEXT = (SAMPLES / "good-report.txt").read_text(encoding="utf-8")
HAN = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def good(tmp_path, unchanged):
    path = tmp_path / "good.txt"
    path.write_text(GOOD_TEXT, encoding="utf-8")
    return unchanged(path)


def cli(*args):
    return runner.invoke(app, [str(a) for a in args])


def assert_refused(result, good: Path, bad: Path, *words: str) -> str:
    """Exit 2, one Chinese line naming ``bad`` (with ``words``) on stderr, no traceback, ``good`` still scored."""
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 2, (result.exit_code, result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    line = lines[0]
    assert line.startswith("djcheck：") and str(bad) in line and HAN.search(line), line
    for w in words:
        assert w in line, (w, line)
    assert "Traceback" not in result.output and "Usage:" not in result.output
    files = {f["path"]: f for f in json.loads(result.stdout)["files"]}
    assert files[str(good)]["error"] is None and 0 <= files[str(good)]["score"] <= 100
    assert files[str(bad)]["error"] and files[str(bad)]["score"] is None
    return line


def check_json(*paths, extra=()):
    return cli("check", *paths, "-f", "json", *extra)


# -- drafts that cannot be read --------------------------------------------------------------
def _zip_bytes(members: dict[str, bytes]) -> bytes:
    import io

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def _base_docx() -> tuple[dict[str, bytes], str]:
    """The parts of a small Word draft, and its document.xml with ``encoding="UTF-8"`` in the declaration."""
    import io

    import docx

    document = docx.Document()
    for line in GOOD_TEXT.split("\n")[:12]:
        document.add_paragraph(line)
    buf = io.BytesIO()
    document.save(buf)
    with zipfile.ZipFile(buf) as zf:
        parts = {i.filename: zf.read(i) for i in zf.infolist()}
    xml = parts["word/document.xml"].decode("utf-8").replace("encoding='UTF-8'", 'encoding="UTF-8"', 1)
    return parts, xml


def _hostile_docx(kind: str) -> bytes:
    """Word files of issue 16 item 11: a DTD in a UTF-32 part, a UTF-7 part, a DTD in a part named
    ``.XML``, and a main part not named ``*.xml`` with more tags than the limit."""
    from djcheck.loaders.docx import MAX_XML_TAGS

    parts, xml = _base_docx()
    doctype = '<!DOCTYPE w:document [<!ENTITY a "x">]>'
    decl, rest = xml.split("?>", 1)
    if kind == "utf32-dtd":
        evil = (decl.replace("UTF-8", "UTF-32") + "?>" + doctype + rest).encode("utf-32")
        parts["word/document.xml"] = evil
    elif kind == "utf7":
        parts["word/document.xml"] = (decl.replace("UTF-8", "UTF-7") + "?>+ADw-!DOCTYPE x+AD4-" + rest).encode()
    elif kind == "upper-xml-dtd":
        parts["word/Extra.XML"] = ('<?xml version="1.0"?>' + doctype + "<x/>").encode()
    elif kind == "main-part-bomb":
        kind_main = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
        types = parts["[Content_Types].xml"].decode()
        parts["[Content_Types].xml"] = types.replace(
            "</Types>", f'<Override PartName="/word/main.bin" ContentType="{kind_main}"/></Types>'
        ).encode()
        parts["_rels/.rels"] = parts["_rels/.rels"].replace(b"word/document.xml", b"word/main.bin")
        parts["word/_rels/main.bin.rels"] = parts["word/_rels/document.xml.rels"]
        parts["word/main.bin"] = xml.replace("<w:body>", "<w:body>" + "<w:p/>" * (MAX_XML_TAGS + 1), 1).encode()
    import io

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return buf.getvalue()


PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"

BAD_FILES = {
    # name: (file name, content builder, words in the message)
    "empty": ("empty.txt", lambda: b"", ["空的"]),
    "whitespace": ("blank.txt", lambda: " \n\t\r\n\u3000\n".encode(), ["只有空白"]),
    "png": ("picture.txt", lambda: PNG + bytes(range(256)), ["PNG"]),
    "zip": ("archive.txt", lambda: _zip_bytes({"a.txt": b"hello"}), ["ZIP"]),
    "png-as-md": ("scan.md", lambda: PNG, ["PNG"]),
    "control-characters": ("ctrl.txt", lambda: ("\x01\x02\x1b" * 400).encode(), ["控制字符"]),
    "mixed-encodings": (
        "mixed.txt",
        lambda: GOOD_TEXT[:600].encode("utf-8") + GOOD_TEXT[600:].encode("gb18030"),
        ["编码混杂", "行"],
    ),
    "utf8-with-gbk-paste": (
        "pasted.txt",
        lambda: GOOD_TEXT[:2000].encode() + "粘贴的内容".encode("gbk") + GOOD_TEXT[2000:].encode(),
        ["编码混杂", f"第 {GOOD_TEXT[:2000].count(chr(10)) + 1} 行"],
    ),
    "cut-utf8": ("cut.txt", lambda: GOOD_TEXT.encode()[:-2], ["不完整"]),
    "text-renamed-docx": ("renamed.docx", lambda: GOOD_TEXT.encode(), ["扩展名改为 .txt"]),
    "png-renamed-docx": ("photo.docx", lambda: PNG, ["不是 Word 文档"]),
    "zip-renamed-docx": ("data.docx", lambda: _zip_bytes({"a.txt": b"x"}), ["压缩包"]),
    "empty-docx": ("empty.docx", lambda: b"", ["空的"]),
    "legacy-doc": ("old.doc", lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), ["另存为"]),
    # issue 16, item 11: every part bounded and checked whatever its name and encoding
    "docx-utf32-dtd": ("wide.docx", lambda: _hostile_docx("utf32-dtd"), ["DTD"]),
    "docx-utf7-part": ("utf7.docx", lambda: _hostile_docx("utf7"), ["字符编码"]),
    "docx-upper-case-xml-dtd": ("upper.docx", lambda: _hostile_docx("upper-xml-dtd"), ["Extra.XML", "DTD"]),
    "docx-main-part-not-xml": ("mainbin.docx", lambda: _hostile_docx("main-part-bomb"), ["main.bin", "过多"]),
}


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_unreadable_draft_is_one_line_and_the_others_are_checked(case, tmp_path, good, unchanged):
    name, build, words = BAD_FILES[case]
    bad = tmp_path / name
    bad.write_bytes(build())
    unchanged(bad)
    assert_refused(check_json(good, bad), good, bad, *words)


def test_missing_path(tmp_path, good):
    bad = tmp_path / "没有这个文件.txt"
    assert_refused(check_json(good, bad), good, bad, "找不到")


def test_empty_path_is_not_the_current_folder(tmp_path, good, monkeypatch):
    monkeypatch.chdir(tmp_path)  # holds good.txt: an empty name must not check it a second time
    result = check_json(good, "")
    assert result.exit_code == 2 and result.stderr.strip() == "djcheck：命令行中有一个空的文件名（脚本中的变量可能没有赋值），已跳过。"
    assert [f["path"] for f in json.loads(result.stdout)["files"]] == ["", str(good)]


def test_annotate_of_a_missing_draft_names_the_draft(tmp_path):
    missing = tmp_path / "报告.docx"
    result = cli("check", missing, "--annotate", tmp_path / "批注.docx")
    assert result.exit_code == 2 and result.stderr.strip() == f"djcheck：{missing}：找不到这个文件或文件夹，请检查路径是否写对。"


def test_directory_without_drafts(tmp_path, good):
    folder = tmp_path / "空文件夹"
    folder.mkdir()
    (folder / "notes.pdf").write_bytes(b"%PDF-1.4\n")  # not walked: PDFs only when named
    assert_refused(check_json(good, folder), good, folder, "没有可检查的文件")


def test_directory_named_like_a_draft(tmp_path, good):
    folder = tmp_path / "report.docx"
    folder.mkdir()
    assert_refused(check_json(good, folder), good, folder)


def test_named_pipe_is_refused_without_blocking(tmp_path, good):
    if not hasattr(os, "mkfifo"):
        pytest.skip("no named pipes on this platform")
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    assert_refused(check_json(good, fifo), good, fifo, "不是普通文件")


def test_truncated_docx(tmp_path, good, unchanged):
    whole = text_to_docx(GOOD_TEXT, tmp_path / "whole.docx")
    bad = tmp_path / "truncated.docx"
    bad.write_bytes(whole.read_bytes()[: whole.stat().st_size * 2 // 3])
    unchanged(bad)
    assert_refused(check_json(good, bad), good, bad, "损坏")


# -- a .docx zip bomb ---------------------------------------------------------------------------
GIB = 1 << 30


def _zip_bomb(path: Path, expands_to: int = 2 * GIB) -> Path:
    """A .docx whose word/document.xml is a real deflate stream of ``expands_to`` zero bytes.

    The stream is one compressed MiB of zeros ending in a full flush (byte-aligned, no
    references across it) repeated, then a final empty block: about 1 KB per MiB, so a
    2 GiB bomb is a 2 MB file, built in milliseconds without compressing 2 GiB.
    """
    chunk = 1 << 20
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = comp.compress(bytes(chunk)) + comp.flush(zlib.Z_FULL_FLUSH)
    stream = block * (expands_to // chunk) + b"\x03\x00"  # final, empty fixed-Huffman block
    members = [
        ("[Content_Types].xml", b'<?xml version="1.0"?><Types/>', 0, zlib.crc32(b'<?xml version="1.0"?><Types/>')),
        ("word/document.xml", stream, 8, 0),  # CRC never reached: the file is refused first
    ]
    out, central = bytearray(), bytearray()
    for name, data, method, crc in members:
        raw_name = name.encode()
        size = len(data) if method == 0 else expands_to
        offset = len(out)
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, method, 0, 0, crc, len(data), size, len(raw_name), 0)
        out += raw_name + data
        central += struct.pack(
            "<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, method, 0, 0, crc, len(data), size,
            len(raw_name), 0, 0, 0, 0, 0, offset,
        )
        central += raw_name
    eocd = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(central), len(out), 0)
    path.write_bytes(bytes(out + central + eocd))
    return path


def test_zip_bomb_docx_is_refused_before_anything_is_decompressed(tmp_path, good, unchanged, monkeypatch):
    bomb = unchanged(_zip_bomb(tmp_path / "bomb.docx"))
    assert bomb.stat().st_size < 3 * 1024 * 1024
    with zipfile.ZipFile(bomb) as zf:  # it is a real bomb: declared 2 GiB, and it does decompress
        assert zf.getinfo("word/document.xml").file_size == 2 * GIB
        with zf.open("word/document.xml") as member:
            assert member.read(1 << 20) == bytes(1 << 20)
    opened: list[str] = []
    real_open = zipfile.ZipFile.open

    def spy(self, name, *args, **kwargs):
        opened.append(getattr(name, "filename", name))
        return real_open(self, name, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "open", spy)
    line = assert_refused(check_json(good, bomb), good, bomb, "过大", "拒绝")
    assert "word/document.xml" not in opened, opened
    assert "2048 MB" in line


def test_zip_bomb_through_the_console_script(tmp_path, good):
    bomb = _zip_bomb(tmp_path / "bomb.docx", expands_to=GIB)
    proc = subprocess.run(
        [sys.executable, "-m", "djcheck", "check", str(good), str(bomb), "-f", "plain"],
        capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 2 and "Traceback" not in proc.stderr + proc.stdout
    assert f"{bomb}：Word 文档解压后过大" in proc.stdout and "good.txt: 得分" in proc.stdout


# -- XML external entities -----------------------------------------------------------------------
def test_docx_declaring_external_entities_is_refused_and_nothing_is_read(tmp_path, good, unchanged):
    secret = tmp_path / "secret.txt"
    secret.write_text("机密内容-NOT-FOR-OUTPUT", encoding="utf-8")
    plain = text_to_docx("一、工作情况\nPLACEHOLDER", tmp_path / "plain.docx")
    with zipfile.ZipFile(plain) as zf:
        parts = {i.filename: zf.read(i) for i in zf.infolist()}
    xml = parts["word/document.xml"].decode()
    decl, rest = xml.split("?>", 1)
    dtd = f'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>'
    parts["word/document.xml"] = (decl + "?>" + dtd + rest.replace("PLACEHOLDER", "&xxe;")).encode()
    bad = tmp_path / "xxe.docx"
    bad.write_bytes(_zip_bytes(parts))
    unchanged(bad, secret)
    result = check_json(good, bad)
    assert_refused(result, good, bad, "DTD")
    assert "NOT-FOR-OUTPUT" not in result.output


# -- permissions ------------------------------------------------------------------------------------
def _without_override() -> list[str] | None:
    """A command prefix under which file permissions apply, or ``None`` if they cannot be enforced.

    As a normal user permissions apply anyway. As root (CI) the process keeps uid 0 but drops
    CAP_DAC_OVERRIDE / CAP_DAC_READ_SEARCH with ``setpriv``, so a mode-000 file is unreadable.
    """
    if os.name != "posix":
        return None
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    return [setpriv, "--bounding-set=-dac_override,-dac_read_search", "--"] if setpriv else None


def test_unreadable_file_and_folder(tmp_path, good, unchanged):
    prefix = _without_override()
    if prefix is None:
        pytest.skip("文件权限在此环境中不起作用（以 root 运行且没有 setpriv 可以放弃越权能力）")
    locked = tmp_path / "locked.txt"
    locked.write_text(GOOD_TEXT, encoding="utf-8")
    locked_docx = text_to_docx(GOOD_TEXT, tmp_path / "locked.docx")
    folder = tmp_path / "drafts"
    (folder / "secret").mkdir(parents=True)
    (folder / "secret" / "hidden.txt").write_text(GOOD_TEXT, encoding="utf-8")
    (folder / "open.txt").write_text(GOOD_TEXT, encoding="utf-8")
    unchanged(locked, locked_docx)
    probe = prefix + [sys.executable, "-c", f"open({str(locked)!r}).read()"]
    for p in (locked, locked_docx, folder / "secret"):
        p.chmod(0)
    try:
        if subprocess.run(probe, capture_output=True).returncode == 0:
            pytest.skip("文件权限在此环境中不起作用（无法放弃越权读取的能力）")
        proc = subprocess.run(
            prefix + [sys.executable, "-m", "djcheck", "check", str(good), str(locked), str(locked_docx),
                      str(folder), "-f", "json"],
            capture_output=True, text=True, timeout=120,
        )
    finally:
        for p in (locked, locked_docx, folder / "secret"):
            p.chmod(0o700)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert sorted(lines) == sorted(
        [
            f"djcheck：{locked}：没有读取这个文件的权限，请检查文件权限。",
            f"djcheck：{locked_docx}：没有读取这个文件的权限，请检查文件权限。",
            f"djcheck：{folder / 'secret'}：没有读取这个文件夹的权限（或无法读取），其中的文件没有检查。",
        ]
    ), lines
    files = {f["path"]: f for f in json.loads(proc.stdout)["files"]}
    assert files[str(good)]["score"] == 100 and files[str(folder / "open.txt")]["score"] == 100


# -- unusual but valid drafts: checked like their UTF-8 twin --------------------------------------------
def _verdict(result, path: Path) -> tuple:
    f = {f["path"]: f for f in json.loads(result.stdout)["files"]}[str(path)]
    assert f["error"] is None, f["error"]
    return f["score"], [(i["id"], i["status"]) for i in f["checklist"]], [
        (x["rule"], x["line"], x["col"], x["match"]) for x in f["findings"]
    ]


ENCODINGS = {
    "utf-16-bom-le": lambda t: b"\xff\xfe" + t.encode("utf-16-le"),
    "utf-16-bom-be": lambda t: b"\xfe\xff" + t.encode("utf-16-be"),
    "utf-16-le-no-bom": lambda t: t.encode("utf-16-le"),
    "gb18030": lambda t: t.encode("gb18030"),
    "gbk-crlf": lambda t: t.replace("\n", "\r\n").encode("gbk"),
    "utf-8-bom": lambda t: b"\xef\xbb\xbf" + t.encode("utf-8"),
}


@pytest.mark.parametrize("encoding", list(ENCODINGS))
def test_other_encodings_are_checked_like_utf8(encoding, tmp_path, good, unchanged):
    other = tmp_path / f"{encoding}.txt"
    other.write_bytes(ENCODINGS[encoding](GOOD_TEXT))
    unchanged(other)
    result = check_json(good, other)
    assert result.exit_code == 0, result.output
    assert _verdict(result, other) == _verdict(result, good)


def test_a_few_control_characters_are_checked(tmp_path, good, unchanged):
    path = tmp_path / "ctrl.txt"
    path.write_text(GOOD_TEXT.replace("。", "。\x0b", 3).replace("，", "\x01，", 2), encoding="utf-8")
    unchanged(path)
    result = check_json(path)
    assert result.exit_code in (0, 1), result.output
    score, checklist, _ = _verdict(result, path)
    assert 0 <= score <= 100 and checklist


def test_ten_megabytes_of_text(tmp_path, good, unchanged):
    big = tmp_path / "big.txt"
    unit = GOOD_TEXT.encode("utf-8")
    big.write_bytes(unit * (10 * 1024 * 1024 // len(unit) + 1))
    assert big.stat().st_size >= 10 * 1024 * 1024
    unchanged(big)
    result = check_json(good, big)
    assert result.exit_code in (0, 1), result.output
    score, checklist, _ = _verdict(result, big)
    assert 0 <= score <= 100 and len(checklist) > 5


@pytest.mark.parametrize("unit", ["这是一行很长的文字，没有换行。", "a", "1", "《通知》", "（一）"])
def test_a_single_one_megabyte_line(unit, tmp_path, good, unchanged):
    path = tmp_path / "oneline.txt"
    path.write_text("关于2026年落实全面从严治党主体责任情况的报告\n" + unit * (1024 * 1024 // len(unit.encode())) + "\n",
                    encoding="utf-8")
    unchanged(path)
    result = check_json(good, path, extra=("--profile", "zhuti-zeren"))
    assert result.exit_code in (0, 1), result.output
    score, _, _ = _verdict(result, path)
    assert 0 <= score <= 100


# -- rule packs ----------------------------------------------------------------------------------------
PACK_HEAD = "id: mine\ntitle: 本单位规则\nextends: zhuti-zeren\nrules:\n"
BAD_PACKS = {
    # the line where the unpaired quote opens, not where the file ends
    "syntax": ('id: mine\ntitle: "没有结束的引号\nrules: [\n', 2, ["YAML 格式错误", "引号"]),
    "unknown-key": (PACK_HEAD + "  - id: mine\n    kind: pattern\n    title: 自定义\n    level: warning\n    colour: red\n",
                    9, ["不认识的键“colour”"]),
    "wrong-type": (PACK_HEAD + "  - id: mine\n    kind: pattern\n    title: 自定义\n    level: warning\n    weight: 很多\n",
                   9, ["“weight”的类型不对", "数字"]),
    "wrong-level": (PACK_HEAD + "  - id: mine\n    kind: pattern\n    title: 自定义\n    level: fatal\n", 8, ["level"]),
    "python-tag": ('id: !!python/object/apply:os.system ["echo PWNED > {marker}"]\ntitle: x\n', 1,
                   ["不允许的 YAML 标签"]),
    "invalid-regex": (PACK_HEAD + "  - id: broken\n    kind: pattern\n    title: 自定义\n    level: warning\n"
                      "    options:\n      patterns:\n        - pattern: '(未闭合'\n", 10, ["规则“broken”", "正则", "写错了"]),
    "not-a-mapping": ("- 只是\n- 一个列表\n", 1, ["键值映射"]),
    # issue 16 item 8: .nan / .inf are YAML floats that pass a schema's minimum/maximum
    "nan-weight": (PACK_HEAD + "  - id: mine\n    kind: pattern\n    title: 自定义\n    level: warning\n    weight: .nan\n",
                   9, ["“weight”", "NaN"]),
    "nan-min-score": ("id: mine\ntitle: 本单位规则\nextends: zhuti-zeren\nmin_score: .nan\n", 4, ["“min_score”", "NaN"]),
    "inf-detect-weight": ("id: mine\ntitle: 本单位规则\nextends: zhuti-zeren\ndetect:\n  title: {主体责任: .inf}\n",
                          5, ["“主体责任”", "无穷大"]),
    # issue 16 item 6: a few hundred bytes of aliases of aliases ("billion laughs") is refused before expansion
    "billion-laughs": (None, 7, ["别名", "不予展开"]),
    # issue 16 item 10: a bool key, a 5,000-digit integer
    "bool-key": (PACK_HEAD.replace("rules:\n", "") + "detect:\n  words:\n    true: 3\n", 6, ["true", "引号"]),
    "huge-integer": ("id: mine\ntitle: 本单位规则\nmin_score: " + "9" * 5000 + "\n", 3, ["数字太长", "5000 位"]),
    "deep-nesting": ("id: mine\ntitle: 本单位规则\ndescription: " + "[" * 990 + "]" * 990 + "\n", 3, ["嵌套太深"]),
    "number-key": (PACK_HEAD.replace("rules:\n", "") + "detect:\n  words:\n    123: 3\n", 6, ["123", "引号"]),
}


def laughs_yaml(head: str = "id: mine\ntitle: 本单位规则\n") -> str:
    """A "billion laughs" YAML text: nine levels, each naming the previous one nine times (9⁹ values)."""
    text = head + "a: &a [" + ",".join(["哈"] * 9) + "]\n"
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        text += f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]\n"
    return text


BAD_PACKS["billion-laughs"] = (laughs_yaml(), 7, ["别名", "不予展开"])


@pytest.mark.parametrize("case", list(BAD_PACKS))
def test_malformed_pack_given_with_profile_is_one_line(case, tmp_path, good, unchanged):
    text, line, words = BAD_PACKS[case]
    marker = tmp_path / "PWNED"
    pack = tmp_path / f"{case}.yaml"
    pack.write_text(text.replace("{marker}", str(marker)), encoding="utf-8")
    unchanged(pack, marker)  # the marker must never be created: YAML tags are not executed
    other = tmp_path / "other.txt"
    other.write_text(GOOD_TEXT, encoding="utf-8")
    result = cli("check", good, other, "--profile", pack, "-f", "json")
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"djcheck：{pack}:{line}："), result.stderr
    assert all(w in lines[0] for w in words), lines[0]
    assert "Traceback" not in result.output


@pytest.mark.parametrize("case", ["syntax", "unknown-key", "python-tag", "invalid-regex"])
def test_malformed_pack_of_one_folder_leaves_the_other_folders_checked(case, tmp_path, unchanged):
    text, line, words = BAD_PACKS[case]
    ours, theirs = tmp_path / "ours", tmp_path / "theirs"
    ours.mkdir()
    theirs.mkdir()
    (tmp_path / "packs").mkdir()
    pack = tmp_path / "packs" / "bad.yaml"
    pack.write_text(text.replace("{marker}", str(tmp_path / "PWNED")), encoding="utf-8")
    (theirs / ".djcheck.yaml").write_text("profile: ../packs/bad.yaml\n", encoding="utf-8")
    mine, broken = ours / "report.txt", theirs / "report.txt"
    for p in (mine, broken):
        p.write_text(GOOD_TEXT, encoding="utf-8")
    unchanged(mine, broken, pack, tmp_path / "PWNED")
    result = cli("check", ours, theirs, "-f", "json")
    assert result.exit_code == 2, result.output
    assert_refused(result, mine, broken, f"bad.yaml:{line}：", *words)


@pytest.mark.parametrize("value", [".nan", ".inf", "-.inf", ".NaN"])
def test_a_config_with_a_nan_pass_mark_is_refused_and_json_never_holds_nan(value, tmp_path, unchanged):
    folder = tmp_path / "drafts"
    folder.mkdir()
    config = folder / ".djcheck.yaml"
    config.write_text(f"min_score: {value}\n", encoding="utf-8")
    draft = folder / "report.txt"
    draft.write_text(GOOD_TEXT, encoding="utf-8")
    unchanged(config, draft)
    result = cli("check", draft, "-f", "json")
    assert result.exit_code == 2, result.output

    def no_constant(name):
        raise AssertionError(f"JSON holds {name}")

    json.loads(result.stdout, parse_constant=no_constant)  # valid JSON: no NaN / Infinity as a number
    # the bad config is an error of the draft under it (issue 16 item 14), named with its key
    assert str(config) in result.output and "min_score" in result.output and "Traceback" not in result.output


def test_json_writers_refuse_to_write_nan():
    """A NaN that slipped through would make the output not JSON: the writers raise instead."""
    import io

    from djcheck.model import FileResult
    from djcheck.report import get_writer

    for fmt in ("json", "sarif"):
        with pytest.raises(ValueError):
            get_writer(fmt)([FileResult(path="a.txt", score=float("nan"), min_score=80.0)], io.StringIO())


def _slow_pack(tmp_path: Path) -> Path:
    pack = tmp_path / "slow.yaml"
    pack.write_text(
        PACK_HEAD + "  - id: slow-re\n    kind: pattern\n    title: 回溯灾难\n    level: warning\n"
        "    options:\n      patterns:\n        - pattern: '(a+)+$'\n",
        encoding="utf-8",
    )
    return pack


def test_catastrophic_regex_is_stopped_and_named(tmp_path, good, unchanged, monkeypatch):
    monkeypatch.setattr(safe_regex, "REGEX_TIMEOUT", 0.5)
    pack = _slow_pack(tmp_path)
    trap = tmp_path / "trap.txt"
    trap.write_text(GOOD_TEXT + "a" * 50_000 + "!\n", encoding="utf-8")
    unchanged(trap, pack)
    started = time.monotonic()
    result = check_json(good, trap, extra=("--profile", pack))
    assert time.monotonic() - started < 20
    line = assert_refused(result, good, trap, "slow-re", "(a+)+$", "超过 0.5 秒", str(pack))
    assert line.startswith(f"djcheck：{trap}：{pack}:")


def test_catastrophic_regex_through_the_console_script(tmp_path, good):
    """The real bound (the default timeout) in a real process: the run ends, exit 2, the good file is scored."""
    pack = _slow_pack(tmp_path)
    trap = tmp_path / "trap.txt"
    trap.write_text(GOOD_TEXT + "a" * 50_000 + "!\n", encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "djcheck", "check", str(good), str(trap), "--profile", str(pack), "-f", "plain"],
        capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert f"规则“slow-re”：正则“(a+)+$”运行超过 {safe_regex.REGEX_TIMEOUT:g} 秒" in proc.stdout
    assert "good.txt: 得分 100/100" in proc.stdout


# -- the command line itself -------------------------------------------------------------------------
USAGE_ERRORS = [
    (["check"], "缺少参数"),
    (["check", "{good}", "--bogus"], "没有 --bogus 这个选项"),
    (["check", "{good}", "--jobz", "2"], "是不是要用 --jobs"),
    (["check", "{good}", "-f", "xml"], "可选：auto"),
    (["check", "{good}", "--jobs", "0"], "超出范围"),
    (["check", "{good}", "--jobs", "两个"], "不是整数"),
    (["check", "{good}", "--min-score", "很高"], "不是数字"),
    (["check", "{good}", "--year", "1990"], "超出范围"),
    (["check", "{good}", "--min-score"], "后面要写一个值"),
    (["check", "{good}", "--min-score", "nan"], "NaN"),
    (["check", "{good}", "--min-score", "inf"], "超出范围"),
    (["nosuch"], "没有“nosuch”这个命令"),
    (["rules", "nosuch"], "没有“nosuch”这个命令"),
    (["explain"], "缺少参数"),
    (["init", "a", "b"], "多余的参数"),
]


@pytest.mark.parametrize("args, words", USAGE_ERRORS)
def test_usage_errors_are_one_chinese_line(args, words, good):
    result = cli(*[a.replace("{good}", str(good)) for a in args])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("djcheck：") and words in lines[0], result.stderr
    assert "Usage" not in result.output and "╭" not in result.output and "Traceback" not in result.output


def test_usage_error_through_the_console_script(good):
    proc = subprocess.run(
        [sys.executable, "-m", "djcheck", "check", str(good), "--format", "xml"],
        capture_output=True, text=True, timeout=60,
    )
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.strip() == (
        "djcheck：--format / -f 的值“xml”无效，可选：auto、rich、plain、json、sarif、github、html、csv"
    )


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("fmt", ["plain", "json", "rich"])
@pytest.mark.parametrize("where", ["/dev/full", "closed"])
def test_results_that_cannot_be_written_end_in_one_chinese_line(where, fmt, good):
    """Standard output on a full device, or closed: a Chinese line saying so and exit 2, not 内部错误."""
    if where == "closed":
        proc = subprocess.run(
            [sys.executable, "-m", "djcheck", "check", str(good), "-f", fmt],
            stderr=subprocess.PIPE, text=True, timeout=120, preexec_fn=lambda: os.close(1),
        )
    else:
        with open("/dev/full", "w") as full:
            proc = subprocess.run(
                [sys.executable, "-m", "djcheck", "check", str(good), "-f", fmt],
                stdout=full, stderr=subprocess.PIPE, text=True, timeout=120,
            )
    lines = proc.stderr.strip().splitlines()
    assert proc.returncode == 2 and len(lines) == 1, proc.stderr
    assert lines[0].startswith("djcheck：") and "内部错误" not in lines[0] and "Traceback" not in proc.stderr
    assert ("磁盘已满" if where == "/dev/full" else "标准输出已关闭") in lines[0]


def test_an_unexpected_error_in_one_file_is_contained(tmp_path, good, monkeypatch):
    """A bug in a check (simulated) becomes that file's one-line error; the other files are still checked."""
    import djcheck.runner

    real = djcheck.runner.check_document

    def flaky(doc, pack, **kw):
        if "boom" in doc.path:
            raise ValueError("simulated bug")
        return real(doc, pack, **kw)

    monkeypatch.setattr(djcheck.runner, "check_document", flaky)
    boom = tmp_path / "boom.txt"
    boom.write_text(GOOD_TEXT, encoding="utf-8")
    assert_refused(check_json(good, boom), good, boom, "内部错误", "ValueError: simulated bug")
    monkeypatch.setenv("DJCHECK_DEBUG", "1")
    assert isinstance(check_json(good, boom).exception, ValueError)


def test_bundled_patterns_run_unguarded_and_other_packs_are_guarded(tmp_path):
    """Guarding costs the regex engine time, so only patterns from packs that are not bundled carry it."""
    from djcheck.engine import load_pack

    bundled = load_pack("zhuti-zeren")
    assert all(not isinstance(s.headings[0], safe_regex.GuardedPattern) for s in bundled.parts if s.headings)
    pack = tmp_path / "own.yaml"
    pack.write_text(
        PACK_HEAD + "  - id: own\n    kind: pattern\n    title: 自定义\n    level: warning\n"
        "    options:\n      patterns:\n        - pattern: '落实'\n"
        "parts:\n  problems:\n    title: 存在的问题\n    headings: ['问题']\n",
        encoding="utf-8",
    )
    own = load_pack(pack)
    assert isinstance(own.rule("own").compiled.entries[0].pattern, safe_regex.GuardedPattern)
    problems = next(s for s in own.parts if s.kind == "problems")
    assert isinstance(problems.headings[0], safe_regex.GuardedPattern)
    assert not isinstance(own.rule("four-forms").compiled[0], safe_regex.GuardedPattern)  # inherited, bundled


@pytest.mark.parametrize("where", ["parts", "detect"])
def test_catastrophic_pattern_outside_rules_is_bounded_too(tmp_path, monkeypatch, where):
    """A parts lead-in, or a genre-detection word, of one's own pack: the draft gets one error naming the key."""
    monkeypatch.setattr(safe_regex, "REGEX_TIMEOUT", 0.3)
    folder = tmp_path / "packs"
    folder.mkdir()
    if where == "parts":
        block = "parts:\n  problems:\n    title: 存在的问题\n    lead_ins: ['(a+)+$']\n"
    else:
        block = "detect:\n  words:\n    '(a+)+$': 5\n    主体责任: 3\n"
    (folder / "own.yaml").write_text("id: own\ntitle: 本单位报告\nextends: zhuti-zeren\n" + block, encoding="utf-8")
    (tmp_path / ".djcheck.yaml").write_text(
        "rules_paths: [packs]\n" + ("profile: own\n" if where == "parts" else ""), encoding="utf-8"
    )
    trap = tmp_path / "trap.txt"
    head = GOOD_TEXT if where == "detect" else (  # no problems heading: its lead-ins are searched
        "关于2026年落实全面从严治党主体责任情况的报告\n现将有关情况报告如下：\n一、工作开展情况\n召开党组会12次。\n"
    )
    # mostly Chinese, as a report is (a text hardly written in Chinese is not detected at all)
    filler = "按照年度计划开展专项检查。\n" * (5_000 if where == "detect" else 0)
    trap.write_text(head + "a" * 50_000 + "!\n" + filler, encoding="utf-8")
    result = check_json(trap)
    assert result.exit_code == 2, result.output
    line = result.stderr.strip()
    owner = "parts.problems.lead_ins" if where == "parts" else "detect"
    assert line.startswith(f"djcheck：{trap}：") and owner in line and "超过 0.3 秒" in line, line


def test_long_runs_of_open_title_marks_stay_linear():
    """author-name skipped mentions inside 《…》 by testing every title for every mention, and its title
    pattern scanned to the end of the line from every unclosed 《: both quadratic (this text took 98 s).
    Now a mention costs one bisection and a title scan stops at the next 《 (0.5 s)."""
    from djcheck.checks import KINDS
    from djcheck.context import Context
    from djcheck.document import Document
    from djcheck.engine import load_pack

    pack = load_pack("zhuti-zeren")
    rule = pack.rule("author-name")
    text = "局党组召开会议。" + "《通知》局党组、局党委。" * 20_000 + "\n" + "《" * 60_000 + "\n"
    started = time.monotonic()
    outcome = KINDS[rule.kind].run(rule, Context(Document.from_text(text), pack, 2024, None))
    assert time.monotonic() - started < 30  # quadratic: 98 s; linear: 0.5 s
    assert len(outcome.findings) == 20_000  # every 局党委 reported against the usual 局党组


def test_a_bundled_check_running_out_of_its_own_timeout_is_reported_by_rule(tmp_path, monkeypatch):
    """Some checks pass the regex module a timeout themselves; running out of it names the rule, not a bug."""
    from djcheck.checks import KINDS

    def times_out(rule, ctx):
        raise TimeoutError("regex timed out")

    monkeypatch.setattr(KINDS["four-forms"], "run", times_out)
    other = tmp_path / "other.txt"
    other.write_text(GOOD_TEXT, encoding="utf-8")
    result = check_json(other, extra=("--profile", "zhuti-zeren"))
    assert result.exit_code == 2
    assert result.stderr.strip().startswith(f"djcheck：{other}：") and "规则“four-forms”" in result.stderr
    assert "运行超时" in result.stderr and "内部错误" not in result.stderr


def test_a_long_run_of_one_numeral_is_checked_without_error(tmp_path):
    """Two more quadratic paths found by the long-line sweep: doubled-word tested every candidate against
    every earlier finding (50,000 × 三 took 45 s), and problems-specific's ``(?<!每)[两三…]+(?:名|人次|起)``
    retried from every numeral of a run, so a bundled rule ran out of time on 100,000 × 三."""
    from djcheck.runner import Session

    path = tmp_path / "run.txt"
    path.write_text(
        "关于2024年落实全面从严治党主体责任情况的报告\n一、工作情况\n召开会议。\n二、存在的问题\n一是"
        + "三" * 100_000 + "。\n三、下一步工作打算\n一是牵头。\n",
        encoding="utf-8",
    )
    started = time.monotonic()
    res = Session(profile="zhuti-zeren").check(path)
    assert time.monotonic() - started < 60  # quadratic: minutes; now about 2 s
    assert res.error is None and 0 <= res.score <= 100
    assert sum(f.rule == "doubled-word" for f in res.findings) == 50_000


# -- file names that attack the output (issue 16, item 15) ----------------------------------------
HOSTILE_NAMES = {
    "formula": "=HYPERLINK(\"http://x\",\"点我\").txt",
    "plus": "+1+2.txt",
    "minus": "-2+3.txt",
    "at": "@SUM(A1).txt",
    "tab": "\t=1.txt",
    "newline": "a.txt: 得分 100/100（合格线 80）通过［zhuti-zeren］\nb.txt",
    "escape": "\x1b[2J\x1b[31m红色.txt",
    "carriage-return": "报告\r得分 100 通过.txt",
    "bidi": "报告\u202etxt.exe.txt",
    "bad-bytes": os.fsdecode(b"\xff\xfe\xb1\xa8.txt"),
}


@pytest.mark.parametrize("case", list(HOSTILE_NAMES))
def test_hostile_file_names_are_escaped_in_csv_and_terminal_output(case, tmp_path, unchanged):
    folder = tmp_path / "drafts"
    folder.mkdir()
    path = folder / HOSTILE_NAMES[case]
    try:
        path.write_text(GOOD_TEXT, encoding="utf-8")
    except OSError:
        pytest.skip("the file system refuses this name")
    unchanged(path)
    other = folder / "ok.txt"
    other.write_text(GOOD_TEXT, encoding="utf-8")
    # CSV: no cell starts a formula
    result = cli("check", folder, "-f", "csv")
    assert result.exit_code in (0, 1), result.output
    import csv as csv_module
    import io

    rows = list(csv_module.reader(io.StringIO(result.stdout.lstrip("\ufeff"))))
    assert len(rows) == 3
    for row in rows:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    # plain, rich and the one-line errors: no control character, and one result line per file
    for fmt in ("plain", "rich"):
        result = cli("check", folder, "-f", fmt, "--no-color")
        assert result.exit_code in (0, 1), result.output
        assert not re.search("[\x00-\x08\x0b-\x1f\x7f\u202e\ud800-\udfff]", result.stdout), repr(result.stdout)
        if fmt == "plain":
            assert sum(1 for ln in result.stdout.splitlines() if re.search(r": 得分 \d+/100", ln)) == 2, result.stdout
    for fmt in ("json", "sarif", "html", "github"):  # every format can be written
        result = cli("check", folder, "-f", fmt)
        assert result.exit_code in (0, 1), (fmt, result.output)
        if fmt == "github":  # a CI log shows escape sequences too
            assert not re.search("[\x00-\x08\x0b-\x1f\x7f\u202e\ud800-\udfff]", result.stdout), repr(result.stdout)
    bad = folder / (HOSTILE_NAMES[case] + ".docx")
    bad.write_bytes(b"not a word file")
    result = cli("check", bad, other, "-f", "json")
    lines = result.stderr.strip().splitlines()
    assert result.exit_code == 2 and len(lines) == 1, result.stderr
    assert not re.search("[\x00-\x1f\x7f\u202e\ud800-\udfff]", lines[0]), repr(lines[0])


# -- write targets that are not regular files (issue 16, items 1–3) ----------------------------------
def _write_target(kind: str, folder: Path, suffix: str) -> Path:
    import stat as stat_module

    target = folder / f"target{suffix}"
    if kind == "device":
        if os.geteuid() != 0:
            return Path("/dev/null")
        os.mknod(target, 0o666 | stat_module.S_IFCHR, os.makedev(1, 3))  # never the system's /dev/null
    elif kind == "fifo":
        os.mkfifo(target)
    elif kind == "symlink":
        victim = folder / f"victim{suffix}"
        victim.write_bytes(b"someone else's file")
        target.symlink_to(victim)
    elif kind == "read-only":
        target.write_bytes(b"kept")
        target.chmod(0o444)
    elif kind == "folder":
        target.mkdir()
    return target


@pytest.mark.parametrize("kind", ["device", "fifo", "symlink", "read-only", "folder"])
@pytest.mark.parametrize("option, suffix", [("--output", ".json"), ("--annotate", ".docx")])
def test_write_targets_that_are_not_regular_files_are_refused(kind, option, suffix, tmp_path, unchanged):
    source = unchanged(text_to_docx(GOOD_TEXT, tmp_path / "draft.docx"))
    target = _write_target(kind, tmp_path, suffix)
    before = os.lstat(target)
    result = cli("check", source, "-f", "json", option, target)
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"djcheck：{target}：") and HAN.search(lines[0]), result.stderr
    after = os.lstat(target)
    assert (after.st_ino, after.st_mode) == (before.st_ino, before.st_mode)
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
# -- issue 16: hostile YAML is bounded before it is expanded ------------------------------------------
def test_billion_laughs_message_does_not_print_the_expanded_value(tmp_path, good):
    pack = tmp_path / "laughs.yaml"
    pack.write_text(laughs_yaml("id: mine\n") + "title: *i\n", encoding="utf-8")  # the title would print 9⁹ values
    assert pack.stat().st_size < 700
    result = cli("check", good, "--profile", pack, "-f", "json")
    assert result.exit_code == 2
    assert "哈" not in result.stderr and len(result.stderr) < 300, result.stderr


def test_a_yaml_file_larger_than_the_limit_is_refused_unread(tmp_path, good):
    from djcheck.yamlio import MAX_YAML_BYTES

    pack = tmp_path / "huge.yaml"
    pack.write_text("id: mine\ntitle: 本单位规则\n" + ("# 注释\n" * (MAX_YAML_BYTES // 8)), encoding="utf-8")
    result = cli("check", good, "--profile", pack, "-f", "json")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"djcheck：{pack}：") and "太大" in result.stderr, result.stderr


def test_shared_blocks_with_a_few_aliases_are_still_read(tmp_path):
    from djcheck.yamlio import load_yaml

    path = tmp_path / "shared.yaml"
    path.write_text("base: &base {level: warning, weight: 5}\none: *base\ntwo: *base\n", encoding="utf-8")
    assert load_yaml(path)["two"] == {"level": "warning", "weight": 5}


def test_a_very_deep_extends_chain_is_one_line_with_file_and_line(tmp_path, good):
    from djcheck.pack import MAX_EXTENDS_DEPTH

    depth = 1500
    for i in range(depth):
        parent = f"c{i + 1}.yaml" if i < depth - 1 else "zhuti-zeren"
        (tmp_path / f"c{i}.yaml").write_text(f"id: c{i}\ntitle: 第{i}层\nextends: {parent}\n", encoding="utf-8")
    result = cli("check", good, "--profile", tmp_path / "c0.yaml", "-f", "json")
    assert result.exit_code == 2, result.output
    line = result.stderr.strip()
    assert line.startswith(f"djcheck：{tmp_path / f'c{MAX_EXTENDS_DEPTH}.yaml'}:3：") and "extends" in line, line
    assert "内部错误" not in line


# -- issue 16 item 14: one bad configuration file in a subfolder does not stop the batch ---------------
BAD_CONFIGS = {
    # name: (text of .djcheck.yaml, line of the error, words in it)
    "unknown-key": ("min_score: 90\ncolour: red\n", 2, ["colour"]),
    "syntax": ("rules: [four-forms\n", 2, ["YAML"]),
    "billion-laughs": (None, 7, ["别名", "不予展开"]),
    "bool-key": ("rules:\n  yes: off\n", 2, ["引号"]),
    "huge-integer": ("min_score: " + "9" * 5000 + "\n", 1, ["数字太长"]),
    "wrong-rule": ("rules:\n  no-such-rule: off\n", 2, ["no-such-rule"]),
    "deep-nesting": ("rules:\n  four-forms: " + "{a: " * 990 + "1" + "}" * 990 + "\n", 2, ["嵌套太深"]),
}
BAD_CONFIGS["billion-laughs"] = (laughs_yaml(""), 5, ["别名", "不予展开"])


@pytest.mark.parametrize("case", list(BAD_CONFIGS))
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_bad_subfolder_config_gives_its_files_an_error_and_the_batch_goes_on(case, jobs, tmp_path, unchanged):
    text, line, words = BAD_CONFIGS[case]
    ours, theirs = tmp_path / "ours", tmp_path / "theirs"
    ours.mkdir()
    theirs.mkdir()
    config = theirs / ".djcheck.yaml"
    config.write_text(text, encoding="utf-8")
    mine, broken = ours / "report.txt", theirs / "report.txt"
    for p in (mine, broken):
        p.write_text(GOOD_TEXT, encoding="utf-8")
    unchanged(mine, broken, config)
    result = cli("check", ours, theirs, "-f", "json", "-j", jobs)
    message = assert_refused(result, mine, broken, f"{config}:{line}：", *words)
    assert "内部错误" not in message
    table = tmp_path / "汇总.csv"
    again = cli("check", ours, theirs, "-f", "csv", "-o", table, "-j", jobs)
    assert again.exit_code == 2
    rows = table.read_text(encoding="utf-8-sig").splitlines()
    assert len(rows) == 3 and any(str(mine) in r and ",100," in r for r in rows), rows


# -- issue 16 item 4: SIGTERM / SIGHUP / SIGKILL during a batch leave no worker behind -----------------
_STALLING_DJCHECK = """
import pathlib, sys, time
from djcheck import runner
real, marker = runner.load_document, pathlib.Path(sys.argv[1])
def load(path):
    if path.endswith("stall.txt"):  # a worker stalls on this draft until it is ended
        marker.write_text("started", encoding="utf-8")
        time.sleep(600)
    return real(path)
runner.load_document = load  # forked workers inherit it
sys.argv = ["djcheck", "check", *sys.argv[2:]]
from djcheck.cli import main
main()
"""


def _children(pid: int) -> list[int]:
    out = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        out += [int(c) for c in (task / "children").read_text().split()]
    return out


def _gone(pid: int) -> bool:
    """The process has exited (absent, or a zombie waiting to be reaped)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return True
    return "State:\tZ" in status or "State:\tX" in status


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc; PR_SET_PDEATHSIG is Linux only")
@pytest.mark.parametrize("signame, code", [("SIGTERM", 143), ("SIGHUP", 129), ("SIGKILL", -9)])
def test_a_stopped_batch_leaves_no_worker_behind(signame, code, tmp_path, good):
    import signal

    for i in range(6):
        shutil.copy(good, tmp_path / f"r{i}.txt")
    (tmp_path / "stall.txt").write_text(GOOD_TEXT, encoding="utf-8")
    started = tmp_path.parent / f"{tmp_path.name}-started"
    proc = subprocess.Popen(
        [sys.executable, "-c", _STALLING_DJCHECK, str(started), str(tmp_path), "-j", "2", "-f", "json"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        for _ in range(1200):  # wait until a worker holds the stalling draft (not a timing assertion)
            if started.exists() or proc.poll() is not None:
                break
            time.sleep(0.1)
        assert started.exists(), proc.poll()
        workers = _children(proc.pid)
        assert workers
        proc.send_signal(getattr(signal, signame))
        out, err = proc.communicate(timeout=300)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == code, (proc.returncode, err)
    if code > 0:
        lines = err.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("djcheck：收到") and signame in lines[0], err
        assert "Traceback" not in err + out
    for _ in range(600):
        if all(_gone(w) for w in workers):
            break
        time.sleep(0.1)
    assert all(_gone(w) for w in workers), [Path(f"/proc/{w}/status").read_text()[:80] for w in workers]


# -- issue 16 item 5: configuration files from other users, discovery bounds, the config named -------
LEFTOVERS = (SAMPLES / "template-leftovers.txt").read_text(encoding="utf-8")


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="no file owners on Windows")
def test_a_config_planted_by_another_user_is_ignored_and_named(tmp_path, monkeypatch, unchanged):
    """A .djcheck.yaml owned by someone else (not root) setting 合格线 0 must not make a draft with
    template leftovers pass; the note says which file was passed over."""
    from djcheck import config as config_module

    shared = tmp_path / "共用"
    (shared / "科室").mkdir(parents=True)
    planted = shared / ".djcheck.yaml"
    planted.write_text("min_score: 0\nrules:\n  placeholder: off\n", encoding="utf-8")
    draft = shared / "科室" / "报告.txt"
    draft.write_text(LEFTOVERS, encoding="utf-8")
    unchanged(planted, draft)
    baseline = json.loads(check_json(draft).stdout)["files"][0]  # owned by us: applied (and named)
    assert baseline["config"] == str(planted) and baseline["min_score"] == 0
    assert not any(f["rule"] == "placeholder" for f in baseline["findings"])
    real = config_module._owner
    monkeypatch.setattr(config_module, "_owner", lambda p: 4242 if p == planted else real(p))
    result = check_json(draft)
    assert result.exit_code == 1, result.output
    data = json.loads(result.stdout)["files"][0]
    assert data["config"] is None and data["passed"] is False and data["min_score"] == 80
    assert any(f["rule"] == "placeholder" for f in data["findings"])
    assert any(str(planted) in n and "其他用户" in n for n in data["notes"]), data["notes"]
    plain = cli("check", draft, "-f", "plain")
    assert f"没有使用配置文件 {planted}" in plain.stdout


@pytest.mark.parametrize("boundary", ["git", "home"])
def test_discovery_stops_at_the_repository_root_or_the_home_folder(boundary, tmp_path, monkeypatch):
    above, inner = tmp_path, tmp_path / "仓库" / "报告"
    inner.mkdir(parents=True)
    (above / ".djcheck.yaml").write_text("min_score: 0\n", encoding="utf-8")
    if boundary == "git":
        (tmp_path / "仓库" / ".git").mkdir()
    else:
        monkeypatch.setattr(Path, "home", classmethod(lambda cls: tmp_path / "仓库"))
    draft = inner / "报告.txt"
    draft.write_text(LEFTOVERS, encoding="utf-8")
    data = json.loads(check_json(draft).stdout)["files"][0]
    assert data["config"] is None and data["min_score"] == 80, data["min_score"]
    (tmp_path / "仓库" / ".djcheck.yaml").write_text("min_score: 0\n", encoding="utf-8")  # at the boundary: used
    assert json.loads(check_json(draft).stdout)["files"][0]["config"] == str(tmp_path / "仓库" / ".djcheck.yaml")


def test_the_config_in_use_is_named_in_every_output_format(tmp_path):
    from djcheck.report import FORMATS

    config = tmp_path / ".djcheck.yaml"
    config.write_text("min_score: 85\n", encoding="utf-8")
    draft = tmp_path / "报告.txt"
    draft.write_text(GOOD_TEXT, encoding="utf-8")
    for fmt in FORMATS:
        out = tmp_path / f"out-{fmt}"
        result = cli("check", draft, "-f", fmt, "--no-color", "-o", out)
        assert result.exit_code == 0, (fmt, result.output)
        text = out.read_text(encoding="utf-8-sig")
        if fmt == "html":
            import html as html_module

            text = html_module.unescape(text)
        assert str(config) in text, fmt
    sarif = json.loads((tmp_path / "out-sarif").read_text(encoding="utf-8"))
    assert sarif["runs"][0]["properties"]["configFiles"] == [str(config)]
    plain = json.loads(check_json(draft).stdout)
    assert plain["files"][0]["config"] == str(config)
    without = tmp_path / "无配置"
    (without / ".git").mkdir(parents=True)
    (without / "报告.txt").write_text(GOOD_TEXT, encoding="utf-8")
    assert json.loads(check_json(without / "报告.txt").stdout)["files"][0]["config"] is None


@pytest.mark.parametrize(
    "table, words",
    [("min_score = " + "9" * 5000, ["位数太多"]), ("exclude = " + "[" * 990 + "]" * 990, ["嵌套太深"])],
    ids=["huge-integer", "deep-nesting"],
)
def test_a_hostile_pyproject_table_is_an_error_on_its_files_only(table, words, tmp_path, unchanged):
    ours, theirs = tmp_path / "ours", tmp_path / "theirs"
    ours.mkdir()
    theirs.mkdir()
    config = theirs / "pyproject.toml"
    config.write_text("[tool.djcheck]\n" + table + "\n", encoding="utf-8")
    mine, broken = ours / "report.txt", theirs / "report.txt"
    for p in (mine, broken):
        p.write_text(GOOD_TEXT, encoding="utf-8")
    unchanged(mine, broken, config)
    message = assert_refused(check_json(ours, theirs), mine, broken, str(config), *words)
    assert "内部错误" not in message


# -- one time budget per file for every pattern that is not bundled (issue 16, item 7) -------------------
#: ``(a|aa)+$`` backtracks over every split of a run of ``a`` (Fibonacci many): 0.1–0.5 s on a line of
#: 25 ``a`` and a ``b`` (by the machine's load), well under the per-call timeout, so only a budget per file
#: stops 40 of them. Written as sub-headings (（一）…), whose titles the part headings are tried on one by one.
SLOW = "'(a|aa)+$'"


def slow_lines(count: int = 40, run: int = 25) -> str:
    return "".join(f"（{'一二三四五六七八九十'[i % 10]}）{'a' * run}b\n" for i in range(count))


def _budget_trap(tmp_path: Path, where: str) -> tuple[Path, str]:
    """A pack (or data file) whose one slow pattern runs on each of the 40 slow lines, and the draft."""
    if where == "parts":  # a heading pattern, searched line by line
        block, owner = f"parts:\n  problems:\n    title: 存在的问题\n    headings: [{SLOW}]\n", "parts.problems.headings"
    elif where == "pattern":  # a rule's pattern, once on the whole text
        block = (PACK_HEAD + "  - id: slow-re\n    kind: pattern\n    title: 回溯\n    level: warning\n"
                 f"    options:\n      patterns:\n        - pattern: {SLOW}\n")
        owner = "规则“slow-re”"
    else:  # an office's own events file: a campaign's pattern
        (tmp_path / "own-events.yaml").write_text(
            f"campaigns:\n  - name: 本单位活动\n    pattern: {SLOW}\n    from: 2025-01\n    until: 2025-12\n    source: 本单位通知\n",
            encoding="utf-8",
        )
        block = (PACK_HEAD + "  - id: own-events\n    kind: events\n    title: 本单位活动\n    level: warning\n"
                 "    options: {files: [own-events.yaml]}\n")
        owner = "活动“本单位活动”"
    if not block.startswith("id:"):
        block = "id: mine\ntitle: 本单位规则\nextends: zhuti-zeren\n" + block
    pack = tmp_path / "mine.yaml"
    pack.write_text(block, encoding="utf-8")
    return pack, owner


@pytest.mark.parametrize("where", ["parts", "pattern", "campaign"])
def test_slow_patterns_share_one_time_budget_per_file(where, tmp_path, good, unchanged, monkeypatch):
    """No single call times out (the per-call limit is raised to 60 s here), yet the draft's check stops at
    the file's budget with one error naming the pattern and the budget; the good draft is still scored."""
    monkeypatch.setattr(safe_regex, "REGEX_TIMEOUT", 60.0)
    monkeypatch.setattr(safe_regex, "FILE_BUDGET", 0.5, raising=False)
    pack, owner = _budget_trap(tmp_path, where)
    trap = tmp_path / "trap.txt"
    trap.write_text(GOOD_TEXT.replace("存在的问题", "存在问题") + slow_lines(), encoding="utf-8")
    unchanged(trap, pack)
    started = time.monotonic()
    result = check_json(good, trap, extra=("--profile", pack))
    elapsed = time.monotonic() - started
    assert_refused(result, good, trap, owner, "(a|aa)+$", "累计已超过 0.5 秒", str(pack.parent))
    assert elapsed < 30, elapsed  # the budget, not the 40 slow lines, ends the check


def test_the_budget_is_per_file_not_per_run(tmp_path, monkeypatch):
    """Each file gets its own budget: three drafts that each spend most of it are all checked."""
    from djcheck.runner import check_file

    monkeypatch.setattr(safe_regex, "FILE_BUDGET", 5.0)
    pack, _ = _budget_trap(tmp_path, "parts")
    drafts = []
    for i in range(3):
        draft = tmp_path / f"d{i}.txt"
        draft.write_text(GOOD_TEXT + slow_lines(4, 16), encoding="utf-8")
        drafts.append(draft)
    for draft in drafts:
        res = check_file(draft, profile=str(pack))
        assert res.error is None and res.score is not None, res.error


def test_budget_helpers_charge_time_and_stop_once_spent(monkeypatch):
    """The budget's arithmetic, on a real slow pattern: a call is limited to what is left, a spent budget
    refuses the next call at once, and the message says it was the file's budget."""
    import regex

    slow = regex.compile(r"(a|aa)+$")
    line = "a" * 24 + "b"
    with safe_regex.file_budget(0.05):
        with pytest.raises(TimeoutError):
            for _ in range(100):
                safe_regex.run(slow.search, line)
        started = time.monotonic()
        with pytest.raises(TimeoutError):
            safe_regex.run(slow.search, "ab")  # nothing left: refused without running
        with pytest.raises(TimeoutError):
            list(safe_regex.iterate(slow.finditer, "ab"))
        assert time.monotonic() - started < 0.05
        err = safe_regex.timeout_error("own.yaml", "规则“x”", slow.pattern, 3)
        assert "累计已超过" in str(err) and "own.yaml" in str(err)
    assert safe_regex.run(slow.search, "aab") is None  # outside a budget: only the per-call timeout
    assert "累计" not in str(safe_regex.timeout_error("own.yaml", "规则“x”", slow.pattern, 3))


def test_an_offices_own_listed_file_runs_under_the_budget(tmp_path, monkeypatch):
    """typo-guess's ``listed_files`` may name an office's own word list: its patterns are not vetted and
    share the file's budget (they ran without any bound before)."""
    from djcheck.runner import check_file

    monkeypatch.setattr(safe_regex, "REGEX_TIMEOUT", 60.0)
    monkeypatch.setattr(safe_regex, "FILE_BUDGET", 0.3)
    (tmp_path / "own-typos.yaml").write_text(
        "entries:\n  - pattern: '(a|aa)+c'\n    right: 甲\n    source: 本单位\n", encoding="utf-8"
    )
    pack = tmp_path / "mine.yaml"
    pack.write_text(
        "id: mine\ntitle: 本单位规则\nextends: [common]\nrules:\n"
        "  - id: typo-guess\n    kind: typo-guess\n    title: 疑似错别字\n    level: warning\n"
        "    options:\n      listed_files: [own-typos.yaml]\n",
        encoding="utf-8",
    )
    draft = tmp_path / "r.txt"
    # 34 of the "a" fall in the 40-character window around the guess: seconds of backtracking at any load
    draft.write_text("各支部要认真陆行管党治党责任" + "a" * 40 + "。\n", encoding="utf-8")
    res = check_file(draft, profile=str(pack))
    assert res.error and "listed_files" in res.error and "累计已超过" in res.error, res.error

"""Nothing lost: every write is a temporary file in the same folder plus a rename, and an
interruption at any point (an exception, Ctrl-C) leaves the target as it was and no temporary file."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner

from djcheck import atomic
from djcheck.cli import app
from djcheck.errors import InputError
from djcheck.fix import fix_file
from docxutil import text_to_docx

runner = CliRunner()

DRAFT = [
    "关于2024年落实全面从严治党主体责任情况的报告",
    "2024年，局党组认真布署全面从严治党工作，全面加强党风廉政建建设。",
    "组织全员深入贯彻上级会议精神,并编制责任分解表(部门)。",
]
FIXED = [
    "关于2024年落实全面从严治党主体责任情况的报告",
    "2024年，局党组认真部署全面从严治党工作，全面加强党风廉政建设。",
    "组织全员深入贯彻上级会议精神，并编制责任分解表（部门）。",
]


def leftovers(folder: Path) -> list[str]:
    """Temporary files left in ``folder`` (ours are ``.NAME.XXXX.tmp``)."""
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(atomic.TEMP_SUFFIX))


def draft(tmp_path, *, encoding="utf-8", newline="\n", bom=b"", lines=DRAFT) -> Path:
    path = tmp_path / "draft.txt"
    path.write_bytes(bom + newline.join(lines).encode(encoding) + newline.encode(encoding))
    return path


# -- the helper itself -------------------------------------------------------------------------
@pytest.mark.parametrize("interruption", [KeyboardInterrupt, OSError, ValueError])
def test_interrupted_write_leaves_the_old_file_and_no_temporary(tmp_path, interruption):
    target = tmp_path / "report.txt"
    target.write_bytes(b"old content")
    with pytest.raises(interruption):
        with atomic.replacing(target) as fh:
            fh.write(b"new content, half")
            assert leftovers(tmp_path)  # the temporary file exists while writing …
            raise interruption()
    assert target.read_bytes() == b"old content" and leftovers(tmp_path) == []


def test_interruption_at_the_rename_leaves_nothing(tmp_path, monkeypatch):
    target = tmp_path / "report.txt"
    target.write_bytes(b"old content")

    def interrupted(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr(atomic.os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        atomic.write_bytes(target, b"new content")
    assert target.read_bytes() == b"old content" and leftovers(tmp_path) == []


def test_successful_write_keeps_permission_bits(tmp_path):
    target = tmp_path / "report.txt"
    target.write_bytes(b"old")
    target.chmod(0o640)
    atomic.write_bytes(target, b"new")
    assert target.read_bytes() == b"new" and stat.S_IMODE(target.stat().st_mode) == 0o640
    fresh = tmp_path / "fresh.txt"
    atomic.write_bytes(fresh, b"x")
    mask = os.umask(0)
    os.umask(mask)
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o666 & ~mask  # not mkstemp's 0600
    assert leftovers(tmp_path) == []


def test_unwritable_folder_raises_oserror_and_leaves_nothing(tmp_path):
    missing = tmp_path / "no-such-folder" / "out.txt"
    with pytest.raises(OSError):
        atomic.write_bytes(missing, b"x")
    assert not missing.parent.exists()


# -- --fix ------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "encoding, bom, newline",
    [
        ("utf-8", b"", "\n"),
        ("utf-8", b"\xef\xbb\xbf", "\r\n"),
        ("gb18030", b"", "\r\n"),
        ("gbk", b"", "\r"),
        ("utf-16-le", b"\xff\xfe", "\r\n"),
        ("utf-16-be", b"\xfe\xff", "\n"),
        ("utf-16-le", b"", "\n"),  # UTF-16 without a byte-order mark stays without one
    ],
)
def test_cli_fix_keeps_encoding_and_line_endings(tmp_path, encoding, bom, newline):
    path = draft(tmp_path, encoding=encoding, newline=newline, bom=bom)
    result = runner.invoke(app, ["check", str(path), "--fix", "-f", "plain", "--profile", "zhuti-zeren"])
    assert result.exit_code in (0, 1), result.output
    assert path.read_bytes() == bom + newline.join(FIXED).encode(encoding) + newline.encode(encoding)
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("where", ["write", "fsync", "pwrite", "ftruncate"])
def test_fix_interrupted_by_ctrl_c_leaves_the_draft_untouched(tmp_path, monkeypatch, where):
    path = draft(tmp_path, encoding="gb18030", newline="\r\n")
    before = path.read_bytes()
    import djcheck

    findings = djcheck.check_file(path, profile="zhuti-zeren").findings

    def interrupt(*args, **kwargs):
        raise KeyboardInterrupt

    if where == "write":
        real_fdopen = atomic.os.fdopen

        class Half:
            def __init__(self, fh):
                self.fh = fh

            def __enter__(self):
                return self

            def __exit__(self, *exc):
                return self.fh.__exit__(*exc)

            def write(self, data):
                self.fh.write(data[: len(data) // 2])
                self.fh.flush()
                raise KeyboardInterrupt

            def __getattr__(self, name):
                return getattr(self.fh, name)

        monkeypatch.setattr(atomic.os, "fdopen", lambda *a, **k: Half(real_fdopen(*a, **k)))
    else:  # --fix edits in place: the first call is the new content, later ones put the old back
        real = getattr(atomic.os, where)
        calls = []

        def interrupt_first(*args, **kwargs):
            calls.append(args)
            if len(calls) == 1:
                raise KeyboardInterrupt
            return real(*args, **kwargs)

        monkeypatch.setattr(atomic.os, where, interrupt_first)
    with pytest.raises(KeyboardInterrupt):
        fix_file(path, findings)
    assert path.read_bytes() == before and leftovers(tmp_path) == []


def test_cli_ctrl_c_during_fix_exits_130_with_a_chinese_line(tmp_path, monkeypatch):
    path = draft(tmp_path)
    before = path.read_bytes()

    real = atomic.os.pwrite
    calls = []

    def interrupt(*args):
        calls.append(args)
        if len(calls) == 1:
            raise KeyboardInterrupt
        return real(*args)

    monkeypatch.setattr(atomic.os, "pwrite", interrupt)
    result = runner.invoke(app, ["check", str(path), "--fix", "-f", "plain", "--profile", "zhuti-zeren"])
    assert result.exit_code == 130
    assert result.stderr.strip().endswith("djcheck：已中断。没有写完的文件都保持原样，也没有留下临时文件。")
    assert path.read_bytes() == before and leftovers(tmp_path) == []


def test_fix_that_cannot_be_saved_in_the_original_encoding_is_refused(tmp_path):
    path = draft(tmp_path, encoding="gbk")
    before = path.read_bytes()
    import djcheck

    findings = djcheck.check_file(path, profile="zhuti-zeren").findings
    for f in findings:
        if f.fixable:
            f.suggestion = "\ud800"  # a lone surrogate: no encoding can store it
    with pytest.raises(InputError, match="无法用原来的编码"):
        fix_file(path, findings)
    assert path.read_bytes() == before and leftovers(tmp_path) == []


# -- --annotate and --output ------------------------------------------------------------------------
def test_annotate_interrupted_while_saving_leaves_no_copy_and_no_temporary(tmp_path, monkeypatch, unchanged):
    import docx.document

    source = unchanged(text_to_docx("\n".join(DRAFT), tmp_path / "draft.docx"))
    target = tmp_path / "draft-批注.docx"
    real_save = docx.document.Document.save

    def half_save(self, stream):
        real_save(self, stream)
        stream.truncate(100)
        raise KeyboardInterrupt

    monkeypatch.setattr(docx.document.Document, "save", half_save)
    result = runner.invoke(app, ["check", str(source), "--annotate", str(target), "-f", "plain", "-p", "zhuti-zeren"])
    assert result.exit_code == 130 and "已中断" in result.stderr
    assert not target.exists() and leftovers(tmp_path) == []


def test_annotate_over_an_old_copy_keeps_it_when_interrupted(tmp_path, monkeypatch, unchanged):
    import docx.document

    source = unchanged(text_to_docx("\n".join(DRAFT), tmp_path / "draft.docx"))
    target = tmp_path / "draft-批注.docx"
    target.write_bytes(b"previous reviewed copy")

    def broken_save(self, stream):
        stream.write(b"PK\x03\x04partial")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(docx.document.Document, "save", broken_save)
    result = runner.invoke(app, ["check", str(source), "--annotate", str(target), "-f", "plain", "-p", "zhuti-zeren"])
    assert result.exit_code == 2 and "无法写入批注副本" in result.stderr and "No space left" in result.stderr
    assert target.read_bytes() == b"previous reviewed copy" and leftovers(tmp_path) == []


def test_output_report_interrupted_keeps_the_previous_report(tmp_path, monkeypatch, unchanged):
    path = unchanged(draft(tmp_path))
    out = tmp_path / "report.json"
    out.write_text("previous report", encoding="utf-8")

    def interrupt(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr(atomic.os, "replace", interrupt)
    result = runner.invoke(app, ["check", str(path), "-f", "json", "-o", str(out)])
    assert result.exit_code == 130
    assert out.read_text(encoding="utf-8") == "previous report" and leftovers(tmp_path) == []


@pytest.mark.parametrize("option", ["--output", "--annotate"])
@pytest.mark.parametrize("alias", ["same", "symlink", "hardlink"])
def test_writing_over_the_input_is_refused(tmp_path, unchanged, option, alias):
    source = unchanged(text_to_docx("\n".join(DRAFT), tmp_path / "draft.docx"))
    target = {"same": source, "symlink": tmp_path / "link.docx", "hardlink": tmp_path / "hard.docx"}[alias]
    if alias == "symlink":
        target.symlink_to(source)
    elif alias == "hardlink":
        os.link(source, target)
    result = runner.invoke(app, ["check", str(source), option, str(target), "-f", "json"])
    assert result.exit_code == 2 and "覆盖原文件" in result.stderr, result.output
    assert leftovers(tmp_path) == []


def test_only_fix_rewrites_the_input(tmp_path, unchanged):
    """Every other option leaves the draft byte-identical; --diff shows the change without making it."""
    path = draft(tmp_path, encoding="gb18030", newline="\r\n")
    before = path.read_bytes()
    for args in (["-f", "json"], ["-f", "html", "-o", str(tmp_path / "r.html")], ["--diff"], ["-f", "sarif"]):
        runner.invoke(app, ["check", str(path), "-p", "zhuti-zeren", *args])
        assert path.read_bytes() == before, args
    runner.invoke(app, ["check", str(path), "-p", "zhuti-zeren", "--fix"])
    assert path.read_bytes() != before and leftovers(tmp_path) == []

"""Writes go only to regular files, and --fix edits the user's file in place (issue 16, items 1–4).

* ``--output`` / ``--annotate``: a device, a named pipe or (without ``--allow-symlink``) a
  symbolic link is refused with one Chinese line and exit code 2, and is left as it was;
* ``--fix``: the file is edited, not replaced — the inode, hard links, permission bits and
  owner stay, a symbolic link stays a link and the file it points to is fixed; a read-only
  file, or one the user may not write, is refused (exit 2, never "没有可以自动修改的问题");
* SIGTERM / SIGHUP during a write leaves no ``.NAME.XXXX.tmp`` file and the target as it was.
"""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from djcheck import atomic
from djcheck.cli import app
from docxutil import text_to_docx

runner = CliRunner()

DRAFT = "\n".join(
    [
        "关于2024年落实全面从严治党主体责任情况的报告",
        "2024年，局党组认真布署全面从严治党工作，全面加强党风廉政建建设。",
        "各支部组织学习上级会议精神,并编制责任清单(部门)。",
    ]
) + "\n"
FIXED_LINE = "2024年，局党组认真部署全面从严治党工作，全面加强党风廉政建设。"


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(atomic.TEMP_SUFFIX))


def cli(*args):
    return runner.invoke(app, [str(a) for a in args])


def one_chinese_line(result, *words):
    assert result.exit_code == 2, (result.exit_code, result.output)
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("djcheck：") and "Traceback" not in result.output
    for w in words:
        assert w in lines[0], (w, lines[0])
    return lines[0]


@pytest.fixture
def device(tmp_path) -> Path:
    """A character device to aim at: as root a private copy of the null device (so a bug can
    never replace the system's ``/dev/null``), else ``/dev/null`` itself (not replaceable then)."""
    if os.geteuid() != 0:
        return Path("/dev/null")
    path = tmp_path / "null"
    os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    return path


@pytest.fixture
def draft(tmp_path, unchanged):
    path = tmp_path / "draft.txt"
    path.write_text(DRAFT, encoding="utf-8")
    return path


# -- --output / --annotate --------------------------------------------------------------------
def test_output_to_a_character_device_is_refused_and_the_device_stays(draft, device, unchanged):
    unchanged(draft)
    before = os.stat(device)
    result = cli("check", draft, "-f", "json", "-o", device)
    one_chinese_line(result, str(device), "不是普通文件")
    after = os.lstat(device)
    assert stat.S_ISCHR(after.st_mode) and after.st_ino == before.st_ino


def test_output_to_a_named_pipe_is_refused_without_blocking(draft, tmp_path, unchanged):
    unchanged(draft)
    fifo = tmp_path / "report.json"
    os.mkfifo(fifo)
    result = cli("check", draft, "-f", "json", "-o", fifo)
    one_chinese_line(result, str(fifo), "不是普通文件")
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode) and leftovers(tmp_path) == []


@pytest.mark.parametrize("option, name", [("--output", "report.json"), ("--annotate", "copy.docx")])
def test_a_planted_symlink_is_not_followed(option, name, tmp_path, unchanged):
    source = unchanged(text_to_docx(DRAFT, tmp_path / "draft.docx"))
    victim = tmp_path / "elsewhere" / ("victim" + Path(name).suffix)
    victim.parent.mkdir()
    victim.write_bytes(b"someone else's file")
    unchanged(victim)
    link = tmp_path / name
    link.symlink_to(victim)
    result = cli("check", source, "-f", "json", option, link)
    one_chinese_line(result, str(link), "符号链接", "--allow-symlink")
    assert link.is_symlink() and leftovers(tmp_path) == []


def test_allow_symlink_writes_the_file_the_link_points_to(draft, tmp_path, unchanged):
    unchanged(draft)
    real = tmp_path / "reports" / "latest.json"
    real.parent.mkdir()
    real.write_text("old", encoding="utf-8")
    link = tmp_path / "report.json"
    link.symlink_to(real)
    result = cli("check", draft, "-f", "json", "-o", link, "--allow-symlink")
    assert result.exit_code in (0, 1), result.output
    assert link.is_symlink() and real.read_text(encoding="utf-8").startswith("{")


def test_output_over_a_read_only_report_is_refused(draft, tmp_path, unchanged):
    unchanged(draft)
    out = tmp_path / "report.json"
    out.write_text("kept", encoding="utf-8")
    out.chmod(0o444)
    unchanged(out)
    one_chinese_line(cli("check", draft, "-f", "json", "-o", out), str(out), "只读")


def test_check_write_target_decisions(tmp_path, device):
    regular = tmp_path / "a.txt"
    regular.write_text("x", encoding="utf-8")
    assert atomic.check_write_target(regular) == regular
    assert atomic.check_write_target(tmp_path / "new.txt") == tmp_path / "new.txt"
    link = tmp_path / "link.txt"
    link.symlink_to(regular)
    with pytest.raises(atomic.WriteRefused, match="符号链接"):
        atomic.check_write_target(link)
    assert atomic.check_write_target(link, follow_symlinks=True) == regular.resolve()
    for bad in (tmp_path, device):
        with pytest.raises(atomic.WriteRefused):
            atomic.check_write_target(bad)
    with pytest.raises(atomic.WriteRefused, match="找不到"):
        atomic.check_write_target(tmp_path / "missing.txt", must_exist=True)
    # a refusal is an OSError (callers that catch OSError keep working) with a Chinese reason
    with pytest.raises(OSError):
        atomic.write_bytes(device, b"x")


# -- --fix edits in place -----------------------------------------------------------------------
def fix(path, *extra):
    return cli("check", path, "--fix", "-f", "plain", "-p", "zhuti-zeren", *extra)


def test_fix_keeps_the_inode_mode_and_hard_links(draft, tmp_path):
    draft.chmod(0o640)
    twin = tmp_path / "twin.txt"
    os.link(draft, twin)
    before = os.stat(draft)
    result = fix(draft)
    assert result.exit_code in (0, 1), result.output
    after = os.stat(draft)
    assert (after.st_ino, after.st_dev, stat.S_IMODE(after.st_mode)) == (before.st_ino, before.st_dev, 0o640)
    assert FIXED_LINE in twin.read_text(encoding="utf-8")  # the hard link still shares the content
    assert leftovers(tmp_path) == []


def test_fix_through_a_symlink_fixes_the_target_and_keeps_the_link(tmp_path):
    real = tmp_path / "drafts" / "real.txt"
    real.parent.mkdir()
    real.write_text(DRAFT, encoding="utf-8")
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    result = fix(link)
    assert result.exit_code in (0, 1), result.output
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert FIXED_LINE in real.read_text(encoding="utf-8")


def test_fix_refuses_a_read_only_file(draft, unchanged):
    draft.chmod(0o444)
    unchanged(draft)
    line = one_chinese_line(fix(draft), str(draft), "只读")
    assert "没有可以自动修改的问题" not in line
    assert stat.S_IMODE(os.stat(draft).st_mode) == 0o444


def test_fix_refuses_a_file_the_user_may_not_write_in_a_folder_they_may_write(draft, tmp_path, monkeypatch, unchanged):
    """The folder is writable (a replace-by-rename would succeed and make the user the owner);
    the file is not (``os.access`` says so, as it does for another user's 0644 file)."""
    unchanged(draft)
    owner = os.stat(draft).st_uid
    real_access = os.access
    monkeypatch.setattr(
        atomic.os, "access", lambda p, mode, **k: False if Path(p) == draft and mode & os.W_OK else real_access(p, mode, **k)
    )
    assert os.access(tmp_path, os.W_OK)
    line = one_chinese_line(fix(draft), str(draft), "没有修改它的权限")
    assert "没有可以自动修改的问题" not in line
    assert os.stat(draft).st_uid == owner and leftovers(tmp_path) == []


def test_a_failed_fix_write_exits_2_with_a_chinese_line_and_keeps_the_file(draft, tmp_path, monkeypatch):
    before = draft.read_bytes()
    real_pwrite = os.pwrite
    calls = []

    def full_disk(fd, data, offset):
        calls.append(offset)
        if len(calls) == 1:  # the new content: half of it, then the disk is full
            real_pwrite(fd, bytes(data)[: len(data) // 2], offset)
            raise OSError(28, "No space left on device")
        return real_pwrite(fd, data, offset)

    monkeypatch.setattr(atomic.os, "pwrite", full_disk)
    result = fix(draft)
    line = one_chinese_line(result, str(draft), "无法写入")
    assert "没有可以自动修改的问题" not in line
    assert draft.read_bytes() == before and leftovers(tmp_path) == []


def test_write_in_place_interrupted_puts_the_old_content_back(tmp_path, monkeypatch):
    path = tmp_path / "a.txt"
    path.write_bytes(b"old content that is long enough")
    inode = os.stat(path).st_ino
    real = os.ftruncate
    calls = []

    def interrupt_once(fd, n):
        calls.append(n)
        if len(calls) == 1:
            raise KeyboardInterrupt
        return real(fd, n)

    monkeypatch.setattr(atomic.os, "ftruncate", interrupt_once)
    with pytest.raises(KeyboardInterrupt):
        atomic.write_in_place(path, b"new")
    assert path.read_bytes() == b"old content that is long enough" and os.stat(path).st_ino == inode
    assert leftovers(tmp_path) == []


def test_write_in_place_refuses_a_file_changed_since_it_was_read(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(b"edited by the user meanwhile")
    with pytest.raises(atomic.WriteRefused, match="修改过"):
        atomic.write_in_place(path, b"new", expected=b"what was checked")
    assert path.read_bytes() == b"edited by the user meanwhile" and leftovers(tmp_path) == []


# -- signals ------------------------------------------------------------------------------------
SLOW_WRITER = """
import sys, time
from djcheck import atomic
atomic.cleanup_on_signals()
from djcheck.cli_errors import interrupted
try:
    with atomic.replacing(sys.argv[1]) as fh:
        fh.write(b"half")
        print("writing", flush=True)
        time.sleep(60)
except KeyboardInterrupt as exc:
    sys.exit(interrupted(exc))
"""


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_a_termination_signal_leaves_no_temporary_file(tmp_path, signum):
    target = tmp_path / "report.json"
    target.write_text("previous", encoding="utf-8")
    proc = subprocess.Popen(
        [sys.executable, "-c", SLOW_WRITER, str(target)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert proc.stdout.readline().strip() == "writing"
    assert leftovers(tmp_path)  # the temporary file exists while writing …
    proc.send_signal(signum)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 128 + signum and "已停止检查" in err and "Traceback" not in err
    assert target.read_text(encoding="utf-8") == "previous" and leftovers(tmp_path) == []


def test_sigterm_during_a_batch_ends_the_workers(tmp_path):
    folder = tmp_path / "drafts"
    folder.mkdir()
    for i in range(1500):
        (folder / f"r{i:03}.txt").write_text(DRAFT * 30, encoding="utf-8")
    proc = subprocess.Popen(
        [sys.executable, "-m", "djcheck", "check", str(folder), "-j", "2", "-f", "json", "-o", str(tmp_path / "r.json")],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    for _ in range(600):  # until the workers are running (parent + 2 in the process group)
        group = subprocess.run(["pgrep", "-g", str(proc.pid)], capture_output=True, text=True).stdout.split()
        if len(group) >= 3 or proc.poll() is not None:
            break
        time.sleep(0.1)
    assert proc.poll() is None, "the batch ended before it could be stopped"
    time.sleep(0.5)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    time.sleep(0.5)
    # no process of the session is left (the workers share the leader's process group)
    survivors = subprocess.run(["pgrep", "-g", str(proc.pid)], capture_output=True, text=True).stdout.split()
    assert survivors == [] and "Traceback" not in err
    assert leftovers(tmp_path) == []

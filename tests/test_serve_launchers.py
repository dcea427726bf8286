"""The shortcuts in launchers/ start ``djcheck serve`` (Windows .bat and .pyw, Linux .desktop)."""

from __future__ import annotations

import configparser
import subprocess
import sys

from conftest import ROOT

LAUNCHERS = ROOT / "launchers"


def test_windows_batch_file_runs_serve_and_keeps_crlf():
    raw = (LAUNCHERS / "djcheck-serve.bat").read_bytes()
    assert raw.isascii()  # cmd.exe reads a batch file in the console's code page
    lines = raw.decode().split("\r\n")
    assert b"\n" not in raw.replace(b"\r\n", b"")
    assert lines[0] == "@echo off"
    assert "%DJCHECK% serve %*" in lines
    assert any(line.startswith("where djcheck") for line in lines)


def test_pyw_starts_serve_without_a_console():
    """Under pythonw sys.stdout and sys.stderr are None: the launcher must not fail on them."""
    code = (
        "import runpy, sys\n"
        "sys.stdout = None\n"
        "sys.stderr = None\n"
        f"sys.argv = [{str(LAUNCHERS / 'djcheck-serve.pyw')!r}, '--help']\n"
        f"runpy.run_path({str(LAUNCHERS / 'djcheck-serve.pyw')!r}, run_name='__main__')\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "" and done.stderr == ""


def test_pyw_passes_its_arguments_to_serve():
    done = subprocess.run(
        [sys.executable, str(LAUNCHERS / "djcheck-serve.pyw"), "--help"], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0 and "--no-browser" in done.stdout and "--port" in done.stdout


def test_linux_desktop_entry_starts_serve_without_a_terminal():
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str
    entry.read(LAUNCHERS / "djcheck-serve.desktop", encoding="utf-8")
    desktop = entry["Desktop Entry"]
    assert desktop["Type"] == "Application" and desktop["Terminal"] == "false"
    assert "党建报告检查" in desktop["Name[zh_CN]"]
    assert desktop["Exec"].startswith('sh -c "') and desktop["Exec"].endswith('"')
    assert "exec djcheck serve" in desktop["Exec"] and "exec python3 -m djcheck serve" in desktop["Exec"]
    assert "'" not in desktop["Exec"]  # the Desktop Entry spec knows only double quotes

"""The HTML report in a real browser: headless Chromium parses the page and paints every finding.

Skipped where Chromium is not installed (Debian package ``chromium``; ``.ci/run`` installs it when apt works).
"""

from __future__ import annotations

import shutil
import struct
import subprocess
import zlib
from html.parser import HTMLParser

import pytest
from typer.testing import CliRunner

import djcheck
from djcheck.cli import app

pytestmark = pytest.mark.integration
runner = CliRunner()
HIGHLIGHT = (0xFF, 0xCD, 0xD2)  # background of an error-level mark (report/html.py)


def _chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        exe = shutil.which(name)
        if exe:
            return exe
    pytest.skip("未安装 Chromium（Debian 软件包 chromium）：跳过在浏览器中打开 HTML 报告的检查")


def _run_chromium(exe: str, tmp_path, *args: str) -> subprocess.CompletedProcess:
    flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp_path / 'chromium-profile'}",
    ]
    return subprocess.run([exe, *flags, *args], capture_output=True, text=True, timeout=120)


class _Marks(HTMLParser):
    def __init__(self):
        super().__init__()
        self.marks: list[dict] = []
        self._depth = 0

    def handle_starttag(self, tag, attrs):
        if tag == "mark":
            self.marks.append({**dict(attrs), "text": ""})
            self._depth += 1

    def handle_endtag(self, tag):
        if tag == "mark":
            self._depth -= 1

    def handle_data(self, data):
        if self._depth:
            self.marks[-1]["text"] += data


def _png_pixels(data: bytes):
    """(width, height, rows of RGB tuples) of an 8-bit RGB/RGBA, non-interlaced PNG (what Chromium writes)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width = 8, b"", 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        body = data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, color, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and color in (2, 6) and interlace == 0
            bpp = 3 if color == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * bpp
    rows, prev = [], bytearray(stride)
    for y in range(height):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 0xFF
            elif f == 2:
                line[i] = (line[i] + b) & 0xFF
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 0xFF
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 0xFF
        rows.append(line)
        prev = line
    return width, height, rows, bpp


def test_html_report_renders_in_headless_chromium_with_every_finding_highlighted(seed, tmp_path):
    exe = _chromium()
    draft = seed("001")
    report = tmp_path / "report.html"
    result = runner.invoke(app, ["check", str(draft), "-f", "html", "--output", str(report)])
    assert result.exit_code == 1
    res = djcheck.check_file(draft)
    url = report.resolve().as_uri()

    proc = _run_chromium(exe, tmp_path, "--dump-dom", url)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "djcheck 党建报告合规检查报告" in proc.stdout
    page = _Marks()
    page.feed(proc.stdout)
    assert len(res.findings) >= 30
    for i, f in enumerate(res.findings):
        marks = [m for m in page.marks if str(i) in m.get("data-findings", "").split()]
        assert marks and "".join(m["text"] for m in marks) == f.match, (
            f"finding {i} ({f.line}:{f.col}) not highlighted"
        )
        assert f.message in marks[0]["data-msg"]

    shot = tmp_path / "report.png"
    proc = _run_chromium(exe, tmp_path, "--window-size=1280,4000", f"--screenshot={shot}", url)
    assert proc.returncode == 0 and shot.exists(), proc.stderr[-2000:]
    width, height, rows, bpp = _png_pixels(shot.read_bytes())
    assert (width, height) == (1280, 4000)
    painted = sum(
        1
        for row in rows
        for x in range(0, width * bpp, bpp)
        if abs(row[x] - HIGHLIGHT[0]) <= 3
        and abs(row[x + 1] - HIGHLIGHT[1]) <= 3
        and abs(row[x + 2] - HIGHLIGHT[2]) <= 3
    )
    # Each “**” mark paints a few hundred pixels of the highlight colour; 30+ marks fit in 4000 px.
    assert painted > 20 * 150, f"only {painted} highlighted pixels in {shot}"

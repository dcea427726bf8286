"""Predictable under load: a thousand drafts with two workers in bounded memory; Ctrl-C stops a batch cleanly.

The figures themselves (time, peak memory for 100 / 1,000 / 3,000 files) are measured by
``benchmarks/bench_load.py``; here only a generous sanity bound is asserted.
"""

from __future__ import annotations

import csv
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from test_cli import GOOD

#: Generous bound on the peak resident memory of the whole djcheck process tree (parent or any worker).
PEAK_RSS_BOUND_MB = 500


def _drafts(folder: Path, count: int) -> Path:
    folder.mkdir()
    for i in range(count):
        text = GOOD.replace("召开党委会12次", f"召开党委会{i % 40 + 1}次")
        (folder / f"单位{i:04d}.txt").write_text(text, encoding="utf-8")
    return folder


def test_a_thousand_drafts_with_two_jobs_in_bounded_memory(tmp_path):
    folder = _drafts(tmp_path / "drafts", 1000)
    out = tmp_path / "summary.csv"
    # A fresh wrapper process, so RUSAGE_CHILDREN sees only this djcheck run (parent and workers).
    wrapper = (
        "import resource, subprocess, sys\n"
        f"rc = subprocess.run([sys.executable, '-m', 'djcheck', 'check', {str(folder)!r}, '--jobs', '2', '-q',"
        f" '-f', 'csv', '-o', {str(out)!r}]).returncode\n"
        "print(rc, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    )
    proc = subprocess.run([sys.executable, "-c", wrapper], capture_output=True, text=True, timeout=300)
    rc, peak_kb = map(int, proc.stdout.split())
    assert rc == 0, proc.stderr
    with out.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert len(rows) == 1 + 1000
    assert len({r[0] for r in rows[1:]}) == 1000
    peak_mb = peak_kb / 1024 if sys.platform != "darwin" else peak_kb / 1024 / 1024
    assert 0 < peak_mb < PEAK_RSS_BOUND_MB, peak_mb


def _descendants(pid: int) -> set[int]:
    """Process ids below ``pid`` (Linux /proc)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found, frontier = set(), {pid}
    while frontier:
        frontier = {p for p, pp in parents.items() if pp in frontier} - found
        found |= frontier
    return found


def _running_with(marker: str) -> list[int]:
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) != os.getpid():
            try:
                if marker.encode() in (entry / "cmdline").read_bytes():
                    out.append(int(entry.name))
            except OSError:
                continue
    return out


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="需要 Linux 的 /proc 来查看工作进程")
def test_ctrl_c_during_a_batch_stops_cleanly(tmp_path):
    folder = _drafts(tmp_path / "drafts", 3000)  # far more than can be checked before the interrupt
    out = tmp_path / "result.json"
    proc = subprocess.Popen(
        [sys.executable, "-m", "djcheck", "check", str(folder), "--jobs", "2", "-f", "json", "-o", str(out)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while len(_descendants(proc.pid)) < 2 and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.05)
        assert len(_descendants(proc.pid)) >= 2, "the two workers never started"
        time.sleep(0.7)  # let them work on their chunks
        assert proc.poll() is None, "the batch finished before it could be interrupted"
        sent = time.monotonic()
        os.killpg(proc.pid, signal.SIGINT)  # what a terminal's Ctrl-C does: the whole process group
        stdout, stderr = proc.communicate(timeout=30)
        stopped_after = time.monotonic() - sent
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert proc.returncode == 130, (proc.returncode, stderr)
    assert stderr.strip() == "djcheck：已中断。没有写完的文件都保持原样，也没有留下临时文件。"
    assert stdout == "" and not out.exists()
    assert stopped_after < 10, stopped_after  # workers are ended, not waited for
    time.sleep(0.2)
    assert _running_with(str(folder)) == [], "a worker outlived the interrupted run"
    assert [p.name for p in tmp_path.rglob("*.tmp")] == []

"""Predictable under load (issue 8): memory and time as the batch grows, and how fast Ctrl-C stops it.

Usage::

    python benchmarks/bench_load.py                 # 100, 1,000 and 3,000 drafts, --jobs 2
    python benchmarks/bench_load.py --counts 1000 10000 --jobs 2

For each count the drafts (the samples, the seeds when ../shared/seeds exists, and the
weak-item fixtures, copied round-robin with a unit name changed so no two are equal) are
checked by the console script exactly as a user runs it (``-q -f csv -o FILE``). Printed:
wall time, drafts per second, and the peak resident memory of the largest process of the
run (parent or worker), read from ``RUSAGE_CHILDREN`` of a fresh wrapper process. Workers
stay flat; the parent keeps one result per draft (about 20 KB) to sort and write the output,
so for thousands of drafts the peak is the parent's and grows by that much per draft.

Then a batch of the largest count is started and interrupted with SIGINT to its process
group (a terminal's Ctrl-C) after one second: printed are the exit code (130 expected),
the time from the signal to the end of the run, and whether any worker process or
temporary file was left behind. Nothing here touches the network.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _sources() -> list[str]:
    files = sorted((ROOT / "samples").rglob("*.txt")) + sorted((ROOT / "tests" / "fixtures" / "drafts").glob("*.txt"))
    seeds = Path(os.environ.get("DJCHECK_SEEDS", ROOT.parent / "shared" / "seeds"))
    if seeds.is_dir():
        files += sorted(seeds.glob("*.txt"))
    return [f.read_text(encoding="utf-8") for f in files]


def make_drafts(folder: Path, count: int) -> int:
    """Write ``count`` drafts into ``folder``; returns their total size in characters."""
    folder.mkdir(parents=True)
    texts = _sources()
    chars = 0
    for i in range(count):
        text = texts[i % len(texts)] + f"\n（第{i}号单位）\n"
        (folder / f"draft-{i:05d}.txt").write_text(text, encoding="utf-8")
        chars += len(text)
    return chars


def measure(folder: Path, jobs: int, out: Path) -> tuple[int, float, float]:
    """``(exit code, seconds, peak RSS in MiB)`` of one batch run (measured as :func:`scaling.run` does)."""
    from scaling import run  # benchmarks/scaling.py, beside this script

    argv = [sys.executable, "-m", "djcheck", "check", str(folder), "--jobs", str(jobs), "-q", "-f", "csv", "-o", str(out)]
    return run(argv)


def interrupt(folder: Path, jobs: int, after: float, work: Path) -> None:
    out = work / "interrupted.json"
    proc = subprocess.Popen(
        [sys.executable, "-m", "djcheck", "check", str(folder), "--jobs", str(jobs), "-f", "json", "-o", str(out)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True,
    )
    time.sleep(after)
    if proc.poll() is not None:
        print(f"interrupt: the batch ended before {after} s; use a larger --counts value")
        return
    sent = time.perf_counter()
    os.killpg(proc.pid, signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    stopped = time.perf_counter() - sent
    time.sleep(0.2)
    left = []
    if Path("/proc").is_dir():
        for entry in Path("/proc").iterdir():
            try:
                if entry.name.isdigit() and str(folder).encode() in (entry / "cmdline").read_bytes():
                    left.append(entry.name)
            except OSError:
                continue
    temps = [p.name for p in work.rglob("*.tmp")]
    print(
        f"Ctrl-C after {after:.1f} s: exit code {proc.returncode}, stopped {stopped:.2f} s after the signal, "
        f"workers left {len(left)}, temporary files left {len(temps)}, output written {out.exists()}"
    )
    print(f"  message: {err.strip()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--counts", type=int, nargs="+", default=[100, 1000, 3000])
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="djcheck-load-") as tmp:
        work = Path(tmp)
        os.environ.setdefault("DJCHECK_CACHE_DIR", str(work / "cache"))
        print(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, --jobs {args.jobs}")
        print(f"{'drafts':>8} {'characters':>12} {'seconds':>8} {'drafts/s':>9} {'peak RSS':>10}")
        for count in args.counts:
            folder = work / f"n{count}"
            chars = make_drafts(folder, count)
            measure(folder, args.jobs, work / "warm.csv")  # fills the pack cache; not reported
            rc, seconds, peak = measure(folder, args.jobs, work / f"n{count}.csv")
            print(f"{count:>8} {chars:>12,} {seconds:>8.2f} {count / seconds:>9.0f} {peak:>7.0f} MiB  (exit {rc})")
        interrupt(work / f"n{max(args.counts)}", args.jobs, 1.0, work)


if __name__ == "__main__":
    main()

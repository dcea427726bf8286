"""Scaling (issue 19, goal 3): time and peak memory as one report grows and as the batch grows.

Usage::

    python benchmarks/scaling.py                          # both tables, default sizes
    python benchmarks/scaling.py --sizes 3000 3000000     # one report of these sizes (characters)
    python benchmarks/scaling.py --shapes report line      # which shapes of the report (see below)
    python benchmarks/scaling.py --files 1 100 1000 --jobs 2
    python benchmarks/scaling.py --no-files               # the one-report table only

**One report** growing from 3 k to 12 M characters, in three shapes: ``report`` (a real report: a
title, then the bodies of the samples and seeds repeated with their lines), ``lines`` (the same
text with every sentence on a line of its own: many short lines) and ``line`` (the same text as
one single line after the title). **Many files**: 1 to 2,000 distinct drafts (as
``benchmarks/bench_load.py`` writes them) checked with ``--jobs``.

Every run is a fresh process of the console script exactly as a user runs it (``check FILE -q -f csv
-o OUT``), in a wrapper that reads the peak resident memory of its children (the largest single
process: djcheck, or one of its workers). Printed per row: characters, seconds, characters per
second overall, the *marginal* throughput (characters added ÷ seconds added since the row before:
constant when time grows linearly; start-up does not blur it), the floor (``benchmarks/floor_scan.py``
on the same file: start Python, read, scan 300 patterns) and the peak RSS in MiB (goal ≤ 150 MiB
per process). The verdicts are not looked at (exit code 1, findings, is normal).

Timings are wall clock: on a busy machine repeat with ``--runs 3`` (the median is printed).
Nothing here touches the network.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from bench_load import make_drafts  # noqa: E402

GOAL_MIB = 150
SIZES = [3_000, 30_000, 300_000, 1_500_000, 3_000_000, 6_000_000, 12_000_000]
FILES = [1, 10, 100, 1_000, 2_000]
SHAPES = ("report", "lines", "line")


def _bodies() -> list[str]:
    """The texts the big report is made of: the samples and seeds (when present), first line dropped."""
    files = sorted((ROOT / "samples").glob("*.txt"))
    seeds = Path(os.environ.get("DJCHECK_SEEDS", ROOT.parent / "shared" / "seeds"))
    if seeds.is_dir():
        files += sorted(seeds.glob("*.txt"))
    return [f.read_text(encoding="utf-8-sig").split("\n", 1)[-1].strip() + "\n" for f in files]


TITLE = "关于2025年度落实全面从严治党主体责任情况的报告\n"


def make_report(chars: int, shape: str) -> str:
    """One report of about ``chars`` characters (cut at a line or sentence end) in ``shape``."""
    bodies, parts, size, i = _bodies(), [TITLE], len(TITLE), 0
    while size < chars:
        body = bodies[i % len(bodies)]
        if shape == "lines":
            body = body.replace("。", "。\n").replace("\n\n", "\n")
        elif shape == "line":
            body = body.replace("\n", "")
        if size + len(body) > chars:
            cut = max(body.rfind("\n", 0, chars - size), body.rfind("。", 0, chars - size))
            body = body[: cut + 1] if cut > 0 else body[: chars - size]
        parts.append(body)
        size += len(body)
        i += 1
    return "".join(parts)


def run(argv: list[str]) -> tuple[int, float, float]:
    """``(exit code, seconds, peak RSS of the largest child in MiB)`` of ``argv`` in a fresh wrapper."""
    wrapper = (
        "import resource, subprocess, sys, time\n"
        "t = time.perf_counter()\n"
        f"rc = subprocess.run({argv!r}, stdout=subprocess.DEVNULL).returncode\n"
        "print(rc, time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    )
    proc = subprocess.run([sys.executable, "-c", wrapper], capture_output=True, text=True, check=True)
    rc, seconds, kb = proc.stdout.split()
    scale = 1024 * 1024 if sys.platform == "darwin" else 1024
    return int(rc), float(seconds), int(kb) / scale


def median_run(argv: list[str], runs: int) -> tuple[int, float, float]:
    """The median time (and the largest peak) of ``runs`` runs of ``argv``."""
    results = [run(argv) for _ in range(runs)]
    return results[0][0], statistics.median(r[1] for r in results), max(r[2] for r in results)


def djcheck(target: Path, out: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "djcheck", "check", str(target), "-q", "-f", "csv", "-o", str(out), *extra]


HEADER = f"{'characters':>12} {'seconds':>8} {'chars/s':>10} {'marginal':>10} {'floor s':>8} {'peak RSS':>9}"


def row(chars: int, seconds: float, previous: tuple[int, float] | None, floor: float | None, peak: float, rc: int) -> str:
    """One line of a table (``previous``: the characters and seconds of the row before, for the marginal rate)."""
    marginal = "" if previous is None or seconds <= previous[1] else f"{(chars - previous[0]) / (seconds - previous[1]):,.0f}"
    flag = "" if peak <= GOAL_MIB else "  > goal"
    floor_s = "" if floor is None else f"{floor:.2f}"
    return (
        f"{chars:>12,} {seconds:>8.2f} {chars / seconds:>10,.0f} {marginal:>10} {floor_s:>8} "
        f"{peak:>5.0f} MiB  exit {rc}{flag}"
    )


def one_report_table(work: Path, sizes: list[int], shape: str, runs: int) -> None:
    print(f"\none report, shape {shape!r} (time and peak RSS of one process; marginal = Δchars / Δseconds)")
    print(HEADER)
    previous = None
    for size in sizes:
        path = work / f"{shape}-{size}.txt"
        text = make_report(size, shape)
        path.write_text(text, encoding="utf-8")
        rc, seconds, peak = median_run(djcheck(path, work / "out.csv"), runs)
        _, floor, _ = median_run([sys.executable, str(HERE / "floor_scan.py"), str(path)], runs)
        print(row(len(text), seconds, previous, floor, peak, rc), flush=True)
        previous = (len(text), seconds)
        path.unlink()


def files_table(work: Path, counts: list[int], jobs: int, runs: int) -> None:
    print(f"\nmany files, --jobs {jobs} (peak RSS: the largest process, parent or worker)")
    print(f"{'files':>6} " + HEADER)
    previous = None
    for count in counts:
        folder = work / f"files-{count}"
        chars = make_drafts(folder, count)
        rc, seconds, peak = median_run(djcheck(folder, work / "out.csv", "--jobs", str(jobs)), runs)
        files = [str(p) for p in sorted(folder.iterdir())]
        _, floor, _ = median_run([sys.executable, str(HERE / "floor_scan.py"), *files], runs)
        print(f"{count:>6,} " + row(chars, seconds, previous, floor, peak, rc), flush=True)
        previous = (chars, seconds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=SIZES, help="report sizes in characters")
    parser.add_argument("--shapes", nargs="+", choices=SHAPES, default=list(SHAPES))
    parser.add_argument("--files", type=int, nargs="+", default=FILES, help="batch sizes in files")
    parser.add_argument("--no-files", action="store_true", help="skip the many-files table")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--runs", type=int, default=1, help="runs per row (the median time is printed)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="djcheck-scaling-") as tmp:
        work = Path(tmp)
        os.environ.setdefault("DJCHECK_CACHE_DIR", str(work / "cache"))
        # as pip install does: the runs measure checking, not compiling djcheck's source (see bench.py)
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "src" / "djcheck")], check=True)
        subprocess.run(djcheck(ROOT / "samples" / "good-report.txt", work / "warm.csv"), stdout=subprocess.DEVNULL)
        from djcheck import segment  # noqa: PLC0415 - only to name the segmenter in the heading

        print(
            f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, segmenter {segment.backend()}, "
            f"goal: peak RSS ≤ {GOAL_MIB} MiB per process, time linear in characters"
        )
        for shape in args.shapes:
            one_report_table(work, sorted(args.sizes), shape, args.runs)
        if not args.no_files:
            files_table(work, sorted(args.files), args.jobs, args.runs)


if __name__ == "__main__":
    main()

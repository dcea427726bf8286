"""Instructions per report, counted by valgrind's callgrind: a speed figure that load does not move.

Usage::

    python benchmarks/icount.py                 # 100 reports after 30 warm-up reports
    python benchmarks/icount.py --reports 200
    python benchmarks/icount.py --off typo-guess    # without a rule (a .djcheck.yaml beside the reports)

On a shared machine wall-clock and CPU times drift by tens of percent, so a
change that saves 5 % cannot be seen with ``bench.py``. callgrind counts the
instructions a process executes, which stays the same from run to run for the
same code, inputs and Python (seen here: identical totals with the other core
busy). The script checks ``--warmup`` reports in one process (packs loaded,
dictionary built, caches warm), then runs again with ``--reports`` more, and
prints the difference divided by ``--reports``: the steady per-report cost of
a batch worker. The per-user cache (packs, compiled patterns, dictionary) is
filled beforehand by an uncounted run over all the reports, so that neither
counted run compiles patterns or writes a store. Instructions are not seconds (a cache miss costs more than an
addition), so confirm a real gain with ``bench.py`` on an idle machine.

Needs valgrind (Debian package ``valgrind``); each run takes about 50× its
normal time (about a minute for the defaults). Reads the same corpus as
``bench.py`` (seeds, samples, test drafts); nothing touches the network.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench import build_corpus, corpus_sources  # noqa: E402

_WORKER = """
import sys
from pathlib import Path
from djcheck import segment
from djcheck.runner import Session
files = sorted(str(p) for p in Path(sys.argv[1]).iterdir())[: int(sys.argv[2])]
segment.expect_many_texts()  # as in a batch worker
session = Session()
for f in files:
    session.check(f)
"""


def instructions(corpus: Path, count: int, env: dict) -> int:
    """Instructions callgrind counts for checking the first ``count`` reports of ``corpus`` in one process."""
    valgrind = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null"]
    out = subprocess.run(
        [*valgrind, sys.executable, "-c", _WORKER, str(corpus), str(count)], env=env, capture_output=True, text=True
    )
    found = re.search(r"Collected\s*:\s*(\d+)", out.stderr)
    if out.returncode != 0 or not found:
        sys.exit(f"icount: valgrind failed (exit {out.returncode}): {out.stderr[-400:]}")
    return int(found.group(1))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--reports", type=int, default=100, help="reports counted (default 100)")
    ap.add_argument("--warmup", type=int, default=30, help="reports checked before counting (default 30)")
    ap.add_argument("--off", action="append", default=[], metavar="RULE",
                    help="switch rule RULE off (repeatable), through a configuration file above the reports")
    args = ap.parse_args(argv)
    if shutil.which("valgrind") is None:
        sys.exit("icount: valgrind not found (apt install valgrind)")
    sources = corpus_sources()
    if not sources:
        sys.exit("icount: no seeds or samples to build the corpus from")
    work = Path(tempfile.mkdtemp(prefix="djcheck-icount-"))
    try:
        corpus = work / "reports"
        corpus.mkdir()
        total = args.warmup + args.reports
        build_corpus(corpus, sources, total)
        if args.off:  # found by configuration discovery from the reports' folder
            (work / ".djcheck.yaml").write_text(
                "rules:\n" + "".join(f"  {rule}: off\n" for rule in args.off), encoding="utf-8"
            )
        chars = sum(len(p.read_text(encoding="utf-8")) for p in sorted(corpus.iterdir())[args.warmup : total])
        env = {**os.environ, "DJCHECK_CACHE_DIR": str(work / "cache")}
        # fill the per-user cache first (without valgrind) with every report both counted runs check, so
        # that neither builds it: a run that compiles patterns new to the store also writes the store at
        # exit, and when that was the warm-up run the difference read about 15 % low
        subprocess.run([sys.executable, "-c", _WORKER, str(corpus), str(total)], env=env, check=True)
        base = instructions(corpus, args.warmup, env)
        full = instructions(corpus, total, env)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    per = (full - base) / args.reports
    off = f"; off: {', '.join(args.off)}" if args.off else ""
    print(
        f"{per / 1e6:.2f} M instructions per report ({args.reports} reports, {chars / args.reports:,.0f} chars "
        f"on average, after {args.warmup} warm-up reports{off}) = {per / (chars / args.reports):,.0f} per character"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

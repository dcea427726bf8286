"""djcheck speed and memory benchmark (issue 7). Prints each figure with its goal and floors.

Usage::

    python benchmarks/bench.py                    # all three goals, default settings
    python benchmarks/bench.py --runs 21          # more runs per median
    python benchmarks/bench.py --zhlint /path/to/node_modules/.bin/zhlint
    python benchmarks/bench.py --json figures.json

Goals (whole process, median of several runs):

1. one report (a seed, about 3,000 characters), all default rules, cold
   process: ≤ 0.45 × zhlint on the same file in a paired run (issue 19; about
   0.10 s on a quiet machine), also printed as instructions (below);
2. 1,000 reports built from the seeds and samples: ≥ 2,000,000 characters per
   second on 2 cores (``--jobs`` defaults to the cores available);
3. peak memory of the batch ≤ 150 MiB per process (largest resident set of
   the djcheck process and its workers, as ``/usr/bin/time -v`` reports it).

Floors: ``python -c pass`` and ``benchmarks/floor_scan.py`` (read the file(s),
scan 300 patterns). Each djcheck figure is also given as a ratio to them.

Instructions: when valgrind is installed, the cold one-report run, the floors and
zhlint are also counted by callgrind (one run each, every process the command
starts): a figure that the load of a shared machine does not move, where the
wall-clock medians do (``--no-valgrind`` skips it; it takes about two minutes).

djcheck runs exactly as a user runs it (the console script of this Python,
default profile, ``-f plain``), so the figures cover whatever rules the bundled
packs contain when the script is run. It uses a fresh per-user cache folder
(``DJCHECK_CACHE_DIR``); the very first run, which fills that cache, is
reported separately. zhlint is found on ``PATH``, in ``benchmarks/node_modules``
or via ``--zhlint``; install it with ``npm install --prefix benchmarks zhlint``; the peer autocorrect likewise
(``npm install --prefix benchmarks autocorrect-node``; its ``--lint`` on the same file and folder).
Nothing here touches the network.

Bytecode: ``pip install`` compiles every module to bytecode, so a user's
djcheck never parses its own source at start-up. An editable install run with
``PYTHONDONTWRITEBYTECODE=1`` would (about 50 ms a run), so the script first
compiles djcheck's modules with ``compileall`` (``--no-compile`` skips that, to
measure the slower case). It reports which segmenter djcheck uses: rjieba
(``pip install 'djcheck[fast]'``) or pure-Python jieba.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
GOAL_ZHLINT_RATIO = 0.45
GOAL_CHARS_PER_S = 2_000_000
GOAL_MIB = 150


# -- helpers -------------------------------------------------------------------------------------
def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def djcheck_cmd() -> list[str]:
    """The console script next to this Python, else ``python -m djcheck``."""
    script = Path(sys.executable).parent / ("djcheck.exe" if os.name == "nt" else "djcheck")
    return [str(script)] if script.exists() else [sys.executable, "-m", "djcheck"]


#: CPU seconds (user + system) of every run of each command, summed over its whole process tree.
CPU_SECONDS: dict[str, list[float]] = {}


def _children_cpu() -> float:
    import resource

    use = resource.getrusage(resource.RUSAGE_CHILDREN)
    return use.ru_utime + use.ru_stime


def run_once(cmd: list[str], env: dict, cwd: Path | None = None) -> float:
    """Wall-clock seconds of one run (output discarded). Exit codes 0–1 are fine; others abort.
    The run's CPU seconds (its processes and the workers they waited for) go to :data:`CPU_SECONDS`."""
    cpu = _children_cpu()
    start = time.perf_counter()
    proc = subprocess.run(cmd, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - start
    CPU_SECONDS.setdefault(" ".join(cmd), []).append(_children_cpu() - cpu)
    if proc.returncode not in (0, 1):
        sys.exit(f"bench: {' '.join(cmd)} exited {proc.returncode}: {proc.stderr.decode(errors='replace')[-400:]}")
    return elapsed


def interleaved(commands: dict[str, tuple[list[str], Path | None]], env: dict, runs: int) -> dict[str, float]:
    """Median seconds of each command, run in rounds (one run of each per round, order rotated).

    Interleaving makes the ratios fair on a machine whose load drifts.
    """
    names = list(commands)
    times: dict[str, list[float]] = {n: [] for n in names}
    for name in names:  # warm-up
        run_once(commands[name][0], env, commands[name][1])
    for i in range(runs):
        order = names[i % len(names) :] + names[: i % len(names)]
        for name in order:
            times[name].append(run_once(commands[name][0], env, commands[name][1]))
    return {n: statistics.median(t) for n, t in times.items()}


_PEAK_PROBE = (
    "import resource, subprocess, sys\n"
    "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n"
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
)


def peak_mib(cmd: list[str], env: dict) -> float:
    """Largest resident set (MiB) of ``cmd`` and every process it waited for (wait4 / getrusage semantics)."""
    out = subprocess.run([sys.executable, "-c", _PEAK_PROBE, *cmd], env=env, capture_output=True, text=True)
    value = int(out.stdout.strip() or 0)
    return value / (1024 * 1024) if sys.platform == "darwin" else value / 1024


def instructions(cmd: list[str], env: dict, cwd: Path | None = None) -> int | None:
    """Instructions callgrind counts for one run of ``cmd`` (with every process it starts), or ``None``
    without valgrind. Unlike seconds, the count is the same from run to run whatever the load."""
    if not shutil.which("valgrind"):
        return None
    valgrind = ["valgrind", "--tool=callgrind", "--trace-children=yes", "--callgrind-out-file=/dev/null"]
    out = subprocess.run([*valgrind, *cmd], env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    counts = re.findall(r"Collected\s*:\s*(\d+)", out.stderr.decode(errors="replace"))
    return sum(int(c) for c in counts) or None


def find_peer(name: str, explicit: str | None = None) -> list[str] | None:
    """The command of peer ``name`` (``zhlint``, ``autocorrect``): ``explicit``, else
    ``benchmarks/node_modules/.bin/NAME`` (``npm install --prefix benchmarks zhlint autocorrect-node``),
    else ``NAME`` on ``PATH``; ``None`` when there is none."""
    if explicit:
        return [explicit]
    for candidate in (HERE / "node_modules" / ".bin" / name, shutil.which(name)):
        if candidate and Path(candidate).exists():
            return [str(candidate)]
    return None


def seeds_dir() -> Path:
    return Path(os.environ.get("DJCHECK_SEEDS", ROOT.parent / "shared" / "seeds"))


def corpus_sources() -> list[Path]:
    """Report texts to build the batch from: seeds, samples, test drafts (whatever exists)."""
    found: list[Path] = []
    for folder in (seeds_dir(), ROOT / "samples", ROOT / "tests" / "fixtures" / "drafts"):
        if folder.is_dir():
            found += sorted(
                p
                for p in folder.rglob("*")
                if p.suffix.lower() in (".txt", ".md") and p.is_file() and not p.stem.lower().startswith("readme")
            )
    return found


def pick_single(explicit: str | None) -> Path:
    if explicit:
        return Path(explicit)
    seeds = sorted(seeds_dir().glob("*.txt"))
    if seeds:  # the seed closest to 3,000 characters
        return min(seeds, key=lambda p: abs(len(p.read_text(encoding="utf-8")) - 3000))
    sample = ROOT / "samples" / "good-report.txt"
    if sample.exists():
        return sample
    sys.exit("bench: no seed or sample report found; pass --file")


def build_corpus(dest: Path, sources: list[Path], count: int) -> int:
    """Write ``count`` **distinct** reports to ``dest`` (no two with the same content); returns the number
    of characters.

    The first round is the sources as they are; every later round varies each source deterministically
    (:func:`vary`): other figures in place of its numbers, two body paragraphs swapped, a body paragraph
    taken from another source. So each report is still a realistic draft of its genre and about its
    source's length, but no worker sees the same text twice (a checker that kept anything keyed by
    content could not look faster here than on a real office's drafts).
    """
    import hashlib
    import random

    texts = [p.read_text(encoding="utf-8-sig") for p in sources]
    paragraphs = [[x for x in t.split("\n") if x.strip()] for t in texts]
    seen: set[bytes] = set()
    chars = 0
    for i in range(count):
        j = i % len(texts)
        rng = random.Random(i)
        text = texts[j] if i < len(texts) else vary(texts[j], paragraphs, rng)
        while hashlib.sha256(text.encode()).digest() in seen:  # very rare: vary again until new
            text = vary(text, paragraphs, rng)
        seen.add(hashlib.sha256(text.encode()).digest())
        (dest / f"unit-{i:04d}{sources[j].suffix.lower()}").write_text(text, encoding="utf-8")
        chars += len(text)
    return chars


_NUMBER = re.compile(r"\d+")


def vary(text: str, paragraphs: list[list[str]], rng) -> str:
    """``text`` with deterministic, realistic changes drawn from ``rng``: each number (digits) replaced
    with probability 0.4 by another of the same length, two body lines (not the first two) swapped, and
    one body line replaced by a line of similar length from another source (``paragraphs``: each source's non-empty lines)."""
    def number(m: re.Match) -> str:
        if rng.random() >= 0.4:
            return m.group()
        digits = str(rng.randint(1, 9)) + "".join(str(rng.randint(0, 9)) for _ in range(len(m.group()) - 1))
        return digits

    lines = _NUMBER.sub(number, text).split("\n")
    body = [k for k, line in enumerate(lines) if k >= 2 and line.strip()]
    if len(body) >= 2:
        a, b = rng.sample(body, 2)
        lines[a], lines[b] = lines[b], lines[a]
    if body:
        k = rng.choice(body)
        donors = [rng.choice(d) for d in rng.sample(paragraphs, min(8, len(paragraphs))) if d]
        if donors:  # of a few, the line closest in length (keeps the report's size)
            lines[k] = min(donors, key=lambda x: abs(len(x) - len(lines[k])))
    return "\n".join(lines)


def start_methods() -> list[str]:
    """The multiprocessing start methods to measure the batch with: fork and spawn where this platform has them."""
    import multiprocessing

    have = multiprocessing.get_all_start_methods()
    return [m for m in ("fork", "spawn") if m in have]


def with_env(cmd: list[str], extra: dict[str, str]) -> list[str]:
    """``cmd`` run with the variables ``extra`` added to its environment (through ``env``, where there is one)."""
    runner = shutil.which("env")
    return [runner, *(f"{k}={v}" for k, v in extra.items()), *cmd] if runner else cmd


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def ensure_bytecode() -> str:
    """Compile djcheck's modules to bytecode as ``pip install`` does; says what was done."""
    import compileall
    import importlib.util

    spec = importlib.util.find_spec("djcheck")
    if spec is None or not spec.submodule_search_locations:
        return "djcheck not importable here: bytecode left as installed"
    folder = list(spec.submodule_search_locations)[0]
    ok = compileall.compile_dir(folder, quiet=1)
    return f"bytecode of {folder} compiled (as pip install does)" if ok else "compileall reported errors"


def segmenter_backend(env: dict) -> str:
    code = "from djcheck import segment; print(segment.backend())"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    return out.stdout.strip() or "unknown"


def describe_rules(env: dict) -> str:
    out = subprocess.run([*djcheck_cmd(), "rules", "list"], env=env, capture_output=True, text=True)
    lines = [x for x in out.stdout.splitlines() if x.strip()]
    off = sum("已关闭" in x for x in lines)
    return f"default profile, {len(lines) - off} active rules"


def segmentation_rate(sources: list[Path]) -> float | None:
    """Characters per second djcheck's segmenter (rjieba or jieba, as djcheck starts it) cuts, warm,
    in this process (information only)."""
    try:
        from djcheck import segment
    except ImportError:
        return None
    texts = [p.read_text(encoding="utf-8-sig") for p in sources]
    segment.expect_many_texts()  # as in a batch worker: rjieba loads its whole dictionary once
    segment.cut(texts[0])
    start = time.perf_counter()
    n = 0
    for _ in range(3):
        for t in texts:
            segment.cut(t)
            n += len(t)
    return n / (time.perf_counter() - start)


# -- main ----------------------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=11, help="runs per median for single-file figures (default 11)")
    ap.add_argument("--batch-runs", type=int, default=3, help="runs per median for the batch (default 3)")
    ap.add_argument("--reports", type=int, default=1000, help="reports in the batch (default 1000)")
    ap.add_argument("--jobs", type=int, default=None, help="--jobs for the batch (default: cores available)")
    ap.add_argument("--file", help="the single report (default: the seed closest to 3,000 characters)")
    ap.add_argument("--zhlint", help="zhlint executable for the paired run")
    ap.add_argument("--json", help="also write the figures to this JSON file")
    ap.add_argument("--no-compile", action="store_true", help="do not compile djcheck's modules to bytecode first")
    ap.add_argument("--no-valgrind", action="store_true", help="do not count instructions (callgrind) for goal 1")
    args = ap.parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix="djcheck-bench-"))
    env = {**os.environ, "DJCHECK_CACHE_DIR": str(work / "cache"), "NO_COLOR": "1"}
    cmd = djcheck_cmd()
    py_pass = [sys.executable, "-c", "pass"]
    scan = [sys.executable, str(HERE / "floor_scan.py")]
    jobs = args.jobs or cores()
    figures: dict = {
        "python": platform.python_version(),
        "cores": cores(),
        "machine": platform.machine(),
    }
    try:
        bytecode = "bytecode not compiled (--no-compile)" if args.no_compile else ensure_bytecode()
        single = pick_single(args.file)
        text = single.read_text(encoding="utf-8-sig")
        first = run_once([*cmd, "check", "-f", "plain", str(single)], env)  # fills the cache
        rules = describe_rules(env)
        version = subprocess.run([*cmd, "--version"], env=env, capture_output=True, text=True).stdout.strip()
        backend = segmenter_backend(env)
        figures["segmenter"] = backend
        print(f"{version} · Python {figures['python']} · {figures['cores']} cores · {rules} · segmenter {backend}")
        print(f"({bytecode})")

        # floors and goal 1
        one = [*cmd, "check", "-f", "plain", str(single)]
        zh = find_peer("zhlint", args.zhlint)
        ac = find_peer("autocorrect")
        # what every run of the CLI pays before djcheck's own code: Python, typer (the design card's CLI
        # library, which imports click, inspect, typing, subprocess …) and the regex engine of the rules
        start = [sys.executable, "-c", "import typer, regex"]
        commands = {
            "pass": (py_pass, None),
            "start": (start, None),
            "scan": ([*scan, str(single)], None),
            "djcheck": (one, None),
        }
        if zh:  # zhlint wants a path relative to its working folder
            commands["zhlint"] = ([*zh, single.name], single.parent)
        if ac:
            commands["autocorrect"] = ([*ac, "--lint", single.name], single.parent)
        t = interleaved(commands, env, args.runs)
        t_pass, t_scan, t_one, t_zh = t["pass"], t["scan"], t["djcheck"], t.get("zhlint")
        ratio = t_one / t_zh if t_zh else None
        print(
            f"floors: python -c pass {t_pass:.3f} s · read + scan 300 patterns {t_scan:.3f} s "
            f"(all single-file figures: median of {args.runs} interleaved rounds)"
        )
        t_start = t["start"]
        print(f"       · python -c 'import typer, regex' (the start every CLI run pays) {t_start:.3f} s")
        print(f"\n1. one report ({single.name}, {len(text):,} chars), cold process: {t_one:.3f} s")
        print(f"   = {t_one / t_pass:.1f} × python -c pass, {t_one / t_scan:.1f} × minimal scan script")
        if ratio is not None:
            print(
                f"   zhlint on the same file {t_zh:.3f} s (paired, interleaved, medians) → ratio {ratio:.2f}"
                f"   goal ≤ {GOAL_ZHLINT_RATIO}   {verdict(ratio <= GOAL_ZHLINT_RATIO)}"
            )
            print(
                f"   the start alone is {t_start / t_zh:.2f} × zhlint: the goal leaves djcheck's own work "
                f"{max(GOAL_ZHLINT_RATIO * t_zh - t_start, 0) * 1000:.0f} ms (it takes {(t_one - t_start) * 1000:.0f} ms)"
            )
        else:
            print("   zhlint ratio: unavailable (zhlint not found; npm install --prefix benchmarks zhlint)")
        t_ac = t.get("autocorrect")
        if t_ac:
            print(f"   autocorrect --lint on the same file {t_ac:.3f} s (paired) → djcheck / autocorrect {t_one / t_ac:.2f}")
        else:
            print("   autocorrect: unavailable (npm install --prefix benchmarks autocorrect-node)")
        counted: dict[str, int | None] = {}
        if not args.no_valgrind and shutil.which("valgrind"):
            for name, (command, folder) in commands.items():
                counted[name] = instructions(command, env, folder)
            n_one, n_zh = counted.get("djcheck"), counted.get("zhlint")
            line = f"   cold instructions (callgrind, one run each): djcheck {n_one / 1e6:,.0f} M" if n_one else ""
            if n_one:
                line += f" · python -c pass {counted['pass'] / 1e6:,.0f} M · import typer, regex {counted['start'] / 1e6:,.0f} M"
                line += f" · minimal scan {counted['scan'] / 1e6:,.0f} M"
                if n_zh:
                    line += f" · zhlint {n_zh / 1e6:,.0f} M → ratio {n_one / n_zh:.2f}"
                if counted.get("autocorrect"):
                    line += f" · autocorrect {counted['autocorrect'] / 1e6:,.0f} M"
                print(line)
        elif not args.no_valgrind:
            print("   cold instructions: unavailable (valgrind not installed)")
        print(f"   first run with an empty cache (builds the pack cache, and the jieba store if a rule segments text): {first:.2f} s")
        figures["one"] = {
            "file": single.name,
            "chars": len(text),
            "seconds": t_one,
            "first_run_seconds": first,
            "zhlint_seconds": t_zh,
            "zhlint_ratio": ratio,
            "autocorrect_seconds": t_ac,
            "python_pass_seconds": t_pass,
            "start_seconds": t_start,
            "scan_seconds": t_scan,
            "instructions": counted,
        }

        # goal 2
        sources = corpus_sources()
        if not sources:
            sys.exit("bench: no seeds or samples to build the batch from")
        corpus = work / "reports"
        corpus.mkdir()
        chars = build_corpus(corpus, sources, args.reports)
        batch = [*cmd, "check", "-q", "-f", "plain", "--jobs", str(jobs), str(corpus)]
        files = sorted(str(p) for p in corpus.iterdir())
        # every worker start method this platform has, fork and spawn first (spawn is the default on
        # Windows and macOS); djcheck.batch reads DJCHECK_START_METHOD
        methods = start_methods()
        runs = {"scan": ([*scan, *files], None)}
        if ac:  # a peer over the same folder (one process)
            runs["autocorrect"] = ([*ac, "--lint", corpus.name], corpus.parent)
        for method in methods:
            runs[method] = (with_env(batch, {"DJCHECK_START_METHOD": method}), None)
        tb = interleaved(runs, env, args.batch_runs)
        t_scan_batch = tb["scan"]
        print(
            f"\n2. {args.reports:,} distinct reports varied from {len(sources)} texts ({chars:,} chars), "
            f"--jobs {jobs}, median of {args.batch_runs} interleaved rounds; goal ≥ {GOAL_CHARS_PER_S / 1e6:.1f} M chars/s"
        )
        figures["batch"] = {"reports": args.reports, "texts": len(sources), "chars": chars, "jobs": jobs,
                            "scan_seconds": t_scan_batch, "methods": {}}
        for method in methods:
            t_batch = tb[method]
            rate = chars / t_batch
            cpu_batch = statistics.median(CPU_SECONDS[" ".join(runs[method][0])])
            print(
                f"   {method:<10} {t_batch:.2f} s → {rate / 1e6:.2f} M chars/s   {verdict(rate >= GOAL_CHARS_PER_S)}   "
                f"CPU (all processes) {cpu_batch:.2f} s = {cpu_batch / args.reports * 1e3:.2f} ms per report; "
                f"wall × cores {t_batch * jobs:.2f} s"
            )
            figures["batch"]["methods"][method] = {"seconds": t_batch, "cpu_seconds": cpu_batch, "chars_per_second": rate}
        print(
            f"   floor: minimal scan script over the same files, 1 process {t_scan_batch:.2f} s "
            f"({chars / t_scan_batch / 1e6:.2f} M chars/s) · python -c pass {t_pass:.3f} s"
        )
        if "autocorrect" in tb:
            t_acb = tb["autocorrect"]
            print(f"   peer: autocorrect --lint on the same folder, 1 process {t_acb:.2f} s ({chars / t_acb / 1e6:.2f} M chars/s)")
            figures["batch"]["autocorrect_seconds"] = t_acb
        seg = segmentation_rate(sources)
        if seg:
            print(f"   (information) segmentation ({backend}), warm, one process: {seg / 1e6:.2f} M chars/s")
        figures["batch"]["jieba_chars_per_second"] = seg

        # goal 3
        mem_batch = peak_mib(batch, env)
        mem_one = peak_mib(one, env)
        mem_pass = peak_mib(py_pass, env)
        mem_scan = peak_mib([*scan, *files], env)
        print(
            f"\n3. peak memory per process, batch of {args.reports:,} (--jobs {jobs}): {mem_batch:.0f} MiB   "
            f"goal ≤ {GOAL_MIB} MiB   {verdict(mem_batch <= GOAL_MIB)}"
        )
        print(
            f"   one report {mem_one:.0f} MiB · python -c pass {mem_pass:.0f} MiB · minimal scan script "
            f"{mem_scan:.0f} MiB → batch = {mem_batch / mem_pass:.1f} × python -c pass"
        )
        figures["memory"] = {"batch_mib": mem_batch, "one_mib": mem_one, "pass_mib": mem_pass, "scan_mib": mem_scan}
        if args.json:
            Path(args.json).write_text(json.dumps(figures, indent=2, ensure_ascii=False), encoding="utf-8")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

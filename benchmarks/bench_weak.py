"""Speed of the weak-item checks on a 20,000-character report (issue 4).

Builds one long 主体责任 report from the seed reports (../shared/seeds) and
the bundled samples: their achievements paragraphs, every problem item and
every measure item, renumbered （一）（二）…, until the text reaches 20,000
characters. Then it measures:

- cold: a fresh Python process that imports djcheck, loads the pack, reads the
  report and runs the segmentation-based check (``problem-measure-match``,
  jieba start included; jieba's dictionary cache is warm, as on every run
  after the first);
- first ever: the same with an empty cache folder (jieba builds its dictionary);
- warm: the segmentation-based check again in the same process (jieba loaded),
  and all weak-item checks together, and the whole default pack.

Prints medians of several runs, in seconds. Usage::

    python benchmarks/bench_weak.py [--runs 5]

Skips (exit 0 with a message) when neither the seeds nor the samples are present.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = [ROOT.parent / "shared" / "seeds", ROOT / "samples"]
TARGET_CHARS = 20_000
SEGMENTING = ["problem-measure-match"]
WEAK = [
    "problems-specific",
    "problem-measure-match",
    "measures-concrete",
    "achievements-data",
    "problems-weight",
    "four-forms",
    "four-forms-sum",
]
CN = "一二三四五六七八九十"


def cn_number(n: int) -> str:
    """1–99 as a Chinese numeral."""
    tens, ones = divmod(n, 10)
    return (("" if tens == 1 else CN[tens - 1]) + "十" if tens else "") + (CN[ones - 1] if ones else "")


def build_report() -> str | None:
    """A 主体责任 report of about ``TARGET_CHARS`` characters, or ``None`` without sources."""
    import djcheck
    from djcheck.context import Context

    files = [p for d in SOURCES if d.is_dir() for p in sorted(d.glob("*.txt"))]
    if not files:
        return None
    pack = djcheck.load_pack("zhuti-zeren")
    achievements, problems, measures = [], [], []
    for path in files:
        ctx = Context(djcheck.load_document(path), pack)
        part = ctx.parts.get("achievements")
        if part:  # body paragraphs only: the sub-headings would read as enumerated items
            achievements += [p.text for p in ctx.doc.paragraphs if part.body_start <= p.start < part.end
                             and not p.heading and len(p.text) > 40]
        for kind, out in (("problems", problems), ("next_steps", measures)):
            items = ctx.items(kind)
            for it in items or []:
                text = it.text(ctx.doc)
                out.append(text[len(it.label) :].lstrip("、.． ") if it.via != "sentence" else text)

    n = min(99, len(problems), len(measures))
    head = ["局党委2026年落实全面从严治党主体责任情况报告", "今年以来，局党委认真履行全面从严治党主体责任。现将有关情况报告如下：", "一、工作开展情况"]
    tail = ["二、存在的问题"] + [f"（{cn_number(i + 1)}）{problems[i]}" for i in range(n)]
    tail += ["三、下一步工作打算"] + [f"（{cn_number(i + 1)}）{measures[i]}" for i in range(n)]
    body: list[str] = []
    size = sum(len(x) + 1 for x in head + tail)
    while size < TARGET_CHARS:  # every problem and measure first, then achievements up to the target
        para = achievements[len(body) % len(achievements)]
        body.append(para[: TARGET_CHARS - size + 1])
        size += len(body[-1]) + 1
    return "\n".join(head + body + tail)


COLD = """
import sys, time
t0 = time.perf_counter()
import djcheck
from djcheck.checks import KINDS
from djcheck.context import Context
from djcheck.document import Document
pack = djcheck.load_pack("zhuti-zeren")
doc = Document.from_text(open(sys.argv[1], encoding="utf-8").read())
ctx = Context(doc, pack)
for rid in filter(None, sys.argv[2].split(",")):
    rule = pack.rule(rid)
    KINDS[rule.kind].run(rule, ctx)
print(time.perf_counter() - t0)
"""


def cold(path: str, runs: int, cache_dir: str | None = None, rules: list[str] | None = None) -> float:
    env = dict(os.environ)
    times = []
    for _ in range(runs):
        if cache_dir is not None:
            fresh = tempfile.mkdtemp(prefix="djcheck-bench-", dir=cache_dir)
            env["DJCHECK_CACHE_DIR"] = fresh
        out = subprocess.run(
            [sys.executable, "-c", COLD, path, ",".join(SEGMENTING if rules is None else rules)],
            capture_output=True, text=True, env=env, check=True,
        )
        times.append(float(out.stdout.strip()))
    return statistics.median(times)


def warm(text: str, rule_ids: list[str] | None, runs: int) -> float:
    import djcheck
    from djcheck.checks import KINDS
    from djcheck.context import Context
    from djcheck.document import Document
    from djcheck.engine import check_document

    pack = djcheck.load_pack("zhuti-zeren")
    doc = Document.from_text(text)
    times = []
    for _ in range(runs + 1):  # the first run loads jieba
        t0 = time.perf_counter()
        if rule_ids is None:
            check_document(doc, pack)
        else:
            ctx = Context(doc, pack)
            for rid in rule_ids:
                rule = pack.rule(rid)
                KINDS[rule.kind].run(rule, ctx)
        times.append(time.perf_counter() - t0)
    return statistics.median(times[1:])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    text = build_report()
    if text is None:
        print("跳过：没有种子报告（../shared/seeds）也没有 samples/，无法构造 20,000 字的报告。")
        return 0
    from djcheck.document import count_chars

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "report-20k.txt"
        path.write_text(text, encoding="utf-8")
        import djcheck
        from djcheck.context import Context

        ctx = Context(djcheck.load_document(path), djcheck.load_pack("zhuti-zeren"))
        n_p, n_m = len(ctx.items("problems")), len(ctx.items("next_steps"))
        print(f"report: {len(text)} characters ({count_chars(text)} non-blank), {n_p} problems, {n_m} measures")
        base = cold(str(path), args.runs, rules=[])
        print(f"cold process, imports + pack + document only (no check):  {base:.3f} s")
        print(f"segmentation-based check, cold process incl. jieba start: {cold(str(path), args.runs):.3f} s")
        print(f"  same, first run ever (empty cache, jieba builds its dictionary): {cold(str(path), 1, tmp):.3f} s")
        print(f"segmentation-based check, warm (jieba loaded):  {warm(text, SEGMENTING, args.runs):.3f} s")
        print(f"all weak-item checks, warm:                     {warm(text, WEAK, args.runs):.3f} s")
        print(f"whole default pack (check_document), warm:      {warm(text, None, args.runs):.3f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())

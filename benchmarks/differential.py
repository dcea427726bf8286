"""Differential check for speed work: the current code and an earlier revision give the same results.

Usage::

    python benchmarks/differential.py                      # against the revision before the speed work
    python benchmarks/differential.py --rev main --docs 2000 --seed 7

Speed changes must not change a verdict or a finding. ``tests/test_results_unchanged.py``
pins the results on the seeds, samples and drafts; this script goes further: it
builds random drafts from their paragraphs with mutations that exercise the
checks (ASCII punctuation, straight quotes, brackets out of order, doubled
characters, run-in and heading numbers, placeholders, wrong terms, URLs,
ellipses, stray control characters) and checks each one with the code at
``--rev`` (extracted with ``git archive`` into a temporary package
``djcheck_ref``) and with the working tree, by genre detection and under every
bundled genre pack, comparing the whole JSON result plus finding offsets.
The revision runs with pure-Python jieba, so this also compares the segmenters.

Prints the first differences and exits 1 if there are any. Needs git; reads
``../shared/seeds`` when present. Nothing touches the network.
"""

from __future__ import annotations

import argparse
import importlib
import io
import json
import os
import random
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BEFORE_SPEED_WORK = "eeac381"  # main at the merge of issues 2–7, genre evidence made deterministic


def reference_package(rev: str, dest: Path) -> None:
    """Extract ``src/djcheck`` at ``rev`` into ``dest/djcheck_ref``, with that revision's ``rules/`` inside it
    (where an installed package keeps them, :func:`djcheck.paths.bundled_dir`), and make it importable."""
    data = subprocess.run(
        ["git", "archive", rev, "src/djcheck", "rules"], cwd=ROOT, capture_output=True, check=True
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        tar.extractall(dest, filter="data")
    (dest / "src" / "djcheck").rename(dest / "djcheck_ref")
    (dest / "rules").rename(dest / "djcheck_ref" / "rules")
    sys.path.insert(0, str(dest))


def corpus_paragraphs() -> list[str]:
    seeds = Path(os.environ.get("DJCHECK_SEEDS", ROOT.parent / "shared" / "seeds"))
    files = sorted(seeds.glob("*.txt")) if seeds.is_dir() else []
    for folder in (ROOT / "samples", ROOT / "tests" / "fixtures" / "drafts", ROOT / "tests" / "fixtures" / "genres"):
        files += sorted(p for p in folder.rglob("*") if p.suffix in (".txt", ".md"))
    paras = []
    for f in files:
        paras += [p for p in f.read_text(encoding="utf-8-sig").split("\n") if p.strip()]
    return paras


INSERTS = [
    ",", ";", ":", "?", "!", "(", ")", '"', "(部门)", "f(x)", "“", "”", "《", "》", "（", "）", "...", "。。。", "…",
    "……", "**", "XX", "某某", "【填写单位】", "___", "一是", "二是", "三是", "四是", "第一，", "首先，",
    "研究研究", "建建设", "做到做到", "的的确确", "牢牢", "截止目前", "截止2025年", "新冠肺炎", "党的十九大精神",
    "二十届中央纪委三次全会", "党史学习教育", "习近平新世代中国特色社会主义思想", "https://example.org/a,b",
    "a@b.cn", "`code`", "10:30", "3,5", "1.5亿元", "14人次", "第一种形态11人次", "2023年上半年", "还不够", "有待加强",
    "个别", "书记", "三会一课", "由办公室牵头", "年底前", "\x1c", "\u3000", "㐀", "B超", "一一一",
]
HEADINGS = ["一、", "二、", "三、", "（一）", "（二）", "（三）", "1.", "2.", "3、", "（1）", "（2）", "# ", "## ", "（一）、", "四."]


def random_draft(rng: random.Random, paras: list[str]) -> str:
    lines = []
    if rng.random() < 0.8:
        lines.append(rng.choice(["关于2025年度落实全面从严治党主体责任情况的报告", "2024年度履行监督责任情况报告",
                                 "政治生态分析研判报告", "民主生活会个人对照检查材料", "述责述廉报告", ""]))
    for _ in range(rng.randint(3, 25)):
        p = rng.choice(paras)
        if rng.random() < 0.3:
            p = rng.choice(HEADINGS) + p[: rng.randint(2, 20)]
        for _ in range(rng.randint(0, 4)):
            i = rng.randint(0, len(p))
            p = p[:i] + rng.choice(INSERTS) + p[i:]
        if rng.random() < 0.1:
            i = rng.randint(0, max(0, len(p) - 3))
            p = p[:i] + p[i : i + 2] + p[i:]
        lines.append(p)
        if rng.random() < 0.1:
            lines.append("")
    return "\n".join(lines) + "\n"


def result_of(res) -> dict:
    data = res.to_dict()
    data.pop("path")
    for out, f in zip(data["findings"], res.findings, strict=True):
        out.update(start=f.start, end=f.end, fixable=f.fixable)
    return data


def first_difference(old, new, where="") -> str:
    if isinstance(old, dict) and isinstance(new, dict):
        for k in sorted(set(old) | set(new), key=str):
            if old.get(k, "<absent>") != new.get(k, "<absent>"):
                return first_difference(old.get(k, "<absent>"), new.get(k, "<absent>"), f"{where}.{k}")
    if isinstance(old, list) and isinstance(new, list):
        for i, (a, b) in enumerate(zip(old, new, strict=False)):
            if a != b:
                return first_difference(a, b, f"{where}[{i}]")
        if len(old) != len(new):
            return f"{where}: {len(old)} entries before, {len(new)} now"
    return f"{where}: before {json.dumps(old, ensure_ascii=False)[:300]}, now {json.dumps(new, ensure_ascii=False)[:300]}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rev", default=BEFORE_SPEED_WORK, help=f"git revision to compare with (default {BEFORE_SPEED_WORK})")
    ap.add_argument("--docs", type=int, default=300, help="random drafts (default 300)")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix="djcheck-diff-"))
    os.environ["DJCHECK_CACHE_DIR"] = str(work / "cache")
    reference_package(args.rev, work / "ref")
    ref_runner = importlib.import_module("djcheck_ref.runner")
    sys.path.insert(0, str(ROOT / "src"))
    from djcheck import runner, segment

    profiles = runner.bundled_order()
    rng = random.Random(args.seed)
    paras = corpus_paragraphs()
    sessions = [(None, runner.Session(), ref_runner.Session())] + [
        (p, runner.Session(profile=p), ref_runner.Session(profile=p)) for p in profiles
    ]
    differences = 0
    for n in range(args.docs):
        path = work / f"draft-{n:05d}.{'md' if rng.random() < 0.15 else 'txt'}"
        path.write_text(random_draft(rng, paras), encoding="utf-8")
        for profile, new, old in sessions:
            a, b = result_of(old.check(str(path))), result_of(new.check(str(path)))
            if a != b:
                differences += 1
                if differences <= 10:
                    print(f"{path.name} ({profile or 'detected'}): {first_difference(a, b)}")
    runs = args.docs * len(sessions)
    print(f"{runs} checks of {args.docs} random drafts against {args.rev} (segmenter now: {segment.backend()}): "
          f"{differences} differences")
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main())

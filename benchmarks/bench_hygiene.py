"""How long the hygiene pack (rules/common.yaml) takes on a 1 MB draft, and how much text jieba sees.

Builds a text of at least 1 MB (UTF-8) by repeating the seed reports
(../shared/seeds, or $DJCHECK_SEEDS) and the bundled samples, then checks it
with the ``common`` pack. Prints the time per rule, the total, and the number
of characters handed to the segmenter compared with the size of the text:
segmentation must be applied to candidate neighbourhoods only, never to the
whole text.

Run:  python benchmarks/bench_hygiene.py [--mb 1]
Skips (exit 0, with a message) when neither seeds nor samples are present.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def sources() -> list[Path]:
    seeds = Path(os.environ.get("DJCHECK_SEEDS", ROOT.parent / "shared" / "seeds"))
    found = sorted(seeds.glob("*.txt")) if seeds.is_dir() else []
    found += sorted((ROOT / "samples").rglob("*.txt"))
    return found


def build_text(paths: list[Path], megabytes: float) -> str:
    parts = [p.read_text(encoding="utf-8").strip("\n") for p in paths]
    target = int(megabytes * 1024 * 1024)
    chunks, size, i = [], 0, 0
    while size < target:
        chunk = parts[i % len(parts)]
        chunks.append(chunk)
        size += len(chunk.encode("utf-8")) + 1
        i += 1
    return "\n".join(chunks)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=1.0, help="size of the text in megabytes (default 1)")
    args = parser.parse_args()
    paths = sources()
    if not paths:
        print("跳过：没有找到种子报告（../shared/seeds）或 samples/ 下的样稿。")
        return 0
    sys.path.insert(0, str(ROOT / "src"))
    from djcheck import Document, load_pack, segment
    from djcheck.checks import KINDS, doubled_word
    from djcheck.context import Context
    from djcheck.year import resolve

    text = build_text(paths, args.mb)
    t0 = time.perf_counter()
    segment.tokenizer()  # load jieba and the domain dictionary once, measured separately
    t_jieba = time.perf_counter() - t0

    seen = {"calls": 0, "chars": 0}
    real_cut = segment.cut

    def counting_cut(s: str) -> list[str]:
        seen["calls"] += 1
        seen["chars"] += len(s)
        return real_cut(s)

    segment.cut = counting_cut

    pack = load_pack("common")
    t0 = time.perf_counter()
    doc = Document.from_text(text, path="<bench>")
    t_doc = time.perf_counter() - t0
    t0 = time.perf_counter()
    period = resolve(doc, None)
    t_year = time.perf_counter() - t0
    ctx = Context(doc, pack, period.year if period else None, period.reason if period else None)
    ctx.cache["report_period"] = period
    timings = []
    total_findings = 0
    for rule in pack.active_rules:
        t0 = time.perf_counter()
        outcome = KINDS[rule.kind].run(rule, ctx)
        timings.append((rule.id, time.perf_counter() - t0, len(outcome.findings)))
        total_findings += len(outcome.findings)
    candidates = sum(1 for _ in pack.rule("doubled-word").compiled.candidates.finditer(text, overlapped=True))

    size = len(text.encode("utf-8"))
    print(f"文本：{size / 1024 / 1024:.2f} MB（UTF-8），{len(text):,} 个字符，{len(doc.paragraphs):,} 段，来自 {len(paths)} 个文件")
    print(f"加载 jieba 和领域词典：{t_jieba:.2f} s（每次运行只加载一次，不计入下面的合计）")
    print(f"建立文档模型：{t_doc:.2f} s；推定报告年份：{t_year:.2f} s（{period.year if period else '未知'}）")
    for rule_id, seconds, n in timings:
        print(f"  {rule_id:<22} {seconds:6.2f} s  {n:>6} 处")
    hygiene = sum(s for _, s, _ in timings)
    print(f"通用文字规范规则包合计：{hygiene:.2f} s，共 {total_findings:,} 处")
    share = seen["chars"] / len(text) * 100
    print(
        f"分词：{candidates:,} 个重复候选，jieba 调用 {seen['calls']:,} 次，共 {seen['chars']:,} 个字符"
        f"（全文的 {share:.2f}%；允许的叠词等候选不分词）"
    )
    segmented = seen["chars"]
    per_candidate = []
    for m in pack.rule("doubled-word").compiled.candidates.finditer(text, overlapped=True):
        lo, hi = doubled_word._neighbourhood(text, m.start(), m.end(), pack.rule("doubled-word").compiled.window)
        per_candidate.append(hi - lo)
    longest = max(per_candidate, default=0)
    bound = sum(per_candidate)
    print(
        f"每个候选的分词范围最多 {longest} 个字符（分句内、前后各不超过 window 个字）；"
        f"所有候选的分词范围合计 {bound:,} 个字符（全文的 {bound / len(text) * 100:.1f}%）"
    )
    if segmented > len(text) * 0.5:
        print("错误：分词用到了大部分文本。")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

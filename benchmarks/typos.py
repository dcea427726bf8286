"""Precision and recall of the 疑似错别字 check (kind ``typo-guess``), and its findings on real texts.

Usage::

    python benchmarks/typos.py                       # the bundled rule's options
    python benchmarks/typos.py --set min_ratio=50    # try another threshold (repeatable)
    python benchmarks/typos.py --time                # also the cost per report

What it prints:

1. on the project's own sentences (``tests/fixtures/typos/``): for each class
   (同音 sound, 形近 shape, 固定提法 fixed, 的地得 grammar) the typos found with the
   intended word (recall), then precision over every finding on the typo sentences
   and the correct sentences together (a finding counts as right when it covers the
   wrong stretch and suggests the intended text; a finding on a correct sentence is a
   false alarm); the misses and the false alarms are listed;
2. the number of findings on the real texts — the seeds (``../shared/seeds``), the
   samples (``samples/``) and the real excerpts (``../shared/corpus/excerpts``), each
   skipped with a reason when absent — and each finding with its context, so a
   reader can judge whether it is a real typo (the target is zero apart from real
   typos). Third-party text is only read, never copied into the project.

The rule is the one of the bundled pack ``common`` (its options, allow-lists and
data files), so the figures are those a user gets. Nothing touches the network.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import yaml  # noqa: E402

from djcheck.checks import typo_guess  # noqa: E402
from djcheck.engine import load_pack  # noqa: E402

SHARED = ROOT.parent / "shared"
if not SHARED.is_dir():  # a worktree under /work/wt/<name>: shared/ sits beside it at /work/shared
    SHARED = ROOT.parents[1] / "shared"
FIXTURES = ROOT / "tests" / "fixtures" / "typos"


def compiled_rule(overrides: dict):
    """The bundled ``typo-guess`` rule compiled with ``overrides`` applied to its options."""
    import dataclasses

    rule = load_pack("common").rule("typo-guess")
    if overrides:
        rule = dataclasses.replace(rule, options={**rule.options, **overrides})
        rule.compiled = typo_guess.prepare(rule)
    return rule.compiled


def _value(text: str):
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError:
        return text


def real_texts() -> tuple[list[tuple[str, Path]], list[str]]:
    """``(label, path)`` of the real texts present, and a reason line for each set that is absent."""
    sets = [
        ("seeds", SHARED / "seeds", "*.txt"),
        ("samples", ROOT / "samples", "**/*.txt"),
        ("corpus", SHARED / "corpus" / "excerpts", "*.txt"),
    ]
    found, skipped = [], []
    for label, folder, pattern in sets:
        files = sorted(folder.glob(pattern)) if folder.is_dir() else []
        if not files:
            skipped.append(f"{label}: 跳过（{folder} 不存在或没有文本）")
        found.extend((f"{label}/{p.relative_to(folder).as_posix()}", p) for p in files)
    return found, skipped


NAMES = {"sound": "同音字", "shape": "形近字", "fixed": "成语和固定提法", "grammar": "的地得、数字+各"}


def report_sentences(c, title: str, typos: list[dict], correct: list[str]) -> None:
    """Print recall per class and precision of ``c`` on ``typos`` (each ``{class, text, wrong,
    right}``) and ``correct`` sentences, with the misses and false alarms."""
    per_class: dict[str, list[int]] = {}
    right = wrong = 0
    misses, alarms = [], []
    for item in typos:
        text = item["text"]
        start = text.index(item["wrong"])
        end = start + len(item["wrong"])
        hit = False
        for g in typo_guess.guesses(c, text):
            fixed = text[: g.start] + g.suggestion + text[g.end :]
            if g.start < end and start < g.end and fixed == text[:start] + item["right"] + text[end:]:
                hit = True
                right += 1
            else:
                wrong += 1
                alarms.append(f"  {text}  →  {text[g.start : g.end]}→{g.suggestion}（{g.reason}）")
        stats = per_class.setdefault(item["class"], [0, 0])
        stats[0] += hit
        stats[1] += 1
        if not hit:
            misses.append(f"  [{item['class']}] {text}  （{item['wrong']}→{item['right']}）")
    for text in correct:
        for g in typo_guess.guesses(c, text):
            wrong += 1
            alarms.append(f"  {text}  →  {text[g.start : g.end]}→{g.suggestion}（{g.reason}）")
    print(f"{title}：{len(typos)} 句含错别字，{len(correct)} 句正确")
    found_all = sum(st[0] for st in per_class.values())
    for cls, (hit, total) in per_class.items():
        print(f"  召回 {NAMES.get(cls, cls)}：{hit}/{total} = {hit / total:.0%}")
    print(f"  召回 合计：{found_all}/{len(typos)} = {found_all / len(typos):.0%}")
    total_findings = right + wrong
    precision = right / total_findings if total_findings else 1.0
    print(f"  准确率：{right}/{total_findings} = {precision:.0%}（误报 {wrong} 处）")
    if misses:
        print("  漏报：")
        print("\n".join("  " + m for m in misses))
    if alarms:
        print("  误报：")
        print("\n".join("  " + a for a in alarms))
    print()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", help="override an option")
    ap.add_argument("--time", action="store_true", help="also time the check per real text")
    args = ap.parse_args(argv)
    overrides = {}
    for item in args.set:
        key, _, value = item.partition("=")
        overrides[key] = _value(value)
    c = compiled_rule(overrides)

    main_set = (
        yaml.safe_load((FIXTURES / "typos.yaml").read_text(encoding="utf-8"))["typos"],
        yaml.safe_load((FIXTURES / "correct.yaml").read_text(encoding="utf-8"))["correct"],
    )
    holdout = yaml.safe_load((FIXTURES / "holdout.yaml").read_text(encoding="utf-8"))
    report_sentences(c, "自拟句子（调参用）", *main_set)
    report_sentences(c, "留出句子（阈值定下后才写，未调参）", holdout["typos"], holdout["correct"])

    texts, skipped = real_texts()
    print(f"\n真实文本：{len(texts)} 篇")
    for line in skipped:
        print("  " + line)
    by_set: dict[str, int] = {}
    elapsed = 0.0
    chars = 0
    lines = []
    for label, path in texts:
        text = path.read_text(encoding="utf-8", errors="replace")
        chars += len(text)
        t0 = time.perf_counter()
        found = typo_guess.guesses(c, text)
        elapsed += time.perf_counter() - t0
        by_set[label.split("/")[0]] = by_set.get(label.split("/")[0], 0) + len(found)
        for g in found:
            lo, hi = max(0, g.start - 8), min(len(text), g.end + 8)
            ctx = (text[lo : g.start] + "【" + text[g.start : g.end] + "】" + text[g.end : hi]).replace(
                "\n", " "
            )
            lines.append(f"  {label}: {ctx}  →  {g.suggestion}（{g.reason}）")
    for label, count in by_set.items():
        print(f"  {label}：{count} 处")
    print("\n".join(lines) if lines else "  （没有发现）")
    if args.time and texts:
        print(
            f"\n耗时：{elapsed:.2f} s / {len(texts)} 篇（{chars} 字），平均每篇 {elapsed / len(texts) * 1000:.0f} ms（含首次加载）"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())

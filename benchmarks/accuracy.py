"""Accuracy of djcheck on labelled drafts: genre, parts, placeholders, report year, per-rule precision / recall.

Run:  .venv/bin/python benchmarks/accuracy.py [--verbose]

Sources (each skipped with a reason when absent):

- the five seed reports, ``../shared/seeds`` (labels transcribed from EXPECTED.md into :data:`SEEDS` below);
- ``samples/`` (labels from samples/README.md, in :data:`SAMPLES`);
- ``../shared/corpus`` (28 real excerpts; ``labels.yaml``). Third-party text: read here, never copied;
- ``tests/fixtures/variants`` (drafts written for this project, one per variant class of issue 14; ``labels.yaml``).

What is measured:

- genre: a text labelled with a genre is recognised as that genre (``any`` = some report genre),
  one labelled ``null`` is not recognised;
- parts: with the labelled genre's pack forced (the 主体责任 pack for ``any`` / ``null``), whether the
  problems and next-steps parts are found (recall over texts that have them; false finds over texts
  labelled without them);
- placeholders: labelled placeholder occurrences covered by a ``placeholder`` finding (recall, split by
  recognised / unrecognised text) and findings that cover no labelled occurrence (precision);
- report year: the year djcheck uses against the labelled year;
- per rule: precision and recall over the texts whose labels judge that rule (``judge:`` in the variants;
  seeds and samples as below; on the corpus ``placeholder`` from its labels and ``doubled-word`` against
  the labelled typos — a proxy, the corpus labels list what a reviewer noticed, not every defect);
- four forms: texts labelled as mentioning the 四种形态 get a ``four-forms`` item that is not ``missing``;
- checklist items: labelled statuses (``items:``);
- ``--fix`` safety: the text djcheck would write for every text; a change inside a ``no_fix`` string
  (variants) counts as a broken fix, and so does a re-check with a finding that was not there before.

Numbers only: nothing here is asserted (tests do that); figures go in docs/accuracy.md.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path
from re import sub as regex_sub

import yaml

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent.parent / "shared"
for candidate in (Path("/work/shared"), ROOT.parent / "shared", SHARED):
    if candidate.is_dir():
        SHARED = candidate
        break
#: DJCHECK_SRC: measure another checkout's code (e.g. an older commit unpacked with git archive) with these labels.
sys.path.insert(0, os.environ.get("DJCHECK_SRC") or str(ROOT / "src"))

import djcheck  # noqa: E402
from djcheck.parts import find_parts  # noqa: E402
from djcheck.runner import Session  # noqa: E402

#: Seed labels, from ../shared/seeds/EXPECTED.md (file prefix → label).
SEEDS = {
    "000": dict(genre="zhuti-zeren", parts=dict(problems=True, next_steps=True), year=2022, four_forms=True,
                star_placeholders=True, expect={"doubled-word": [], "author-name": []},
                judge=["placeholder", "doubled-word"]),
    "001": dict(genre="zhengzhi-shengtai", parts=dict(problems=True, next_steps=True), year=2023,
                four_forms=True, star_placeholders=True, judge=["placeholder", "doubled-word"]),
    "002": dict(genre="zhuti-zeren", parts=dict(problems=False, next_steps=False), year=2022, four_forms=True,
                star_placeholders=True, expect={"doubled-word": ["主义主义"]}, judge=["placeholder", "doubled-word"]),
    "003": dict(genre="zhuti-zeren", parts=dict(problems=True, next_steps=True), year=2023,
                star_placeholders=True, expect={"doubled-word": ["建建", "做到做到"]},
                judge=["placeholder", "doubled-word"], items={"author-name": "weak"}),
    "004": dict(genre="jiandu-zeren", parts=dict(problems=False, next_steps=False), year=2022, four_forms=False,
                star_placeholders=True, expect={"author-name": []},
                judge=["placeholder", "doubled-word", "author-name"]),
}

#: Sample labels, from samples/README.md (path below samples/ → label).
SAMPLES = {
    "good-report.txt": dict(genre="zhuti-zeren", parts=dict(problems=True, next_steps=True), year=2026,
                            four_forms=True, judge=["placeholder", "doubled-word", "term-standard",
                                                    "typo-words", "outdated-term", "punctuation"]),
    "missing-problems-and-next-steps.txt": dict(genre="zhuti-zeren", parts=dict(problems=False, next_steps=False),
                                                year=2025, judge=["placeholder", "doubled-word"]),
    "token-problems.txt": dict(genre="zhuti-zeren", parts=dict(problems=True, next_steps=True), year=2026,
                               four_forms=True, judge=["placeholder", "doubled-word"]),
    "template-leftovers.txt": dict(
        genre="zhuti-zeren", parts=dict(problems=True, next_steps=True), year=2026,
        expect={"placeholder": ["**", "**", "X次", "××", "___", "*人", "202_", "（待补充）", "【具体举措】"],
                "doubled-word": ["建建", "落实落实"]},
        judge=["placeholder", "doubled-word"]),
    "genres/jiandu-zeren.txt": dict(genre="jiandu-zeren", judge=["placeholder", "doubled-word"]),
    "genres/zhengzhi-shengtai.txt": dict(genre="zhengzhi-shengtai", four_forms=True,
                                         judge=["placeholder", "doubled-word"]),
    "genres/duizhao-jiancha-personal.txt": dict(genre="duizhao-jiancha", judge=["placeholder", "doubled-word"]),
    "genres/shuze-shulian.txt": dict(genre="shuze-shulian", judge=["placeholder", "doubled-word"]),
    "genres/news-item.txt": dict(genre=None, judge=["placeholder", "doubled-word"]),
}

#: Corpus ids of a supported genre and the pack each belongs to; 'not_a_report' texts must not be
#: recognised; the rest are related genres (调研报告, 问题剖析, 巡察汇报 …) whose recognition is not judged.
CORPUS_GENRE = {
    "001": "zhuti-zeren", "002": "zhengzhi-shengtai", "003": "zhengzhi-shengtai", "004": "zhengzhi-shengtai",
    "005": "zhengzhi-shengtai", "006": "zhengzhi-shengtai", "007": "zhengzhi-shengtai",
    "008": "zhengzhi-shengtai", "009": "duizhao-jiancha", "010": "duizhao-jiancha", "011": "duizhao-jiancha",
    "012": "zhuti-zeren", "013": "zhuti-zeren", "014": "zhuti-zeren", "019": "jiandu-zeren",
}


class Text:
    """One labelled text."""

    def __init__(self, source: str, name: str, path: Path, label: dict):
        self.source, self.name, self.path, self.label = source, name, path, label
        self.content = path.read_text(encoding="utf-8")


def load_texts() -> tuple[list[Text], list[str]]:
    """All labelled texts and the reasons sources were skipped."""
    texts: list[Text] = []
    skipped: list[str] = []
    seeds = SHARED / "seeds"
    if seeds.is_dir():
        for f in sorted(seeds.glob("*.txt")):
            label = SEEDS.get(f.name[:3])
            if label:
                texts.append(Text("seeds", f.name[:3], f, dict(label)))
    else:
        skipped.append(f"seeds: {seeds} 不存在")
    for rel, label in SAMPLES.items():
        f = ROOT / "samples" / rel
        if f.is_file():
            texts.append(Text("samples", rel, f, dict(label)))
        else:
            skipped.append(f"samples: {f} 不存在")
    corpus = SHARED / "corpus"
    if (corpus / "labels.yaml").is_file():
        data = yaml.safe_load((corpus / "labels.yaml").read_text(encoding="utf-8"))
        for entry in data["texts"]:
            ident = str(entry["id"]).zfill(3)
            f = corpus / "excerpts" / f"{ident}.txt"
            if f.is_file():
                texts.append(Text("corpus", ident, f, corpus_label(entry, ident)))
    else:
        skipped.append(f"corpus: {corpus}/labels.yaml 不存在（语料只在开发机上提供），跳过")
    variants = ROOT / "tests" / "fixtures" / "variants"
    if (variants / "labels.yaml").is_file():
        labels = yaml.safe_load((variants / "labels.yaml").read_text(encoding="utf-8"))
        for name, label in labels.items():
            texts.append(Text("variants", name, variants / name, dict(label)))
    else:
        skipped.append(f"variants: {variants}/labels.yaml 不存在")
    return texts, skipped


def corpus_label(entry: dict, ident: str) -> dict:
    """A corpus entry of labels.yaml read into the label shape used here."""
    genre_text = str(entry.get("genre", ""))
    label: dict = {"judge": ["placeholder", "doubled-word"], "corpus": entry}
    if genre_text.startswith("not_a_report"):
        label["genre"] = None
    elif ident in CORPUS_GENRE:
        label["genre"] = CORPUS_GENRE[ident]
    else:
        label["genre"] = "skip"
    parts = {}
    for key, kind in (("has_problems_section", "problems"), ("has_next_steps", "next_steps")):
        value = entry.get(key)
        if value is True or (value is False and entry.get("complete")):
            parts[kind] = value
    label["parts"] = parts
    year = str(entry.get("year_if_stated") or "")
    if year[:4].isdigit() and "title only" not in year and "site title" not in year:
        label["year"] = int(year[:4])
    mentions = entry.get("mentions_sizhong_xingtai")
    if mentions is True:
        label["four_forms"] = True
    tokens: list[str] = []
    for raw in entry.get("placeholders") or []:
        raw = str(raw)
        if raw.startswith("addressee"):
            continue
        head = regex_sub(r"\s*[×x]\d+$", "", raw.split(" (")[0].split("(×")[0].strip())
        for piece in head.split(" / "):
            piece = piece.strip().strip("'")
            if piece:
                tokens.append(piece)
    label["placeholder_tokens"] = tokens
    label["typos"] = " ".join(str(t) for t in entry.get("notable_typos") or [])
    return label


def labelled_placeholders(text: Text) -> list[tuple[int, int]]:
    """Character spans of the labelled placeholder occurrences in ``text``."""
    content = text.content
    spans: list[tuple[int, int]] = []
    if text.label.get("star_placeholders"):
        import re

        spans += [m.span() for m in re.finditer(r"[*＊]+", content)]
    wanted = list(text.label.get("placeholder_tokens") or []) + list((text.label.get("expect") or {}).get("placeholder") or [])
    seen: set[tuple[int, int]] = set(spans)
    for token in wanted:
        probe = token.split("…")[0].split(",如")[0] if token not in content else token
        if not probe:
            continue
        start = 0
        found = False
        while True:
            at = content.find(probe, start)
            if at < 0:
                break
            span = (at, at + len(probe))
            if span not in seen and not any(a <= at < b for a, b in seen):
                seen.add(span)
                spans.append(span)
                found = True
                if text.source == "variants" or text.source == "samples":
                    break  # the variants list every occurrence they mean
            start = at + len(probe)
        if not found and text.source != "corpus":
            spans.append((-1, -1))  # an expected placeholder that is not in the text: a labelling slip
    return spans


def overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def run(verbose: bool) -> dict:
    texts, skipped = load_texts()
    session = Session()
    packs: dict[str, object] = {}

    def pack(pid: str):
        if pid not in packs:
            packs[pid] = djcheck.load_pack(pid)
        return packs[pid]

    genre = defaultdict(lambda: [0, 0])
    genre_misses: list[str] = []
    part_hits = defaultdict(lambda: [0, 0])  # kind → [found, has]
    part_false = defaultdict(lambda: [0, 0])  # kind → [found, labelled absent]
    part_misses: list[str] = []
    ph = {"recognised": [0, 0], "unrecognised": [0, 0]}
    ph_fp = [0, 0]  # [findings covering no label, findings]
    years = [0, 0]
    year_misses: list[str] = []
    rules = defaultdict(lambda: [0, 0, 0])  # rule → [tp, fp, fn]
    rule_notes: list[str] = []
    ff = [0, 0]
    items = [0, 0]
    item_misses: list[str] = []
    fixes = [0, 0, 0]  # texts, broken (no_fix touched or new finding), applied replacements
    fix_notes: list[str] = []
    per_rule: dict[str, Counter] = defaultdict(Counter)  # source → rule → findings (unjudged ones included)

    for text in texts:
        label = text.label
        res = session.check(text.path)
        if res.error:
            print(f"  ! {text.source}/{text.name}: {res.error}")
            continue
        tag = f"{text.source}/{text.name}"
        per_rule[text.source].update(f.rule for f in res.findings)
        # genre
        want = label.get("genre", "skip")
        if want != "skip":
            got = res.profile if res.recognised else None
            ok = (got is None) if want is None else (got is not None if want == "any" else got == want)
            g = genre[text.source]
            g[0] += ok
            g[1] += 1
            if not ok:
                genre_misses.append(f"{tag}: 期望 {want}，得到 {got}（{res.profile_reason}）")
        # parts, with the labelled pack forced
        parts_label = label.get("parts") or {}
        if parts_label:
            pid = want if want not in (None, "any", "skip") else "zhuti-zeren"
            doc = djcheck.load_document(text.path)
            found = find_parts(doc, pack(pid).parts)
            for kind, has in parts_label.items():
                present = found.get(kind) is not None
                if has:
                    part_hits[kind][0] += present
                    part_hits[kind][1] += 1
                    if not present:
                        part_misses.append(f"{tag}: 没找到 {kind}")
                else:
                    part_false[kind][0] += present
                    part_false[kind][1] += 1
                    if present:
                        part_misses.append(f"{tag}: 误找到 {kind}（第{found.get(kind).line}行）")
        # placeholders
        spans = labelled_placeholders(text)
        found_ph = [(f.start, f.end) for f in res.findings if f.rule == "placeholder"]
        bucket = ph["recognised" if res.recognised else "unrecognised"]
        for span in spans:
            bucket[1] += 1
            bucket[0] += any(overlaps(span, s) for s in found_ph)
        if "placeholder" in (label.get("judge") or []):
            for s in found_ph:
                ph_fp[1] += 1
                if not any(overlaps(span, s) for span in spans):
                    ph_fp[0] += 1
                    rule_notes.append(f"{tag}: placeholder 误报 “{text.content[s[0]:s[1]]}”")
        # year
        if label.get("year"):
            years[1] += 1
            if res.year == label["year"]:
                years[0] += 1
            else:
                year_misses.append(f"{tag}: 期望 {label['year']}，得到 {res.year}（{res.year_reason}）")
        # per-rule precision / recall (placeholder counted above)
        expect = label.get("expect") or {}
        for rule in label.get("judge") or []:
            if rule == "placeholder":
                continue
            got_f = [f for f in res.findings if f.rule == rule]
            wanted = list(expect.get(rule) or [])
            if text.source == "corpus" and rule == "doubled-word":
                typos = label.get("typos", "")
                for f in got_f:
                    if f.match and f.match in typos:
                        rules[rule][0] += 1
                    else:
                        rules[rule][1] += 1
                        rule_notes.append(f"{tag}: {rule} 误报 “{f.match}”")
                continue
            used = set()
            for w in wanted:
                hit = next((i for i, f in enumerate(got_f) if i not in used and (w in f.match or f.match in w)), None)
                if hit is None:
                    rules[rule][2] += 1
                    rule_notes.append(f"{tag}: {rule} 漏报 “{w}”")
                else:
                    used.add(hit)
                    rules[rule][0] += 1
            for i, f in enumerate(got_f):
                if i not in used:
                    rules[rule][1] += 1
                    rule_notes.append(f"{tag}: {rule} 误报 “{f.match}”")
        # four forms
        if label.get("four_forms") is not None and res.recognised:
            item = next((i for i in res.checklist if i.id == "four-forms"), None)
            if item is not None:
                ff[1] += 1
                ok = (item.status != "missing") == bool(label["four_forms"])
                ff[0] += ok
                if not ok:
                    item_misses.append(f"{tag}: four-forms {item.status}")
        for rid, status in (label.get("items") or {}).items():
            item = next((i for i in res.checklist if i.id == rid), None)
            items[1] += 1
            if item is not None and item.status == status:
                items[0] += 1
            else:
                item_misses.append(f"{tag}: {rid} 期望 {status}，得到 {item.status if item else '无此项'}")
        # --fix safety: apply to a copy, compare
        fixes[0] += 1
        broken = fix_check(text, res, session)
        fixes[2] += broken[1]
        if broken[0]:
            fixes[1] += 1
            fix_notes.extend(f"{tag}: {n}" for n in broken[0])

    def pct(a, b):
        return f"{a}/{b} ({100 * a / b:.0f}%)" if b else "–"

    print("== 跳过的来源 ==" if skipped else "== 全部来源可用 ==")
    for s in skipped:
        print("  " + s)
    counts = Counter(t.source for t in texts)
    print("文本数：" + "，".join(f"{k} {v}" for k, v in counts.items()))
    print("\n== 体裁识别 ==")
    total = [sum(g[0] for g in genre.values()), sum(g[1] for g in genre.values())]
    for src, g in genre.items():
        print(f"  {src:9} {pct(*g)}")
    print(f"  合计      {pct(*total)}")
    print("\n== 部分识别（按标注体裁强制规则包） ==")
    for kind in ("problems", "next_steps"):
        print(f"  {kind:10} 找到 {pct(*part_hits[kind])}；误找到 {pct(*part_false[kind])}")
    print("\n== 占位符 ==")
    for k, v in ph.items():
        print(f"  召回率（{k}） {pct(*v)}")
    allv = [ph['recognised'][0] + ph['unrecognised'][0], ph['recognised'][1] + ph['unrecognised'][1]]
    print(f"  召回率（全部） {pct(*allv)}")
    print(f"  精确率 {pct(ph_fp[1] - ph_fp[0], ph_fp[1])}")
    print("\n== 报告年份 ==")
    print(f"  正确 {pct(*years)}")
    print("\n== 各规则精确率 / 召回率（有标注的文本） ==")
    judged = sorted({r for t in texts for r in t.label.get("judge") or []} - {"placeholder"})
    for rule in judged:
        tp, fp, fn = rules[rule]
        if tp + fp + fn == 0:
            print(f"  {rule:22} 无误报、无漏报（标注文本上应当没有发现，也确实没有）")
        else:
            print(f"  {rule:22} 精确率 {pct(tp, tp + fp)}  召回率 {pct(tp, tp + fn)}")
    print(f"\n== 四种形态 ==  {pct(*ff)}")
    print(f"== 清单项（标注的状态） ==  {pct(*items)}")
    print(f"== --fix 安全 ==  文本 {fixes[0]}，改坏的文本 {fixes[1]}，应用的替换 {fixes[2]}")
    print("\n== 各规则的发现数（含未标注的规则，供人工复核） ==")
    for src, counts in per_rule.items():
        print(f"  {src:9} " + "，".join(f"{r} {n}" for r, n in counts.most_common()))
    if verbose:
        for title, notes in (("体裁", genre_misses), ("部分", part_misses), ("年份", year_misses),
                             ("规则", rule_notes), ("清单项", item_misses), ("--fix", fix_notes)):
            if notes:
                print(f"\n-- {title} --")
                for n in notes:
                    print("  " + n)
    return {"genre": total, "parts": dict(part_hits), "years": years}


def fix_check(text: Text, res, session) -> tuple[list[str], int]:
    """Run the fix on a copy of ``text``: (problems found, replacements applied)."""
    from djcheck.fix import fix_file

    notes: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / Path(text.path).name
        copy.write_text(text.content, encoding="utf-8")
        res = session.check(copy)
        if res.error:
            return [], 0
        try:
            done = fix_file(copy, res.findings, write=True, profile=res.profile if res.recognised else None)
        except TypeError:  # older code without the verifying fix
            done = fix_file(copy, res.findings, write=True)
        if getattr(done, "refused", None):
            notes.append("修改被拒绝：" + "；".join(done.refused))
        if not done.written:
            return [], 0
        fixed = copy.read_text(encoding="utf-8")
        for guard in text.label.get("no_fix") or []:
            if fixed.count(guard) > text.content.count(guard):
                notes.append(f"改出了“{guard}”")
        after = session.check(copy)
        before = Counter((f.rule, f.match) for f in res.findings)
        for f in after.findings:
            if before[(f.rule, f.match)] <= 0:
                notes.append(f"修改后新出现 {f.rule} “{f.match}”")
            else:
                before[(f.rule, f.match)] -= 1
        return notes, len(done.applied)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", "-v", action="store_true", help="list every miss")
    args = parser.parse_args()
    run(args.verbose)


if __name__ == "__main__":
    main()

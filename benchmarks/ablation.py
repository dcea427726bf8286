"""What each kept speed trick buys: instructions per report with the trick switched off, one at a time.

Usage::

    python benchmarks/ablation.py                    # every trick, 30 reports after 10 warm-up reports
    python benchmarks/ablation.py --only doubled-word genre-scan --reports 100 --warmup 30
    python benchmarks/ablation.py --list

Each trick is kept in one copy behind a named function, next to an oracle test that compares it with
plain code (the test named in ``--list``). Here the trick is replaced, in the worker process only, by
that plain code (a monkeypatch; nothing in ``src`` changes). The worker checks ``--warmup`` reports
with every trick on (packs loaded, dictionary read, caches warm), then switches the trick off and
checks ``--reports`` more; callgrind counts the whole process. The count of a run that stops after
the warm-up is subtracted, and the rest divided by ``--reports``: the steady per-report cost of a
batch worker without that trick (as ``benchmarks/icount.py`` counts it with every trick on). An
uncounted run fills the per-user cache first. Every variant must give the same results as the base:
the worker prints a digest of its JSON results and the script refuses a variant whose digest differs.

Needs valgrind; each variant is one counted run (a minute or more under load). Reads the corpus of
``bench.py`` (seeds when ``DJCHECK_SEEDS`` or ``../shared/seeds`` exists, samples, test drafts);
nothing touches the network.
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


# -- the plain code each trick stands for (its oracle) ------------------------------------------------
def _doubled_word_plain() -> None:
    """document.repeated_units (XOR scan) → the overlapped regex scan it replaced
    (oracle: tests/test_hygiene_shortcuts.py::test_prefilter_finds_every_candidate)."""
    from djcheck.checks import doubled_word

    doubled_word.candidates = lambda c, text: c.candidates.finditer(text, overlapped=True)


def _doubled_word_lookahead() -> None:
    """document.repeated_units → the stdlib ``re`` look-ahead it equals
    (oracle: tests/test_document.py::test_repeated_units_are_where_the_lookahead_matches)."""
    import functools
    import re as stdlib_re

    from djcheck.checks import doubled_word

    @functools.lru_cache(maxsize=8)
    def lookahead(unit: int):
        return stdlib_re.compile(f"(?=([\u2e80-\U0010ffff]{{1,{unit}}})\\1)")

    doubled_word.repeated_units = lambda text, unit: [m.start() for m in lookahead(unit).finditer(text)]


def _punctuation_skip() -> None:
    """punctuation._Skip runs only the skip branches whose text occurs → every branch
    (oracle: tests/test_hygiene_shortcuts.py::test_skipped_spans_are_those_of_the_whole_alternation)."""
    from djcheck.checks import punctuation

    punctuation._may_occur = lambda need, text: True


def _punctuation_offsets() -> None:
    """punctuation._offsets (str.find per mark) → a class pattern scanning every character
    (oracle: tests/test_hygiene_shortcuts.py::test_offsets_are_those_of_a_class_scan)."""
    import functools
    import re as stdlib_re

    from djcheck.checks import punctuation

    marks = functools.lru_cache(maxsize=8)(lambda chars: stdlib_re.compile(f"[{stdlib_re.escape(chars)}]"))
    punctuation._offsets = lambda text, chars: [m.start() for m in marks(chars).finditer(text)]


def _genre_scan() -> None:
    """LiteralScreen.matches_by_pattern (genre's single scan) → each word pattern run on its own, compiled once
    (oracle: tests/test_prefilter.py::test_literal_screen_finds_each_patterns_matches_as_finditer_does)."""
    import functools

    from djcheck.cache import compile_regex
    from djcheck.prefilter import LiteralScreen
    from djcheck.safe_regex import REGEX_FLAGS

    compiled = functools.lru_cache(maxsize=None)(lambda source: compile_regex(source, REGEX_FLAGS))

    def plain(self, text):
        matches = {}
        for source in self.plain:
            found = [m.group() for m in compiled(source).finditer(text)]
            if found:
                matches[source] = found
        return {t for t in self.literals if t in text}, matches

    LiteralScreen.matches_by_pattern = plain


def _item_plans() -> None:
    """itemtools._Plan.to_scan (scan plans) → every pattern of the list
    (oracle: tests/test_weak_internals.py)."""
    from djcheck.checks import itemtools

    itemtools._Plan.to_scan = lambda self, rule, text: [p for p, _ in self.entries]


def _may_contain() -> None:
    """prefilter.may_contain before a pattern rule's scan → every pattern runs
    (oracle: tests/test_prefilter.py::test_every_match_holds_its_requirements and the hypothesis property)."""
    from djcheck import prefilter

    prefilter.may_contain = lambda pattern, text: True


def _both_prefilters() -> None:
    """Both prefilters above off."""
    _item_plans()
    _may_contain()


def _timeout_policy() -> None:
    """safe_regex.needs_timeout (bundled patterns on short texts run without the timeout) → always the timeout
    (tests/test_prefilter.py::test_bundled_patterns_stay_fast_on_adversarial_text keeps this safe)."""
    from djcheck import safe_regex

    safe_regex.needs_timeout = lambda file, text: True


def _year_starts() -> None:
    """year._matches_from (meeting patterns tried at their possible starts) → finditer over the whole text
    (oracle: tests/test_hygiene_rules.py::test_meeting_patterns_found_from_their_possible_starts)."""
    from djcheck import year

    year._matches_from = lambda pattern, text, starts: list(pattern.finditer(text))


def _literal_screen() -> None:
    """LiteralScreen.present (one scan for the terms screen) → one ``in`` per literal
    (oracle: tests/test_prefilter.py::test_literal_screen_finds_what_in_finds)."""
    from djcheck.prefilter import LiteralScreen

    LiteralScreen.present = lambda self, text: {t for t in self.literals if t in text}


VARIANTS = {
    "base": lambda: None,
    "doubled-word": _doubled_word_plain,
    "punctuation-skip": _punctuation_skip,
    "genre-scan": _genre_scan,
    "both-prefilters": _both_prefilters,
    "item-plans": _item_plans,
    "may-contain": _may_contain,
    "year-starts": _year_starts,
    "literal-screen": _literal_screen,
    "punctuation-offsets": _punctuation_offsets,
    "timeout-policy": _timeout_policy,
    "doubled-word-lookahead": _doubled_word_lookahead,
}

_WORKER = """
import hashlib, json, sys
from pathlib import Path
sys.path.insert(0, sys.argv[5])
from ablation import VARIANTS
from djcheck import segment
from djcheck.runner import Session
files = sorted(str(p) for p in Path(sys.argv[1]).iterdir())
warmup, count = int(sys.argv[2]), int(sys.argv[3])
segment.expect_many_texts()  # as in a batch worker
session = Session()
for f in files[:warmup]:
    session.check(f)
if count:
    VARIANTS[sys.argv[4]]()
digest = hashlib.sha256()
for f in files[warmup : warmup + count]:
    result = session.check(f).to_dict()
    result.pop("path", None)
    digest.update(json.dumps(result, sort_keys=True, ensure_ascii=False).encode())
print("DIGEST", digest.hexdigest())
"""


def _run(corpus: Path, warmup: int, count: int, variant: str, env: dict, valgrind: bool) -> tuple[int | None, str]:
    command = [sys.executable, "-c", _WORKER, str(corpus), str(warmup), str(count), variant, str(HERE)]
    if valgrind:
        command = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *command]
    out = subprocess.run(command, env=env, capture_output=True, text=True)
    digest = re.search(r"DIGEST (\w+)", out.stdout)
    found = re.search(r"Collected\s*:\s*(\d+)", out.stderr)
    if out.returncode != 0 or not digest or (valgrind and not found):
        sys.exit(f"ablation: {variant} failed (exit {out.returncode}): {out.stderr[-600:]}")
    return (int(found.group(1)) if found else None), digest.group(1)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--reports", type=int, default=30, help="reports counted (default 30)")
    ap.add_argument("--warmup", type=int, default=10, help="reports checked before counting (default 10)")
    ap.add_argument("--only", nargs="*", help="variants to run (default all; base is always run)")
    ap.add_argument("--list", action="store_true", help="list the variants and what each switches off")
    args = ap.parse_args(argv)
    if args.list:
        for name, switch in VARIANTS.items():
            print(f"{name}: {' '.join((switch.__doc__ or 'all tricks on').split())}")
        return 0
    names = ["base", *[n for n in (args.only or VARIANTS) if n != "base"]]
    unknown = [n for n in names if n not in VARIANTS]
    if unknown:
        sys.exit(f"ablation: unknown variant(s) {unknown}; see --list")
    if shutil.which("valgrind") is None:
        sys.exit("ablation: valgrind not found (apt install valgrind)")
    sources = corpus_sources()
    if not sources:
        sys.exit("ablation: no seeds or samples to build the corpus from")
    work = Path(tempfile.mkdtemp(prefix="djcheck-ablation-"))
    try:
        corpus = work / "reports"
        corpus.mkdir()
        total = args.warmup + args.reports
        build_corpus(corpus, sources, total)
        env = {**os.environ, "DJCHECK_CACHE_DIR": str(work / "cache")}
        _run(corpus, total, 0, "base", env, valgrind=False)  # fill the per-user cache, uncounted
        warm, _ = _run(corpus, args.warmup, 0, "base", env, valgrind=True)
        per: dict[str, float] = {}
        base_digest = None
        for name in names:
            full, digest = _run(corpus, args.warmup, args.reports, name, env, valgrind=True)
            if name == "base":
                base_digest = digest
            elif digest != base_digest:
                sys.exit(f"ablation: {name} changed the results (digest {digest} ≠ {base_digest})")
            per[name] = (full - warm) / args.reports
            change = "" if name == "base" else f"  {100 * (per[name] / per['base'] - 1):+6.1f} %"
            print(f"{name:24s} {per[name] / 1e6:6.2f} M instructions per report{change}", flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

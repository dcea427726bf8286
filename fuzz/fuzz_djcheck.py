"""Coverage-guided fuzz target (atheris / libFuzzer) for djcheck's loaders, pack loader and engine.

Run for a bounded time (CI does this, see ``.ci/run``)::

    pip install atheris
    python fuzz/fuzz_djcheck.py -max_total_time=90

Each input is ``mode byte, pack byte, payload``:

* mode 0 — the payload is the bytes of a .txt draft: decode, check with a bundled pack;
* mode 1 — the payload is the bytes of a .docx file: read, check;
* mode 2 — the payload indexes a list of report fragments (one byte each), giving
  report-like text that reaches deep into the checks;
* mode 3 — the payload is a rule pack (YAML) extending a bundled pack: load it, and
  if it loads, check a sample draft with it; the payload is also read as a
  ``.djcheck.yaml`` configuration file (``ConfigError`` is its one-line error).

What counts as a crash: any exception other than djcheck's own one-line errors
(``InputError`` for a bad draft; also ``RuleError`` for a bad pack in mode 3), and
any finding or checklist line outside the text. A crashing input found by the fuzzer
is saved by libFuzzer (``crash-…``); copy it into ``fuzz/regressions/`` — every file
there is replayed by ``tests/test_fuzz.py`` without atheris.

The target decodes inputs in plain Python (no ``FuzzedDataProvider``), so a saved
input replays identically with or without atheris.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

FRAGMENTS = [
    "关于2024年落实全面从严治党主体责任情况的报告\n", "现将有关情况报告如下：\n", "一、工作开展情况\n",
    "二、存在的问题\n", "三、下一步工作打算\n", "四、原因分析\n", "（一）", "（二）", "1.", "一是", "二是",
    "局党组认真履行主体责任，", "召开党委会12次，", "运用监督执纪“四种形态”处理8人次，", "其中第一种形态7人次，",
    "第二种形态1人次。", "占87.5%。", "由机关党委牵头，9月底前完成。", "学习不够深入。", "本人", "我们",
    "**", "××同志", "___", "（待补充）", "【具体举措】", "新冠肺炎", "布署", "建建设", "做到做到", ",", "(", ")", '"',
    "...", "……", "。", "，", "\n", "\n\n", "《中国共产党纪律处分条例》", "2023年", "12月底前", "每季度",
    "【djcheck-disable placeholder：样稿】\n", "【djcheck-enable】\n", "<!-- djcheck-disable -->\n", "# 标题\n",
    "第一责任人", "一岗双责", "监督责任", "协助党组", "述责述廉", "对照检查", "政治生态", "纪检监察组",
    # invisible characters inside keywords (issue 16, item 17)
    "主体\u200b责任", "全面从严\u00ad治党", "\u2060", "\u202e", "\u202c", "\ufeff", "\u200d",
]

_state: dict = {}


def _find_package() -> None:
    """Use the installed djcheck, else the source tree next to this folder."""
    import importlib.util

    if importlib.util.find_spec("djcheck") is None:
        sys.path.insert(0, str(ROOT / "src"))


def _setup() -> None:
    """Import djcheck and load the bundled packs once (outside the measured inputs)."""
    if _state:
        return
    _find_package()
    from djcheck.engine import load_pack
    from djcheck.pack import bundled_packs

    _state["packs"] = [load_pack(p) for p in bundled_packs()]
    _state["dir"] = Path(tempfile.mkdtemp(prefix="djcheck-fuzz-"))
    _state["sample"] = (ROOT / "samples" / "good-report.txt").read_text(encoding="utf-8")


def _assert_inside(doc, res) -> None:
    text, n_lines = doc.text, len(doc.paragraphs)
    for f in res.findings:
        if not (0 <= f.start <= f.end <= len(text)) or f.match != text[f.start : f.end]:
            raise AssertionError(f"finding outside the text: {f}")
        if not (1 <= f.line <= f.end_line <= n_lines and f.col >= 1):
            raise AssertionError(f"finding position out of range: {f}")
    for item in res.checklist:
        if item.line is not None and not 1 <= item.line <= n_lines:
            raise AssertionError(f"checklist line out of range: {item}")
    if res.score is not None and not 0 <= res.score <= 100:
        raise AssertionError(f"score out of range: {res.score}")


def _check(doc, pack) -> None:
    from djcheck.engine import check_document
    from djcheck.genre import detect_genre
    from djcheck.suppress import scan

    clean, sup = scan(doc)
    detect_genre(clean, _state["packs"])
    _assert_inside(clean, check_document(clean, pack, suppressions=sup))


def check_input(data: bytes) -> None:
    """Run one fuzz input; raises on a crash (see the module docstring)."""
    _setup()
    from djcheck.document import Document
    from djcheck.errors import InputError, RuleError

    if len(data) < 2:
        return
    mode, pack = data[0] % 4, _state["packs"][data[1] % len(_state["packs"])]
    payload = data[2:]
    try:
        if mode == 0:
            from djcheck.loaders.text import decode_bytes

            src = decode_bytes(payload, "fuzz.txt")
            _check(Document.from_text(src.text, path="fuzz.txt"), pack)
        elif mode == 1:
            from djcheck.loaders.docx import read_docx

            path = _state["dir"] / "fuzz.docx"
            path.write_bytes(payload)
            _check(read_docx(path), pack)
        elif mode == 2:
            text = "".join(FRAGMENTS[b % len(FRAGMENTS)] for b in payload)
            if text.strip():
                _check(Document.from_text(text, path="fuzz.txt"), pack)
        else:
            from djcheck.config import load_config
            from djcheck.engine import load_pack
            from djcheck.errors import ConfigError

            config = _state["dir"] / ".djcheck.yaml"
            config.write_bytes(payload)
            try:
                load_config(config)
            except ConfigError:
                pass
            path = _state["dir"] / "fuzz-pack.yaml"
            path.write_bytes(b"id: fuzz\ntitle: fuzz\nextends: " + pack.id.encode() + b"\n" + payload)
            try:
                custom = load_pack(path)
            except RuleError:
                return
            try:
                _check(Document.from_text(_state["sample"], path="good.txt"), custom)
            except RuleError:  # a pack's own pattern may run out of time: reported, not a crash
                return
    except InputError:
        return


def seed_corpus(folder: Path) -> Path:
    """Write a small starting corpus (samples as text, one .docx, fragments, a pack) into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    for i, f in enumerate(sorted((ROOT / "samples").rglob("*.txt"))):
        (folder / f"text-{i}").write_bytes(bytes([0, i]) + f.read_bytes())
    sys.path.insert(0, str(ROOT / "tests"))
    from docxutil import text_to_docx

    docx = text_to_docx((ROOT / "samples" / "good-report.txt").read_text(encoding="utf-8")[:800], folder / "tmp.docx")
    (folder / "docx-0").write_bytes(bytes([1, 0]) + docx.read_bytes())
    docx.unlink()
    (folder / "fragments-0").write_bytes(bytes([2, 0]) + bytes(range(len(FRAGMENTS))))
    pack = "rules:\n  - id: mine\n    kind: pattern\n    title: t\n    level: warning\n    options:\n      patterns:\n        - pattern: '落实'\n"
    (folder / "pack-0").write_bytes(bytes([3, 0]) + pack.encode())
    return folder


def main() -> None:
    import atheris

    _find_package()
    with atheris.instrument_imports(include=["djcheck"]):  # every djcheck module, before any is imported
        import djcheck.checks  # noqa: F401
        import djcheck.engine  # noqa: F401
        import djcheck.genre  # noqa: F401
        import djcheck.loaders.docx  # noqa: F401
        import djcheck.loaders.text  # noqa: F401
        import djcheck.suppress  # noqa: F401
        import djcheck.year  # noqa: F401
        _setup()
    # The samples always seed the run; libFuzzer writes new inputs to the first corpus folder given.
    args = list(sys.argv) + [str(seed_corpus(Path(tempfile.mkdtemp(prefix="djcheck-corpus-"))))]
    atheris.Setup(args, check_input)
    atheris.Fuzz()


if __name__ == "__main__":
    os.environ.setdefault("DJCHECK_CACHE_DIR", tempfile.mkdtemp(prefix="djcheck-fuzz-cache-"))
    main()

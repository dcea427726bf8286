"""djcheck — 党建报告合规检查 (offline, rule-driven checker for Party-discipline work reports).

Library API (the CLI is a thin layer over it)::

    import djcheck
    result = djcheck.check_file("report.txt")          # FileResult
    result.score, result.passed, result.checklist, result.findings
    results = djcheck.check_paths(["报告/"])            # folders walked, all cores

    pack = djcheck.load_pack("zhuti-zeren")
    doc = djcheck.Document.from_text(text)
    djcheck.check_document(doc, pack)
"""

from __future__ import annotations

__version__ = "0.1.0"

# Public names are imported on first use (PEP 562), so ``import djcheck`` and
# the CLI's ``--version`` stay cheap: name → submodule that defines it.
_LAZY = {
    "Document": "document",
    "check_document": "engine",
    "check_file": "runner",
    "check_paths": "runner",
    "collect_files": "loaders",
    "load_document": "loaders",
    "ConfigError": "errors",
    "DjcheckError": "errors",
    "InputError": "errors",
    "RuleError": "errors",
    "ChecklistItem": "model",
    "FileResult": "model",
    "Finding": "model",
    "Pack": "pack",
    "Rule": "pack",
    "load_pack": "engine",
}


def __getattr__(name: str):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'djcheck' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


__all__ = [
    "__version__",
    "ChecklistItem",
    "ConfigError",
    "DjcheckError",
    "Document",
    "FileResult",
    "Finding",
    "InputError",
    "Pack",
    "Rule",
    "RuleError",
    "check_document",
    "check_file",
    "check_paths",
    "collect_files",
    "load_document",
    "load_pack",
]

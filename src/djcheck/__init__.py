"""djcheck — 党建报告合规检查 (offline, rule-driven checker for Party-discipline work reports).

Library API (the CLI is a thin layer over it)::

    import djcheck
    result = djcheck.check_file("report.txt")          # FileResult
    result.score, result.passed, result.checklist, result.findings

    pack = djcheck.load_pack("zhuti-zeren")
    doc = djcheck.Document.from_text(text)
    djcheck.check_document(doc, pack)
"""

from __future__ import annotations

__version__ = "0.1.0"

from .document import Document
from .engine import check_document, check_file, collect_files, load_document
from .errors import ConfigError, DjcheckError, InputError, RuleError
from .model import ChecklistItem, FileResult, Finding
from .pack import Pack, Rule, load_pack

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
    "collect_files",
    "load_document",
    "load_pack",
]

"""Shared by the long-text tests: a digest of the whole result of checking a text."""

from __future__ import annotations

import hashlib
import json

from djcheck.runner import Session


def result_digest(text: str, tmp_path) -> str:
    """SHA-256 (16 hex digits) of the whole result of checking ``text`` as ``djcheck check`` does:
    checklist, messages, evidence, findings with their offsets."""
    path = tmp_path / "long.txt"
    path.write_text(text, encoding="utf-8")
    res = Session().check(str(path))
    data = res.to_dict()
    data.pop("path")
    for out, f in zip(data["findings"], res.findings, strict=True):
        out.update(start=f.start, end=f.end, fixable=f.fixable)
    return hashlib.sha256(json.dumps(data, ensure_ascii=False, sort_keys=True).encode("utf-8")).hexdigest()[:16]


"""Apply the safe replacements of a check to a .txt / .md draft (``djcheck check --fix`` / ``--diff``).

Only findings marked ``fixable`` are applied: doubled words (建建设 → 建设),
half-width punctuation in Chinese text, paired straight quotes, ellipses, and
wrong → right pairs that do not depend on context (布署 → 部署). Context
suggestions (截止/截至 …), outdated formulations and placeholders are never
changed.

Safety:

- a finding is applied only if the file still holds its matched text at its
  line and column (the file may have changed since it was checked);
- overlapping findings: the first by position wins;
- the file keeps its encoding (UTF-8 with or without BOM, UTF-16 with its byte
  order, GB18030) and every line keeps its own line ending;
- writing is atomic (:mod:`djcheck.atomic`): a temporary file in the same folder,
  then ``os.replace``; the file's permission bits are kept, and an interruption
  leaves the original untouched and no temporary file behind;
- a file without anything to fix is not touched (not even rewritten).
"""

from __future__ import annotations

import difflib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from .atomic import write_bytes
from .errors import InputError
from .model import Finding

#: Suffixes ``--fix`` may rewrite.
FIXABLE_SUFFIXES = (".txt", ".md", ".markdown")

_LINE_END = re.compile(r"\r\n|\r|\n")


@dataclass
class FixResult:
    """What ``fix_file`` did.

    Attributes:
        path: the file.
        applied: the findings whose replacement was applied (or would be, for a diff).
        skipped: fixable findings left out (overlap, or the text no longer matches).
        diff: unified diff of the change ("" when nothing changes).
        written: the file was rewritten.
    """

    path: str
    applied: list[Finding] = field(default_factory=list)
    skipped: list[Finding] = field(default_factory=list)
    diff: str = ""
    written: bool = False


def fixable(findings: list[Finding]) -> list[Finding]:
    """The findings with a safe replacement, on one line each, without overlaps (first wins)."""
    chosen: list[Finding] = []
    for f in sorted(findings, key=lambda f: (f.line, f.col, -(f.end_col - f.col))):
        if not f.fixable or f.suggestion is None or f.line != f.end_line:
            continue
        if chosen and chosen[-1].line == f.line and f.col < chosen[-1].end_col:
            continue
        chosen.append(f)
    return chosen


def apply_to_lines(lines: list[str], findings: list[Finding]) -> tuple[list[str], list[Finding], list[Finding]]:
    """Apply ``findings`` to ``lines`` (line texts without endings; 1-based line/col in findings).

    Returns:
        ``(new_lines, applied, skipped)``; a finding whose text no longer sits at
        its position is skipped.
    """
    out = list(lines)
    applied: list[Finding] = []
    skipped: list[Finding] = []
    by_line: dict[int, list[Finding]] = {}
    for f in fixable(findings):
        by_line.setdefault(f.line, []).append(f)
    for line_no, items in by_line.items():
        if not 1 <= line_no <= len(out):
            skipped.extend(items)
            continue
        text = out[line_no - 1]
        for f in sorted(items, key=lambda f: f.col, reverse=True):
            a, b = f.col - 1, f.end_col - 1
            if text[a:b] != f.match:
                skipped.append(f)
                continue
            text = text[:a] + (f.suggestion or "") + text[b:]
            applied.append(f)
        out[line_no - 1] = text
    applied.sort(key=lambda f: (f.line, f.col))
    return out, applied, skipped


def _decode(data: bytes, path: str) -> tuple[str, str, bytes]:
    """Text with its original line endings, the codec to write it back, and the BOM to prepend."""
    from .loaders.text import decode_bytes

    source = decode_bytes(data, path)  # validates and picks the encoding
    if source.encoding == "utf-8-sig":
        return data[3:].decode("utf-8"), "utf-8", b"\xef\xbb\xbf"
    if source.encoding == "utf-16":
        if data.startswith(b"\xff\xfe"):
            return data[2:].decode("utf-16-le"), "utf-16-le", b"\xff\xfe"
        return data[2:].decode("utf-16-be"), "utf-16-be", b"\xfe\xff"
    return data.decode(source.encoding), source.encoding, b""


def _split(raw: str) -> tuple[list[str], list[str]]:
    lines, ends, pos = [], [], 0
    for m in _LINE_END.finditer(raw):
        lines.append(raw[pos : m.start()])
        ends.append(m.group())
        pos = m.end()
    lines.append(raw[pos:])
    ends.append("")
    return lines, ends


def fix_file(path: str | os.PathLike, findings: list[Finding], *, write: bool = True) -> FixResult:
    """Apply the safe replacements among ``findings`` (from checking ``path``) to the file.

    Args:
        path: a .txt / .md draft.
        findings: the findings of :func:`djcheck.check_file` on that file.
        write: rewrite the file (atomically); ``False`` only computes the diff.

    Returns:
        A :class:`FixResult`; ``written`` is false when nothing changes or ``write`` is false.

    Raises:
        InputError: unsupported file type, or the file cannot be read or written
            (message in Chinese, naming the file).
    """
    name = str(path)
    p = Path(name)
    if p.suffix.lower() not in FIXABLE_SUFFIXES:
        kinds = "、".join(FIXABLE_SUFFIXES)
        raise InputError(name, f"只能自动修改 {kinds} 文件，这个文件请按检查结果手工修改。")
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise InputError(name, f"读取文件失败：{exc.strerror or exc}。") from None
    raw, codec, bom = _decode(data, name)
    lines, ends = _split(raw)
    new_lines, applied, skipped = apply_to_lines(lines, findings)
    result = FixResult(path=name, applied=applied, skipped=skipped)
    if new_lines == lines:
        return result
    result.diff = "\n".join(
        difflib.unified_diff(lines, new_lines, fromfile=f"{name}（修改前）", tofile=f"{name}（修改后）", lineterm="")
    ) + "\n"
    if write:
        body = "".join(line + end for line, end in zip(new_lines, ends, strict=True))
        try:
            write_bytes(p, bom + body.encode(codec))
        except UnicodeEncodeError:
            raise InputError(name, f"修改后的内容无法用原来的编码 {codec} 保存，文件未改动。") from None
        except OSError as exc:
            raise InputError(name, f"无法写入文件：{exc.strerror or exc}。文件未改动。") from None
        result.written = True
    return result


@dataclass(frozen=True)
class Replacement:
    """One safe replacement ``--fix`` would make (see :func:`planned_fixes`).

    Attributes:
        line: 1-based line (a paragraph for .docx).
        col, end_col: 1-based character columns of ``old``; ``end_col`` exclusive.
        old: the text replaced.
        new: the replacement.
        finding: the finding it comes from.
    """

    line: int
    col: int
    end_col: int
    old: str
    new: str
    finding: Finding


def planned_fixes(findings: list[Finding]) -> list[Replacement]:
    """The safe replacements among ``findings``, in text order: the same choice ``fix_file``
    applies (``fixable``: one line each, no overlaps, first wins), as ``(line, col, end_col, old, new)``.

    Used by the Word revisions of ``--fix`` (:mod:`djcheck.revise`) and by ``--diff``, so every
    format changes exactly what the text ``--fix`` changes.
    """
    return [
        Replacement(f.line, f.col, f.end_col, f.match, f.suggestion or "", f)
        for f in sorted(fixable(findings), key=lambda f: (f.line, f.col))
    ]


_CONTEXT = 8  # characters of context shown on each side of a change
_RED, _GREEN, _RESET = "\x1b[31;9m", "\x1b[32;1m", "\x1b[0m"


def describe_changes(
    replacements: list[Replacement], lines: list[str], *, unit: str = "行", color: bool = False
) -> list[str]:
    """One line of Chinese per replacement: its place, the old → new words and a little context.

    ``第4行 第16列：“,” → “，”（…摆在首位，全年召开…）``; ``lines`` are the line (or paragraph)
    texts the replacements refer to, before the change; ``unit`` is ``行`` or ``段``. With
    ``color`` the old words are red and struck through, the new ones green (ANSI, for a terminal).
    """
    out = []
    for r in replacements:
        text = lines[r.line - 1] if 1 <= r.line <= len(lines) else ""
        a, b = r.col - 1, r.end_col - 1
        before = text[max(0, a - _CONTEXT) : a]
        after = text[b : b + _CONTEXT]
        lead = "…" if a > _CONTEXT else ""
        tail = "…" if b + _CONTEXT < len(text) else ""
        old, new = f"“{r.old}”", f"“{r.new}”"
        changed = r.new
        if color:
            old, new = f"{_RED}{old}{_RESET}", f"{_GREEN}{new}{_RESET}"
            changed = f"{_GREEN}{r.new}{_RESET}"
        out.append(f"第{r.line}{unit} 第{r.col}列：{old} → {new}（{lead}{before}{changed}{after}{tail}）")
    return out

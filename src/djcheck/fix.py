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
- the file is edited in place (:func:`djcheck.atomic.write_in_place`): its inode,
  hard links, permission bits and owner stay, a symbolic link stays a link (the
  file it points to is fixed); a read-only file, or one the user may not write,
  is refused before anything changes; a failed write puts the old content back
  and leaves no temporary file behind;
- a file without anything to fix is not touched (not even rewritten);
- safe by construction (issue 14): a wrong → right replacement is fixable only where word
  segmentation confirms the match's boundaries (:mod:`djcheck.boundaries`), and before anything is
  written the fixed text is verified (:func:`verify_fix`): the text outside the replaced spans must be
  unchanged, and checking the fixed text with the same rules must give no finding that checking the
  original did not give. Otherwise the fix is refused (``FixResult.refused`` says why) and the file
  is left as it is.
"""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass, field
from pathlib import Path

from .atomic import WriteRefused, write_in_place
from .cache import lazy_pattern
from .errors import InputError
from .model import Finding

#: Suffixes ``--fix`` may rewrite.
FIXABLE_SUFFIXES = (".txt", ".md", ".markdown")

_LINE_END = lazy_pattern(r"\r\n|\r|\n", engine="re")


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
    #: why the fix was refused (Chinese), ``[]`` when it was not; a refused fix writes nothing
    refused: list[str] = field(default_factory=list)


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


def fix_file(
    path: str | os.PathLike,
    findings: list[Finding],
    *,
    write: bool = True,
    profile: str | None = "",
) -> FixResult:
    """Apply the safe replacements among ``findings`` (from checking ``path``) to the file.

    Args:
        path: a .txt / .md draft.
        findings: the findings of :func:`djcheck.check_file` on that file.
        write: edit the file in place (:func:`djcheck.atomic.write_in_place`); ``False`` only computes the diff.
        profile: the pack the file was checked with, used to verify the fixed text
            (:func:`verify_fix`); ``None`` for a text of no supported genre (its text rules);
            ``""`` (default) verifies with the default pack.

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
    kind = "md" if p.suffix.lower() in (".md", ".markdown") else "txt"
    result.refused = verify_fix(lines, new_lines, applied, name=name, kind=kind, profile=profile)
    if result.refused:
        return result
    result.diff = "\n".join(
        difflib.unified_diff(lines, new_lines, fromfile=f"{name}（修改前）", tofile=f"{name}（修改后）", lineterm="")
    ) + "\n"
    if write:
        body = "".join(line + end for line, end in zip(new_lines, ends, strict=True))
        try:
            new = bom + body.encode(codec)
        except UnicodeEncodeError:
            raise InputError(name, f"修改后的内容无法用原来的编码 {codec} 保存，文件未改动。") from None
        try:
            write_in_place(p, new, expected=data)
        except WriteRefused as exc:
            raise InputError(name, f"不能修改：{exc.strerror}。") from None
        except OSError as exc:
            raise InputError(name, f"无法写入文件：{exc.strerror or exc}。文件未改动。") from None
        result.written = True
    return result


def verify_fix(
    lines: list[str],
    new_lines: list[str],
    applied: list[Finding],
    *,
    name: str = "",
    kind: str = "txt",
    profile: str | None = "",
) -> list[str]:
    """Why the fix turning ``lines`` into ``new_lines`` by ``applied`` must be refused (Chinese), or ``[]``.

    Two properties are checked:

    1. outside the replaced spans the text is unchanged: each line is rebuilt from the original line
       and the applied replacements alone and must equal the fixed line;
    2. re-checking adds nothing: the fixed text, checked with ``profile``'s pack (``None``: the text
       rules of :data:`djcheck.runner.HYGIENE_RULES`), gives no finding (rule and matched text) that
       the original did not give, beyond as many as it gave.
    """
    from collections import Counter

    problems: list[str] = []
    by_line: dict[int, list[Finding]] = {}
    for f in applied:
        by_line.setdefault(f.line, []).append(f)
    for i, (old, new) in enumerate(zip(lines, new_lines, strict=True), start=1):
        rebuilt, pos = [], 0
        for f in sorted(by_line.get(i, []), key=lambda f: f.col):
            rebuilt.append(old[pos : f.col - 1])
            rebuilt.append(f.suggestion or "")
            pos = f.end_col - 1
        rebuilt.append(old[pos:])
        if "".join(rebuilt) != new:
            problems.append(f"第{i}行在替换之外的文字也会改变")
    if problems:
        return problems
    before = Counter((f.rule, f.match) for f in _findings_of("\n".join(lines), name, kind, profile))
    for f in _findings_of("\n".join(new_lines), name, kind, profile):
        key = (f.rule, f.match)
        if before[key] > 0:
            before[key] -= 1
        else:
            problems.append(f"修改后第{f.line}行会出现新的问题（{f.rule}：“{f.match}”）")
    return problems


def _findings_of(text: str, name: str, kind: str, profile: str | None) -> list[Finding]:
    """Findings of checking ``text`` with ``profile``'s pack (see :func:`verify_fix`)."""
    from dataclasses import replace

    from .document import Document
    from .engine import check_document
    from .engine import load_pack_cached as load_pack
    from .errors import DjcheckError
    from .runner import DEFAULT_PROFILE, HYGIENE_RULES

    if profile is None:
        pack = load_pack("common")
        pack = replace(pack, rules=[r for r in pack.rules if r.id in HYGIENE_RULES])
    else:
        try:
            pack = load_pack(profile or DEFAULT_PROFILE)
        except DjcheckError:  # a pack given by path elsewhere: verify with the text rules
            return _findings_of(text, name, kind, None)
    doc = Document.from_text(text, path=name, kind=kind)
    return check_document(doc, pack).findings


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

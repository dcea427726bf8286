"""Write a reviewed copy of a Word draft with one Word comment (批注) per finding.

``annotate_docx(source, target, result)`` opens ``source`` (a .docx that
``result`` was computed from), and saves a copy to ``target`` with:

* one comment per :class:`~djcheck.model.Finding`, anchored on exactly the
  offending characters (runs are split where a finding starts or ends inside
  a run; formatting is copied to both halves);
* one comment per checklist item that is weak or missing and has no findings of
  its own (a missing part, a thin problems section …), anchored on the whole
  paragraph the item points at (its ``line``: the heading, or where the part
  should be), else on the first paragraph;
* one summary comment on the first paragraph: score, pass mark, verdict and the
  whole checklist (✔ / ⚠ / ✖).

The source file is never written. The copy is saved to a temporary file in the
target's folder and renamed over ``target`` (:func:`djcheck.atomic.replacing`), so a
failed save leaves no half-written file; a target that is a device, a pipe, a
read-only file or (unless ``follow_symlinks``) a symbolic link is refused.
"""

from __future__ import annotations

import bisect
import copy
import os
from pathlib import Path

from .atomic import WriteRefused, replacing
from .document import without_invisible
from .errors import ConfigError, InputError
from .loaders.docx import docx_paragraph_elements, open_docx, paragraph_runs
from .model import FileResult

AUTHOR = "djcheck"
INITIALS = "DJ"

_STATUS_MARK = {"ok": "✔", "weak": "⚠", "missing": "✖", "unchecked": "—"}
_LEVEL_CN = {"error": "错误", "warning": "警告", "info": "提示"}
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
# Run children that carry text (as python-docx reads it); everything else has length 0.
_TEXT_TAGS = {f"{_W}{t}" for t in ("t", "tab", "br", "cr", "noBreakHyphen", "ptab")}


def _child_len(child) -> int:
    return len(str(child)) if child.tag in _TEXT_TAGS else 0


def _split_run(r, at: int):
    """Split run element ``r`` at character ``at`` (0 < at < len(text)); returns the right half.

    Both halves keep the run properties. A ``w:t`` that straddles the point is
    cut in two; every other child goes, whole, to the side it is on.
    """
    right = copy.deepcopy(r)
    left_children = [c for c in r.iterchildren() if c.tag != f"{_W}rPr"]
    right_children = [c for c in right.iterchildren() if c.tag != f"{_W}rPr"]
    pos = 0
    for lc, rc in zip(left_children, right_children, strict=True):
        n = _child_len(lc)
        if pos + n <= at and not (n == 0 and pos == at):
            right.remove(rc)  # wholly before the split point
        elif pos >= at:
            r.remove(lc)  # wholly after
        else:  # a w:t straddling the point
            cut = at - pos
            text = lc.text or ""
            lc.text, rc.text = text[:cut], text[cut:]
            lc.set(_XML_SPACE, "preserve")
            rc.set(_XML_SPACE, "preserve")
        pos += n
    r.addnext(right)
    return right


def _runs_with_offsets(p) -> list[tuple[object, int, int]]:
    out = []
    pos = 0
    for r in paragraph_runs(p):
        n = len(r.text)
        out.append((r, pos, pos + n))
        pos += n
    return out


def _cut_all(p, offsets: set[int]) -> list[tuple[object, int, int]]:
    """Split the runs of paragraph ``p`` so that every offset in ``offsets`` falls on a run boundary.

    One pass over the runs, each run cut at all its points (right to left, so the
    left part keeps its offsets): the work grows with runs + cuts, not their product.
    Returns the runs with their offsets after cutting (as :func:`_runs_with_offsets`).
    """
    runs = _runs_with_offsets(p)
    if not offsets:
        return runs
    points = sorted(offsets)
    changed = False
    for r, start, end in runs:
        i = bisect.bisect_right(points, start)
        inside = []
        while i < len(points) and points[i] < end:
            inside.append(points[i] - start)
            i += 1
        for at in reversed(inside):
            _split_run(r, at)
            changed = True
    return _runs_with_offsets(p) if changed else runs


class _Anchors:
    """Runs of one paragraph after cutting, searchable by character offset."""

    def __init__(self, runs: list[tuple[object, int, int]]):
        self.runs = [(r, s, e) for r, s, e in runs if e > s]  # runs with text
        self.starts = [s for _, s, _ in self.runs]
        self.ends = [e for _, _, e in self.runs]

    def first_from(self, start: int):
        """The first run with text starting at or after ``start``."""
        i = bisect.bisect_left(self.starts, start)
        return self.runs[i][0] if i < len(self.runs) else None

    def last_until(self, end: int, start: int | None = None):
        """The last run with text ending at or before ``end`` (and starting at or after ``start``)."""
        i = bisect.bisect_right(self.ends, end) - 1
        if i < 0 or (start is not None and self.runs[i][1] < start):
            return None
        return self.runs[i][0]


def _whole_paragraph(p):
    runs = [r for r, s, e in _runs_with_offsets(p) if e > s]
    return (runs[0], runs[-1]) if runs else (None, None)


def _nearest_text_paragraph(paras: list, index: int) -> int | None:
    """Index of the first paragraph with text at or after ``index``, else the last one before it."""
    for i in list(range(max(index, 0), len(paras))) + list(range(min(index, len(paras)) - 1, -1, -1)):
        if any(len(r.text) for r in paragraph_runs(paras[i])):
            return i
    return None


def summary_text(result: FileResult) -> str:
    """The summary comment: score, verdict and the whole checklist, one item per line."""
    verdict = result.verdict_text()
    lines = [
        f"djcheck 检查结果：得分 {result.score:g}/100（合格线 {result.min_score:g}），{verdict}"
        f"［{result.profile_title or result.profile}］"
    ]
    for item in result.checklist:
        lines.append(f"{_STATUS_MARK[item.status]} {item.title}：{item.message}")
    if result.findings:
        lines.append(f"文中共批注 {len(result.findings)} 处具体问题。")
    lines.append("位置按段落计（第N段，空段落和表格中的段落都计入）。")
    return "\n".join(lines)


def _same_file(a: Path, b: Path) -> bool:
    try:
        if a.resolve() == b.resolve():
            return True
        return b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def annotate_docx(
    source: str | Path, target: str | Path, result: FileResult, *, follow_symlinks: bool = False
) -> int:
    """Save a copy of ``source`` with djcheck's findings as Word comments to ``target``.

    Args:
        source: the .docx that was checked (read only, never written).
        target: where to write the reviewed copy (``.docx``); replaced atomically.
        result: the :class:`FileResult` of checking ``source`` (lines are paragraph numbers).
        follow_symlinks: ``target`` may be a symbolic link (the file it points to is replaced).

    Returns:
        The number of comments written (summary included).

    Raises:
        ConfigError: ``target`` is ``source`` (same path or same file), is not
            a ``.docx`` name, or cannot be written.
        InputError: ``source`` cannot be read, or no longer matches ``result``
            (it was changed after the check).
    """
    src, dst = Path(source), Path(target)
    if _same_file(src, dst):
        raise ConfigError(str(target), "批注副本不能覆盖原文件：请换一个文件名，例如“报告-批注.docx”。")
    if dst.suffix.lower() != ".docx":
        raise ConfigError(str(target), "批注副本的文件名应以 .docx 结尾。")
    if result.error:
        raise InputError(str(source), result.error)
    document = open_docx(src)
    count = add_comments(document, result, str(source))
    try:
        with replacing(dst, follow_symlinks=follow_symlinks) as fh:
            document.save(fh)
    except WriteRefused as exc:
        raise ConfigError(str(target), f"不能写入批注副本：{exc.strerror}。") from None
    except OSError as exc:
        raise ConfigError(str(target), f"无法写入批注副本：{exc.strerror or exc}。") from None
    return count


def add_comments(document, result: FileResult, source: str, notes: dict[int, str] | None = None) -> int:
    """Add djcheck's comments for ``result`` to the opened ``document`` (python-docx), in memory.

    The summary comment on the first paragraph with text, one comment per weak or missing
    checklist item without findings, one per finding on its characters. ``notes``:
    ``{id(finding): extra line}`` appended to a finding's comment (e.g. that it was fixed as a
    tracked change). Returns the number of comments added.

    Raises:
        InputError: ``document`` (read from ``source``) no longer matches ``result``.
    """
    paras = docx_paragraph_elements(document)
    changed = InputError(source, "文件在检查之后被修改过，批注位置对不上：请重新运行检查。")

    def para(line: int):
        if not 1 <= line <= len(paras):
            raise changed
        return paras[line - 1]

    count = 0

    def add(first, last, text: str) -> None:
        nonlocal count
        if first is None or last is None:
            return
        from docx.text.run import Run

        document.add_comment([Run(first, None), Run(last, None)], text=text, author=AUTHOR, initials=INITIALS)
        count += 1

    # Check every finding still points at its text before changing anything.
    texts: dict[int, str] = {}
    for f in result.findings:
        p = para(f.line)
        para(f.end_line)
        if f.end_line == f.line and f.match:
            if f.line not in texts:
                texts[f.line] = "".join(r.text for r in paragraph_runs(p)).replace("\n", " ")
            # columns are of the original text; the match is without invisible characters
            if without_invisible(texts[f.line][f.col - 1 : f.end_col - 1]) != f.match:
                raise changed

    top = _nearest_text_paragraph(paras, 0)
    if top is not None:
        add(*_whole_paragraph(paras[top]), summary_text(result))
    rules_with_findings = {f.rule for f in result.findings}
    for item in result.checklist:
        if item.status in ("ok", "unchecked") or item.id in rules_with_findings:
            continue
        index = _nearest_text_paragraph(paras, (item.line or 1) - 1)
        if index is None:
            continue
        note = f"{_STATUS_MARK[item.status]} {item.title}：{item.message}"
        if item.advice:
            note += f"\n建议：{item.advice}"
        add(*_whole_paragraph(paras[index]), note)
    cuts: dict[int, set[int]] = {}
    for f in result.findings:
        cuts.setdefault(f.line, set()).add(f.col - 1)
        cuts.setdefault(f.end_line, set()).add(f.end_col - 1)
    anchors = {line: _Anchors(_cut_all(para(line), offsets)) for line, offsets in cuts.items()}
    for f in result.findings:
        first = anchors[f.line].first_from(f.col - 1)
        last = anchors[f.end_line].last_until(f.end_col - 1, f.col - 1 if f.end_line == f.line else None)
        note = f"【{_LEVEL_CN.get(f.level, f.level)}】{f.message}"
        if f.suggestion:
            note += f"\n建议改为：{f.suggestion}"
        if notes and id(f) in notes:
            note += f"\n{notes[id(f)]}"
        note += f"\n（规则 {f.rule}）"
        add(first, last, note)
    return count

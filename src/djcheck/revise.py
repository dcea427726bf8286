"""``--fix`` on a Word draft: a copy with the safe fixes as tracked changes (修订) and the findings as comments.

``revise_docx(source, target, result)`` never writes ``source``. The copy holds:

* each safe replacement of :func:`djcheck.fix.planned_fixes` (the same list the text
  ``--fix`` applies) as a Word revision: the old characters in a ``w:del`` (their
  ``w:t`` become ``w:delText``), the new ones in a ``w:ins`` right after, both with
  ``w:author="djcheck"`` and a ``w:date``, so the user accepts or rejects each one in
  Word or WPS (审阅 → 接受 / 拒绝);
* the comments of ``--annotate`` (:func:`djcheck.annotate.add_comments`); the comment of a
  finding that became a revision says so.

Accepting every revision gives the fixed text, rejecting every revision gives the
original (``tests/test_revise.py`` checks both on the XML and in LibreOffice). A
replacement is left as a comment only (``skipped``) when its characters are not plain
text of runs that sit directly in the paragraph (inside a hyperlink, a field, an earlier
tracked change) — Word would not show such a revision the way the user expects.

The copy is named like the original with （已修改） (:func:`revised_copy_path`); an existing
file of that name is never overwritten. Writing is atomic (:mod:`djcheck.atomic`).
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from .annotate import _cut_all, _runs_with_offsets, _same_file, add_comments
from .atomic import replacing
from .errors import ConfigError, InputError
from .fix import Replacement, apply_to_lines, planned_fixes, verify_fix
from .loaders.docx import docx_paragraph_elements, open_docx, paragraph_text
from .model import FileResult

AUTHOR = "djcheck"

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
# Run children a revision may hold: properties, text, and Word's zero-length layout marker.
_PLAIN_CHILDREN = (f"{_W}rPr", f"{_W}t", f"{_W}lastRenderedPageBreak")
_FIXED_NOTE = "已作为修订改正：在“审阅”中接受或拒绝这处修改。"


@dataclass
class RevisionResult:
    """What :func:`revise_docx` wrote.

    Attributes:
        target: the copy written.
        applied: replacements written as tracked changes, in text order.
        skipped: replacements left as comments only (see the module docstring).
        comments: number of comments written (the summary included).
        refused: why no replacement became a revision (Chinese, from :func:`djcheck.fix.verify_fix`),
            ``[]`` when the fixes passed the check; a refused copy holds the comments only.
    """

    target: Path
    applied: list[Replacement] = field(default_factory=list)
    skipped: list[Replacement] = field(default_factory=list)
    comments: int = 0
    refused: list[str] = field(default_factory=list)


def revised_copy_path(source: str | Path) -> Path:
    """Default name of the revised copy: ``报告.docx`` → ``报告（已修改）.docx`` beside it."""
    src = Path(source)
    return src.with_name(f"{src.stem}（已修改）{src.suffix}")


def _next_id(document) -> int:
    """A ``w:id`` above every id already in the main document part."""
    ids = [int(v) for v in document.element.xpath("//@w:id") if str(v).lstrip("-").isdigit()]
    return max(ids, default=0) + 1


def _plain_run(r) -> bool:
    """The run sits directly in its paragraph and holds only properties and ``w:t`` text (and
    ``w:lastRenderedPageBreak``, a zero-length marker Word writes)."""
    if r.getparent().tag != f"{_W}p":
        return False
    return all(c.tag in _PLAIN_CHILDREN for c in r.iterchildren())


def _trackable(p, fix: Replacement) -> bool:
    """``fix`` still matches paragraph ``p`` and every run it touches is a :func:`_plain_run`."""
    a, b = fix.col - 1, fix.end_col - 1
    spans = _runs_with_offsets(p)
    text = "".join(r.text for r, _s, _e in spans).replace("\n", " ")
    if a >= b or text[a:b] != fix.old:
        return False
    return all(_plain_run(r) for r, s, e in spans if s < b and e > a)


def _track(p, fix: Replacement, stamp: str, next_id) -> bool:
    """Turn ``fix`` into a ``w:del`` + ``w:ins`` pair in paragraph ``p``; ``False`` if it cannot be done
    (the paragraph is left with its runs cut, which changes nothing visible)."""
    a, b = fix.col - 1, fix.end_col - 1
    text = "".join(r.text for r, _s, _e in _runs_with_offsets(p)).replace("\n", " ")
    if text[a:b] != fix.old or a >= b:
        return False
    runs = [r for r, s, e in _cut_all(p, {a, b}) if s >= a and e <= b and e > s]
    if not runs or not all(_plain_run(r) for r in runs):
        return False
    last_del = None
    for r in runs:
        deleted = p.makeelement(f"{_W}del", {f"{_W}id": str(next_id()), f"{_W}author": AUTHOR, f"{_W}date": stamp})
        r.addprevious(deleted)
        deleted.append(r)  # moves the run into the deletion
        for t in r.iterchildren(f"{_W}t"):
            t.tag = f"{_W}delText"
            t.set(_XML_SPACE, "preserve")
        last_del = deleted
    if fix.new:
        inserted = p.makeelement(f"{_W}ins", {f"{_W}id": str(next_id()), f"{_W}author": AUTHOR, f"{_W}date": stamp})
        run = p.makeelement(f"{_W}r", {})
        props = runs[0].find(f"{_W}rPr")
        if props is not None:
            run.append(copy.deepcopy(props))
        t = p.makeelement(f"{_W}t", {_XML_SPACE: "preserve"})
        t.text = fix.new
        run.append(t)
        inserted.append(run)
        last_del.addnext(inserted)
    return True


def _refusal(paras: list, fixes: list[Replacement], name: str, result: FileResult) -> list[str]:
    """Why ``fixes`` must not become revisions (Chinese), or ``[]``: the same guard as the text ``--fix``
    (:func:`djcheck.fix.verify_fix`) on the paragraph texts — outside the replaced spans nothing
    changes, and checking the fixed paragraphs with the same pack gives no new finding."""
    if not fixes:
        return []
    texts = [paragraph_text(p).replace("\n", " ") for p in paras]
    new_texts, applied, _skipped = apply_to_lines(texts, [f.finding for f in fixes])
    profile = result.profile if result.recognised else None
    return verify_fix(texts, new_texts, applied, name=name, kind="docx", profile=profile)


def revise_docx(
    source: str | Path,
    target: str | Path | None,
    result: FileResult,
    *,
    now: dt.datetime | None = None,
    replace: bool = False,
) -> RevisionResult:
    """Save a copy of ``source`` with the safe fixes as tracked changes and the findings as comments.

    Args:
        source: the .docx that was checked (read only, never written).
        target: the copy; ``None`` = :func:`revised_copy_path` of ``source``.
        result: the :class:`FileResult` of checking ``source`` (lines are paragraph numbers).
        now: the revisions' date (default: the current time, UTC).
        replace: allow replacing an existing ``target`` (an explicit ``--annotate`` name);
            otherwise an existing file is refused.

    Returns:
        A :class:`RevisionResult`.

    Raises:
        ConfigError: ``target`` is ``source``, exists (and ``replace`` is false), is not a
            ``.docx`` name, or cannot be written.
        InputError: ``source`` cannot be read, or no longer matches ``result``.
    """
    src = Path(source)
    dst = Path(target) if target is not None else revised_copy_path(src)
    if _same_file(src, dst):
        raise ConfigError(str(dst), "修改稿不能覆盖原文件：请换一个文件名，例如“报告（已修改）.docx”。")
    if dst.suffix.lower() != ".docx":
        raise ConfigError(str(dst), "修改稿的文件名应以 .docx 结尾。")
    if not replace and dst.exists():
        raise ConfigError(
            str(dst), "这个文件已经存在，为免覆盖没有保存修改稿：请先移走或改名（或用 --annotate 指定另一个文件名）。"
        )
    if result.error:
        raise InputError(str(source), result.error)
    document = open_docx(src)
    fixes = planned_fixes(result.findings)
    paras = docx_paragraph_elements(document)
    fixes = [f for f in fixes if 1 <= f.line <= len(paras)]
    trackable = [f for f in fixes if _trackable(paras[f.line - 1], f)]
    out = RevisionResult(target=dst)
    out.refused = _refusal(paras, trackable, str(source), result)
    if out.refused:
        trackable = []
    notes = {id(f.finding): _FIXED_NOTE for f in trackable}
    out.comments = add_comments(document, result, str(source), notes)
    stamp = (now or dt.datetime.now(dt.timezone.utc)).strftime("%Y-%m-%dT%H:%M:%SZ")
    counter = iter(range(_next_id(document), 1 << 31))
    for fix in sorted(fixes, key=lambda f: (f.line, f.col), reverse=True):  # later first: offsets stay valid
        ok = fix in trackable and _track(paras[fix.line - 1], fix, stamp, lambda: next(counter))
        (out.applied if ok else out.skipped).append(fix)
    out.applied.reverse()
    out.skipped.reverse()
    try:
        with replacing(dst.resolve()) as fh:
            document.save(fh)
    except OSError as exc:
        raise ConfigError(str(dst), f"无法写入修改稿：{exc.strerror or exc}。") from None
    return out

"""Loaders: from a path on disk to a :class:`~djcheck.document.Document`.

- :func:`collect_files` expands folders into the drafts below them;
- :func:`load_document` reads one draft by its suffix: plain text and Markdown
  (:mod:`.text`, encoding detected), Word .docx (:mod:`.docx`), PDF with the
  ``djcheck[pdf]`` extra (:mod:`.pdf`); legacy .doc / .wps are refused with a
  Chinese message saying to save them as .docx.

Every failure is an :class:`~djcheck.errors.InputError` naming the file.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from ..document import Document
from ..errors import DjcheckError, InputError
from ..model import FileResult
from .text import TEXT_SUFFIXES, checked_size, decode_bytes, read_text

DOCX_SUFFIXES = (".docx",)
#: Legacy Word/WPS files: walked in folders so the user is told to save them as .docx.
LEGACY_SUFFIXES = (".doc", ".wps")
#: PDF needs the optional extra ``djcheck[pdf]``; read when named, not when walking folders.
PDF_SUFFIXES = (".pdf",)
SUPPORTED_SUFFIXES = TEXT_SUFFIXES + DOCX_SUFFIXES
#: File names skipped when walking a folder (documentation beside the drafts).
SKIPPED_NAMES = ("readme", "changelog", "license")


def load_document(path: str | Path) -> Document:
    """Read a draft file into a :class:`Document`.

    Raises:
        InputError: unreadable, unsupported, empty, binary or undecodable file.
    """
    name = str(path)
    suffix = Path(name).suffix.lower()
    if suffix in TEXT_SUFFIXES or not Path(name).exists():
        src = read_text(name)
        kind = "md" if suffix in (".md", ".markdown") else "txt"
        return Document.from_text(src.text, path=name, kind=kind, encoding=src.encoding, newline=src.newline)
    if suffix in DOCX_SUFFIXES:
        from .docx import read_docx

        return read_docx(name)
    if suffix in LEGACY_SUFFIXES:
        from .docx import legacy_word_error

        raise legacy_word_error(name)
    if suffix in PDF_SUFFIXES:
        from .pdf import read_pdf

        return read_pdf(name)
    supported = "、".join(SUPPORTED_SUFFIXES)
    raise InputError(name, f"不支持的文件类型“{suffix or '无扩展名'}”，目前支持 {supported}。")


def collect_files(paths: list[str]) -> tuple[list[str], list[FileResult]]:
    """Expand folders into the supported files below them, sorted by path.

    Returns:
        ``(files, errors)``: the files to check, and a :class:`FileResult` with
        ``error`` set for each path that is missing, a folder without drafts, or
        a folder (or subfolder) that cannot be read.
    """
    files: list[str] = []
    errors: list[FileResult] = []
    for raw in paths:
        if not str(raw).strip():  # Path("") is the current folder: never check it by accident
            errors.append(FileResult(path=str(raw), error="命令行中有一个空的文件名（脚本中的变量可能没有赋值），已跳过。"))
            continue
        p = Path(raw)
        if p.is_dir():
            unreadable: list[str] = []
            found = sorted(_drafts_below(p, unreadable))
            errors.extend(
                FileResult(path=d, error=f"{d}：没有读取这个文件夹的权限（或无法读取），其中的文件没有检查。")
                for d in unreadable
            )
            if not found and not unreadable:
                exts = "、".join(SUPPORTED_SUFFIXES)
                errors.append(FileResult(path=raw, error=f"{raw}：文件夹里没有可检查的文件（{exts}）。"))
            files.extend(found)
        elif p.exists():
            files.append(raw)
        else:
            errors.append(FileResult(path=raw, error=f"{raw}：找不到这个文件或文件夹，请检查路径是否写对。"))
    return files, errors


def _drafts_below(folder: Path, unreadable: list[str]):
    """The drafts below ``folder`` as path strings (as ``str(folder / ...)`` spells them): files
    with a supported (or legacy Word) suffix, except hidden files and folders, Word's ``~$`` lock
    files and documentation (:data:`SKIPPED_NAMES`); symbolic links to folders are not followed.
    Folders that cannot be listed are appended to ``unreadable``.

    Works on strings (``os.walk``), not ``Path`` objects: a folder of a thousand drafts is
    listed in a few milliseconds.
    """
    import os

    def failed(exc: OSError) -> None:
        unreadable.append(str(exc.filename) if exc.filename else str(folder))

    top = str(folder)
    wanted = SUPPORTED_SUFFIXES + LEGACY_SUFFIXES
    for root, dirs, names in os.walk(top, onerror=failed):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        if top == "." and root.startswith("./"):  # spelled as Path(".") / "sub" / name spells it
            root = root[2:]
        for name in names:
            stem, suffix = os.path.splitext(name)
            if (
                suffix.lower() in wanted
                and not name.startswith((".", "~$"))  # hidden; Word's lock file beside an open document
                and not stem.lower().startswith(SKIPPED_NAMES)
            ):
                path = name if root == "." else os.path.join(root, name)
                if os.path.isfile(path):
                    yield path


class DocumentsOnDisk(Mapping[str, Document]):
    """``{path: Document}`` for ``paths``, each draft read by :func:`load_document` when it is
    looked up (so a batch of thousands is never held in memory at once); a draft that can no
    longer be read is absent (``KeyError``; ``.get`` gives ``None``)."""

    def __init__(self, paths: Iterable[str]):
        self._paths = list(dict.fromkeys(paths))
        self._known = set(self._paths)

    def __getitem__(self, path: str) -> Document:
        if path not in self._known:
            raise KeyError(path)
        try:
            return load_document(path)
        except (DjcheckError, OSError):
            raise KeyError(path) from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._paths)

    def __len__(self) -> int:
        return len(self._paths)


__all__ = [
    "DocumentsOnDisk",
    "DOCX_SUFFIXES",
    "LEGACY_SUFFIXES",
    "PDF_SUFFIXES",
    "SKIPPED_NAMES",
    "SUPPORTED_SUFFIXES",
    "TEXT_SUFFIXES",
    "checked_size",
    "collect_files",
    "decode_bytes",
    "load_document",
    "read_text",
]

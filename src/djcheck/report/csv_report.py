"""CSV format: the batch summary table for a spreadsheet.

UTF-8 with a byte-order mark, so Excel opens the Chinese text correctly; one
header row (:data:`djcheck.report.summary.COLUMNS`), then one row per file,
worst first; item titles within a cell are separated by ``；``. A cell that would
start a formula in a spreadsheet (``= + - @``, tab, carriage return — a file
named ``=HYPERLINK(…).txt``) gets a leading ``'`` (:func:`djcheck.report.spreadsheet_safe`);
control characters in a cell are written as visible escapes (:func:`djcheck.report.shown`).
"""

from __future__ import annotations

import csv
import io
from typing import TextIO

from ..model import FileResult
from . import shown, spreadsheet_safe
from .summary import COLUMNS, rows

BOM = "\ufeff"


def to_text(results: list[FileResult]) -> str:
    """The whole CSV document as text, starting with the BOM; lines end in CRLF (RFC 4180)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for r in rows(results):
        writer.writerow([spreadsheet_safe(shown(c)) for c in r.cells()])
    return BOM + buf.getvalue()


def write(results: list[FileResult], stream: TextIO, **_options) -> None:
    """Write the CSV document to ``stream``.

    When ``stream`` is a text stream in another encoding (a redirected console on
    Windows), the UTF-8 bytes go to its underlying binary buffer instead.
    """
    text = to_text(results)
    encoding = (getattr(stream, "encoding", None) or "utf-8").lower().replace("-", "").replace("_", "")
    buffer = getattr(stream, "buffer", None)
    if encoding not in ("utf8", "utf8sig") and buffer is not None:
        stream.flush()
        buffer.write(text.encode("utf-8"))
        buffer.flush()
        return
    if encoding == "utf8sig":  # the stream adds the BOM itself
        text = text[len(BOM) :]
    stream.write(text)

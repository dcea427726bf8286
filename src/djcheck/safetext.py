"""Text from outside (file names, pieces of a draft) made safe for where it is shown.

* :func:`shown` — for a terminal and line-based output: control characters become
  visible escapes, so a name can neither run terminal sequences nor forge a line.
* :func:`spreadsheet_safe` — for a CSV cell: a leading ``'`` when the cell would
  start a formula in Excel/WPS/LibreOffice (CSV injection).
"""

from __future__ import annotations

import re

#: Characters a terminal acts on instead of showing: C0 and C1 controls (line breaks, ESC that
#: starts colour and cursor sequences, backspace …), DEL, Unicode line/paragraph separators and the
#: bidi controls that reorder what follows them; also lone surrogates (the undecodable bytes of a
#: file name), which no output encoding can write.
UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_NAMED_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(m: re.Match) -> str:
    ch = m.group()
    return _NAMED_ESCAPES.get(ch) or (f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}")


def shown(text: str) -> str:
    """``text`` with every character a terminal would act on written as a visible escape.

    A line break becomes ``\\n``, ESC ``\\x1b``, a bidi override ``\\u202e`` …, so a file name
    (or a quoted piece of a draft) can neither run terminal control sequences nor start a
    line of its own that looks like djcheck's output (a forged "通过").
    """
    if text.isprintable():
        return text
    return UNSAFE.sub(_escape, text)


#: First characters that make a spreadsheet (Excel, WPS, LibreOffice) read a cell as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


def spreadsheet_safe(cell: str) -> str:
    """``cell`` with a leading ``'`` when it would start a formula (CSV injection), else unchanged."""
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell

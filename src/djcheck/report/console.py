"""Any console: what the output becomes when the stream's encoding cannot carry every character.

A Chinese Windows console, a pipe or a redirection there (``| more``, ``> 结果.txt``, a
pre-commit hook) has the GBK code page (``cp936``), which has no ✔ ⚠ ✖. This module is the
one place that decides what is written instead:

* **marks** (:data:`SUBSTITUTES`): ✔ → √, ⚠ → △, ✖ → × (all in GBK), and a few other signs;
  where even those cannot be encoded (an ASCII or Latin-1 console), ASCII stand-ins;
* any other character the encoding lacks → ``?`` — the output never fails;
* **JSON and SARIF** text: a character the encoding lacks is written as a JSON ``\\uXXXX``
  escape, so the document still parses to exactly the same data;
* **HTML and CSV** are files with a declared encoding (UTF-8; CSV with a byte-order mark for
  Excel): they are written as UTF-8 bytes whatever the console's encoding.

:func:`install` gives a text stream (``sys.stdout``, ``sys.stderr``) the ``djcheck-marks``
error handler; :func:`fit` prepares a whole output text for a stream's encoding.
"""

from __future__ import annotations

import codecs
from typing import TextIO

#: Character → stand-ins, first encodable one wins; ``?`` when none is.
SUBSTITUTES: dict[str, tuple[str, ...]] = {
    "✔": ("√", "v"),
    "✓": ("√", "v"),
    "⚠": ("△", "!"),
    "✖": ("×", "x"),
    "✗": ("×", "x"),
    "—": ("-",),
    "–": ("-",),
    "→": ("->",),
    "↔": ("<->",),
    "…": ("...",),
    "·": (".",),
    "“": ('"',),
    "”": ('"',),
    "‘": ("'",),
    "’": ("'",),
    "\ufeff": ("",),
}

HANDLER = "djcheck-marks"
_JSON_HANDLER = "djcheck-json"

#: Formats whose text is JSON (escaped where the console lacks a character).
JSON_FORMATS = frozenset({"json", "sarif"})
#: Formats that are always UTF-8 bytes (a file with a declared encoding).
UTF8_FORMATS = frozenset({"html", "csv"})


def _encodable(text: str, encoding: str) -> bool:
    try:
        text.encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def substitute(char: str, encoding: str) -> str:
    """What ``char`` is written as in ``encoding``: itself when encodable, else its first
    encodable stand-in (:data:`SUBSTITUTES`), else ``?``."""
    if _encodable(char, encoding):
        return char
    for candidate in SUBSTITUTES.get(char, ()):
        if _encodable(candidate, encoding):
            return candidate
    return "?"


def marks_for(encoding: str | None) -> dict[str, str]:
    """The checklist marks ``{"ok", "weak", "missing"}`` for a stream in ``encoding``:
    ✔ ⚠ ✖ when it can carry them (UTF-8), √ △ × on a GBK console, ASCII otherwise."""
    encoding = encoding or "utf-8"
    return {status: substitute(mark, encoding) for status, mark in (("ok", "✔"), ("weak", "⚠"), ("missing", "✖"))}


def _marks_handler(exc: UnicodeError):
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    text = "".join(substitute(c, exc.encoding) for c in exc.object[exc.start : exc.end])
    return text, exc.end


def _json_escape(char: str) -> str:
    code = ord(char)
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    code -= 0x10000
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


def _json_handler(exc: UnicodeError):
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    return "".join(_json_escape(c) for c in exc.object[exc.start : exc.end]), exc.end


codecs.register_error(HANDLER, _marks_handler)
codecs.register_error(_JSON_HANDLER, _json_handler)


def is_utf(encoding: str | None) -> bool:
    """Whether ``encoding`` is UTF-8 (which carries every character)."""
    if not encoding:
        return False
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        return False
    return name in ("utf-8", "utf-8-sig")


def install(stream: TextIO | None) -> None:
    """Make ``stream`` (a text stream such as ``sys.stdout``) write what its encoding lacks as
    stand-ins (:func:`substitute`) instead of failing. A stream that cannot be reconfigured
    (a test's capture, a closed stream) is left as it is."""
    reconfigure = getattr(stream, "reconfigure", None)
    if reconfigure is None or is_utf(getattr(stream, "encoding", None)):
        return
    try:
        reconfigure(errors=HANDLER)
    except (ValueError, OSError, TypeError):
        pass


def fit(text: str, fmt: str, encoding: str | None) -> bytes:
    """``text``, the whole output of format ``fmt``, as the bytes to write to a stream in
    ``encoding`` (see the module docstring: stand-ins for text formats, JSON escapes for
    JSON and SARIF, UTF-8 for HTML and CSV). ``None`` or an unknown encoding means UTF-8."""
    if fmt in UTF8_FORMATS or not encoding or is_utf(encoding):
        return text.encode("utf-8")
    try:
        codecs.lookup(encoding)
    except LookupError:
        return text.encode("utf-8")
    if fmt in JSON_FORMATS:
        return text.encode(encoding, errors=_JSON_HANDLER)
    return text.encode(encoding, errors=HANDLER)

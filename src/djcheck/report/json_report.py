"""JSON format (``schema_version`` 1): the contract documented in the README."""

from __future__ import annotations

import json
from typing import TextIO

from .. import __version__
from ..model import FileResult

SCHEMA_VERSION = 1


def to_data(results: list[FileResult]) -> dict:
    """The JSON document as a Python dict."""
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": "djcheck",
        "version": __version__,
        "files": [{"config": None} | r.to_dict() for r in results],
    }


def write(results: list[FileResult], stream: TextIO, **_options) -> None:
    """Write the JSON document (UTF-8, Chinese kept readable) to ``stream``."""
    json.dump(to_data(results), stream, ensure_ascii=False, indent=2, allow_nan=False)
    stream.write("\n")

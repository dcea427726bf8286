"""Double-click (Windows, with Python installed): djcheck serve without a console window.

Python runs a .pyw file with pythonw.exe, which has no console: the browser opens by itself, and the
page's 退出 button stops djcheck. The same as a shortcut whose target is ``pythonw -m djcheck serve``.
See docs/serve.md.
"""

import os
import sys

if sys.stdout is None or sys.stderr is None:  # pythonw: no console to write to
    sys.stdout = sys.stdout or open(os.devnull, "w", encoding="utf-8")
    sys.stderr = sys.stderr or open(os.devnull, "w", encoding="utf-8")

from djcheck.cli import main  # noqa: E402 - after the streams exist

sys.argv = ["djcheck", "serve", *sys.argv[1:]]
main()

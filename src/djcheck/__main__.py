"""``python -m djcheck`` and the ``djcheck`` console script run the command-line interface.

The console script names :func:`main` here rather than :mod:`djcheck.cli`: a batch worker started
with ``spawn`` (Windows, macOS) runs the parent's main script again before its first task, and this
module imports the command line (typer, rich) only when :func:`main` is called, so such a worker
does not load them.
"""

from __future__ import annotations


def main():
    """Run the command line (:func:`djcheck.cli.main`)."""
    from .cli import main as run

    return run()


if __name__ == "__main__":  # not when a spawned batch worker imports this module
    main()

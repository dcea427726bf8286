"""``python -m djcheck`` runs the command-line interface."""

from .cli import main

main()

"""The command line: each command parses its options and calls one library function (the commands live in
problems.py, grading.py and variants.py; what they share, in base.py).

Heavy libraries (sympy, numpy) are imported inside the commands, so `hwsolver --help` starts fast.
"""

from __future__ import annotations

from hwsolver.cli import grading, problems, variants
from hwsolver.cli.base import cli, progress_bar
from hwsolver.cli.grading import EXPORT_FORMATS, VISIBILITY

__all__ = ["EXPORT_FORMATS", "VISIBILITY", "cli", "grading", "main", "problems", "variants"]
_progress_bar = progress_bar  # the name tests have used


def main() -> None:
    cli(prog_name="hwsolver")

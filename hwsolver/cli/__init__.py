"""The command line: each command parses its options and calls one library function (the commands live in
problems.py, grading.py and variants.py; what they share, in base.py).

Heavy libraries (sympy, numpy) are imported inside the commands, so `hwsolver --help` starts fast.
"""

from __future__ import annotations

import os
import sys

from hwsolver.cli import grading, problems, variants
from hwsolver.cli.base import cli, progress_bar
from hwsolver.cli.grading import EXPORT_FORMATS, VISIBILITY

__all__ = ["EXPORT_FORMATS", "VISIBILITY", "cli", "grading", "main", "problems", "run", "variants"]
_progress_bar = progress_bar  # the name tests have used


def main() -> None:
    cli(prog_name="hwsolver")


def run() -> None:
    """The `hwsolver` command (and `python -m hwsolver`): main(), then out of the process without Python's
    tear-down, which frees every module and object a run built one by one (0.15 s or more after the last byte is
    written: a sixth of a short command's time, and a grading run's tens of megabytes of results). What tear-down
    would still do is done here: the standard streams flushed (files are closed where they are written, and
    grading workers have ended or end with their parent)."""
    try:
        main()
        status = 0
    except SystemExit as done:
        if done.code is not None and not isinstance(done.code, int):
            raise  # a message to print: Python's own way
        status = done.code or 0
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            status = status or 120  # as Python itself exits when it cannot flush standard output at the end
    os._exit(status)

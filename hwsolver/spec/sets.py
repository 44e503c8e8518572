"""What the commands read: the problems named on the command line, as one numbered set.

An assignment file named alone gives its own order, numbering and points; problem files and folders give their
problems numbered 1, 2, ... (folders in file-name order); nothing gives the built-in homework (problems/homework.yaml).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from hwsolver.model import LANGUAGES
from hwsolver.spec.assignments import Assignment, Entry, assignment_from_node
from hwsolver.spec.problems import builtin_dir, is_listing, load_files, read_spec

HOMEWORK = "homework.yaml"


def homework_path() -> Path:
    return builtin_dir() / HOMEWORK


def load_set(paths: Sequence[str | Path] = ()) -> Assignment:
    """The problems `paths` name, as a set (default: the built-in homework); loose problem files make a set
    without id, salt or title."""
    if not paths:
        paths = [homework_path()]
    if len(paths) == 1 and Path(paths[0]).is_file():
        root = read_spec(paths[0])
        if is_listing(root):
            return assignment_from_node(root, builtin_dir())
    entries = tuple(Entry(problem, str(n), root) for n, (problem, root) in enumerate(load_files(paths), start=1))
    return Assignment(None, dict.fromkeys(LANGUAGES, ""), None, None, "", entries)

"""Student submission files: who it is, and the answer node of every part they answered."""

from __future__ import annotations

import difflib
import os
import re
import stat
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from hwsolver.errors import SpecError
from hwsolver.grading.display import FORMAT, shown, shown_path
from hwsolver.spec.deadlines import read_time
from hwsolver.spec.node import Node
from hwsolver.spec.reader import read_file

_MAX_ID = 100
MAX_WARNINGS = 20  # per file: 60,000 unknown keys must not make a 17 MB report
_QUOTED = 60  # characters of a student's key quoted in a warning
_MISSPELT = 0.85  # how alike a key must be to a known name to be read as it (difflib's ratio: one letter in ten)
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_INVISIBLE = re.compile(f"[{FORMAT}\\ud800-\\udfff]")  # bidirectional controls, zero-width characters, BOM
# Opened without following a link (the batch decides which links to follow) and without waiting for a writer
# (a named pipe opened for reading blocks until one comes).
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)


@dataclass(frozen=True)
class Submission:
    file: str
    student: str
    name: str | None
    answers: Mapping[str, Mapping[str, Node]]  # problem id -> part id -> what the student wrote
    warnings: tuple[str, ...] = ()
    submitted: datetime | None = None  # when it was handed in, as the LMS or upload tool recorded it


def read_submission(
    path: str | Path,
    parts: Mapping[str, tuple[str, ...]],
    display: str | None = None,
    *,
    asked: Mapping[str, Collection[str]] | None = None,
) -> Submission:
    """Read one submission; `parts` maps each known problem id to every part id it may answer, `asked` (when
    given) to the parts that earn points. SpecError if unreadable."""
    display = display or shown_path(str(path))
    # Answers are built only when the grader has not seen their text before (see grader._key).
    root = read_file(_open_regular(str(path), display), display, lazy_below=3)
    fields = root.fields(["student", "answers"], ["name", "submitted"])
    student = _identifier(fields["student"])
    # Without an offset the time stays without one: the assignment's timezone places it (grading/late.py).
    submitted = read_time(fields["submitted"], None) if "submitted" in fields else None
    name = shown(_one_line(fields["name"])) if "name" in fields and not fields["name"].is_null else None
    answers: dict[str, dict[str, Node]] = {}
    warnings = _Warnings()
    if not fields["answers"].is_null:
        problems = fields["answers"].mapping()
        for problem_id, node in problems.items():
            if problem_id not in parts:
                meant = _meant(problem_id, parts, problems)
                if meant is None or meant in answers:
                    warnings.add(node, _no_problem, problem_id, parts)
                    continue
                warnings.add(node, _read_as, "problem", problem_id, meant)
                problem_id = meant
            if node.is_null:
                continue
            answered = {}
            written = node.mapping()
            for part_id, answer in written.items():
                if part_id not in parts[problem_id]:
                    meant = _meant(part_id, parts[problem_id], written)
                    if meant is None or meant in answered:
                        warnings.add(answer, _no_part, problem_id, part_id, parts[problem_id])
                        continue
                    warnings.add(answer, _read_as, f"problem '{problem_id}' has no part", part_id, meant)
                    part_id = meant
                if asked is not None and part_id not in asked.get(problem_id, ()):
                    warnings.add(answer, _not_asked, problem_id, part_id)
                answered[part_id] = answer
            answers[problem_id] = answered
    return Submission(root.file, student, name, answers, warnings.done(), submitted)


def _open_regular(path: str, display: str) -> int:
    """A descriptor of the file, which must be a regular file (read_file reads it and closes it)."""
    try:
        handle = os.open(path, _OPEN_FLAGS)
    except OSError as error:
        if os.path.islink(path):
            raise SpecError(f"{display}: not read: a symbolic link (only regular files are graded)") from None
        raise SpecError(f"{display}: cannot read: {error.strerror or error}") from None
    if not stat.S_ISREG(os.fstat(handle).st_mode):
        os.close(handle)
        raise SpecError(f"{display}: not read: not a regular file (a folder, named pipe, device or socket)")
    return handle


class _Warnings:
    """The warnings of one file, at most MAX_WARNINGS written out (the rest only counted)."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.more = 0

    def add(self, node: Node, message: Callable[..., str], *args: Any) -> None:
        """The warning `message(*args)` at the node; written only while there is room (the 60,000th costs nothing)."""
        if len(self.lines) < MAX_WARNINGS:
            self.lines.append(shown(f"{node.file}:{node.line}:{node.column}: {message(*args)}"))
        else:
            self.more += 1

    def done(self) -> tuple[str, ...]:
        if self.more:
            return (*self.lines, f"and {self.more} more warnings like these (not shown)")
        return tuple(self.lines)


def _no_problem(problem_id: str, parts: Mapping[str, tuple[str, ...]]) -> str:
    guess = _guess(problem_id, parts)
    return f"no problem {_quote(problem_id)} in this problem set{guess}; its answers are ignored"


def _no_part(problem_id: str, part_id: str, known: tuple[str, ...]) -> str:
    guess = _guess(part_id, known) or f" (it has: {', '.join(known)})"
    return f"problem '{problem_id}' has no part {_quote(part_id)}{guess}; this answer is ignored"


def _read_as(what: str, key: str, meant: str) -> str:
    return f"{what} {_quote(key)}: graded as '{meant}', the only name so close"


def _meant(key: str, known: Collection[str], written: Collection[str]) -> str | None:
    """The one known name a misspelt key stands for (loss_befor for loss_before), when no other is nearly as close
    and the student did not write that name too; else None."""
    close = difflib.get_close_matches(key[:100], list(known), n=2, cutoff=_MISSPELT)
    return close[0] if len(close) == 1 and close[0] not in written else None


def _not_asked(problem_id: str, part_id: str) -> str:
    return f"problem '{problem_id}' does not ask for '{part_id}': it earns no points"


def _guess(key: str, known: Collection[str]) -> str:
    close = difflib.get_close_matches(key[:100], list(known), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _quote(key: str) -> str:
    return f"'{key}'" if len(key) <= _QUOTED else f"'{key[: _QUOTED - 3]}...'"


def _identifier(node: Node) -> str:
    if not node.is_scalar or node.is_null or not node.value.strip():
        raise node.error(f"expected the student's id as text, got {node.describe()}")
    if len(node.value) > _MAX_ID:
        raise node.error(f"a student id of at most {_MAX_ID} characters")
    text = _one_line(node)
    invisible = _INVISIBLE.search(text)
    if invisible:
        raise node.error(
            f"the student's id holds an invisible character (U+{ord(invisible[0]):04X}: a bidirectional control, "
            "zero-width character or byte-order mark); write the id without it"
        )
    return text


def _one_line(node: Node) -> str:
    """Text that goes into reports and file names: one line, no control characters (no forged report lines)."""
    if not node.is_scalar or _CONTROL.search(node.value):
        raise node.error("expected one line of text, without line breaks or control characters")
    return node.value.strip()

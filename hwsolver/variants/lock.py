"""The lock file: each student's variant of each problem, frozen when it was handed out.

```yaml
hwsolver: 0.1.0                        # the version that drew the variants
assignment: nn-optimization-homework
salt: nn-optimization-homework-1
students:
  PB21000101:
    relu-network-update:
      given: {weights: {W1: [[0.3, -0.7], [0.9, 0.6]], W2: [[0.3, 0.9]]}, activation: relu, x: [0.2, 0.7], ...}
```
Each `given` is the variant's whole given in the problem file's own syntax, numbers exactly as written, so a
variant is solved again from the lock alone: `grade`, `handout` and `sheet` read it and never draw again. The
same roster, assignment and salt give the same file, byte for byte.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from hwsolver import __version__
from hwsolver.errors import HwsolverError, SpecError
from hwsolver.export.roster import key as id_key  # ids compared as people read them, as rosters are
from hwsolver.spec.later import read_apart
from hwsolver.spec.node import LATER, Node, join
from hwsolver.spec.problems import display_name
from hwsolver.spec.reader import parse_text, read_text
from hwsolver.variants.nodes import flow, written

MAX_BYTES = 200_000_000  # a class of 10,000 with the whole homework each writes about 15 MB
_HEADER = (
    "# hwsolver variants lock: each student's numbers as handed out. `hwsolver grade --lock`, `handout --lock`\n"
    "# and `sheet --lock` read this file and never draw again; keep it with the grades.\n"
)


@dataclass(frozen=True)
class Lock:
    version: str
    assignment: str
    salt: str
    source: str
    students: Mapping[str, Givens]  # student id -> problem id -> its given (in the lock)
    by_key: Mapping[str, str]  # an id as people compare ids (case, full-width letters) -> the id in the lock

    def student(self, student: str) -> str | None:
        """The lock's id for a submission's student id: the same, else the one that differs only in case,
        full-width letters or surrounding spaces."""
        return student if student in self.students else self.by_key.get(id_key(student))


def lock_text(assignment: str, salt: str, students: Sequence[tuple[str, Mapping[str, Node]]]) -> str:
    """The lock file's text (deterministic: the same inputs give the same bytes)."""
    lines = [_HEADER, f"hwsolver: {written(__version__)}\n", f"assignment: {written(assignment)}\n"]
    lines.append(f"salt: {written(salt)}\nstudents:\n")
    for student, problems in students:
        lines.append(f"  {written(student)}:\n")
        for problem, given in problems.items():
            lines.append(f"    {written(problem)}:\n      given: {flow(given)}\n")
    return "".join(lines)


class Givens(Mapping[str, Node]):
    """One student's variants by problem id: each given read from the lock when first asked for (a class of
    10,000 is read whole once, and each student's numbers built by the worker that grades them)."""

    def __init__(self, entries: dict[str, Node]) -> None:
        self.entries = entries

    def __getitem__(self, problem: str) -> Node:
        # read into a node of its own, the lock's left unbuilt: a class's numbers, each read once by the worker that
        # grades the student, would otherwise stay in memory (and in the collector's way) for the whole run
        return read_apart(self.entries[problem]).fields(("given",))["given"]

    def raw(self, problem: str) -> str | None:
        """The problem's entry as the lock writes it, not read (equal texts: the same variant); None if absent."""
        entry = self.entries.get(problem)
        return None if entry is None else entry.source

    def __iter__(self) -> Iterator[str]:
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)


def read_lock(path: str | Path) -> Lock:
    """A lock file, checked for its shape down to each variant (whose given is read and checked when first
    used: the positions of its messages stay true)."""
    name = display_name(path)
    text = read_text(path, name, MAX_BYTES)
    found = _as_written(text, name)
    if found is not None:
        return found
    root = parse_text(text, name, max_bytes=MAX_BYTES, lazy_below=3)
    fields = root.fields(("hwsolver", "assignment", "salt", "students"))
    students: dict[str, Givens] = {}
    for student, entry in fields["students"].mapping().items():
        students[student] = Givens(entry.mapping())
    return _lock(fields, root.file, students)


def _lock(fields: Mapping[str, Node], source: str, students: dict[str, Givens]) -> Lock:
    by_key: dict[str, str] = {}
    for student in students:
        by_key.setdefault(id_key(student), student)
    return Lock(
        version=fields["hwsolver"].text(),
        assignment=fields["assignment"].text(),
        salt=fields["salt"].text(),
        source=source,
        students=students,
        by_key=by_key,
    )


# A lock as lock_text writes it, after its head: each student's id, and each problem's given on one line.
_PLAIN = r"[A-Za-z0-9_][A-Za-z0-9_.-]*"  # a key written without quotes that YAML reads as the same text
_STUDENT = re.compile(rf"  ({_PLAIN}):\n")
_ENTRY = re.compile(rf"    ({_PLAIN}):\n      (given: \{{[^\n]*\}}\n)( *)")
_STUDENTS = "\nstudents:\n"


def _as_written(text: str, name: str) -> Lock | None:
    """The lock read the quick way, when its text is laid out as lock_text writes it: the students' entries
    found line by line, each given's text kept unread (as the YAML reader leaves it, read_file's `lazy_below`)
    for the worker that grades its student, which reads it where it stands. A class of 10,000 is read in a
    tenth of the time, before any grading can start. None for any other text (edited by hand, a duplicate):
    the YAML reader reads that, and says what is wrong, if anything."""
    split = text.find(_STUDENTS)
    if split < 0:
        return None
    head = text[: split + len(_STUDENTS)]
    try:
        fields = parse_text(head, name).fields(("hwsolver", "assignment", "salt", "students"))
    except SpecError:
        return None
    students: dict[str, Givens] = {}
    line, at, end = head.count("\n") + 1, len(head), len(text)
    while at < end:
        student = _STUDENT.match(text, at)
        if student is None or student[1] in students:
            return None
        at, line, entries = student.end(), line + 1, {}
        path = join("students", student[1])
        while (entry := _ENTRY.match(text, at)) is not None:
            if entry[1] in entries:
                return None
            # the node the YAML reader leaves unbuilt: the problem's mapping, from `given` to the next key
            entries[entry[1]] = Node(LATER, name, line + 1, 7, path, entry[1], True, entry[2] + entry[3])
            at, line = entry.end(2), line + 2
        if not entries:
            return None
        students[student[1]] = Givens(entries)
    return _lock(fields, name, students) if students else None  # none: the YAML reader says so


def check_lock(lock: Lock, assignment: str | None, problems: Sequence[str]) -> None:
    """The lock must be the assignment's, and know only its problems."""
    if assignment is None:
        raise HwsolverError(f"{lock.source}: a lock goes with its assignment ('{lock.assignment}'): name its file")
    if lock.assignment != assignment:
        raise HwsolverError(
            f"{lock.source}: this lock is for assignment '{lock.assignment}', not '{assignment}': name its file"
        )
    for entries in lock.students.values():
        for problem in entries:
            if problem not in problems:
                raise entries.entries[problem].error(f"the assignment '{assignment}' has no problem '{problem}'")

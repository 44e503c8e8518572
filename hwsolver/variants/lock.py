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

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from hwsolver import __version__
from hwsolver.errors import HwsolverError
from hwsolver.export.roster import key as id_key  # ids compared as people read them, as rosters are
from hwsolver.spec.later import read_apart
from hwsolver.spec.node import Node
from hwsolver.spec.problems import display_name
from hwsolver.spec.reader import read_file
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
    root = read_file(path, display_name(path), max_bytes=MAX_BYTES, lazy_below=3)
    fields = root.fields(("hwsolver", "assignment", "salt", "students"))
    students: dict[str, Givens] = {}
    by_key: dict[str, str] = {}
    for student, entry in fields["students"].mapping().items():
        students[student] = Givens(entry.mapping())
        by_key.setdefault(id_key(student), student)
    return Lock(
        version=fields["hwsolver"].text(),
        assignment=fields["assignment"].text(),
        salt=fields["salt"].text(),
        source=root.file,
        students=students,
        by_key=by_key,
    )


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

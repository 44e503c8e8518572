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

    __slots__ = ("_entries", "_keys", "_texts", "_written")

    def __init__(self, entries: dict[str, Node] | _Block) -> None:
        self._entries = entries
        self._keys = entries.problems if isinstance(entries, _Block) else tuple(entries)
        self._texts: dict[str, str] | None = None  # each entry's text, made without a node where the lock is
        self._written = isinstance(entries, _Block)  # laid out as lock_text writes it

    @property
    def entries(self) -> dict[str, Node]:
        """Each problem's entry, the node the YAML reader leaves unbuilt (a lock as written: made at first use)."""
        if isinstance(self._entries, _Block):
            self._entries = self._entries.entries(self.texts)
        return self._entries

    @property
    def texts(self) -> dict[str, str]:
        """Each problem's entry as the lock writes it, not read."""
        if self._texts is None:
            block = self._entries
            self._texts = block.texts() if isinstance(block, _Block) else {p: e.source for p, e in block.items()}
        return self._texts

    def __getitem__(self, problem: str) -> Node:
        # read into a node of its own, the lock's left unbuilt: a class's numbers, each read once by the worker that
        # grades the student, would otherwise stay in memory (and in the collector's way) for the whole run
        return read_apart(self.entries[problem]).fields(("given",))["given"]

    def raw(self, problem: str) -> str | None:
        """The problem's entry as the lock writes it, not read (equal texts: the same variant); None if absent."""
        return self.texts.get(problem)

    def flow(self, problem: str) -> str | None:
        """The problem's given as the flow text lock_text wrote (`{x: [0.2, 0.7], ...}`), not read, where the lock
        is laid out as written (_as_written); None for an entry of a lock the YAML reader read, and for a problem
        the student's entries do not hold."""
        if not self._written or problem not in self._keys:
            return None
        text = self.texts[problem]
        return text[len("given: ") : text.index("\n")]  # (_ENTRY's match: `given: {...}` on one line)

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)


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


# A lock as lock_text writes it, after its head: each student's id, then each problem's given on one line.
_PLAIN = r"[A-Za-z0-9_][A-Za-z0-9_.-]*"  # a key written without quotes that YAML reads as the same text
_STUDENT = re.compile(rf"  ({_PLAIN}):\n((?:    {_PLAIN}:\n      given: \{{[^\n]*\}}\n)+)")
_KEY = re.compile(rf"\n    ({_PLAIN}):\n")  # from the line before, for re's quick search of its start
_ENTRY = re.compile(rf"    ({_PLAIN}):\n      (given: \{{[^\n]*\}}\n)( *)")
_STUDENTS = "\nstudents:\n"


def _as_written(text: str, name: str) -> Lock | None:
    """The lock read the quick way, when its text is laid out as lock_text writes it: each student's entries
    found in one match, their problems' keys listed, and the entries themselves left to the worker that grades
    the student (_Block), each given's text unread (as the YAML reader leaves it, read_file's `lazy_below`). A
    class of 10,000 is read in a thirtieth of the time, before any grading can start. None for any other text
    (edited by hand, a duplicate): the YAML reader reads that, and says what is wrong, if anything."""
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
        keys = tuple(_KEY.findall(text, student.start(2) - 1, student.end(2)))
        if len(set(keys)) < len(keys):
            return None
        students[student[1]] = Givens(_Block(text, student.start(2), line + 1, name, student[1], keys))
        at, line = student.end(), line + 1 + 2 * len(keys)
    return _lock(fields, name, students) if students else None  # none: the YAML reader says so


class _Block:
    """A student's entries in a lock as written (checked by _as_written's match), made when first used."""

    __slots__ = ("at", "line", "name", "problems", "student", "text")

    def __init__(self, text: str, at: int, line: int, name: str, student: str, problems: tuple[str, ...]) -> None:
        self.text, self.at, self.line, self.name, self.student = text, at, line, name, student
        self.problems = problems  # the problems' keys, in order

    def texts(self) -> dict[str, str]:
        """Each problem's entry, `given: {...}` to the next key's indentation (as the YAML reader leaves it)."""
        texts, at = {}, self.at
        for _ in self.problems:
            entry = _ENTRY.match(self.text, at)
            assert entry is not None  # the student's match read these very lines
            texts[entry[1]] = entry[2] + entry[3]
            at = entry.end(2)
        return texts

    def entries(self, texts: dict[str, str]) -> dict[str, Node]:
        """The entries' nodes, each the problem's mapping left unbuilt, where it stands in the file."""
        entries, line, path = {}, self.line, join("students", self.student)
        for problem, text in texts.items():
            entries[problem] = Node(LATER, self.name, line + 1, 7, path, problem, True, text)
            line += 2
        return entries


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

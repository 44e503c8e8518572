"""`hwsolver assign`: every student of a roster gets a variant of every problem of an assignment, frozen in a lock;
and the variants one student has, from a lock or drawn afresh (the same numbers either way)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from hwsolver.errors import HwsolverError
from hwsolver.export.roster import key as id_key
from hwsolver.export.roster import read_roster
from hwsolver.model import Problem
from hwsolver.spec.assignments import Assignment
from hwsolver.spec.node import Node
from hwsolver.variants.drawing import ProblemVariants
from hwsolver.variants.lock import Lock, check_lock, lock_text


def roster_ids(path: str | Path, column: str = "student") -> list[str]:
    """The student ids of a roster CSV (the column `column`), in its order; each id once."""
    roster = read_roster(path)
    name = roster.column(column)
    if name is None:
        raise HwsolverError(
            f"{roster.source}: no column '{column}' (its columns: {', '.join(roster.header)}); --id-column names it"
        )
    ids, seen = [], set()
    for number, row in enumerate(roster.rows, start=1):
        student = row.get(name, "").strip()
        if not student:
            raise HwsolverError(f"{roster.source}: student {number} (in the roster's order) has no id in '{name}'")
        if id_key(student) in seen:
            raise HwsolverError(f"{roster.source}: student '{student}' is listed twice")
        seen.add(id_key(student))
        ids.append(student)
    if not ids:
        raise HwsolverError(f"{roster.source}: no students (expected a header row, then one row per student)")
    return ids


def salt_of(assignment: Assignment) -> str:
    if assignment.id is None:
        raise HwsolverError("variants need an assignment file (with its id and salt), not loose problem files")
    if not assignment.salt:
        raise HwsolverError(f"{assignment.source}: no salt: add `salt:` (any text; a new one draws new variants)")
    return assignment.salt


def assign(assignment: Assignment, students: Sequence[str], progress: Callable[[int], None] | None = None) -> str:
    """The lock file's text: each student's variant of each problem."""
    salt = salt_of(assignment)
    makers = [ProblemVariants(entry) for entry in assignment.entries]
    drawn = []
    for student in students:
        drawn.append((student, {m.entry.problem.id: m.draw(salt, student).given for m in makers}))
        if progress:
            progress(1)
    return lock_text(assignment.id or "", salt, drawn)


def student_problems(assignment: Assignment, student: str, lock: Lock | None = None) -> list[Problem]:
    """One student's problems in the assignment's order: their variants as the lock froze them, or else drawn."""
    makers = [ProblemVariants(entry) for entry in assignment.entries]
    if lock is None:
        salt = salt_of(assignment)
        return [m.draw(salt, student).problem for m in makers]
    check_lock(lock, assignment.id, [m.entry.problem.id for m in makers])
    found = lock.student(student)
    if found is None:
        raise HwsolverError(f"{lock.source}: no student '{student}' in this lock")
    return [locked(m, lock.students[found].get(m.entry.problem.id), student, lock) for m in makers]


def locked(maker: ProblemVariants, given: Node | None, student: str, lock: Lock) -> Problem:
    """A problem as the lock gives it to a student (as written, for a problem without variants)."""
    if given is None:
        if maker.varies:
            raise HwsolverError(f"{lock.source}: student '{student}' has no variant of {maker.entry.problem.id}")
        return maker.entry.problem
    return maker.build(given)

"""Per-student variants and `hwsolver mine`: a shared wrong answer is one to the same numbers, and a `mistakes:`
block is written for the problem as written, so only the answers to the problem as written are mined. A class
graded with a lock (`grade --lock`) is mined with the same lock, which tells who answered the problem as written.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from hwsolver.spec.sets import load_set

OnWritten = Callable[[str | None, str], bool]  # (student id, problem id) -> answered the problem as written


def varied(problems: Sequence[str | Path]) -> tuple[str, ...]:
    """The problems of the set that vary per student (`vary:`)."""
    return tuple(entry.problem.id for entry in load_set(problems).entries if "vary" in entry.root.mapping())


def on_written(lock_path: str | Path, problems: Sequence[str | Path]) -> OnWritten:
    """Whether a student's variant of a problem, in the lock, is the problem as written (not varied, or drawn
    with the numbers as written); a student the lock does not know was not graded."""
    from hwsolver.variants.lock import check_lock, read_lock
    from hwsolver.variants.nodes import flow

    assignment = load_set(problems)
    lock = read_lock(lock_path)
    check_lock(lock, assignment.id, [entry.problem.id for entry in assignment.entries])
    written = {entry.problem.id: flow(entry.root.mapping()["given"]) for entry in assignment.entries}

    def answered_as_written(student: str | None, problem_id: str) -> bool:
        found = lock.student(student) if student is not None else None
        if found is None:
            return False
        given = lock.students[found].get(problem_id)
        return given is None or given.source == written[problem_id]

    return answered_as_written

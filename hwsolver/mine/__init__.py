"""After grading: the wrong answers a class shares that no mistake explains, found for the lecturer.

From a grading run's JSON (each part keeps the answer as written): the wrong answers no mistake explains
(collect.py), grouped by value or by equivalence (groups.py); for each group of at least `min_students`, what may
explain it (explain.py: a mistake the grader could not name, two mistakes together, a sign, a factor, a
transposition, one entry); the unexplained ones as a `mistakes:` block for the problem file (block.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["Found", "Mining", "mine"]

MIN_STUDENTS = 3


@dataclass(frozen=True)
class Found:
    """A group of students sharing a wrong answer, what explains it, and its mistake in the block if nothing does."""

    group: Any  # groups.Group
    explanations: tuple[Any, ...]  # explain.Explanation
    mistake: str | None


@dataclass(frozen=True)
class Mining:
    found: tuple[Found, ...]  # by problem, part (in the problems' order), then largest group first
    blocks: dict[str, str]  # problem id -> its `mistakes:` block (problems with unexplained groups only)
    min_students: int
    submissions: int  # graded (files that could not be graded are left out)
    not_kept: int  # wrong answers the JSON does not hold whole
    unreadable: int  # wrong answers that no longer read
    other_variants: int  # wrong answers to other numbers than the problem's as written (with a lock)
    varied: tuple[str, ...]  # problems that vary per student, mined without a lock (as if graded as written)


def mine(
    grades: str | Path,
    problems: Sequence[str | Path] = (),
    *,
    min_students: int = MIN_STUDENTS,
    lock: str | Path | None = None,
) -> Mining:
    """The shared wrong answers of a grading run's JSON, against the problems it graded (default: built-in); with
    the `lock` it was graded with (given, or recorded by `grade --lock`), those to the problems as written."""
    from hwsolver.grading.lecturer import GRADER_MISTAKES
    from hwsolver.grading.prepared import prepare
    from hwsolver.mine.block import mistakes_block, propose
    from hwsolver.mine.collect import collect
    from hwsolver.mine.explain import Explainer
    from hwsolver.mine.groups import group_answers
    from hwsolver.mine.variants import on_written, varied
    from hwsolver.report.grades import graded_problems, read_grades, recorded_lock
    from hwsolver.solving import solve

    graded = read_grades(grades)
    lock = lock or recorded_lock(grades)
    known = graded_problems(grades, graded, problems)
    asked = {p.id for g in graded for p in g.problems}
    prepared = {p.problem.id: p for p in prepare([solve(known[i]) for i in known if i in asked])}
    collected = collect(str(grades), graded, prepared, on_written(lock, problems) if lock is not None else None)
    found: list[Found] = []
    blocks: dict[str, str] = {}
    for problem_id, ready in prepared.items():
        explainer = Explainer(ready)
        shared = [
            (group, explainer.explain(part, group.value))
            for part in ready.parts
            for group in group_answers(problem_id, part, collected.answers.get((problem_id, part.part.id), []))
            if group.size >= min_students
        ]
        taken = {*explainer.kind.credits, *GRADER_MISTAKES, *(m.id for m in ready.mutants)}
        proposed = propose([group for group, explanations in shared if not explanations], taken)
        named = {id(group): mistake.id for mistake in proposed for group in mistake.groups}
        found += [Found(group, explanations, named.get(id(group))) for group, explanations in shared]
        if proposed:
            blocks[problem_id] = mistakes_block(ready.problem, proposed)
    submissions = sum(1 for g in graded if g.error is None)
    unlocked = tuple(p for p in varied(problems) if p in asked) if lock is None else ()
    return Mining(
        tuple(found),
        blocks,
        min_students,
        submissions,
        collected.not_kept,
        collected.unreadable,
        collected.other_variants,
        unlocked,
    )

"""Grading submissions: find them (files.py), read (submission.py, answers.py), compare (checkers.py,
formulas.py), score (grader.py), many at once (batch.py, workers.py), and report (reports.py, outputs.py)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hwsolver.grading.results import PartResult, ProblemResult, SubmissionResult

if TYPE_CHECKING:
    from hwsolver.spec.assignments import Assignment

__all__ = ["PartResult", "ProblemResult", "SubmissionResult", "grade"]


def grade(
    submissions: Sequence[str],
    problems: Sequence[str | Path] | Assignment = (),
    *,
    jobs: int | None = None,
    progress: Callable[[int], None] | None = None,
    on_files: Callable[[int], None] | None = None,
    finish: Callable[..., Any] | None = None,
    follow_links: bool = False,
    file_seconds: float | None = None,
    notice: Callable[[str], None] | None = None,
    choose: Callable[..., Any] | None = None,
) -> tuple[list[Any], list[Any]]:
    """Grade submission files/folders against problems (default: the built-in homework; or a set already read by
    spec.sets.load_set): (results, prepared).

    `finish(result, prepared)`, when given, runs in the worker on each result and its value is returned instead;
    `notice` is called with each line the lecturer should read (files left out, a student id claimed twice);
    `choose(student, prepared)` gives each student's own problems (per-student variants, workers.Choose).
    """
    from hwsolver.grading.batch import FILE_SECONDS, grade_all
    from hwsolver.grading.files import submission_files
    from hwsolver.grading.prepared import prepare
    from hwsolver.solving import solve
    from hwsolver.spec.assignments import Assignment
    from hwsolver.spec.sets import load_set

    assignment = problems if isinstance(problems, Assignment) else load_set(problems)
    prepared = prepare([solve(entry.problem) for entry in assignment.entries])
    found = submission_files(submissions, follow_links)
    say = notice or (lambda line: None)
    for line in found.unreadable:
        say(line)
    if found.hidden:
        say(f"left out {found.hidden} hidden or archive-debris file{'s' if found.hidden > 1 else ''} (.*, __MACOSX/)")
    if on_files:
        on_files(len(found.sources))
    options: dict[str, Any] = {"finish": finish} if finish else {}
    if choose is not None:
        options["choose"] = choose
    seconds = FILE_SECONDS if file_seconds is None else file_seconds
    results = grade_all(
        found.sources, prepared, jobs=jobs, progress=progress, file_seconds=seconds, notice=notice, **options
    )
    return results, prepared

"""Grading submissions: read (submission.py, answers.py), compare (checkers.py, formulas.py), score (grader.py),
many at once (batch.py), and report (reports.py)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from hwsolver.grading.results import PartResult, ProblemResult, SubmissionResult

__all__ = ["PartResult", "ProblemResult", "SubmissionResult", "grade"]


def grade(
    submissions: Sequence[str],
    problems: Sequence[str | Path] = (),
    *,
    jobs: int | None = None,
    progress: Callable[[int], None] | None = None,
    on_files: Callable[[int], None] | None = None,
    finish: Callable[..., Any] | None = None,
) -> tuple[list[Any], list[Any]]:
    """Grade submission files/folders against problems (default: the built-in set): (results, prepared).

    `finish(result, prepared)`, when given, runs in the worker on each result and its value is returned instead.
    """
    from hwsolver.grading.batch import grade_all, submission_files
    from hwsolver.grading.prepared import prepare
    from hwsolver.solving import solve_paths

    prepared = prepare(solve_paths(problems))
    files = submission_files(submissions)
    if on_files:
        on_files(len(files))
    options = {"finish": finish} if finish else {}
    return grade_all(files, prepared, jobs=jobs, progress=progress, **options), prepared

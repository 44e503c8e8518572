"""`hwsolver sheet`: for every student of a lock, their problem sheet and the submission template beside it."""

from __future__ import annotations

from collections.abc import Iterator

from hwsolver.grading.names import feedback_names
from hwsolver.handout.precision import precision_text
from hwsolver.handout.sheet import Sheet, render_sheet, submission_template
from hwsolver.model import LANGUAGES
from hwsolver.spec.assignments import Assignment
from hwsolver.variants.assign import student_problems
from hwsolver.variants.lock import Lock


def sheets(assignment: Assignment, lock: Lock, fmt: str, lang: str) -> Iterator[tuple[str, str, str]]:
    """(file name without extension, the sheet, the submission template) for each student of the lock, in its
    order; file names as feedback files have them (the student id, made safe and unique)."""
    from hwsolver.solving import solve

    # which answers are numbers, and so the precision sentence, is the same in every variant of a problem
    precision = {}
    for entry in assignment.entries:
        solution = solve(entry.problem)
        precision[entry.problem.id] = {language: precision_text(solution, language) for language in LANGUAGES}
    numbers = [entry.number for entry in assignment.entries]
    students = list(lock.students)
    for name, student in zip(feedback_names(students), students):
        sheet = Sheet(
            title=assignment.title,
            due=assignment.due,
            student=student,
            problems=student_problems(assignment, student, lock),
            numbers=numbers,
            precision=precision,
            template_file=f"{name}.yaml",
        )
        yield name, render_sheet(sheet, fmt, lang), submission_template(sheet, lang)

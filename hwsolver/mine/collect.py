"""The wrong answers no mistake explains, from a grading run's JSON: per part, each distinct answer text with the
students who wrote it, read again as the grader read it (YAML through spec/, formulas through hwsolver.expr).

An answer is one of them when it lost points (incorrect, or partial credit entry by entry) and the grader named no
mistake and gave no follow-through for it. Answers the JSON does not hold whole (shortened, or from a file graded
before answers were kept) and answers that no longer read are counted, not mined.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from hwsolver.errors import HwsolverError
from hwsolver.grading.answers import InvalidAnswer, read_answer
from hwsolver.grading.display import shown_path
from hwsolver.grading.prepared import PreparedPart, PreparedProblem
from hwsolver.grading.written import is_whole
from hwsolver.report.grades import Graded
from hwsolver.spec.reader import parse_text

WRONG = ("incorrect", "partial")


@dataclass(frozen=True)
class Answer:
    """One distinct answer text of one part, read, and who wrote it."""

    text: str
    value: Any
    students: tuple[str, ...]


@dataclass
class Collected:
    """The unexplained wrong answers by (problem id, part id), and what could not be looked at."""

    answers: dict[tuple[str, str], list[Answer]] = field(default_factory=dict)
    not_kept: int = 0  # wrong answers the JSON does not hold whole
    unreadable: int = 0  # wrong answers that no longer read as answers (another version of the problem?)
    other_variants: int = 0  # wrong answers to a student's own numbers (a lock's variant), not the problem's


def collect(
    path: str,
    graded: Sequence[Graded],
    prepared: Mapping[str, PreparedProblem],
    on_written: Callable[[str | None, str], bool] | None = None,
) -> Collected:
    """The wrong answers of every graded part that no mistake explains, each distinct text read once; with
    `on_written` (a lock's), only those to the problems as written."""
    texts: dict[tuple[str, str], dict[str, list[str]]] = {}
    found = Collected()
    candidates = 0
    for submission in graded:
        if submission.error is not None:
            continue
        who = submission.student or submission.file
        for problem in submission.problems:
            for part in problem.parts:
                if part.verdict not in WRONG or part.mistake or part.follow_through:
                    continue
                candidates += 1
                if on_written is not None and not on_written(submission.student, problem.id):
                    found.other_variants += 1
                    continue
                if part.answer is None or not is_whole(part.answer):
                    found.not_kept += 1
                    continue
                texts.setdefault((problem.id, part.id), {}).setdefault(part.answer, []).append(who)
    if candidates and found.not_kept == candidates - found.other_variants:
        raise HwsolverError(
            f"{shown_path(path)}: the parts hold no `answer` (graded by an older hwsolver): grade the class again"
        )
    for (problem_id, part_id), written in texts.items():
        prepared_part = prepared[problem_id].by_id[part_id]
        answers = []
        for text, students in written.items():
            value = _read(text, prepared_part)
            if value is _UNREADABLE:
                found.unreadable += len(students)
            else:
                answers.append(Answer(text, value, tuple(sorted(set(students)))))
        # the commonest first, then by text: the order grouping takes them in (each group named after its first)
        found.answers[(problem_id, part_id)] = sorted(answers, key=lambda a: (-len(a.students), a.text))
    return found


_UNREADABLE = object()


def _read(text: str, part: PreparedPart) -> Any:
    """The answer as the grader read it, or _UNREADABLE."""
    try:
        node = parse_text(text, "answer")
        return read_answer(node, part.reference, part.formulas, part.tolerance.positions)
    except (HwsolverError, InvalidAnswer):
        return _UNREADABLE

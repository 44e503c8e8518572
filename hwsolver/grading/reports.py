"""Grading results out: one JSON document, a readable text report, gradebook rows, feedback pages. Every piece
of text a student controls is shown through display.shown: one line, nothing invisible."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from pathlib import Path
from typing import Any

from hwsolver.grading.display import shown, shown_path
from hwsolver.grading.late import with_late
from hwsolver.grading.prepared import PreparedProblem
from hwsolver.grading.results import VERDICTS, PartResult, ProblemResult, SubmissionResult
from hwsolver.memo import Bounded
from hwsolver.render import render
from hwsolver.spec.deadlines import Deadline


def points(value: Fraction) -> int | float:
    """Points as a JSON number: 3, 2.5, or 0.8889 for 8/9 (per-entry credit: shown to 4 decimals)."""
    return int(value) if value.denominator == 1 else float(round(value, 4))


def submission_record(r: SubmissionResult) -> dict[str, Any]:
    """One submission as the JSON document describes it (submission_json writes the same, faster)."""
    return {
        "file": shown_path(r.file),
        "student": r.student,
        "score": points(r.final_score),  # after any late deduction: what exports and old readers take
        "max_score": points(r.max_score),
        **late_record(r),
        "error": _shown(r.error),
        "problems": [
            {
                "id": p.id,
                "score": points(p.score),
                "max_score": points(p.max_score),
                "parts": [part_record(one) for one in p.parts],
            }
            for p in r.problems
        ],
        "warnings": [shown(w) for w in r.warnings],
    }


def late_record(r: SubmissionResult) -> dict[str, Any]:
    """The raw score and what lateness took from it (days_late 0 and no deduction without a due date or time)."""
    submitted = r.late.submitted if r.late is not None else r.submitted
    return {
        "raw_score": points(r.score),
        "submitted": submitted.isoformat() if submitted is not None else None,
        "days_late": r.late.days if r.late is not None else 0,
        "late_deduction": points(r.late.deduction) if r.late is not None else 0,
    }


def part_record(part: PartResult) -> dict[str, Any]:
    return {
        "id": part.id,
        "score": points(part.score),
        "max_score": points(part.max_score),
        "verdict": part.verdict,
        "feedback": shown(part.feedback),
        "feedback_without_expected": shown(part.hint),
        "mistake": part.mistake,
        "follow_through": part.follow_through,
        "answer": _shown(part.answer),  # as written, on one line that reads back as the answer (written.py)
    }


_string = json.encoder.encode_basestring  # how json.dumps(..., ensure_ascii=False) writes a str


def _number(value: Fraction) -> str:
    return repr(points(value))  # an int or a finite float: as json.dumps writes them


def _optional(text: str | None) -> str:
    return "null" if text is None else _string(text)


def submission_json(r: SubmissionResult) -> str:
    """The text of json.dumps(submission_record(r), ensure_ascii=False), written directly (a benchmark's class of
    10,000 students spent more on walking the record than on its text), each part's record encoded once."""
    late = late_record(r)
    problems = ", ".join([_problem_json(p) for p in r.problems])
    warnings = ", ".join([_string(shown(w)) for w in r.warnings])
    return (
        f'{{"file": {_string(shown_path(r.file))}, "student": {_optional(r.student)}, '
        f'"score": {_number(r.final_score)}, "max_score": {_number(r.max_score)}, '
        f'"raw_score": {late["raw_score"]!r}, "submitted": {_optional(late["submitted"])}, '
        f'"days_late": {late["days_late"]!r}, "late_deduction": {late["late_deduction"]!r}, '
        f'"error": {_optional(_shown(r.error))}, "problems": [{problems}], "warnings": [{warnings}]}}'
    )


def _problem_json(p: ProblemResult) -> str:
    parts = ", ".join([_part_json(one) for one in p.parts])
    return (
        f'{{"id": {_string(p.id)}, "score": {_number(p.score)}, "max_score": {_number(p.max_score)}, '
        f'"parts": [{parts}]}}'
    )


# Each part's text by the PartResult itself (its id, with the result kept alive so that the id is not reused): the
# grader hands one PartResult to every student who wrote the same answer, so a class without variants finds nearly
# all here, and a part seen once costs no hashing of its fields by value (a class with per-student variants).
_PARTS: Bounded[int, tuple[PartResult, str]] = Bounded(65_536)


def _part_json(part: PartResult) -> str:
    found = _PARTS.get(id(part))
    if found is not None and found[0] is part:
        return found[1]
    text = (
        f'{{"id": {_string(part.id)}, "score": {_number(part.score)}, "max_score": {_number(part.max_score)}, '
        f'"verdict": {_string(part.verdict)}, "feedback": {_string(shown(part.feedback))}, '
        f'"feedback_without_expected": {_string(shown(part.hint))}, "mistake": {_optional(part.mistake)}, '
        f'"follow_through": {"true" if part.follow_through else "false"}, "answer": {_optional(_shown(part.answer))}}}'
    )
    return _PARTS.keep(id(part), (part, text))[1]


def json_pieces(records: Sequence[bytes], head: str = "{") -> Iterator[bytes]:
    """The document {"submissions": [...]} as UTF-8 from submissions already encoded (in the workers, in
    parallel), in pieces to be written one after another (joined, a class's tens of megabytes would be copied
    whole, more than once, while the cores wait); `head` opens it (report.grades.lock_head: with the lock graded
    against)."""
    yield (head + '"submissions": [\n').encode()
    for n, record in enumerate(records):
        if n:
            yield b",\n"
        yield record
    yield b"\n]}"


def submission_text(result: SubmissionResult) -> str:
    return render("grade/report.txt.j2", r=result, points=points, part_line=_part_line, shown=_shown, path=shown_path)


@lru_cache(maxsize=65_536)
def _part_line(part: PartResult) -> str:
    return render("grade/report_part.txt.j2", part=part, points=points, shown=shown)


# What the class summary needs of one submission: its score and max (score None: not graded), and each part's
# (problem id, part id, verdict, mistake).
Tally = tuple[Fraction | int | None, Fraction | int, tuple[tuple[str, str, str, str | None], ...]]


def tally(result: SubmissionResult) -> Tally:
    if result.error is not None:
        return None, result.max_score, ()
    parts = tuple((p.id, part.id, part.verdict, part.mistake) for p in result.problems for part in p.parts)
    return result.final_score, result.max_score, parts


@dataclass(frozen=True)
class PartSummary:
    name: str  # problem.part
    shares: dict[str, float]  # verdict -> share of the graded submissions
    mistake: str | None  # the mistake most often named, and how often
    mistakes: int


@dataclass(frozen=True)
class ClassSummary:
    count: int
    errors: int
    max_score: Fraction | int
    scores: tuple[Fraction | int, ...]  # of the graded submissions, lowest first
    parts: tuple[PartSummary, ...]

    @property
    def mean(self) -> float:
        return float(sum(self.scores)) / len(self.scores)

    @property
    def median(self) -> float:
        middle = len(self.scores) // 2
        return float(self.scores[middle] + self.scores[~middle]) / 2


def class_summary(tallies: Sequence[Tally]) -> ClassSummary:
    """How the class did: scores, and per part the share of each verdict and the commonest named mistake."""
    graded = [t for t in tallies if t[0] is not None]
    verdicts: dict[str, Counter[str]] = {}
    mistakes: dict[str, Counter[str]] = {}
    for _, _, parts in graded:
        for problem_id, part_id, verdict, mistake in parts:
            name = f"{problem_id}.{part_id}"
            verdicts.setdefault(name, Counter())[verdict] += 1
            mistakes.setdefault(name, Counter())
            if mistake:
                mistakes[name][mistake] += 1
    rows = []
    for name, counts in verdicts.items():
        commonest = mistakes[name].most_common(1)
        mistake, times = commonest[0] if commonest else (None, 0)
        rows.append(PartSummary(name, {v: counts[v] / len(graded) for v in VERDICTS}, mistake, times))
    max_score = tallies[0][1] if tallies else 0
    scores = tuple(sorted(t[0] for t in graded))  # type: ignore[type-var]
    return ClassSummary(len(tallies), len(tallies) - len(graded), max_score, scores, tuple(rows))


def summary_text(tallies: Sequence[Tally]) -> str:
    return render("grade/summary.txt.j2", s=class_summary(tallies), verdicts=VERDICTS, points=points)


def gradebook_header(prepared: Sequence[PreparedProblem], late: bool = False) -> list[str]:
    """late: with the raw total, the days late and the deduction after `max` (an assignment with a due date)."""
    header = ["student", "file", "total", "max", *(_LATE_COLUMNS if late else ())]
    for p in prepared:
        header += [p.problem.id, *(f"{p.problem.id}.{part.part.id}" for part in p.parts)]
    return [*header, "error"]


_LATE_COLUMNS = ("raw_total", "days_late", "late_deduction")


def gradebook_row(r: SubmissionResult, prepared: Sequence[PreparedProblem], late: bool = False) -> list[Any]:
    """Student, file, total (after any late deduction), max, [raw total, days late, deduction,] then each problem's
    score and its parts' scores, then the error if any."""
    row: list[Any] = [r.student or "", shown_path(r.file), points(r.final_score), points(r.max_score)]
    if late:
        record = late_record(r)
        row += [record["raw_score"], record["days_late"], record["late_deduction"]]
    graded = {p.id: p for p in r.problems}
    for p in prepared:
        problem = graded.get(p.problem.id)
        scores = {part.id: points(part.score) for part in problem.parts} if problem else {}
        row += [points(problem.score) if problem else 0, *(scores.get(part.part.id, 0) for part in p.parts)]
    return [*row, _shown(r.error) or ""]


def feedback_markdown(
    result: SubmissionResult, prepared: Sequence[PreparedProblem], hide_expected: bool = False
) -> str:
    """One student's feedback page; hide_expected: without the right values (reveal.py)."""
    titles = {p.problem.id: p.problem.title for p in prepared}
    return render(
        "grade/feedback.md.j2",
        result=result,
        titles=titles,
        points=points,
        part_row=lambda part: _part_row(part, hide_expected),
        shown=_shown,
        path=shown_path,
    )


@lru_cache(maxsize=65_536)
def _part_row(part: PartResult, hide_expected: bool) -> str:
    feedback = part.hint if hide_expected else part.feedback
    return render("grade/feedback_part.md.j2", part=part, feedback=feedback, points=points, shown=shown)


def _shown(text: str | None) -> str | None:
    return None if text is None else shown(text)


@dataclass(frozen=True)
class Rendered:
    """One submission's share of every output asked for, rendered in the worker that graded it."""

    who: str
    error: bool  # the file could not be graded
    # the JSON record as UTF-8 (encoded here, in parallel, and passed to the parent as it is written out), or the
    # text report
    document: bytes | str
    row: list[Any] | None = None
    feedback: str | None = None
    tally: Tally | None = None  # for the text format's class summary
    undated: bool = False  # the assignment has a late rule and the file no `submitted:` time


def render_outputs(
    result: SubmissionResult,
    prepared: Sequence[PreparedProblem],
    *,
    fmt: str,
    gradebook: bool,
    feedback: bool,
    hide_expected: bool = False,
    deadline: Deadline | None = None,
) -> Rendered:
    """What the command line prints and writes for one submission (called in the grading worker); `deadline`:
    the assignment's due date and late rule, applied to the submission's recorded time."""
    result = with_late(result, deadline)
    document = submission_json(result).encode() if fmt == "json" else submission_text(result)
    return Rendered(
        who=result.student or Path(shown_path(result.file)).stem,
        error=result.error is not None,
        document=document,
        row=gradebook_row(result, prepared, deadline is not None) if gradebook else None,
        feedback=feedback_markdown(result, prepared, hide_expected) if feedback else None,
        tally=tally(result) if fmt == "text" else None,
        undated=bool(deadline and deadline.rule) and result.error is None and result.submitted is None,
    )

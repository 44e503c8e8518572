"""Grading one submission: every part checked, mistakes named from the kind's mutants, follow-through credit.

Problems are prepared once per run (prepared.py); then each submission costs only reading its answers and
comparing numbers, with answers a class repeats worked out once.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager, nullcontext
from fractions import Fraction
from typing import Any

from hwsolver.errors import SpecError
from hwsolver.grading.answers import InvalidAnswer, read_answer
from hwsolver.grading.checkers import Check, agrees, check, layout, layouts_agree
from hwsolver.grading.formulas import form_problem
from hwsolver.grading.prepared import PreparedPart, PreparedProblem, Seen, part_ids, whole
from hwsolver.grading.results import PartResult, ProblemResult, SubmissionResult
from hwsolver.grading.submission import Submission, read_submission
from hwsolver.model import Mutant, Symbolic
from hwsolver.node import Node

_MEMO_SOURCE = 4096  # answers longer than this are not remembered: a hostile class must not fill the memory
# distinct answers remembered per part: bounded, whatever a hostile class sends
_MEMO_LIMIT = 20_000
_JUDGED_LIMIT = 256  # results remembered per answer, one per combination of the student's earlier answers
_ONE = Fraction(1)


class Overtime(Exception):
    """A part's check ran past its time limit (raised inside the check by the batch runner's timer)."""


# Runs around the reading and the check of one part: the batch runner's timer and progress marker.
Guard = Callable[[str, str], AbstractContextManager[None]]


def _no_guard(problem_id: str, part_id: str) -> AbstractContextManager[None]:
    return nullcontext()


def grade_file(
    path: str,
    prepared: Sequence[PreparedProblem],
    skip: Mapping[tuple[str, str], str] = {},
    guard: Guard = _no_guard,
    seconds: float = 0,
) -> SubmissionResult:
    """Grade one file; a file that cannot be read gets its row with `error` and no problems."""
    try:
        submission = read_submission(path, part_ids(prepared), display=path)
    except SpecError as error:
        return unreadable(path, prepared, str(error))
    return grade_submission(submission, prepared, skip, guard, seconds)


# In `skip`: the whole file is not to be graded (reading it hung or crashed a worker), with the reason.
WHOLE_FILE = ("", "")


def unreadable(path: str, prepared: Sequence[PreparedProblem], error: str) -> SubmissionResult:
    """The row of a file that could not be graded: the reason, a score of 0, no problems."""
    return SubmissionResult(file=path, student=None, error=error, max_score=whole(sum(p.max_score for p in prepared)))


def grade_submission(
    submission: Submission,
    prepared: Sequence[PreparedProblem],
    skip: Mapping[tuple[str, str], str] = {},
    guard: Guard = _no_guard,
    seconds: float = 0,
) -> SubmissionResult:
    """`skip` holds parts already known to be unanswerable (a check that hung), with the reason."""
    results = tuple(grade_problem(p, submission.answers.get(p.problem.id, {}), skip, guard, seconds) for p in prepared)
    return SubmissionResult(
        file=submission.file,
        student=submission.student,
        name=submission.name,
        problems=results,
        max_score=whole(sum(p.max_score for p in prepared)),
        warnings=submission.warnings,
    )


def grade_problem(
    prepared: PreparedProblem,
    answers: Mapping[str, Node],
    skip: Mapping[tuple[str, str], str] = {},
    guard: Guard = _no_guard,
    seconds: float = 0,
) -> ProblemResult:
    problem_id = prepared.problem.id
    seen: dict[str, Seen] = {}
    invalid: dict[str, str] = {}
    overtime = f"this answer took longer than {seconds:g} seconds to check"
    for part in prepared.every:  # read every answer first: later parts' credit may depend on earlier ones
        part_id = part.part.id
        node = answers.get(part_id)
        if node is None or (skip and (problem_id, part_id) in skip):
            continue
        key = _key(node)
        known = part.seen.get(key)
        if known is None:
            if key in part.unreadable:  # garbage a class sends again and again ("idk"): its reason, placed here
                invalid[part_id] = f"{_place(node)}{part.unreadable[key]}"
                continue
            try:
                with guard(problem_id, part_id):
                    known = Seen(key, read_answer(node, part.reference, part.formulas), _written(node))
            except InvalidAnswer as error:
                invalid[part_id] = str(error)
                _remember_unreadable(part, key, node, str(error))
                continue
            except Overtime:
                invalid[part_id] = overtime
                continue
            if len(part.seen) < _MEMO_LIMIT and len(node.source) <= _MEMO_SOURCE:
                part.seen[key] = known
                known.remembered = True
        seen[part_id] = known
    results = []
    for part in prepared.parts:
        part_id = part.part.id
        known = seen.get(part_id)
        if known is not None and known.result is not None:  # the common case: nothing to run
            results.append(known.result)
        elif known is not None:
            try:
                with guard(problem_id, part_id):
                    results.append(_grade_part(prepared, part, known, seen))
            except Overtime:
                results.append(_result(part, "invalid", Fraction(0), overtime, answer=known.written))
        elif part_id in invalid or (problem_id, part_id) in skip:
            why = invalid.get(part_id) or skip[(problem_id, part_id)]
            results.append(_result(part, "invalid", Fraction(0), why, answer=_written(answers.get(part_id))))
        else:
            results.append(_result(part, "missing", Fraction(0), "no answer"))
    return ProblemResult(problem_id, tuple(results))


def _grade_part(prepared: PreparedProblem, part: PreparedPart, known: Seen, seen: Mapping[str, Seen]) -> PartResult:
    _work_out(prepared, part, known)
    assert known.outcome is not None
    if known.outcome.correct or not part.earlier or (not known.candidates and not _may_follow(prepared, part)):
        known.result = _judge(prepared, part, known, seen)  # it depends on this answer alone: the next one is free
        return known.result
    # Otherwise it depends on the student's earlier answers too, which a class also repeats (those remembered:
    # a hostile class's one-off megabyte answers must not be kept alive as part of a context).
    earlier = [seen.get(name) for name in part.earlier]
    if not all(item is None or item.remembered for item in earlier):
        return _judge(prepared, part, known, seen)
    context = tuple(item.key if item else None for item in earlier)
    result = known.judged.get(context)
    if result is None:
        result = _judge(prepared, part, known, seen)
        if len(known.judged) < _JUDGED_LIMIT:
            known.judged[context] = result
    return result


def _work_out(prepared: PreparedProblem, part: PreparedPart, known: Seen) -> None:
    """The answer against the reference, and which slips give it (once per answer text)."""
    if known.outcome is None:
        outcome = _check(known.value, part.reference, part)
        known.candidates = () if outcome.correct else _matching_mutants(prepared, part, known.value)
        known.outcome = outcome  # last: a check stopped by its time limit midway is not taken as done


def _judge(prepared: PreparedProblem, part: PreparedPart, known: Seen, seen: Mapping[str, Seen]) -> PartResult:
    value, outcome, written = known.value, known.outcome, known.written
    assert outcome is not None
    if outcome.correct:
        unformed = form_problem(value, part.form) if part.form else None
        if unformed:  # the check's feedback on a right answer is a note on how it was read (σ read as σ(x))
            feedback = f"{unformed}; {outcome.feedback}" if outcome.feedback else unformed
            return _result(part, _verdict(part.form_credit), part.form_credit, feedback, "wrong_form", answer=written)
        return _result(part, "correct", _ONE, outcome.feedback, answer=written)
    # a slip explains the answer only if the student did not get right a part that slip would have got wrong
    mutant = next((m for m in known.candidates if _consistent(prepared, part, m, seen)), None)
    if mutant is not None and mutant.credit > 0:
        return _result(part, _verdict(mutant.credit), mutant.credit, mutant.feedback, mutant.id, answer=written)
    if _may_follow(prepared, part):
        earlier = {name: item.value for name, item in seen.items() if name in part.earlier}
        for expected in prepared.follow_through(prepared.problem, prepared.solution, part.part.id, earlier):
            if _agrees(value, expected, part):
                feedback = "consistent with your own earlier answers (follow-through credit)"
                credit = part.follow_through_credit
                return _result(part, _verdict(credit), credit, feedback, None, True, written)
    feedback = outcome.feedback
    if mutant is not None:
        feedback = f"{mutant.feedback} ({outcome.feedback})" if outcome.feedback else mutant.feedback
    return _result(
        part, _verdict(outcome.share), outcome.share, feedback, mutant.id if mutant else None, answer=written
    )


def _may_follow(prepared: PreparedProblem, part: PreparedPart) -> bool:
    return prepared.follow_through is not None and part.follow_through_credit > 0


def _check(value: Any, reference: Any, part: PreparedPart) -> Check:
    return check(value, reference, part.tolerance, part.formulas.equivalent)


def _matching_mutants(prepared: PreparedProblem, part: PreparedPart, value: Any) -> tuple[Mutant, ...]:
    """Every classic slip that gives this answer, in the kind's order."""
    laid_out = layout(value)
    found = []
    for mutant, answer, answer_layout in part.slips:
        if mutant.matches is not None and mutant.matches(part.part.id, value):
            found.append(mutant)
        elif answer_layout is not None:  # numbers: compared as laid out, most slips differ at the first one
            if laid_out is not None and layouts_agree(laid_out, answer_layout, part.tolerance):
                found.append(mutant)
        elif answer is not None and _agrees(value, answer, part):
            found.append(mutant)
    return tuple(found)


def _consistent(prepared: PreparedProblem, part: PreparedPart, mutant: Mutant, seen: Mapping[str, Seen]) -> bool:
    """A slip explains a part only if the student's earlier answers do not contradict it: none of them is right
    where this slip would already have made it wrong (right gradients rule out "the gradients came out doubled")."""
    for other in prepared.every:
        name = other.part.id
        if name not in part.earlier or name not in seen or not _changes(prepared, mutant, other):
            continue  # not answered, or the slip does not change this part: it says nothing
        earlier = seen[name]
        if earlier.outcome.correct if earlier.outcome else _agrees(earlier.value, other.reference, other):
            return False
    return True


def _changes(prepared: PreparedProblem, mutant: Mutant, part: PreparedPart) -> bool:
    """Whether the slip changes this part's answer (the same for every student: worked out once)."""
    key = (mutant.id, part.part.id)
    found = prepared.slip_changes.get(key)
    if found is None:
        slipped = mutant.answers.get(part.part.id)
        if isinstance(slipped, Symbolic):
            slipped = part.formulas.parse(slipped.expr)  # compared as the student's formulas are
        found = slipped is not None and not _agrees(slipped, part.reference, part)
        prepared.slip_changes[key] = found
    return found


def _agrees(value: Any, reference: Any, part: PreparedPart) -> bool:
    try:
        return agrees(value, reference, part.tolerance, part.formulas.equivalent)
    except (TypeError, ValueError, KeyError, IndexError):
        return False  # a mutant answer of another shape is simply not this student's mistake


def _verdict(share: Fraction) -> str:
    return "correct" if share >= 1 else "partial" if share > 0 else "incorrect"


def _result(
    part: PreparedPart,
    verdict: str,
    share: Fraction,
    feedback: str,
    mistake: str | None = None,
    follow_through: bool = False,
    answer: str | None = None,
) -> PartResult:
    points = part.points
    score = points if share == 1 else 0 if share == 0 else whole(share * points)
    return PartResult(part.part.id, score, points, verdict, feedback, mistake, follow_through, answer)


def _key(node: Node) -> Any:
    """What the student wrote, without where: the same text reads as the same value. A block collection's text
    means something else at another column, so the column is part of its key."""
    if node.is_scalar:
        return node.source if node.plain else ("quoted", node.source)
    return (node.column, node.source)


def _remember_unreadable(part: PreparedPart, key: Any, node: Node, message: str) -> None:
    """Why an answer cannot be read, kept without its place when the message is about the answer as a whole (one
    about a place inside it, an entry of a matrix, is not kept)."""
    place = _place(node)
    if message.startswith(place) and len(part.unreadable) < _MEMO_LIMIT and len(node.source) <= _MEMO_SOURCE:
        part.unreadable[key] = message[len(place) :]


def _place(node: Node) -> str:
    """How an invalid answer's message starts when it is about the answer as a whole (see answers.read_answer)."""
    return f"{node.line}:{node.column}: {node.path}: "


def _written(node: Node | None) -> str | None:
    """The answer as the student wrote it (shortened), for reports."""
    if node is None:
        return None
    text = " ".join(node.source.split())
    return text if len(text) <= 200 else text[:197] + "..."

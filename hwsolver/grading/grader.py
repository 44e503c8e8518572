"""Grading one submission: every part checked, mistakes named from the kind's mutants (slips.py), follow-through
credit (follow.py).

Problems are prepared once per run (prepared.py); then each submission costs only reading its answers and
comparing numbers, with answers a class repeats worked out once.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager, nullcontext
from fractions import Fraction
from typing import Any

from hwsolver.errors import SpecError
from hwsolver.expr.nodes import NODE_TYPES
from hwsolver.grading.answers import InvalidAnswer, read_answer, read_decimals
from hwsolver.grading.blank import blank, remark
from hwsolver.grading.follow import Memo, basis, follow_through, trivial
from hwsolver.grading.formulas import form_problem
from hwsolver.grading.prepared import PreparedPart, PreparedProblem, Seen, part_ids, whole
from hwsolver.grading.prepared_parts import NOTHING_KEPT
from hwsolver.grading.results import PartResult, ProblemResult, SubmissionResult
from hwsolver.grading.reveal import split
from hwsolver.grading.shares import ONE, ZERO, scaled
from hwsolver.grading.slips import named_slip, work_out
from hwsolver.grading.submission import Submission, read_submission
from hwsolver.grading.written import answer_line
from hwsolver.model import Mutant
from hwsolver.spec.node import Node

_MEMO_SOURCE = 4096  # answers longer than this are not remembered: a hostile class must not fill the memory
# distinct answers remembered per part: bounded, whatever a hostile class sends
_MEMO_LIMIT = 20_000
_JUDGED_LIMIT = 256  # results remembered per answer, one per combination of the student's earlier answers


class Overtime(Exception):
    """A part's check ran past its time limit (raised by the batch runner's timer; its message, if any: why)."""


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
        submitted=submission.submitted,
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
    remarks: dict[str, str] = {}  # a remark in place of an answer ("idk"): no answer, said as written
    for part in prepared.every:  # read every answer first: later parts' credit may depend on earlier ones
        part_id = part.part.id
        # whether the part remembers what the class writes: not for one student's variant, unless it shares the
        # problem as written's memos (prepared.py, Kind.shared_parts)
        keeps = part.seen is not NOTHING_KEPT
        node = answers.get(part_id)
        if node is None or (skip and (problem_id, part_id) in skip):
            continue
        key = _key(node)
        known = part.seen.get(key)  # never a blank one's (those are not remembered)
        if known is None:
            if blank(node):
                continue
            if key in part.unreadable:  # garbage a class sends again and again: its reason, placed here
                invalid[part_id] = f"{_place(node)}{part.unreadable[key]}"
                continue
            try:
                with guard(problem_id, part_id):
                    # plain decimals (most arrays) read with their texts, which then need not be asked again
                    found = read_decimals(node, part.reference, part.tolerance.positions)
                    if found is None:
                        value = read_answer(node, part.reference, part.formulas, part.tolerance.positions)
                        text = answer_line(node)
                    else:
                        value, text = found[0], answer_line(node, found[1])
                    known = Seen(key, value, text)
                    # what stands for it where later work is remembered: its text alone when nothing is
                    known.same = _same(part, key, value) if keeps else key
            except InvalidAnswer as error:
                if (said := remark(node)) is not None:
                    remarks[part_id] = f"no answer ('{said}' is not one)"
                    continue
                invalid[part_id] = str(error)
                if keeps:
                    _remember_unreadable(part, key, node, str(error))
                continue
            except Overtime as error:
                invalid[part_id] = str(error) or _overtime(seconds)
                continue
            if keeps and len(part.seen) < _MEMO_LIMIT and len(node.source) <= _MEMO_SOURCE:
                part.seen[key] = known
                known.remembered = True
        seen[part_id] = known
    results, memo = [], {}
    for part in prepared.parts:
        part_id = part.part.id
        known = seen.get(part_id)
        if known is not None and known.result is not None:  # the common case: nothing to run
            results.append(known.result)
        elif known is not None:
            try:
                with guard(problem_id, part_id):
                    results.append(_grade_part(prepared, part, known, seen, memo))
            except Overtime as error:
                why = str(error) or _overtime(seconds)
                results.append(_result(part, "invalid", ZERO, why, answer=known.written))
        elif part_id in invalid or (problem_id, part_id) in skip:
            why = invalid.get(part_id) or skip[(problem_id, part_id)]
            results.append(_result(part, "invalid", ZERO, why, answer=answer_line(answers.get(part_id))))
        else:
            results.append(_result(part, "missing", ZERO, remarks.get(part_id, "no answer")))
    return ProblemResult(problem_id, tuple(results))


def _grade_part(
    prepared: PreparedProblem, part: PreparedPart, known: Seen, seen: Mapping[str, Seen], memo: Memo
) -> PartResult:
    work_out(prepared, part, known)
    assert known.outcome is not None
    slip = named_slip(prepared, part, known, seen) if known.candidates else None
    if part.seen is NOTHING_KEPT:  # one student's variant: no next student to share the result with
        return _judge(prepared, part, known, seen, memo, slip)
    if known.outcome.correct or not part.earlier or (not known.candidates and not part.routes):
        # it depends on this answer alone: the next student who writes it costs nothing
        known.result = _judge(prepared, part, known, seen, memo, slip)
        return known.result
    # Otherwise it depends on the student's other answers too, as far as they decide which slip stands and what
    # follow-through reads (basis), and those a class also repeats (those remembered: a hostile class's one-off
    # megabyte answers must not be kept alive as part of a context).
    reads = basis(prepared, part, seen, memo)
    if reads is None:
        return _judge(prepared, part, known, seen, memo, slip)
    context = (None if slip is None else known.candidates.index(slip), reads)
    result = known.judged.get(context)
    if result is None:
        result = _judge(prepared, part, known, seen, memo, slip)
        if len(known.judged) < _JUDGED_LIMIT:
            known.judged[context] = result
    return result


def _judge(
    prepared: PreparedProblem,
    part: PreparedPart,
    known: Seen,
    seen: Mapping[str, Seen],
    memo: Memo,
    slip: Mutant | None,
) -> PartResult:
    """The part's result; `slip`: the first of the answer's slips the student's earlier answers leave standing."""
    value, outcome, written = known.value, known.outcome, known.written
    assert outcome is not None
    if outcome.correct:
        unformed = form_problem(value, part.form) if part.form else None
        if unformed:  # the check's feedback on a right answer is a note on how it was read (σ read as σ(x))
            feedback = f"{unformed}; {outcome.feedback}" if outcome.feedback else unformed
            return _result(part, _verdict(part.form_credit), part.form_credit, feedback, "wrong_form", answer=written)
        return _result(part, "correct", ONE, outcome.feedback, answer=written)
    slip_credit = part.credits.get(slip.id, ZERO) if slip else ZERO
    follow = follow_through(prepared, part, known, seen, memo) if part.routes else None
    # one mistake is penalised once, where it was made: a value follow-through credits is never named a slip
    if follow is not None and follow.share >= slip_credit and follow.share > outcome.share:
        share, feedback = follow.share, follow.feedback
        unformed = form_problem(value, part.form) if part.form else None
        if unformed and share > part.form_credit:
            share, feedback = part.form_credit, f"{feedback}; {unformed}"
        return _result(part, _verdict(share), share, feedback, follow.mistake, not follow.exact, written)
    if slip is not None:  # a named slip earns its own credit, not what its entries match by chance
        feedback = f"{slip.feedback} ({outcome.feedback})" if outcome.feedback else slip.feedback
        return _result(part, _verdict(slip_credit), slip_credit, feedback, slip.id, answer=written)
    if outcome.share > 0 and outcome.mistake is None and trivial(prepared, part, known):
        # zeros where the answer has zeros, a routing that ignores the input: entries right by chance, no work
        feedback = f"{outcome.feedback} (no credit for entries an answer that takes no work matches by chance)"
        return _result(part, "incorrect", ZERO, feedback, answer=written)
    # the checker's own named slips (rounded_too_coarsely, transposed) come with their credit in the share
    return _result(part, _verdict(outcome.share), outcome.share, outcome.feedback, outcome.mistake, answer=written)


def _overtime(seconds: float) -> str:
    """Why a part ran out of time when the timer said nothing (said only then: not for every problem graded)."""
    return f"this answer took longer than {seconds:g} seconds to check"


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
    hidden = None
    if feedback:  # a right answer's is mostly empty: nothing to split
        feedback, hint = split(feedback)
        hidden = None if hint == feedback else hint
    points = part.points
    # ONE and ZERO themselves (a right answer's, most wrong ones'): without a Fraction's comparison
    score = points if share is ONE else 0 if share is ZERO else scaled(share, points)
    return PartResult(part.part.id, score, points, verdict, feedback, mistake, follow_through, answer, hidden)


def _key(node: Node) -> Any:
    """What the student wrote, without where: the same text reads as the same value. A block collection's text
    means something else at another column, so the column is part of its key."""
    if node.is_scalar:
        return node.source if node.plain else ("quoted", node.source)
    return (node.column, node.source)


def _same(part: PreparedPart, key: Any, value: Any) -> Any:
    """Seen.same: a formula by what it means (a class's many spellings of a few formulas then share the work of
    the parts that read it: a derivative taken, a recursion worked out), anything else by its text (0.274 and
    0.2740 are not the same answer: figures count)."""
    if not isinstance(value, NODE_TYPES):
        return key
    meaning = part.formulas.meaning(value)
    found = part.meanings.get(meaning)
    if found is None:
        if len(part.meanings) >= _MEMO_LIMIT:
            return key
        found = part.meanings[meaning] = len(part.meanings)
    return found


def _remember_unreadable(part: PreparedPart, key: Any, node: Node, message: str) -> None:
    """Why an answer cannot be read, kept without its place when the message is about the answer as a whole (one
    about a place inside it, an entry of a matrix, is not kept)."""
    place = _place(node)
    if message.startswith(place) and len(part.unreadable) < _MEMO_LIMIT and len(node.source) <= _MEMO_SOURCE:
        part.unreadable[key] = message[len(place) :]


def _place(node: Node) -> str:
    """How an invalid answer's message starts when it is about the answer as a whole (see answers.read_answer)."""
    return f"{node.line}:{node.column}: {node.path}: "

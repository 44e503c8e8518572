"""What grading needs to know about the problems, worked out once per run before any submission is read:
solutions, references as floats, tolerances, formula scopes, the kind's mutants, their credits, and the routes
follow-through may take (for a variant, the slips, routes and rounding allowances on first use: worked.py)."""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any

from hwsolver.grading.checkers import Tolerance
from hwsolver.grading.float_answers import as_floats
from hwsolver.grading.formulas import Formulas
from hwsolver.grading.prepared_parts import NOTHING_KEPT, UNMADE, LaterPart, PreparedPart, PreparedProblem, Seen
from hwsolver.grading.worked import WORK, Worked
from hwsolver.kinds import KINDS
from hwsolver.kinds.base import Kind
from hwsolver.model import Part, Problem, Solution, Symbolic

# read from here too: the records (prepared_parts.py), WORK (tests count the work) and as_floats (kinds' tests)
__all__ = ["WORK", "PreparedPart", "PreparedProblem", "Seen", "as_floats", "part_ids", "prepare", "prepare_variant"]


def prepare(solutions: Sequence[Solution], *, lazy: bool = False) -> list[PreparedProblem]:
    """Everything about the problems that does not depend on a student, computed once; with `lazy`, the slips,
    routes and chain only when a wrong answer first needs them (a per-student variant: most are answered right)."""
    return [_prepared(solution, lazy) for solution in solutions]


def prepare_variant(
    solution: Solution,
    written: PreparedProblem,
    *,
    lazy: bool = True,
    order: tuple[str, ...] | None = None,
    once: bool = False,
) -> PreparedProblem:
    """A variant of the problem `written` prepares (the same kind, parts and options; other numbers): each part's
    set-up that depends on the options alone (tolerance, credits, form, points) is the problem as written's, and
    so are its formula readings wherever the part reads formulas alike (a formula the class writes is then read
    and compared once, whichever variant it answers); references, routes and slips are the variant's own.
    `order`: the kind's parts for the variant's given, where the caller has worked them out (a variant built from
    a lock is checked to have the problem's: ProblemVariants.build). `once`: it is graded for one student alone
    (PreparedProblem.once)."""
    problem = solution.problem
    if order is None:
        order = KINDS[problem.kind].parts_for(problem.given)
    if order != written.order or not _alike(written, problem):
        return _prepared(solution, lazy, written, once)
    # the common case: every part's set-up is the problem as written's, and which routes it keeps
    old = written.worked
    worked = Worked(old.kind, problem, solution, order, old.graded, old.sigfigs, old.kept)
    answers, as_written, options = solution.answers, written.solution.answers, problem.options
    memos = _KEPT_NONE if once else _OWN
    plain = written.plain
    # (a drawn variant has none of the lecturer's own mistakes: a part's slips are then not the problem as written's)
    shared = KINDS[problem.kind].shared_parts if once and problem.mistakes == written.problem.mistakes else ()
    parts = [
        _like(
            other, answers, as_written, options, worked, _memos(other, answers, as_written, shared, memos), plain=plain
        )
        for other in written.parts
    ]
    # a part the problem does not ask is read only where a student answers it anyway: for one student, made then
    extras = [
        _like(other, answers, as_written, options, worked, memos, later=once, plain=plain) for other in written.extras
    ]
    return _problem(solution, parts, extras, worked, written.max_score, lazy, once)


def _alike(written: PreparedProblem, problem: Problem) -> bool:
    """Whether the problem has the kind, options and parts of the problem as written (a variant has its lock
    entry's problem's: compared once, then known by identity)."""
    for options, parts in written.alike:
        if options is problem.options and parts is problem.parts:
            return True
    found = _same_options(written.problem, problem) and written.problem.parts == problem.parts
    if found and len(written.alike) < _ALIKE_KEPT:
        written.alike.append((problem.options, problem.parts))
    return found


_ALIKE_KEPT = 4  # an assignment has the problem once or so: a few kept, not one per variant


def _prepared(
    solution: Solution, lazy: bool, written: PreparedProblem | None = None, once: bool = False
) -> PreparedProblem:
    problem = solution.problem
    kind = KINDS[problem.kind]
    order = kind.parts_for(problem.given)  # the kind's order is the order of computation
    graded = {part.id: part for part in problem.parts}
    worked = Worked(kind, problem, solution, order, graded, Tolerance.from_options(problem.options).sigfigs, {})
    # what depends on the options alone is shared with the problem as written when it has the same options
    like = written.by_id if written is not None and _same_options(written.problem, problem) else {}
    memos = _KEPT_NONE if once else _OWN
    parts, extras = [], []
    for position, part_id in enumerate(order):
        part = graded.get(part_id) or Part(part_id, _NO_POINTS)
        other = like.get(part_id)
        if other is not None and (other.part is part or other.part == part) and other.earlier == order[:position]:
            answers = written.solution.answers
            prepared_part = _like(other, solution.answers, answers, problem.options, worked, memos, plain=written.plain)
        else:
            prepared_part = _prepare_part(kind, problem, solution, part, order[:position], worked, memos)
        (parts if part_id in graded else extras).append(prepared_part)
    spec_order = {part.id: n for n, part in enumerate(problem.parts)}  # ids are unique (spec/problems.py)
    parts.sort(key=lambda p: spec_order[p.part.id])  # reports follow the spec's order
    max_score = whole(sum(whole(part.points) for part in problem.parts))  # problem.max_score, in ints while whole
    return _problem(solution, parts, extras, worked, max_score, lazy, once)


def _problem(
    solution: Solution,
    parts: list[PreparedPart],
    extras: list[PreparedPart],
    worked: Worked,
    max_score: Fraction | int,
    lazy: bool,
    once: bool = False,
) -> PreparedProblem:
    if not lazy:
        worked.now()
    kind = worked.kind
    return PreparedProblem(
        solution.problem,
        solution,
        tuple(parts),
        tuple(extras),
        worked,
        max_score,
        worked.order,
        kind.trivial,
        kind.evidence,
        once,
    )


_NO_POINTS = Fraction(0)  # a part the problem does not ask (an extra)


def _same_options(one: Problem, other: Problem) -> bool:
    return one.kind == other.kind and one.options == other.options


# The memos of a part graded for one student alone (PreparedProblem.once), which are never written: the grader keeps
# nothing for a next student (seen, unreadable, meanings), and Seen.by_meaning stores in trivial and slipped only by
# a formula's meaning, which such a part never numbers (Seen.same stays the answer's key). One empty mapping, read-
# only, for the five (each part of every student's variant made five dicts of its own, never written)
_MEMO_NAMES = ("seen", "unreadable", "meanings", "trivial", "slipped")
_KEPT_NONE = dict.fromkeys(_MEMO_NAMES, NOTHING_KEPT)
_OWN: Mapping[str, Any] = {}  # no memos given: a part makes its own, empty


def _memos(
    other: PreparedPart,
    answers: Mapping[str, Any],
    as_written: Mapping[str, Any],
    shared: tuple[str, ...],
    memos: Mapping[str, Any],
) -> Mapping[str, Any]:
    """The memos of a once-graded variant's part (`memos`, kept nothing), or the problem as written's part's own
    (`other`'s) where every answer to it grades alike in both, which is sure when (1) the kind says the part reads
    no number of the given beyond its reference (Kind.shared_parts: its slips, routes, trivial and evidence), (2)
    the variant's answer is the problem as written's very object (so its reference and formula reading are
    `other`'s: _reference), (3) the part reads no earlier part (its result is its answer's alone: the grader keeps
    it, Seen.result), and (4) the variant has the problem as written's options, parts and lecturer's mistakes
    (prepare_variant's common path: tolerance, credits, form, points and the problem's own slips are `other`'s).
    A class's answers to it are then read, checked and matched with slips once, not once per student (the slips
    an answer matched are the first variant's objects, kept with it in the memo: the same mutants of the same
    formulas)."""
    part_id = other.part.id
    if part_id not in shared or other.earlier or answers[part_id] is not as_written[part_id]:
        return memos
    return {name: getattr(other, name) for name in _MEMO_NAMES}


def _like(
    other: PreparedPart,
    answers: Mapping[str, Any],
    as_written: Mapping[str, Any],
    options: Mapping[str, Any],
    worked: Worked,
    memos: Mapping[str, Any] = _OWN,
    *,
    later: bool = False,
    plain: dict[str, bool] | None = None,
) -> PreparedPart:
    """`other`, the problem as written's part (its answer in `as_written`), with the variant's reference (its
    answer in `answers`, as floats) and work, and its own formula reading where it reads formulas otherwise than
    `other` does; `memos`: its memos by name (else its own, empty). With `later`, its reference and formula reading are
    made when first read (LaterPart). `plain`: as _reference reads it."""
    answer, written = answers[other.part.id], as_written[other.part.id]
    reference, formulas = (UNMADE, UNMADE) if later else _reference(other, answer, written, options, plain)
    made = (LaterPart if later else PreparedPart)(
        other.part,
        reference,
        other.tolerance,
        formulas,
        other.follow_through_credit,
        other.form,
        other.form_credit,
        other.points,
        other.earlier,
        worked,
        **memos,  # (_OWN: built anew, the memos of what the class wrote, seen, ..., are each variant's own)
    )
    if later:
        made.make = lambda: _reference(other, answer, written, options, plain)
    return made


def _reference(
    other: PreparedPart,
    answer: Any,
    written: Any,
    options: Mapping[str, Any],
    plain: dict[str, bool] | None = None,
) -> tuple[Any, Formulas]:
    """The variant's reference for `other`'s part (its answer as floats), and how the part reads formulas. `plain`:
    by part, whether the problem as written's reads formulas as a part whose answer has none does, kept there (told
    at its first variant: PreparedProblem.plain)."""
    formulas = other.formulas
    if answer is written:  # no number of the variant changes it (a formula): `other`'s reading
        return other.reference, formulas
    found: list[Symbolic] = []
    reference = as_floats(answer, found)
    if found:
        own = Formulas.for_part(reference, {**options, **other.part.options})
        return reference, formulas if alike(own, formulas) else own
    reads_none = None if plain is None else plain.get(other.part.id)
    if reads_none is None:
        reads_none = alike(_no_formulas(), formulas)
        if plain is not None:
            plain[other.part.id] = reads_none
    return reference, formulas if reads_none else Formulas()


def alike(one: Formulas, other: Formulas) -> bool:
    """Whether two parts read formulas alike (the same scope, domain and reference): they may share one reading."""
    return (
        one.domain == other.domain
        and one.reference == other.reference
        and (one.scope is other.scope or one.scope == other.scope)
    )


@functools.cache
def _no_formulas() -> Formulas:
    """How a part whose answer has no formula reads formulas (compared with, never read through)."""
    return Formulas()


def _prepare_part(
    kind: Kind,
    problem: Problem,
    solution: Solution,
    part: Part,
    earlier: tuple[str, ...],
    worked: Worked,
    memos: Mapping[str, Any] = _OWN,
) -> PreparedPart:
    options = {**problem.options, **part.options}
    reference = as_floats(solution.answers[part.id])  # checks are within tolerance: floats suffice
    formulas = Formulas.for_part(reference, options)  # its scope from the formula(s) in the reference
    credit = Fraction(options.get("follow_through", 1))
    form, form_credit = options.get("form"), Fraction(options.get("form_credit", Fraction(1, 2)))
    # a kind may count positions in feedback from 0 (index_base) and have [row, column] answers (position_parts)
    tolerance = Tolerance.from_options(options, base=kind.index_base, positions=part.id in kind.position_parts)
    return PreparedPart(
        part, reference, tolerance, formulas, credit, form, form_credit, whole(part.points), earlier, worked, **memos
    )


def part_ids(prepared: Sequence[PreparedProblem]) -> dict[str, tuple[str, ...]]:
    """Every part a submission may answer, by problem id (all the kind's parts, not only those graded)."""
    return {p.problem.id: tuple(p.solution.answers) for p in prepared}


def whole(value: Fraction | int) -> Fraction | int:
    """An int when the value is whole (sums of scores stay ints, fast), else the Fraction."""
    return int(value) if value.denominator == 1 else value

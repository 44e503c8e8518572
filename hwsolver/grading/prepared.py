"""What grading needs to know about the problems, worked out once per run before any submission is read:
solutions, references as floats, tolerances, formula scopes, the kind's mutants and follow-through."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from hwsolver.grading.checkers import Check, Layout, Tolerance, layout
from hwsolver.grading.formulas import Formulas
from hwsolver.grading.results import PartResult
from hwsolver.kinds import KINDS
from hwsolver.model import Mutant, Part, Problem, Solution, Symbolic


@dataclass(frozen=True)
class PreparedPart:
    part: Part
    reference: Any
    tolerance: Tolerance
    formulas: Formulas
    follow_through_credit: Fraction
    form: Mapping[str, tuple[str, ...]] | None = None  # functions a formula answer must / must not use
    form_credit: Fraction = Fraction(1, 2)
    points: Fraction | int = 1  # the part's points, an int when whole (sums of ints are fast)
    # the kind's slips that can give this part's answer: (mutant, its answer, that answer's layout)
    slips: tuple[tuple[Mutant, Any, Layout | None], ...] = ()
    earlier: tuple[str, ...] = ()  # the parts before this one in the kind's order (for follow-through)
    # A class writes the same answers again and again: what an answer (by its text) reads as, and how it
    # compares with the reference and the mutants, is worked out once.
    seen: dict[Any, Seen] = field(default_factory=dict, compare=False, repr=False)
    unreadable: dict[Any, str] = field(default_factory=dict, compare=False, repr=False)  # why, without where


@dataclass(slots=True)
class Seen:
    """One answer text of one part, as far as it has been worked out (grader.py fills it in)."""

    key: Any  # what the student wrote (grader._key)
    value: Any  # the answer read as the reference's type
    written: str  # the text shortened for reports
    outcome: Check | None = None  # against the reference, once worked out
    candidates: tuple[Mutant, ...] = ()  # the slips that give this answer
    result: PartResult | None = None  # when it depends on this answer alone (not on the student's others)
    judged: dict[tuple[Any, ...], PartResult] = field(default_factory=dict)  # else by the earlier answers' keys
    remembered: bool = False  # kept in its part's memo (else it is one student's, and goes with them)


@dataclass(frozen=True)
class PreparedProblem:
    problem: Problem
    solution: Solution
    parts: tuple[PreparedPart, ...]  # the parts graded
    extras: tuple[PreparedPart, ...]  # the kind's other parts: read when answered, for follow-through only
    mutants: tuple[Mutant, ...]
    follow_through: Callable[[Problem, Solution, str, Mapping[str, Any]], list[Any]] | None
    max_score: Fraction
    every: tuple[PreparedPart, ...] = field(init=False, repr=False)  # parts then extras: all a student may answer
    slip_changes: dict[tuple[str, str], bool] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "every", (*self.parts, *self.extras))


def prepare(solutions: Sequence[Solution]) -> list[PreparedProblem]:
    """Everything about the problems that does not depend on a student, computed once."""
    prepared = []
    for solution in solutions:
        problem = solution.problem
        kind = KINDS[problem.kind]
        order = tuple(kind.parts(problem.given))  # the kind's order is the order of computation
        graded = {part.id: part for part in problem.parts}
        mutants = tuple(kind.mistakes(problem, solution)) if hasattr(kind, "mistakes") else ()
        parts, extras = [], []
        for part_id in order:
            part = graded.get(part_id, Part(part_id, Fraction(0)))
            prepared_part = _prepare_part(problem, solution, part, order[: order.index(part_id)], mutants)
            (parts if part_id in graded else extras).append(prepared_part)
        parts.sort(key=lambda p: problem.parts.index(graded[p.part.id]))  # reports follow the spec's order
        follow = getattr(kind, "follow_through", None)
        prepared.append(
            PreparedProblem(problem, solution, tuple(parts), tuple(extras), mutants, follow, whole(problem.max_score))
        )
    return prepared


def _prepare_part(
    problem: Problem, solution: Solution, part: Part, earlier: tuple[str, ...], mutants: tuple[Mutant, ...]
) -> PreparedPart:
    options = {**problem.options, **part.options}
    reference = as_floats(solution.answers[part.id])  # checks are within tolerance: floats suffice
    formulas = Formulas.for_part(reference, options)  # its scope from the formula(s) in the reference
    credit = Fraction(options.get("follow_through", 1))
    form, form_credit = options.get("form"), Fraction(options.get("form_credit", Fraction(1, 2)))
    tolerance = Tolerance.from_options(options)
    slips = []
    for mutant in mutants:
        answer = as_floats(mutant.answers.get(part.id))
        if answer is not None or mutant.matches is not None:
            slips.append((mutant, answer, layout(answer) if answer is not None else None))
    return PreparedPart(
        part, reference, tolerance, formulas, credit, form, form_credit, whole(part.points), tuple(slips), earlier
    )


def as_floats(value: Any) -> Any:
    """An answer with every exact number as a float (structure, booleans and formulas unchanged)."""
    if isinstance(value, bool | Symbolic | str) or value is None:
        return value
    if isinstance(value, tuple | list):
        return tuple(as_floats(item) for item in value)
    if isinstance(value, Mapping):
        return {key: as_floats(item) for key, item in value.items()}
    return float(value)


def part_ids(prepared: Sequence[PreparedProblem]) -> dict[str, tuple[str, ...]]:
    """Every part a submission may answer, by problem id (all the kind's parts, not only those graded)."""
    return {p.problem.id: tuple(p.solution.answers) for p in prepared}


def whole(value: Fraction | int) -> Fraction | int:
    """An int when the value is whole (sums of scores stay ints, fast), else the Fraction."""
    return int(value) if value.denominator == 1 else value

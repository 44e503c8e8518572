"""What grading needs to know about the problems, worked out once per run before any submission is read:
solutions, references as floats, tolerances, formula scopes, the kind's mutants, their credits, and the routes
follow-through may take (the slips and rounding allowances, worked out on first use: worked.py)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from hwsolver.grading.checkers import Check, Layout, Tolerance
from hwsolver.grading.formulas import Formulas
from hwsolver.grading.results import PartResult
from hwsolver.grading.rounding import Bounds
from hwsolver.grading.worked import WORK, Allowances, Mistakes, as_floats
from hwsolver.kinds import KINDS
from hwsolver.kinds.base import Kind
from hwsolver.model import Mutant, Part, Problem, Route, Solution, Symbolic

# WORK and as_floats are also read from here (tests count the work; kinds' tests read answers as floats)
__all__ = ["WORK", "PreparedPart", "PreparedProblem", "Seen", "as_floats", "part_ids", "prepare", "prepare_variant"]


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
    mistakes: Mistakes | None = field(default=None, compare=False, repr=False)  # the problem's slips, on first use
    earlier: tuple[str, ...] = ()  # the parts before this one in the kind's order (for follow-through)
    # the kind's ways to work this part out from earlier answers, reading only parts asked with points
    routes: tuple[Route, ...] = ()
    allowances: Allowances | None = field(default=None, compare=False, repr=False)  # the problem's, on first use
    # A class writes the same answers again and again: what an answer (by its text) reads as, and how it
    # compares with the reference and the mutants, is worked out once.
    seen: dict[Any, Seen] = field(default_factory=dict, compare=False, repr=False)
    unreadable: dict[Any, str] = field(default_factory=dict, compare=False, repr=False)  # why, without where
    meanings: dict[Any, int] = field(default_factory=dict, compare=False, repr=False)  # Seen.same of formulas
    trivial: dict[int, bool] = field(default_factory=dict, compare=False, repr=False)  # Seen.trivial, by meaning
    slipped: dict[int, tuple[Mutant, ...]] = field(default_factory=dict, compare=False, repr=False)  # by meaning
    reads: tuple[str, ...] = field(init=False, compare=False, repr=False)  # the other parts its routes read, once each

    def __post_init__(self) -> None:
        reads = (name for route in self.routes for name in route.uses if name != self.part.id)
        object.__setattr__(self, "reads", tuple(dict.fromkeys(reads)))

    @property
    def slips(self) -> tuple[tuple[Mutant, Any, Layout | None], ...]:
        """The kind's slips that can give this part's answer: (mutant, its answer, that answer's layout)."""
        return self._slips()[0]

    @property
    def credits(self) -> Mapping[str, Fraction]:
        """The share of the points each slip earns here."""
        return self._slips()[1]

    def _slips(self) -> tuple[tuple[tuple[Mutant, Any, Layout | None], ...], Mapping[str, Fraction]]:
        return self.mistakes.for_part(self.part) if self.mistakes else ((), {})

    @property
    def allowance(self) -> Bounds:
        """How far rounding intermediate values moves each number of this part's answer."""
        return self.allowances.get(self.part.id) if self.allowances is not None else {}


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
    trivial: bool | None = None  # a wrong answer that leaves later work trivial (follow.py), once worked out
    # what stands for the answer where what depends on it is remembered (later parts' results, re-runs): its
    # text's key, or for a formula a number per meaning (grader._same), shared by the spellings of one formula
    same: Any = None

    def by_meaning(self, store: dict[int, Any], work: Callable[[], Any]) -> Any:
        """work(), for a formula remembered in `store` by its meaning: a class's spellings of one formula share
        what depends on the formula alone (its slips, whether it takes no work); anything else is worked out."""
        if type(self.same) is not int:  # not a formula (its text is its key)
            return work()
        found = store.get(self.same)
        if found is None:
            found = store[self.same] = work()
        return found


@dataclass(frozen=True)
class PreparedProblem:
    problem: Problem
    solution: Solution
    parts: tuple[PreparedPart, ...]  # the parts graded
    # the kind's other parts, read when answered: a right one rules out a slip that would have changed it (no
    # follow-through flows through them)
    extras: tuple[PreparedPart, ...]
    mistakes: Mistakes
    max_score: Fraction
    # the kind's optional hooks (kinds/base.py, Kind): a wrong answer that leaves later work trivial, and a better
    # account of a wrong answer's difference
    trivial: Callable[[Problem, Solution, str, Any], bool] | None = None
    evidence: Callable[[Problem, Solution, str, Any], str | None] | None = None
    every: tuple[PreparedPart, ...] = field(init=False, repr=False)  # parts then extras: all a student may answer
    by_id: dict[str, PreparedPart] = field(init=False, repr=False)
    slip_changes: dict[tuple[int, str], bool] = field(default_factory=dict, compare=False, repr=False)
    # follow-through re-runs by route and the answers it read (those remembered: a class repeats them)
    reruns: dict[tuple[Any, ...], Any] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "every", (*self.parts, *self.extras))
        object.__setattr__(self, "by_id", {p.part.id: p for p in self.every})

    @property
    def mutants(self) -> tuple[Mutant, ...]:
        return self.mistakes.mutants


def prepare(solutions: Sequence[Solution], *, lazy: bool = False) -> list[PreparedProblem]:
    """Everything about the problems that does not depend on a student, computed once; with `lazy`, the slips
    only when a wrong answer first needs them (a per-student variant: most are answered right)."""
    return [_prepared(solution, lazy) for solution in solutions]


def prepare_variant(solution: Solution, written: PreparedProblem, *, lazy: bool = True) -> PreparedProblem:
    """A variant of the problem `written` prepares (the same kind, parts and options; other numbers): each part's
    set-up that depends on the options alone (tolerance, credits, form, points) is the problem as written's, and
    so are its formula readings wherever the part reads formulas alike (a formula the class writes is then read
    and compared once, whichever variant it answers); references, routes and slips are the variant's own."""
    return _prepared(solution, lazy, written)


def _prepared(solution: Solution, lazy: bool, written: PreparedProblem | None = None) -> PreparedProblem:
    problem = solution.problem
    kind = KINDS[problem.kind]
    order = kind.parts_for(problem.given)  # the kind's order is the order of computation
    graded = {part.id: part for part in problem.parts}
    mistakes = Mistakes(kind, problem, solution)
    if not lazy:
        mistakes.mutants  # noqa: B018 (worked out now: an error in them stops the run before any file is read)
    routes = _routes(kind, problem, solution, order, graded)
    chain = kind.chain(problem, solution) if kind.chain else None
    allowed = Allowances(chain, order, Tolerance.from_options(problem.options).sigfigs) if chain else None
    # what depends on the options alone is shared with the problem as written when it has the same options
    like = written.by_id if written is not None and _same_options(written.problem, problem) else {}
    parts, extras = [], []
    for position, part_id in enumerate(order):
        part = graded.get(part_id) or Part(part_id, _NO_POINTS)
        own = (mistakes, routes.get(part_id, ()), allowed)
        other = like.get(part_id)
        if other is not None and (other.part is part or other.part == part) and other.earlier == order[:position]:
            prepared_part = _like(other, solution, problem.options, *own)
        else:
            prepared_part = _prepare_part(kind, problem, solution, part, order[:position], *own)
        (parts if part_id in graded else extras).append(prepared_part)
    spec_order = {part.id: n for n, part in enumerate(problem.parts)}  # ids are unique (spec/problems.py)
    parts.sort(key=lambda p: spec_order[p.part.id])  # reports follow the spec's order
    return PreparedProblem(
        problem,
        solution,
        tuple(parts),
        tuple(extras),
        mistakes,
        whole(sum(whole(part.points) for part in problem.parts)),  # problem.max_score, in ints while whole
        kind.trivial,
        kind.evidence,
    )


_NO_POINTS = Fraction(0)  # a part the problem does not ask (an extra)


def _same_options(one: Problem, other: Problem) -> bool:
    return one.kind == other.kind and one.options == other.options


def _like(
    other: PreparedPart,
    solution: Solution,
    options: Mapping[str, Any],
    mistakes: Mistakes,
    routes: tuple[Route, ...],
    allowances: Allowances | None,
) -> PreparedPart:
    """`other`, the problem as written's part, with the variant's reference, slips, routes and allowances, and its
    own formula reading where it reads formulas otherwise than `other` does."""
    found: list[Symbolic] = []
    reference = as_floats(solution.answers[other.part.id], found)
    formulas = Formulas.for_part(reference, {**options, **other.part.options}) if found else Formulas()
    if alike(formulas, other.formulas):
        formulas = other.formulas
    # built anew, not replace()d: the memos of what the class wrote (seen, ...) are each variant's own
    return PreparedPart(
        other.part,
        reference,
        other.tolerance,
        formulas,
        other.follow_through_credit,
        other.form,
        other.form_credit,
        other.points,
        mistakes,
        other.earlier,
        routes,
        allowances,
    )


def alike(one: Formulas, other: Formulas) -> bool:
    """Whether two parts read formulas alike (the same scope, domain and reference): they may share one reading."""
    return one.domain == other.domain and one.reference == other.reference and one.scope == other.scope


def _routes(
    kind: Kind, problem: Problem, solution: Solution, order: tuple[str, ...], graded: Mapping[str, Part]
) -> dict[str, tuple[Route, ...]]:
    """The kind's follow-through routes by part, keeping those that read only earlier parts asked with points:
    an earlier slip must cost something somewhere, so no credit flows through a part that carries none. A route
    may read its own part, entry by entry (follow.py)."""
    found: dict[str, list[Route]] = {}
    for route in kind.follow_through(problem, solution) if kind.follow_through else ():
        earlier = order[: order.index(route.part)] if route.part in order else ()
        own = route.uses == (route.part,)
        if own or all(name in earlier and name in graded and graded[name].points > 0 for name in route.uses):
            found.setdefault(route.part, []).append(route)
    return {part: tuple(routes) for part, routes in found.items()}


def _prepare_part(
    kind: Kind,
    problem: Problem,
    solution: Solution,
    part: Part,
    earlier: tuple[str, ...],
    mistakes: Mistakes,
    routes: tuple[Route, ...],
    allowances: Allowances | None,
) -> PreparedPart:
    options = {**problem.options, **part.options}
    reference = as_floats(solution.answers[part.id])  # checks are within tolerance: floats suffice
    formulas = Formulas.for_part(reference, options)  # its scope from the formula(s) in the reference
    credit = Fraction(options.get("follow_through", 1))
    form, form_credit = options.get("form"), Fraction(options.get("form_credit", Fraction(1, 2)))
    # a kind may count positions in feedback from 0 (index_base) and have [row, column] answers (position_parts)
    tolerance = Tolerance.from_options(options, base=kind.index_base, positions=part.id in kind.position_parts)
    return PreparedPart(
        part,
        reference,
        tolerance,
        formulas,
        credit,
        form,
        form_credit,
        whole(part.points),
        mistakes,
        earlier,
        routes,
        allowances,
    )


def part_ids(prepared: Sequence[PreparedProblem]) -> dict[str, tuple[str, ...]]:
    """Every part a submission may answer, by problem id (all the kind's parts, not only those graded)."""
    return {p.problem.id: tuple(p.solution.answers) for p in prepared}


def whole(value: Fraction | int) -> Fraction | int:
    """An int when the value is whole (sums of scores stay ints, fast), else the Fraction."""
    return int(value) if value.denominator == 1 else value

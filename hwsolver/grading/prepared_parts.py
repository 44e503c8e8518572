"""What grading keeps per problem and per part (prepared.py makes them): a part's reference, tolerance and
formula scope, what the class wrote to it (Seen), and a problem's parts with the work shared by them."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from types import MappingProxyType
from typing import Any

from hwsolver.grading.checkers import Check, Layout, Tolerance
from hwsolver.grading.formulas import Formulas
from hwsolver.grading.results import PartResult
from hwsolver.grading.rounding import Bounds
from hwsolver.grading.worked import Allowances, Mistakes, Worked
from hwsolver.model import Mutant, Part, Problem, Route, Solution

NOTHING_KEPT: Mapping[Any, Any] = MappingProxyType({})  # the memos of a part that keeps nothing: a write raises


@dataclass(slots=True, eq=False)
class PreparedPart:
    """A part as grading reads it; set once prepared (its memos of what the class wrote aside). What depends on the
    options alone (tolerance, credits, form, points, earlier) is shared by a problem's variants (prepare_variant)."""

    part: Part
    reference: Any
    tolerance: Tolerance
    formulas: Formulas
    follow_through_credit: Fraction
    form: Mapping[str, tuple[str, ...]] | None  # functions a formula answer must / must not use
    form_credit: Fraction
    points: Fraction | int  # the part's points, an int when whole (sums of ints are fast)
    earlier: tuple[str, ...]  # the parts before this one in the kind's order (for follow-through)
    worked: Worked  # the problem's slips, routes and allowances, each on first use
    # A class writes the same answers again and again: what an answer (by its text) reads as, and how it
    # compares with the reference and the mutants, is worked out once.
    seen: dict[Any, Seen] = field(default_factory=dict, repr=False)
    unreadable: dict[Any, str] = field(default_factory=dict, repr=False)  # why, without where
    meanings: dict[Any, int] = field(default_factory=dict, repr=False)  # Seen.same of formulas
    trivial: dict[int, bool] = field(default_factory=dict, repr=False)  # Seen.trivial, by meaning
    slipped: dict[int, tuple[Mutant, ...]] = field(default_factory=dict, repr=False)  # by meaning

    @property
    def mistakes(self) -> Mistakes:
        return self.worked.mistakes

    @property
    def slips(self) -> tuple[tuple[Mutant, Any, Layout | None], ...]:
        """The kind's slips that can give this part's answer: (mutant, its answer, that answer's layout)."""
        return self.worked.mistakes.for_part(self.part)

    @property
    def credits(self) -> Mapping[str, Fraction]:
        """The share of the points each slip earns here."""
        return self.worked.mistakes.credits(self.part)

    @property
    def routes(self) -> tuple[Route, ...]:
        """The kind's ways to work this part out from earlier answers, reading only parts asked with points."""
        return self.worked.routes(self.part.id)

    @property
    def reads(self) -> tuple[str, ...]:
        """The other parts its routes read, once each."""
        return self.worked.reads(self.part.id)

    @property
    def allowances(self) -> Allowances | None:
        return self.worked.allowances

    @property
    def allowance(self) -> Bounds:
        """How far rounding intermediate values moves each number of this part's answer."""
        allowances = self.worked.allowances
        return allowances.get(self.part.id) if allowances is not None else {}


_REFERENCE, _FORMULAS = PreparedPart.reference, PreparedPart.formulas  # the slots themselves (descriptors)
UNMADE: Any = object()  # a LaterPart's reference and formula reading, until first read


class _MadeLater:
    """A LaterPart's field (its slot, kept in `slot`), made with the other by the part's `make` when first read."""

    def __init__(self, slot: Any, index: int) -> None:
        self.slot, self.index = slot, index

    def __get__(self, part: LaterPart | None, owner: type | None = None) -> Any:
        if part is None:
            return self
        found = self.slot.__get__(part)
        return found if found is not UNMADE else part.made()[self.index]

    def __set__(self, part: LaterPart, value: Any) -> None:
        self.slot.__set__(part, value)


class LaterPart(PreparedPart):
    """A part whose reference (the answer as floats) and formula reading are made when first read, by `make`: a
    part a variant's problem does not ask (an extra), which a student seldom answers (making them for every
    student's variant cost some 10 us a student: the relu network's forward pass and error terms)."""

    __slots__ = ("make",)
    make: Callable[[], tuple[Any, Formulas]]
    reference = _MadeLater(_REFERENCE, 0)  # type: ignore[assignment]
    formulas = _MadeLater(_FORMULAS, 1)  # type: ignore[assignment]

    def made(self) -> tuple[Any, Formulas]:
        """Its reference and formula reading, made now and kept."""
        made = self.make()
        _REFERENCE.__set__(self, made[0])
        _FORMULAS.__set__(self, made[1])
        return made


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


@dataclass(frozen=True, init=False)
class PreparedProblem:
    problem: Problem
    solution: Solution
    parts: tuple[PreparedPart, ...]  # the parts graded
    # the kind's other parts, read when answered: a right one rules out a slip that would have changed it (no
    # follow-through flows through them)
    extras: tuple[PreparedPart, ...]
    worked: Worked  # its slips, routes and allowances, each on first use
    max_score: Fraction | int  # an int while whole
    order: tuple[str, ...]  # the kind's order of its parts (of computation)
    # the kind's optional hooks (kinds/base.py, Kind): a wrong answer that leaves later work trivial, and a better
    # account of a wrong answer's difference
    trivial: Callable[[Problem, Solution, str, Any], bool] | None = None
    evidence: Callable[[Problem, Solution, str, Any], str | None] | None = None
    # graded for one student (a per-student variant of drawn numbers): nothing is remembered for a next one (but in
    # a part sharing the problem as written's memos: prepared._memos)
    once: bool = False
    every: tuple[PreparedPart, ...] = field(init=False, repr=False)  # parts then extras: all a student may answer
    by_id: dict[str, PreparedPart] = field(init=False, repr=False)
    slip_changes: dict[tuple[int, str], bool] = field(init=False, compare=False, repr=False)
    # follow-through re-runs by route and the answers it read (those remembered: a class repeats them)
    reruns: dict[tuple[Any, ...], Any] = field(init=False, compare=False, repr=False)
    # the options and parts (by identity) of variants found to have this problem's: they share its parts' set-up
    alike: list[tuple[Mapping[str, Any], tuple[Part, ...]]] = field(init=False, compare=False, repr=False)
    # by part: whether it reads formulas as a part whose answer has none does (its variants' numbers then keep its
    # reading), told at the first variant that asks
    plain: dict[str, bool] = field(init=False, compare=False, repr=False)

    def __init__(
        self,
        problem: Problem,
        solution: Solution,
        parts: tuple[PreparedPart, ...],
        extras: tuple[PreparedPart, ...],
        worked: Worked,
        max_score: Fraction | int,
        order: tuple[str, ...],
        trivial: Callable[[Problem, Solution, str, Any], bool] | None = None,
        evidence: Callable[[Problem, Solution, str, Any], str | None] | None = None,
        once: bool = False,
    ) -> None:
        # made for every student's variant: its fields stored straight into its __dict__, as a plain class's are (a
        # frozen dataclass's own __init__ pays an object.__setattr__ for each; assignment still raises)
        fields, every = self.__dict__, (*parts, *extras)
        fields["problem"], fields["solution"], fields["parts"], fields["extras"] = problem, solution, parts, extras
        fields["worked"], fields["max_score"], fields["order"] = worked, max_score, order
        fields["trivial"], fields["evidence"], fields["once"] = trivial, evidence, once
        fields["every"], fields["by_id"] = every, {p.part.id: p for p in every}
        fields["slip_changes"], fields["reruns"], fields["alike"], fields["plain"] = {}, {}, [], {}

    @property
    def mistakes(self) -> Mistakes:
        return self.worked.mistakes

    @property
    def mutants(self) -> tuple[Mutant, ...]:
        return self.worked.mistakes.mutants

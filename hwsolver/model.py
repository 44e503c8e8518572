"""Frozen data passed between the rooms: problems in, solutions out (grades live in grading types)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

LANGUAGES = ("zh", "en")
_NO_CREDIT = Fraction(0)
# Route.spread's: the numbers read (an answer, a number's place in it, how far that number moves at most), and the
# bound it tells of how far they move the route's value (None: it cannot tell)
Sizes = list[tuple[str, tuple[Any, ...], float]]
Spread = Callable[[Mapping[str, Any], Sizes], float | None]

# Records made for every student's variant (a Solution, ~10 Mutants and ~4 Routes per problem) are frozen
# dataclasses with an __init__ of their own: it stores the fields straight into the instance's __dict__, as a plain
# class's are, where a frozen dataclass's generated __init__ pays an object.__setattr__ per field (twice the cost).
# They stay frozen (assignment raises), and equality, hashing and repr are still the dataclass's, from their fields.


@dataclass(frozen=True)
class Part:
    """One thing a problem asks for, by the id of an answer its kind produces."""

    id: str
    points: Fraction = Fraction(1)
    options: Mapping[str, Any] = field(default_factory=dict)  # grading options (rtol, atol, sigfigs, ...)


@dataclass(frozen=True)
class LecturerMistake:
    """A wrong answer the lecturer wrote into the problem (its `mistakes:`), named like the kind's own mistakes.

    `answers` holds each part's value as written (spec.node.Node): it is read as a student's answer is, against
    the part's solved answer (grading/lecturer.py), so that its shape and formulas are checked where it stands.
    """

    id: str
    answers: Mapping[str, Any]  # part id -> the value's node
    feedback: Mapping[str, str]  # one sentence per language
    credit: Fraction  # the share of the part's points the mistake earns
    where: str  # file:line:column and key path of its id, for messages


@dataclass(frozen=True)
class Problem:
    """A validated problem spec: `given` is the kind's own frozen input type."""

    id: str
    kind: str
    title: Mapping[str, str]
    statement: Mapping[str, str]
    given: Any
    parts: tuple[Part, ...]
    source: str
    options: Mapping[str, Any] = field(default_factory=dict)  # problem-wide grading options
    mistakes: tuple[LecturerMistake, ...] = ()  # the lecturer's own wrong answers (`mistakes:`)

    @property
    def max_score(self) -> Fraction:
        return sum((part.points for part in self.parts), Fraction(0))


@dataclass(frozen=True)
class Symbolic:
    """A formula answer: `expr` in the expression language (parses back), `latex` for display.

    `scope` (an hwsolver.expr.Scope) declares the names an answer to this part may use; the grader reads
    students' formulas with it. `domain` is where equivalence is tested at random points.
    """

    expr: str
    latex: str
    scope: Any = field(default=None, compare=False)
    domain: tuple[float, float] = field(default=(-3.0, 3.0), compare=False)


@dataclass(frozen=True, init=False)
class Solution:
    """What a kind computed: every answer it can give (exact values) and the work that explains them.

    Answers are Fractions (rational arithmetic) or mpmath numbers (transcendental functions, 50 digits), nested
    in tuples for vectors and matrices and in dicts for named parameters; booleans; or Symbolic. `work` is the
    structured account the templates turn into text and handouts: values and formulas, never markup.
    """

    problem: Problem
    answers: Mapping[str, Any]
    work: Mapping[str, Any] = field(default_factory=dict)

    def __init__(self, problem: Problem, answers: Mapping[str, Any], work: Mapping[str, Any] | None = None) -> None:
        fields = self.__dict__
        fields["problem"], fields["answers"], fields["work"] = problem, answers, {} if work is None else work


@dataclass(frozen=True, init=False)
class Mutant:
    """A classic wrong way to do a problem, as the kind computes it: what that slip gives for each part.

    The grader compares a wrong answer with each mutant's; a match names the mistake. `credit` is the share of
    the points such an answer still earns by default (the kind's mistakes table for a mistake, which a problem's
    `mistake_credit` overrides; `convention_credit`, default 1, for another documented counting convention).
    `matches`, when given, decides for answers a fixed value can't capture (any wrong learning rate).
    `per_part`: the slip is judged on each part by itself (a counting convention), not against the student's
    other answers (right gradients rule out "the gradients came out doubled"; nothing rules out a convention).
    """

    id: str
    feedback: str
    answers: Mapping[str, Any] = field(default_factory=dict)
    credit: Fraction = _NO_CREDIT
    matches: Callable[[str, Any], bool] | None = None
    per_part: bool = False

    def __init__(
        self,
        id: str,
        feedback: str,
        answers: Mapping[str, Any] | None = None,
        credit: Fraction = _NO_CREDIT,
        matches: Callable[[str, Any], bool] | None = None,
        per_part: bool = False,
    ) -> None:
        fields = self.__dict__
        fields["id"], fields["feedback"], fields["answers"] = id, feedback, {} if answers is None else answers
        fields["credit"], fields["matches"], fields["per_part"] = credit, matches, per_part


@dataclass(frozen=True, init=False)
class Route:
    """A way to work `part` out from the student's own answers to earlier parts (follow-through).

    `compute(values)` takes those answers by part id (as the grader reads them: floats in nested tuples and
    dicts, parsed formulas) and returns what `part` should then be; it raises ValueError, TypeError, KeyError,
    IndexError or ExprError when the answers do not fit. `rounded`: the answers used are rounded numbers whose
    rounding the grader carries through `compute` (not so for positions or formulas). `spread(values, sizes)`, where
    the kind can tell it unrun: a bound, for every number of compute's value, on the sum over `sizes` (an answer
    read, a number's place in it, how far that number moves at most) of how far moving that number alone moves it;
    None where it cannot tell.
    """

    part: str
    uses: tuple[str, ...]
    compute: Callable[[Mapping[str, Any]], Any]
    rounded: bool = True
    spread: Spread | None = None

    def __init__(
        self,
        part: str,
        uses: tuple[str, ...],
        compute: Callable[[Mapping[str, Any]], Any],
        rounded: bool = True,
        spread: Spread | None = None,
    ) -> None:
        fields = self.__dict__
        fields["part"], fields["uses"], fields["compute"], fields["rounded"] = part, uses, compute, rounded
        fields["spread"] = spread


@dataclass(frozen=True)
class Chain:
    """A kind's computation as the steps a student writes down one after another, each a float array (or a
    number), and how each part's answer reads them. The grader re-runs it with one step rounded to see how far
    rounding moves the answers; follow-through re-runs it with a student's own values in place of some steps.
    """

    steps: tuple[tuple[str, Callable[[Mapping[str, Any]], Any]], ...]  # (name, its value from those before)
    answers: Mapping[str, Callable[[Mapping[str, Any]], Any]]  # part id -> its answer from the steps' values
    # True when no step and no answer can raise on finite values (NumPy arithmetic only): rounding then works out
    # each part's allowances alone, reading only the steps that part reads (rounding.allowances)
    total: bool = False
    # True when every step also takes stacked copies of any step before it (a leading axis of copies, each
    # worked out as it would be alone: NumPy broadcasting, the last axes named): rounding then moves all of a
    # step's numbers in one re-run (grading/moves.py)
    stacks: bool = False
    # the numbers in all its steps, where the kind knows it unrun (rounding asks it first, and a total chain's
    # part reads only some steps); None: counted on the steps' values
    size: int | None = None
    # where the kind can tell it unrun: sigfigs -> each step's reach, shaped as the step: no rounding of the values
    # worked out before and at a number (to `sigfigs` figures) moves it further, summed as rounding.allowances sums
    # the moves (the answers read from the reaches give theirs); None: no such bound
    reach: Callable[[int], Mapping[str, Any]] | None = None
    by_name: Mapping[str, Callable[[Mapping[str, Any]], Any]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_name", dict(self.steps))

    def run(self, given: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """Every step's value; a step in `given` takes that value instead of being computed."""
        values = self.values(given)
        return {name: values[name] for name, _ in self.steps}

    def values(self, given: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """The steps' values, each worked out when first read (an answer costs only the steps it reads)."""
        return _LazySteps(self.by_name, given or {})


class _LazySteps(dict):
    def __init__(self, steps: Mapping[str, Callable[[Mapping[str, Any]], Any]], given: Mapping[str, Any]) -> None:
        super().__init__(given)
        self._steps = steps

    def __missing__(self, name: str) -> Any:
        value = self[name] = self._steps[name](self)
        return value

"""Frozen data passed between the rooms: problems in, solutions out (grades live in grading types)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

LANGUAGES = ("zh", "en")


@dataclass(frozen=True)
class Part:
    """One thing a problem asks for, by the id of an answer its kind produces."""

    id: str
    points: Fraction = Fraction(1)
    options: Mapping[str, Any] = field(default_factory=dict)  # grading options (rtol, atol, sigfigs, ...)


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


@dataclass(frozen=True)
class Solution:
    """What a kind computed: every answer it can give (exact values) and the work that explains them.

    Answers are Fractions (rational arithmetic) or mpmath numbers (transcendental functions, 50 digits), nested
    in tuples for vectors and matrices and in dicts for named parameters; booleans; or Symbolic. `work` is the
    structured account the templates turn into text and handouts: values and formulas, never markup.
    """

    problem: Problem
    answers: Mapping[str, Any]
    work: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Mutant:
    """A classic wrong way to do a problem, as the kind computes it: what that slip gives for each part.

    The grader compares a wrong answer with each mutant's; a match names the mistake. `credit` is the share of
    the points such an answer still earns (0 for a mistake, e.g. 1 for another documented counting convention).
    `matches`, when given, decides for answers a fixed value can't capture (any wrong learning rate).
    """

    id: str
    feedback: str
    answers: Mapping[str, Any] = field(default_factory=dict)
    credit: Fraction = Fraction(0)
    matches: Callable[[str, Any], bool] | None = None

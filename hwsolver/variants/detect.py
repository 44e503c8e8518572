"""Whether every classic mistake shows in a variant: the constraint every variant meets without being asked.

A mistake is hidden when its answers agree with the reference, within the part's grading tolerance, on every
asked part (no grader could tell the slip from the right method); two mistakes are confused when they agree
with each other on every asked part (the feedback could not say which slip it was). Mutants that name another
counting convention rather than a mistake, and mistakes recognised by a rule rather than by answers (any wrong
learning rate), are left out.
"""

from __future__ import annotations

from collections.abc import Mapping
from itertools import combinations
from typing import Any

from hwsolver.errors import ExprError
from hwsolver.grading.checkers import Tolerance, agrees
from hwsolver.grading.formulas import Formulas
from hwsolver.grading.prepared import as_floats
from hwsolver.kinds import KINDS
from hwsolver.model import Mutant, Problem, Solution, Symbolic


def formulas_key(formulas: Formulas) -> tuple[Any, ...]:
    """What a part's formula reading depends on: two parts alike in it may share one (and what it remembers)."""
    return (repr(formulas.scope), formulas.domain, formulas.reference)


class Judge:
    """The asked parts of one solved variant, each with its tolerance and formula reading, as the grader has them.
    `shared` keeps formula readings across variants (the formula parts of most variants are alike)."""

    def __init__(self, problem: Problem, solution: Solution, shared: dict[Any, Formulas] | None = None) -> None:
        kind = KINDS[problem.kind]
        self.solution = solution
        self.parts: dict[str, tuple[Any, Tolerance, Formulas]] = {}
        for part in problem.parts:
            options = {**problem.options, **part.options}
            reference = as_floats(solution.answers[part.id])
            tolerance = Tolerance.from_options(options, base=kind.index_base, positions=part.id in kind.position_parts)
            formulas = Formulas.for_part(reference, options)
            if shared is not None:
                formulas = shared.setdefault((part.id, *formulas_key(formulas)), formulas)
            self.parts[part.id] = (reference, tolerance, formulas)
        mistakes = set(kind.credits)
        self.mutants = tuple(
            m for m in kind.mutants(problem, solution) if m.id in mistakes and any(p in self.parts for p in m.answers)
        )

    def same(self, part: str, value: Any, other: Any) -> bool:
        """Whether `value` (an answer as the solver writes it) gets full marks where `other` is the answer."""
        reference, tolerance, formulas = self.parts[part]
        target = as_floats(other) if other is not None else reference
        try:
            student = _as_student(as_floats(value), formulas)
            return agrees(student, target, tolerance, formulas.equivalent)
        except ExprError:
            return False

    def answer(self, mutant: Mutant, part: str) -> Any:
        """What the mistake gives for the part (the right answer where it changes nothing)."""
        return mutant.answers.get(part, self.solution.answers[part])

    def hidden(self) -> list[str]:
        """The mistakes that give the reference's answer on every asked part."""
        return [
            m.id
            for m in self.mutants
            if all(self.same(part, self.answer(m, part), None) for part in self.parts if part in m.answers)
        ]

    def confused(self) -> list[tuple[str, str]]:
        """Pairs of different mistakes that give the same answers on every asked part."""
        return [
            (a.id, b.id)
            for a, b in combinations(self.mutants, 2)
            if a.id != b.id and all(self.same(part, self.answer(a, part), self.answer(b, part)) for part in self.parts)
        ]


def _as_student(value: Any, formulas: Formulas) -> Any:
    """An answer as the grader reads a student's: formulas parsed, numbers as floats."""
    if isinstance(value, Symbolic):
        return formulas.parse(value.expr)
    if isinstance(value, Mapping):
        return {key: _as_student(item, formulas) for key, item in value.items()}
    if isinstance(value, tuple):
        return tuple(_as_student(item, formulas) for item in value)
    return value

"""Every kind makes random valid problems (Kind.example), and its second witness is checked on them: it agrees
with the solver there, and refuses a solution with any one answer changed (a witness that ignores a part would
let a wrong answer through). Driven by the registry: a new kind is checked here as soon as it is registered."""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction
from typing import Any

import mpmath
import pytest

from hwsolver.errors import SolveError
from hwsolver.kinds import KINDS
from hwsolver.model import Solution, Symbolic
from hwsolver.solving import solve
from hwsolver.spec.problems import example_problem, load_problems

SEEDS = range(4)
KIND_SEEDS = [(kind, seed) for kind in sorted(KINDS) for seed in SEEDS]


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_kind_makes_random_problems(kind: str) -> None:
    """Different seeds give different problems: the examples are random, not one problem again and again."""
    givens = {repr(example_problem(KINDS[kind], seed).given) for seed in range(8)}
    assert len(givens) >= 6, f"kinds/{kind}/examples.py: 8 seeds gave only {len(givens)} different problems"


@pytest.mark.parametrize(("kind", "seed"), KIND_SEEDS)
def test_the_witness_agrees_on_random_problems(example_solution, kind: str, seed: int) -> None:
    """solve() ran the kind's witness (exact against float, finite differences, a counted run): no SolveError."""
    solution = example_solution(kind, seed)
    assert set(solution.answers) == {part.id for part in solution.problem.parts}


def nudged(value: Any) -> Any:
    """The answer with its first number moved by 1 (a formula: plus 1; yes/no: the other one)."""
    if isinstance(value, bool):
        return not value
    if isinstance(value, Symbolic):
        return replace(value, expr=f"({value.expr}) + 1")
    if isinstance(value, dict):
        first = next(iter(value))
        return {**value, first: nudged(value[first])}
    if isinstance(value, tuple | list):
        return type(value)([nudged(value[0]), *value[1:]])
    if isinstance(value, int | Fraction | float | mpmath.mpf):
        return value + 1
    raise TypeError(f"no way to change an answer of type {type(value).__name__}")


CASES = [(p.kind, p.id) for p in load_problems()] + [(kind, seed) for kind, seed in KIND_SEEDS if seed < 2]


@pytest.mark.parametrize(("kind", "problem"), CASES)
def test_the_witness_refuses_any_answer_changed(example_solution, kind: str, problem: str | int) -> None:
    if isinstance(problem, int):
        solution: Solution = example_solution(kind, problem)
    else:
        (solution,) = [solve(p) for p in load_problems() if p.id == problem]
    for part, value in solution.answers.items():
        changed = replace(solution, answers={**solution.answers, part: nudged(value)})
        with pytest.raises(SolveError):
            KINDS[kind].witness(solution.problem, changed)
            pytest.fail(
                f"{solution.problem.id}: kind {kind}'s witness lets part '{part}' through changed: make "
                f"witness() in hwsolver/kinds/{kind}/ compute that answer a second, independent way and compare"
            )

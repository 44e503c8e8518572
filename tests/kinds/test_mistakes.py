"""Every mistake in a kind's table can be named: on some problem of the kind, its mutant's answer differs from the
right one (or, for a slip recognised by `matches`, the right answers are not taken for it). The built-in problems
of the kind come first, then its random examples (Kind.example): a mistake that changes nothing anywhere is
dead weight in the table, or a switch that no longer switches. Driven by the registry."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import pytest

from hwsolver.expr import equivalent, parse
from hwsolver.grading.prepared import as_floats
from hwsolver.kinds import KINDS
from hwsolver.model import Mutant, Solution, Symbolic
from hwsolver.solving import solve
from hwsolver.spec.problems import load_problems

SEEDS = 40  # examples tried, in order, until every mistake has shown


def agree(value: Any, right: Any) -> bool:
    """The same answer: numbers within 1e-9, formulas equivalent, and so through vectors and parameter sets."""
    if isinstance(right, Symbolic):
        if not isinstance(value, Symbolic):
            return False
        scope = right.scope
        return equivalent(parse(value.expr, scope), parse(right.expr, scope), scope, domain=right.domain).equal is True
    if isinstance(right, Mapping):
        return (
            isinstance(value, Mapping)
            and value.keys() == right.keys()
            and all(agree(value[k], right[k]) for k in right)
        )
    if isinstance(right, tuple | list):
        return isinstance(value, tuple | list) and len(value) == len(right) and all(map(agree, value, right))
    if isinstance(right, bool) or isinstance(value, bool):
        return value == right
    return abs(float(value) - float(right)) <= 1e-12 + 1e-9 * abs(float(right))


def changes(mutant: Mutant, solution: Solution) -> bool:
    if mutant.answers:
        return any(not agree(value, solution.answers[part]) for part, value in mutant.answers.items())
    return mutant.matches is not None and not any(
        mutant.matches(part, as_floats(answer)) for part, answer in solution.answers.items()
    )


def solutions(kind: str, example_solution) -> Iterator[Solution]:
    for problem in load_problems():
        if problem.kind == kind:
            yield solve(problem)
    for seed in range(SEEDS):
        yield example_solution(kind, seed)


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_mistake_changes_an_answer_somewhere(example_solution, kind: str) -> None:
    assert any(problem.kind == kind for problem in load_problems()), f"add a problem of kind {kind} to problems/"
    unseen = {mistake.id for mistake in KINDS[kind].mistakes}
    for solution in solutions(kind, example_solution):
        for mutant in KINDS[kind].mutants(solution.problem, solution):
            if mutant.id in unseen and changes(mutant, solution):
                unseen.discard(mutant.id)
        if not unseen:
            return
    pytest.fail(
        f"kind {kind}: the mistake(s) {sorted(unseen)} change no answer on its built-in problems nor on its "
        f"examples (seeds 0 to {SEEDS - 1}): switch them in the kind's own computation (hwsolver/kinds/{kind}/"
        "grading.py), make its examples (examples.py) give problems where they show, or drop them from the table"
    )

"""Solving problems: dispatch to the problem's kind, and the JSON and text accounts of the solutions."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from hwsolver.errors import SolveError
from hwsolver.kinds import KINDS
from hwsolver.model import Problem, Solution
from hwsolver.numbers import to_json
from hwsolver.options import check_own_forms
from hwsolver.problems import load_problems, too_large
from hwsolver.witness import Overflow, check_range


def solve(problem: Problem, *, exact: bool = True) -> Solution:
    """Every answer of the problem's kind (exact and float paths cross-checked unless exact=False)."""
    import numpy as np

    try:
        with np.errstate(over="ignore", invalid="ignore"):  # an overflow is told below, at the number causing it
            solution = KINDS[problem.kind].solve(problem, exact=exact)
        check_range(solution.answers)
    except (Overflow, OverflowError) as error:
        raise too_large(problem, getattr(error, "path", "")) from None
    except SolveError as error:  # the computation is undefined at the given values: say which file
        raise SolveError(f"{problem.source}: {error}") from None
    check_own_forms(solution)
    return solution


def solve_paths(paths: Sequence[str | Path] = (), *, exact: bool = True) -> list[Solution]:
    return [solve(problem, exact=exact) for problem in load_problems(paths)]


def solutions_json(solutions: Sequence[Solution], *, exact: bool = False) -> str:
    """{"problems": [{"id", "kind", "answers": {part_id: value}}]}: every part of the kind, in its order."""
    document = {
        "problems": [
            {
                "id": s.problem.id,
                "kind": s.problem.kind,
                "answers": {key: to_json(value, exact=exact) for key, value in s.answers.items()},
            }
            for s in solutions
        ]
    }
    return json.dumps(document, ensure_ascii=False, indent=2)


def solutions_text(solutions: Sequence[Solution], *, exact: bool = False) -> str:
    """A readable account per problem, from templates/text/<kind>.txt.j2."""
    from hwsolver.precision import precision_text
    from hwsolver.render import render

    return "\n".join(
        render(
            f"text/{s.problem.kind}.txt.j2",
            problem=s.problem,
            precision=precision_text(s, "en"),
            given=s.problem.given,
            answers=s.answers,
            work=s.work,
            asked=[part.id for part in s.problem.parts],
            exact=exact,
        )
        for s in solutions
    )

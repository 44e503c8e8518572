"""Solving problems: dispatch to the problem's kind, and the JSON and text accounts of the solutions."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from hwsolver.errors import SolveError
from hwsolver.handout.precision import precision_text
from hwsolver.kinds import KINDS
from hwsolver.model import Problem, Solution
from hwsolver.numbers import to_json
from hwsolver.render import kind_template, render
from hwsolver.spec.options import check_own_forms
from hwsolver.spec.problems import load_problems, too_large
from hwsolver.witness import Overflow, check_range


def solve(problem: Problem, *, exact: bool = True) -> Solution:
    """Every answer of the problem's kind, checked by the kind's second witness (exact=False: float64 alone)."""
    kind = KINDS[problem.kind]
    try:
        with np.errstate(over="ignore", invalid="ignore"):  # an overflow is told below, at the number causing it
            solution = kind.solve(problem, exact=exact)
            if exact:
                kind.witness(problem, solution)
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
    """A readable account per problem, from templates/kinds/<kind>/text.txt.j2."""
    return "\n".join(
        render(
            kind_template(s.problem.kind, "text"),
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

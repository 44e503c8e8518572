"""Solving problems: dispatch to the problem's kind, and the JSON and text accounts of the solutions."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from hwsolver.errors import SolveError, SpecError
from hwsolver.expr import parse
from hwsolver.grading.formulas import functions_used  # what the grader checks a form with
from hwsolver.grading.lecturer import lecturer_mutants
from hwsolver.handout.precision import precision_text
from hwsolver.kinds import KINDS
from hwsolver.model import Problem, Solution, Symbolic
from hwsolver.numbers import to_json
from hwsolver.render import kind_template, render
from hwsolver.spec.problems import too_large
from hwsolver.spec.sets import load_set
from hwsolver.witness import Overflow, check_range


def solve(problem: Problem, *, exact: bool = True, witness: bool = True) -> Solution:
    """Every answer of the problem's kind, checked by the kind's second witness (exact=False: float64 alone;
    witness=False: the exact path alone, for a draw of a variant that may be rejected before it is checked)."""
    with quiet():
        return solve_quiet(problem, exact=exact, witness=witness)


def quiet() -> np.errstate:
    """NumPy's error state a solve runs in: an overflow is told by check_range, at the number causing it."""
    return np.errstate(over="ignore", invalid="ignore")


def solve_quiet(problem: Problem, *, exact: bool = True, witness: bool = True) -> Solution:
    """solve(), for a caller inside quiet() (entering NumPy's error state costs a few microseconds: a grading
    worker solves a student's variants under one)."""
    kind = KINDS[problem.kind]
    try:
        solution = kind.solve(problem, exact=exact)
        if exact and witness:
            kind.witness(problem, solution)
        check_range(solution.answers)
    except (Overflow, OverflowError) as error:
        raise too_large(problem, getattr(error, "path", "")) from None
    except SolveError as error:  # the computation is undefined at the given values: say which file
        raise SolveError(f"{problem.source}: {error}") from None
    check_own_forms(solution)
    lecturer_mutants(problem, solution)  # the problem's own mistakes read against its answers: SpecError if wrong
    return solution


def solve_paths(paths: Sequence[str | Path] = (), *, exact: bool = True) -> list[Solution]:
    """The problems `paths` name (an assignment, problem files, folders; default: the built-in homework), solved
    in their set's order."""
    return [solve(entry.problem, exact=exact) for entry in load_set(paths).entries]


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


def check_own_forms(solution: Solution) -> None:
    """SpecError when a part's own answer is not in the form the part asks for (every right answer would lose)."""
    problem = solution.problem
    for part in problem.parts:
        form = part.options.get("form", problem.options.get("form"))
        if not form:
            continue
        answer = solution.answers[part.id]
        if not isinstance(answer, Symbolic):
            if "form" in part.options:  # a problem-wide form is for the problem's formula parts
                raise SpecError(f"{form.where}: part '{part.id}' is answered by values, not a formula: no form applies")
            continue
        used = functions_used(parse(answer.expr, answer.scope))
        lacks = [name for name in form.get("uses", ()) if name not in used]
        has = [name for name in form.get("avoids", ()) if name in used]
        why = " and ".join(
            ([f"does not use {' or '.join(lacks)}"] if lacks else []) + ([f"uses {', '.join(has)}"] if has else [])
        )
        if why:
            own = f"the answer to part '{part.id}', {answer.expr}"
            raise SpecError(f"{form.where}: {own}, {why}, so right answers would lose credit")

"""Kind `index_gradient`: d f / d x[k] for f a formula in the elements of a vector (log_softmax(x)[i], ...).

The answer is a closed form in the free indices with KroneckerDelta (delta(i, k) - softmax(x)[k]); concrete
`values` of the vectors add the Jacobian J[a][b] = (d f / d x[k]) at i = a, k = b, evaluated at 50 digits and
checked against central differences of the function itself (float64, never through sympy).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import mpmath
import numpy as np
import sympy

from hwsolver.errors import SolveError
from hwsolver.expr import compile_numeric, parse, to_sympy
from hwsolver.expr.sympy_build import array as vector
from hwsolver.expr.sympy_build import index, size
from hwsolver.kinds.base import Kind, PartInfo
from hwsolver.kinds.index_gradient.forms import collapse, formula, unplaced
from hwsolver.kinds.index_gradient.given import GIVEN, IndexGradientGiven, parse_given
from hwsolver.model import Problem, Solution, Symbolic
from hwsolver.numbers import PRECISION_DIGITS

_DOMAIN = (-3.0, 3.0)
_WITNESS_SIZE = 4
PARTS = (
    PartInfo("gradient", "a formula in the vectors' elements and the indices, with KroneckerDelta where needed"),
    PartInfo("jacobian", "a matrix: J[a][b] = d f / d x[b] at the given values, f's free index = a (from 1)"),
)


@dataclass(frozen=True)
class TermStep:
    """One additive term of f: its derivative as differentiation gives it, and after collapsing the deltas."""

    term: Symbolic
    derivative: Symbolic
    result: Symbolic
    collapsed: bool  # a sum over a Kronecker delta was reduced to its one nonzero term


def parts_for(given: IndexGradientGiven) -> tuple[str, ...]:
    return ("gradient", "jacobian") if given.values else ("gradient",)


def gradient(given: IndexGradientGiven) -> sympy.Expr:
    """d f / d x[k] with every delta sum collapsed (softmax still written out)."""
    sizes = dict(given.vectors)
    return collapse(sympy.diff(_expanded(given), _wrt(given)), _wrt(given), size(sizes[given.wrt]))


def _expanded(given: IndexGradientGiven) -> sympy.Expr:
    """f with logs of products split (log softmax = x[i] - log(sum)): the same derivative, simpler terms."""
    return sympy.expand_log(to_sympy(given.function), force=True)


def _wrt(given: IndexGradientGiven) -> sympy.Indexed:
    return vector(given.wrt)[index(given.index)]


def solve(problem: Problem, *, exact: bool = True) -> Solution:
    given: IndexGradientGiven = problem.given
    sizes, scope, wrt = dict(given.vectors), given.scope, _wrt(given)

    def shown(expr: sympy.Expr) -> Symbolic:
        return formula(expr, sizes, scope, _DOMAIN)

    f = _expanded(given)
    terms = []
    for term in sorted(sympy.Add.make_args(f), key=lambda t: t.could_extract_minus_sign()):
        raw = sympy.diff(term, wrt)
        terms.append(
            TermStep(shown(term), shown(raw), shown(collapse(raw, wrt, size(sizes[given.wrt]))), raw.has(sympy.Sum))
        )
    answer = shown(gradient(given))
    tidied = unplaced(to_sympy(parse(answer.expr, scope)), sizes)
    cases = ()
    delta = sympy.KroneckerDelta(index(given.free), index(given.index)) if given.free else None
    if delta is not None and tidied.has(delta):
        same = tidied.subs(delta, 1).subs(index(given.free), index(given.index))
        cases = ((True, shown(same)), (False, shown(tidied.subs(delta, 0))))
    answers: dict[str, Any] = {"gradient": answer}
    if given.values:
        values = dict(given.values)
        if exact:
            answers["jacobian"] = _jacobian_exact(given, tidied, values)
        else:
            answers["jacobian"] = tuple(map(tuple, jacobian_numeric(given, answer.expr, values).tolist()))
    work = {"function": shown(f), "terms": tuple(terms), "cases": cases}
    return Solution(problem, answers, work)


def witness(problem: Problem, solution: Solution) -> None:
    """Central differences of f itself (float64, never through sympy) at the given values, or at a fixed point
    with C = 4, agree with the gradient formula there and with the Jacobian's values."""
    given: IndexGradientGiven = problem.given
    values = dict(given.values) or _witness_point(given)
    check = _differences(given, values)
    answer = solution.answers["gradient"]
    numeric = jacobian_numeric(given, answer.expr, values)
    for found in (numeric, np.array(solution.answers.get("jacobian", numeric), dtype=float)):
        if abs(found - check).max() > 1e-6 * (1 + abs(check).max()):
            raise SolveError(f"{problem.id}: d/d{given.wrt}[{given.index}] = {answer.expr} disagrees with differences")


def _witness_point(given: IndexGradientGiven) -> dict[str, tuple[Fraction, ...]]:
    """A fixed random point (C = 4) for the second witness when the problem gives none."""
    rng = random.Random(sum(map(ord, given.wrt + given.index)))
    return {name: tuple(Fraction(rng.randint(-20, 20), 10) for _ in range(_WITNESS_SIZE)) for name, _ in given.vectors}


def _shape(given: IndexGradientGiven, values: dict[str, tuple[Fraction, ...]]) -> tuple[range, range]:
    """The Jacobian's row indices (one row when f has no free index) and column indices."""
    rows = range(1, len(values[given.rows]) + 1) if given.free else range(1, 2)
    return rows, range(1, len(values[given.wrt]) + 1)


def _at(given: IndexGradientGiven, row: int, column: int) -> dict[str, int]:
    return {given.index: column, **({given.free: row} if given.free else {})}


def jacobian_numeric(given: IndexGradientGiven, expr: str, values: dict[str, tuple[Fraction, ...]]) -> Any:
    """J[a][b]: the formula `expr` (in the problem's names) at i = a, k = b, in float64."""
    scope = given.scope
    evaluate = compile_numeric(parse(expr, scope), scope)
    env = {name: np.array([[float(v) for v in value]]) for name, value in values.items()}
    rows, columns = _shape(given, values)
    return np.array([[float(evaluate({**env, **_at(given, a, b)})[0]) for b in columns] for a in rows])


def _differences(given: IndexGradientGiven, values: dict[str, tuple[Fraction, ...]]) -> Any:
    """J[a][b] by central differences of f itself, with step h in x[b] (float64, the independent witness)."""
    scope, h = given.scope, 1e-6
    evaluate = compile_numeric(given.function, scope)
    rows, columns = _shape(given, values)
    env = {name: np.array([[float(v) for v in value]] * 2 * len(columns)) for name, value in values.items()}
    for b in columns:  # row 2(b-1) is x + h e_b, row 2(b-1)+1 is x - h e_b
        env[given.wrt][2 * (b - 1), b - 1] += h
        env[given.wrt][2 * (b - 1) + 1, b - 1] -= h
    result = []
    for a in rows:
        out = evaluate({**env, **({given.free: a} if given.free else {})})  # k is not in f
        result.append([(out[2 * (b - 1)] - out[2 * (b - 1) + 1]) / (2 * h) for b in columns])
    return np.array(result)


def _jacobian_exact(given: IndexGradientGiven, expr: sympy.Expr, values: dict[str, tuple[Fraction, ...]]) -> tuple:
    """J at 50 digits: the closed form with the indices and vector entries put in, through sympy and mpmath."""
    rows, columns = _shape(given, values)
    concrete = expr.subs({size(s): len(values[name]) for name, s in given.vectors})
    entries = {
        vector(name)[m]: sympy.Rational(v.numerator, v.denominator)
        for name, value in values.items()
        for m, v in enumerate(value, start=1)
    }
    matrix = []
    with mpmath.workdps(PRECISION_DIGITS):
        for a in rows:
            row = []
            for b in columns:
                at = {index(name): value for name, value in _at(given, a, b).items()}
                row.append(mpmath.mpf(sympy.N(concrete.subs(at).doit().subs(entries), PRECISION_DIGITS + 5)))
            matrix.append(tuple(row))
    return tuple(matrix)


# grading.py uses what is defined above (jacobian_numeric): imported once it is.
from hwsolver.kinds.index_gradient import examples, explain, grading  # noqa: E402

KIND = Kind(
    name="index_gradient",
    description="the gradient of a function of an indexed vector by one element, with Kronecker deltas",
    given=GIVEN,
    parse_given=parse_given,
    parts=PARTS,
    parts_for=parts_for,
    solve=solve,
    witness=witness,
    mistakes=grading.MISTAKES,
    mutants=grading.mutants,
    example=examples.example,
    strings=explain.STRINGS,
    labels=explain.LABELS,
    follow_through=grading.follow_through,
    trivial=grading.trivial,
)

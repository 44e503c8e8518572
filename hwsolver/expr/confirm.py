"""The high-precision witness: two formulas the float test found equal are compared again at 50 digits.

Float64 sees no difference below about 1e-16 of a value, and the float test allows 1e-6 for rounding in the
formulas themselves; so `ref + 1/10^10`, `ref*(1 + 1/10^7)` and `ref + exp(-40)` pass it. At 50 digits the
difference of two forms of one function is below 1e-40, and the tolerance here is 1e-30 of the values (floored
at 1): those near misses are differences of 1e-18 and more. A few rows of the samples are tried (random points in
the domain, one near 0, one outside it) for a few index combinations; reference values are remembered.
"""

from __future__ import annotations

import random
from functools import lru_cache
from typing import Any

from hwsolver.errors import ExprError
from hwsolver.expr.limits import MAX_PRECISE_WORK
from hwsolver.expr.nodes import Expr
from hwsolver.expr.samples import Setup, samples, stand_in_constants
from hwsolver.expr.work import Budget, OutOfWork

TOLERANCE = 1e-30
_RANDOM_ROWS = 2
_COMBINATIONS = 4


def rows(setup: Setup, few: bool = False) -> tuple[int, ...]:
    """The sample rows tried: the first random points, the first near 0 (if any), the first outside; or (few) the
    first random point alone (for the extra size settings, where a difference of a size is sought)."""
    if few:
        return (0,)
    near = (setup.points,) if setup.inside > setup.points else ()
    return (*range(min(_RANDOM_ROWS, setup.points)), *near, setup.inside)


def chosen(combos: tuple[tuple[int, ...], ...], seed: int) -> tuple[tuple[int, ...], ...]:
    """A few index combinations: the first, the last, and some between (seeded)."""
    if len(combos) <= _COMBINATIONS:
        return combos
    middle = random.Random(seed).sample(combos[1:-1], _COMBINATIONS - 2)
    return (combos[0], *middle, combos[-1])


def difference(
    student: Expr,
    reference: Expr,
    setup: Setup,
    free: tuple[str, ...],
    combos: tuple[tuple[int, ...], ...],
    budget: Budget,
    few: bool = False,
) -> tuple[int, tuple[int, ...], Any, Any] | None:
    """(row, combination, student's value, reference's value) where the two differ at 50 digits, or None."""
    import mpmath

    from hwsolver.expr.precise import precise_value

    scope = setup.scope
    for combo in chosen(combos, setup.seed):
        expected = _reference(reference, setup, free, combo, few)
        for row, want in zip(rows(setup, few), expected, strict=True):
            if not mpmath.isfinite(want):
                continue
            env = {**_row(setup, row), **dict(zip(free, combo, strict=True))}
            try:
                got = precise_value(student, scope, env, budget)
            except OutOfWork:
                raise
            except ExprError:
                return row, combo, None, want
            if not mpmath.isfinite(got):
                if row < setup.inside:
                    return row, combo, got, want
                continue  # outside the domain a form may be undefined where another is not
            if abs(got - want) > TOLERANCE * max(1, abs(got), abs(want)):
                return row, combo, got, want
    return None


@lru_cache(maxsize=1024)
def _reference(
    reference: Expr, setup: Setup, free: tuple[str, ...], combo: tuple[int, ...], few: bool
) -> tuple[Any, ...]:
    from hwsolver.expr.precise import precise_value

    budget = Budget(MAX_PRECISE_WORK)
    indices = dict(zip(free, combo, strict=True))
    return tuple(precise_value(reference, setup.scope, {**_row(setup, r), **indices}, budget) for r in rows(setup, few))


@lru_cache(maxsize=256)
def _row_cached(setup: Setup, row: int) -> dict[str, Any]:
    import mpmath

    scope, env = setup.scope, samples(setup)
    values: dict[str, Any] = {name: mpmath.mpf(float(env[name][row])) for name in scope.variables}
    values |= {name: [mpmath.mpf(float(v)) for v in env[name][row]] for name in scope.vectors}
    values |= {name: _nested(env[name][row].tolist()) for name in scope.arrays}
    values |= dict(setup.setting.sizes)
    values |= {name: _precise_stand_in(name) for name in scope.functions}
    return values


def _row(setup: Setup, row: int) -> dict[str, Any]:
    return dict(_row_cached(setup, row))


def _nested(value: Any) -> Any:
    import mpmath

    return [_nested(v) for v in value] if isinstance(value, list) else mpmath.mpf(value)


def _precise_stand_in(name: str) -> Any:
    """The stand-in of a declared function (samples.stand_in) in mpmath."""
    import mpmath

    a, b, c = (mpmath.mpf(v) for v in stand_in_constants(name))
    return lambda t: mpmath.tanh(a * t + b) + c * t

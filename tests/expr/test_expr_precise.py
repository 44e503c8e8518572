"""The 50-digit evaluation (precise.py) against the float64 one (numeric.py): they share the walk over the tree
(closures.py) but not the arithmetic, so each node type is computed both ways at one point and must agree; where
float64 runs out of digits, only the 50-digit value keeps the difference."""

from __future__ import annotations

import math

import mpmath
import numpy as np
import pytest

from hwsolver.expr import Scope, compile_numeric, parse
from hwsolver.expr.precise import precise_value
from hwsolver.expr.work import Budget

SCOPE = Scope(
    variables=("x", "y"),
    indices=("i", "k"),
    vectors={"v": "C"},
    arrays={"A": 2},
    functions=("f",),
    sizes=("K",),
)
POINT = {"x": 0.75, "y": -1.25, "i": 2, "k": 3, "C": 3, "K": 2, "v": [0.5, -1.0, 2.0], "A": [[1.0, 2.0], [3.0, 4.0]]}


def both(text: str, scope: Scope = SCOPE, point: dict = POINT) -> tuple[float, mpmath.mpf]:
    """text at the point, in float64 and at 50 digits (f is t -> t^3 - t in both)."""
    expr = parse(text, scope)
    floats = {n: np.asarray(v, dtype=float) if isinstance(v, (list, float)) else v for n, v in point.items()}
    floats["f"] = lambda t: t**3 - t
    precise = {n: _mpf(v) if isinstance(v, (list, float)) else v for n, v in point.items()}
    precise["f"] = lambda t: t**3 - t
    numeric = float(compile_numeric(expr, scope)(floats))
    return numeric, precise_value(expr, scope, precise, Budget())


def _mpf(value: float | list) -> mpmath.mpf | list:
    return [_mpf(v) for v in value] if isinstance(value, list) else mpmath.mpf(value)


@pytest.mark.parametrize(
    "text",
    [
        "3/7 + x*y - x/y + x^y^2 - (-x)",  # Num, Var, Add, Mul, Div, Pow, Neg
        "e^x + pi",  # Const
        "i + k*C - K",  # indices and sizes as values
        "v[i] + A[1, K] - A[K, 1]",  # Item
        "softmax(v)[k] + log_softmax(v)[i]",  # Softmax
        "Sum(v[j]^2, (j, 1, C)) + Sum(Sum(A[j, m]*j, (j, 1, K)), (m, 1, K))",  # Sum
        "f(x) + f(v[1])",  # a declared function
        "KroneckerDelta(i, k) + 2 KroneckerDelta(i, i)",
        "Heaviside(y) + Heaviside(x) + Heaviside(0) + Heaviside(0, 1/4)",
        "Max(x, y, 1/2) + Min(x, y) + Max(y, -2)",
        "exp(x) log(x) sqrt(x) abs(y) tanh(y) sinh(x) cosh(y) sech(x) csch(y) coth(x)",
        "sin(x) + cos(y) + tan(x) + sigmoid(y) + sigmoid'(x) + sigmoid''(y) + relu(y) + relu(x) + softplus(y)",
    ],
)
def test_each_node_type_agrees_in_both_arithmetics(text: str) -> None:
    numeric, precise = both(text)
    assert math.isfinite(numeric) and numeric != 0
    assert float(precise) == pytest.approx(numeric, rel=1e-13)


def test_only_fifty_digits_keep_a_difference_below_float64s_reach() -> None:
    numeric, precise = both("(x + exp(-40)) - x")
    assert numeric == 0.0
    assert precise == pytest.approx(mpmath.exp(-40), rel=1e-40)


def test_reading_outside_is_zero_in_both_when_the_scope_says_so() -> None:
    """v[6] and A[1, 9] read 0; softmax(v)[8] is the formula exp(v[8]) / sum exp(v[j]) with v[8] read as 0."""
    zero = Scope(indices=("i",), vectors={"v": "C"}, arrays={"A": 2}, zero_outside=True)
    numeric, precise = both("v[i + 5] + A[i, 9] + softmax(v)[i + 7]", zero, {**POINT, "i": 1})
    assert numeric == pytest.approx(1 / sum(math.exp(v) for v in POINT["v"]), rel=1e-15)
    assert float(precise) == pytest.approx(numeric, rel=1e-15)

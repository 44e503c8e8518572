"""Answer formulas from sympy results: the tidy factored form, written in reading order by the one printer."""

from __future__ import annotations

import pytest
import sympy

from hwsolver.compute.formulas import symbolic, tidy
from hwsolver.expr import Scope, equivalent, from_sympy, parse, to_sympy
from hwsolver.expr.sympy_funcs import sigmoid

x = sympy.Symbol("x", real=True)  # as the expression language builds the variable x
X = Scope(variables=("x",))
s = sigmoid(x)


@pytest.mark.parametrize(
    ("expr", "written"),
    [
        (s * (1 - s), "sigmoid(x)*(1 - sigmoid(x))"),
        (s * (1 - s) * (1 - 2 * s), "sigmoid(x)*(1 - sigmoid(x))*(1 - 2*sigmoid(x))"),
        (6 * s**2 - 6 * s + 1, "1 - 6*sigmoid(x) + 6*sigmoid(x)^2"),
        (-(x**2) + x, "x - x^2"),
        (s * (s - 1), "-sigmoid(x)*(1 - sigmoid(x))"),
        (sympy.exp(-x) / (1 + sympy.exp(-x)) ** 2, "exp(-x)/(1 + exp(-x))^2"),
        (sympy.Rational(3, 2) * x / (1 + x**2), "3*x/(2*(1 + x^2))"),
        (2 * sympy.pi * x, "2*x*pi"),  # a constant is an atom: no "(pi)"
    ],
)
def test_reading_order(expr: sympy.Expr, written: str) -> None:
    assert from_sympy(expr, reading_order=True) == written
    assert sympy.simplify(to_sympy(parse(written, X)) - expr) == 0


@pytest.mark.parametrize(
    "expr", [s * (1 - s), sympy.exp(-(x**2) / 2) * (1 - x**2), 1 / (1 + x**2) ** sympy.Rational(3, 2), s - s**2]
)
def test_both_orders_write_the_same_function(expr: sympy.Expr) -> None:
    plain, reading = (parse(from_sympy(expr, reading_order=order), X) for order in (False, True))
    assert equivalent(plain, reading, X).equal


def test_tidy_prefers_a_true_factorisation_and_symbolic_parses_back() -> None:
    assert from_sympy(tidy(s - s**2), reading_order=True) == "sigmoid(x)*(1 - sigmoid(x))"
    answer = symbolic(tidy(s - s**2), X, (-3.0, 3.0))
    assert answer.expr == "sigmoid(x)*(1 - sigmoid(x))"
    assert answer.latex == r"\sigma\left(x\right) \left(1 - \sigma\left(x\right)\right)"

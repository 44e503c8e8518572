"""Round trips: parse -> print -> parse, parse -> sympy -> from_sympy -> parse, parse -> LaTeX -> parse."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
import sympy

from hwsolver.expr import Scope, compile_numeric, from_sympy, parse, to_latex, to_sympy, to_text
from hwsolver.expr.nodes import Num

SCALAR = Scope(variables=("x", "y"))
VECTOR = Scope(indices=("i", "k"), vectors={"x": "C"})
CONV = Scope(indices=("i", "j"), arrays={"w": 2, "e": 2, "z": 2}, functions=("f", "fprime"), sizes=("K",), index_base=0)

CASES = [
    (SCALAR, "sigmoid(x)*(1 - sigmoid(x))*(1 - 2*sigmoid(x))"),
    (SCALAR, "exp(-x)/(1 + exp(-x))^2"),
    (SCALAR, "-x^2 + 2x - 1/3 x + 0.25"),
    (SCALAR, "-(x - y) - -x"),
    (SCALAR, "(-x)^3 / (y^2 + 1) / 2"),
    (SCALAR, "x^y^2 + (x^y)^2"),
    (SCALAR, "sqrt(x^2 + 1) * abs(y) - tanh(x)"),
    (SCALAR, "relu(x) + softplus(y) + Max(x, y, 0.5) - Min(x, 1)"),
    (SCALAR, "log(1 + exp(x)) * pi / e"),
    (SCALAR, "x * (y * (x + 1))"),
    (SCALAR, "2^-x + x^(-2)"),
    (SCALAR, "x^1e-30 + y^(3/2)"),  # a fractional exponent whose denominator prints as m*10^k keeps its parentheses
    (VECTOR, "KroneckerDelta(i, k) - softmax(x)[k]"),
    (VECTOR, "log_softmax(x)[k] + 2*Sum(x[j]^2, (j, 1, C))"),
    (VECTOR, "Sum(x[j], (j, 1, C)) * x[i] - x[k + 1]"),
    (CONV, "fprime(z[i,j]) * Sum(Sum(w[u,v]*e[i-u,j-v], (v,0,K-1)), (u,0,K-1))"),
    (CONV, "f(z[i, j]) - 2*z[i + 1, j - 1]"),
    (CONV, "exp(e[i, j]) - KroneckerDelta(i, j + 1)"),
]


def _env(scope: Scope) -> dict[str, object]:
    rng = np.random.default_rng(3)
    env: dict[str, object] = {name: rng.uniform(0.5, 2.0, 8) for name in scope.variables}
    env |= {name: rng.uniform(-2, 2, (8, 4)) for name in scope.vectors}
    env |= {name: rng.uniform(-2, 2, (8, 4, 4)) for name in scope.arrays}
    env |= {"C": 4, "K": 2, "i": 2, "k": 3, "j": 1, "f": np.sin, "fprime": np.cos}
    return env


def _same_function(a: str, b: str, scope: Scope) -> None:
    env = _env(scope)
    first = compile_numeric(parse(a, scope), scope)(env)
    second = compile_numeric(parse(b, scope), scope)(env)
    np.testing.assert_allclose(first, second, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize(("scope", "text"), CASES)
def test_printer_round_trip(scope: Scope, text: str) -> None:
    printed = to_text(parse(text, scope))
    _same_function(text, printed, scope)
    assert to_text(parse(printed, scope)) == printed


@pytest.mark.parametrize(("scope", "text"), CASES)
def test_sympy_round_trip(scope: Scope, text: str) -> None:
    _same_function(text, from_sympy(to_sympy(parse(text, scope))), scope)


@pytest.mark.parametrize(("scope", "text"), CASES)
def test_latex_round_trip(scope: Scope, text: str) -> None:
    _same_function(text, "$" + to_latex(parse(text, scope), scope) + "$", scope)


def test_latex_output_respects_names_the_problem_declares() -> None:
    scope = Scope(indices=("i", "j"), arrays={"e": 2, "delta": 2}, index_base=0)
    tree = parse("exp(e[i, j]) * KroneckerDelta(i, j) + delta[i, j]", scope)
    latex = to_latex(tree, scope)
    assert latex == r"\exp\left(e_{i, j}\right) \operatorname{KroneckerDelta}\left(i, j\right) + \delta_{i, j}"
    assert parse(f"${latex}$", scope) == tree
    assert to_latex(parse("exp(x)*KroneckerDelta(i, k)", Scope(variables=("x",), indices=("i", "k")))) == (
        r"e^{x} \delta_{i, k}"
    )


@pytest.mark.parametrize(
    ("value", "printed"),
    [
        (Fraction(1, 5), "0.2"),
        (Fraction(1, 3), "1/3"),
        (Fraction(-7, 8), "-0.875"),
        (Fraction(10**40 + 7), "100000000000*10^29 + 7"),
    ],
)
def test_numbers_print_exactly(value: Fraction, printed: str) -> None:
    assert to_text(Num(value)) == printed
    text = to_text(Num(value))
    assert compile_numeric(parse(text, SCALAR), SCALAR)({}) == pytest.approx(float(value), rel=1e-15)
    assert to_sympy(parse(text, SCALAR)) == sympy.Rational(value.numerator, value.denominator)


def test_from_sympy_of_sympy_derivatives() -> None:
    x = sympy.Symbol("x", real=True)
    sig = to_sympy(parse("sigmoid(x)", SCALAR))
    assert from_sympy(sympy.diff(sig, x)) == "(1 - sigmoid(x))*sigmoid(x)"
    f, z = sympy.Function("f"), sympy.IndexedBase("z")
    i, j = sympy.symbols("i j", integer=True)
    assert from_sympy(sympy.diff(f(z[i, j]), z[i, j])) == "fprime(z[i, j])"


def test_to_latex_of_sympy() -> None:
    assert to_latex(to_sympy(parse("softmax(x)[k]", VECTOR))) == r"\frac{e^{x_{k}}}{\sum_{j=1}^{C} e^{x_{j}}}"
    assert to_latex(parse("sigmoid(x)*(1 - sigmoid(x))", SCALAR)) == (
        r"\sigma\left(x\right) \left(1 - \sigma\left(x\right)\right)"
    )

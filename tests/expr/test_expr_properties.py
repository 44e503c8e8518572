"""Property tests: arbitrary text and token soup only ever raise ExprError, with bounded work; numeric agrees with
sympy."""

from __future__ import annotations

import contextlib
import math

import numpy as np
import sympy
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from hwsolver.errors import ExprError
from hwsolver.expr import Scope, compile_numeric, equivalent, parse, to_latex, to_sympy, to_text
from hwsolver.expr.limits import MAX_LENGTH, MAX_NODES, MAX_TOKENS
from hwsolver.expr.work import Meter

SCOPE = Scope(variables=("x", "y"), indices=("i", "k"), vectors={"v": "C"}, arrays={"w": 2}, functions=("f",))
SCALAR = Scope(variables=("x", "y"))
ENV = {
    "x": np.array([0.3, -1.2]),
    "y": np.array([1.5, 0.7]),
    "v": np.array([[0.1, 0.2, 0.3], [1.0, -1.0, 0.5]]),
    "w": np.ones((2, 3, 3)),
    "i": 1,
    "k": 2,
    "f": np.sin,
}
PLAIN_TOKENS = (  # noqa: SIM905
    "x y i k v w e C f 0 1 2 0.5 1e-3 + - * / ^ ** ( ) [ ] , ' . ! = _ ² σ δ π − sigmoid exp log sqrt abs tanh "
    "relu softplus Heaviside KroneckerDelta Max Min softmax log_softmax Sum Derivative __class__ lambda eval "
    "v_k w_ik w_{i,k} _{ { } xy sigma delta sum"
).split()
LATEX_TOKENS = (  # noqa: SIM905
    r"x y i k v e C \pi \sigma \delta \exp \log \ln \sqrt \frac \dfrac \sum \cdot \times \left \right "
    r"\operatorname{softmax} \mathrm{relu} \, \input \def { } ( ) [ ] _ ^ + - = 1 2 j ' \\ | \prime (l) (l-1) w"
).split()
QUICK = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _parse_or_refuse(text: str, scope: Scope = SCOPE):
    steps, units = Meter.steps, Meter.units
    try:
        tree = parse(text, scope)
    except ExprError as exc:
        assert "\n" not in str(exc)
        tree = None
    assert Meter.steps - steps <= MAX_LENGTH + MAX_TOKENS + MAX_NODES and Meter.units == units
    return tree


def _use(tree) -> None:
    """Everything downstream of a successful parse also fails only with ExprError."""
    with contextlib.suppress(ExprError):
        compile_numeric(tree, SCOPE)(ENV)
    with contextlib.suppress(ExprError):
        to_sympy(tree)
    printed = to_text(tree)
    assert to_text(parse(printed, SCOPE)) == printed
    parse("$" + to_latex(tree) + "$", SCOPE)


@QUICK
@given(st.text(max_size=200))
def test_any_text_only_raises_expr_error(text: str) -> None:
    tree = _parse_or_refuse(text)
    if tree is not None:
        _use(tree)


@QUICK
@given(st.lists(st.sampled_from(PLAIN_TOKENS), max_size=30), st.sampled_from(["", " "]))
def test_token_soup_only_raises_expr_error(tokens: list[str], sep: str) -> None:
    tree = _parse_or_refuse(sep.join(tokens))
    if tree is not None:
        _use(tree)


@QUICK
@given(st.lists(st.sampled_from(LATEX_TOKENS), max_size=30))
def test_latex_soup_only_raises_expr_error(tokens: list[str]) -> None:
    tree = _parse_or_refuse("$" + " ".join(tokens) + "$")
    if tree is not None:
        _use(tree)


def _expressions() -> st.SearchStrategy[str]:
    leaves = st.sampled_from(["x", "y", "2", "3", "0.5", "1/3", "pi", "e"])
    unary = ["exp", "sigmoid", "tanh", "relu", "softplus", "abs", "log", "sqrt", "-"]

    def extend(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        return st.one_of(
            st.tuples(st.sampled_from(unary), inner).map(lambda t: f"-({t[1]})" if t[0] == "-" else f"{t[0]}({t[1]})"),
            st.tuples(inner, st.sampled_from(["+", "-", "*", "/"]), inner).map(lambda t: f"({t[0]}) {t[1]} ({t[2]})"),
            st.tuples(inner, st.sampled_from(["2", "3", "-1", "0.5"])).map(lambda t: f"({t[0]})^{t[1]}"),
            st.tuples(inner, inner).map(lambda t: f"Max({t[0]}, {t[1]})"),
        )

    return st.recursive(leaves, extend, max_leaves=8)


@settings(max_examples=150, deadline=None)
@given(_expressions(), st.floats(-2, 2), st.floats(-2, 2))
def test_numeric_agrees_with_sympy(text: str, x: float, y: float) -> None:
    tree = parse(text, SCALAR)
    got = float(compile_numeric(tree, SCALAR)({"x": np.array([x]), "y": np.array([y])})[0])
    assume(math.isfinite(got))
    point = {sympy.Symbol("x", real=True): x, sympy.Symbol("y", real=True): y}
    try:
        exact = to_sympy(tree).subs(point).evalf(30)
    except (ExprError, ValueError, TypeError):  # sympy refuses e.g. Max(x, log(x)) at x = 0 (zoo)
        assume(False)
    assume(exact.is_extended_real and exact.is_finite)
    assert abs(got - float(exact)) <= 1e-7 * (1 + abs(float(exact)))


@settings(max_examples=60, deadline=None)
@given(_expressions())
def test_every_expression_is_equivalent_to_its_printed_forms(text: str) -> None:
    tree = parse(text, SCALAR)
    for other in (to_text(tree), "$" + to_latex(tree) + "$"):
        assert equivalent(parse(other, SCALAR), tree, SCALAR).equal is not False

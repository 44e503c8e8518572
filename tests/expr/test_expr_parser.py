"""Plain-text syntax: precedence, implicit multiplication, exact numbers, names, sums, error messages."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from hwsolver.errors import ExprError
from hwsolver.expr import LocatedExprError, Scope, compile_numeric, parse, to_text
from hwsolver.expr.nodes import Call, Idx, Item, Mul, Num, Sum, Var

SCALAR = Scope(variables=("x", "y"))
VECTOR = Scope(indices=("i", "k"), vectors={"x": "C"})
CONV = Scope(indices=("i", "j"), arrays={"w": 2, "e": 2, "z": 2}, functions=("f", "fprime"), sizes=("K",), index_base=0)


def value(text: str, scope: Scope = SCALAR, **env: float) -> float:
    arrays = {k: np.array([v]) for k, v in env.items()}
    return float(compile_numeric(parse(text, scope), scope)(arrays)[0])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("-x**2", -4.0),
        ("-x^2", -4.0),
        ("(-x)^2", 4.0),
        ("2^3^2", 512.0),
        ("2**3**2", 512.0),
        ("-2^2", -4.0),
        ("2^-1", 0.5),
        ("2^-x", 0.25),
        ("1/2x", 1.0),
        ("8/2/2", 2.0),
        ("8/(2/2)", 8.0),
        ("2x^2", 8.0),
        ("x - 1 - 1", 0.0),
        ("x - (1 - 1)", 2.0),
        ("2*-x", -4.0),
        ("--x", 2.0),
        ("x²", 4.0),
        ("x³", 8.0),
        ("2·x", 4.0),
        ("2×x", 4.0),
        ("x − 1", 1.0),
        ("（x + 1）*2", 6.0),
        ("e^0 + pi - π", 1.0),
        ("ln(e)", 1.0),
    ],
)
def test_precedence_and_unicode(text: str, expected: float) -> None:
    assert value(text, x=2.0) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("text", "printed"),
    [
        ("2x", "2*x"),
        ("2 sigmoid(x)", "2*sigmoid(x)"),
        ("sigmoid(x)(1 - sigmoid(x))", "sigmoid(x)*(1 - sigmoid(x))"),
        ("(x)(y)", "x*y"),
        ("2(x+1)", "2*(x + 1)"),
        ("x y", "x*y"),
        ("x(1 + y)", "x*(1 + y)"),
        ("σ(x)", "sigmoid(x)"),
        ("2x y^2", "2*x*y^2"),
    ],
)
def test_implicit_multiplication(text: str, printed: str) -> None:
    assert to_text(parse(text, SCALAR)) == printed


@pytest.mark.parametrize(
    ("text", "exact"),
    [("0.2", Fraction(1, 5)), ("1e-3", Fraction(1, 1000)), ("2.50", Fraction(5, 2)), ("1E3", 1000), (".5", 0.5)],
)
def test_decimals_are_exact(text: str, exact: Fraction) -> None:
    assert parse(text, SCALAR) == Num(Fraction(exact))


def test_names_resolve_by_kind() -> None:
    tree = parse("KroneckerDelta(i, k)*x[k]", VECTOR)
    assert tree == Mul((Call("KroneckerDelta", (Idx("i"), Idx("k"))), Item("x", (Idx("k"),), 1)))
    assert parse("δ(i, k)", VECTOR) == parse("KroneckerDelta(i,k)", VECTOR) == parse("δ[i, k]", VECTOR)


def test_sum_binds_an_undeclared_index_locally() -> None:
    tree = parse("Sum(x[j]^2, (j, 1, C))", VECTOR)
    assert isinstance(tree, Sum) and tree.var == "j"
    assert to_text(tree) == "Sum(x[j]^2, (j, 1, C))"


def test_an_inner_sum_may_reuse_the_outer_variable() -> None:
    tree = parse("Sum(x[j] * Sum(x[j], (j, 1, 2)), (j, 1, C))", VECTOR)
    env = {"x": np.array([[1.0, 2.0, 4.0]])}
    assert compile_numeric(tree, VECTOR)(env).tolist() == [(1 + 2 + 4) * (1 + 2)]


def test_conv_recursion_spellings_agree() -> None:
    plain = parse("fprime(z[i,j]) * Sum(Sum(w[u,v]*e[i-u,j-v], (v,0,K-1)), (u,0,K-1))", CONV)
    assert parse("f'(z[i,j]) Sum(Sum(w[u,v] e[i-u,j-v], (v,0,K-1)), (u,0,K-1))", CONV) == plain
    derivative = parse("Derivative(f(z[i, j]), z[i, j])", CONV)
    assert derivative == Call("fprime", (Item("z", (Idx("i"), Idx("j")), 0),), True)


@pytest.mark.parametrize(
    ("text", "scope", "message"),
    [
        ("2*x + q", SCALAR, "column 7: unknown name 'q'; this answer may use: x, y (variables); functions: exp, "),
        ("x +", SCALAR, "column 4: the expression ends too early"),
        ("sigmoid + x", SCALAR, "column 9: sigmoid needs its arguments in parentheses: sigmoid(...)"),
        ("exp(x, y)", SCALAR, "column 1: exp takes 1 argument, got 2"),
        ("(x + 1", SCALAR, "column 1: '(' is never closed"),
        ("x]", SCALAR, "column 2: unmatched ']'"),
        ("2 3", SCALAR, "column 3: missing operator before '3'"),
        ("x[1]", SCALAR, "column 2: unexpected '[': only vectors and arrays take indices (none declared)"),
        ("i[1]", VECTOR, "column 2: unexpected '[': only vectors and arrays take indices (x)"),
        ("x", VECTOR, "column 1: 'x' needs 1 index, as in x[i]"),
        ("x[i, k]", VECTOR, "column 1: x takes 1 index, got 2"),
        ("x[0.5]", VECTOR, "column 3: indices may only use integers, indices, sizes and + - *"),
        ("softmax(x)", VECTOR, "column 11: softmax(x) needs an index, as in softmax(x)[k]"),
        ("Sum(x[j], (x, 1, C))", VECTOR, "column 12: cannot sum over 'x': it is a vector"),
        ("Sum(x[j], j, 1, C)", VECTOR, "write a sum as Sum(body, (j, lo, hi))"),
        ("f'(x)", SCALAR, "column 1: f' is not a declared function; this answer may use: x, y (variables); "),
    ],
)
def test_error_messages(text: str, scope: Scope, message: str) -> None:
    with pytest.raises(ExprError) as info:
        parse(text, scope)
    assert message in str(info.value)
    assert "\n" not in str(info.value)


def test_error_has_column_and_caret() -> None:
    with pytest.raises(LocatedExprError) as info:
        parse("2*x + q", SCALAR)
    err = info.value
    assert err.column == 7
    assert err.caret.splitlines() == [f"unknown name 'q'; {SCALAR.allowed()}", "  2*x + q", "        ^"]


def test_scope_is_validated_and_hashable() -> None:
    assert hash(Scope(vectors={"x": "C"})) == hash(Scope(vectors={"x": "C"}))
    with pytest.raises(ExprError, match="clashes with a builtin"):
        Scope(variables=("exp",))
    with pytest.raises(ExprError, match="both as variable and as index"):
        Scope(variables=("x",), indices=("x",))
    with pytest.raises(ExprError, match="not a plain identifier"):
        Scope(variables=("__class__",))


def test_declared_names_shadow_constants() -> None:
    assert isinstance(parse("e[i, j]", CONV), Item)
    assert parse("e", Scope(variables=("e",))) == Var("e")


@pytest.mark.parametrize(
    "text", ["Heaviside(x, -x)", "Heaviside(x, -(x + 1))", "Heaviside(x, y)", "Heaviside(x, -y^2)"]
)
def test_heaviside_takes_a_number_as_its_value_at_zero(text: str) -> None:
    with pytest.raises(ExprError, match="Heaviside's second argument must be a number"):
        parse(text, SCALAR)


@pytest.mark.parametrize(
    ("text", "at_zero"), [("Heaviside(x, 0)", 0.0), ("Heaviside(x, -1)", -1.0), ("Heaviside(x, 1/2)", 0.5)]
)
def test_heaviside_with_a_number(text: str, at_zero: float) -> None:
    assert value(text, x=0.0) == at_zero

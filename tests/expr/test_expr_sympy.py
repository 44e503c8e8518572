"""The sympy side: activations as differentiable sympy functions, softmax as an explicit Sum."""

from __future__ import annotations

import sympy

from hwsolver.expr import Scope, parse, to_sympy

SCALAR = Scope(variables=("x", "y"))
VECTOR = Scope(indices=("i", "k"), vectors={"x": "C"})
CONV = Scope(indices=("i", "j"), arrays={"w": 2, "e": 2, "z": 2}, functions=("f", "fprime"), sizes=("K",), index_base=0)

X = sympy.Symbol("x", real=True)


def test_sigmoid_differentiates_in_terms_of_itself() -> None:
    s = to_sympy(parse("sigmoid(x)", SCALAR))
    assert sympy.diff(s, X) == s * (1 - s)
    second = sympy.diff(s, X, 2)
    assert sympy.simplify(second - s * (1 - s) * (1 - 2 * s)) == 0
    assert sympy.simplify(s.rewrite(sympy.exp) - 1 / (1 + sympy.exp(-X))) == 0
    assert float(s.subs(X, 0.3)) == 1 / (1 + float(sympy.exp(-0.3)))
    assert to_sympy(parse("sigmoid(0)", SCALAR)) == sympy.Rational(1, 2)


def test_relu_and_softplus() -> None:
    relu = to_sympy(parse("relu(x)", SCALAR))
    assert sympy.diff(relu, X) == sympy.Heaviside(X, 0)
    assert to_sympy(parse("relu(-2) + relu(3)", SCALAR)) == 3
    softplus = to_sympy(parse("softplus(x)", SCALAR))
    assert sympy.diff(softplus, X) == to_sympy(parse("sigmoid(x)", SCALAR))
    assert abs(float(softplus.subs(X, 1.5)) - float(sympy.log(1 + sympy.exp(1.5)))) < 1e-15


def test_softmax_is_an_explicit_sum_from_1_to_c() -> None:
    x, j, k = sympy.IndexedBase("x", real=True), sympy.Symbol("j", integer=True), sympy.Symbol("k", integer=True)
    c = sympy.Symbol("C", integer=True, positive=True)
    total = sympy.Sum(sympy.exp(x[j]), (j, 1, c))
    assert to_sympy(parse("softmax(x)[k]", VECTOR)) == sympy.exp(x[k]) / total
    assert to_sympy(parse("log_softmax(x)[k]", VECTOR)) == x[k] - sympy.log(total)
    assert to_sympy(parse("KroneckerDelta(i, k)", VECTOR)) == sympy.KroneckerDelta(sympy.Symbol("i", integer=True), k)


def test_exact_numbers_and_constants() -> None:
    assert to_sympy(parse("0.2x + 1e-3", SCALAR)) == sympy.Rational(1, 5) * X + sympy.Rational(1, 1000)
    assert to_sympy(parse("e^x + pi", SCALAR)) == sympy.exp(X) + sympy.pi


def test_conv_recursion_uses_undefined_functions_and_indexed() -> None:
    tree = parse("fprime(z[i,j]) * Sum(Sum(w[u,v]*e[i-u,j-v], (v,0,K-1)), (u,0,K-1))", CONV)
    expr = to_sympy(tree)
    assert expr.has(sympy.Function("fprime"))
    i, j = sympy.symbols("i j", integer=True)
    u, v = sympy.symbols("u v", integer=True)
    w, e, z = (sympy.IndexedBase(name, real=True) for name in "wez")
    k = sympy.Symbol("K", integer=True, positive=True)
    inner = sympy.Sum(sympy.Sum(w[u, v] * e[i - u, j - v], (v, 0, k - 1)), (u, 0, k - 1))
    assert expr == sympy.Function("fprime")(z[i, j]) * inner


def test_every_builtin_function_has_a_numeric_and_a_sympy_form() -> None:
    from hwsolver.expr import numeric, sympy_build, sympy_read
    from hwsolver.expr.catalog import FUNCTIONS, PRIMED_BUILTINS

    assert set(numeric.UNARY) | set(numeric.VARIADIC) | set(numeric.SPECIAL_CALLS) == set(FUNCTIONS)
    assert set(sympy_build._BUILTINS) == set(FUNCTIONS)
    # read back from sympy: all but sqrt (a power), Heaviside (its own rule) and sigmoid' (sympy expands it)
    assert set(sympy_read._FUNCTIONS.values()) == set(FUNCTIONS) - {"sqrt", "Heaviside", *PRIMED_BUILTINS.values()}

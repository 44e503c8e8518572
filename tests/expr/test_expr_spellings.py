"""Spellings real students use: each reads as its canonical form, and the near-misses stay refused or distinct."""

from __future__ import annotations

import numpy as np
import pytest
import sympy

from hwsolver.errors import ExprError
from hwsolver.expr import Scope, compile_numeric, equivalent, from_sympy, parse, to_sympy, to_text
from hwsolver.expr.nodes import Pow, Var

SCALAR = Scope(variables=("x",))
VECTOR = Scope(indices=("i", "k"), vectors={"x": "C"})
CONV = Scope(
    indices=("i", "j"),
    arrays={"w": 2, "e": 2, "z": 2},
    functions=("f", "fprime"),
    sizes=("K",),
    index_base=0,
    zero_outside=True,
)
POLY = Scope(variables=("n", "L"))
D1 = "sigmoid(x)*(1 - sigmoid(x))"
CONV_PLAIN = "fprime(z[i, j]) * Sum(Sum(w[u, v]*e[i - u, j - v], (v, 0, K - 1)), (u, 0, K - 1))"
CONV_REFERENCE = (
    r"$f'\!\left(z^{(l-1)}_{i, j}\right) \sum_{u=0}^{K-1} \sum_{v=0}^{K-1} w_{u, v}\, e^{(l)}_{i - u, j - v}$"
)


@pytest.mark.parametrize(
    ("spelling", "canonical", "scope"),
    [
        # 1. sigma as an ASCII alias of sigmoid
        ("sigma(x)*(1-sigma(x))", D1, SCALAR),
        ("$sigma(x)$", "sigmoid(x)", SCALAR),
        # 2. delta called or indexed is KroneckerDelta
        ("delta(i, k)", "KroneckerDelta(i, k)", VECTOR),
        ("delta[i, k]", "KroneckerDelta(i, k)", VECTOR),
        ("δ[i,k]", "KroneckerDelta(i, k)", VECTOR),
        # 3. lowercase sum
        ("sum(exp(x[j]), (j, 1, C))", "Sum(exp(x[j]), (j, 1, C))", VECTOR),
        # 4. plain-text subscripts
        ("x_k", "x[k]", VECTOR),
        ("x_{k}", "x[k]", VECTOR),
        ("x_1 + x_C", "x[1] + x[C]", VECTOR),
        ("2x_k^2", "2*x[k]^2", VECTOR),
        ("softmax(x)_k", "softmax(x)[k]", VECTOR),
        ("log_softmax(x)_{k}", "log_softmax(x)[k]", VECTOR),
        ("δ_ik - softmax(x)_k", "KroneckerDelta(i, k) - softmax(x)[k]", VECTOR),
        ("δ_{ik}", "KroneckerDelta(i, k)", VECTOR),
        ("δ_{i, k}", "KroneckerDelta(i, k)", VECTOR),
        ("delta_ik", "KroneckerDelta(i, k)", VECTOR),
        ("Sum(exp(x_j), (j, 1, C))", "Sum(exp(x[j]), (j, 1, C))", VECTOR),
        ("z_ij", "z[i, j]", CONV),
        ("w_{1, 0} + w_10", "w[1, 0] + w[1, 0]", CONV),
        (
            "Sum(Sum(w_uv e_{i,j}, (v, 0, K-1)), (u, 0, K-1))",
            "Sum(Sum(w[u, v]*e[i, j], (v, 0, K-1)), (u, 0, K-1))",
            CONV,
        ),
        ("Sum(w_{u,v}, (u, 0, 1), (v, 0, 1))", "Sum(Sum(w[u, v], (u, 0, 1)), (v, 0, 1))", CONV),
        # 5. layer labels on declared arrays
        (r"$z^{(l-1)}_{i,j}$", "z[i, j]", CONV),
        (r"$z_{i,j}^{(l-1)}$", "z[i, j]", CONV),
        (r"$e^{(l)}_{i-u,j-v}$".replace("u", "1").replace("v", "0"), "e[i - 1, j - 0]", CONV),
        (r"$a^{(l+1)}_{i}$".replace("a", "x").replace("{i}", "{k}"), "x[k]", VECTOR),
        (r"$w^{(1)}_{ij} + w^{(L)}_{ij}$", "w[i, j] + w[i, j]", CONV),
        (r"$\mathbf{z}^{(l)}_{ij}$", "z[i, j]", CONV),
        (r"$z_{i,j}^{2}$", "z[i, j]^2", CONV),
        (CONV_REFERENCE, CONV_PLAIN, CONV),
        # 6. one Sum with several limits, first limit innermost as in sympy
        ("Sum(w[u,v]*e[i-u,j-v], (v, 0, K-1), (u, 0, K-1))", CONV_PLAIN.split(" * ", 1)[1], CONV),
        # 7. primes
        (r"$f^{\prime}(z_{ij})$", "fprime(z[i, j])", CONV),
        (r"$f^\prime(z_{ij})$", "fprime(z[i, j])", CONV),
        (r"$f^{'}(z_{ij})$", "fprime(z[i, j])", CONV),
        (r"$\sigma'(x)$", "sigmoid'(x)", SCALAR),
        (r"$\sigma^{\prime}(x)$", "sigmoid'(x)", SCALAR),
        ("σ'(x)", "sigmoid'(x)", SCALAR),
        ("sigma'(x)", "sigmoid'(x)", SCALAR),
        ("sigmoid'(x)", "sigmoid'(x)", SCALAR),
        # 8. chained indexing
        ("z[i][j]", "z[i, j]", CONV),
        ("e[i - 1][j + 1]", "e[i - 1, j + 1]", CONV),
        # 9. spellings found while grading the built-in homework
        ("σ(x)·(1−σ(x))", D1, SCALAR),
        ("σ(x)(1-σ(x))(1-2σ(x))", D1 + "*(1 - 2*sigmoid(x))", SCALAR),
        (r"$\sigma(x)\left(1-\sigma(x)\right)$", D1, SCALAR),
        (r"$\delta_{ik}-\mathrm{softmax}(x)_k$", "KroneckerDelta(i, k) - softmax(x)[k]", VECTOR),
        ("$delta_{ik}$", "KroneckerDelta(i, k)", VECTOR),
        ("3Ln^2 + 2Ln", "3*L*n^2 + 2*L*n", POLY),
        ("nL", "n*L", POLY),
        ("L(3n^2+2n)", "L*(3*n^2 + 2*n)", POLY),
        ("3 L n^2", "3*L*n^2", POLY),
        ("n²L", "n^2*L", POLY),
    ],
)
def test_spelling_reads_as_canonical(spelling: str, canonical: str, scope: Scope) -> None:
    assert parse(spelling, scope) == parse(canonical, scope)


@pytest.mark.parametrize(
    ("spelling", "canonical", "scope"),
    [
        (r"$\frac{e^{-x}}{(1+e^{-x})^2}$", D1, SCALAR),
        (r"$\delta_{ik} - \frac{\exp(x_k)}{\sum_{j=1}^{C}\exp(x_j)}$", "KroneckerDelta(i, k) - softmax(x)[k]", VECTOR),
        ("Sum(Sum(w[u,v]*e[i-u,j-v], (u,0,K-1)), (v,0,K-1))", CONV_PLAIN.split(" * ", 1)[1], CONV),
    ],
)
def test_spelling_is_equivalent(spelling: str, canonical: str, scope: Scope) -> None:
    assert equivalent(parse(spelling, scope), parse(canonical, scope), scope).equal is True


def test_sigmoid_prime_is_sigmoid_times_one_minus_sigmoid() -> None:
    tree = parse("sigmoid'(x)", SCALAR)
    assert equivalent(tree, parse(D1, SCALAR), SCALAR).equal is True
    assert sympy.simplify(to_sympy(tree) - to_sympy(parse(D1, SCALAR))) == 0
    assert to_text(tree) == "sigmoid'(x)"


def test_several_limits_follow_sympy() -> None:
    tree = parse("Sum(x[j], (j, 1, m), (m, 1, C))", VECTOR)  # the inner bound uses the outer variable
    assert tree == parse("Sum(Sum(x[j], (j, 1, m)), (m, 1, C))", VECTOR)
    assert compile_numeric(tree, VECTOR)({"x": np.array([[1.0, 10.0, 100.0]])}).tolist() == [3 + 20 + 100]
    j, m, c = sympy.symbols("j m C", integer=True)
    assert from_sympy(sympy.Sum(sympy.IndexedBase("x")[j], (j, 1, m), (m, 1, c))) == to_text(tree)
    assert to_sympy(tree) == to_sympy(parse(to_text(tree), VECTOR))


def test_declared_names_win_over_the_soft_aliases() -> None:
    assert parse("sigma(x)", Scope(variables=("sigma", "x"))) == parse("sigma*x", Scope(variables=("sigma", "x")))
    assert to_text(parse("sum(x)", Scope(variables=("sum", "x")))) == "sum*x"
    arrays = Scope(indices=("i", "k"), arrays={"delta": 2})
    assert to_text(parse("delta_ik + δ_{i,k} + delta[i][k]", arrays)) == "delta[i, k] + delta[i, k] + delta[i, k]"
    assert to_text(parse("Ln", Scope(variables=("Ln", "L", "n")))) == "Ln"


def test_euler_e_with_a_label_stays_a_power() -> None:
    assert parse("$e^{(l)}$", Scope(variables=("l",))) == Pow(parse("e", SCALAR), Var("l"))
    assert parse("$x^{(2)}$", SCALAR) == parse("x^2", SCALAR)


@pytest.mark.parametrize(
    ("text", "scope", "message"),
    [
        ("x_k", Scope(variables=("x", "k")), "column 1: unknown name 'x_k'"),
        ("x_{k}", Scope(variables=("x", "k")), "column 2: read as LaTeX: unexpected '[': only vectors and arrays"),
        ("$e^{(l)}$", SCALAR, "column 6: unknown name 'l'"),
        ("e^{(l)}", SCALAR, "column 5: read as LaTeX: unknown name 'l'"),
        ("(x_k + 1)_k", VECTOR, "column 11: a subscript '_' only follows a vector or array (x), δ or softmax(x)"),
        ("π_k", VECTOR, "column 3: a subscript '_' only follows"),
        ("x_q", VECTOR, "column 3: subscript 'q' of x is not an index (indices: i, k)"),
        ("x_ik", VECTOR, "column 3: subscript 'ik' of x is not an index"),
        ("x_{i,k}", VECTOR, "column 1: x takes 1 index, got 2"),
        ("x_{k", VECTOR, "column 3: '{' is never closed"),
        ("x_{}", VECTOR, "column 3: read as plain text: the subscript is empty (read as LaTeX, it stops at column 1)"),
        ("x_kx_k", VECTOR, "unknown name 'x_kx_k'"),
        ("δ_", VECTOR, "column 2: names may not start with '_'"),
        ("δ_i", VECTOR, "KroneckerDelta takes 2 arguments, got 1"),
        ("softmax(x)_q", VECTOR, "column 12: subscript 'q' of softmax(x) is not an index"),
        ("w_uv", CONV, "column 3: subscript 'u' of w is not an index (indices: i, j)"),
        ("z_i", CONV, "z takes 2 indices, got 1"),
        ("delta_ik", Scope(indices=("i", "k"), variables=("delta",)), "unknown name 'delta_ik'"),
        ("z[i][j, i]", CONV, "z takes 2 indices, got 3"),
        ("sum(x[k])", VECTOR, "write a sum as Sum(body, (j, lo, hi))"),
        ("Sum(x[j], (j, 1, C), 3)", VECTOR, "write a sum as Sum(body, (j, lo, hi))"),
        ("Sum(x[j], (j, 1, C), (k))", VECTOR, "expected ','"),
        ("Sum(x[sigma], (sigma, 1, C))", VECTOR, "cannot sum over 'sigma'"),
        ("Sum(x, (a, 1, 100), (b, 1, 100), (c, 1, 100))", SCALAR, "nested sums too large"),
        ("tanh'(x)", SCALAR, "tanh' is not a declared function"),
        ("sigma'(x)", Scope(variables=("sigma", "x")), "sigma' is not a declared function"),
        ("xyz", Scope(variables=("x", "y")), "unknown name 'xyz'"),
        ("xy" * 600, Scope(variables=("x", "y")), "expression too long"),
        (r"$z^{(l-1)}$", CONV, "'z' needs 2 indices"),
        (r"$z^{(ll)}_{ij}$", CONV, "'z' needs 2 indices"),
        (r"$2^{\prime}$", SCALAR, "a prime only follows a function name"),
        (r"$\delta^{(l)}_{i,k}$", VECTOR, "δ needs its arguments in parentheses"),
    ],
)
def test_near_misses_are_refused(text: str, scope: Scope, message: str) -> None:
    with pytest.raises(ExprError) as info:
        parse(text, scope)
    assert message in str(info.value)
    assert "\n" not in str(info.value)

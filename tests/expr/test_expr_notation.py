"""The notation students write: each reads as what they meant (notes say where a reading is a guess), checked
against the canonical spelling both as trees and as functions (random points, a second witness)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from hwsolver.errors import ExprError
from hwsolver.expr import Scope, equivalent, parse, read, to_text

X = Scope(variables=("x",))
XY = Scope(variables=("x", "y"))
V = Scope(indices=("i", "k"), vectors={"x": "C"})
CONV = Scope(
    indices=("i", "j"),
    arrays={"w": 2, "e": 2, "z": 2},
    functions=("f", "fprime"),
    sizes=("K",),
    index_base=0,
    zero_outside=True,
    ranges={"u": ("0", "K - 1"), "v": ("0", "K - 1"), "p": ("i - K + 1", "i"), "q": ("j - K + 1", "j")},
)
COUNTS = Scope(variables=("n", "L"))
D1 = "sigmoid(x)*(1 - sigmoid(x))"
D2 = "sigmoid(x)*(1 - sigmoid(x))*(1 - 2*sigmoid(x))"
GRADIENT = "KroneckerDelta(i, k) - softmax(x)[k]"
RECURSION = "fprime(z[i, j])*Sum(Sum(w[u, v]*e[i - u, j - v], (v, 0, K - 1)), (u, 0, K - 1))"
SIGMA = "σ was read as σ(x)"
SOFTMAX = "softmax_... was read as softmax(x)_..."

CASES = [
    # sigma without its argument (one variable), and sigma(...) around a formula holding a bare sigma
    ("σ(1-σ)", D1, X, (SIGMA,)),
    ("σ(1 - σ)(1 - 2σ)", D2, X, (SIGMA,)),
    (r"$\sigma(1-\sigma)(1-2\sigma)$", D2, X, (SIGMA,)),
    ("sigma*(1 - sigma)", D1, X, (SIGMA,)),
    ("sigmoid (1 - sigmoid)", D1, X, ("σ was read as σ(x)",)),
    ("σ(x)(1 - σ)", D1, X, (SIGMA,)),
    ("σ'(1 - 2σ)", "sigmoid'(x)*(1 - 2*sigmoid(x))", X, ("σ' was read as σ'(x)", SIGMA)),
    ("σ(x)(1 - σ(x))", D1, X, ()),
    ("σ(1 - σ(x))", "sigmoid(1 - sigmoid(x))", X, ()),  # no bare σ anywhere: a call
    ("σ - σ^2", "sigmoid(x) - sigmoid(x)^2", X, (SIGMA,)),
    # powers of a function, bare arguments, the hyperbolic functions
    ("tanh^2(x)", "tanh(x)^2", X, ()),
    (r"$\tanh^2(x)$", "tanh(x)^2", X, ()),
    (r"$\tanh^{2} x$", "tanh(x)^2", X, ()),
    ("sin^2 x + cos^2 x", "sin(x)^2 + cos(x)^2", X, ()),
    (r"$\sigma^2(x)$", "sigmoid(x)^2", X, ()),
    ("σ^2(x)", "sigmoid(x)^2", X, ()),
    ("1 - tanh x^2", "1 - tanh(x^2)", X, ()),
    ("sech(x)^2", "sech(x)^2", X, ()),
    (r"$\operatorname{sech}^2(x)$", "sech(x)^2", X, ()),
    (r"$\cosh(x)^{-2}$", "cosh(x)^(-2)", X, ()),
    ("1/cosh^2(x)", "1/cosh(x)^2", X, ()),
    ("coth(x) - csch(x) + sinh(x)", "coth(x) - csch(x) + sinh(x)", X, ()),
    ("f^2(z_ij)", "f(z[i, j])^2", CONV, ()),
    ("σ''(x)", "sigmoid''(x)", X, ()),
    (r"$\sigma''(x)$", "sigmoid''(x)", X, ()),
    # equations and relations: the right-hand side is the answer
    ("σ''(x) = σ(x)(1-σ(x))(1-2σ(x))", D2, X, ()),
    (r"$\sigma'(x) = \sigma(x)\left(1 - \sigma(x)\right)$", D1, X, ()),
    (r"$\frac{d\sigma}{dx} = \sigma(1-\sigma)$", D1, X, (SIGMA,)),
    ("dσ/dx = σ(x)(1 - σ(x)) = σ(x) - σ(x)^2", "sigmoid(x) - sigmoid(x)^2", X, ()),
    ("∂y_i/∂x_k = δ_ik - softmax(x)_k", GRADIENT, V, ()),
    (r"$\frac{\partial y_i}{\partial x_k} = \delta_{ik} - \mathrm{softmax}(x)_k$", GRADIENT, V, ()),
    (r"$N \approx 3 L n^2$", "3*L*n^2", COUNTS, ()),
    ("N ~ 3Ln^2", "3*L*n^2", COUNTS, ()),
    # indicators, softmax without its vector
    ("[i==k] - softmax(x)_k", GRADIENT, V, ()),
    ("[i = k] - softmax_k", GRADIENT, V, (SOFTMAX,)),
    ("1_{i=k} - softmax(x)[k]", GRADIENT, V, ()),
    (r"$\mathbb{1}[i=k] - \mathrm{softmax}(x)_k$", GRADIENT, V, ()),
    (r"$\mathbb{1}_{i=k} - \mathrm{softmax}_k$", GRADIENT, V, (SOFTMAX,)),
    (r"$1_{i=k} - \operatorname{softmax}(x)_{k}$", GRADIENT, V, ()),
    ("[i != k]", "1 - KroneckerDelta(i, k)", V, ()),
    (r"$[i \ne k]$", "1 - KroneckerDelta(i, k)", V, ()),
    ("softmax[k]", "softmax(x)[k]", V, (SOFTMAX,)),
    # sums without bounds: the declared range, or the range of the vector the index reads
    ("Σ_j exp(x_j)", "Sum(exp(x[j]), (j, 1, C))", V, ()),
    ("sum_j exp(x_j)", "Sum(exp(x[j]), (j, 1, C))", V, ()),
    (r"$\sum_j e^{x_j}$", "Sum(e^x[j], (j, 1, C))", V, ()),
    (r"$\sum\limits_j \mathrm{softmax}(x)_j$", "Sum(softmax(x)[j], (j, 1, C))", V, ()),
    (r"$f'(z_{i,j}) \sum_{u,v} w_{u,v} e_{i-u,j-v}$", RECURSION, CONV, ()),
    ("f'(z_ij) Σ_{u,v} w_uv e[i-u, j-v]", RECURSION, CONV, ()),
    (
        r"$f'(z_{i,j}) \sum_{p,q} e_{p,q} w_{i-p,j-q}$",
        "fprime(z[i, j])*Sum(Sum(e[p, q]*w[i - p, j - q], (q, j - K + 1, j)), (p, i - K + 1, i))",
        CONV,
        (),
    ),
    # square brackets used as parentheses where they cannot be an index; C-style indices in LaTeX
    ("σ(x)[1-σ(x)]", D1, X, ()),
    ("σ(x)[1-σ(x)][1-2σ(x)]", D2, X, ()),
    ("σ[1 - σ]", D1, X, (SIGMA,)),
    ("2[x + 1]", "2*(x + 1)", X, ()),
    ("x_k [1 - x_k]", "x[k]*(1 - x[k])", V, ()),
    ("x[k][1 - x[k]]", "x[k]*(1 - x[k])", V, ()),
    ("[i = k][1 - softmax(x)_k]", "KroneckerDelta(i, k)*(1 - softmax(x)[k])", V, ()),
    (r"$\sigma(x)[1-\sigma(x)]$", D1, X, ()),
    (r"$f'(z[i][j]) \sum_{u=0}^{K-1} \sum_{v=0}^{K-1} w[u][v] e[i-u][j-v]$", RECURSION, CONV, ()),
    (r"$f'(z^{(l-1)}[i, j]) [\sum_{u,v} w_{u,v} e_{i-u,j-v}]$", RECURSION, CONV, ()),
    (r"$\log \mathrm{softmax}(x)[k]$", "log(softmax(x)[k])", V, ()),
    # softmax with its index before its vector
    ("δ_ik - softmax_k(x)", GRADIENT, V, ()),
    (r"$\delta_{ik} - \mathrm{softmax}_{k}(x)$", GRADIENT, V, ()),
    ("softmax_k (1 - x_k)", "softmax(x)[k]*(1 - x[k])", V, (SOFTMAX,)),  # a product, not softmax's argument
    # unit words after a count
    ("3Ln^2 multiplications", "3*L*n^2", COUNTS, ("the word 'multiplications' after the formula was left out",)),
    ("2n^2 FLOPs", "2*n^2", COUNTS, ("the word 'FLOPs' after the formula was left out",)),
    ("3Ln^2次乘法", "3*L*n^2", COUNTS, ("the word '次乘法' after the formula was left out",)),
    ("$3 L n^2$ mults", "3*L*n^2", COUNTS, ("the word 'mults' after the formula was left out",)),
    (
        r"$3 L n^2 \text{ multiplications}$",
        "3*L*n^2",
        COUNTS,
        ("the word 'multiplications' after the formula was left out",),
    ),
]


@pytest.mark.parametrize(("text", "canonical", "scope", "notes"), CASES, ids=[c[0] for c in CASES])
def test_student_notation_reads_as_meant(text: str, canonical: str, scope: Scope, notes: tuple[str, ...]) -> None:
    reading = read(text, scope)
    expected = parse(canonical, scope)
    assert to_text(reading.expr) == to_text(expected)
    assert reading.notes == notes
    assert not reading.order
    assert equivalent(reading.expr, expected, scope).equal  # the second witness: as functions, at random points


@pytest.mark.parametrize(
    ("text", "canonical"),
    [("O(L n^2)", "L*n^2"), (r"$\mathcal{O}(Ln^2)$", "L*n^2"), (r"$\Theta\left(3 L n^{2}\right)$", "3*L*n^2")],
)
def test_big_o_reads_its_formula_and_says_so(text: str, canonical: str) -> None:
    reading = read(text, COUNTS)
    assert reading.order and reading.expr == parse(canonical, COUNTS)
    with pytest.raises(ExprError, match=r"O\(\.\.\.\) gives only an order of growth"):
        parse(text, COUNTS)


def test_aliases_read_as_their_formula() -> None:
    scope = Scope(indices=("i", "k"), vectors={"x": "C"}, aliases={"p": "softmax(x)", "s": "sigmoid(x[k])"})
    assert read("[i = k] - p_k", scope).expr == parse(GRADIENT, scope)
    assert read("delta(i, k) - p[k]", scope).expr == parse(GRADIENT, scope)
    assert read(r"$\delta_{ik} - p_k$", scope).expr == parse(GRADIENT, scope)
    assert read("s(1 - s) + 2s", scope).expr == parse("sigmoid(x[k])*(1 - sigmoid(x[k])) + 2*sigmoid(x[k])", scope)
    sums = Scope(variables=("x",), aliases={"a": "x + 1"})
    assert read("2a", sums).expr == parse("2*(x + 1)", sums)  # an alias that is no single call is parenthesised


@pytest.mark.parametrize(
    "text",
    [
        r"\delta^{(l-1)}_{i,j} = f'(z^{(l-1)}_{i,j}) \sum_{u,v} \delta^{(l)}_{i-u,j-v} w_{u,v}",
        r"$f'(z_{ij}) \sum_{u,v} w_{uv} \delta_{i-u,j-v}$",
        "f'(z_ij) Σ_{u,v} w_uv δ[i-u, j-v]",
        "f'(z_ij) Σ_{u,v} w_uv delta[i - u][j - v]",
    ],
)
def test_an_alias_of_an_array_is_another_name_for_it(text: str) -> None:
    """The conv kind's `delta: e`: δ for the error term, as textbooks write it, with e's indices and layer label."""
    scope = replace(CONV, aliases={"delta": "e"})
    reading = read(text, scope)
    assert "e[i - u, j - v]" in to_text(reading.expr) and reading.notes == ()
    assert equivalent(reading.expr, parse(RECURSION, CONV), CONV).equal
    with pytest.raises(ExprError, match="KroneckerDelta"):  # without the alias δ is the Kronecker delta
        parse("δ[i - u, j - v]", CONV)


@pytest.mark.parametrize(
    ("text", "scope", "message"),
    [
        ("σ(1 - σ)", XY, "column 8: σ needs its arguments in parentheses: σ(...)"),  # two variables: no guess
        (
            "tanh^(-1)(x)",
            X,
            "column 5: tanh^... before its argument must be a positive number, as in tanh^2(x) for "
            "tanh(x)^2 (an inverse function is not supported)",
        ),
        (
            "Σ_u w[u, i]",
            Scope(indices=("i",), arrays={"w": 2}),
            "column 3: the sum over u has no bounds and its range is not known: write them, as in \\sum_{u=1}^{C}",
        ),
        ("[i < k]", V, "column 4: unexpected character '<'"),
        ("[i = 0.5]", V, "column 6: an indicator's sides may only use integers, indices, sizes and + - *"),
        ("[i = ]", V, "column 6: unexpected ']'"),
        ("i[1 - x_k]", V, "column 2: unexpected '[': only vectors and arrays take indices (x)"),  # an index meant
        ("x[1]", X, "column 2: unexpected '[': only vectors and arrays take indices (none declared)"),
        (r"$x_k$", X, "column 3: unexpected '[': only vectors and arrays take indices (none declared)"),
        (r"$(1 - x_k)_k$", V, "column 11: unexpected '[': only vectors and arrays take indices (x)"),
        (
            "softmax_k",
            Scope(indices=("k",), vectors={"x": "C", "y": "C"}),
            "column 1: softmax takes a declared vector, as in softmax(x)_k (vectors: x, y)",
        ),
        ("σ'' = ", X, "column 7: nothing follows the '=': write the formula on its right-hand side"),
        (r"$\input{x} = 1$", X, "column 2: unknown or unsupported TeX command '\\input'"),
    ],
)
def test_notation_errors(text: str, scope: Scope, message: str) -> None:
    with pytest.raises(ExprError) as info:
        read(text, scope)
    assert str(info.value) == message


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "\tanh(x)",
            'column 1: "\\tanh" lost its backslash: in double quotes YAML reads "\\t" as a TAB; write '
            "LaTeX in single quotes or without quotes",
        ),
        (
            "$\frac{1}{2}$",
            'column 2: "\\frac" lost its backslash: in double quotes YAML reads "\\f" as the control '
            "character U+000C; write LaTeX in single quotes or without quotes",
        ),
        (
            "$\beta x$",
            'column 2: "\\beta" lost its backslash: in double quotes YAML reads "\\b" as the control '
            "character U+0008; write LaTeX in single quotes or without quotes",
        ),
        (
            "$\\left(x\right)$",
            'column 9: "\\right" lost its backslash: in double quotes YAML reads "\\r" as a '
            "carriage return; write LaTeX in single quotes or without quotes",
        ),
    ],
)
def test_latex_that_lost_its_backslashes_to_yaml_says_how_to_quote(text: str, message: str) -> None:
    with pytest.raises(ExprError) as info:
        parse(text, X)
    assert str(info.value) == message


def test_a_line_break_before_a_plain_word_is_no_escape() -> None:
    assert parse("x +\nx", X) == parse("x + x", X)


def test_unknown_names_are_told_every_name_function_and_index_the_answer_may_use() -> None:
    with pytest.raises(ExprError) as info:
        parse("y_k", V)
    assert str(info.value) == (
        "column 1: unknown name 'y_k'; this answer may use: x (vector); i, k (indices); C (size); functions: exp, "
        "log, sqrt, abs, sigmoid (σ), tanh, sinh, cosh, sech, csch, coth, sin, cos, tan, relu, softplus, Heaviside, "
        "Max, Min, KroneckerDelta (δ), Sum, softmax, log_softmax"
    )
    with pytest.raises(ExprError) as info:
        parse("g(x)", CONV)
    assert "indices" in str(info.value) and "functions: f, fprime, exp" in str(info.value)

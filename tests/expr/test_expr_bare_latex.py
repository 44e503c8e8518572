"""LaTeX written without $...$: a text whose backslash or braces the plain reader cannot read is read as LaTeX,
as a TA reads it; when neither reading works the message says which failed where."""

from __future__ import annotations

import pytest

from hwsolver.errors import ExprError
from hwsolver.expr import Scope, equivalent, parse, read

X = Scope(variables=("x",))
V = Scope(indices=("i", "k"), vectors={"x": "C"})
CONV = Scope(
    indices=("i", "j"),
    arrays={"w": 2, "e": 2, "z": 2},
    functions=("f", "fprime"),
    sizes=("K",),
    index_base=0,
    zero_outside=True,
    ranges={"u": ("0", "K - 1"), "v": ("0", "K - 1")},
)
COUNTS = Scope(variables=("n", "L"))
D1 = "sigmoid(x)*(1 - sigmoid(x))"
GRADIENT = "KroneckerDelta(i, k) - softmax(x)[k]"
RECURSION = "fprime(z[i, j])*Sum(Sum(w[u, v]*e[i - u, j - v], (v, 0, K - 1)), (u, 0, K - 1))"

CASES = [
    (r"\sigma(x)(1-\sigma(x))", D1, X),
    (r"\sigma(x) \cdot (1 - \sigma(x))", D1, X),
    (r"\sigma(x) \times \left(1 - \sigma(x)\right)", D1, X),
    (r"\sigma'(x) = \sigma(x)(1-\sigma(x))", D1, X),
    (r"\tanh^2(x)", "tanh(x)^2", X),
    (r"\frac{e^{-x}}{(1+e^{-x})^2}", "exp(-x)/(1 + exp(-x))^2", X),
    (r"\mathbb{1}[i=k] - \mathrm{softmax}(x)_k", GRADIENT, V),
    (r"\delta_{ik} - \frac{e^{x_k}}{\sum_j e^{x_j}}", GRADIENT, V),
    (r"\frac{\partial L}{\partial x_k} = \delta_{ik} - \mathrm{softmax}(x)_k", GRADIENT, V),
    (r"f'(z_{i,j}) \sum_{u,v} w_{u,v} e_{i-u,j-v}", RECURSION, CONV),
    (r"e^{(l-1)}_{i,j} = f'(z^{(l-1)}_{i,j}) \sum_{u,v} w_{u,v} e^{(l)}_{i-u,j-v}", RECURSION, CONV),
    ("n^{2}", "n^2", COUNTS),
    (r"L \cdot n^2", "L*n^2", COUNTS),
    (r"3n^{2} + 2n \text{ multiplications}", "3*n^2 + 2*n", COUNTS),
]


@pytest.mark.parametrize(("text", "canonical", "scope"), CASES, ids=[c[0] for c in CASES])
def test_bare_latex_reads_as_the_same_latex_in_dollars(text: str, canonical: str, scope: Scope) -> None:
    bare = read(text, scope)
    assert bare == read(f"${text}$", scope)  # the LaTeX reader's own reading, notes and all
    assert equivalent(bare.expr, parse(canonical, scope), scope).equal  # the second witness: as functions


@pytest.mark.parametrize(
    ("text", "scope", "message"),
    [
        # a backslash: LaTeX was meant, so its reading says why; the plain reading's stop at it is not told
        (r"\sigma(x) + \foo", X, r"column 13: read as LaTeX: unknown or unsupported TeX command '\foo'"),
        (r"\frac{1}{q}", X, "column 10: read as LaTeX: unknown name 'q'; this answer may use: x (variable); "),
        (r"x_k + \frac{1}{2", V, "column 15: read as LaTeX: '{' is never closed"),
        # braces alone: plain subscripts use them too; that reading says why, the LaTeX one where it stopped
        ("x_{} + 1", V, "column 3: read as plain text: the subscript is empty (read as LaTeX, it stops at column 1)"),
        ("x_{k} + {1", V, "column 9: read as LaTeX: '{' is never closed"),
        ("x_{k", V, "column 3: '{' is never closed"),  # both readings agree: said once
    ],
)
def test_when_neither_reading_works_the_message_says_which_failed_where(text: str, scope: Scope, message: str) -> None:
    with pytest.raises(ExprError) as info:
        parse(text, scope)
    assert str(info.value).startswith(message)
    assert "\n" not in str(info.value)


def test_plain_text_is_still_read_as_plain_text_first() -> None:
    # δ_ik is a plain subscript of two indices (in TeX, δ_i k); plain text is read as LaTeX only where it fails
    assert read("δ_ik - softmax_{k}", V).expr == parse(GRADIENT, V)
    with pytest.raises(ExprError, match="KroneckerDelta takes 2 arguments, got 1"):
        parse(r"$\delta_ik$", V)

"""LaTeX input: the same trees as plain text, the same allowlist, TeX commands refused by name."""

from __future__ import annotations

import pytest

from hwsolver.errors import ExprError
from hwsolver.expr import Scope, equivalent, parse

SCALAR = Scope(variables=("x", "y"))
VECTOR = Scope(indices=("i", "k"), vectors={"x": "C"})
CONV = Scope(indices=("i", "j"), arrays={"w": 2, "e": 2, "z": 2}, functions=("f", "fprime"), sizes=("K",), index_base=0)
LAYERS = Scope(variables=("W1", "eta", "x"))


@pytest.mark.parametrize(
    ("latex", "plain", "scope"),
    [
        (r"$\sigma(x)(1-\sigma(x))$", "sigmoid(x)*(1 - sigmoid(x))", SCALAR),
        (r"$\sigma\left(x\right)\left(1-\sigma\left(x\right)\right)$", "sigmoid(x)*(1 - sigmoid(x))", SCALAR),
        (r"$\frac{x}{y}$", "x/y", SCALAR),
        (r"$\dfrac{1}{1+e^{-x}}$", "1/(1 + e^(-x))", SCALAR),
        (r"$\tfrac12 x$", "(1/2)*x", SCALAR),
        (r"$\sqrt{x}$", "sqrt(x)", SCALAR),
        (r"$\sqrt[3]{x}$", "x^(1/3)", SCALAR),
        (r"$\exp(x)$", "exp(x)", SCALAR),
        (r"$\exp x$", "exp(x)", SCALAR),
        (r"$\log x + \ln(y)$", "log(x) + log(y)", SCALAR),
        (r"$x \cdot y \times 2$", "x*y*2", SCALAR),
        (r"$x\,y$", "x*y", SCALAR),
        (r"$xy$", "x*y", SCALAR),
        (r"$2x^{2}$", "2*x^2", SCALAR),
        (r"$x^2$", "x^2", SCALAR),
        (r"$\pi x$", "pi*x", SCALAR),
        (r"$\left| x \right|$", "abs(x)", SCALAR),
        (r"$\max(x, y)$", "Max(x, y)", SCALAR),
        (r"$\operatorname{relu}(x)$", "relu(x)", SCALAR),
        (r"$$x+1$$", "x + 1", SCALAR),
        (r"\(x+1\)", "x + 1", SCALAR),
        (r"\[x+1\]", "x + 1", SCALAR),
        (r"  $x$  ", "x", SCALAR),
        (r"$x_k$", "x[k]", VECTOR),
        (r"$x_{k}$", "x[k]", VECTOR),
        (r"$\mathbf{x}_k$", "x[k]", VECTOR),
        (r"$\delta_{ik}$", "KroneckerDelta(i, k)", VECTOR),
        (r"$\delta_{i,k}$", "KroneckerDelta(i, k)", VECTOR),
        (r"$\operatorname{softmax}(x)_k$", "softmax(x)[k]", VECTOR),
        (r"$\mathrm{softmax}(x)_{k}$", "softmax(x)[k]", VECTOR),
        (r"$\operatorname{log\_softmax}(x)_k$", "log_softmax(x)[k]", VECTOR),
        (r"$\sum_{j=1}^{C} x_j + 1$", "Sum(x[j], (j, 1, C)) + 1", VECTOR),
        (r"$\sum_{j=1}^{C} x_j x_k$", "Sum(x[j]*x[k], (j, 1, C))", VECTOR),
        (r"$\sum^{C}_{j=1} x_j$", "Sum(x[j], (j, 1, C))", VECTOR),
        (r"$2\sum_{j=1}^{C} x_j$", "2*Sum(x[j], (j, 1, C))", VECTOR),
        (r"$w_{u,v}$".replace("u", "i").replace("v", "j"), "w[i, j]", CONV),
        (r"$w_{ij}$", "w[i, j]", CONV),
        (r"$e_{i-1, j+1}$", "e[i - 1, j + 1]", CONV),
        (r"$f'(z_{ij})$", "fprime(z[i, j])", CONV),
        (r"$W_1 x$", "W1*x", LAYERS),
        (r"$\eta x$", "eta*x", LAYERS),
    ],
)
def test_latex_reads_like_plain_text(latex: str, plain: str, scope: Scope) -> None:
    assert parse(latex, scope) == parse(plain, scope)


def test_softmax_gradient_in_latex() -> None:
    reference = parse("KroneckerDelta(i, k) - softmax(x)[k]", VECTOR)
    latex = parse(r"$\delta_{ik} - \frac{e^{x_k}}{\sum_{j=1}^{C} e^{x_j}}$", VECTOR)
    assert equivalent(latex, reference, VECTOR).equal is True


def test_conv_recursion_in_latex() -> None:
    plain = parse("fprime(z[i,j]) * Sum(Sum(w[u,v]*e[i-u,j-v], (v,0,K-1)), (u,0,K-1))", CONV)
    latex = parse(r"$f'(z_{ij}) \sum_{u=0}^{K-1} \sum_{v=0}^{K-1} w_{u,v}\, e_{i-u,j-v}$", CONV)
    assert latex == plain


@pytest.mark.parametrize(
    ("latex", "message"),
    [
        (r"$\input{/etc/passwd}$", r"column 2: unknown or unsupported TeX command '\input'"),
        (r"$\def\x{1}$", r"unknown or unsupported TeX command '\def'"),
        (r"$\write18{rm -rf /}$", r"unknown or unsupported TeX command '\write'"),
        (r"$\catcode`\^=7$", r"unknown or unsupported TeX command '\catcode'"),
        (r"$\csname x\endcsname$", r"unknown or unsupported TeX command '\csname'"),
        (r"$\int x$", r"unknown or unsupported TeX command '\int'"),
        (r"$x^23$", "put a multi-digit exponent in braces, as in x^{10}"),
        (r"$\sum_j x_j$", r"the sum over j has no bounds and its range is not known: write them"),
        (r"$\sum_{j=1} x_j$", r"write a sum with both bounds, as in \sum_{j=1}^{C}, or over an index alone"),
        (r"$\sum_{1}^{C} x_j$", "the lower bound of a sum must read {j=...}"),
        (r"$\frac{1}$", r"\frac needs an argument"),
        (r"$x % comment$", "TeX comments ('%') are not allowed"),
        (r"$|x|$", r"write an absolute value as \left| x \right|"),
        (r"$x = $", "nothing follows the '='"),
        (r"$\exp(x = 1)$", "expected ')'"),
        (r"$\left( x$", "'(' is never closed"),
        (r"$x}$", "unmatched '}'"),
        (r"$q$", "unknown name 'q'; this answer may use: x, y (variables); functions: exp, log, sqrt"),
        (r"$x$ + 1", "LaTeX must be wrapped as a whole in $...$"),
        (r"\foo(x)", r"column 1: read as LaTeX: unknown or unsupported TeX command '\foo'"),
        (r"x + \frac{1}{q}", "column 14: read as LaTeX: unknown name 'q'; this answer may use: x, y (variables)"),
        ("x_{} + @", "column 8: read as LaTeX: unexpected '@' in LaTeX"),
    ],
)
def test_latex_errors(latex: str, message: str) -> None:
    with pytest.raises(ExprError) as info:
        parse(latex, SCALAR)
    assert message in str(info.value)

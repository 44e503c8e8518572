"""The only gate from text to math: safe parser (plain and LaTeX), numeric evaluation, equivalence.

Student text never reaches eval, sympify, parse_expr or lambdify: a hand-written lexer and recursive-descent
parser read it against an allowlist (catalog.py) and the problem's Scope, under the caps in limits.py, into an
immutable tree (nodes.py); numeric.py compiles trees to NumPy closures and sympy_build.py to sympy objects.
Importing this package loads neither numpy nor sympy; they are imported by the functions that need them.

The language, in short:
    numbers are exact decimals (0.2 is 1/5; 1e-3); + - * / and ** or ^ (power, right-associative, binding
    tighter than unary minus: -x^2 is -(x^2)); implicit multiplication binds like * (2x, x y, 2(x+1),
    sigmoid(x)(1 - sigmoid(x)), and 1/2x is (1/2)*x); a variable before '(' multiplies, a function calls;
    declared one-letter variables written together multiply (Ln is L*n unless Ln is declared).
    functions: exp log ln sqrt abs sigmoid tanh sinh cosh sech csch coth sin cos tan relu softplus Heaviside
    KroneckerDelta Max Min, plus
    softmax(x)[k] and log_softmax(x)[k] over a declared vector, Sum(body, (j, lo, hi)) with inclusive bounds,
    and problem-declared functions (f, fprime; f'(z) and Derivative(f(z), z) both mean fprime(z)).
    Unless the problem declares them: sigma is sigmoid (sigma'(x) its derivative), delta(i, k) and delta[i, k]
    are KroneckerDelta, sum is Sum. Sum(body, (u, 0, 2), (v, 0, 2)) nests as sympy does (first limit inner).
    A Sum's variable may be a declared index (shadowed inside the sum) or any new name, bound locally.
    Indices: x[k], w[u, v], z[i][j], e[i - u, j - v]; subscripts x_k, x_{k}, w_uv, w_{u, v}, δ_ik,
    softmax(x)_k (indices, Sum variables, sizes or digits only); vectors and arrays start at Scope.index_base.
    Unicode: σ π δ Σ · × ⊙ − ² ³ and full-width parentheses. LaTeX between $...$, $$...$$, \\(...\\) or \\[...\\]
    (z^{(l-1)}_{i,j}: a parenthesised layer label on a declared vector or array is dropped).
    What students write besides (shorthand.py, arrays.py, reading.py): an equation's right-hand side, a trailing
    unit word, O(...), bare σ (one variable), f^2(x), tanh x, indicators [i = k] and 1_{i=k}, softmax_k, sums
    without bounds (Scope.ranges), aliases (Scope.aliases), and the conv recursion as whole arrays.
    read() returns a Reading: the formula with notes on where the reading is a guess.
Errors are ExprError (LocatedExprError from parse: .column, .caret) with a one-line message.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from hwsolver.errors import ExprError
from hwsolver.expr.diagnostics import LocatedExprError, format_with_caret
from hwsolver.expr.equivalence import Equivalence, equivalent
from hwsolver.expr.nodes import NODE_TYPES, Expr
from hwsolver.expr.parser import Reading, parse_text, read_text
from hwsolver.expr.printer import to_text
from hwsolver.expr.scope import Scope

if TYPE_CHECKING:
    import numpy as np
    import sympy

__all__ = [
    "Equivalence",
    "Expr",
    "LocatedExprError",
    "Reading",
    "Scope",
    "check_alias",
    "compile_numeric",
    "equivalent",
    "format_with_caret",
    "from_sympy",
    "ordered_factors",
    "parse",
    "read",
    "to_latex",
    "to_sympy",
    "to_text",
]


def parse(text: str, scope: Scope) -> Expr:
    """Parse a formula (LaTeX when wrapped in $...$) against scope; raises ExprError with the column."""
    return parse_text(text, scope)


def read(text: str, scope: Scope) -> Reading:
    """A student's whole answer: parse's formula (of an equation, its right-hand side; a trailing unit word left
    out; O(...) marked), with notes on where the reading is a guess (σ read as σ(x))."""
    return read_text(text, scope)


def check_alias(name: str, text: str) -> None:
    """Raise ExprError unless `name` may stand for the formula `text` in answers (a problem's `aliases:`)."""
    from hwsolver.expr.catalog import builtin_names
    from hwsolver.expr.lexer import tokenize

    if not (name.isascii() and name.isidentifier()) or name.startswith("_"):
        raise ExprError(f"an alias is a plain name (letters, digits and _), not {name!r}")
    if name in builtin_names():
        raise ExprError(f"{name!r} is a builtin name: it cannot be an alias")
    if len(text) > 200:
        raise ExprError(f"the formula of alias {name!r} is too long (at most 200 characters)")
    try:
        tokenize(text)
    except ExprError as exc:
        raise ExprError(f"cannot read the formula of alias {name!r}: {exc}") from None


def to_sympy(expr: Expr) -> sympy.Expr:
    """The sympy expression for a parsed formula (sigmoid, relu, softplus are differentiable)."""
    from hwsolver.expr.sympy_build import tree_to_sympy

    try:
        return tree_to_sympy(expr)
    except (ArithmeticError, ValueError, TypeError, NotImplementedError) as exc:  # e.g. Max(0, log(0))
        raise ExprError(f"sympy cannot represent this expression: {exc}") from exc


def from_sympy(e: sympy.Basic, *, reading_order: bool = False) -> str:
    """A sympy expression written in the expression language (parse reads it back); with reading_order, products
    and sums as answer keys write them (sigmoid(x)*(1 - sigmoid(x)), 1 - 6*s + 6*s^2), else in sympy's order."""
    if reading_order:
        from hwsolver.expr.sympy_order import reading_tree

        return to_text(reading_tree(e))
    from hwsolver.expr.sympy_read import sympy_to_tree

    return to_text(sympy_to_tree(e))


def ordered_factors(e: sympy.Expr) -> tuple[sympy.Rational, list[tuple[sympy.Expr, sympy.Expr]]]:
    """A product's rational coefficient and (base, exponent) factors, signs normalised, in reading order."""
    from hwsolver.expr.sympy_order import ordered_factors as factors

    return factors(e)


def to_latex(expr_or_sympy: Expr | sympy.Basic, scope: Scope | None = None) -> str:
    """LaTeX (without $ delimiters) for a parsed formula or a sympy expression; parse reads it back.

    Pass the scope when it declares e or delta: exp then prints as \\exp(...), KroneckerDelta by name.
    """
    from hwsolver.expr.latex_printer import to_latex_tree

    declared = frozenset(scope.names()) if scope else frozenset()
    if isinstance(expr_or_sympy, NODE_TYPES):
        return to_latex_tree(expr_or_sympy, declared)
    from hwsolver.expr.sympy_read import sympy_to_tree

    return to_latex_tree(sympy_to_tree(expr_or_sympy), declared)


def compile_numeric(expr: Expr, scope: Scope) -> Callable[..., np.ndarray]:
    """A vectorized NumPy evaluator (env, budget=None) -> float array (numeric.py says what env must hold).

    Reading outside a vector or array is an ExprError unless scope.zero_outside; each call has a work budget.
    """
    from hwsolver.expr.numeric import evaluator

    return evaluator(expr, scope)

"""Kind `index_gradient`: d f / d x[k] for f a formula in the elements of a vector (log_softmax(x)[i], ...).

The answer is a closed form in the free indices with KroneckerDelta (delta(i, k) - softmax(x)[k]); concrete
`values` of the vectors add the Jacobian J[a][b] = (d f / d x[k]) at i = a, k = b, evaluated at 50 digits and
checked against central differences of the function itself (float64, never through sympy).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import sympy

from hwsolver.errors import ExprError, SolveError
from hwsolver.expr import Scope, compile_numeric, parse, to_sympy
from hwsolver.expr.sympy_build import array as vector
from hwsolver.expr.sympy_build import index, size
from hwsolver.kinds.index_gradient_forms import collapse, formula, unplaced
from hwsolver.model import Problem, Solution, Symbolic
from hwsolver.node import Node
from hwsolver.numbers import PRECISION_DIGITS

DESCRIPTION = "the gradient of a function of an indexed vector by one element, with Kronecker deltas"
_DOMAIN = (-3.0, 3.0)
_WITNESS_SIZE = 4


@dataclass(frozen=True)
class IndexGradientGiven:
    """f (a parsed formula), the element x[k] it is differentiated by, and the names f may use."""

    function: Any
    wrt: str  # the vector
    index: str  # the wrt element's index, k in x[k]
    vectors: tuple[tuple[str, str], ...]  # (vector, size symbol)
    indices: tuple[str, ...]
    free: str | None  # f's free index (the Jacobian's row), if it has one
    rows: str  # the vector the free index runs over (the wrt vector when there is none)
    values: tuple[tuple[str, tuple[Fraction, ...]], ...] = ()  # concrete vectors for the Jacobian

    @property
    def scope(self) -> Scope:
        return Scope(vectors=dict(self.vectors), indices=self.indices)


@dataclass(frozen=True)
class TermStep:
    """One additive term of f: its derivative as differentiation gives it, and after collapsing the deltas."""

    term: Symbolic
    derivative: Symbolic
    result: Symbolic
    collapsed: bool  # a sum over a Kronecker delta was reduced to its one nonzero term


def parts(given: IndexGradientGiven) -> tuple[str, ...]:
    return ("gradient", "jacobian") if given.values else ("gradient",)


def parse_given(node: Node) -> IndexGradientGiven:
    fields = node.fields(("function", "wrt", "vectors", "indices"), ("values",))
    vectors = tuple((name, entry.text()) for name, entry in fields["vectors"].mapping().items())
    indices = tuple(item.text() for item in fields["indices"].items())
    try:
        scope = Scope(vectors=dict(vectors), indices=indices)
    except ExprError as exc:
        raise node.error(str(exc).removeprefix("scope: ")) from None
    function, f = _formula(fields["function"], scope)
    _, wrt_node = _formula(fields["wrt"], scope)
    if not isinstance(wrt_node, sympy.Indexed) or not isinstance(wrt_node.indices[0], sympy.Symbol):
        written = fields["wrt"].text()
        raise fields["wrt"].error(
            f"expected one element of a vector with a declared index, as in x[k]; got '{written}'"
        )
    name, k = str(wrt_node.base.label), str(wrt_node.indices[0])
    free = sorted(str(s) for s in f.free_symbols if str(s) in indices)
    if k in free:
        raise fields["wrt"].error(f"the function uses {k}; differentiate by an element whose index it does not use")
    if not f.has(vector(name)):
        raise fields["wrt"].error(f"the function does not depend on {name}")
    values = _values(fields["values"], vectors) if "values" in fields else ()
    if values and len(free) > 1:
        raise fields["values"].error(f"a Jacobian needs a function with at most one free index, not {', '.join(free)}")
    rows = next((str(e.base.label) for e in f.atoms(sympy.Indexed) if free and e.indices == (index(free[0]),)), name)
    return IndexGradientGiven(function, name, k, vectors, indices, free[0] if free else None, rows, values)


def _formula(node: Node, scope: Scope) -> tuple[Any, sympy.Expr]:
    written = node.text()
    try:
        tree = parse(written, scope)
    except ExprError as exc:
        raise node.error(f"cannot read '{written}': {exc}") from None
    return tree, to_sympy(tree)


def _values(node: Node, vectors: tuple[tuple[str, str], ...]) -> tuple[tuple[str, tuple[Fraction, ...]], ...]:
    entries = node.fields(tuple(name for name, _ in vectors))
    found: dict[str, tuple[Fraction, ...]] = {}
    lengths: dict[str, int] = {}  # vectors of the same size symbol must have the same length
    for name, size_name in vectors:
        found[name] = entries[name].vector(lengths.get(size_name), scalar_ok=False)
        lengths[size_name] = len(found[name])
    return tuple(found.items())


# -- solving ------------------------------------------------------------------------------------------------


def gradient(given: IndexGradientGiven) -> sympy.Expr:
    """d f / d x[k] with every delta sum collapsed (softmax still written out)."""
    sizes = dict(given.vectors)
    return collapse(sympy.diff(_expanded(given), _wrt(given)), _wrt(given), size(sizes[given.wrt]))


def _expanded(given: IndexGradientGiven) -> sympy.Expr:
    """f with logs of products split (log softmax = x[i] - log(sum)): the same derivative, simpler terms."""
    return sympy.expand_log(to_sympy(given.function), force=True)


def _wrt(given: IndexGradientGiven) -> sympy.Indexed:
    return vector(given.wrt)[index(given.index)]


def solve(problem: Problem, *, exact: bool = True) -> Solution:
    import numpy as np

    given: IndexGradientGiven = problem.given
    sizes, scope, wrt = dict(given.vectors), given.scope, _wrt(given)

    def shown(expr: sympy.Expr) -> Symbolic:
        return formula(expr, sizes, scope, _DOMAIN)

    f = _expanded(given)
    terms = []
    for term in sorted(sympy.Add.make_args(f), key=lambda t: t.could_extract_minus_sign()):
        raw = sympy.diff(term, wrt)
        terms.append(
            TermStep(shown(term), shown(raw), shown(collapse(raw, wrt, size(sizes[given.wrt]))), raw.has(sympy.Sum))
        )
    answer = shown(gradient(given))
    tidied = unplaced(to_sympy(parse(answer.expr, scope)), sizes)
    cases = ()
    delta = sympy.KroneckerDelta(index(given.free), index(given.index)) if given.free else None
    if delta is not None and tidied.has(delta):
        same = tidied.subs(delta, 1).subs(index(given.free), index(given.index))
        cases = ((True, shown(same)), (False, shown(tidied.subs(delta, 0))))
    # The second witness: central differences of f itself at the given values (or a fixed point, C = 4).
    values = dict(given.values) or _witness_point(given)
    check = _differences(given, values)
    numeric = jacobian_numeric(given, answer.expr, values)
    answers: dict[str, Any] = {"gradient": answer}
    if given.values:
        answers["jacobian"] = _jacobian_exact(given, tidied, values) if exact else tuple(map(tuple, numeric.tolist()))
    for found in (numeric, np.array(answers.get("jacobian", numeric), dtype=float)):
        if abs(found - check).max() > 1e-6 * (1 + abs(check).max()):
            raise SolveError(f"{problem.id}: d/d{given.wrt}[{given.index}] = {answer.expr} disagrees with differences")
    work = {"function": shown(f), "terms": tuple(terms), "cases": cases, "witness": float(abs(numeric - check).max())}
    return Solution(problem, answers, work)


def _witness_point(given: IndexGradientGiven) -> dict[str, tuple[Fraction, ...]]:
    """A fixed random point (C = 4) for the second witness when the problem gives none."""
    import random

    rng = random.Random(sum(map(ord, given.wrt + given.index)))
    return {name: tuple(Fraction(rng.randint(-20, 20), 10) for _ in range(_WITNESS_SIZE)) for name, _ in given.vectors}


def _shape(given: IndexGradientGiven, values: dict[str, tuple[Fraction, ...]]) -> tuple[range, range]:
    """The Jacobian's row indices (one row when f has no free index) and column indices."""
    rows = range(1, len(values[given.rows]) + 1) if given.free else range(1, 2)
    return rows, range(1, len(values[given.wrt]) + 1)


def _at(given: IndexGradientGiven, row: int, column: int) -> dict[str, int]:
    return {given.index: column, **({given.free: row} if given.free else {})}


def jacobian_numeric(given: IndexGradientGiven, expr: str, values: dict[str, tuple[Fraction, ...]]) -> Any:
    """J[a][b]: the formula `expr` (in the problem's names) at i = a, k = b, in float64."""
    import numpy as np

    scope = given.scope
    evaluate = compile_numeric(parse(expr, scope), scope)
    env = {name: np.array([[float(v) for v in value]]) for name, value in values.items()}
    rows, columns = _shape(given, values)
    return np.array([[float(evaluate({**env, **_at(given, a, b)})[0]) for b in columns] for a in rows])


def _differences(given: IndexGradientGiven, values: dict[str, tuple[Fraction, ...]]) -> Any:
    """J[a][b] by central differences of f itself, with step h in x[b] (float64, the independent witness)."""
    import numpy as np

    scope, h = given.scope, 1e-6
    evaluate = compile_numeric(given.function, scope)
    rows, columns = _shape(given, values)
    env = {name: np.array([[float(v) for v in value]] * 2 * len(columns)) for name, value in values.items()}
    for b in columns:  # row 2(b-1) is x + h e_b, row 2(b-1)+1 is x - h e_b
        env[given.wrt][2 * (b - 1), b - 1] += h
        env[given.wrt][2 * (b - 1) + 1, b - 1] -= h
    result = []
    for a in rows:
        out = evaluate({**env, **({given.free: a} if given.free else {})})  # k is not in f
        result.append([(out[2 * (b - 1)] - out[2 * (b - 1) + 1]) / (2 * h) for b in columns])
    return np.array(result)


def _jacobian_exact(given: IndexGradientGiven, expr: sympy.Expr, values: dict[str, tuple[Fraction, ...]]) -> tuple:
    """J at 50 digits: the closed form with the indices and vector entries put in, through sympy and mpmath."""
    import mpmath

    rows, columns = _shape(given, values)
    concrete = expr.subs({size(s): len(values[name]) for name, s in given.vectors})
    entries = {
        vector(name)[m]: sympy.Rational(v.numerator, v.denominator)
        for name, value in values.items()
        for m, v in enumerate(value, start=1)
    }
    matrix = []
    with mpmath.workdps(PRECISION_DIGITS):
        for a in rows:
            row = []
            for b in columns:
                at = {index(name): value for name, value in _at(given, a, b).items()}
                row.append(mpmath.mpf(sympy.N(concrete.subs(at).doit().subs(entries), PRECISION_DIGITS + 5)))
            matrix.append(tuple(row))
    return tuple(matrix)


from hwsolver.kinds.index_gradient_grading import MISTAKES, follow_through, mistakes, trivial  # noqa: E402

__all__ = [
    "DESCRIPTION",
    "MISTAKES",
    "follow_through",
    "gradient",
    "jacobian_numeric",
    "mistakes",
    "parse_given",
    "parts",
    "solve",
    "trivial",
]

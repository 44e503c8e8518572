"""An objective: a formula of named scalar parameters (read by hwsolver.expr, the only gate from text to math),
with its gradient, evaluated two ways.

Exact: sympy substitutes the parameters' values (Fractions give Fractions where the formula is rational; otherwise,
or once a value is a 50-digit mpmath number, the result is a 50-digit mpmath number). Float: each partial
derivative, written back in the expression language and parsed again, compiled to a NumPy evaluator, so that a
grid of points (the contour plot) costs one call.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from functools import cached_property
from typing import Any

import mpmath
import numpy as np
import sympy

from hwsolver.errors import ExprError, SolveError
from hwsolver.expr import Expr, Scope, compile_numeric, from_sympy, parse, to_latex, to_sympy, to_text
from hwsolver.expr.sympy_build import variable
from hwsolver.numbers import PRECISION_DIGITS

Point = Mapping[str, Any]


class Objective:
    """f(w1, w2, ...) of the parameters `names` (in the order they were given), exact and in float64."""

    def __init__(self, tree: Expr, names: tuple[str, ...]) -> None:
        self.tree, self.names = tree, names
        self.scope = Scope(variables=names)
        self.symbols = tuple(variable(name) for name in names)
        self.expr = to_sympy(tree)
        self.partials = tuple(sympy.diff(self.expr, symbol) for symbol in self.symbols)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Objective) and (self.expr, self.names) == (other.expr, other.names)

    def __hash__(self) -> int:
        return hash((self.expr, self.names))

    @property
    def text(self) -> str:
        """The formula in the expression language."""
        return to_text(self.tree)

    @property
    def latex(self) -> str:
        return to_latex(self.tree, self.scope)

    @cached_property
    def partials_latex(self) -> tuple[str, ...]:
        return tuple(to_latex(parse(from_sympy(d), self.scope), self.scope) for d in self.partials)

    # -- exact ------------------------------------------------------------------------------------------------

    def value(self, point: Point) -> Any:
        return _exact(self.expr, self._substitution(point))

    def gradient(self, point: Point) -> dict[str, Any]:
        substitution = self._substitution(point)
        return {name: _exact(d, substitution) for name, d in zip(self.names, self.partials)}

    def _substitution(self, point: Point) -> dict[sympy.Symbol, sympy.Expr]:
        return {symbol: _sympy_number(point[name]) for symbol, name in zip(self.symbols, self.names)}

    # -- float64 ----------------------------------------------------------------------------------------------

    @cached_property
    def _compiled(self) -> tuple[Any, tuple[Any, ...]]:
        value = compile_numeric(self.tree, self.scope)
        partials = tuple(compile_numeric(parse(from_sympy(d), self.scope), self.scope) for d in self.partials)
        return value, partials

    def float_value(self, point: Point) -> Any:
        """f at a point, or at arrays of points (a grid): floats in, float64 out."""
        return self._evaluate(self._compiled[0], point)

    def float_gradient(self, point: Point) -> dict[str, float]:
        return {name: float(self._evaluate(d, point)) for name, d in zip(self.names, self._compiled[1])}

    def _evaluate(self, evaluate: Any, point: Point) -> Any:
        env = {name: np.asarray(point[name], dtype=float) for name in self.names}
        try:
            result = evaluate(env)
        except ExprError as error:
            raise SolveError(f"the objective cannot be evaluated: {error}") from None
        return float(result) if np.ndim(result) == 0 else result


def _sympy_number(value: Any) -> sympy.Expr:
    if isinstance(value, Fraction | int):
        return sympy.Rational(value.numerator, value.denominator)
    return sympy.Float(mpmath.mpf(value), PRECISION_DIGITS)


def _exact(expr: sympy.Expr, substitution: Mapping[sympy.Symbol, sympy.Expr]) -> Any:
    """expr at the point: a Fraction when sympy keeps it rational, else 50 digits (SolveError where undefined)."""
    found = expr.xreplace(substitution)
    if found.is_Rational:
        return Fraction(int(found.p), int(found.q))
    number = found.evalf(PRECISION_DIGITS + 5)
    if not number.is_real or not number.is_finite:
        raise SolveError(f"the objective is undefined at {dict(substitution)} ({number})")
    with mpmath.workdps(PRECISION_DIGITS):
        return mpmath.mpf(number)

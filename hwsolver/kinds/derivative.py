"""Kind `derivative`: derivatives of a function of one variable, order by order, with the rules each step uses.

Order n differentiates order n-1's result (so sigma'' comes from sigma' = sigma(1 - sigma), as by hand). With
`rewrite: sigmoid` (or tanh) every result is written in that function of the variable, factored: sigma(1-sigma).
The second witness differentiates the original function n times directly and compares at points of the domain.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

import sympy

from hwsolver.errors import ExprError, SolveError
from hwsolver.expr import Scope, compile_numeric, equivalent, parse, to_sympy
from hwsolver.expr.sympy_build import variable
from hwsolver.kinds.derivative_forms import REWRITES, in_terms_of, symbolic, tidy
from hwsolver.model import Problem, Solution, Symbolic
from hwsolver.node import Node

DESCRIPTION = "derivatives of a function of one variable, optionally in terms of sigmoid or tanh"
MAX_ORDER = 5
_DOMAIN = (-4.0, 4.0)


@dataclass(frozen=True)
class DerivativeGiven:
    """The function (a parsed formula in `variable`), the orders asked for, and the function to write them in."""

    function: Any
    variable: str
    orders: tuple[int, ...]
    rewrite: str | None = None
    domain: tuple[float, float] = _DOMAIN

    @property
    def scope(self) -> Scope:
        return Scope(variables=(self.variable,))

    def answer_scope(self, order: int) -> Scope:
        """The scope of the answer d<order>: for the sigmoid itself, σ' (σ'') is what d1 (d2) asks for, so an
        answer using that derivative, or a higher one, restates the question."""
        sigmoid = parse(f"sigmoid({self.variable})", self.scope)
        if equivalent(sigmoid, self.function, self.scope, domain=self.domain).equal is not True:
            return self.scope
        asked = ("sigmoid'", "sigmoid''")[order - 1 :]
        return Scope(variables=(self.variable,), asked=asked)

    @property
    def symbol(self) -> sympy.Symbol:
        return variable(self.variable)  # as the expression module builds variables


@dataclass(frozen=True)
class DerivativeStep:
    """One order: what is differentiated, by which rules, what that gives, and its simplified form."""

    order: int
    before: Symbolic
    rules: tuple[str, ...]  # "sum", "product", "quotient", "power", "chain", in the order they are met
    known: tuple[tuple[Symbolic, Symbolic], ...]  # the elementary derivatives used: (f(x), f'(x))
    derivative: Symbolic  # as the rules give it
    rewritten: bool  # exp was written in terms of the rewrite function (with the work's identities)
    result: Symbolic  # simplified: the answer d<order>


def parts(given: DerivativeGiven) -> tuple[str, ...]:
    return tuple(f"d{order}" for order in given.orders)


def parse_given(node: Node) -> DerivativeGiven:
    fields = node.fields(("function", "variable", "orders"), ("rewrite", "domain"))
    variable = fields["variable"].text()
    try:
        scope = Scope(variables=(variable,))
    except ExprError as exc:
        raise fields["variable"].error(str(exc).removeprefix("scope: ")) from None
    written = fields["function"].text()
    try:
        function = parse(written, scope)
    except ExprError as exc:
        raise fields["function"].error(f"cannot read '{written}': {exc}") from None
    given = DerivativeGiven(function, variable, _orders(fields["orders"]))
    f, x = to_sympy(function), given.symbol
    if not f.has(x):
        raise fields["function"].error(f"'{written}' does not depend on {variable}")
    if "rewrite" in fields:
        name = fields["rewrite"].choice(REWRITES)
        try:
            in_terms_of(f, x, REWRITES[name])
        except ValueError as exc:
            raise fields["rewrite"].error(f"cannot write '{written}' in terms of {name}({variable}): {exc}") from None
        given = DerivativeGiven(function, variable, given.orders, name)
    if "domain" in fields:
        low, high = fields["domain"].vector(2, scalar_ok=False)
        if low >= high:
            raise fields["domain"].error(f"expected [low, high] with low < high, got [{low}, {high}]")
        given = DerivativeGiven(function, variable, given.orders, given.rewrite, (float(low), float(high)))
    return given


def _orders(node: Node) -> tuple[int, ...]:
    items = (node,) if node.is_scalar else node.items()
    if not items:
        raise node.error("expected at least one order, as in [1, 2]")
    orders: list[int] = []
    for item in items:
        order = item.integer(minimum=1)
        if order > MAX_ORDER:
            raise item.error(f"orders go up to {MAX_ORDER}, got {order}")
        if order in orders:
            raise item.error(f"order {order} is listed twice")
        orders.append(order)
    return tuple(sorted(orders))


# -- solving ------------------------------------------------------------------------------------------------


@lru_cache(maxsize=64)
def derivatives(given: DerivativeGiven) -> tuple[tuple[sympy.Expr, sympy.Expr, sympy.Expr], ...]:
    """(differentiated, derivative as the rules give it, tidied result) for orders 1 .. the highest asked."""
    x, rewrite = given.symbol, REWRITES.get(given.rewrite or "")
    current, found = to_sympy(given.function), []
    for _ in range(max(given.orders)):
        raw = sympy.diff(current, x)
        result = tidy(in_terms_of(raw, x, rewrite) if rewrite else raw, x)
        found.append((current, raw, result))
        current = result
    return tuple(found)


def solve(problem: Problem, *, exact: bool = True) -> Solution:
    given: DerivativeGiven = problem.given
    x, scope, domain = given.symbol, given.scope, given.domain

    def formula(expr: sympy.Expr) -> Symbolic:
        return symbolic(expr, x, scope, domain)

    steps = []
    for order, (before, raw, result) in enumerate(derivatives(given), start=1):
        steps.append(
            DerivativeStep(
                order,
                formula(before),
                rules(before, x),
                tuple((formula(f), formula(sympy.diff(f, x))) for f in _elementary(before, x)),
                formula(raw),
                bool(given.rewrite) and raw.has(sympy.exp),
                formula(result),
            )
        )
    _check_directly(problem.id, given, steps)
    rewrite = REWRITES.get(given.rewrite or "")
    identities = tuple((formula(a), formula(b)) for a, b in rewrite.identities(x)) if rewrite else ()
    work = {"function": formula(to_sympy(given.function)), "steps": tuple(steps), "identities": identities}
    answers = {f"d{n}": replace(step.result, scope=given.answer_scope(n)) for n, step in enumerate(steps, start=1)}
    return Solution(problem, {name: answers[name] for name in parts(given)}, work)


def rules(expr: sympy.Expr, x: sympy.Symbol) -> tuple[str, ...]:
    """The differentiation rules d/dx expr needs, outermost first."""
    found: list[str] = []

    def visit(e: sympy.Expr) -> None:
        if e == x or not e.has(x):
            return
        varying = [a for a in e.args if a.has(x)]
        if e.is_Add:
            found.extend(["sum"] if len(varying) > 1 else [])
        elif e.is_Mul:
            reciprocal = any(f.is_Pow and f.exp.is_negative for f in varying)
            found.extend(["quotient"] if reciprocal else ["product"] if len(varying) > 1 else [])
        elif e.is_Pow:
            # 1/v is the quotient rule's special case; v^n with v not x is the power rule and the chain rule
            found.extend(["chain"] if e.exp.has(x) else ["quotient"] if e.exp.is_negative else ["power"])
            if not e.exp.has(x) and e.exp.is_positive and e.base != x:
                found.append("chain")
        elif isinstance(e, sympy.Function) and e.args != (x,):
            found.append("chain")
        for arg in varying:
            visit(arg.base if arg.is_Pow and arg.exp.is_negative and e.is_Mul else arg)

    visit(expr)
    return tuple(dict.fromkeys(found))


def _elementary(expr: sympy.Expr, x: sympy.Symbol) -> tuple[sympy.Expr, ...]:
    """Each function of the variable the expression uses (exp, sigmoid, ...), applied to the variable itself."""
    functions = sorted({type(f) for f in expr.atoms(sympy.Function) if f.has(x)}, key=lambda f: f.__name__)
    return tuple(f(x) for f in functions)


def _check_directly(problem_id: str, given: DerivativeGiven, steps: list[DerivativeStep]) -> None:
    """The second witness: d^n f/dx^n taken in one go from the function as given, compared at many points.

    The direct derivative is evaluated from sympy's own result, not from its printed text; wherever the function is
    finite the answer must agree there, a NaN included (sqrt(1 - x) for sqrt(x - 1) is caught, not skipped).
    """
    import numpy as np

    x, scope = given.symbol, given.scope
    points = {given.variable: np.linspace(*given.domain, 41)[1:-1]}
    direct = to_sympy(given.function)
    defined = np.isfinite(compile_numeric(given.function, scope)(points))
    if not defined.any():
        raise SolveError(f"{problem_id}: the function is not defined anywhere in the domain {list(given.domain)}")
    for step in steps:
        direct = sympy.diff(direct, x)
        expected = _sympy_values(direct, x, points[given.variable])
        got = compile_numeric(parse(step.result.expr, scope), scope)(points)
        with np.errstate(all="ignore"):
            # where the derivative is no finite number (at x = 1 for sqrt(x - 1)) inf and nan say the same
            neither = ~np.isfinite(got) & ~np.isfinite(expected)
            ok = ~defined | neither | np.isclose(got, expected, rtol=1e-9, atol=1e-12)
        if not ok.all():
            at = float(points[given.variable][np.argmin(ok)])
            raise SolveError(
                f"{problem_id}: d{step.order} = {step.result.expr} disagrees with direct differentiation "
                f"at {given.variable} = {at:g}"
            )


def _sympy_values(expr: sympy.Expr, x: sympy.Symbol, points: Any) -> Any:
    """expr at each point, evaluated by sympy itself (nan where it is not a finite real number)."""
    import numpy as np

    def at(t: float) -> float:
        value = complex(expr.subs(x, sympy.Float(t, 30)).evalf(20))
        return value.real if value.imag == 0 and np.isfinite(value.real) else np.nan

    return np.array([at(float(t)) for t in points])


from hwsolver.kinds.derivative_grading import MISTAKES, follow_through, mistakes, trivial  # noqa: E402

__all__ = [
    "DESCRIPTION",
    "MISTAKES",
    "derivatives",
    "follow_through",
    "mistakes",
    "parse_given",
    "parts",
    "rules",
    "solve",
    "trivial",
]

"""Kind `derivative`: derivatives of a function of one variable, order by order, with the rules each step uses.

Order n differentiates order n-1's result (so sigma'' comes from sigma' = sigma(1 - sigma), as by hand). With
`rewrite: sigmoid` (or tanh) every result is written in that function of the variable, factored: sigma(1-sigma).
The second witness differentiates the original function n times directly and compares at points of the domain.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

import numpy as np
import sympy

from hwsolver.compute.formulas import symbolic, tidy
from hwsolver.errors import SolveError
from hwsolver.expr import compile_numeric, parse, to_sympy
from hwsolver.kinds.base import Kind, PartInfo
from hwsolver.kinds.derivative.forms import REWRITES, in_terms_of
from hwsolver.kinds.derivative.given import GIVEN, MAX_ORDER, DerivativeGiven, parse_given
from hwsolver.model import Problem, Solution, Symbolic

PARTS = tuple(
    PartInfo(f"d{order}", f"a formula in the variable: the derivative of order {order}")
    for order in range(1, MAX_ORDER + 1)
)


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


def parts_for(given: DerivativeGiven) -> tuple[str, ...]:
    return tuple(f"d{order}" for order in given.orders)


@lru_cache(maxsize=64)
def derivatives(given: DerivativeGiven) -> tuple[tuple[sympy.Expr, sympy.Expr, sympy.Expr], ...]:
    """(differentiated, derivative as the rules give it, tidied result) for orders 1 .. the highest asked."""
    x, rewrite = given.symbol, REWRITES.get(given.rewrite or "")
    current, found = to_sympy(given.function), []
    for _ in range(max(given.orders)):
        raw = sympy.diff(current, x)
        result = written(raw, x, rewrite)
        found.append((current, raw, result))
        current = result
    return tuple(found)


def written(raw: sympy.Expr, x: sympy.Symbol, rewrite: Any) -> sympy.Expr:
    """A derivative as the answers write it: in the rewrite function of the variable (no exp left), tidied.
    grading.py's slips go through it too: a mutant is this step with one rule of differentiation slipped."""
    return tidy(in_terms_of(raw, x, rewrite) if rewrite else raw)


def solve(problem: Problem, *, exact: bool = True) -> Solution:
    given: DerivativeGiven = problem.given
    x, scope, domain = given.symbol, given.scope, given.domain

    def formula(expr: sympy.Expr) -> Symbolic:
        return symbolic(expr, scope, domain)

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
    rewrite = REWRITES.get(given.rewrite or "")
    identities = tuple((formula(a), formula(b)) for a, b in rewrite.identities(x)) if rewrite else ()
    work = {"function": formula(to_sympy(given.function)), "steps": tuple(steps), "identities": identities}
    answers = {f"d{n}": replace(step.result, scope=given.answer_scope(n)) for n, step in enumerate(steps, start=1)}
    return Solution(problem, {name: answers[name] for name in parts_for(given)}, work)


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


def witness(problem: Problem, solution: Solution) -> None:
    """d^n f/dx^n taken in one go from the function as given, compared with each order's answer and its worked
    result at many points.

    The direct derivative is evaluated from sympy's own result, not from its printed text; wherever the function is
    finite the answer must agree there, a NaN included (sqrt(1 - x) for sqrt(x - 1) is caught, not skipped).
    """
    given: DerivativeGiven = problem.given
    x, scope = given.symbol, given.scope
    points = {given.variable: np.linspace(*given.domain, 41)[1:-1]}
    direct = to_sympy(given.function)
    defined = np.isfinite(compile_numeric(given.function, scope)(points))
    if not defined.any():
        raise SolveError(f"{problem.id}: the function is not defined anywhere in the domain {list(given.domain)}")
    for step in solution.work["steps"]:
        direct = sympy.diff(direct, x)
        expected = _sympy_values(direct, x, points[given.variable])
        answer = solution.answers.get(f"d{step.order}")
        for shown in dict.fromkeys(f.expr for f in (step.result, answer) if f is not None):
            got = compile_numeric(parse(shown, scope), scope)(points)
            with np.errstate(all="ignore"):
                # where the derivative is no finite number (at x = 1 for sqrt(x - 1)) inf and nan say the same
                neither = ~np.isfinite(got) & ~np.isfinite(expected)
                ok = ~defined | neither | np.isclose(got, expected, rtol=1e-9, atol=1e-12)
            if not ok.all():
                at = float(points[given.variable][np.argmin(ok)])
                raise SolveError(
                    f"{problem.id}: d{step.order} = {shown} disagrees with direct differentiation "
                    f"at {given.variable} = {at:g}"
                )


def _sympy_values(expr: sympy.Expr, x: sympy.Symbol, points: Any) -> Any:
    """expr at each point, evaluated by sympy itself (nan where it is not a finite real number)."""

    def at(t: float) -> float:
        value = complex(expr.subs(x, sympy.Float(t, 30)).evalf(20))
        return value.real if value.imag == 0 and np.isfinite(value.real) else np.nan

    return np.array([at(float(t)) for t in points])


# grading.py uses what is defined above (derivatives, rules): imported once it is.
from hwsolver.kinds.derivative import examples, explain, grading  # noqa: E402

KIND = Kind(
    name="derivative",
    description="derivatives of a function of one variable, optionally in terms of sigmoid or tanh",
    given=GIVEN,
    parse_given=parse_given,
    parts=PARTS,
    parts_for=parts_for,
    solve=solve,
    witness=witness,
    mistakes=grading.MISTAKES,
    mutants=grading.mutants,
    example=examples.example,
    strings=explain.STRINGS,
    labels=explain.LABELS,
    follow_through=grading.follow_through,
    trivial=grading.trivial,
)

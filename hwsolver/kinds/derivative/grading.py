"""How students go wrong on a derivative: each slip re-run on the step where it happens, for each order asked.

Order n is taken from the correct order n-1 (as the grader compares part by part): a slip at order 2 is a slip
in differentiating sigma(1 - sigma), whatever the student wrote for order 1. Each slip earns, by default, the
share of the part's points in MISTAKES below (a problem's `mistake_credit` overrides it). Follow-through: order n is
the derivative of the student's own order n-1 (through the expression language's sympy bridge), unless that
answer leaves nothing to differentiate (a constant or a line) or copies the function itself.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from fractions import Fraction
from typing import Any

import sympy

from hwsolver.compute.formulas import symbolic, tidy
from hwsolver.errors import ExprError
from hwsolver.expr import equivalent, from_sympy, ordered_factors, parse, to_sympy
from hwsolver.kinds.base import Mistake
from hwsolver.kinds.derivative import derivatives, rules, written
from hwsolver.kinds.derivative.forms import REWRITES
from hwsolver.model import Mutant, Problem, Route, Solution

Slip = Callable[[sympy.Expr, sympy.Symbol, Any], tuple[sympy.Expr, str] | None]
_PRODUCT_RULE = {
    "en": "Only the factor {u} was differentiated; the product rule differentiates each factor in turn, "
    "(u*v)' = u'*v + u*v' with u = {u} and v = {v}.",
    "zh": "只对因子 {u} 求了导；乘积法则要对每个因子依次求导：(u*v)' = u'*v + u*v'，其中 u = {u}，v = {v}。",
}
# The product rule half applied misses the point of the exercise; the others leave one factor or sign wrong.
MISTAKES = (
    Mistake("one_factor_differentiated", Fraction(1, 4), _PRODUCT_RULE),
    Mistake("sigma_squared", Fraction(1, 4), _PRODUCT_RULE),  # sigma'' = sigma(1 - sigma)^2: the course's name
    Mistake(
        "missing_chain_factor",
        Fraction(1, 2),
        {
            "en": "The inner derivative of the chain rule was left out: d/d{x} {inner} = {right}, not {wrong}.",
            "zh": "链式法则的内层导数被漏掉了：d/d{x} {inner} = {right}，而不是 {wrong}。",
        },
        variants={  # the function the results are written in, as the inner function
            "rewrite": {
                "en": "The chain rule's factor {name}'({x}) = {factor} is missing: "
                "d/d{x} g({name}({x})) = g'({name}({x})) * {name}'({x}).",
                "zh": "漏掉了链式法则的因子 {name}'({x}) = {factor}："
                "d/d{x} g({name}({x})) = g'({name}({x})) * {name}'({x})。",
            }
        },
    ),
    Mistake(
        "sign_error",
        Fraction(1, 2),
        {
            "en": "The sign is reversed; recheck the minus signs that the {rules} rule(s) bring in.",
            "zh": "符号反了；请检查{rules}法则带来的负号。",
        },
    ),
)
_TABLE = {mistake.id: mistake for mistake in MISTAKES}


def _text(expr: sympy.Expr) -> str:
    return from_sympy(expr, reading_order=True)


def _one_factor(before: sympy.Expr, x: sympy.Symbol, rewrite: Any) -> tuple[sympy.Expr, str] | None:
    """The product rule with only the first factor differentiated: (u*v)' taken as u'*v."""
    coefficient, factors = ordered_factors(before)
    varying = [base**exponent for base, exponent in factors if base.has(x)]
    if len(varying) < 2:
        return None
    u, v = varying[0], sympy.Mul(*varying[1:])
    constant = coefficient * sympy.Mul(*(b**e for b, e in factors if not b.has(x)))
    feedback = _TABLE["one_factor_differentiated"].says("en", u=_text(u), v=_text(v))
    return constant * sympy.diff(u, x) * v, feedback


def _no_chain_factor(before: sympy.Expr, x: sympy.Symbol, rewrite: Any) -> tuple[sympy.Expr, str] | None:
    """The chain rule's inner derivative dropped: sigma' left out of d/dx g(sigma), or -1 out of d/dx exp(-x)."""
    if rewrite is not None and before.has(rewrite.function(x)):
        t, inner = sympy.Dummy("t"), rewrite.function(x)
        slipped = sympy.diff(before.subs(inner, t), t).subs(t, inner)
        factor = _text(tidy(sympy.diff(inner, x)))
        return slipped, _TABLE["missing_chain_factor"].says("en", "rewrite", name=rewrite.name, x=x, factor=factor)
    applied = [f for f in before.atoms(sympy.Function) if len(f.args) == 1 and f.has(x) and f.args != (x,)]
    if not applied:
        return None
    applied.sort(key=sympy.default_sort_key)
    stand_ins = {f: sympy.Function(f"outer{i}")(x) for i, f in enumerate(applied)}
    slipped = sympy.diff(before.xreplace(stand_ins), x)
    slipped = slipped.subs({sympy.Derivative(s, x): f.fdiff() for f, s in stand_ins.items()})
    slipped = slipped.xreplace({s: f for f, s in stand_ins.items()})
    first = applied[0]
    right, wrong = _text(tidy(sympy.diff(first, x))), _text(first.fdiff())
    return slipped, _TABLE["missing_chain_factor"].says("en", x=x, inner=_text(first), right=right, wrong=wrong)


def _sign(before: sympy.Expr, x: sympy.Symbol, rewrite: Any) -> tuple[sympy.Expr, str] | None:
    used = " and ".join(rules(before, x)) or "differentiation"
    return -sympy.diff(before, x), _TABLE["sign_error"].says("en", rules=used)


# In this order: the first mutant that matches names the mistake (d/dx exp(-x) without its -1 is also a sign
# error, but the missing chain factor is what happened).
SLIPS: dict[str, Slip] = {
    "one_factor_differentiated": _one_factor,
    "missing_chain_factor": _no_chain_factor,
    "sign_error": _sign,
}


def mutants(problem: Problem, solution: Solution) -> tuple[Mutant, ...]:
    """The classic slips at each order asked, each with the formula it leads to."""
    given = problem.given
    x, scope, rewrite = given.symbol, given.scope, REWRITES.get(given.rewrite or "")
    found = []
    for order, (before, _, _) in enumerate(derivatives(given), start=1):
        if order not in given.orders:
            continue
        reference = parse(solution.answers[f"d{order}"].expr, scope)
        for slip_id, slip in SLIPS.items():
            slipped = slip(before, x, rewrite)
            if slipped is None:
                continue
            expr, feedback = slipped
            try:
                expr = written(expr, x, rewrite)
                answer = symbolic(expr, scope, given.domain)
            except (ValueError, ExprError):
                continue  # the slip gives something the language cannot write: no student writes it either
            if equivalent(parse(answer.expr, scope), reference, scope, domain=given.domain).equal is not False:
                continue  # this slip happens to give the right answer here
            if any(m.answers.get(f"d{order}") == answer for m in found):
                continue  # one wrong answer, one name: the first slip that gives it (the grader names no other)
            if slip_id == "one_factor_differentiated" and given.rewrite == "sigmoid":
                slip_id = "sigma_squared"  # sigma'' = sigma(1 - sigma)^2: the course's name for it
            found.append(Mutant(slip_id, feedback, {f"d{order}": answer}, _TABLE[slip_id].credit))
    return tuple(found)


def follow_through(problem: Problem, solution: Solution) -> tuple[Route, ...]:
    """Order n from the student's own order n-1, where both are asked."""
    given = problem.given
    routes = []
    for order in given.orders:
        if order - 1 in given.orders:
            reference = solution.answers[f"d{order}"]
            earlier = f"d{order - 1}"

            def derivative(values: Mapping[str, Any], reference: Any = reference, earlier: str = earlier) -> Any:
                differentiated = sympy.diff(to_sympy(values[earlier]), given.symbol)
                return replace(reference, expr=from_sympy(differentiated), latex="")

            routes.append(Route(f"d{order}", (earlier,), derivative, rounded=False))
    return tuple(routes)


def trivial(problem: Problem, solution: Solution, part: str, value: Any) -> bool:
    """A constant or a line (its derivative takes no work), or the function itself copied."""
    given = problem.given
    try:
        if not sympy.diff(to_sympy(value), given.symbol, 2).has(given.symbol):
            return True
        return equivalent(value, given.function, given.scope, domain=given.domain).equal is True
    except (ExprError, TypeError, ValueError):
        return False

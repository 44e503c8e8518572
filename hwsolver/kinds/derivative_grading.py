"""How students go wrong on a derivative: each slip re-run on the step where it happens, for each order asked.

Order n is taken from the correct order n-1 (as the grader compares part by part): a slip at order 2 is a slip
in differentiating sigma(1 - sigma), whatever the student wrote for order 1. Each slip earns, by default, the
share of the part's points in MISTAKES (a problem's `mistake_credit` overrides it). Follow-through: order n is
the derivative of the student's own order n-1 (through the expression language's sympy bridge), unless that
answer leaves nothing to differentiate (a constant or a line) or copies the function itself.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from fractions import Fraction
from typing import Any

import sympy

from hwsolver.errors import ExprError
from hwsolver.expr import equivalent, from_sympy, parse, to_sympy
from hwsolver.kinds.derivative_forms import REWRITES, in_terms_of, ordered_factors, symbolic, text, tidy
from hwsolver.model import Mutant, Problem, Route, Solution

Slip = Callable[[sympy.Expr, sympy.Symbol, Any], tuple[sympy.Expr, str] | None]


def _one_factor(before: sympy.Expr, x: sympy.Symbol, rewrite: Any) -> tuple[sympy.Expr, str] | None:
    """The product rule with only the first factor differentiated: (u*v)' taken as u'*v."""
    coefficient, factors = ordered_factors(before, x)
    varying = [base**exponent for base, exponent in factors if base.has(x)]
    if len(varying) < 2:
        return None
    u, v = varying[0], sympy.Mul(*varying[1:])
    constant = coefficient * sympy.Mul(*(b**e for b, e in factors if not b.has(x)))
    feedback = (
        f"Only the factor {text(u, x)} was differentiated; the product rule differentiates each factor in turn, "
        f"(u*v)' = u'*v + u*v' with u = {text(u, x)} and v = {text(v, x)}."
    )
    return constant * sympy.diff(u, x) * v, feedback


def _no_chain_factor(before: sympy.Expr, x: sympy.Symbol, rewrite: Any) -> tuple[sympy.Expr, str] | None:
    """The chain rule's inner derivative dropped: sigma' left out of d/dx g(sigma), or -1 out of d/dx exp(-x)."""
    if rewrite is not None and before.has(rewrite.function(x)):
        t, inner = sympy.Dummy("t"), rewrite.function(x)
        slipped = sympy.diff(before.subs(inner, t), t).subs(t, inner)
        feedback = (
            f"The chain rule's factor {rewrite.name}'({x}) = {text(tidy(sympy.diff(inner, x), x), x)} is missing: "
            f"d/d{x} g({rewrite.name}({x})) = g'({rewrite.name}({x})) * {rewrite.name}'({x})."
        )
        return slipped, feedback
    applied = [f for f in before.atoms(sympy.Function) if len(f.args) == 1 and f.has(x) and f.args != (x,)]
    if not applied:
        return None
    applied.sort(key=sympy.default_sort_key)
    stand_ins = {f: sympy.Function(f"outer{i}")(x) for i, f in enumerate(applied)}
    slipped = sympy.diff(before.xreplace(stand_ins), x)
    slipped = slipped.subs({sympy.Derivative(s, x): f.fdiff() for f, s in stand_ins.items()})
    slipped = slipped.xreplace({s: f for f, s in stand_ins.items()})
    first = applied[0]
    feedback = (
        f"The inner derivative of the chain rule was left out: d/d{x} {text(first, x)} = "
        f"{text(tidy(sympy.diff(first, x), x), x)}, not {text(first.fdiff(), x)}."
    )
    return slipped, feedback


def _sign(before: sympy.Expr, x: sympy.Symbol, rewrite: Any) -> tuple[sympy.Expr, str] | None:
    from hwsolver.kinds.derivative import rules

    used = " and ".join(rules(before, x)) or "differentiation"
    return -sympy.diff(before, x), f"The sign is reversed; recheck the minus signs that the {used} rule(s) bring in."


# The product rule half applied misses the point of the exercise; the others leave one factor or sign wrong.
MISTAKES: dict[str, Fraction] = {
    "one_factor_differentiated": Fraction(1, 4),
    "sigma_squared": Fraction(1, 4),
    "missing_chain_factor": Fraction(1, 2),
    "sign_error": Fraction(1, 2),
}
# In this order: the first mutant that matches names the mistake (d/dx exp(-x) without its -1 is also a sign
# error, but the missing chain factor is what happened).
SLIPS: dict[str, Slip] = {
    "one_factor_differentiated": _one_factor,
    "missing_chain_factor": _no_chain_factor,
    "sign_error": _sign,
}


def mistakes(problem: Problem, solution: Solution) -> tuple[Mutant, ...]:
    """The classic slips at each order asked, each with the formula it leads to."""
    from hwsolver.kinds.derivative import derivatives

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
                expr = tidy(in_terms_of(expr, x, rewrite) if rewrite else expr, x)
                answer = symbolic(expr, x, scope, given.domain)
            except (ValueError, ExprError):
                continue  # the slip gives something the language cannot write: no student writes it either
            if equivalent(parse(answer.expr, scope), reference, scope, domain=given.domain).equal is not False:
                continue  # this slip happens to give the right answer here
            if slip_id == "one_factor_differentiated" and given.rewrite == "sigmoid":
                slip_id = "sigma_squared"  # sigma'' = sigma(1 - sigma)^2: the course's name for it
            found.append(Mutant(slip_id, feedback, {f"d{order}": answer}, MISTAKES[slip_id]))
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

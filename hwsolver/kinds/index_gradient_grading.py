"""How students go wrong on the gradient of an indexed function: each slip applied to the closed form.

The slips are those of d/dx[k] log_softmax(x)[i] = delta(i, k) - softmax(x)[k]: the sign turned round, the delta
replaced by 1 (only the case i = k worked out), the softmax taken at the row index i instead of k. Each earns,
by default, the share of the part's points in MISTAKES (a problem's `mistake_credit` overrides it).
Follow-through: the Jacobian from the student's own gradient formula, unless it reads no x at all.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from fractions import Fraction
from typing import Any

import sympy

from hwsolver.errors import ExprError
from hwsolver.expr import equivalent, parse, to_sympy, to_text
from hwsolver.expr.nodes import Item, Softmax, walk
from hwsolver.expr.sympy_build import index
from hwsolver.kinds.index_gradient_forms import formula, softmax_form, unplaced
from hwsolver.model import Mutant, Problem, Route, Solution

Slip = Callable[[sympy.Expr, sympy.Symbol | None, sympy.Symbol], sympy.Expr | None]


def _sign(gradient: sympy.Expr, free: sympy.Symbol | None, k: sympy.Symbol) -> sympy.Expr | None:
    return -gradient


def _no_delta(gradient: sympy.Expr, free: sympy.Symbol | None, k: sympy.Symbol) -> sympy.Expr | None:
    deltas = gradient.atoms(sympy.KroneckerDelta)
    return gradient.xreplace(dict.fromkeys(deltas, sympy.S.One)) if deltas else None


def _softmax_of_row(gradient: sympy.Expr, free: sympy.Symbol | None, k: sympy.Symbol) -> sympy.Expr | None:
    if free is None:
        return None
    held = {d: sympy.Dummy() for d in gradient.atoms(sympy.KroneckerDelta)}  # the delta keeps its i and k
    return gradient.xreplace(held).subs(k, free).xreplace({v: d for d, v in held.items()})


FEEDBACK = {
    "softmax_sign": "The sign is reversed: d/dx[k] of x[i] is +delta(i, k) and d/dx[k] of -log(sum_j exp(x[j])) is "
    "-softmax(x)[k], so the gradient is {answer}.",
    "missing_delta": "Only the case i = k was worked out: d x[i] / d x[k] is delta(i, k), 1 when i = k and 0 "
    "otherwise, so the gradient is {answer}.",
    "softmax_of_i": "The softmax term comes from differentiating log(sum_j exp(x[j])) by x[k], which gives "
    "exp(x[k]) / sum_j exp(x[j]) = softmax(x)[k] at the index k of the variable, not at i: the gradient is {answer}.",
    "sign_error": "The sign is reversed: the gradient is {answer}.",
}
HALF = Fraction(1, 2)
MISTAKES: dict[str, Fraction] = {"softmax_sign": HALF, "missing_delta": HALF, "softmax_of_i": HALF, "sign_error": HALF}
SLIPS: dict[str, Slip] = {"softmax_sign": _sign, "missing_delta": _no_delta, "softmax_of_i": _softmax_of_row}


def mistakes(problem: Problem, solution: Solution) -> tuple[Mutant, ...]:
    """The classic slips, each with the formula (and the Jacobian, when asked) it leads to."""
    from hwsolver.kinds.index_gradient import jacobian_numeric

    given = problem.given
    scope, sizes = given.scope, dict(given.vectors)
    answer = solution.answers["gradient"]
    reference = parse(answer.expr, scope)
    gradient = unplaced(to_sympy(reference), sizes)
    with_softmax = any(isinstance(node, Softmax) and not node.log for node in walk(reference))
    free = index(given.free) if given.free else None
    found = []
    for slip_id, slip in SLIPS.items():
        if slip_id == "softmax_sign" and not with_softmax:
            slip_id = "sign_error"  # no softmax in this gradient: a plain sign error
        elif slip_id == "softmax_of_i" and not with_softmax:
            continue
        slipped = slip(softmax_form(gradient, sizes), free, index(given.index))
        if slipped is None:
            continue
        try:
            wrong = formula(unplaced(slipped, sizes), sizes, scope, answer.domain)
        except ExprError:
            continue  # the slip gives something the language cannot write: no student writes it either
        if equivalent(parse(wrong.expr, scope), reference, scope, domain=answer.domain).equal is not False:
            continue  # the slip changes nothing here
        answers = {"gradient": wrong}
        if "jacobian" in solution.answers:
            matrix = jacobian_numeric(given, wrong.expr, dict(given.values))
            answers["jacobian"] = tuple(map(tuple, matrix.tolist()))
        found.append(Mutant(slip_id, FEEDBACK[slip_id].format(answer=answer.expr), answers, MISTAKES[slip_id]))
    return tuple(found)


def follow_through(problem: Problem, solution: Solution) -> tuple[Route, ...]:
    """The Jacobian at the given values from the student's own gradient formula."""
    from hwsolver.kinds.index_gradient import jacobian_numeric

    given = problem.given
    if "jacobian" not in solution.answers:
        return ()

    def jacobian(values: Mapping[str, Any]) -> Any:
        matrix = jacobian_numeric(given, to_text(values["gradient"]), dict(given.values))
        return tuple(map(tuple, matrix.tolist()))

    return (Route("jacobian", ("gradient",), jacobian, rounded=False),)


def trivial(problem: Problem, solution: Solution, part: str, value: Any) -> bool:
    """A gradient that reads no entry of the vector (a constant, or the delta alone): its Jacobian takes no work."""
    return part == "gradient" and not any(isinstance(node, Item | Softmax) for node in walk(value))

"""Answer formulas from sympy results, as the kinds that differentiate formulas give them: the shortest
of a result's factored forms, written in reading order, parsed back in the answer's scope for its LaTeX."""

from __future__ import annotations

import sympy

from hwsolver.errors import ExprError
from hwsolver.expr import Scope, from_sympy, parse, to_latex
from hwsolver.model import Symbolic

_FORMS = (
    lambda e: sympy.factor(sympy.together(e)),  # a true factorisation, when there is one: sigma*(1 - sigma)
    lambda e: e,
    lambda e: sympy.factor_terms(sympy.together(e)),  # common factors out, the rest as it is: -(1 - x^2)*exp(-x^2/2)
)


def tidy(expr: sympy.Expr) -> sympy.Expr:
    """The shortest of the expression and its factored forms, of those the language can write."""
    # Fewest operators as printed; ties go to a true factorisation (listed first): sigma*(1 - sigma), not
    # sigma - sigma^2; a polynomial that does not factor stays expanded. sympy.simplify is no candidate: it costs
    # a tenth of a second per call (and imports sympy.physics), and these forms find what it found.
    candidates = []
    for form in _FORMS:
        try:
            candidates.append(form(expr))
        except (sympy.PolynomialError, NotImplementedError, StopIteration, TypeError, ValueError):
            continue  # sympy cannot produce this form here: not a candidate
    if candidates and sum(not f.is_number for f in sympy.Mul.make_args(candidates[0])) < 2:
        candidates.append(candidates.pop(0))  # no true factorisation: it competes on length alone (1/(1 + x^2)^(3/2))
    scored = []
    for candidate in candidates:
        try:
            shown = from_sympy(candidate, reading_order=True)
        except ExprError:
            continue  # sympy wrote it with a function the language does not have (cosh)
        scored.append((sum(shown.count(op) for op in "+-*/^"), len(scored), candidate))
    return min(scored)[-1] if scored else expr


def symbolic(expr: sympy.Expr, scope: Scope, domain: tuple[float, float], *, written: str | None = None) -> Symbolic:
    """An answer formula: its text parses back in the answer's scope (a check), and LaTeX comes from that parse."""
    shown = written if written is not None else from_sympy(expr, reading_order=True)
    tree = parse(shown, scope)
    return Symbolic(shown, to_latex(tree, scope), scope, domain)

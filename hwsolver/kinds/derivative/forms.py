"""How a derivative is written: in terms of sigmoid or tanh instead of exp, factored, factors in a fixed order.

sympy prints products in its own order ((1 - sigmoid(x))*sigmoid(x)); answer keys read sigma(1 - sigma), so
products are printed here, then parsed back by the expression language (which checks the text and gives LaTeX).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import sympy

from hwsolver.errors import ExprError
from hwsolver.expr import Scope, from_sympy, parse, to_latex
from hwsolver.expr.sympy_funcs import sigmoid
from hwsolver.model import Symbolic


@dataclass(frozen=True)
class Rewrite:
    """A function whose value t determines exp(power*x): results are rational functions of t."""

    name: str
    function: Callable[[sympy.Expr], sympy.Expr]
    power: int
    exp_in_terms_of: Callable[[sympy.Expr], sympy.Expr]  # t -> exp(power*x)
    identities: Callable[[sympy.Symbol], tuple[tuple[sympy.Expr, sympy.Expr], ...]]  # shown in the work


REWRITES = {
    "sigmoid": Rewrite(
        "sigmoid",
        sigmoid,
        1,
        lambda s: s / (1 - s),
        lambda x: ((sigmoid(x), 1 / (1 + sympy.exp(-x))), (1 - sigmoid(x), sympy.exp(-x) / (1 + sympy.exp(-x)))),
    ),
    "tanh": Rewrite(
        "tanh",
        sympy.tanh,
        2,
        lambda t: (1 + t) / (1 - t),
        lambda x: ((sympy.tanh(x), (sympy.exp(2 * x) - 1) / (sympy.exp(2 * x) + 1)),),
    ),
}


def in_terms_of(expr: sympy.Expr, x: sympy.Symbol, rewrite: Rewrite) -> sympy.Expr:
    """expr with every exp(m*x) written through rewrite's function of x; ValueError says what cannot be."""
    t, u, w = sympy.Dummy("t"), sympy.Dummy("u", positive=True), sympy.Dummy("w", positive=True)
    in_t = expr.subs(rewrite.function(x), t)
    if not in_t.has(x):  # already a rational function of it (a second derivative): no detour through exp
        return sympy.cancel(in_t).subs(t, rewrite.function(x))

    def power_of_u(term: sympy.Expr) -> sympy.Expr:
        arg = term.args[0]
        rest, linear = arg.as_independent(x, as_Add=True)
        m = sympy.cancel(linear / x)
        if not m.is_integer:
            raise ValueError(f"exp({from_sympy(arg)}) is not a power of exp({from_sympy(x)})")
        return u**m * sympy.exp(rest)

    # x itself may stay (x*sigmoid(x) differentiates to sigmoid(x) + x*sigmoid(x)*(1 - sigmoid(x))).
    in_u = expr.rewrite(sympy.exp).replace(lambda e: isinstance(e, sympy.exp) and e.has(x), power_of_u)
    # w = exp(power*x) is what the function's value determines: the result must be a rational function of w.
    in_w = sympy.cancel(sympy.powsimp(sympy.cancel(in_u).subs(u, w ** sympy.Rational(1, rewrite.power))))
    if in_w.has(u) or any(not p.exp.is_integer for p in in_w.atoms(sympy.Pow) if p.base.has(w)):
        raise ValueError(f"an odd power of exp({from_sympy(x)}) remains, which {rewrite.name} does not determine")
    return sympy.cancel(in_w.subs(w, rewrite.exp_in_terms_of(t))).subs(t, rewrite.function(x))


_FORMS = (
    lambda e: sympy.factor(sympy.together(e)),  # a true factorisation, when there is one: sigma*(1 - sigma)
    lambda e: e,
    lambda e: sympy.factor_terms(sympy.together(e)),  # common factors out, the rest as it is: -(1 - x^2)*exp(-x^2/2)
)


def tidy(expr: sympy.Expr, x: sympy.Symbol) -> sympy.Expr:
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
            shown = text(candidate, x)
        except ExprError:
            continue  # sympy wrote it with a function the language does not have (cosh)
        scored.append((sum(shown.count(op) for op in "+-*/^"), len(scored), candidate))
    return min(scored)[-1] if scored else expr


def ordered_factors(expr: sympy.Expr, x: sympy.Symbol) -> tuple[sympy.Rational, list[tuple[sympy.Expr, sympy.Expr]]]:
    """The rational coefficient and (base, exponent) pairs of a product, signs normalised, in reading order.

    (s - 1) becomes -(1 - s) when raised to an integer power: a factor reads with a positive constant term (sqrt(x - 1)
    stays: sqrt(1 - x) is another function). Symbols and functions come first,
    then sums (shortest first), then the rest (exp, sums): sigmoid(x)*(1 - sigmoid(x))*(1 - 2*sigmoid(x)).
    """
    coefficient, rest = expr.as_coeff_Mul()
    factors = []
    for factor in sympy.Mul.make_args(rest) if rest != 1 else ():
        base, exponent = (factor, sympy.S.One) if isinstance(factor, sympy.exp) else factor.as_base_exp()
        if base.is_Add and exponent.is_integer and _reads_negated(base):  # (x - 1)^(1/2) is not +-(1 - x)^(1/2)
            base = sympy.expand(-base)
            if exponent.is_odd:
                coefficient = -coefficient
        factors.append((base, exponent))

    def key(pair: tuple[sympy.Expr, sympy.Expr]) -> tuple[int, int, str]:
        base = pair[0]
        plain = base.is_Symbol or (isinstance(base, sympy.Indexed | sympy.Function) and not isinstance(base, sympy.exp))
        rank = 0 if plain else 1 if base.is_Add else 2
        return rank, sympy.count_ops(base), from_sympy(base)

    return coefficient, sorted(factors, key=key)


def _reads_negated(base: sympy.Expr) -> bool:
    """Whether the sum reads better negated: its constant term, else its leading term, would be negative."""
    constant, rest = base.as_coeff_Add()
    if constant != 0:
        return bool(constant < 0)
    # leading: lowest degree, a Kronecker delta first (delta(i, k) - softmax(x)[k])
    terms = sorted(
        sympy.Add.make_args(rest),
        key=lambda t: (_degree(t), not t.has(sympy.KroneckerDelta), sympy.default_sort_key(t)),
    )
    return terms[0].could_extract_minus_sign()


def text(expr: sympy.Expr, x: sympy.Symbol) -> str:
    """expr in the expression language, products in reading order (a sum: each term so)."""
    if not expr.is_Add:
        return _product(expr, x)
    # Ascending degree (1 - 6*s + 6*s^2), and a positive term first: a - b, not -b + a.
    terms = [_product(t, x) for t in sorted(expr.as_ordered_terms(), key=_degree)]
    positive = next((i for i, t in enumerate(terms) if not t.startswith("-")), 0)
    terms.insert(0, terms.pop(positive))
    return " ".join([terms[0], *(f"- {t[1:]}" if t.startswith("-") else f"+ {t}" for t in terms[1:])])


def _degree(term: sympy.Expr) -> int:
    if term.is_number:
        return 0
    try:
        return sympy.Poly(term).total_degree()
    except sympy.PolynomialError:
        return 0


def _product(expr: sympy.Expr, x: sympy.Symbol) -> str:
    coefficient, factors = ordered_factors(expr, x)
    numerator, denominator = [], []
    for base, exponent in factors:
        if exponent.is_negative:
            denominator.append(_power(base, -exponent, x))
        else:
            numerator.append(_power(base, exponent, x))
    p, q = abs(coefficient.p), coefficient.q
    if p != 1 or not numerator:
        numerator.insert(0, str(p))
    if q != 1:
        denominator.insert(0, str(q))
    body = "*".join(numerator)
    if denominator:
        under = "*".join(denominator)
        body += f"/({under})" if len(denominator) > 1 else f"/{under}"
    return f"-{body}" if coefficient < 0 else body


def _power(base: sympy.Expr, exponent: sympy.Expr, x: sympy.Symbol) -> str:
    if exponent.is_integer and exponent.is_positive and not base.is_Number:
        shown = text(base, x) if base.is_Add else from_sympy(base)
        atomic = base.is_Symbol or isinstance(base, (sympy.Function, sympy.Indexed, sympy.Sum))
        shown = shown if atomic else f"({shown})"
        return shown if exponent == 1 else f"{shown}^{exponent}"
    power = base**exponent  # sqrt(x - 1), (x - 1)^(3/2): binds tighter than a product; (4*x)^(1/2) = 2*sqrt(x)
    return from_sympy(power) if power.is_Pow else f"({from_sympy(power)})"


def symbolic(
    expr: sympy.Expr, x: sympy.Symbol, scope: Scope, domain: tuple[float, float], *, written: str | None = None
) -> Symbolic:
    """An answer formula: its text parses back in the answer's scope (a check), and LaTeX comes from that parse."""
    shown = written if written is not None else text(expr, x)
    tree = parse(shown, scope)
    return Symbolic(shown, to_latex(tree, scope), scope, domain)

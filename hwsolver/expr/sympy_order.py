"""Read a sympy expression back into a syntax tree in the order answer keys read it (printer.py then prints it).

sympy keeps products and sums in its own order ((1 - sigmoid(x))*sigmoid(x)); a worked answer reads
sigmoid(x)*(1 - sigmoid(x))*(1 - 2*sigmoid(x)) and 1 - 6*s + 6*s^2. This module only orders: the leaves are
sympy_read's, and printing is printer.py's, so there is one sympy-to-text printer with two orders.
"""

from __future__ import annotations

from fractions import Fraction

import sympy

from hwsolver.expr.nodes import Add, Div, Expr, Mul, Neg, Num, Pow
from hwsolver.expr.printer import to_text
from hwsolver.expr.sympy_read import sympy_to_tree


def reading_tree(e: sympy.Expr) -> Expr:
    """The tree of `e` with products in reading order and sums by ascending degree, a positive term first."""
    if not e.is_Add:
        return _product(e)
    terms = [_product(t) for t in sorted(e.as_ordered_terms(), key=_degree)]
    positive = next((i for i, t in enumerate(terms) if not isinstance(t, Neg)), 0)  # a - b, not -b + a
    terms.insert(0, terms.pop(positive))
    return Add(tuple(terms))


def ordered_factors(e: sympy.Expr) -> tuple[sympy.Rational, list[tuple[sympy.Expr, sympy.Expr]]]:
    """The rational coefficient and (base, exponent) pairs of a product, signs normalised, in reading order.

    (s - 1) becomes -(1 - s) when raised to an integer power: a factor reads with a positive constant term (sqrt(x - 1)
    stays: sqrt(1 - x) is another function). Symbols and functions come first,
    then sums (shortest first), then the rest (exp, sums): sigmoid(x)*(1 - sigmoid(x))*(1 - 2*sigmoid(x)).
    """
    coefficient, rest = e.as_coeff_Mul()
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
        return rank, sympy.count_ops(base), to_text(sympy_to_tree(base))

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


def _degree(term: sympy.Expr) -> int:
    if term.is_number:
        return 0
    try:
        return sympy.Poly(term).total_degree()
    except sympy.PolynomialError:
        return 0


def _product(e: sympy.Expr) -> Expr:
    """coefficient * numerator factors / (denominator factors), the sign in front."""
    coefficient, factors = ordered_factors(e)
    numerator: list[Expr] = []
    denominator: list[Expr] = []
    for base, exponent in factors:
        if exponent.is_negative:
            denominator.append(_power(base, -exponent))
        else:
            numerator.append(_power(base, exponent))
    p, q = abs(int(coefficient.p)), int(coefficient.q)
    if p != 1 or not numerator:
        numerator.insert(0, Num(Fraction(p)))
    if q != 1:
        denominator.insert(0, Num(Fraction(q)))
    body = _times(numerator)
    if denominator:
        body = Div(body, _times(denominator))
    return Neg(body) if coefficient < 0 else body


def _times(factors: list[Expr]) -> Expr:
    return factors[0] if len(factors) == 1 else Mul(tuple(factors))


def _power(base: sympy.Expr, exponent: sympy.Expr) -> Expr:
    if exponent.is_integer and exponent.is_positive and not base.is_Number:
        shown = reading_tree(base) if base.is_Add else sympy_to_tree(base)
        return shown if exponent == 1 else Pow(shown, Num(Fraction(int(exponent))))
    return sympy_to_tree(base**exponent)  # sqrt(x - 1), (x - 1)^(3/2); (4*x)^(1/2) = 2*sqrt(x) as a product

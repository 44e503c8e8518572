"""The exact path's arithmetic on its numbers (Fractions, or 50-digit mpmath numbers), without the work that
gives nothing new: solving a variant's network is mostly this arithmetic, and every student's variant is solved.
A product by 1 (or by ReLU's 0), a sum with 0, a division by 1 or a comparison with 0 is read off the number
itself, never worked out; what comes out is the value, of the type, the arithmetic written out gives. Two
Fractions are multiplied, added and subtracted here as the fractions module does it (the same cross-reductions,
the same reduced result), without its operators' dispatch and its constructor's checks: each in about a third of
the operator's time, on the few dozen operations of every student's variant."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from fractions import Fraction
from math import gcd
from typing import Any

# Fractions are immutable: one of each of these serves every computation; ReLU's 0 is always this ZERO, so that
# a product by it, or a sum with it, is told by identity and never worked out
ONE, ZERO, HALF = Fraction(1), Fraction(0), Fraction(1, 2)
EXACT = (int, Fraction)  # a 1 of these times a Fraction or a 50-digit number is that number, of its type


_new = object.__new__


def reduced(numerator: int, denominator: int) -> Fraction:
    """The Fraction numerator/denominator, already in lowest terms with a positive denominator (not checked)."""
    made = _new(Fraction)
    made._numerator, made._denominator = numerator, denominator  # type: ignore[attr-defined]
    return made


def fraction_product(a: Fraction, b: Fraction) -> Fraction:
    """a * b, each a Fraction in lowest terms: each numerator reduced by the other's denominator first."""
    na, da, nb, db = a._numerator, a._denominator, b._numerator, b._denominator  # type: ignore[attr-defined]
    g = gcd(na, db)
    if g > 1:
        na, db = na // g, db // g
    g = gcd(nb, da)
    if g > 1:
        nb, da = nb // g, da // g
    return reduced(na * nb, da * db)


def fraction_sum(a: Fraction, b: Fraction, sign: int = 1) -> Fraction:
    """a + sign * b, each a Fraction in lowest terms: over the least common denominator, reduced by what it
    shares with the denominators' common factor alone."""
    na, da, nb, db = a._numerator, a._denominator, sign * b._numerator, b._denominator  # type: ignore[attr-defined]
    g = gcd(da, db)
    if g == 1:
        return reduced(na * db + da * nb, da * db)
    s = da // g
    t = na * (db // g) + nb * s
    g2 = gcd(t, g)
    return reduced(t, s * db) if g2 == 1 else reduced(t // g2, s * (db // g2))


def one_like(like: Any) -> Any:
    """1 in the number type of `like`: Fractions and mpmath numbers must not be mixed."""
    return ONE if type(like) is Fraction else like**0


def zero_like(like: Any) -> Any:
    """0 in the number type of `like` (0 * like, without working it out for a Fraction)."""
    return ZERO if type(like) is Fraction else 0 * like


def is_positive(z: Any) -> bool:
    """z > 0 (for a Fraction, read off its numerator: its denominator is positive, and a comparison with 0 works
    out a product first)."""
    return z._numerator > 0 if type(z) is Fraction else z > 0  # type: ignore[attr-defined]


def equals(number: Any, n: int) -> bool:
    """number == n for an exact 0 or 1 (`n`) and any number, a Fraction's read off its terms (its == is a call
    through the operator; the exact path asks it of every factor and term it may skip)."""
    if type(number) is Fraction:
        return number._numerator == n and number._denominator == 1  # type: ignore[attr-defined]
    return number == n


def total(terms: Iterable[Any]) -> Any:
    """The sum of the numbers, from the first (not from 0: a sum of one is that number), an exact 0 of ReLU's
    (ZERO) taken as nothing to add; 0 for none."""
    found = None
    for term in terms:
        if found is None or (found is ZERO and type(term) is Fraction):
            found = term
        elif type(found) is Fraction and type(term) is Fraction:
            if term is not ZERO:
                found = fraction_sum(found, term)
        elif term is not ZERO or type(found) is not Fraction:
            found = found + term
    return 0 if found is None else found


def dot(row: Sequence[Any], values: Sequence[Any]) -> Any:
    """total(map(product, row, values)) in one loop, for Fractions (a weighted sum: most of a pass's arithmetic,
    each a handful of terms whose calls cost more than their products); any other numbers through total."""
    found = None
    for a, b in zip(row, values):
        if type(a) is not Fraction or type(b) is not Fraction:
            return total(map(product, row, values))  # (nothing worked out so far is kept: a new start)
        term = ZERO if a is ZERO or b is ZERO else fraction_product(a, b)
        if found is None or found is ZERO:
            found = term
        elif term is not ZERO:
            found = fraction_sum(found, term)
    return 0 if found is None else found


def product(a: Any, b: Any) -> Any:
    """a * b, where either is often ReLU's exact 0 (ZERO: an inactive unit's activation or error term)."""
    if type(a) is Fraction and type(b) is Fraction:
        return ZERO if a is ZERO or b is ZERO else fraction_product(a, b)
    if (a is ZERO and type(b) is Fraction) or (b is ZERO and type(a) is Fraction):
        return ZERO
    return a * b


def minus(value: Any, term: Any) -> Any:
    """value - term, where the term is often ReLU's exact 0 (the gradient of a weight an inactive unit holds)."""
    if type(value) is Fraction and type(term) is Fraction:
        return value if term is ZERO else fraction_sum(value, term, -1)
    return value if term is ZERO and type(value) is Fraction else value - term


def times(factor: Any, value: Any) -> Any:
    """factor * value, where the factor is often an exact 1 (ReLU's slope, the 1/N of one sample, a rate of 1)
    or ReLU's exact 0."""
    if type(factor) in EXACT and type(value) is not int:
        if equals(factor, 1):
            return value
        if equals(factor, 0) and type(value) is Fraction:
            return ZERO
    return product(factor, value)


def over(value: Any, n: int) -> Any:
    """value / n, where n is often 1 (one sample)."""
    return value if n == 1 and type(value) is not int else value / n


def plus(value: Any, term: Any) -> Any:
    """value + term, where the term is often an exact 0 (no biases, no weight decay)."""
    if type(term) in EXACT and equals(term, 0) and type(value) is not int:
        return value
    return fraction_sum(value, term) if type(value) is Fraction and type(term) is Fraction else value + term


if Fraction.__slots__ != ("_numerator", "_denominator"):  # pragma: no cover - another Python's fractions module:
    # its operators (what is read off the slots above is worked out)

    def fraction_product(a: Fraction, b: Fraction) -> Fraction:
        return a * b

    def fraction_sum(a: Fraction, b: Fraction, sign: int = 1) -> Fraction:
        return a + b if sign == 1 else a - b

    def is_positive(z: Any) -> bool:
        return z > 0

    def equals(number: Any, n: int) -> bool:
        return number == n

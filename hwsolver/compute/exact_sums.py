"""Sums of products in exact arithmetic, added over a common denominator and reduced once.

Fraction reduces its result after every addition and multiplication (a gcd each time): most of the time of an
exact convolution of decimals. Decimals share their denominators (powers of 10), so adding numerators over
a common denominator and reducing the total once gives the same Fraction (a Fraction's reduced form is unique)
in a fraction of the time. Anything else (mpmath numbers, for a transcendental activation) is summed as
Python sums it, in the same order, so that rounding at 50 digits is unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable
from fractions import Fraction
from math import gcd, lcm
from typing import Any

from hwsolver.memo import Bounded

_RATIONAL = (int, Fraction)  # by exact type: a bool, or an mpmath number, is summed as Python sums it


def dot(pairs: Iterable[tuple[Any, Any]], start: Any) -> Any:
    """start + x1*y1 + x2*y2 + ..., equal in value and type to sum((x * y for x, y in pairs), start)."""
    pairs = list(pairs)
    if type(start) not in _RATIONAL or not all(type(x) in _RATIONAL and type(y) in _RATIONAL for x, y in pairs):
        return sum((x * y for x, y in pairs), start)
    if type(start) is int and all(type(x) is int and type(y) is int for x, y in pairs):
        return sum((x * y for x, y in pairs), start)  # ints stay ints (already fast)
    numerator, denominator = start.numerator, start.denominator
    for x, y in pairs:
        top, bottom = x.numerator * y.numerator, x.denominator * y.denominator
        if bottom == denominator:
            numerator += top
        elif top:
            common = gcd(denominator, bottom)
            numerator = numerator * (bottom // common) + top * (denominator // common)
            denominator = denominator // common * bottom
    return Fraction(numerator, denominator)


def scaled(values: list[Fraction] | tuple[Fraction, ...]) -> tuple[list[int], int]:
    """The Fractions as integers over their least common denominator, and that denominator: adding and comparing
    integers costs a fraction of the Fractions' work. Their terms read from their slots (the numerator and
    denominator properties cost as much again), as grading's as_floats does."""
    common = lcm(*{v._denominator for v in values})
    return [v._numerator * (common // v._denominator) for v in values], common


# Fractions by unreduced numerator and denominator: a class's variants give the same few hundred again and again
# (a convolution's sums, a pooling window's averages), and a look-up costs a fraction of a Fraction's reduction.
_FRACTIONS: Bounded[tuple[int, int], Fraction] = Bounded(1 << 14)


def fraction(numerator: int, denominator: int) -> Fraction:
    """Fraction(numerator, denominator), looked up when met before."""
    key = (numerator, denominator)
    found = _FRACTIONS.get(key)
    return found if found is not None else _FRACTIONS.keep(key, Fraction(numerator, denominator))


def fractions(numerators: list[int], denominator: int) -> list[Fraction]:
    """fraction(n, denominator) for each n, without a call each."""
    get, found = _FRACTIONS.get, []
    for numerator in numerators:
        key = (numerator, denominator)
        value = get(key)
        found.append(value if value is not None else _FRACTIONS.keep(key, Fraction(numerator, denominator)))
    return found

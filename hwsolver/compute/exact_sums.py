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
from math import gcd
from typing import Any

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

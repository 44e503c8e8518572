"""Decimals: the one pattern a written decimal is read by (problem files and answers), and a Fraction whose
denominator is 2^a 5^b written out in full (shared by every printer)."""

from __future__ import annotations

import re
from fractions import Fraction

# A decimal literal: 2, -0.5, .5, 2., 1e-3, 2.5E+4 (no inf or nan, no digit separators).
DECIMAL = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE]([+-]?\d+))?")
# A written exponent beyond this makes the text no number: 10^301 is past every answer's bound (witness.LIMIT,
# 1e300) and 10^-301 below what a check resolves, while the exact value of 1e999999 would take a megabyte.
MAX_EXPONENT = 300


def is_decimal(text: str) -> bool:
    """Whether `text` (stripped) is a decimal literal with an exponent, if any, of at most MAX_EXPONENT."""
    match = DECIMAL.fullmatch(text)
    return match is not None and (match.group(1) is None or abs(int(match.group(1))) <= MAX_EXPONENT)


def exact_decimal(value: Fraction, max_digits: int) -> str | None:
    """value as an exact decimal string (137/500 -> 0.274), or None if it does not terminate within max_digits."""
    denominator, twos, fives = value.denominator, 0, 0
    while denominator % 2 == 0:
        denominator, twos = denominator // 2, twos + 1
    while denominator % 5 == 0:
        denominator, fives = denominator // 5, fives + 1
    if denominator != 1:
        return None
    places = max(twos, fives)
    digits = str(abs(value.numerator) * 10**places // value.denominator)
    if len(digits.lstrip("0")) > max_digits:
        return None
    digits = digits.rjust(places + 1, "0")
    text = digits if places == 0 else f"{digits[:-places]}.{digits[-places:]}"
    return ("-" if value < 0 else "") + text

"""Exact decimals: a Fraction whose denominator is 2^a 5^b written out in full (shared by every printer)."""

from __future__ import annotations

from fractions import Fraction


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

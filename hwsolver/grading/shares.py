"""Shares of a part's points, exact (Fractions), made from whole numbers and remembered.

A Fraction's sum, product or quotient costs microseconds (each step builds a Fraction through its gcd), more than
the rest of a wrong answer's check; yet a class's shares are a few values (k of n entries right, the mean of a few
such). So they are worked out in ints and each value made once: the same exact numbers, far fewer steps.
"""

from __future__ import annotations

from fractions import Fraction
from math import lcm

from hwsolver.memo import Bounded

ZERO = Fraction(0)
ONE = Fraction(1)  # the share of every right answer, this very object (checkers.check tells it by identity)

# Fractions by the (numerator, denominator) they were made from, and scores by (share, points): bounded, as a
# hostile class's huge lists of items bring ever new ones
_SHARES: Bounded[tuple[int, int], Fraction] = Bounded(4096)
_SCORES: Bounded[tuple[int, int, Fraction | int], Fraction | int] = Bounded(4096)


def share(numerator: int, denominator: int) -> Fraction:
    """Fraction(numerator, denominator), made once per pair."""
    found = _SHARES.get((numerator, denominator))
    if found is None:
        found = _SHARES.keep((numerator, denominator), Fraction(numerator, denominator))
    return found


def mean(shares: list[Fraction]) -> Fraction:
    """The mean share (1 for none): ONE itself when every share is (a right answer), else summed in ints."""
    if all(item is ONE for item in shares):
        return ONE
    numerator, denominator = 0, 1
    for item in shares:
        below = item.denominator
        if below != denominator:  # items of one size share theirs: nothing to bring to a common one
            common = lcm(denominator, below)
            numerator, denominator = numerator * (common // denominator), common
        numerator += item.numerator * (denominator // below)
    return share(numerator, denominator * len(shares))


def scaled(part_share: Fraction, points: Fraction | int) -> Fraction | int:
    """`part_share` of `points`: an int when whole (as prepared.whole gives it), each value worked out once."""
    if part_share == 1:
        return points
    if part_share == 0:
        return 0
    key = (part_share.numerator, part_share.denominator, points)
    found = _SCORES.get(key)
    if found is None:
        product = part_share * points
        found = _SCORES.keep(key, int(product) if product.denominator == 1 else product)
    return found

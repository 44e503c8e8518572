"""The numbers of a class report, exact where they can be (scores are exact decimals: means and medians are
fractions); a standard deviation and a correlation are square roots, worked out exactly up to the last step.

- standard deviation: the sample's, with n - 1 (the class as a sample of the students who could take the course);
  none for fewer than two scores;
- correlation: Pearson's r; none when either side has no spread (every student scored the same: nothing to
  discriminate) or there are fewer than two pairs;
- quintile means: the class ranked by a key (the total score), each fifth's mean value; a student on the border
  of two fifths counts in both, with the share of them that lies on each side, and students with the same key
  are spread evenly over their ranks (so the order among equals never matters, and a class of 3 has quintiles);
- histogram: `bins` equal bins over [0, top], each holding its lower edge, the last its upper edge too.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction
from itertools import groupby

Number = Fraction | int
QUINTILES = 5


def mean(values: Sequence[Number]) -> Fraction | None:
    if not values:
        return None
    scaled, unit = _scaled(values)
    return Fraction(sum(scaled), len(values) * unit)


def median(values: Sequence[Number]) -> Fraction | None:
    if not values:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    return Fraction(ordered[middle] + ordered[~middle]) / 2


def standard_deviation(values: Sequence[Number]) -> float | None:
    """The sample standard deviation (n - 1 in the denominator)."""
    if len(values) < 2:
        return None
    return math.sqrt(_co_spread(values, values) / (len(values) - 1))


def correlation(xs: Sequence[Number], ys: Sequence[Number]) -> float | None:
    """Pearson's r of paired values; None when either has no spread or there are fewer than two pairs."""
    if len(xs) < 2:
        return None
    sx, sy = _co_spread(xs, xs), _co_spread(ys, ys)
    if sx == 0 or sy == 0:
        return None
    r = float(_co_spread(xs, ys)) / math.sqrt(sx * sy)
    return max(-1.0, min(1.0, r))  # a rounding of the last digit must not give 1.0000000000000002


def _co_spread(xs: Sequence[Number], ys: Sequence[Number]) -> Fraction:
    """The sum of (x - mean x)(y - mean y), exactly: in whole multiples of the values' common denominator, as
    n * sum(x y) - sum(x) sum(y) over n (a class's scores are decimals: integers, and fast)."""
    (a, unit_a), (b, unit_b) = _scaled(xs), _scaled(ys)
    n = len(a)
    return Fraction(n * sum(x * y for x, y in zip(a, b)) - sum(a) * sum(b), n * unit_a * unit_b)


def _scaled(values: Sequence[Number]) -> tuple[list[int], int]:
    """The values as whole multiples of 1/unit, unit their common denominator."""
    unit = math.lcm(*{v.denominator for v in values}) if values else 1
    return [v.numerator * (unit // v.denominator) for v in values], unit


def histogram(values: Sequence[Number], top: Number, bins: int = 10) -> tuple[int, ...]:
    """How many values fall in each of `bins` equal bins over [0, top]."""
    counts = [0] * bins
    for value in values:
        index = 0 if top <= 0 else min(math.floor(Fraction(value) * bins / top), bins - 1)
        counts[max(index, 0)] += 1
    return tuple(counts)


def quintile_means(pairs: Sequence[tuple[Number, Number]]) -> tuple[Fraction, ...] | None:
    """Mean value in each fifth of the class ranked by key, lowest first, from (key, value) pairs."""
    n = len(pairs)
    if n == 0:
        return None
    totals = [Fraction(0)] * QUINTILES
    start = 0
    for _, group in groupby(sorted(pairs, key=lambda pair: pair[0]), key=lambda pair: pair[0]):
        members = [value for _, value in group]
        low, high = Fraction(start, n), Fraction(start + len(members), n)
        for q in range(QUINTILES):
            overlap = min(high, Fraction(q + 1, QUINTILES)) - max(low, Fraction(q, QUINTILES))
            if overlap > 0:  # each member's share of its unit that lies in this fifth
                totals[q] += overlap * n / len(members) * sum(members, Fraction(0))
        start += len(members)
    return tuple(total / Fraction(n, QUINTILES) for total in totals)

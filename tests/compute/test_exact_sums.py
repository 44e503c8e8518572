"""exact_sums.dot: the same number, of the same type, as Python's own sum of products, for exact numbers and
for 50-digit ones (summed in the same order)."""

from __future__ import annotations

import random
from fractions import Fraction

import mpmath

from hwsolver.compute.exact_sums import dot


def _decimal(rng: random.Random) -> Fraction | int:
    if rng.random() < 0.2:
        return rng.randint(-3, 3)
    return Fraction(rng.randint(-999, 999), 10 ** rng.randint(0, 4)) * rng.choice([1, 1, Fraction(1, 3)])


def test_equals_the_fraction_sum_of_products_in_value_and_type() -> None:
    rng = random.Random(14)
    for _ in range(500):
        pairs = [(_decimal(rng), _decimal(rng)) for _ in range(rng.randint(0, 12))]
        start = rng.choice([0, Fraction(0), _decimal(rng)])
        found, want = dot(pairs, start), sum((x * y for x, y in pairs), start)
        assert found == want and type(found) is type(want), (pairs, start)
        if type(found) is Fraction:
            assert (found.numerator, found.denominator) == (want.numerator, want.denominator)


def test_other_numbers_are_summed_as_python_sums_them() -> None:
    with mpmath.workdps(50):
        pairs = [(mpmath.mpf(1) / 3, Fraction(1, 10)), (mpmath.sqrt(2), mpmath.mpf("0.7"))]
        assert dot(pairs, mpmath.mpf(0)) == sum((x * y for x, y in pairs), mpmath.mpf(0))
    assert dot([(0.1, 0.2), (0.3, 0.4)], 0.0) == sum((x * y for x, y in [(0.1, 0.2), (0.3, 0.4)]), 0.0)

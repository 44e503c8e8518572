"""Feedback's expected values (tally.display): a float's shortest text where it has no more figures than
numbers.display shows, which is then display's own text; numbers.display (mpmath's rounding of the exact value,
or its decimal twin) is the witness, over floats of every few figures and scale, signed, at the edges of the
fixed-point range, and the values it leaves to itself (0, inf, nan, Fractions, ints, yes/no)."""

from __future__ import annotations

import math
import random
from fractions import Fraction

import pytest

from hwsolver.grading import tally
from hwsolver.numbers import display


def _floats() -> list[float]:
    rng = random.Random(18)
    found = [0.36, -0.014, 6.0, 100.0, 0.45486568, 0.0001, 0.00012345, 9.5e-05, 1e-05, 1234567890.0]
    found += [9999999999.0, 12345678901.0, 0.1234567891, 0.12345678912, 1e16, 123456.7, -0.0, 0.0, 2.5e-300]
    found += [math.inf, -math.inf, math.nan, 0.1 + 0.2, 1 / 3, 2**-20]
    for _ in range(3000):
        figures, exponent = rng.randint(1, 12), rng.randint(-7, 12)
        digits = rng.randint(10 ** (figures - 1), 10**figures - 1)
        found.append(rng.choice((1, -1)) * float(f"{digits}e{exponent - figures + 1}"))
    return found


def test_display_is_numbers_display() -> None:
    fast = 0
    for value in _floats():
        shown = tally.display(value)
        assert shown == display(value), value
        fast += shown == repr(value) or shown + ".0" == repr(value)
    assert fast > 1000  # the short texts are taken as they are


@pytest.mark.parametrize("value", [Fraction(1, 3), Fraction(137, 500), 7, True, False])
def test_other_numbers_are_left_to_display(value: object) -> None:
    assert tally.display(value) == display(value)


def test_a_listed_miss_is_its_place_then_what_is_wrong() -> None:
    """Tally._listed says a wrong entry of an array at once; the general steps (_where, then _what) are its witness,
    over named and unnamed arrays, counted from 0 or 1, positions, coarse entries and single numbers."""
    from hwsolver.grading.precision import Tolerance
    from hwsolver.grading.tally import Miss, Tally

    misses = [
        Miss("W1", 0.7918, False, (3, (2, 2))),
        Miss("", -0.34, False, (1, (3,))),
        Miss("item 2", 1e-05, False, (0, (1, 2))),
        Miss("W2", 0.5, True, (1, (1, 2))),
        Miss("", 0.25, False, None),
        Miss("", (1.0, 3.0), False, (2, (4,))),
    ]
    for tolerance in (Tolerance(), Tolerance(base=0), Tolerance(positions=True), Tolerance(sigfigs=4)):
        tally = Tally(tolerance, None)
        for miss in misses:
            assert tally._listed(miss) == f"{tally._where(miss)}{tally._what(miss, listed=True)}", (tolerance, miss)

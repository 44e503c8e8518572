"""witness.check_range: every answer past 1e300, infinite or NaN is named by its path, whatever its number type;
answers within range, booleans and formulas pass (the quick walk and the naming walk agree)."""

from __future__ import annotations

from fractions import Fraction

import mpmath
import numpy as np
import pytest

from hwsolver.model import Symbolic
from hwsolver.witness import Overflow, check_range

FINE = {"loss": Fraction(1, 5), "flag": True, "d1": Symbolic("x", "x"), "W": ((Fraction(-3), 0.5), [2, None])}


@pytest.mark.parametrize(
    ("bad", "path"),
    [
        ({"g": (Fraction(1), (Fraction(2), float("nan")))}, "g[1][1]"),
        ({"count": 10**400}, "count"),
        ({"g": {"W": ((Fraction(10**400),),)}}, "g.W[0][0]"),
        ({"y": [mpmath.mpf("1e400")]}, "y[0]"),
        ({"z": (np.float64("-inf"),)}, "z[0]"),
        ({"w": 2e300}, "w"),
    ],
)
def test_an_answer_out_of_range_is_named_by_its_path(bad: dict, path: str) -> None:
    with pytest.raises(Overflow) as caught:
        check_range({**FINE, **bad})
    assert caught.value.path == path


def test_answers_within_range_pass() -> None:
    check_range(FINE)
    check_range({"edge": Fraction(10**300), "small": -1e300})


# About LIMIT, where the quick walk's test of a Fraction's numerator hands over to its float (2**996 < 1e300 <
# 2**997), and a Fraction small in value but not in its terms
EDGE = [
    Fraction(2**996 - 1),
    Fraction(-(2**996)),
    Fraction(2**997),
    Fraction(10**300),
    Fraction(10**300) + Fraction(1, 3),
    Fraction(-(10**300)) + 1,
    Fraction(10**400 + 1, 10**400),
    Fraction(-(10**301), 7),
]


@pytest.mark.parametrize("value", EDGE)
def test_a_fraction_in_a_list_is_in_range_exactly_when_its_float_is(value: Fraction) -> None:
    within = abs(value) < 10**310 and abs(float(value)) <= 1e300
    for answers in ({"a": (Fraction(1), value)}, {"a": [[value]]}):
        if within:
            check_range(answers)
        else:
            with pytest.raises(Overflow):
                check_range(answers)

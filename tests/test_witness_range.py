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

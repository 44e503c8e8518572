"""What rounding explains: written precision, the spread of a number read, and the allowance of a chain of steps
worked by hand (each number below is checked against arithmetic done here, not by the code under test)."""

from __future__ import annotations

from fractions import Fraction

import pytest

from hwsolver.grading.checkers import Tolerance
from hwsolver.grading.rounded_chain import Rounding
from hwsolver.grading.rounding import allowances, nearest, spread
from hwsolver.model import Chain
from hwsolver.numbers import decimal_value
from hwsolver.numbers.digits import sigfig_half_unit, written_half_unit


@pytest.mark.parametrize(
    ("number", "half"),
    [(0.274, 0.0005), (0.62, 0.005), (-0.0543, 0.00005), (120.0, 5.0), (2.5e-7, 5e-9), (0.0, 0.0), (Fraction(1, 3), 0)],
)
def test_written_half_unit(number, half) -> None:
    assert written_half_unit(number) == pytest.approx(half, rel=1e-12, abs=0)


def test_spread_is_capped_by_the_tolerance() -> None:
    three = Tolerance()  # any correct rounding to 3 significant figures
    assert spread(0.62, three) == pytest.approx(0.0005)  # written to 2 figures, carried as if to 3
    assert spread(0.27412, three) == pytest.approx(0.000005)  # written to 5: its own interval
    assert spread(Fraction(137, 500), three) == 0  # a fraction is exact
    assert spread(0.62, Tolerance(rtol=1e-9, atol=1e-12, sigfigs=None)) == pytest.approx(0.62e-9 + 1e-12)
    assert sigfig_half_unit(0.05424, 3) == pytest.approx(0.00005)


def test_nearest_moves_each_number_within_its_bounds_towards_the_students() -> None:
    nominal = {"W": ((1.0, 2.0),), "flag": True}
    bounds = {("W", 0, 0): (0.1, 0.0), ("W", 0, 1): (0.0, 0.5), ("flag",): {True, False}}
    student = {"W": ((0.5, 2.2),), "flag": False}
    assert nearest(nominal, bounds, student, None) == {"W": ((0.9, 2.2),), "flag": False}


def test_a_number_written_with_fewer_figures_than_asked_is_not_moved() -> None:
    """0.32 where 3 figures are asked is judged against the value itself; 0.320 (written so) may be moved."""
    nominal, bounds = (1.0,), {(0,): (0.5, 0.5)}
    assert nearest(nominal, bounds, (decimal_value("0.75"),), 3) == (1.0,)
    assert nearest(nominal, bounds, (decimal_value("0.750"),), 3) == (0.75,)
    assert written_half_unit(decimal_value("0.540")) == pytest.approx(0.0005)


def chain(*steps) -> Chain:
    return Chain(tuple(steps), {"y": lambda v: (v["y"],)})


def test_a_value_rounded_on_the_way_moves_the_answer_its_own_way() -> None:
    """e = -0.1808 rounds to -0.181 (0.0002 down); y = 0.3 e moves 0.00006 down. y's own rounding is the
    tolerance's business, not counted here."""
    found = allowances(chain(("e", lambda v: -0.1808), ("y", lambda v: 0.3 * v["e"])), ["y"], 3)
    (down, up) = found["y"][(0,)]
    assert (down, up) == (pytest.approx(0.00006), 0.0)


def test_a_tie_rounds_either_way() -> None:
    found = allowances(chain(("e", lambda v: 0.1225), ("y", lambda v: 2 * v["e"])), ["y"], 3)
    assert found["y"][(0,)] == (pytest.approx(0.001), pytest.approx(0.001))


def test_a_value_that_repeats_the_one_before_is_rounded_once() -> None:
    """z = 0.19469 (rounds up by 0.00031), a = ReLU(z) = z: y = 2a moves up by 0.00062, not twice that."""
    steps = (("z", lambda v: 0.19469), ("a", lambda v: max(v["z"], 0.0)), ("y", lambda v: 2 * v["a"]))
    found = allowances(chain(*steps), ["y"], 3)
    assert found["y"][(0,)] == (0.0, pytest.approx(0.00062))


def test_nothing_to_round_nothing_allowed() -> None:
    assert allowances(chain(("e", lambda v: -0.226), ("y", lambda v: 0.8 * v["e"])), ["y"], 3) == {}
    assert allowances(chain(("e", lambda v: -0.1808), ("y", lambda v: 0.3 * v["e"])), ["y"], None) == {}


def test_float_noise_is_nothing_to_round() -> None:
    """0.2 * -1.1 is -0.22000000000000003 in floats: the student's -0.22 has nothing to round, so no move is
    planned for it, nor for 0.8 times it (each such move was a re-run of the chain for nothing: the moves it made
    were too small to count)."""
    assert 0.2 * -1.1 != -0.22
    rounding = Rounding(chain(("e", lambda v: 0.2 * -1.1), ("y", lambda v: 0.8 * v["e"])), 3)
    assert rounding.allowances(["y"]) == {}
    assert rounding.plans == {"e": [], "y": []}
    # what rounding does move still counts, float noise or not around it
    rounding = Rounding(chain(("e", lambda v: 0.2 * -0.904), ("y", lambda v: 0.3 * v["e"])), 3)
    assert rounding.allowances(["y"])["y"][(0,)] == (pytest.approx(0.00006), 0.0)
    assert [index for index, _ in rounding.plans["e"]] == [0]

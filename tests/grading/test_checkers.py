"""The number comparison at the heart of grading."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hwsolver.grading.checkers import Tolerance, agrees, check


@pytest.mark.parametrize(
    ("value", "reference", "accepted"),
    [
        (0.541, 0.54068, True),  # correct rounding to 3 significant figures
        (0.5407, 0.54068, True),  # to 4
        (0.540, 0.54068, False),  # truncated, not rounded
        (0.54068, 0.54068, True),
        (0.0, 0.0, True),
        (1e-15, 0.0, True),  # float noise around an exact zero
        (0.001, 0.0, False),
        (math.inf, 0.54068, False),
        (-math.inf, 0.54068, False),
        (math.nan, 0.54068, False),
        (1e300, 1e300, True),
    ],
)
def test_default_tolerance(value: float, reference: float, accepted: bool) -> None:
    assert Tolerance().close(value, reference) is accepted


def test_explicit_relative_tolerance_replaces_the_sigfig_rule() -> None:
    tolerance = Tolerance.from_options({"rtol": 0.01})
    assert tolerance.sigfigs is None
    assert tolerance.close(0.545, 0.54068)  # within 1 %
    assert not tolerance.close(0.55, 0.54068)


def test_sigfigs_option() -> None:
    assert Tolerance.from_options({"sigfigs": 5}).close(0.54068, 0.540681)
    assert not Tolerance.from_options({"sigfigs": 5}).close(0.5407, 0.54068)


numbers = st.sampled_from([0.0, 0.5, 0.54068, 0.541, -1.0, 2.0, 1e-15])
vectors = st.lists(numbers, min_size=1, max_size=3).map(tuple)
matrices = st.lists(st.lists(numbers, min_size=2, max_size=2).map(tuple), min_size=1, max_size=3).map(tuple)
answers = st.one_of(numbers, vectors, matrices, st.dictionaries(st.sampled_from(["W1", "b1"]), matrices, max_size=2))


@given(answers, answers)
def test_the_fast_agreement_test_is_the_checker_verdict(value, reference) -> None:
    tolerance = Tolerance()
    assert agrees(value, reference, tolerance) == check(value, reference, tolerance).correct

"""Answer checks: the number comparison, per-entry credit with the wrong entries named, and the named slips the
checker sees itself (rounded too coarsely, transposed). Graded from a student's YAML: test_entries.py."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hwsolver.grading.checkers import Tolerance, agrees, check
from hwsolver.grading.reveal import split
from hwsolver.grading.tally import _remembered as remembered_displays


@pytest.mark.parametrize(
    ("value", "reference", "accepted"),
    [
        (0.541, 0.54068, True),  # correct rounding to 3 significant figures
        (0.5407, 0.54068, True),  # to 4
        (0.5406, 0.54068, True),  # truncated to 4
        (0.54, 0.54068, False),  # two figures (0.540, written so, is the truncation to 3: see test_precision)
        (0.5401, 0.54068, False),  # neither a rounding nor a truncation
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


numbers = st.sampled_from([0.0, 0.5, 0.54, 0.54068, 0.541, -1.0, 2.0, 1e-15])
vectors = st.lists(numbers, min_size=1, max_size=3).map(tuple)
matrices = st.lists(st.lists(numbers, min_size=2, max_size=2).map(tuple), min_size=1, max_size=3).map(tuple)
answers = st.one_of(numbers, vectors, matrices, st.dictionaries(st.sampled_from(["W1", "b1"]), matrices, max_size=2))


@given(answers, answers)
def test_the_fast_agreement_test_is_the_checker_verdict(value, reference) -> None:
    tolerance = Tolerance()
    assert agrees(value, reference, tolerance) == check(value, reference, tolerance).correct


# -- the checker alone ----------------------------------------------------------------------------------------

KERNEL = ((0.5, -1.0), (1.0, 0.5))


def test_a_transposed_matrix_is_named_with_its_credit() -> None:
    found = check(((0.5, 1.0), (-1.0, 0.5)), KERNEL, Tolerance())
    assert (found.share, found.mistake) == (Fraction(1, 2), "transposed")
    assert found.feedback == "this matrix is transposed: expected a 2x2 matrix, got its transpose"
    assert check(((0.5, 1.0), (-1.0, 0.5)), KERNEL, Tolerance(transposed_credit=Fraction(0))).share == 0
    # a column for a 1x2 matrix is its transpose too; a column of other numbers is a wrong shape
    assert check(((0.5,), (0.8,)), ((0.5, 0.8),), Tolerance()).mistake == "transposed"
    wrong = check(((0.5,), (0.9,)), ((0.5, 0.8),), Tolerance())
    assert (wrong.share, wrong.mistake, wrong.feedback) == (0, None, "expected 1x2, got 2x1")


def test_a_symmetric_matrix_is_its_own_transpose() -> None:
    symmetric = ((1.0, 2.0), (2.0, 1.0))
    assert check(symmetric, symmetric, Tolerance()).correct


def test_without_partial_credit_only_named_slips_earn_anything() -> None:
    off = Tolerance(partial=False)
    coarse = check((0.54068, 0.85), (0.54068, 0.85198), off)  # 0.85: two figures
    assert (coarse.share, coarse.mistake) == (Fraction(1, 2), "rounded_too_coarsely")
    assert check((0.54068, 0.9), (0.54068, 0.85198), off).share == 0
    assert check((0.54068, 0.9), (0.54068, 0.85198), Tolerance()).share == Fraction(1, 2)


def test_a_slip_among_wrong_entries_names_no_mistake() -> None:
    found = check((0.6, 0.85), (0.54068, 0.85198), Tolerance())
    assert (found.share, found.mistake) == (Fraction(1, 4), None)
    assert split(found.feedback)[0] == (
        "2 of 2 entries wrong, counting from 1: [1] (expected 0.54068), "
        "[2] (rounded too coarsely: expected 0.85198, to at least 3 significant figures)"
    )


def test_feedback_never_shows_a_yes_for_an_entry_one() -> None:
    """True == 1 == 1.0 and they hash alike: an untyped cache showed an earlier student's "yes" for an entry 1."""
    remembered_displays.cache_clear()  # (floats are not remembered: made each time)
    assert split(check(False, True, Tolerance()).feedback)[0] == "expected yes"
    found = check((0.0, 2.0), (1.0, 2.0), Tolerance())
    assert split(found.feedback)[0] == "1 of 2 entries wrong, counting from 1: [1] (expected 1)"


def test_a_right_answer_makes_no_check_of_its_own() -> None:
    """Most answers are right: their check is the one RIGHT, not a new Check each (and equal to what one would be);
    a wrong or a remarked one gets its own."""
    from hwsolver.grading.checkers import RIGHT, Check

    matrix = ((Fraction(1, 3), Fraction(2, 7)), (Fraction(-5, 9), Fraction(1, 8)))
    named = {"W1": matrix, "b1": (Fraction(1, 4),)}
    right = ((0.333, 0.286), (-0.556, 0.125))
    assert check(right, matrix, Tolerance()) is RIGHT == Check(Fraction(1), "", None)
    assert check({"W1": right, "b1": (0.25,)}, named, Tolerance()) is RIGHT
    assert check(0.333, Fraction(1, 3), Tolerance()) is RIGHT
    wrong = check(((0.333, 0.286), (-0.556, 0.5)), matrix, Tolerance())
    assert wrong is not RIGHT and wrong.share == Fraction(3, 4) and "1 of 4 entries wrong" in wrong.feedback
    remarked = check({"W1": right, "b1": (0.25,), "b2": (0.0,)}, named, Tolerance())
    assert remarked is not RIGHT and remarked.correct and "b2: all zero, left out" in remarked.feedback


def test_correct_is_a_full_share_without_a_named_slip() -> None:
    """Check.correct, set with the fields: as the share and slip say (the witness), after dataclasses.replace and
    a trip through pickle (a worker's results) too, and never a field of its own."""
    import dataclasses
    import pickle

    from hwsolver.grading.checkers import RIGHT, Check
    from hwsolver.grading.shares import ONE

    for share in (ONE, Fraction(1), Fraction(2, 2), Fraction(1, 2), Fraction(0), Fraction(3, 2)):
        for mistake in (None, "transposed"):
            for found in (Check(share, "x", mistake), pickle.loads(pickle.dumps(Check(share, "x", mistake)))):
                assert found.correct == (share == 1 and mistake is None)
            assert dataclasses.replace(RIGHT, share=share, mistake=mistake).correct == (share == 1 and not mistake)
    assert [field.name for field in dataclasses.fields(Check)] == ["share", "feedback", "mistake"]


def test_layouts_agree_as_agrees_says() -> None:
    """Two laid-out answers agree exactly when `agrees` says the answers do (its witness): the same shape and every
    number close, whichever number differs first."""
    import random

    from hwsolver.grading.checkers import layout, layouts_agree

    rng = random.Random(26)
    tolerance = Tolerance()
    base = {"W1": ((0.25, -0.5), (1.5, 0.125)), "W2": ((0.75, 2.0),)}
    checked = 0
    for _ in range(500):
        other = {key: tuple(tuple(x for x in row) for row in rows) for key, rows in base.items()}
        for _ in range(rng.randint(0, 2)):  # a number or two moved: by a little (right) or a lot (wrong)
            key = rng.choice(list(other))
            rows = [list(row) for row in other[key]]
            i, j = rng.randrange(len(rows)), rng.randrange(len(rows[0]))
            rows[i][j] += rng.choice([1e-12, 0.0004, 0.3, -2.0])
            other[key] = tuple(map(tuple, rows))
        for value, reference in ((other, base), (other["W1"], base["W1"]), (other["W2"][0], base["W2"][0])):
            found = layouts_agree(layout(value), layout(reference), tolerance)
            assert found == agrees(value, reference, tolerance), (value, reference)
            checked += found
    assert 0 < checked < 1500  # both verdicts met
    assert not layouts_agree(layout(base["W1"]), layout(base["W2"]), tolerance)  # another shape

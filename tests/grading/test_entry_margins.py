"""The margins an array's entries are decided by (Tolerance.wrong): a float equal to its reference or within its
margin is right, and one it calls surely wrong is not rounded too coarsely, exactly as `close` and `coarse` say one
by one (their witness here, over random values near and far, signed, zero, infinite and NaN); a reference array is
laid out once for a class, its right entries decided without a call of `close`, and only an entry not written as
its reference is, and not far from it, costs a logarithm."""

from __future__ import annotations

import math
import random
from fractions import Fraction

import pytest

from hwsolver.grading import entries, precision
from hwsolver.grading.entries import score
from hwsolver.grading.precision import Tolerance
from hwsolver.numbers import Written, decimal_value

TOLERANCES = [
    Tolerance(),
    Tolerance(sigfigs=1),
    Tolerance(sigfigs=2),
    Tolerance(sigfigs=4),
    Tolerance(sigfigs=None, rtol=1e-3),
    Tolerance(sigfigs=3, rtol=0.05, atol=0.01),
    Tolerance(sigfigs=None, rtol=0.0, atol=0.0),
]


def _values(rng: random.Random, reference: float) -> list[float]:
    """Values a class writes for `reference`: rounded and truncated to a few figures, off by a little or a lot,
    of the other sign, and the odd non-finite one."""
    out = [float(f"{reference:.{n}g}") for n in range(1, 6)]
    out += [float(f"{math.trunc(reference * 10**n) / 10**n}") for n in range(1, 5)]
    out += [reference * (1 + rng.uniform(-0.02, 0.02)), reference + rng.uniform(-1, 1), -reference, 0.0]
    # as the reader gives them: with trailing zeros, Written (figures count), 0.0 among them
    out += [decimal_value(f"{reference:.{n}f}0") for n in range(0, 7)] + [decimal_value("0.0")]
    return [*out, math.inf, -math.inf, math.nan]


@pytest.mark.parametrize("tolerance", TOLERANCES)
def test_the_margins_decide_as_close_and_coarse_do(tolerance: Tolerance) -> None:
    rng = random.Random(7)
    references = [0.0, 1.0, -2.5, 0.025538, 123.456, -0.000731] + [rng.uniform(-5, 5) for _ in range(40)]
    decided = written = 0
    for reference in references:
        values = _values(rng, reference)
        written += sum(type(v) is Written for v in values)
        exact = [Fraction(reference)] * len(values)  # a reference as the solver gives it: exact
        floats = [float(r) for r in exact]
        wrong, sure = tolerance.wrong(values, exact, floats)
        assert wrong == [k for k, v in enumerate(values) if not tolerance.close(v, exact[k])]
        for k, not_rounded in zip(wrong, sure):
            if not_rounded:  # entries._array calls it wrong without asking `coarse`
                assert not tolerance.coarse(values[k], exact[k])
                decided += 1
    assert decided > 100  # the fast paths are taken, not only the slow one
    assert written > 100  # decimals with trailing zeros among them (their figures make truncations)


def test_a_reference_is_laid_out_once_and_right_entries_need_no_close(monkeypatch: pytest.MonkeyPatch) -> None:
    reference = tuple(tuple(Fraction(i * 7 + j + 1, 13) for j in range(4)) for i in range(3))
    answers = [tuple(tuple(float(f"{float(x):.4g}") for x in row) for row in reference) for _ in range(50)]
    answers[0] = ((9.0,) * 4,) * 3  # every entry wrong, far off
    laid, closes = [], []
    real_flat, real_close = entries.flat, Tolerance.close
    monkeypatch.setattr(entries, "flat", lambda value, depth: laid.append(1) or real_flat(value, depth))
    monkeypatch.setattr(Tolerance, "close", lambda self, a, b: closes.append(1) or real_close(self, a, b))
    entries._LAID.clear()
    results = [score(answer, reference, Tolerance()) for answer in answers]
    assert results[1:] == [(Fraction(1), "", None)] * 49 and results[0][0] == 0
    assert len(laid) == 1 + 50  # the reference once, each answer's entries once
    assert closes == []  # right entries within their margins, wrong ones far past them


def test_a_logarithm_only_for_entries_not_written_as_their_reference(monkeypatch: pytest.MonkeyPatch) -> None:
    reference = ((Fraction(1, 4), Fraction(1, 7), Fraction(3, 2)), (Fraction(2, 7), Fraction(5, 8), Fraction(4, 7)))
    exact = tuple(tuple(float(x) for x in row) for row in reference)  # as a student writes 0.25 for 1/4
    rounded = tuple(tuple(float(f"{x:.4g}") for x in row) for row in exact)  # 0.1429 for 1/7: right, not equal
    wrong = (exact[0], (9.0, exact[1][1], 9.0))  # two entries far off
    near = (exact[0], (0.3, exact[1][1], 0.6))  # two wrong, within a tenth of their references
    logarithms: list[float] = []
    real_log10 = math.log10
    monkeypatch.setattr(precision.math, "log10", lambda x: logarithms.append(x) or real_log10(x))
    assert score(exact, reference, Tolerance())[0] == 1 and logarithms == []
    assert score(rounded, reference, Tolerance())[0] == 1
    assert logarithms == [1 / 7, 2 / 7, 4 / 7]  # the sevenths alone are not written as they are
    logarithms.clear()
    share, feedback, _ = score(wrong, reference, Tolerance())
    assert share == Fraction(4, 6) and "2 of 6 entries wrong" in feedback
    assert logarithms == []  # a tenth of the reference away and more: surely wrong, without a margin
    share, feedback, _ = score(near, reference, Tolerance())
    assert share == Fraction(4, 6) and "2 of 6 entries wrong" in feedback
    assert logarithms == [2 / 7, 4 / 7]  # the margin and whether it is rounded too coarsely from one each


def test_an_answer_written_as_its_reference_is_right_at_one_glance(monkeypatch: pytest.MonkeyPatch) -> None:
    reference = (Fraction(1, 4), Fraction(1), Fraction(1, 2))
    looked: list[int] = []
    real_wrong = Tolerance.wrong
    monkeypatch.setattr(Tolerance, "wrong", lambda self, *a: looked.append(1) or real_wrong(self, *a))
    written = (0.25, decimal_value("1.00"), 0.5)  # as the reader gives them: a float, a Written
    assert type(written[1]) is Written and score(written, reference, Tolerance())[0] == 1 and looked == []
    # equal, but not each a float the reader gives: each entry looked at (and a yes is no number)
    assert score((0.25, True, 0.5), reference, Tolerance())[0] == Fraction(2, 3) and looked == [1]
    assert score((Fraction(1, 4), 1.0, 0.5), reference, Tolerance())[0] == 1 and looked == [1, 1]
    # an infinite reference (a re-run from absurd answers) is no value's, not even infinity's
    infinite = Tolerance(sigfigs=None, rtol=1e-3)
    assert score((math.inf, 0.5), (math.inf, 0.5), infinite)[0] == Fraction(1, 2)


def test_positions_written_as_their_references_are_right_at_a_glance(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each window's position against `close` coordinate by coordinate (the witness), over positions written
    as the reference's, as other numbers or types (a yes for 1, 1/1 for 1) and wrong; and `close` asked only for a
    position not written as the reference's."""
    tolerance = Tolerance(positions=True, base=0)
    reference = (((1.0, 0.0), (0.0, 2.0)), ((2.0, 0.0), (2.0, 2.0)))
    rng = random.Random(3)
    closes: list[int] = []
    real_close = Tolerance.close
    monkeypatch.setattr(Tolerance, "close", lambda self, a, b: closes.append(1) or real_close(self, a, b))
    for _ in range(200):
        choices = [lambda x: x, lambda x: x + 1.0, lambda x: True if x == 1 else x, lambda x: Fraction(int(x))]
        answer = tuple(tuple(tuple(rng.choice(choices)(x) for x in window) for window in row) for row in reference)
        windows = [w for row in answer for w in row]
        wanted = [w for row in reference for w in row]
        right = [
            all(type(g) is not bool and real_close(tolerance, g, w) for g, w in zip(got, want))
            for got, want in zip(windows, wanted)
        ]
        closes.clear()
        share, _, _ = score(answer, reference, tolerance)
        assert share == Fraction(sum(right), 4)
        plain = all(type(x) is float for w in windows for x in w)
        assert (closes == []) == (plain and all(got == want for got, want in zip(windows, wanted)))


def test_a_square_matrix_is_tried_as_a_transpose_only_when_its_diagonal_is_right(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A transpose has its reference's diagonal: a wrong square matrix with a wrong diagonal entry is not compared
    with the reference's transpose at all; every other one still is (the witness: the full comparison, called)."""
    reference = ((1.0, 2.0, 3.0), (4.0, 5.0, 6.0), (7.0, 8.0, 9.5))
    transposed = tuple(zip(*reference))
    compared: list[int] = []
    real = entries._is_transpose
    monkeypatch.setattr(entries, "_is_transpose", lambda *a: compared.append(1) or real(*a))
    share, feedback, mistake = score(transposed, reference, Tolerance())
    assert (share, mistake) == (Fraction(1, 2), "transposed") and compared == [1]
    off_diagonal = ((1.0, 7.0, 3.0), (4.0, 5.0, 6.0), (7.0, 8.0, 9.5))  # wrong at [1,2] alone: tried, not one
    assert score(off_diagonal, reference, Tolerance())[0] == Fraction(8, 9) and compared == [1, 1]
    for k in range(3):  # a wrong diagonal entry (with others, as a transpose would have them): never tried
        rows = [list(row) for row in transposed]
        rows[k][k] += 1.0
        share, feedback, mistake = score(tuple(map(tuple, rows)), reference, Tolerance())
        assert mistake is None and share == Fraction(2, 9) and "7 of 9 entries wrong" in feedback
    assert compared == [1, 1]


def test_an_answer_equal_to_its_reference_is_right_without_laying_either_out(monkeypatch: pytest.MonkeyPatch) -> None:
    """An answer of finite floats equal to its reference, entry for entry (a vector, a matrix, named ones), is right
    without a layout; an equal one holding a yes (True equals 1.0) or an infinity still goes entry by entry, and gets
    what `score` says (its witness)."""
    from hwsolver.grading.checkers import RIGHT, check

    laid: list[int] = []
    real_laid = entries._laid
    monkeypatch.setattr(entries, "_laid", lambda reference: laid.append(1) or real_laid(reference))
    matrix = ((0.25, -1.5), (0.0, 3.0))
    for answer in [(0.5, 0.25), matrix, {"W1": matrix, "b1": (0.125,)}, (decimal_value("0.50"), 0.25)]:
        reference = answer if not isinstance(answer, tuple) or type(answer[0]) is not Written else (0.5, 0.25)
        assert check(answer, reference, Tolerance()) is RIGHT
    assert laid == []
    relative = Tolerance(sigfigs=None, rtol=1e-3)  # an infinite reference's margins raise (a re-run's, follow.py)
    for answer, reference, tolerance in [
        ((True, 0.25), (1.0, 0.25), Tolerance()),  # a yes is no number
        ((math.inf, 0.25), (math.inf, 0.25), relative),  # nor is infinity any value's
        (((1.0, 2.0), (True, 4.0)), ((1.0, 2.0), (1.0, 4.0)), Tolerance()),
    ]:
        found = check(answer, reference, tolerance)
        assert found.share == score(answer, reference, tolerance)[0] < 1
    assert len(laid) == 6  # each of them laid out, by check and by its witness

"""The report's statistics against a small class worked out by hand (small_class.py; numbers below are the hand
computation, written as fractions where they are exact).

Totals: A 4, B 3, C 2, D 1, E 1, F 3 (of 4); gradient (of 2): 2 2 1 1 0 1; d1: 1 1 1 0 0.5 1; d2: 1 0 0 0 0.5 1.
"""

from __future__ import annotations

import json
import math
import sys
from fractions import Fraction as F
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from small_class import write_class

from hwsolver.report import statistics as stats
from hwsolver.report.analysis import analyse
from hwsolver.report.grades import read_grades


@pytest.fixture
def report(tmp_path):
    return analyse(read_grades(write_class(tmp_path)))


def test_whole_assignment(report) -> None:
    s = report.total
    assert (report.submissions, report.not_graded) == (7, ("in/G.yaml",))
    assert (s.n, s.top, s.mean, s.median, s.facility) == (6, 4, F(7, 3), F(5, 2), F(7, 12))
    # squared deviations from 7/3: 25/9 + 4/9 + 1/9 + 16/9 + 16/9 + 4/9 = 22/3; over n - 1 = 5: 22/15
    assert s.sd == pytest.approx(math.sqrt(22 / 15), rel=1e-15)
    assert s.discrimination is None  # the whole has no rest to correlate with
    assert report.spread.counts == (0, 0, 2, 0, 0, 1, 0, 2, 0, 1)  # bins of 0.4: 1 1 | 2 | 3 3 | 4
    assert report.spread.edges == tuple(F(4 * k, 10) for k in range(11))
    # ranks: D E share [0, 1/3), C [1/3, 1/2), B F share [1/2, 5/6), A [5/6, 1); fifths of 1/5 each
    assert report.spread.quintiles == (F(1), F(4, 3), F(5, 2), F(3), F(23, 6))


def test_a_part(report) -> None:
    gradient = report.problems[0].parts[0]
    s = gradient.summary
    assert (gradient.id, s.n, s.top, s.mean, s.median, s.facility) == ("gradient", 6, 2, F(7, 6), F(1), F(7, 12))
    assert s.sd == pytest.approx(math.sqrt(17 / 30), rel=1e-15)  # (25 + 25 + 1 + 1 + 49 + 1) / 36 / 5
    # against the rest of the total (2 1 1 0 1 2): covariance 30/36, spreads 102/36 each: r = 30/102 = 5/17
    assert s.discrimination == pytest.approx(5 / 17, rel=1e-15)
    assert gradient.shares == {"correct": F(1, 3), "partial": F(1, 2), "incorrect": F(1, 6), "missing": 0, "invalid": 0}
    assert [(m.id, m.count, m.examples) for m in gradient.mistakes] == [
        ("softmax_sign", 2, ("C", "F")),
        ("missing_delta", 1, ("D",)),
    ]


def test_the_other_parts(report) -> None:
    d1, d2 = report.problems[1].parts
    assert (d1.summary.mean, d1.summary.median, d1.summary.facility) == (F(3, 4), F(1), F(3, 4))
    assert d1.summary.sd == pytest.approx(math.sqrt(7 / 40), rel=1e-15)
    # rest 3 2 1 1 0.5 2 (mean 19/12): covariance 162/144, spreads 7/8 and 606/144
    assert d1.summary.discrimination == pytest.approx((9 / 8) / math.sqrt(7 / 8 * 606 / 144), rel=1e-15)
    assert (d2.summary.mean, d2.summary.median, d2.summary.facility) == (F(5, 12), F(1, 4), F(5, 12))
    assert d2.summary.sd == pytest.approx(math.sqrt(29 / 120), rel=1e-15)
    assert d2.summary.discrimination == pytest.approx(11 / math.sqrt(29 * 125), rel=1e-15)
    assert d2.shares == {v: F(1, 6) for v in ("partial", "incorrect", "missing", "invalid")} | {"correct": F(1, 3)}


def test_problems(report) -> None:
    softmax, sigmoid = report.problems
    assert (softmax.id, sigmoid.id) == ("log-softmax-gradient", "sigmoid-derivatives")
    assert softmax.spread.counts == (1, 0, 0, 0, 0, 3, 0, 0, 0, 2)  # bins of 0.2: 0 | 1 1 1 | 2 2
    # the gradient's score in each fifth ranked by total (D 1, E 0 | C 1 | B 2, F 1 | A 2)
    assert softmax.spread.quintiles == (F(1, 2), F(2, 3), F(5, 4), F(3, 2), F(23, 12))
    # sigmoid's problem score 2 1 1 0 1 2 against the rest (the gradient): the same pairs as gradient's, swapped
    assert (sigmoid.summary.mean, sigmoid.summary.median) == (F(7, 6), F(1))
    assert sigmoid.summary.discrimination == pytest.approx(5 / 17, rel=1e-15)


@pytest.mark.parametrize(
    "values, expected",
    [([], None), ([3], None), ([2, 2, 2], None), ([1, 2], math.sqrt(0.5)), ([F(1, 2), F(3, 2)], math.sqrt(0.5))],
)
def test_standard_deviation_needs_two_scores(values, expected) -> None:
    found = stats.standard_deviation(values)
    assert found == (0.0 if expected is None and len(values) > 2 else expected)


@pytest.mark.parametrize("xs, ys", [([1, 1, 1], [0, 1, 2]), ([0, 1, 2], [3, 3, 3]), ([1], [2]), ([], [])])
def test_no_correlation_without_spread_on_both_sides(xs, ys) -> None:
    assert stats.correlation(xs, ys) is None


def test_correlation_is_exact_at_its_ends() -> None:
    assert stats.correlation([0, 1, 2], [1, 3, 5]) == 1.0
    assert stats.correlation([0, 1, 2], [5, 3, 1]) == -1.0


def test_quintiles_of_five_are_the_students_themselves() -> None:
    assert stats.quintile_means([(5, 50), (1, 10), (3, 30), (2, 20), (4, 40)]) == (10, 20, 30, 40, 50)


def test_quintiles_never_depend_on_the_order_among_equals() -> None:
    pairs = [(1, 0), (1, 3), (2, 1), (2, 2), (2, 6), (3, 1), (3, 5)]
    assert stats.quintile_means(pairs) == stats.quintile_means(list(reversed(pairs)))
    assert stats.quintile_means([]) is None
    # one student is every fifth; of three, each covers a third: the second fifth [1/5, 2/5) holds 2/15 of the
    # first (0) and 1/15 of the second (3): (2/15 * 0 + 1/15 * 3) / (3/15) = 1; the fourth likewise 5
    assert stats.quintile_means([(7, 9)]) == (9,) * 5
    assert stats.quintile_means([(0, 0), (1, 3), (2, 6)]) == (0, 1, 3, 5, 6)


def test_histogram_bins() -> None:
    # each bin holds its lower edge; the last holds the top too
    assert stats.histogram([0, F(1, 10), F(2, 10), 1, F(99, 100)], 1) == (1, 1, 1, 0, 0, 0, 0, 0, 0, 2)
    assert stats.histogram([0, 0], 0) == (2,) + (0,) * 9


def test_a_late_deduction_moves_no_statistic(tmp_path) -> None:
    """Exports send the score after a late deduction; the statistics measure the answers (raw_score)."""
    path = write_class(tmp_path)
    document = json.loads(path.read_text(encoding="utf-8"))
    on_time = analyse(read_grades(path))
    for submission in document["submissions"]:
        if submission["student"] == "A":  # 4 of 4, two days late at 25% a day
            submission.update(raw_score=4, score=2, days_late=2, late_deduction=2)
    path.write_text(json.dumps(document), encoding="utf-8")
    late = analyse(read_grades(path))
    assert late.total == on_time.total and late.problems == on_time.problems
    assert [g.score for g in read_grades(path) if g.student == "A"] == [2]

"""Shares worked out in ints (shares.py) against Fraction arithmetic, their witness: the mean of items' shares,
a share of a part's points (an int when whole, as prepared.whole gives it), each value made once."""

from __future__ import annotations

import random
from fractions import Fraction

import pytest

from hwsolver.grading import shares
from hwsolver.grading.prepared import whole
from hwsolver.grading.shares import ONE, ZERO, mean, scaled, share


def _share(rng: random.Random) -> Fraction:
    entries = rng.randint(1, 30)
    return rng.choice([ONE, ZERO, Fraction(rng.randint(0, entries), entries), Fraction(1, 2) * rng.randint(0, 1)])


def test_the_mean_is_the_fractions_mean() -> None:
    rng = random.Random(18)
    for _ in range(2000):
        items = [_share(rng) for _ in range(rng.randint(1, 8))]
        found = mean(items)
        assert found == sum(items, Fraction(0)) / len(items) and type(found) is Fraction
    assert mean([ONE, ONE]) is ONE and mean([]) is ONE  # a right answer's: that very object (checkers.check)
    assert mean([ONE, Fraction(1)]) == 1 and mean([ONE, Fraction(1)]) is not ONE  # as the sum made it


def test_a_share_of_the_points_is_the_fractions_product() -> None:
    rng = random.Random(5)
    for _ in range(2000):
        part_share, points = _share(rng), rng.choice([1, 2, 3, 10, Fraction(3, 2), Fraction(5, 4)])
        found = scaled(part_share, points)
        expected = points if part_share == 1 else 0 if part_share == 0 else whole(part_share * points)
        assert found == expected and type(found) is type(expected), (part_share, points)


def test_each_value_is_made_once(monkeypatch: pytest.MonkeyPatch) -> None:
    made = []
    monkeypatch.setattr(shares, "Fraction", lambda *a: made.append(a) or Fraction(*a))
    monkeypatch.setattr(shares, "_SHARES", shares.Bounded(4096))
    for _ in range(50):
        assert share(3, 4) == Fraction(3, 4)
        assert mean([Fraction(3, 4), ONE]) == Fraction(7, 8)
    assert made == [(3, 4), (7, 8)]

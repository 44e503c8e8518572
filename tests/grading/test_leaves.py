"""An answer's numbers by their place: what walking the answer number by number gives (the witness below), in the
same order, Written numbers kept as they are."""

from __future__ import annotations

import numbers
import random
from fractions import Fraction
from typing import Any

import pytest

from hwsolver.grading.leaves import answer_leaves, leaves
from hwsolver.numbers import Written, decimal_value


def walked(value: Any, path: tuple = ()) -> list[tuple[tuple, Any]]:
    """Every number and yes/no value with its place, walking the answer one item at a time."""
    if isinstance(value, bool) or (isinstance(value, numbers.Real) and not isinstance(value, bool)):
        return [(path, value)]
    if isinstance(value, tuple | list):
        return [found for n, item in enumerate(value) for found in walked(item, (*path, n))]
    if isinstance(value, dict):
        return [found for key, item in value.items() for found in walked(item, (*path, key))]
    return []


def random_answer(rng: random.Random, depth: int = 0) -> Any:
    pick = rng.random()
    if depth >= 3 or pick < 0.3:
        return rng.choice([0.5, -1.25, decimal_value("0.540"), 2, Fraction(1, 3), True, None, "x", 0.0])
    if pick < 0.55:  # a vector or matrix of floats, now and then with something else in it
        rows, width = rng.randint(0, 3), rng.randint(0, 3)
        entries = [tuple(rng.choice([0.25, -3.0, Written(0.5, 2)]) for _ in range(width)) for _ in range(rows)]
        if entries and rng.random() < 0.3:
            entries[rng.randrange(len(entries))] = (1.0, 2, None)[: rng.randint(0, 3)]
        return tuple(entries) if rng.random() < 0.5 else tuple(entry for row in entries for entry in row)
    if pick < 0.8:
        items = [random_answer(rng, depth + 1) for _ in range(rng.randint(0, 3))]
        return tuple(items) if rng.random() < 0.8 else items
    return {f"k{n}": random_answer(rng, depth + 1) for n in range(rng.randint(0, 3))}


@pytest.mark.parametrize(("lay_out", "seed"), [(leaves, 26), (answer_leaves, 28)])
def test_an_answer_is_laid_out_as_its_walk(lay_out: Any, seed: int) -> None:
    """leaves (by shape) and answer_leaves (a number's one leaf at once, a collection remembered) against the walk
    itself, number by number."""
    rng = random.Random(seed)
    for _ in range(3000):
        answer = random_answer(rng)
        found = lay_out(answer)
        assert list(found.items()) == walked(answer), answer
        assert all(type(found[path]) is type(value) for path, value in walked(answer))  # Written stays Written

"""Exact numbers as floats (float_arrays.float_array): each exactly float() of the number, bit for bit,
in the shape of the nesting, as NumPy's own conversion gives them."""

from __future__ import annotations

import random
from fractions import Fraction

import numpy as np

from hwsolver.compute.float_arrays import float_array


def test_each_number_is_its_float_in_its_place() -> None:
    rng = random.Random(19)
    big = 10**30
    for rows, cols in [(1, 1), (1, 4), (3, 2), (4, 4), (2, 0)]:
        for _ in range(50):
            numbers = [
                Fraction(rng.randint(-big, big), rng.randint(1, big)) if rng.random() < 0.5 else rng.randint(-99, 99)
                for _ in range(rows * cols)
            ]
            matrix = tuple(tuple(numbers[r * cols : (r + 1) * cols]) for r in range(rows))
            for value in (matrix, matrix[0] if rows else (), [list(row) for row in matrix]):
                found, expected = float_array(value), np.array(value, dtype=float)
                assert found.dtype == np.float64 and found.shape == expected.shape
                assert found.tobytes() == expected.tobytes()  # bit for bit, signs of zero included
    assert float_array(Fraction(1, 3)).tobytes() == np.array(1 / 3).tobytes()

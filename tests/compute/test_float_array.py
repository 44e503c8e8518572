"""Exact numbers as floats (float_arrays.float_array): each exactly float() of the number, bit for bit,
in the shape of the nesting, as NumPy's own conversion gives them."""

from __future__ import annotations

import random
from fractions import Fraction
from typing import Any

import numpy as np
import pytest

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


@pytest.mark.parametrize("shape", [(3,), (2, 3), (1, 3, 4), (2, 1, 2, 2)])
def test_float_array_is_numpys_own_conversion_bit_for_bit(shape: tuple[int, ...]) -> None:
    """float_array divides each Fraction's terms itself: the same float64 as NumPy's conversion through float(),
    for huge terms too (no overflow of an intermediate float), ints and floats kept as they convert; read-only."""
    rng = np.random.default_rng(7)
    kinds = [
        lambda: Fraction(int(rng.integers(-999, 999)), int(rng.integers(1, 999))),
        lambda: Fraction(10**400 + int(rng.integers(1, 99)), 3 * 10**399),  # terms beyond a float's range
        lambda: int(rng.integers(-5, 5)),
        lambda: float(rng.normal()),
    ]
    flat = [kinds[i % len(kinds)]() for i in range(int(np.prod(shape)))]
    nested: Any = flat
    for size in reversed(shape[1:]):
        nested = [tuple(nested[i : i + size]) for i in range(0, len(nested), size)]
    nested = tuple(nested)
    got, want = float_array(nested), np.array(nested, dtype=float)
    assert got.shape == want.shape == shape and got.dtype == np.float64
    assert got.tobytes() == want.tobytes()
    assert not got.flags.writeable

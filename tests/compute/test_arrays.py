"""from_numpy: NumPy arrays as the nested tuples answers are kept in, at every depth, empty ones included."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest


def by_hand(value: Any) -> Any:
    return tuple(by_hand(item) for item in value) if isinstance(value, list) else value


@pytest.mark.parametrize("shape", [(), (3,), (2, 3), (2, 3, 4), (2, 1, 3, 2), (0,), (2, 0), (0, 3, 2)])
def test_nested_tuples_of_python_numbers(shape: tuple[int, ...]) -> None:
    from hwsolver.compute.layers.arrays import from_numpy

    for array in (np.arange(float(np.prod(shape))).reshape(shape) / 3, np.arange(int(np.prod(shape))).reshape(shape)):
        got = from_numpy(array)
        assert got == by_hand(array.tolist())
        assert type(got) is (tuple if shape else type(array.item()))
        if array.size:
            assert np.shape(got) == shape
            assert all(type(v) in (float, int) for v in np.array(got, dtype=object).ravel())

"""from_numpy: NumPy arrays as the nested tuples answers are kept in, at every depth, empty ones included; deep_map."""

from __future__ import annotations

from collections.abc import Callable
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


def test_rows_left_unbuilt_are_counted_without_building_them() -> None:
    """A lock's matrix keeps its rows as text until read: its depth is found without a node per number (the
    rows' text is read straight into numbers), and rows holding lists, or none, are still counted by their nodes."""
    from fractions import Fraction

    from hwsolver.compute.layers.arrays import depth, read_array
    from hwsolver.spec.node import LATER, Node

    def matrix(*sources: str) -> Node:
        rows = tuple(
            Node(LATER, "lock.yaml", 3, 10 + 8 * n, "given.x", n, True, text) for n, text in enumerate(sources)
        )
        return Node(rows, "lock.yaml", 3, 9, "given", "x", True, "[" + ", ".join(sources) + "]")

    flat = matrix("[1, 0.5]", "[-2, 3]")
    assert depth(flat) == 2 and all(row.content is LATER for row in flat.content)
    assert read_array(flat, (2,), "a matrix") == ((1, Fraction(1, 2)), (-2, 3))
    assert depth(matrix("[[1], [2]]", "[[3], [4]]")) == 3
    assert depth(matrix("[]", "[]")) == 1  # an empty row: nothing below it to count


@pytest.mark.parametrize(
    "rows",
    [
        ("[1, 0.5]", "[-2, 3]"),
        ("[1, 0.5, 2]", "[-2, 3]"),  # ragged
        ("[1, x]", "[-2, 3]"),  # no number
        ("[[1], [2]]", "[[3], [4]]"),  # a level more
        ("[]", "[]"),
        ("[1/4, 1e-3]", "[0.2, -7]"),
    ],
)
@pytest.mark.parametrize("shape", [(2, 2), (2, 3), (3, 2)])
def test_a_locks_matrix_is_read_from_its_rows_texts_as_the_nodes_read_it(rows: tuple[str, ...], shape) -> None:
    """read_array and read_shaped read a lock's unbuilt rows straight from their texts: the same numbers, and the
    same message for a matrix that is not one (ragged, no numbers, another rank or shape), as reading the same
    matrix through its nodes (depth and tensor, which the rows' being built forces)."""
    from hwsolver.compute.layers.arrays import read_array, read_shaped
    from hwsolver.errors import SpecError
    from hwsolver.spec.node import LATER, Node

    def matrix(built: bool) -> Node:
        nodes = tuple(Node(LATER, "lock.yaml", 3, 10 + 8 * n, "given.x", n, True, text) for n, text in enumerate(rows))
        if built:
            for node in nodes:
                node.value  # noqa: B018 (builds the row's nodes: the general path then reads them)
        return Node(nodes, "lock.yaml", 3, 9, "given", "x", True, "[" + ", ".join(rows) + "]")

    def outcome(read: Callable[[Node], Any], built: bool) -> Any:
        try:
            return read(matrix(built))
        except SpecError as error:
            return str(error)

    for read in (lambda node: read_array(node, (2, 3), "a matrix"), lambda node: read_shaped(node, shape)):
        assert outcome(read, built=False) == outcome(read, built=True)


def test_a_layers_arrays_convert_at_once_as_each_would_alone() -> None:
    """float_arrays: several canonical arrays converted as one flat list and cut into views, each the same float64
    array as float_array gives it alone (bit for bit: huge terms, ints, signs of zero), read-only."""
    from fractions import Fraction

    from hwsolver.compute.float_arrays import float_array
    from hwsolver.compute.layers.arrays import float_arrays

    rng = np.random.default_rng(11)
    kinds = [
        lambda: Fraction(int(rng.integers(-999, 999)), int(rng.integers(1, 999))),
        lambda: Fraction(10**400 + int(rng.integers(1, 99)), 3 * 10**399),
        lambda: int(rng.integers(-5, 5)),
        lambda: -0.0,
    ]

    def nested(shape: tuple[int, ...]) -> Any:
        if len(shape) == 1:
            return tuple(kinds[int(rng.integers(len(kinds)))]() for _ in range(shape[0]))
        return tuple(nested(shape[1:]) for _ in range(shape[0]))

    arrays = [nested(shape) for shape in [(1, 4, 4), (2, 1, 2, 2), (2, 3, 3), (2,), (3, 0)]]
    got = float_arrays(*arrays)
    assert len(got) == len(arrays)
    for found, array in zip(got, arrays, strict=True):
        want = float_array(array)
        assert found.shape == want.shape and found.dtype == np.float64
        assert found.tobytes() == want.tobytes()
        assert not found.flags.writeable


def test_deep_map_to_floats_is_float_of_each_number() -> None:
    """deep_map(float, ...) takes a Fraction's float from its terms: the same float as float() gives (huge,
    tiny, negative, whole), ints and floats as float() converts them, the nesting kept; another function is
    applied as it is."""
    from fractions import Fraction

    from hwsolver.compute.layers.arrays import deep_map

    numbers = (Fraction(1, 3), Fraction(-7, 10), Fraction(10**400, 3 * 10**399), Fraction(1, 10**330), Fraction(4))
    value = ((numbers, (2, 0.5, True, -3, 1e308)), ((Fraction(2, 7),) * 5, numbers[::-1]))
    got = deep_map(float, value)
    want = tuple(tuple(tuple(float(v) for v in row) for row in plane) for plane in value)
    assert got == want and all(type(v) is float for plane in got for row in plane for v in row)
    assert deep_map(float, Fraction(5, 4)) == 1.25
    assert deep_map(lambda v: 2 * v, value[1]) == tuple(tuple(2 * v for v in row) for row in value[1])

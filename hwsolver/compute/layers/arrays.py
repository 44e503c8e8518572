"""Nested-tuple arrays of a problem's given: reading them at a required shape, and converting them whole."""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from itertools import chain
from math import prod
from typing import Any

import numpy as np

from hwsolver.spec.node import LATER, Node, format_shape, shape_of

Array = Any  # a nested tuple of numbers, one level per axis


def depth(node: Node) -> int:
    """How many list levels `node` has before its first scalar (0 for a scalar)."""
    levels = 0
    while not node.is_scalar:
        if node.content is LATER and _flat_row(node.source):
            return levels + 1  # a row of scalars left unbuilt (a lock's): not built to be counted, tensor reads it
        items = node.items()
        if not items:
            break
        node, levels = items[0], levels + 1
    return levels


def _flat_row(source: str) -> bool:
    """Whether a flow list's text holds scalars alone, at least one: no bracket, brace or alias inside."""
    inner = source[1:-1]
    return source[:1] == "[" and source[-1:] == "]" and bool(inner.strip()) and not any(c in inner for c in "[]{}*&")


def _noun(ndim: int) -> str:
    return "matrix" if ndim == 2 else "array"


def read_array(node: Node, ndims: tuple[int, ...], what: str) -> Array:
    """A tensor with one of `ndims` levels ("expected an H x W matrix or a C x H x W array" otherwise)."""
    if 2 in ndims:
        matrix = _matrix_of_rows(node)
        if matrix is not None:
            return matrix
    levels = depth(node)
    if levels not in ndims:
        raise node.error(f"expected {what}, got {node.describe() if levels < 2 else format_shape(_shape(node))}")
    return node.tensor(levels)


def read_shaped(node: Node, shape: tuple[int, ...]) -> Array:
    """A tensor of exactly `shape`: "expected a 3x3 matrix, got 2x2", "expected a vector of 3, got 2"."""
    if len(shape) == 1:
        return node.vector(shape[0], scalar_ok=False)
    value = _matrix_of_rows(node) if len(shape) == 2 else None
    if value is None:
        if depth(node) != len(shape):
            got = node.describe() if depth(node) < 2 else format_shape(_shape(node))
            raise node.error(f"expected {_wanted(shape)}, got {got}")
        value = node.tensor(len(shape))
    if shape_of(value) != shape:
        raise node.error(f"expected {_wanted(shape)}, got {format_shape(shape_of(value))}")
    return value


def _wanted(shape: tuple[int, ...]) -> str:
    """What read_shaped's messages expected, "a 3x3 matrix" (spelled out for a message only)."""
    return f"a {format_shape(shape)} {_noun(len(shape))}"


def _matrix_of_rows(node: Node) -> Array | None:
    """A matrix whose rows a lock left unbuilt, each `[n, n, ...]` of plain numbers, all of one length: read from
    the rows' texts (Node.row), what depth() and tensor(2) find, without their walk over the nodes (a class's
    variants each read their given). None for anything else: the general path reads it, and says what is wrong."""
    rows = node.content
    if type(rows) is not tuple or not rows:
        return None
    matrix = tuple([row.row() for row in rows])
    width = len(matrix[0]) if matrix[0] is not None else -1
    for row in matrix:  # (a loop, not all() over a generator: a class's variants each read a few)
        if row is None or len(row) != width:
            return None
    return matrix


def _shape(node: Node) -> tuple[int, ...]:
    """The shape along first elements, for messages about arrays of the wrong rank."""
    shape = []
    while not node.is_scalar and node.items():
        shape.append(len(node.items()))
        node = node.items()[0]
    return tuple(shape)


def deep_map(convert: Callable[[Any], Any], value: Array) -> Array:
    """`value` with `convert` applied to every number, keeping the nesting. float of a Fraction is taken from its
    terms (the same float: Fraction's own float() divides its numerator by its denominator, through properties
    that cost as much again): follow-through turns a variant's exact e(l-1) into floats."""
    if not isinstance(value, tuple):
        return _float(value) if convert is float else convert(value)
    return tuple(
        [deep_map(convert, v) if isinstance(v, tuple) else _float(v) if convert is float else convert(v) for v in value]
    )


def _float(value: Any) -> float:
    return value._numerator / value._denominator if type(value) is Fraction else float(value)


def float_arrays(*arrays: Array) -> tuple[np.ndarray, ...]:
    """Rectangular nested tuples of exact numbers (a layer's canonical arrays) as read-only float64 arrays, each
    number's float as float_arrays.float_array gives it (a Fraction's numerator / denominator, else float()), bit
    for bit: converted as one flat list and cut into views (NumPy reads a flat list of floats at a fraction of the
    cost of nested ones, and once instead of once per array: a class's variants each convert theirs)."""
    shapes, rows = [], []
    for array in arrays:
        shape = shape_of(array)
        for _ in range(len(shape) - 1):
            array = chain.from_iterable(array)  # (lazily: read once, below, with the other arrays')
        shapes.append(shape)
        rows.append(array)
    flat = chain.from_iterable(rows)
    values = np.array([v._numerator / v._denominator if type(v) is Fraction else float(v) for v in flat], dtype=float)
    values.flags.writeable = False  # and so each view of it
    found, start = [], 0
    for shape in shapes:
        size = prod(shape)
        found.append(values[start : start + size].reshape(shape))
        start += size
    return tuple(found)


def from_numpy(array: np.ndarray) -> Array:
    """A NumPy array as nested tuples of Python floats (or ints for integer arrays)."""
    items = array.tolist()
    return _tuples(items, array.ndim) if array.ndim else items


def _tuples(items: list, ndim: int) -> Array:
    """Nested lists of a known depth as nested tuples: the innermost rows in one pass each (grading converts a
    mutant's or a re-run's arrays again and again)."""
    if ndim == 1:
        return tuple(items)
    if ndim == 2:
        return tuple(map(tuple, items))
    return tuple(_tuples(item, ndim - 1) for item in items)


def rows(values: list[Any], width: int) -> Array:
    """A flat row-major list as a tuple of rows of `width` (an exact pass's matrix, made straight from its list)."""
    return tuple(zip(*[iter(values)] * width, strict=True))  # consecutive runs of `width`


def unwrap(value: Array, levels: int) -> Array:
    """Drop `levels` leading singleton axes (an answer shown in the shape the problem used)."""
    for _ in range(levels):
        value = value[0]
    return value

"""The windows of a pooling layer's shape: K x K at stride S, without padding, as indices into a channel flattened
row by row; worked out once per shape and shared by every variant of it (pooling.py's passes read them)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from operator import itemgetter
from typing import Any


def output_shape(height: int, width: int, size: int, stride: int) -> tuple[int, int]:
    """The number of whole windows down and across: floor((H - K) / S) + 1."""
    return (height - size) // stride + 1, (width - size) // stride + 1


@dataclass(frozen=True)
class Table:
    """The windows of one layer shape, as indices into a channel flattened row by row (the same for every
    variant of the shape: built once)."""

    width: int
    out_shape: tuple[int, int]
    cells: tuple[tuple[int, ...], ...]  # each window's entries in row-major order, windows in row-major order
    backwards: tuple[tuple[int, ...], ...]  # each window's entries last first (where its last maximum is found first)
    origins: tuple[tuple[int, int], ...]  # each window's top-left [row, column]
    readers: tuple[Callable[[Any], tuple[Any, ...]], ...]  # each window's values from a flat channel, as a tuple
    disjoint: bool  # no two windows share an entry (stride >= size): each entry of e(l-1) gets one term at most


@lru_cache(maxsize=64)
def table(height: int, width: int, size: int, stride: int) -> Table:
    rows, cols = output_shape(height, width, size, stride)
    origins = tuple((stride * i, stride * j) for i in range(rows) for j in range(cols))
    cells = tuple(
        tuple((top + u) * width + left + v for u in range(size) for v in range(size)) for top, left in origins
    )
    readers = tuple(itemgetter(*window) if len(window) > 1 else _one(window[0]) for window in cells)
    backwards = tuple(window[::-1] for window in cells)
    return Table(width, (rows, cols), cells, backwards, origins, readers, stride >= size)


def _one(at: int) -> Callable[[Any], tuple[Any, ...]]:
    """A 1 x 1 window's reader (itemgetter of one index gives the value, not a tuple)."""
    return lambda values: (values[at],)

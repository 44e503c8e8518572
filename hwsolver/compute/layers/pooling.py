"""Max and average pooling, forward and backward, exact unit by unit and vectorized in NumPy.

Windows are K x K at stride S, without padding, over each channel separately. Max pooling routes a window's
error to the entry that held its maximum, the first one in row-major order when several tie; average pooling
spreads it evenly (divided by K*K). Overlapping windows add their contributions. Positions (argmax) are
[row, column] inside the channel, counted from 0 like every index in these kinds. The vectorized pass, with one
of its `Slips` switched, is the same pass as a student making that classic mistake computes it (the grader's
mutants).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property, lru_cache
from typing import Any

import numpy as np

from hwsolver.compute.layers.arrays import Array, from_numpy

POOLS = ("max", "average")


@dataclass(frozen=True)
class PoolLayer:
    """A pooling layer, its input and the error arriving from above; arrays kept in the shape the problem used."""

    input: Array  # H x W or C x H x W
    pool: str
    size: int
    stride: int
    upstream: Array  # dL/d(output): the output's shape

    @cached_property
    def channels(self) -> bool:
        return isinstance(self.input[0][0], tuple)

    @cached_property
    def x3(self) -> Array:
        return self.input if self.channels else (self.input,)

    @cached_property
    def e3(self) -> Array:
        return self.upstream if self.channels else (self.upstream,)

    @cached_property
    def out_shape(self) -> tuple[int, int]:
        return output_shape(len(self.x3[0]), len(self.x3[0][0]), self.size, self.stride)

    @cached_property
    def floats(self) -> tuple[np.ndarray, np.ndarray]:
        """The input and the upstream error as read-only float64 arrays (C x H x W, C x H' x W'), converted once:
        the grader's mutants and follow-through read them again and again."""
        x, e = np.array(self.x3, dtype=float), np.array(self.e3, dtype=float)
        x.flags.writeable = e.flags.writeable = False
        return x, e

    @cached_property
    def windows(self) -> np.ndarray:
        """(C, H', W', K*K): each window's entries in row-major order, gathered once per layer (every slip's pass
        reads them) through the index table of the layer's shape."""
        x = self.floats[0]
        index = _window_index(x.shape[1], x.shape[2], self.size, self.stride)
        found = x.reshape(len(x), -1)[:, index].reshape(len(x), *self.out_shape, self.size * self.size)
        found.flags.writeable = False
        return found


@lru_cache(maxsize=64)
def _window_index(height: int, width: int, size: int, stride: int) -> np.ndarray:
    """(H'*W', K*K): where each window's entries sit in the flattened H x W input (the same for every variant)."""
    rows, cols = output_shape(height, width, size, stride)
    top = stride * np.arange(rows)[:, None, None, None] + np.arange(size)[None, None, :, None]
    left = stride * np.arange(cols)[None, :, None, None] + np.arange(size)[None, None, None, :]
    index = (top * width + left).reshape(rows * cols, size * size)
    index.flags.writeable = False
    return index


def output_shape(height: int, width: int, size: int, stride: int) -> tuple[int, int]:
    """The number of whole windows down and across: floor((H - K) / S) + 1."""
    return (height - size) // stride + 1, (width - size) // stride + 1


@dataclass(frozen=True)
class Backward:
    """Output, e(l-1) and, for max pooling, each window's routed [row, column] (canonical C x ... shapes)."""

    output: Array
    delta_prev: Array
    argmax: Array | None


# 0 in the exact types, as 0 * v gives it (a Fraction times 0 is a Fraction, an int an int): made once, not for
# every entry of every variant; other types (a float's zero may be -0.0) are multiplied out.
_ZEROS: dict[type, Any] = {int: 0, Fraction: Fraction(0)}


def _plus(total: Any, term: Any) -> Any:
    """total + term; where total is an exact 0 of term's own type, term itself (the same number, the same type:
    most positions get one term, and a Fraction's sum reduces it again)."""
    if type(total) is type(term) and type(total) in _ZEROS and not total:
        return term
    return total + term


def backward(layer: PoolLayer) -> Backward:
    """Both passes in exact numbers, one window at a time."""
    k, s = layer.size, layer.stride
    rows, cols = layer.out_shape
    outputs, deltas, routes = [], [], []
    for x, e in zip(layer.x3, layer.e3, strict=True):
        delta: list[list[Any]] = [[_ZEROS[type(v)] if type(v) in _ZEROS else 0 * v for v in row] for row in x]
        out_plane, route_plane = [], []
        for i in range(rows):
            out_row, route_row = [], []
            for j in range(cols):
                cells = [(s * i + u, s * j + v) for u in range(k) for v in range(k)]  # row-major
                if layer.pool == "max":
                    best = cells[0]
                    for cell in cells[1:]:
                        if x[cell[0]][cell[1]] > x[best[0]][best[1]]:  # strict: the first maximum keeps a tie
                            best = cell
                    out_row.append(x[best[0]][best[1]])
                    route_row.append(best)
                    delta[best[0]][best[1]] = _plus(delta[best[0]][best[1]], e[i][j])
                else:
                    out_row.append(sum(x[r][c] for r, c in cells) / (k * k))
                    share = e[i][j] / (k * k)  # one division per window: each of its positions gets the same
                    for r, c in cells:
                        delta[r][c] = _plus(delta[r][c], share)
            out_plane.append(tuple(out_row))
            route_plane.append(tuple(route_row))
        outputs.append(tuple(out_plane))
        deltas.append(tuple(map(tuple, delta)))
        routes.append(tuple(route_plane))
    argmax = tuple(routes) if layer.pool == "max" else None
    return Backward(tuple(outputs), tuple(deltas), argmax)


@dataclass(frozen=True)
class Slips:
    """Switches of the vectorized pass below, each a classic mistake when flipped; the defaults compute it right."""

    divided: bool = True  # False (average pooling): each position gets the window's whole error, not e/(K*K)
    to_whole_window: bool = False  # True (max pooling): the error copied to every position of its window
    tie: str = "first"  # "last": a tied window's error goes to its last maximum in row-major order
    positions: str = "input"  # argmax counted "input" (from 0 in the whole input), "one_based", or "window"


RIGHT = Slips()


class Vectorized:
    """Both passes in float64 over all windows at once (the second witness), each part worked out when first read
    (a mutant reads one or two); with `slips`, as a student making those mistakes computes them."""

    def __init__(self, layer: PoolLayer, slips: Slips = RIGHT) -> None:
        self.layer, self.slips = layer, slips
        self.x, self.e = layer.floats

    @cached_property
    def positions(self) -> Array:
        """Each window's maximum as [row, column] in its channel, (C, H', W', 2): the first in row-major order on
        a tie (NumPy's argmax), or with slips.tie == "last" the last."""
        k, s = self.layer.size, self.layer.stride
        rows, cols = self.layer.out_shape
        flat = self.layer.windows
        # argmax of the reversed window finds the last maximum.
        index = k * k - 1 - flat[..., ::-1].argmax(axis=-1) if self.slips.tie == "last" else flat.argmax(axis=-1)
        found = np.empty((*index.shape, 2), dtype=index.dtype)
        found[..., 0] = s * np.arange(rows)[:, None] + index // k
        found[..., 1] = s * np.arange(cols)[None, :] + index % k
        return found

    @cached_property
    def output(self) -> Array:
        reduce = np.mean if self.layer.pool == "average" else np.max
        return from_numpy(reduce(self.layer.windows, axis=-1))

    @cached_property
    def delta_prev(self) -> Array:
        layer, slips, e = self.layer, self.slips, self.e
        if layer.pool == "max" and not slips.to_whole_window:
            return from_numpy(routed(layer, self.positions))
        k, s = layer.size, layer.stride
        rows, cols = layer.out_shape
        share = e / (k * k) if layer.pool == "average" and slips.divided else e
        delta = np.zeros_like(self.x)
        # Each window offset (u, v) touches a strided grid of inputs; adding grid by grid sums overlaps.
        for u in range(k):
            for v in range(k):
                delta[:, u : u + s * (rows - 1) + 1 : s, v : v + s * (cols - 1) + 1 : s] += share
        return from_numpy(delta)

    @cached_property
    def argmax(self) -> Array | None:
        if self.layer.pool != "max":
            return None
        positions = self.positions
        if self.slips.positions == "one_based":
            positions = positions + 1
        elif self.slips.positions == "window":
            positions = positions - origins(self.layer)
        return from_numpy(positions)


def backward_vectorized(layer: PoolLayer, slips: Slips = RIGHT) -> Vectorized:
    """Both passes in float64 over all windows at once (the second witness), read like Backward."""
    return Vectorized(layer, slips)


def maxima(layer: PoolLayer) -> Array:
    """Each window's first maximum as [row, column] in its channel, shape (C, H', W', 2)."""
    return Vectorized(layer).positions


def origins(layer: PoolLayer) -> Array:
    """Each window's top-left [row, column], broadcast like `maxima`."""
    return _origins(*layer.out_shape, layer.stride)


@lru_cache(maxsize=64)
def _origins(rows: int, cols: int, stride: int) -> Array:
    grid = np.stack(np.meshgrid(np.arange(rows), np.arange(cols), indexing="ij"), axis=-1)
    found = stride * grid[None]
    found.flags.writeable = False  # one per shape, shared by every variant
    return found


def routed(layer: PoolLayer, positions: Array) -> Array:
    """e(l-1) with each window's error added at its [row, column] in `positions` (IndexError past the input)."""
    x, e = layer.floats
    top, left = positions[..., 0], positions[..., 1]
    delta = np.zeros_like(x)
    channel = np.broadcast_to(np.arange(x.shape[0])[:, None, None], top.shape)
    np.add.at(delta, (channel, top, left), e)
    return delta

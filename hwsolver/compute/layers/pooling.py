"""Max and average pooling, forward and backward, exact unit by unit and vectorized in NumPy.

Windows are K x K at stride S, without padding, over each channel separately. Max pooling routes a window's
error to the entry that held its maximum, the first one in row-major order when several tie; average pooling
spreads it evenly (divided by K*K). Overlapping windows add their contributions. Positions (argmax) are
[row, column] inside the channel, counted from 0 like every index in these kinds.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

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

    @property
    def channels(self) -> bool:
        return isinstance(self.input[0][0], tuple)

    @property
    def x3(self) -> Array:
        return self.input if self.channels else (self.input,)

    @property
    def e3(self) -> Array:
        return self.upstream if self.channels else (self.upstream,)

    @property
    def out_shape(self) -> tuple[int, int]:
        return output_shape(len(self.x3[0]), len(self.x3[0][0]), self.size, self.stride)


def output_shape(height: int, width: int, size: int, stride: int) -> tuple[int, int]:
    """The number of whole windows down and across: floor((H - K) / S) + 1."""
    return (height - size) // stride + 1, (width - size) // stride + 1


@dataclass(frozen=True)
class Backward:
    """Output, e(l-1) and, for max pooling, each window's routed [row, column] (canonical C x ... shapes)."""

    output: Array
    delta_prev: Array
    argmax: Array | None


def backward(layer: PoolLayer) -> Backward:
    """Both passes in exact numbers, one window at a time."""
    k, s = layer.size, layer.stride
    rows, cols = layer.out_shape
    outputs, deltas, routes = [], [], []
    for x, e in zip(layer.x3, layer.e3, strict=True):
        delta: list[list[Any]] = [[0 * v for v in row] for row in x]
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
                    delta[best[0]][best[1]] += e[i][j]
                else:
                    out_row.append(sum(x[r][c] for r, c in cells) / (k * k))
                    for r, c in cells:
                        delta[r][c] += e[i][j] / (k * k)
            out_plane.append(tuple(out_row))
            route_plane.append(tuple(route_row))
        outputs.append(tuple(out_plane))
        deltas.append(tuple(map(tuple, delta)))
        routes.append(tuple(route_plane))
    argmax = tuple(routes) if layer.pool == "max" else None
    return Backward(tuple(outputs), tuple(deltas), argmax)


def backward_vectorized(layer: PoolLayer) -> Backward:
    """Both passes in float64 over all windows at once (the second witness)."""
    x = np.array(layer.x3, dtype=float)
    e = np.array(layer.e3, dtype=float)
    k, s = layer.size, layer.stride
    rows, cols = layer.out_shape
    windows = sliding_window_view(x, (k, k), axis=(1, 2))[:, ::s, ::s].reshape(*e.shape, k * k)
    delta = np.zeros_like(x)
    if layer.pool == "average":
        # Each window offset (u, v) touches a strided grid of inputs; adding grid by grid sums overlaps.
        for u in range(k):
            for v in range(k):
                delta[:, u : u + s * (rows - 1) + 1 : s, v : v + s * (cols - 1) + 1 : s] += e / (k * k)
        return Backward(from_numpy(windows.mean(axis=-1)), from_numpy(delta), None)
    flat = windows.argmax(axis=-1)  # NumPy returns the first maximum in the flattened (row-major) window
    top = s * np.arange(rows)[:, None] + flat // k
    left = s * np.arange(cols)[None, :] + flat % k
    channel = np.broadcast_to(np.arange(x.shape[0])[:, None, None], flat.shape)
    np.add.at(delta, (channel, top, left), e)
    argmax = from_numpy(np.stack([top, left], axis=-1))
    return Backward(from_numpy(windows.max(axis=-1)), from_numpy(delta), argmax)

"""Max and average pooling in float64 NumPy over all windows at once: the exact pass's second witness
(pooling.py), and the routing the grader's follow-through and checks run on float arrays."""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from hwsolver.compute.layers.arrays import Array, from_numpy
from hwsolver.compute.layers.pooling import PoolLayer, output_shape
from hwsolver.memo import cached


@lru_cache(maxsize=64)
def _window_index(height: int, width: int, size: int, stride: int) -> np.ndarray:
    """(H'*W', K*K): where each window's entries sit in the flattened H x W input (the same for every variant)."""
    rows, cols = output_shape(height, width, size, stride)
    top = stride * np.arange(rows)[:, None, None, None] + np.arange(size)[None, None, :, None]
    left = stride * np.arange(cols)[None, :, None, None] + np.arange(size)[None, None, None, :]
    index = (top * width + left).reshape(rows * cols, size * size)
    index.flags.writeable = False
    return index


class Vectorized:
    """Both passes in float64 over all windows at once (the second witness of the exact pass), each part worked
    out when first read."""

    def __init__(self, layer: PoolLayer) -> None:
        self.layer = layer
        self.x, self.e = layer.floats

    @cached
    def windows(self) -> np.ndarray:
        """(C, H', W', K*K): each window's entries in row-major order, gathered through the index table of the
        layer's shape."""
        x, k = self.x, self.layer.size
        index = _window_index(x.shape[1], x.shape[2], k, self.layer.stride)
        found = x.reshape(len(x), -1)[:, index].reshape(len(x), *self.layer.out_shape, k * k)
        found.flags.writeable = False
        return found

    @cached
    def positions(self) -> Array:
        """Each window's first maximum (NumPy's argmax) as [row, column] in its channel, (C, H', W', 2)."""
        k, s = self.layer.size, self.layer.stride
        rows, cols = self.layer.out_shape
        index = self.windows.argmax(axis=-1)
        found = np.empty((*index.shape, 2), dtype=index.dtype)
        found[..., 0] = s * np.arange(rows)[:, None] + index // k
        found[..., 1] = s * np.arange(cols)[None, :] + index % k
        return found

    @cached
    def output(self) -> Array:
        reduce = np.mean if self.layer.pool == "average" else np.max
        return from_numpy(reduce(self.windows, axis=-1))

    @cached
    def delta_prev(self) -> Array:
        layer = self.layer
        if layer.pool == "max":
            return from_numpy(routed(layer, self.positions))
        k, s = layer.size, layer.stride
        rows, cols = layer.out_shape
        delta = np.zeros_like(self.x)
        # Each window offset (u, v) touches a strided grid of inputs; adding grid by grid sums overlaps.
        for u in range(k):
            for v in range(k):
                delta[:, u : u + s * (rows - 1) + 1 : s, v : v + s * (cols - 1) + 1 : s] += self.e / (k * k)
        return from_numpy(delta)

    @cached
    def argmax(self) -> Array | None:
        return from_numpy(self.positions) if self.layer.pool == "max" else None


def backward_vectorized(layer: PoolLayer) -> Vectorized:
    """Both passes in float64 over all windows at once (the second witness), read like the exact pass."""
    return Vectorized(layer)


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

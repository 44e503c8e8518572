"""A convolution layer's float passes where grading runs them again and again (a slip's pass, rounding's re-runs,
follow-through from a student's own a(l-1)): each a gather or a scatter through index tables that depend on the
layer's shape alone, worked out once per shape and shared by every variant of that shape.

The forward pass gathers each output's window from a(l-1) (a column per output, im2col); e(l-1) scatters each
w[o,c,u,v] e(l)[o,i,j] back to where the forward pass read it, which is the full convolution with the turned
kernel. The slips (conv_vectorized.Slips) switch the kernel or the table. conv_vectorized.py, which works the
lecture's rule out on whole arrays, is the exact path's witness; the tests hold this module to it, slip by slip.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from operator import mul

import numpy as np

from hwsolver.compute.layers import conv_vectorized
from hwsolver.compute.layers.conv import ConvLayer
from hwsolver.compute.layers.conv_vectorized import RIGHT, Slips
from hwsolver.memo import cached

Array = np.ndarray


@dataclass(frozen=True)
class Routing:
    """Index tables of one layer shape; each row (c, u, v) x column (i, j), an index into a(l-1) flattened, where
    the index a(l-1).size stands for a 0 outside it (the padding, or nowhere)."""

    shape: tuple[int, int, int]  # C_in x H x W
    out_shape: tuple[int, int]  # H' x W'
    windows: Array  # where output (i, j) reads kernel entry (c, u, v): [c, S*i + u - P, S*j + v - P]
    backwards: Array  # where e(l)[i, j] lands at (c, u, v) read at the forward pass's indices: [c, S*i - u - P, ...]
    interior: Array  # C_in x H x W: 1 where the turned kernel lies wholly over the dilated e(l), else 0
    # windows, windows and backwards flattened end to end, the second and third shifted past the first's bins:
    # the turned, unturned and forward scatters of e(l) as one bincount (_scattered)
    scatters: Array
    interior_values: tuple[float, ...]  # interior's numbers in row-major order (delta_values multiplies by them)
    # (C_in*H*W) x (K*K): for one output channel, the output (i, j) whose window read each input at kernel entry
    # (u, v), as an index into e(l) flattened, H'*W' (e's appended 0) where none did: e(l-1) as a gather
    gathers: Array

    @property
    def size(self) -> int:
        """C_in * H * W, and the index of the 0 outside a(l-1)."""
        return self.shape[0] * self.shape[1] * self.shape[2]


def routing(layer: ConvLayer) -> Routing:
    """The tables of the layer's shape (worked out for its first variant only)."""
    return _tables(layer.geometry)


COUNT = {"tables": 0, "scatters": 0}  # shapes whose tables, layers whose scatters were worked out (tests count them)


@functools.lru_cache(maxsize=64)
def _tables(geometry: tuple[int, int, int, int, int, int]) -> Routing:
    COUNT["tables"] += 1
    channels, height, width, k, stride, padding = geometry
    rows = (height + 2 * padding - k) // stride + 1
    cols = (width + 2 * padding - k) // stride + 1
    c, u, v, i, j = np.ix_(range(channels), range(k), range(k), range(rows), range(cols))
    outside = channels * height * width

    def table(r: Array, s: Array) -> Array:
        inside = (r >= 0) & (r < height) & (s >= 0) & (s < width)
        flat = np.where(inside, (c * height + r) * width + s, outside)
        return flat.reshape(channels * k * k, rows * cols)

    windows = table(stride * i + u - padding, stride * j + v - padding)
    backwards = table(stride * i - u - padding, stride * j - v - padding)
    # the valid convolution's region, in the padded input's coordinates, then cropped to the input
    reached = np.zeros((height + 2 * padding, width + 2 * padding))
    reached[k - 1 : (rows - 1) * stride + 1, k - 1 : (cols - 1) * stride + 1] = 1
    cropped = reached[padding : padding + height, padding : padding + width]
    interior = np.repeat(cropped[None], channels, axis=0)
    bins = outside + 1
    scatters = np.concatenate((windows.ravel(), windows.ravel() + bins, backwards.ravel() + 2 * bins))
    for array in (windows, backwards, interior, scatters):
        array.flags.writeable = False
    gathers = np.full((outside, k * k), rows * cols)
    kernel_entry, output = np.nonzero(windows != outside)  # (each input read once at most per entry and output)
    gathers[windows[kernel_entry, output], kernel_entry % (k * k)] = output
    gathers.flags.writeable = False
    found = (windows, backwards, interior, scatters, tuple(interior.ravel().tolist()), gathers)
    return Routing((channels, height, width), (rows, cols), *found)


_ZERO = np.zeros(1)  # what a window reads outside a(l-1)


def columns(routes: Routing, a: Array) -> Array:
    """im2col: (C_in*K*K) x (H'*W'), each output's window of a(l-1) (0 in the padding)."""
    return np.concatenate((a.reshape(-1), _ZERO))[routes.windows]  # (np.append: the same, through a Python wrapper)


def forward(routes: Routing, w: Array, a: Array, bias: Array | None) -> tuple[Array, Array]:
    """z(l) = conv(a) + b (C_out x H' x W'), and the columns it read (for dL/dw)."""
    read = columns(routes, a)
    z = w.reshape(len(w), -1) @ read
    if bias is not None:
        z += bias[:, None]
    return z.reshape(len(w), *routes.out_shape), read


def grad_kernel(e: Array, read: Array, w_shape: tuple[int, ...]) -> Array:
    """dL/dw[o,c,u,v] = sum_{i,j} e(l)[o,i,j] a(l-1)[c, S*i+u-P, S*j+v-P], from forward's columns."""
    return (e.reshape(len(e), -1) @ read.T).reshape(w_shape)


def input_gradient(routes: Routing, w: Array, e: Array, slips: Slips = RIGHT) -> Array:
    """dL/da(l-1) (C_in x H x W): each w[o,c,u,v] e(l)[o,i,j] added where the forward pass read it; with `slips`,
    the kernel unturned or e(l) read at the forward pass's indices, and the border of a valid convolution left 0."""
    if slips.kernel == "unturned":
        w = w[:, :, ::-1, ::-1]
    table = routes.backwards if slips.kernel == "forward" else routes.windows
    products = w.reshape(len(w), -1).T @ e.reshape(len(e), -1)  # (C_in*K*K) x (H'*W'), summed over C_out
    size = routes.size
    grad = np.bincount(table.ravel(), weights=products.ravel(), minlength=size + 1)[:size].reshape(routes.shape)
    return grad if slips.full else grad * routes.interior


class Backward(conv_vectorized.Backward):
    """conv_vectorized.Backward with its convolutions through the layer shape's tables: the same arrays, each
    worked out when first read, with `slips` as a student making those mistakes computes them."""

    def __init__(self, layer: ConvLayer, slips: Slips = RIGHT) -> None:
        super().__init__(layer, slips)
        self.routes = routing(layer)

    @cached
    def _forward(self) -> tuple[Array, Array]:
        return forward(self.routes, self.w, self.activation, self.bias)

    @cached
    def delta_prev(self) -> Array:
        delta = _scattered(self.layer, self.routes, self.slips.kernel)
        if not self.slips.full:
            delta = delta * self.routes.interior
        return self._slope * delta if self.slips.activation_derivative else delta

    @cached
    def grad_kernel(self) -> Array:
        return grad_kernel(self.e, self._forward[1], self.w.shape)


_KERNELS = ("turned", "unturned", "forward")  # the order of Routing.scatters' tables


def _scattered(layer: ConvLayer, routes: Routing, kernel: str) -> Array:
    """input_gradient(routes, w, e, Slips(kernel=kernel)) of the layer, for every way of reading the kernel at the
    first (a wrong e(l-1) is compared with them all: its slips' and the unturned kernel's other spelling), each
    summed in input_gradient's order: the products, each table's row by row. Kept with the layer (float_work):
    the right pass, the valid region's and the one without f' scatter the same."""
    found = layer.float_work.get("scatters")
    if found is None:
        COUNT["scatters"] += 1
        _, w, e, _ = layer.floats
        rows, columns = w.reshape(len(w), -1).T, e.reshape(len(e), -1)
        turned = (rows @ columns).ravel()
        unturned = (w[:, :, ::-1, ::-1].reshape(len(w), -1).T @ columns).ravel()
        size = routes.size
        weights = np.concatenate((turned, unturned, turned))
        sums = np.bincount(routes.scatters, weights=weights, minlength=3 * (size + 1)).reshape(3, size + 1)
        layer.float_work["scatters array"] = flat = sums[:, :size]  # each kernel's in row-major order
        deltas = flat.reshape(3, *routes.shape)
        deltas.flags.writeable = False
        found = layer.float_work["scatters"] = dict(zip(_KERNELS, deltas, strict=True))
    return found[kernel]


def delta_values(layer: ConvLayer, slips: Slips = RIGHT) -> list[float]:
    """Backward(layer, slips).delta_prev's numbers in row-major order: the same products of the same floats (the
    kernel's scatter, the valid region's 0s and 1s, f'(z(l-1))), entry by entry on the layer's lists, where an array
    and a pass object per slip cost more than the numbers (a wrong e(l-1) reads three slips' and the forward
    pass's indices; the tests hold them to the pass, bit for bit)."""
    lists = layer.float_work.get("delta lists")
    if lists is None:
        routes = routing(layer)
        _scattered(layer, routes, "turned")  # every kernel's, as one array (read whole: one conversion)
        scatters = dict(zip(_KERNELS, layer.float_work["scatters array"].tolist(), strict=True))
        lists = (scatters, layer.float_units[1].ravel().tolist(), routes.interior_values)
        layer.float_work["delta lists"] = lists
    scatters, slope, interior = lists
    values = scatters[slips.kernel]
    if not slips.full:
        values = list(map(mul, values, interior))
    return list(map(mul, slope, values)) if slips.activation_derivative else list(values)


def backward(layer: ConvLayer, slips: Slips = RIGHT) -> Backward:
    """Both passes in float64 through the shape's tables; with `slips`, as a student making those mistakes."""
    return Backward(layer, slips)

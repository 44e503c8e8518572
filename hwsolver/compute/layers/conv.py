"""A convolution layer's backward pass, unit by unit, in exact arithmetic.

Convolution here is cross-correlation, as deep-learning libraries compute it:
z(l)[o,i,j] = b[o] + sum_{c,u,v} w[o,c,u,v] a(l-1)[c, S*i+u-P, S*j+v-P], with a(l-1) = f(z(l-1)) read as 0
in the padding. The backward pass is written as the textbook recursion, gathering for each unit of layer l-1
the output units its value reached. Fractions where f is rational, mpmath at 50 digits otherwise; the
vectorized path (conv_vectorized.py) is the second witness. Where every number is a Fraction the solver takes
conv_integers.py's integer sums instead, which the tests hold to these loops number for number.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import mpmath
import numpy as np

from hwsolver.compute.exact_sums import dot
from hwsolver.compute.functions import ACTIVATIONS
from hwsolver.compute.layers.arrays import Array, deep_map, float_arrays
from hwsolver.compute.networks.exact import ELEMENTWISE
from hwsolver.compute.networks.vectorized import ELEMENTWISE as FLOAT_ELEMENTWISE
from hwsolver.memo import cached
from hwsolver.numbers import PRECISION_DIGITS, high_precision


def output_shape(height: int, width: int, size: int, stride: int, padding: int) -> tuple[int, int]:
    """(H', W') = (floor((H + 2P - K) / S) + 1, likewise for W): the windows that fit, as libraries count."""
    return (height + 2 * padding - size) // stride + 1, (width + 2 * padding - size) // stride + 1


@dataclass(frozen=True)
class ConvLayer:
    """A convolution layer, its input and the error arriving from above; arrays are kept in the shape the problem used.

    A single-channel z_prev (H x W) is one input channel; a K x K kernel is one output channel, and then the
    output, the upstream error and the bias have no channel axis either.
    """

    z_prev: Array  # H x W or C_in x H x W
    activation: str
    kernel: Array  # K x K or C_out x C_in x K x K
    bias: Any  # None, a number (K x K kernel) or one number per output channel
    stride: int
    padding: int
    upstream: Array  # e(l) = dL/dz(l): the output's shape

    # What every pass reads, worked out when the layer is made (cheaper than a cached property each: a class's
    # variants each make a layer); the float arrays below, which grading alone asks for, stay cached properties.
    channels_in: bool = field(init=False, repr=False, compare=False)
    channels_out: bool = field(init=False, repr=False, compare=False)
    z3: Array = field(init=False, repr=False, compare=False)  # z_prev as C_in x H x W
    w4: Array = field(init=False, repr=False, compare=False)  # the kernel as C_out x C_in x K x K
    e3: Array = field(init=False, repr=False, compare=False)  # the upstream error as C_out x H' x W'
    size: int = field(init=False, repr=False, compare=False)  # K, the kernel's side
    out_shape: tuple[int, int] = field(init=False, repr=False, compare=False)
    # C_in, H, W, K, S, P: what the index tables of the float passes depend on (conv_routing.routing)
    geometry: tuple[int, int, int, int, int, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        channels_in, channels_out = isinstance(self.z_prev[0][0], tuple), isinstance(self.kernel[0][0], tuple)
        z3 = self.z_prev if channels_in else (self.z_prev,)
        w4 = self.kernel if channels_out else ((self.kernel,),)
        size = len(w4[0][0])
        found = {
            "channels_in": channels_in,
            "channels_out": channels_out,
            "z3": z3,
            "w4": w4,
            "e3": self.upstream if channels_out else (self.upstream,),
            "size": size,
            "out_shape": output_shape(len(z3[0]), len(z3[0][0]), size, self.stride, self.padding),
            "geometry": (len(z3), len(z3[0]), len(z3[0][0]), size, self.stride, self.padding),
        }
        self.__dict__.update(found)  # (a frozen dataclass's fields, set past its __setattr__ at once)

    @property
    def biases(self) -> tuple | None:
        """One bias per output channel, or None."""
        if self.bias is None:
            return None
        return self.bias if self.channels_out else (self.bias,)

    @property
    def rational(self) -> bool:
        return ACTIVATIONS[self.activation].rational

    @cached
    def floats(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray | None]:
        """z(l-1), w, e(l) and b as read-only float64 arrays in canonical shapes (every channel axis), converted
        once: the float pass, the grader's mutants and its follow-through read them again and again."""
        if self.biases is None:
            return (*float_arrays(self.z3, self.w4, self.e3), None)
        return float_arrays(self.z3, self.w4, self.e3, self.biases)

    @cached
    def float_work(self) -> dict[str, Any]:
        """What the float passes work out once for the layer and share, by name (conv_routing's scatters of e(l)):
        kept with the layer, gone with it."""
        return {}

    @cached
    def float_units(self) -> tuple[np.ndarray, np.ndarray]:
        """a(l-1) = f(z(l-1)) and f'(z(l-1)) in float64 (read-only), worked out once: every float pass of the
        layer reads them (each slip's, the witness's)."""
        f, fprime = FLOAT_ELEMENTWISE[self.activation]
        z = self.floats[0]
        a = f(z)
        slope = fprime(z, a)
        a.flags.writeable = slope.flags.writeable = False
        return a, slope


@dataclass(frozen=True)
class Backward:
    """Both passes in canonical shapes: a(l-1), f'(z(l-1)), z(l), e(l-1), dL/dw and dL/db (None without b)."""

    activation: Array
    fprime: Array
    output: Array
    delta_prev: Array
    grad_kernel: Array
    grad_bias: tuple | None


def backward(layer: ConvLayer) -> Backward:
    """Forward and backward pass in exact numbers (Fractions, or mpmath where f is transcendental)."""
    with mpmath.workdps(PRECISION_DIGITS):
        convert = (lambda v: v) if layer.rational else high_precision
        z, w, e = (deep_map(convert, t) for t in (layer.z3, layer.w4, layer.e3))
        bias = deep_map(convert, layer.biases) if layer.biases is not None else None
        f, fprime = ELEMENTWISE[layer.activation]
        a = tuple(tuple(tuple(f(v) for v in row) for row in channel) for channel in z)
        slope = tuple(
            tuple(tuple(fprime(zv, av) for zv, av in zip(zr, ar, strict=True)) for zr, ar in zip(zc, ac, strict=True))
            for zc, ac in zip(z, a, strict=True)
        )
        zero = 0 * z[0][0][0]
        return Backward(
            activation=a,
            fprime=slope,
            output=_forward(layer, a, w, bias, zero),
            delta_prev=_delta_prev(layer, slope, w, e, zero),
            grad_kernel=_grad_kernel(layer, a, e, zero),
            grad_bias=tuple(sum(v for row in channel for v in row) for channel in e) if bias is not None else None,
        )


def _read(a: Array, c: int, r: int, s: int, zero: Any) -> Any:
    """a[c][r][s], or 0 in the zero padding around it."""
    return a[c][r][s] if 0 <= r < len(a[0]) and 0 <= s < len(a[0][0]) else zero


def _forward(layer: ConvLayer, a: Array, w: Array, bias: tuple | None, zero: Any) -> Array:
    k, s, p = layer.size, layer.stride, layer.padding
    rows, cols = layer.out_shape
    return tuple(
        tuple(
            tuple(
                dot(
                    (
                        (w[o][c][u][v], _read(a, c, s * i + u - p, s * j + v - p, zero))
                        for c in range(len(a))
                        for u in range(k)
                        for v in range(k)
                    ),
                    bias[o] if bias is not None else zero,
                )
                for j in range(cols)
            )
            for i in range(rows)
        )
        for o in range(len(w))
    )


def _source(index: int, offset: int, layer: ConvLayer, limit: int) -> int | None:
    """The output position i with S*i + offset - P == index (its window held `index` at `offset`), if any."""
    i, rest = divmod(index + layer.padding - offset, layer.stride)
    return i if rest == 0 and 0 <= i < limit else None


def _delta_prev(layer: ConvLayer, slope: Array, w: Array, e: Array, zero: Any) -> Array:
    """e(l-1)[c,r,s] = f'(z(l-1)[c,r,s]) * sum over the units (o,i,j) of layer l that read a(l-1)[c,r,s]."""
    k = layer.size
    rows, cols = layer.out_shape
    delta = []
    for c, channel in enumerate(slope):
        plane = []
        for r, row in enumerate(channel):
            values = []
            for s_, fp in enumerate(row):
                pairs = []
                for o in range(len(w)):
                    for u in range(k):
                        i = _source(r, u, layer, rows)
                        if i is None:
                            continue
                        for v in range(k):
                            j = _source(s_, v, layer, cols)
                            if j is not None:
                                pairs.append((w[o][c][u][v], e[o][i][j]))
                values.append(fp * dot(pairs, zero))
            plane.append(tuple(values))
        delta.append(tuple(plane))
    return tuple(delta)


def _grad_kernel(layer: ConvLayer, a: Array, e: Array, zero: Any) -> Array:
    """dL/dw[o,c,u,v] = sum_{i,j} e(l)[o,i,j] * a(l-1)[c, S*i+u-P, S*j+v-P]."""
    k, s, p = layer.size, layer.stride, layer.padding
    return tuple(
        tuple(
            tuple(
                tuple(
                    dot(
                        (
                            (e[o][i][j], _read(a, c, s * i + u - p, s * j + v - p, zero))
                            for i in range(len(e[0]))
                            for j in range(len(e[0][0]))
                        ),
                        zero,
                    )
                    for v in range(k)
                )
                for u in range(k)
            )
            for c in range(len(a))
        )
        for o in range(len(e))
    )


def rot180(kernel: Array) -> Array:
    """Each K x K slice of the kernel turned by 180 degrees (rows and columns reversed)."""
    if isinstance(kernel[0][0], tuple):
        return tuple(rot180(part) for part in kernel)
    return tuple(tuple(reversed(row)) for row in reversed(kernel))

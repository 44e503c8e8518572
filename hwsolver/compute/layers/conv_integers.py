"""A convolution layer's exact passes in integers, where every number is a Fraction (decimals, a rational f).

Each array is scaled to integers over one common denominator (its entries' least common multiple); every sum
of products is then taken in Python integers through the index tables of the layer's shape (conv_routing.py),
as one object-array product, and each result is made a Fraction once (reduced once: the same Fraction, and of
the same type, as conv.py's loops give). Anything else (an int where a Fraction would be, a transcendental f
at 50 digits) goes to conv.py's loops, which the tests hold this to, number for number. A class's variants (one
channel in and out, no bias, ReLU) take `single`, the same sums without the channel axes and the general case's
checks, which the tests hold to the loops too.
"""

from __future__ import annotations

from fractions import Fraction
from itertools import chain
from operator import mul
from typing import Any, NamedTuple

import numpy as np

from hwsolver.compute.exact_sums import fraction, fractions, scaled
from hwsolver.compute.layers import conv
from hwsolver.compute.layers.arrays import rows
from hwsolver.compute.layers.conv import Backward, ConvLayer
from hwsolver.compute.layers.conv_routing import routing
from hwsolver.compute.networks.exact import ELEMENTWISE
from hwsolver.compute.networks.exact_numbers import ZERO
from hwsolver.memo import Bounded


def backward(layer: ConvLayer) -> Backward:
    """conv.backward(layer), in integers where every z, a and e is a Fraction (then every answer is one too)."""
    z, w, e = _flat3(layer.z3), [v for c_out in layer.w4 for c in c_out for row in c for v in row], _flat3(layer.e3)
    bias = list(layer.biases) if layer.biases is not None else None
    if not layer.rational or not _all(z + e, _FRACTION) or not _all(w + (bias or []), _EXACT):
        return conv.backward(layer)
    a, slope = _relu(z) if layer.activation == "relu" else _units(layer.activation, z)
    if not _all(a, _FRACTION) or not _all(slope, _EXACT):
        return conv.backward(layer)
    w = [v if type(v) is Fraction else Fraction(v) for v in w]  # (an int in a kernel written by hand)
    routes = routing(layer)
    c_out, c_in, k = len(layer.w4), len(layer.z3), layer.size
    (a_int, a_den), (w_int, w_den), (e_int, e_den) = scaled(a), scaled(w), scaled(e)
    # Machine integers where no sum can overflow them (a class's decimals), else Python's.
    terms = max(c_in * k * k, routes.out_shape[0] * routes.out_shape[1], c_out * k * k)
    small = max(map(abs, chain(a_int, w_int, e_int))) ** 2 * terms < _INT64
    kind = np.int64 if small else object
    a_arr, w_arr, e_arr = (np.array(v, dtype=kind) for v in (a_int, w_int, e_int))
    read = np.concatenate((a_arr, np.zeros(1, dtype=kind)))[routes.windows]  # (C_in*K*K) x (H'*W'): each output's
    # window, 0 in the padding
    kernel, error = w_arr.reshape(c_out, -1), e_arr.reshape(c_out, -1)
    reached = np.zeros(routes.size + 1, dtype=kind)  # what each input sent to the outputs it reached, then back
    np.add.at(reached, routes.windows.ravel(), (kernel.T @ error).ravel())
    out, back, grad = (kernel @ read).ravel().tolist(), reached[:-1].tolist(), (error @ read.T).ravel().tolist()
    shape, out_shape = routes.shape, (c_out, *routes.out_shape)
    if bias is None:
        output = fractions(out, w_den * a_den)
    else:
        per = len(out) // c_out  # outputs per channel, channel by channel
        output = [_over(n, w_den * a_den, plus=bias[at // per]) for at, n in enumerate(out)]
    if _all(slope, _INT):  # (relu's 0 and 1)
        delta = fractions(list(map(mul, slope, back)), w_den * e_den)
    else:
        delta = [_over(n, w_den * e_den, s) for s, n in zip(slope, back, strict=True)]
    return Backward(
        activation=_nested(a, shape),
        fprime=_nested(slope, shape),
        output=_nested(output, out_shape),
        delta_prev=_nested(delta, shape),
        grad_kernel=_nested(fractions(grad, e_den * a_den), (c_out, c_in, k, k)),
        grad_bias=tuple(sum(v for row in channel for v in row) for channel in layer.e3) if bias is not None else None,
    )


def _relu(z: list[Fraction]) -> tuple[list[Fraction], list[int]]:
    """_units for ReLU, read off each Fraction's sign (its numerator's): a = z where z > 0, else exact_numbers'
    ZERO, and f' = 1 or 0, as exact.ELEMENTWISE's relu gives them (the tests hold this to conv.py's loops), without
    a look-up per value."""
    return [v if v._numerator > 0 else ZERO for v in z], [1 if v._numerator > 0 else 0 for v in z]


class Single(NamedTuple):
    """backward's arrays for a layer of one channel in and out, in the problem's shapes (no channel axes)."""

    activation: tuple
    fprime: tuple
    output: tuple
    delta_prev: tuple
    grad_kernel: tuple


def single(layer: ConvLayer) -> Single | None:
    """backward(layer) without its channel axes, for the common shape of a class's variants: one input and one
    output channel, no bias, ReLU, every number a Fraction. The same sums in machine integers, as one matrix-vector
    product each (no channel to sum over; e(l-1) gathered from the outputs that read each input), and each result
    made a Fraction once; None for any other layer (or numbers too large for machine integers): backward takes it."""
    if layer.activation != "relu" or layer.bias is not None or layer.channels_in or layer.channels_out:
        return None
    z, w, e = _flat3(layer.z3), [v for row in layer.kernel for v in row], _flat3(layer.e3)
    if set(map(type, chain(z, w, e))) != _FRACTION:
        return None
    a, slope = _relu(z)
    (a_int, a_den), (w_int, w_den), (e_int, e_den) = scaled(a), scaled(w), scaled(e)
    if max(map(abs, chain(a_int, w_int, e_int))) ** 2 * max(len(w), len(e)) >= _INT64:
        return None
    routes = routing(layer)
    a_arr, w_arr, e_arr = (np.array(v, dtype=np.int64) for v in (a_int, w_int, e_int))
    read = np.concatenate((a_arr, _NO_INT))[routes.windows]  # K*K x H'*W': each output's window, 0 in the padding
    back = (np.concatenate((e_arr, _NO_INT))[routes.gathers] @ w_arr).tolist()  # what each input's outputs sent back
    width, cols = routes.shape[2], routes.out_shape[1]
    return Single(
        activation=rows(a, width),
        fprime=rows(slope, width),
        output=rows(fractions((w_arr @ read).tolist(), w_den * a_den), cols),
        delta_prev=rows(fractions([n if s else 0 for s, n in zip(slope, back, strict=True)], w_den * e_den), width),
        grad_kernel=rows(fractions((read @ e_arr).tolist(), e_den * a_den), layer.size),
    )


_NO_INT = np.zeros(1, dtype=np.int64)  # what a window reads outside a(l-1)


# f(z) and f'(z) by activation and value: a class's variants draw their z from a few decimals, and comparing and
# multiplying Fractions costs more than looking them up by their integers.
_UNITS: Bounded[tuple[str, int, int], tuple[Any, Any]] = Bounded(4096)


def _units(activation: str, z: list[Fraction]) -> tuple[list[Any], list[Any]]:
    """a = f(z) and f'(z) at every unit."""
    f, fprime = ELEMENTWISE[activation]
    a, slope = [], []
    for v in z:
        key = (activation, v._numerator, v._denominator)  # (a Fraction's slots: its properties cost as much again)
        found = _UNITS.get(key)
        if found is None:
            value = f(v)
            found = _UNITS.keep(key, (value, fprime(v, value)))
        a.append(found[0])
        slope.append(found[1])
    return a, slope


def _flat3(array: Any) -> list[Any]:
    """A C x H x W array (the layer's canonical z and e) in row-major order."""
    return [v for plane in array for row in plane for v in row]


_FRACTION, _INT, _EXACT = frozenset((Fraction,)), frozenset((int,)), frozenset((int, Fraction))


def _all(values: list[Any], types: frozenset[type]) -> bool:
    """Whether every value is of one of `types` exactly (no subclass)."""
    return set(map(type, values)) <= types


_INT64 = 2**62  # a bound on a sum of products of integers that NumPy's int64 arithmetic keeps exact


def _over(numerator: int, denominator: int, times: Any = 1, plus: Any = 0) -> Fraction:
    """numerator / denominator * times + plus (times and plus: ints or Fractions) as one Fraction, reduced once."""
    if type(times) is int:  # (f' of relu: 0 or 1)
        top, bottom = numerator * times, denominator
    else:
        top, bottom = numerator * times._numerator, denominator * times._denominator
    if type(plus) is int:  # (no bias: 0)
        key = (top + plus * bottom, bottom)
    else:
        key = (top * plus._denominator + plus._numerator * bottom, bottom * plus._denominator)
    return fraction(*key)


def _nested(values: list[Any], shape: tuple[int, ...]) -> tuple:
    """A flat row-major list as nested tuples of `shape`."""
    for size in reversed(shape[1:]):
        values = list(zip(*[iter(values)] * size))  # consecutive runs of `size`: the rows, then the planes, ...
    return tuple(values)

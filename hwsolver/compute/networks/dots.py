"""Dot products of two terms in plain Python floats as NumPy's matmul sums them (small.py's): its BLAS may fuse a
multiply-add (OpenBLAS does, on a processor with FMA), which leaves a last bit of a*b + c*d other than Python's
rounding of each product and of their sum, and which product it fuses depends on the shape. How NumPy sums each
shape small.py meets is read off NumPy once, on numbers where the three ways differ."""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from fractions import Fraction
from typing import Any, NamedTuple

Dot = Callable[[float, float, float, float], float]  # (a0, w0, a1, w1) -> a0*w0 + a1*w1, summed one way

_SPLIT = 134217729.0  # 2**27 + 1: Veltkamp's splitter, a float64 into two halves of 26 bits


def fma(a: float, b: float, c: float) -> float:
    """a*b + c rounded once, as a fused multiply-add gives it. Each factor split in halves whose four products are
    exact, and math.fsum's correctly rounded sum of them and c; where a split could overflow or its products fall
    below the normal floats, in exact rationals; a factor 0, infinite or NaN, or c infinite or NaN, as IEEE has
    it (the product is then exact, or c decides: a diverged run's, matched by no answer)."""
    if 1e-100 < abs(a) < 1e100 and 1e-100 < abs(b) < 1e100 and abs(c) < 1e200:
        t = _SPLIT * a
        high_a = t - (t - a)
        low_a = a - high_a
        t = _SPLIT * b
        high_b = t - (t - b)
        low_b = b - high_b
        return math.fsum((high_a * high_b, high_a * low_b, low_a * high_b, low_a * low_b, c))
    if not (math.isfinite(a) and math.isfinite(b)) or a == 0 or b == 0:
        return a * b + c  # an infinite, NaN or zero factor: IEEE's product is the exact one
    if not math.isfinite(c):
        return c  # added to a finite product (which, fused, never overflows)
    exact = Fraction(a) * Fraction(b) + Fraction(c)
    if not exact:
        return a * b + c  # c = -a*b exactly: 0.0, as IEEE rounds an exact cancellation
    try:
        return float(exact)
    except OverflowError:
        return math.inf if exact > 0 else -math.inf


def plain(a0: float, w0: float, a1: float, w1: float) -> float:
    return a0 * w0 + a1 * w1


def fused_first(a0: float, w0: float, a1: float, w1: float) -> float:
    return fma(a0, w0, a1 * w1)


def fused_last(a0: float, w0: float, a1: float, w1: float) -> float:
    return fma(a1, w1, a0 * w0)


class Orders(NamedTuple):
    """How NumPy sums a dot product of two terms in each shape small.py meets (a row of a layer's inputs times a
    matrix's transpose; the error of a layer sent down through its weights)."""

    up_two: Dot  # (1, 2) @ (2, 2).T: a layer of two units with two inputs
    up_one: Dot  # (1, 2) @ (1, 2).T: a layer of one unit with two inputs
    down_two: Dot  # (1, 2) @ (2, 2): the error of two units sent down to two
    down_one: Dot  # (1, 2) @ (2, 1): the error of two units sent down to one


# a0*w0 + a1*w1 is 0 exactly, and each way of summing it leaves another residue of its roundings: plain 0.0,
# fused_first 1.06e-17, fused_last -1.06e-17 (and likewise the second probe)
PROBES = ((2 / 3, 5 / 7, -1 / 3, 10 / 7), (5 / 9, 1 / 7, -2 / 7, 5 / 18))
_WAYS = (plain, fused_first, fused_last)


@functools.cache
def orders() -> Orders | None:
    """NumPy's way of summing each shape, read off its matmuls of the probes (a matrix alone and stacked copies,
    as a grader's slips are trained); None when NumPy sums some shape none of the three ways, or not the same way
    on every probe and stacking (the small path is then not taken)."""
    import numpy as np

    def way(row: Callable[[float, float], list[list[float]]], transposed: bool) -> Dot | None:
        ways = set(_WAYS)
        for a0, w0, a1, w1 in PROBES:
            left, matrix = np.array([[a0, a1]]), np.array(row(w0, w1))
            right, pair = (matrix, np.stack([matrix, matrix]))
            if transposed:  # a layer's weights, read through their transpose (vectorized._t)
                right, pair = right.swapaxes(-1, -2), pair.swapaxes(-1, -2)
            both = np.stack([left, left])
            sums = set((left @ right).ravel().tolist())
            for got in (both @ pair, left @ pair, both @ right):
                sums.update(got.ravel().tolist())
            ways = {w for w in ways if {w(a0, w0, a1, w1)} == sums}
        return ways.pop() if len(ways) == 1 else None

    found = (
        way(lambda w0, w1: [[w0, w1], [w0, w1]], True),
        way(lambda w0, w1: [[w0, w1]], True),
        way(lambda w0, w1: [[w0, w0], [w1, w1]], False),
        way(lambda w0, w1: [[w0], [w1]], False),
    )
    if None in found or not _from_zero(np):
        return None
    return Orders(*found)  # type: ignore[arg-type]


def _from_zero(np: Any) -> bool:
    """Whether NumPy's matmul sums from 0.0 in the shapes small.py meets, alone and stacked: products that are all
    -0.0 sum to 0.0 (small.py adds 0.0 to each sum and each lone product as BLAS does); and so does its sum over the
    samples (a bias's gradient: NumPy's maintainers have thought of starting sums from -0.0)."""
    cases = [
        (np.array([[-0.0, -0.0]]), np.ones((2, 2))),  # two terms
        (np.array([[-0.0, -0.0]]), np.ones((2, 1))),
        (np.array([[-0.0]]), np.ones((1, 2))),  # one product alone
        (np.array([[-0.0], [-0.0]]), np.ones((1, 2))),  # an error times a layer's input (its gradient)
    ]
    products = any(
        np.signbit(left @ right).any() or np.signbit(np.stack([left, left]) @ np.stack([right, right])).any()
        for left, right in cases
    )
    column = np.array([[-0.0, -0.0]])  # one sample's error terms
    sums = np.signbit(column.sum(axis=-2)).any() or np.signbit(np.stack([column, column]).sum(axis=-2)).any()
    return not (products or sums)

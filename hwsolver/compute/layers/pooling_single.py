"""The exact pass for the common shape of a class's pooling variants: one channel, windows that share no entry
(stride >= size), every number a Fraction. Each answer is made straight from the windows in the problem's shape,
without the general pass's channels, slips and _plus (pooling.Exact, which the tests hold this to, Fraction for
Fraction); any other layer is left to it."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from hwsolver.compute.exact_sums import fraction
from hwsolver.compute.layers.arrays import rows
from hwsolver.compute.layers.pooling import PoolLayer

_ZERO, _FRACTION = Fraction(0), {Fraction}


def single(layer: PoolLayer) -> dict[str, Any] | None:
    """The answers by part (output, argmax for max pooling, delta_prev: the kind's order), or None for a layer of
    another shape or other numbers."""
    if layer.channels or not layer.table.disjoint:
        return None
    (x,), (e,), (integers,) = layer.flat_x, layer.flat_e, layer.scaled_x  # (scaled_x: None unless all Fractions)
    if integers is None or set(map(type, e)) != _FRACTION:
        return None
    table = layer.table
    width, cols = table.width, layer.out_shape[1]
    delta = [_ZERO] * len(x)  # each entry reached once at most: 0, or the one term routed to it
    if layer.pool == "max":
        (firsts,) = layer.first_maxima  # (kept with the layer: its slips read them)
        for at, error in zip(firsts, e, strict=True):
            delta[at] = error
        return {
            "output": rows([x[at] for at in firsts], cols),
            "argmax": rows([divmod(at, width) for at in firsts], cols),
            "delta_prev": rows(delta, width),
        }
    area = layer.size * layer.size
    ints, common = integers
    output = [fraction(sum(ints[at] for at in cells), common * area) for cells in table.cells]  # reduced once
    for cells, error in zip(table.cells, e, strict=True):
        share = fraction(error._numerator, error._denominator * area)  # e / (K*K), one division per window
        for at in cells:
            delta[at] = share
    return {"output": rows(output, cols), "delta_prev": rows(delta, width)}

"""Max and average pooling, forward and backward, exact unit by unit and vectorized in NumPy.

Windows are K x K at stride S, without padding, over each channel separately. Max pooling routes a window's
error to the entry that held its maximum, the first one in row-major order when several tie; average pooling
spreads it evenly (divided by K*K). Overlapping windows add their contributions. Positions (argmax) are
[row, column] inside the channel, counted from 0 like every index in these kinds. The exact pass, with one of
its `Slips` switched, is the same pass as a student making that classic mistake computes it (the grader's
mutants); the vectorized one is its second witness.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from itertools import chain
from typing import Any

import numpy as np

from hwsolver.compute.exact_sums import fraction, scaled
from hwsolver.compute.layers.arrays import Array, float_arrays, rows
from hwsolver.compute.layers.pooling_windows import Table, table
from hwsolver.compute.layers.pooling_windows import output_shape as output_shape  # (read from here too)
from hwsolver.memo import cached

POOLS = ("max", "average")


@dataclass(frozen=True)
class PoolLayer:
    """A pooling layer, its input and the error arriving from above; arrays kept in the shape the problem used."""

    input: Array  # H x W or C x H x W
    pool: str
    size: int
    stride: int
    upstream: Array  # dL/d(output): the output's shape

    # What every pass reads, worked out when the layer is made (cheaper than a cached property each).
    channels: bool = field(init=False, repr=False, compare=False)
    x3: Array = field(init=False, repr=False, compare=False)
    e3: Array = field(init=False, repr=False, compare=False)
    out_shape: tuple[int, int] = field(init=False, repr=False, compare=False)
    table: Table = field(init=False, repr=False, compare=False)
    flat_x: tuple[tuple[Any, ...], ...] = field(init=False, repr=False, compare=False)  # each channel row by row
    flat_e: tuple[tuple[Any, ...], ...] = field(init=False, repr=False, compare=False)  # one per window

    def __post_init__(self) -> None:
        channels = isinstance(self.input[0][0], tuple)
        x3 = self.input if channels else (self.input,)
        e3 = self.upstream if channels else (self.upstream,)
        shape = table(len(x3[0]), len(x3[0][0]), self.size, self.stride)
        found = {
            "channels": channels,
            "x3": x3,
            "e3": e3,
            "out_shape": shape.out_shape,
            "table": shape,
            "flat_x": tuple(tuple(chain.from_iterable(x)) for x in x3),
            "flat_e": tuple(tuple(chain.from_iterable(e)) for e in e3),
        }
        self.__dict__.update(found)  # (a frozen dataclass's fields, set past its __setattr__ at once)

    @cached
    def scaled_x(self) -> tuple[tuple[list[int], int] | None, ...]:
        """Each channel of flat_x as integers over a common denominator (None where not every entry is a Fraction):
        the averages' sums."""
        return tuple(_scaled(x) for x in self.flat_x)

    @cached
    def _first(self) -> tuple[tuple[tuple[int, ...], ...], bool]:
        return _first_maxima(self)

    @property
    def first_maxima(self) -> tuple[tuple[int, ...], ...]:
        """Each window's first maximum in row-major order, per channel, as an index into flat_x (found once per
        layer: the solution and its slips read them)."""
        return self._first[0]

    @property
    def ties(self) -> bool:
        """Whether some window holds its maximum more than once (found with the first maxima): only then does the
        last maximum differ from the first, and the slip that routes there show."""
        return self._first[1]

    @cached
    def last_maxima(self) -> tuple[tuple[int, ...], ...]:
        """Each window's last maximum in row-major order (a classic slip routes a tie there)."""
        return _maxima(self, last=True)

    @cached
    def floats(self) -> tuple[np.ndarray, np.ndarray]:
        """The input and the upstream error as read-only float64 arrays (C x H x W, C x H' x W'), converted once:
        the grader's follow-through reads them again and again."""
        return float_arrays(self.x3, self.e3)


@dataclass(frozen=True)
class Slips:
    """Switches of the exact pass below, each a classic mistake when flipped; the defaults compute it right."""

    divided: bool = True  # False (average pooling): each position gets the window's whole error, not e/(K*K)
    to_whole_window: bool = False  # True (max pooling): the error copied to every position of its window
    tie: str = "first"  # "last": a tied window's error goes to its last maximum in row-major order
    positions: str = "input"  # argmax counted "input" (from 0 in the whole input), "one_based", or "window"


RIGHT = Slips()


# 0 in the exact types, as 0 * v gives it (a Fraction times 0 is a Fraction, an int an int): made once, not for
# every entry of every variant; other types (a float's zero may be -0.0) are multiplied out.
_ZEROS: dict[type, Any] = {int: 0, Fraction: Fraction(0)}
_FRACTION = {Fraction}  # the types of a channel's numbers when every one is a Fraction


def _plus(total: Any, term: Any) -> Any:
    """total + term; where total is an exact 0 of term's own type, term itself (the same number, the same type:
    most positions get one term, and a Fraction's sum reduces it again)."""
    if type(total) is type(term) and type(total) in _ZEROS and not total:
        return term
    return total + term


def _scaled(values: tuple[Any, ...]) -> tuple[list[int], int] | None:
    """exact_sums.scaled(values), None unless every value is a Fraction."""
    return scaled(values) if set(map(type, values)) == _FRACTION else None


def _first_maxima(layer: PoolLayer) -> tuple[tuple[tuple[int, ...], ...], bool]:
    """Each channel's window maxima as flat indices, the first in row-major order on a tie, and whether any window
    ties: each window's values read at once (Table.readers), its maximum found among them, then where it first
    stands and whether it stands twice. Compared as the channel's integers over one denominator where every entry
    is a Fraction, as _maxima does."""
    found, ties = [], False
    table = layer.table
    for x, integers in zip(layer.flat_x, layer.scaled_x, strict=True):
        values, plane = integers[0] if integers is not None else x, []
        for cells, read in zip(table.cells, table.readers, strict=True):
            window = read(values)
            top = max(window)
            plane.append(cells[window.index(top)])
            ties = ties or window.count(top) > 1
        found.append(tuple(plane))
    return tuple(found), ties


def _maxima(layer: PoolLayer, last: bool) -> tuple[tuple[int, ...], ...]:
    """Each channel's window maxima as flat indices: the first in row-major order on a tie (the tests' witness of
    first_maxima), or the last. Compared
    as the channel's integers over one denominator where every entry is a Fraction (the same order as the
    Fractions', at a fraction of a Fraction comparison's cost); max() keeps the first of equal keys, so the last
    maximum is the first of the window read backwards."""
    found = []
    for x, integers in zip(layer.flat_x, layer.scaled_x, strict=True):
        key = (integers[0] if integers is not None else x).__getitem__
        found.append(tuple(max(cells, key=key) for cells in (layer.table.backwards if last else layer.table.cells)))
    return tuple(found)


def _divided(value: Any, area: int) -> Any:
    """value / area; a Fraction's made at once (the same Fraction as its division gives)."""
    return fraction(value._numerator, value._denominator * area) if type(value) is Fraction else value / area


class Exact:
    """Both passes in exact numbers, window by window through the shape's table, each part worked out when read
    (a slip changes one or two; each is read once); with `slips`, as a student making those mistakes computes them."""

    def __init__(self, layer: PoolLayer, slips: Slips = RIGHT) -> None:
        self.layer, self.slips = layer, slips

    @property
    def _routes(self) -> tuple[tuple[int, ...], ...]:
        return self.layer.last_maxima if self.slips.tie == "last" else self.layer.first_maxima

    @property
    def output(self) -> Array:
        layer = self.layer
        cols = layer.out_shape[1]
        if layer.pool == "max":
            planes = [[x[at] for at in routes] for x, routes in zip(layer.flat_x, self._routes, strict=True)]
        else:
            area, planes = layer.size * layer.size, []
            for x, integers in zip(layer.flat_x, layer.scaled_x, strict=True):
                if integers is None:
                    planes.append([sum(x[c] for c in cells) / area for cells in layer.table.cells])
                else:  # one Fraction per window, reduced once
                    ints, common = integers
                    over = common * area
                    planes.append([fraction(sum(ints[c] for c in cells), over) for cells in layer.table.cells])
        return tuple(rows(plane, cols) for plane in planes)

    @property
    def delta_prev(self) -> Array:
        return tuple(rows(plane, self.layer.table.width) for plane in self.flat_delta)

    @cached
    def flat_delta(self) -> list[list[Any]]:
        """e(l-1), each channel row by row (a slip's layout reads it as it is)."""
        layer, slips = self.layer, self.slips
        table = layer.table
        planes = []
        routed = self._routes if layer.pool == "max" else layer.flat_x
        for x, integers, e, routes in zip(layer.flat_x, layer.scaled_x, layer.flat_e, routed, strict=True):
            if integers is not None and set(map(type, e)) == _FRACTION:  # (the spec's numbers)
                # every entry starts at Fraction(0); where windows are disjoint each gets one Fraction term at most,
                # which is what _plus gives: the term itself
                delta, once = [_ZEROS[Fraction]] * len(x), table.disjoint
            else:
                delta, once = [_ZEROS[type(v)] if type(v) in _ZEROS else 0 * v for v in x], False
            if layer.pool == "max" and not slips.to_whole_window:
                terms: Any = zip(routes, e, strict=True)
            else:
                divided = layer.pool == "average" and slips.divided
                area = layer.size * layer.size
                shares = [_divided(error, area) for error in e] if divided else e  # one division per window
                terms = ((at, share) for window, share in zip(table.cells, shares, strict=True) for at in window)
            if once:
                for at, term in terms:
                    delta[at] = term
            else:
                for at, term in terms:
                    delta[at] = _plus(delta[at], term)
            planes.append(delta)
        return planes

    @property
    def argmax(self) -> Array | None:
        cols = self.layer.out_shape[1]
        return None if self.flat_argmax is None else tuple(rows(plane, cols) for plane in self.flat_argmax)

    @cached
    def flat_argmax(self) -> list[list[tuple[int, int]]] | None:
        """Each window's [row, column] as a pair, each channel's windows in row-major order (a slip's layout reads
        them as they are); None for average pooling."""
        layer = self.layer
        if layer.pool != "max":
            return None
        width, counted = layer.table.width, self.slips.positions
        planes = []
        for routes in self._routes:
            found = [divmod(at, width) for at in routes]
            if counted == "one_based":
                found = [(r + 1, c + 1) for r, c in found]
            elif counted == "window":
                found = [(r - top, c - left) for (r, c), (top, left) in zip(found, layer.table.origins, strict=True)]
            planes.append(found)
        return planes


def backward(layer: PoolLayer, slips: Slips = RIGHT) -> Exact:
    """Both passes in exact numbers (output, delta_prev, argmax: None for average pooling; canonical C x ...
    shapes); with `slips`, as a student making those mistakes computes them."""
    return Exact(layer, slips)


def maxima(layer: PoolLayer) -> Array:
    """Each window's first maximum as [row, column] in its channel, shape (C, H', W', 2) (the exact pass's)."""
    out_rows, out_cols = layer.out_shape
    found = np.array([[divmod(at, layer.table.width) for at in routes] for routes in layer.first_maxima])
    return found.reshape(len(found), out_rows, out_cols, 2)

"""How students go wrong on a pooling_backprop problem, and what their own earlier answers imply.

Mutants redo the backward pass in float64 with one classic slip (compared within tolerance, never shown as
answers); each earns, by default, the share of the part's points in MISTAKES below (a problem's `mistake_credit`
overrides it). Follow-through for max pooling: the error routed to the student's own argmax positions.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import Any

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from hwsolver.compute.layers.arrays import from_numpy, unwrap
from hwsolver.compute.layers.pooling import PoolLayer
from hwsolver.kinds.base import Mistake
from hwsolver.kinds.pairs import merged_keywords, paired
from hwsolver.model import Mutant, Problem, Route, Solution

Array = np.ndarray
HALF = Fraction(1, 2)
MISTAKES = (
    Mistake(
        "average_not_divided",
        HALF,  # the routing is right, the scale is not
        {
            "en": "Each window's error was copied to all its positions without dividing by the window size: "
            "average pooling passes e/(K*K) to each position.",
            "zh": "每个窗口的误差被原样复制到了窗口的每个位置，没有除以窗口大小：平均池化传给每个位置的是 e/(K*K)。",
        },
    ),
    Mistake(
        "max_to_all",
        Fraction(1, 4),  # what max pooling passes back, the point of the exercise, is missed
        {
            "en": "The error was copied to every position of the window: max pooling passes a window's error only "
            "to the position of its maximum, the others get 0.",
            "zh": "误差被复制到了窗口的每个位置：最大池化只把窗口的误差传给最大值所在的位置，其余位置为 0。",
        },
    ),
    Mistake(
        "argmax_one_based",
        HALF,
        {
            "en": "The positions were counted from 1: rows and columns are counted from 0 here.",
            "zh": "位置是从 1 开始数的：本题的行和列从 0 开始计数。",
        },
    ),
    Mistake(
        "argmax_in_window",
        HALF,
        {
            "en": "The positions were given inside each window: give [row, column] in the whole input.",
            "zh": "给出的是窗口内的位置：应给出在整个输入中的 [行, 列]。",
        },
    ),
    Mistake(
        "max_last_tie",
        HALF,
        {
            "en": "A tied window routed its error to the last maximum: the first maximum in row-major order takes it.",
            "zh": "有并列最大值的窗口把误差传给了最后一个最大值：应传给按行优先顺序的第一个最大值。",
        },
    ),
)
_TABLE = {mistake.id: mistake for mistake in MISTAKES}


def _shaped(layer: PoolLayer, array: Array) -> Any:
    """Nested tuples in the shape the problem used: no channel axis for a single H x W input."""
    return unwrap(from_numpy(array), 0 if layer.channels else 1)


def _spread(layer: PoolLayer, scale: float) -> Array:
    """Every window's error times `scale` added to each of its K x K positions (overlaps add up)."""
    x, e = np.array(layer.x3, dtype=float), np.array(layer.e3, dtype=float)
    k, s = layer.size, layer.stride
    rows, cols = layer.out_shape
    delta = np.zeros_like(x)
    for i in range(rows):
        for j in range(cols):
            delta[:, s * i : s * i + k, s * j : s * j + k] += scale * e[:, i, j, None, None]
    return delta


def _positions(layer: PoolLayer, *, last: bool = False) -> Array:
    """Each window's maximum as [row, column] in its channel, shape (C, H', W', 2); first or last in a tie."""
    x = np.array(layer.x3, dtype=float)
    k, s = layer.size, layer.stride
    rows, cols = layer.out_shape
    flat = sliding_window_view(x, (k, k), axis=(1, 2))[:, ::s, ::s].reshape(x.shape[0], rows, cols, k * k)
    # argmax of the reversed window finds the last maximum in row-major order.
    index = k * k - 1 - flat[..., ::-1].argmax(axis=-1) if last else flat.argmax(axis=-1)
    top = s * np.arange(rows)[:, None] + index // k
    left = s * np.arange(cols)[None, :] + index % k
    return np.stack([top, left], axis=-1)


def _inside_windows(layer: PoolLayer, positions: Array) -> bool:
    """Whether every [row, column] lies in the window it is given for."""
    rows, cols = layer.out_shape
    top = layer.stride * np.arange(rows)[:, None]
    left = layer.stride * np.arange(cols)[None, :]
    row, col = positions[..., 0], positions[..., 1]
    return bool(((row >= top) & (row < top + layer.size) & (col >= left) & (col < left + layer.size)).all())


def _routed(layer: PoolLayer, positions: Array) -> Array:
    """e(l-1) with each window's error added at its given [row, column] (IndexError past the input's end)."""
    x, e = np.array(layer.x3, dtype=float), np.array(layer.e3, dtype=float)
    top, left = positions[..., 0], positions[..., 1]
    delta = np.zeros_like(x)
    channel = np.broadcast_to(np.arange(x.shape[0])[:, None, None], top.shape)
    np.add.at(delta, (channel, top, left), e)
    return delta


def mutants(problem: Problem, solution: Solution) -> tuple[Mutant, ...]:
    """The classic slips on this pooling layer, each with the answers it leads to."""
    layer: PoolLayer = problem.given
    if layer.pool == "average":
        return (_mutant("average_not_divided", delta_prev=_shaped(layer, _spread(layer, 1.0))),)
    first = _positions(layer)
    found = [
        _mutant("max_to_all", delta_prev=_shaped(layer, _spread(layer, 1.0))),
        _mutant("argmax_one_based", argmax=_shaped(layer, first + 1)),
        _mutant("argmax_in_window", argmax=_shaped(layer, first - _origins(layer))),
    ]
    last = _positions(layer, last=True)
    if (last != first).any():  # only a tie makes this slip visible
        found.append(
            _mutant("max_last_tie", delta_prev=_shaped(layer, _routed(layer, last)), argmax=_shaped(layer, last))
        )
    return tuple(found)


# the slips in the positions given (argmax), as switches: counted from 1, inside the window, the last maximum
_ARGMAX_SWITCHES = (
    ("argmax_one_based", {"base": 1}),
    ("argmax_in_window", {"in_window": True}),
    ("max_last_tie", {"last": True}),
)


def pairs(problem: Problem, solution: Solution) -> tuple[Mutant, ...]:
    """Two of the slips in the positions at once (max pooling; the last maximum only where a window ties)."""
    layer: PoolLayer = problem.given
    if layer.pool != "max":
        return ()
    tie = bool((_positions(layer, last=True) != _positions(layer)).any())
    switches = [(name, slip) for name, slip in _ARGMAX_SWITCHES if name != "max_last_tie" or tie]

    def argmax(slip: dict[str, Any]) -> dict[str, Any]:
        positions = _positions(layer, last=slip.get("last", False)) + slip.get("base", 0)
        return {"argmax": _shaped(layer, positions - _origins(layer) if slip.get("in_window") else positions)}

    return paired(switches, merged_keywords, argmax)


def _mutant(mistake_id: str, **answers: Any) -> Mutant:
    mistake = _TABLE[mistake_id]
    return Mutant(mistake.id, mistake.says("en"), answers, mistake.credit)


def _origins(layer: PoolLayer) -> Array:
    """Each window's top-left [row, column], broadcast like _positions."""
    rows, cols = layer.out_shape
    grid = np.stack(np.meshgrid(np.arange(rows), np.arange(cols), indexing="ij"), axis=-1)
    return layer.stride * grid[None]


def follow_through(problem: Problem, solution: Solution) -> tuple[Route, ...]:
    """For max pooling, e(l-1) routed to the student's own argmax positions."""
    layer: PoolLayer = problem.given
    if layer.pool != "max":
        return ()
    shape = _positions(layer).shape

    def delta_prev(values: Mapping[str, Any]) -> Any:
        raw = np.array(values["argmax"], dtype=float)
        if raw.size != int(np.prod(shape)) or not np.all(raw == np.round(raw)):
            raise ValueError("positions are whole numbers, one [row, column] per window")
        positions = raw.astype(int).reshape(shape)
        if not _inside_windows(layer, positions):
            raise ValueError("a position outside its own window is not a routing, whatever it adds up to")
        return _shaped(layer, _routed(layer, positions))

    return (Route("delta_prev", ("argmax",), delta_prev, rounded=False),)


def trivial(problem: Problem, solution: Solution, part: str, value: Any) -> bool:
    """Positions at one place of every window (each window's corner, say), or e(l-1) routed so, where the maxima
    are not: a routing that ignores the input."""
    layer: PoolLayer = problem.given
    right = _positions(layer)
    if layer.pool != "max" or (right - _origins(layer) == (right - _origins(layer))[0, 0, 0]).all():
        return False  # the maxima themselves sit at one place of every window
    if part == "argmax":
        try:
            offsets = np.array(value, dtype=float).reshape(right.shape) - _origins(layer)
        except (TypeError, ValueError):
            return False
        return bool((offsets == offsets[0, 0, 0]).all())
    if part == "delta_prev":
        try:
            got = np.array(value, dtype=float)
        except (TypeError, ValueError):
            return False
        same = np.broadcast_to(_origins(layer), right.shape)
        for row, col in np.ndindex(layer.size, layer.size):
            routed = np.array(_shaped(layer, _routed(layer, same + np.array([row, col]))), dtype=float)
            if got.shape == routed.shape and np.allclose(got, routed, rtol=1e-3, atol=1e-9):
                return True
    return False

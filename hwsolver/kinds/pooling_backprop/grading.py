"""How students go wrong on a pooling_backprop problem, and what their own earlier answers imply.

Mutants are the exact pass with one classic slip switched on (SLIPS below; compared within tolerance, never
shown as answers); each earns, by default, the share of the part's points in MISTAKES below (a problem's
`mistake_credit` overrides it). Follow-through for max pooling: the error routed to the student's own argmax positions.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import Any

import numpy as np

from hwsolver.compute.closeness import allclose
from hwsolver.compute.layers.arrays import unwrap
from hwsolver.compute.layers.pooling import PoolLayer, Slips, backward, maxima
from hwsolver.compute.layers.pooling_vectorized import origins
from hwsolver.kinds.base import Mistake
from hwsolver.kinds.later import Later
from hwsolver.kinds.pairs import changed, merged_showing, paired
from hwsolver.memo import Bounded
from hwsolver.model import Mutant, Problem, Route, Solution
from hwsolver.spec.node import shape_of

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
_SAYS = {mistake.id: mistake.says("en") for mistake in MISTAKES}  # (a class's variants each make their mutants)


# The mistakes as switches of the exact pass (compute/layers/pooling.py), and the parts each shows in.
SLIPS: dict[str, tuple[Slips, tuple[str, ...]]] = {
    "average_not_divided": (Slips(divided=False), ("delta_prev",)),
    "max_to_all": (Slips(to_whole_window=True), ("delta_prev",)),
    "argmax_one_based": (Slips(positions="one_based"), ("argmax",)),
    "argmax_in_window": (Slips(positions="window"), ("argmax",)),
    "max_last_tie": (Slips(tie="last"), ("delta_prev", "argmax")),
}


def _drop(layer: PoolLayer) -> int:
    """How many leading axes answers leave out: the channel axis of a single H x W input."""
    return 0 if layer.channels else 1


def _slips(layer: PoolLayer) -> list[str]:
    """The mistakes that are switches of the pass, as this layer can make them: average pooling's one slip, or max
    pooling's others (the last maximum only where a window ties)."""
    names = [mistake_id for mistake_id in SLIPS if (mistake_id == "average_not_divided") == (layer.pool == "average")]
    if "max_last_tie" in names and not layer.ties:
        names.remove("max_last_tie")  # only a tie makes this slip visible
    return names


class _Slipped(Later):
    """The exact pass with `slips` switched: its answers to `parts`, each worked out when first read (a wrong
    answer reads the slips' answers to its own part alone). A class, not a closure per part: a class's variants
    each make their slips'."""

    __slots__ = ("layer", "result")

    def __init__(self, layer: PoolLayer, slips: Slips, parts: tuple[str, ...]) -> None:
        self.make, self.found = dict.fromkeys(parts), {}  # (Later's fields, set here: one call less per slip)
        self.layer, self.result = layer, backward(layer, slips)  # works out only the parts read

    def made(self, part: str) -> Any:
        return unwrap(getattr(self.result, part), _drop(self.layer))

    def layout(self, part: str) -> tuple[tuple[int, ...], list[float]] | None:
        """The slip's answer to a part it shows in, as grading lays it out: its shape and its numbers' floats in
        row-major order (what checkers.layout makes of it as floats, without the nested floats); None for another
        part."""
        if part not in self.make:
            return None
        # the numbers as the pass leaves them, channel by channel, without nesting them first
        layer = self.layer
        if part == "argmax":  # positions: whole numbers
            shape = (len(layer.x3), *layer.out_shape, 2)[_drop(layer) :]
            return shape, [float(v) for plane in self.result.flat_argmax for pair in plane for v in pair]
        if part == "delta_prev":
            x3 = layer.x3
            shape = (len(x3), len(x3[0]), len(x3[0][0]))[_drop(layer) :]
            answer = [v for plane in self.result.flat_delta for v in plane]
        else:
            answer = self[part]
            shape = shape_of(answer)
            for _ in range(len(shape) - 1):
                answer = [item for row in answer for item in row]
        return shape, [v._numerator / v._denominator if type(v) is Fraction else float(v) for v in answer]


def mutants(problem: Problem, solution: Solution) -> tuple[Mutant, ...]:
    """The classic slips on this pooling layer, each with the answers it leads to (each worked out when read)."""
    layer: PoolLayer = problem.given
    return tuple(_mutant(mistake_id, _Slipped(layer, *SLIPS[mistake_id])) for mistake_id in _slips(layer))


def pairs(problem: Problem, solution: Solution) -> tuple[Mutant, ...]:
    """Two of the pass's slips at once, on the parts either shows in (counting positions from 1 and inside the
    window set one switch two ways: they do not pair)."""
    layer: PoolLayer = problem.given
    switches = [(mistake_id, SLIPS[mistake_id]) for mistake_id in _slips(layer)]
    return paired(switches, merged_showing, lambda slipped_in: changed(_Slipped(layer, *slipped_in), solution.answers))


def _mutant(mistake_id: str, answers: Later) -> Mutant:
    return Mutant(mistake_id, _SAYS[mistake_id], answers, _TABLE[mistake_id].credit)


def follow_through(problem: Problem, solution: Solution) -> tuple[Route, ...]:
    """For max pooling, e(l-1) routed to the student's own argmax positions."""
    layer: PoolLayer = problem.given
    if layer.pool != "max":
        return ()
    shape = (len(layer.x3), *layer.out_shape, 2)  # one [row, column] per window, as maxima(layer) gives them

    def delta_prev(values: Mapping[str, Any]) -> Any:
        raw = np.array(values["argmax"], dtype=float)
        if raw.size != int(np.prod(shape)) or not np.all(raw == np.round(raw)):
            raise ValueError("positions are whole numbers, one [row, column] per window")
        return unwrap(_routed(layer, raw.astype(int).reshape(len(layer.x3), -1, 2).tolist()), _drop(layer))

    return (Route("delta_prev", ("argmax",), delta_prev, rounded=False),)


def _routed(layer: PoolLayer, positions: list[list[list[int]]]) -> tuple:
    """e(l-1) in floats with each window's error added at its [row, column] (per channel, windows in row-major
    order), in the windows' order as routed() adds them; ValueError for a position outside its own window."""
    table, size, (x, e) = layer.table, layer.size, layer.floats
    height, width = x.shape[1:]
    planes = []
    for plane, errors in zip(positions, e.reshape(len(e), -1).tolist(), strict=True):
        delta = [0.0] * (height * width)
        for (row, col), (top, left), error in zip(plane, table.origins, errors, strict=True):
            if not (top <= row < top + size and left <= col < left + size):
                raise ValueError("a position outside its own window is not a routing, whatever it adds up to")
            delta[row * width + col] += error
        planes.append(tuple(tuple(delta[start : start + width]) for start in range(0, len(delta), width)))
    return tuple(planes)


def trivial(problem: Problem, solution: Solution, part: str, value: Any) -> bool:
    """Positions at one place of every window (each window's corner, say), or e(l-1) routed so, where the maxima
    are not: a routing that ignores the input."""
    layer: PoolLayer = problem.given
    if part == "argmax":
        corners = _fixed(layer)[1]
        if corners is None:
            return False
        try:
            offsets = np.array(value, dtype=float).reshape(corners.shape) - corners
        except (TypeError, ValueError):
            return False
        return bool((offsets == offsets[0, 0, 0]).all())
    if part == "delta_prev":
        routings = _fixed(layer, routings=True)[2]
        if not routings:
            return False
        try:
            got = np.array(value, dtype=float)
        except (TypeError, ValueError):
            return False
        return any(got.shape == slipped.shape and allclose(got, slipped, rtol=1e-3, atol=1e-9) for slipped in routings)
    return False


# by the layer's identity (hashing a layer hashes all its Fractions), the layer kept so that its id is not reused:
# its corners, and the routings to them when a wrong e(l-1) first asks (most wrong answers are positions)
_FIXED: Bounded[int, tuple[PoolLayer, Array | None, tuple[Array, ...] | None]] = Bounded(64)


def _fixed(layer: PoolLayer, routings: bool = False) -> tuple[PoolLayer, Array | None, tuple[Array, ...] | None]:
    """The layer, its _corners and (with `routings`) the _routings to them, each worked out once per layer:
    grading asks for each wrong answer."""
    found = _FIXED.get(id(layer))
    if found is None or found[0] is not layer:
        found = _FIXED.keep(id(layer), (layer, _corners(layer), None))
    if routings and found[2] is None:
        found = _FIXED.keep(id(layer), (layer, found[1], _routings(layer, found[1]) if found[1] is not None else ()))
    return found


def _corners(layer: PoolLayer) -> Array | None:
    """Each window's top-left [row, column], shaped like the maxima; None for average pooling, or where the maxima
    themselves sit at one place of every window."""
    if layer.pool != "max":
        return None  # (told before the maxima are found: average pooling's grading needs none)
    right, corners = maxima(layer), origins(layer)
    if (right - corners == (right - corners)[0, 0, 0]).all():
        return None
    return np.broadcast_to(corners, right.shape)


def _routings(layer: PoolLayer, corners: Array) -> tuple[Array, ...]:
    """e(l-1) routed to one place of every window, for each place (row-major in the window), in the answer's
    shape: routed() of each place's positions, all made by one scatter (each place's own block of the result,
    its windows' errors added in routed()'s order)."""
    places = np.array(list(np.ndindex(layer.size, layer.size)))  # P x 2
    positions = corners[None] + places[:, None, None, None, :]  # P x C x H' x W' x 2
    x, e = layer.floats
    where = positions.shape[:-1]
    place = np.broadcast_to(np.arange(len(places))[:, None, None, None], where)
    channel = np.broadcast_to(np.arange(x.shape[0])[None, :, None, None], where)
    delta = np.zeros((len(places), *x.shape))
    np.add.at(delta, (place, channel, positions[..., 0], positions[..., 1]), np.broadcast_to(e, where))
    return tuple(delta if layer.channels else delta[:, 0])

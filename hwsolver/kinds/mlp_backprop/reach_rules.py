"""The rules of an mlp_backprop chain's reach (reach.py): how far rounding the intermediate values can move each
number of the chain, bounded in one pass over the steps' values, without re-running the chain for each move.

rounding.allowances moves one number at a time to where it rounds (at `sigfigs` figures, its exact number's
rounding or that of its value worked out from rounded values, a tie either way), works the later steps out again,
keeps the farthest change of each number over one move's ends and sums those over the moves. Here, step by step, a
reach no smaller than that sum, why each rule holds:
- a step's own numbers move by at most how far each rounds: off (its exact number's distance to its rounding) plus
  the drift (how far the value worked out from rounded values may be from the exact one) where no rounding
  boundary lies within the drift, else half a unit of the largest number within the drift (`own_move`);
- what the steps before it move carries through it by the rules of its arithmetic, for each move alone and so for
  their sum: a sum moves by the sum of its terms' moves; a product a*b by |a| db + |b| da + da db (summed over the
  moves, sum(da db) <= sum(da) sum(db)); ReLU and identity by their input's move (Lipschitz 1); a squared loss
  k d**2 by k (2 |d| r + r**2); ReLU' by 1 times the error carried, for each move that may carry its input across 0
  (where |z| is within its reach; at most every number of the chain, once each: `switched`).
A reach also bounds how far the run with every value rounded may be from the exact one (the drift a value worked
out from rounded ones has): it sums each rounding's move alone, with a ReLU' flip counted for each number that
moves, where the rounded run has all the moves at once and flips once.

Plain Python floats: a relu network here is 2-3 layers of 2-3 units, where NumPy's cost is per call.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from hwsolver.compute.networks.network import Network
from hwsolver.numbers.digits import sigfig_half_unit

Rows = list[list[float]]  # a step's numbers: samples x units, or a weight matrix's rows
# the loss of one output number, k d**2 (d: the output less the target), and dLoss/da = c d, as float_losses has
# them: (k, c, whether over the output's numbers m)
LOSSES = {
    "half_squared_error": (0.5, 1.0, False),
    "squared_error": (1.0, 2.0, False),
    "mean_squared_error": (1.0, 2.0, True),
}
ACTIVATIONS = ("relu", "identity")  # Lipschitz 1, and a derivative of 1 or a step at 0


class Reached(list):
    """A step's reaches by rows, read as the chain's answers read a step's array (`tolist`), without making one."""

    def tolist(self) -> list[list[float]]:
        return self


class Start:
    """What a pass starts from: the network's numbers as Python floats (the given weights by rows, out x in;
    the inputs and targets, samples x units), whether each layer is a ReLU, each layer's learning rate (0 when
    frozen), the loss's k and c (per output number), the numbers that may move and each number's own move."""

    def __init__(self, net: Network, sigfigs: int, size: int) -> None:
        weights, _, x, y = net.floats
        self.given: list[Rows] = [w.tolist() for w in weights]
        self.x: Rows = x.tolist()
        self.y: Rows = y.tolist()
        self.relu = [name == "relu" for name in net.activations]
        self.rates = [0.0 if f"W{l}" in net.frozen else float(net.learning_rate) for l in range(1, len(weights) + 1)]
        scale, slope, mean = LOSSES[net.loss]
        per = 1.0 / len(self.y[0]) if mean else 1.0
        self.scale, self.slope = scale * per, slope * per
        self.moves = float(size)  # numbers that may move, each once: no more of them carry a ReLU input across 0
        self.number = own_move(sigfigs)


def own_move(sigfigs: int) -> Callable[[float, float], float]:
    """A number's reach (`number(value, carried)`): what the steps before it carry and its own move; a hair more
    for the last bits its value here may differ from the chain's in (NumPy sums in its own order), and for the
    float error of the allowances' own sums (each change a difference of two re-runs' floats): some ulps of the
    numbers, far below 1e-12 of the number (or of 1), or 1e-9 of the reach.

    Its own move, its value worked out from rounded ones `carried` from it at most (the reach bounds that drift):
    with no rounding boundary within the drift (nearer than half a unit of the least number within it), to where
    the number rounds (its own distance from there, plus the drift); else half a unit of the largest number within
    the drift at most (a tie either way: a move keeps its farther end); inf for inf or nan (a diverging variant's
    bound nothing: grading then works its allowances out)."""
    spec, inf, half = f".{sigfigs}g", math.inf, sigfig_half_unit
    log10, floor, last = math.log10, math.floor, 1 - sigfigs  # (half's own arithmetic, where least is positive)

    def number(value: float, carried: float) -> float:
        if not carried < inf:  # no bound carried (inf, or inf * 0 where one met a 0): none here
            return inf
        size = abs(value)
        off = abs(float(format(value, spec)) - value)  # where rounding.allowances rounds it
        least = (size - off - carried) * (1 - 1e-9)  # its power of 10 never above the least number's own
        if 0 < least < inf and off + carried < 0.5 * 10 ** (floor(log10(least)) + last) * (1 - 1e-6):
            found = carried + off + carried
        else:  # its power of 10 never below the largest number's
            largest = (size + carried) * (1 + 1e-9)
            found = carried + half(largest, sigfigs) if largest < inf else inf
        return found * (1 + 1e-9) + 1e-12 * (size if size > 1.0 else 1.0)

    return number


def switched(z: float, reach: float, upstream: float, moved: float, sums: float, flips: float) -> float:
    """What the moves before it carry into an error term e = ReLU'(z) * upstream: the upstream's move where z > 0,
    and 1 times the error (|upstream| plus its move) for each move that may carry z across 0 (|z| within its
    reach), at most `flips` of them. No bound (inf) where z is 0 but for float error (within 1e-9 of `sums`, its
    terms summed in absolute values): the chain's NumPy sums may find it on the other side of 0 than these, and
    its error term then differs from this one by more than the last bits."""
    if abs(z) <= 1e-9 * sums:
        return math.inf
    return (moved if z > 0 else 0.0) + (flips * (upstream + moved) if abs(z) <= reach else 0.0)


def covered(net: Network) -> bool:
    """Whether the rules above cover the network's arithmetic: ReLU or identity layers, a squared loss, no biases
    and no weight decay."""
    return (
        net.params.biases is None
        and not net.weight_decay
        and net.loss in LOSSES
        and all(name in ACTIVATIONS for name in net.activations)
    )

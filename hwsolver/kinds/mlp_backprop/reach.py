"""How far rounding the intermediate values of an mlp_backprop chain (follow.py's steps) can move each of its
numbers, bounded in one pass over the steps' values, without re-running the chain for each move (model.Chain.reach).

rounding.allowances moves one number at a time to where it rounds (at `sigfigs` figures, its exact number's
rounding or that of its value worked out from rounded values, a tie either way), works the later steps out again,
keeps the farthest change of each number over one move's ends and sums those over the moves. Here, step by step, a
reach no smaller than that sum, why each rule holds:
- a step's own numbers move by at most how far each rounds: off (its exact number's distance to its rounding) plus
  the drift (how far the value worked out from rounded values may be from the exact one) where no rounding
  boundary lies within the drift, else half a unit of the largest number within the drift;
- what the steps before it move carries through it by the rules of its arithmetic, for each move alone and so for
  their sum: a sum moves by the sum of its terms' moves; a product a*b by |a| db + |b| da + da db (summed over the
  moves, sum(da db) <= sum(da) sum(db)); ReLU and identity by their input's move (Lipschitz 1); a squared loss
  k d**2 by k (2 |d| r + r**2); ReLU' by 1 times the error carried, for each move that may carry its input across 0
  (where |z| is within its reach; at most every number of the chain, once each).
Plain Python floats: a relu network here is 2-3 layers of 2-3 units, where NumPy's cost is per call. A grader asks
it before working out the allowances: a wrong answer further from the reference than any rounding reaches needs none.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Mapping
from operator import mul
from typing import Any

import numpy as np

from hwsolver.compute.networks import vectorized
from hwsolver.compute.networks.network import Network

Rows = list[list[float]]  # a step's numbers: samples x units, or a weight matrix's rows
# the loss of one output number, k d**2 (d: the output less the target), and dLoss/da = c d, as float_losses has
# them: (k, c, whether over the output's numbers m)
_LOSSES = {
    "half_squared_error": (0.5, 1.0, False),
    "squared_error": (1.0, 2.0, False),
    "mean_squared_error": (1.0, 2.0, True),
}
_ACTIVATIONS = ("relu", "identity")  # Lipschitz 1, and a derivative of 1 or a step at 0


def reach_of(net: Network, size: int) -> Callable[[Mapping[str, Any], int], Mapping[str, Any]] | None:
    """The chain's reach (`size`: the numbers in its steps, each moved once at most), for the networks whose
    arithmetic the rules above cover: ReLU or identity layers, a squared loss, no biases and no weight decay; else
    None."""
    if (
        net.params.biases is not None
        or net.weight_decay
        or net.loss not in _LOSSES
        or any(name not in _ACTIVATIONS for name in net.activations)
    ):
        return None
    return lambda values, sigfigs: _Reaches(_Reach(net, values, sigfigs, size).steps())


class _Reaches(dict):
    """Each step's reach, shaped as the step (the chain's answers read them as they read its values), worked out
    step by step in the chain's order when first read: a part's answer reads only the steps up to its own."""

    def __init__(self, steps: Iterator[tuple[str, Any]]) -> None:
        super().__init__()
        self.steps = steps

    def __missing__(self, name: str) -> Any:
        for step, found in self.steps:
            self[step] = np.array(found) if type(found) is list else found
            if step == name:
                return self[step]
        raise KeyError(name)


class _Reach:
    """Each step's reach, in the chain's order (follow.py: z, a, loss, e from the top, gW and W, z' and a', loss'),
    and how far the run with every value rounded may be from each (its drift): a value rounds the way its exact
    number does while no rounding boundary lies within its drift, by at most half a unit of the largest otherwise."""

    def __init__(self, net: Network, values: Mapping[str, Any], sigfigs: int, size: int) -> None:
        weights, _, x, y = vectorized.arrays(net)
        self.net, self.values, self.layers = net, values, len(weights)
        self.x, self.y = x.tolist(), y.tolist()
        self.weights = [np.abs(w).tolist() for w in weights]  # |W| by rows (out x in)
        self.columns = [[list(c) for c in zip(*w)] for w in self.weights]  # |W| transposed
        self.rates = [0.0 if f"W{l}" in net.frozen else float(net.learning_rate) for l in range(1, self.layers + 1)]
        self.sigfigs, self.spec = sigfigs, f".{sigfigs}g"  # float(format(x, spec)): x as rounding.allowances rounds it
        self.moves = float(size)  # numbers that may move, each once: no more of them carry a ReLU input across 0
        scale, slope, mean = _LOSSES[net.loss]
        per = 1.0 / len(self.y[0]) if mean else 1.0
        self.scale, self.slope = scale * per, slope * per
        self.found: dict[str, Any] = {}  # the reaches: how far all the moves move each number, summed
        self.drift: dict[str, Any] = {}  # how far the run with every value rounded may be from each number
        self.exact: dict[str, Any] = {}  # the steps' values as Python floats (rows, or the loss)

    def steps(self) -> Iterator[tuple[str, Any]]:
        top, layers, zero = self.layers - 1, range(self.layers), [[0.0] * len(self.x[0]) for _ in self.x]
        for l in layers:  # the forward pass, by the given weights
            yield self._step(f"z{l}", lambda reach, flips, l=l: _times_t(self._below(reach, l, zero), self.weights[l]))
            yield self._step(f"a{l}", lambda reach, flips, l=l: reach[f"z{l}"])
        yield self._step("loss", lambda reach, flips: self._loss(reach, f"a{top}"))
        for l in range(top, -1, -1):  # the error terms, carried back by the given weights
            yield self._step(f"e{l}", lambda reach, flips, l=l: self._error(reach, flips, l))
        for l in layers:  # the gradients, and the weights after the update
            yield self._step(f"gW{l}", lambda reach, flips, l=l: self._gradient(reach, l, zero))
            yield self._step(f"W{l}", lambda reach, flips, l=l: _scaled(reach[f"gW{l}"], self.rates[l]))
        for l in layers:  # the forward pass after it, by the updated weights
            yield self._step(f"z'{l}", lambda reach, flips, l=l: self._after(reach, l, zero))
            yield self._step(f"a'{l}", lambda reach, flips, l=l: reach[f"z'{l}"])
        yield self._step("loss'", lambda reach, flips: self._loss(reach, f"a'{top}"))

    def _below(self, reach: dict[str, Any], l: int, zero: Rows) -> Rows:
        """The reach of layer l's inputs: a(l-1)'s, or none for the given x."""
        return reach[f"a{l - 1}"] if l else zero

    def _value(self, name: str) -> Any:
        found = self.exact.get(name)
        if found is None:
            value = self.values[name]
            found = self.exact[name] = value.tolist() if type(value) is np.ndarray else float(value)
        return found

    def _step(self, name: str, carry: Callable[[dict[str, Any], float], Any]) -> tuple[str, Any]:
        """The step's reach: what the moves of the steps before it carry (`carry`, by the reaches and the most
        moves that may carry a ReLU input across 0), and its own numbers' moves: each the way its exact number
        rounds, or the way its value worked out from rounded ones does (within its drift of the exact one)."""
        carried, drifted, value = carry(self.found, self.moves), carry(self.drift, 1.0), self._value(name)
        if type(value) is float:
            self.found[name], self.drift[name] = self._own(value, carried, drifted)
            return name, self.found[name]
        found, drift = [], []
        for row, carried_row, drifted_row in zip(value, carried, drifted):
            pairs = [self._own(*numbers) for numbers in zip(row, carried_row, drifted_row)]
            found.append([reach for reach, _ in pairs])
            drift.append([moved for _, moved in pairs])
        self.found[name], self.drift[name] = found, drift
        return name, found

    def _own(self, value: float, carried: float, drifted: float) -> tuple[float, float]:
        """A number's reach and drift: carried, plus its own move. No rounding boundary within the drift (nearer
        than half a unit of the least number within it): the rounded run's value rounds to where the exact number
        does, off + drift from it; else by half a unit of the largest number within the drift at most."""
        size = abs(value)
        off = abs(float(format(value, self.spec)) - value)
        if off + drifted < _half_unit(size - off - drifted, self.sigfigs, 1 - 1e-9) * (1 - 1e-6):
            return carried + off + drifted, off
        most = _half_unit(size + drifted, self.sigfigs, 1 + 1e-9)
        return carried + most, drifted + most

    def _loss(self, reach: dict[str, Any], output: str) -> float:
        """The mean over the samples of k d**2 per output number: moved by k (2 |d| r + r**2) each."""
        total = 0.0
        for row, target, moved in zip(self._value(output), self.y, reach[output]):
            total += sum((2 * abs(a - t) + r) * r for a, t, r in zip(row, target, moved))
        return self.scale * total / len(self.x)

    def _error(self, reach: dict[str, Any], flips: float, l: int) -> Rows:
        """e(l) = f'(z) * upstream: upstream c d / N at the top, else e(l+1) by the given weights; ReLU' moves by
        1 for each move that may carry z across 0 (`flips` of them at most)."""
        top, n = self.layers - 1, len(self.x)
        if l == top:
            per = self.slope / n
            upstream = [[per * abs(a - t) for a, t in zip(*rows)] for rows in zip(self._value(f"a{l}"), self.y)]
            moved = _scaled(reach[f"a{l}"], per)
        else:
            above = [[abs(e) for e in row] for row in self._value(f"e{l + 1}")]
            upstream = _times_t(above, self.columns[l + 1])
            moved = _times_t(reach[f"e{l + 1}"], self.columns[l + 1])
        if self.net.activations[l] == "identity":
            return moved
        found = []
        for z_row, reach_row, up_row, moved_row in zip(self._value(f"z{l}"), reach[f"z{l}"], upstream, moved):
            found.append(
                [
                    (m if z > 0 else 0.0) + (flips * (u + m) if abs(z) <= r else 0.0)
                    for z, r, u, m in zip(z_row, reach_row, up_row, moved_row)
                ]
            )
        return found

    def _gradient(self, reach: dict[str, Any], l: int, zero: Rows) -> Rows:
        """gW(l) = e(l)^T @ its inputs (x, or a(l-1))."""
        inputs, moved = (self.x, zero) if l == 0 else (self._value(f"a{l - 1}"), reach[f"a{l - 1}"])
        return _product(_transposed(self._value(f"e{l}")), _transposed(reach[f"e{l}"]), inputs, moved)

    def _after(self, reach: dict[str, Any], l: int, zero: Rows) -> Rows:
        """z'(l) = its inputs (x, or a'(l-1)) @ W(l)^T, by the updated weights."""
        inputs, moved = (self.x, zero) if l == 0 else (self._value(f"a'{l - 1}"), reach[f"a'{l - 1}"])
        weights = self._value(f"W{l}")
        return _product(inputs, moved, _transposed(weights), _transposed(reach[f"W{l}"]))


def _half_unit(size: float, sigfigs: int, nudge: float) -> float:
    """Half a unit in the last of `sigfigs` figures of `size` (>= 0), its power of 10 taken at `size * nudge`
    (1 - 1e-9: never above the number's own; 1 + 1e-9: never below); 0 for 0 or less, inf past any float (a
    diverging variant's inf and nan bound nothing: grading then works its allowances out)."""
    if not size > 0:
        return 0.0 if size <= 0 else math.inf
    if size == math.inf:
        return math.inf
    return 0.5 * 10.0 ** (math.floor(math.log10(size * nudge)) - sigfigs + 1)


def _times_t(a: Rows, b: Rows) -> Rows:
    """a @ b^T, b given by its rows."""
    return [[sum(map(mul, row, other)) for other in b] for row in a]


def _transposed(a: Rows) -> Rows:
    return [list(column) for column in zip(*a)]


def _scaled(a: Rows, by: float) -> Rows:
    return [[by * x for x in row] for row in a]


def _product(a: Rows, moved_a: Rows, b: Rows, moved_b: Rows) -> Rows:
    """How far a @ b moves: |a| @ db + da @ |b| + da @ db."""
    size_a = [[abs(x) for x in row] for row in a]
    columns_b, moved_columns = [[abs(x) for x in c] for c in zip(*b)], [list(c) for c in zip(*moved_b)]
    return [
        [
            sum(map(mul, row, moved_column)) + sum(map(mul, moved_row, column)) + sum(map(mul, moved_row, moved_column))
            for column, moved_column in zip(columns_b, moved_columns)
        ]
        for row, moved_row in zip(size_a, moved_a)
    ]

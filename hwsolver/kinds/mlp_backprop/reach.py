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

from hwsolver.compute.networks import vectorized
from hwsolver.compute.networks.network import Network
from hwsolver.numbers.digits import sigfig_half_unit

Rows = list[list[float]]  # a step's numbers: samples x units, or a weight matrix's rows
# the loss of one output number, k d**2 (d: the output less the target), and dLoss/da = c d, as float_losses has
# them: (k, c, whether over the output's numbers m)
_LOSSES = {
    "half_squared_error": (0.5, 1.0, False),
    "squared_error": (1.0, 2.0, False),
    "mean_squared_error": (1.0, 2.0, True),
}
_ACTIVATIONS = ("relu", "identity")  # Lipschitz 1, and a derivative of 1 or a step at 0


def reach_of(net: Network, size: int) -> Callable[[int], Mapping[str, Any]] | None:
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
    return lambda sigfigs: _Reaches(_Reach(net, sigfigs, size).steps())


class _Reaches(dict):
    """Each step's reach, shaped as the step (the chain's answers read them as they read its values), worked out
    step by step in the chain's order when first read: a part's answer reads only the steps up to its own."""

    def __init__(self, steps: Iterator[tuple[str, Any]]) -> None:
        super().__init__()
        self.steps = steps

    def __missing__(self, name: str) -> Any:
        for step, found in self.steps:
            self[step] = _Rows(found) if type(found) is list else found
            if step == name:
                return self[step]
        raise KeyError(name)


class _Rows(list):
    """A step's reaches by rows, read as the chain's answers read a step's array (`tolist`), without making one."""

    def tolist(self) -> list[list[float]]:
        return self


class _Reach:
    """Each step's reach, in the chain's order (follow.py: z, a, loss, e from the top, gW and W, z' and a', loss').
    A reach also bounds how far the run with every value rounded may be from the exact one (the drift a value
    worked out from rounded ones has): it sums each rounding's move alone, with a ReLU' flip counted for each
    number that moves, where the rounded run has all the moves at once and flips once."""

    def __init__(self, net: Network, sigfigs: int, size: int) -> None:
        weights, _, x, y = vectorized.arrays(net)
        self.net, self.layers = net, len(weights)
        self.x, self.y = x.tolist(), y.tolist()
        self.given = [w.tolist() for w in weights]
        self.weights = [[[abs(w) for w in row] for row in given] for given in self.given]  # |W| by rows (out x in)
        self.columns = [_transposed(w) for w in self.weights]  # |W| by columns
        self.rates = [0.0 if f"W{l}" in net.frozen else float(net.learning_rate) for l in range(1, self.layers + 1)]
        self.sigfigs, self.spec = sigfigs, f".{sigfigs}g"  # float(format(x, spec)): x as rounding.allowances rounds it
        self.moves = float(size)  # numbers that may move, each once: no more of them carry a ReLU input across 0
        scale, slope, mean = _LOSSES[net.loss]
        per = 1.0 / len(self.y[0]) if mean else 1.0
        self.scale, self.slope = scale * per, slope * per
        self.found: dict[str, Any] = {}  # the reaches: how far all the moves move each number, summed
        self.exact: dict[str, Any] = {}  # the steps' values (rows, or the loss), worked out in the same order
        self.sizes: list[Rows] = []  # each layer's z summed in absolute values: the scale of its float error

    def steps(self) -> Iterator[tuple[str, Any]]:
        """Each step's exact value worked out in plain floats (as the chain does, to the last bits or near them:
        `_number`'s hair covers the difference), then its reach."""
        top, layers, found, n = self.layers - 1, range(self.layers), self.found, len(self.x)
        zero, below = [[0.0] * len(self.x[0]) for _ in self.x], self.x
        for l in layers:  # the forward pass, by the given weights
            z = _times_t(below, self.given[l])
            self.sizes.append(_times_t([[abs(v) for v in row] for row in below], self.weights[l]))
            yield self._step(f"z{l}", z, _times_t(found[f"a{l - 1}"] if l else zero, self.weights[l]))
            below = self._activated(l, z)
            yield self._step(f"a{l}", below, found[f"z{l}"])
        yield self._step("loss", self._objective(below), self._loss(f"a{top}"))
        per = self.slope / n  # dLoss/da at the output, then carried back
        upstream = [[per * (a - t) for a, t in zip(*rows)] for rows in zip(below, self.y)]
        for l in range(top, -1, -1):  # the error terms, carried back by the given weights
            e = self._derived(l, upstream)
            yield self._step(f"e{l}", e, self._error(l))
            upstream = _times_t(e, _transposed(self.given[l]))
        for l in layers:  # the gradients, and the weights after the update
            inputs = self.x if l == 0 else self.exact[f"a{l - 1}"]
            gradient = _times_t(_transposed(self.exact[f"e{l}"]), _transposed(inputs))
            yield self._step(f"gW{l}", gradient, self._gradient(l, zero))
            rate = self.rates[l]
            updated = [[w - rate * g for w, g in zip(*rows)] for rows in zip(self.given[l], gradient)]
            yield self._step(f"W{l}", updated, [[rate * r for r in row] for row in found[f"gW{l}"]])
        below = self.x
        for l in layers:  # the forward pass after it, by the updated weights
            z = _times_t(below, self.exact[f"W{l}"])
            yield self._step(f"z'{l}", z, self._after(l, zero))
            below = self._activated(l, z)
            yield self._step(f"a'{l}", below, found[f"z'{l}"])
        yield self._step("loss'", self._objective(below), self._loss(f"a'{top}"))

    def _activated(self, l: int, z: Rows) -> Rows:
        if self.net.activations[l] == "identity":
            return z
        return [[v if v > 0 else 0.0 for v in row] for row in z]

    def _derived(self, l: int, upstream: Rows) -> Rows:
        """The error term: the upstream gradient through the activation's derivative (ReLU' is 0 at 0)."""
        if self.net.activations[l] == "identity":
            return upstream
        return [[u if z > 0 else 0.0 for z, u in zip(*rows)] for rows in zip(self.exact[f"z{l}"], upstream)]

    def _objective(self, output: Rows) -> float:
        """The mean over the samples of k d**2 per output number."""
        total = sum(sum((a - t) ** 2 for a, t in zip(*rows)) for rows in zip(output, self.y))
        return self.scale * total / len(self.x)

    def _step(self, name: str, value: Any, carried: Any) -> tuple[str, Any]:
        """The step's reach: what the moves of the steps before it carry, and its own numbers' moves (each
        counted, though rounding plans none for a number the step before has in its place: a ReLU's output of a
        positive input)."""
        self.exact[name] = value
        if type(value) is float:
            found = self._number(value, carried)
        else:
            found = [[self._number(v, c) for v, c in zip(*rows)] for rows in zip(value, carried)]
        self.found[name] = found
        return name, found

    def _number(self, value: float, carried: float) -> float:
        """A number's reach: what the steps before it carry and its own move; a hair more for the last bits its
        value here may differ from the chain's in (NumPy sums in its own order), and for the float error of the
        allowances' own sums (each change a difference of two re-runs' floats): some ulps of the numbers, far
        below 1e-12 of the number (or of 1), or 1e-9 of the reach.

        Its own move, its value worked out from rounded ones `carried` from it at most (the reach bounds that
        drift, see the class): with no rounding boundary within the drift (nearer than half a unit of the least
        number within it), to where the number rounds (its own distance from there, plus the drift); else half a
        unit of the largest number within the drift at most (a tie either way: a move keeps its farther end)."""
        if not carried < math.inf:  # no bound carried (inf, or inf * 0 where one met a 0): none here
            return math.inf
        size = abs(value)
        off = abs(float(format(value, self.spec)) - value)
        least = (size - off - carried) * (1 - 1e-9)  # its power of 10 never above the least number's own
        if 0 < least < math.inf and off + carried < _half_unit(least, self.sigfigs) * (1 - 1e-6):
            found = carried + off + carried
        else:  # its power of 10 never below the largest number's
            found = carried + _half_unit((size + carried) * (1 + 1e-9), self.sigfigs)
        return found * (1 + 1e-9) + 1e-12 * (size if size > 1.0 else 1.0)

    def _loss(self, output: str) -> float:
        """The mean over the samples of k d**2 per output number: moved by k (2 |d| r + r**2) each."""
        total = 0.0
        for row, target, moved in zip(self.exact[output], self.y, self.found[output]):
            total += sum((2 * abs(a - t) + r) * r for a, t, r in zip(row, target, moved))
        return self.scale * total / len(self.x)

    def _error(self, l: int) -> Rows:
        """e(l) = f'(z) * upstream: upstream c d / N at the top, else e(l+1) by the given weights; ReLU' moves by
        1 for each move that may carry z across 0 (at most every number of the chain). No bound (inf) where z is 0
        but for float error: the chain's NumPy sums may find it on the other side of 0 than these, and its error
        term then differs from this one by more than the last bits."""
        top, n, found = self.layers - 1, len(self.x), self.found
        if l == top:
            per = self.slope / n
            upstream = [[per * abs(a - t) for a, t in zip(*rows)] for rows in zip(self.exact[f"a{l}"], self.y)]
            moved = [[per * r for r in row] for row in found[f"a{l}"]]
        else:
            above = [[abs(e) for e in row] for row in self.exact[f"e{l + 1}"]]
            upstream = _times_t(above, self.columns[l + 1])
            moved = _times_t(found[f"e{l + 1}"], self.columns[l + 1])
        if self.net.activations[l] == "identity":
            return moved
        flips = self.moves
        return [
            [
                math.inf if abs(z) <= 1e-9 * size else (m if z > 0 else 0.0) + (flips * (u + m) if abs(z) <= r else 0.0)
                for z, r, u, m, size in zip(*rows)
            ]
            for rows in zip(self.exact[f"z{l}"], found[f"z{l}"], upstream, moved, self.sizes[l])
        ]

    def _gradient(self, l: int, zero: Rows) -> Rows:
        """gW(l) = e(l)^T @ its inputs (x, or a(l-1))."""
        inputs, moved = (self.x, zero) if l == 0 else (self.exact[f"a{l - 1}"], self.found[f"a{l - 1}"])
        return _product(_transposed(self.exact[f"e{l}"]), _transposed(self.found[f"e{l}"]), inputs, moved)

    def _after(self, l: int, zero: Rows) -> Rows:
        """z'(l) = its inputs (x, or a'(l-1)) @ W(l)^T, by the updated weights."""
        inputs, moved = (self.x, zero) if l == 0 else (self.exact[f"a'{l - 1}"], self.found[f"a'{l - 1}"])
        weights = self.exact[f"W{l}"]
        return _product(inputs, moved, _transposed(weights), _transposed(self.found[f"W{l}"]))


def _half_unit(size: float, sigfigs: int) -> float:
    """Half a unit in the last of `sigfigs` figures of `size` (>= 0); 0 for 0, inf for inf or nan (a diverging
    variant's bound nothing: grading then works its allowances out)."""
    return sigfig_half_unit(size, sigfigs) if math.isfinite(size) else math.inf


def _times_t(a: Rows, b: Rows) -> Rows:
    """a @ b^T, b given by its rows."""
    return [[sum(map(mul, row, other)) for other in b] for row in a]


def _transposed(a: Rows) -> Rows:
    return [list(column) for column in zip(*a)]


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

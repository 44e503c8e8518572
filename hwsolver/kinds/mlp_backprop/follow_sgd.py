"""Follow-through on a mini-batch SGD problem (Network.schedule): the losses a student's own parameters give.

Routes: each iteration's loss from the parameters the student gives after the iteration before (the first from
the given ones), each epoch's loss from their parameters at the epoch's end, the parameters after training as
their last iteration's, the loss after from their parameters after (or their last epoch's loss), the comparison
from their losses. A student whose iteration went wrong is judged on what follows from their own numbers.

The parameters after each iteration follow from the student's own parameters after the one before (the first
from the given ones): a route that reads its own part, entry by entry, so a slip in one iteration costs that
iteration alone. Nothing follows from an iteration that takes no work (all zero, or a copy of the given
parameters): every iteration after it is judged against the right value.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from hwsolver.compute.networks import minibatch, vectorized
from hwsolver.compute.networks.network import Network
from hwsolver.model import Route

Array = np.ndarray
_NO_WORK = 0.01  # parameters this close to zero or to the given ones (relative to their scale) took no work


class _Objective:
    """The objective of any set of samples at parameters given by name (the student's, as the grader reads them)."""

    def __init__(self, net: Network) -> None:
        self.net = net
        self.weights, self.biases, self.x, self.y = vectorized.arrays(net)

    def at(self, named: Mapping[str, Any] | None, rows: Sequence[int] | None = None) -> float:
        weights, biases = self.arrays(named)
        x, y = (self.x, self.y) if rows is None else (self.x[list(rows)], self.y[list(rows)])
        _, acts = vectorized.forward(self.net, weights, biases, x)
        return vectorized.objective(self.net, weights, vectorized.loss_terms(self.net.loss, acts[-1], y)[0])

    def step(self, named: Mapping[str, Any] | None, rows: Sequence[int]) -> dict[str, Any]:
        """The parameters after one iteration on the samples `rows`, from `named` (None: the given ones)."""
        weights, biases = self.arrays(named)
        rows = list(rows)
        current = vectorized.passes(self.net, weights, biases, self.x[rows], self.y[rows])
        return minibatch.named(
            *vectorized.update(weights, biases, current, float(self.net.learning_rate), self.net.frozen)
        )

    def takes_no_work(self, named: Mapping[str, Any], right: Mapping[str, Any]) -> bool:
        """Parameters all zero or a copy of the given ones, each number within 1% of the larger of the given and
        the `right` parameters' scales: the rounding the grader carries through (half a unit in the last written
        digit) must not turn a copy into work."""
        got, given, want = (self._flat(p) for p in (named, None, right))
        near = _NO_WORK * max(float(np.abs(given).max()), float(np.abs(want).max()))
        return bool(np.all(np.abs(got) <= near) or np.all(np.abs(got - given) <= near))

    def _flat(self, named: Mapping[str, Any] | None) -> Array:
        weights, biases = self.arrays(named)
        return np.concatenate([a.reshape(-1) for a in (*weights, *(biases or ()))])

    def arrays(self, named: Mapping[str, Any] | None) -> tuple[list[Array], list[Array] | None]:
        if named is None:
            return self.weights, self.biases
        weights = [_shaped(named[f"W{l + 1}"], w.shape) for l, w in enumerate(self.weights)]
        biases = None
        if self.biases is not None:
            biases = [_shaped(named[f"b{l + 1}"], b.shape) for l, b in enumerate(self.biases)]
        return weights, biases


def _shaped(value: Any, shape: tuple[int, ...]) -> Array:
    array = np.array(value, dtype=float)
    if array.size != math.prod(shape):  # math's: NumPy's prod costs more than the rest (this runs per re-run)
        raise ValueError("shape")
    return array.reshape(shape)


def routes(net: Network, reference: Sequence[Mapping[str, Any]]) -> tuple[Route, ...]:
    """The routes on this network; `reference`: the right parameters after each iteration (the solution's)."""
    assert net.schedule is not None
    objective = _Objective(net)
    batches = net.schedule.batches()
    ends = [i for i, (epoch, _) in enumerate(batches) if i + 1 == len(batches) or batches[i + 1][0] != epoch]
    right = [minibatch.named(*objective.arrays(params)) for params in reference]  # as floats, like the re-runs

    def iterations(values: Mapping[str, Any]) -> Sequence[Mapping[str, Any]]:
        found = values["iteration_params"]
        if len(found) != len(batches):
            raise ValueError("iterations")
        return found

    def iteration_params(values: Mapping[str, Any]) -> tuple[Mapping[str, Any], ...]:
        found: list[Mapping[str, Any]] = []
        broken = False  # an earlier iteration took no work: what follows from it is no one's own work either
        for i, (_, batch) in enumerate(batches):
            before = iterations(values)[i - 1] if i else None
            broken = broken or (before is not None and objective.takes_no_work(before, right[i - 1]))
            found.append(right[i] if broken else objective.step(before, batch))
        return tuple(found)

    def iteration_loss(values: Mapping[str, Any]) -> tuple[float, ...]:
        params = iterations(values)
        before = [None, *params[:-1]]
        return tuple(objective.at(p, batch) for p, (_, batch) in zip(before, batches))

    return (
        Route("iteration_params", ("iteration_params",), iteration_params),
        Route("iteration_loss", ("iteration_params",), iteration_loss),
        Route("epoch_loss", ("iteration_params",), lambda v: tuple(objective.at(iterations(v)[i]) for i in ends)),
        Route("params_after", ("iteration_params",), lambda v: iterations(v)[-1]),
        Route("loss_after", ("params_after",), lambda v: objective.at(v["params_after"])),
        Route("loss_after", ("epoch_loss",), lambda v: float(v["epoch_loss"][-1])),
        Route("loss_decreased", ("loss_before", "loss_after"), lambda v: bool(v["loss_after"] < v["loss_before"])),
    )

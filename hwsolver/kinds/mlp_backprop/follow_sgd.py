"""Follow-through on a mini-batch SGD problem (Network.schedule): the losses a student's own parameters give.

Routes: each iteration's loss from the parameters the student gives after the iteration before (the first from
the given ones), each epoch's loss from their parameters at the epoch's end, the parameters after training as
their last iteration's, the loss after from their parameters after (or their last epoch's loss), the comparison
from their losses. A student whose iteration went wrong is judged on what follows from their own numbers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from hwsolver.compute.networks import vectorized
from hwsolver.compute.networks.network import Network
from hwsolver.model import Route

Array = np.ndarray


class _Objective:
    """The objective of any set of samples at parameters given by name (the student's, as the grader reads them)."""

    def __init__(self, net: Network) -> None:
        self.net = net
        self.weights, self.biases, self.x, self.y = vectorized.arrays(net)

    def at(self, named: Mapping[str, Any] | None, rows: Sequence[int] | None = None) -> float:
        weights, biases = self._params(named)
        x, y = (self.x, self.y) if rows is None else (self.x[list(rows)], self.y[list(rows)])
        _, acts = vectorized.forward(self.net, weights, biases, x)
        return vectorized.objective(self.net, weights, vectorized.loss_terms(self.net.loss, acts[-1], y)[0])

    def _params(self, named: Mapping[str, Any] | None) -> tuple[list[Array], list[Array] | None]:
        if named is None:
            return self.weights, self.biases
        weights = [_shaped(named[f"W{l + 1}"], w.shape) for l, w in enumerate(self.weights)]
        biases = None
        if self.biases is not None:
            biases = [_shaped(named[f"b{l + 1}"], b.shape) for l, b in enumerate(self.biases)]
        return weights, biases


def _shaped(value: Any, shape: tuple[int, ...]) -> Array:
    array = np.array(value, dtype=float)
    if array.size != int(np.prod(shape)):
        raise ValueError("shape")
    return array.reshape(shape)


def routes(net: Network) -> tuple[Route, ...]:
    assert net.schedule is not None
    objective = _Objective(net)
    batches = net.schedule.batches()
    ends = [i for i, (epoch, _) in enumerate(batches) if i + 1 == len(batches) or batches[i + 1][0] != epoch]

    def iterations(values: Mapping[str, Any]) -> Sequence[Mapping[str, Any]]:
        found = values["iteration_params"]
        if len(found) != len(batches):
            raise ValueError("iterations")
        return found

    def iteration_loss(values: Mapping[str, Any]) -> tuple[float, ...]:
        params = iterations(values)
        before = [None, *params[:-1]]
        return tuple(objective.at(p, batch) for p, (_, batch) in zip(before, batches))

    return (
        Route("iteration_loss", ("iteration_params",), iteration_loss),
        Route("epoch_loss", ("iteration_params",), lambda v: tuple(objective.at(iterations(v)[i]) for i in ends)),
        Route("params_after", ("iteration_params",), lambda v: iterations(v)[-1]),
        Route("loss_after", ("params_after",), lambda v: objective.at(v["params_after"])),
        Route("loss_after", ("epoch_loss",), lambda v: float(v["epoch_loss"][-1])),
        Route("loss_decreased", ("loss_before", "loss_after"), lambda v: bool(v["loss_after"] < v["loss_before"])),
    )

"""Mini-batch SGD over epochs (Network.schedule), on each path: exact (exact.py's step on each batch) and float64
(vectorized.py's passes on each batch, with the Slips a student may make on the way).

An iteration takes the next `batch_size` samples of its epoch's order; its objective is the mean of their losses
(plus the weight penalty), as PyTorch's mean reduction computes it, and its update is the gradient step on that
objective. The epoch's objective is the same over the whole dataset, after the epoch's last update.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import mpmath
import numpy as np

from hwsolver.compute.networks import exact, vectorized
from hwsolver.compute.networks.network import Network, Params
from hwsolver.numbers import PRECISION_DIGITS, high_precision

Array = np.ndarray


@dataclass(frozen=True)
class Iteration:
    """One iteration in exact numbers: its epoch (from 0), its batch (sample indices from 0) and its step."""

    epoch: int
    batch: tuple[int, ...]
    step: exact.Step


@dataclass(frozen=True)
class ExactRun:
    start: Any  # the whole dataset's objective at the given parameters
    iterations: tuple[Iteration, ...]
    epochs: tuple[Any, ...]  # the whole dataset's objective after each epoch
    final_samples: tuple[exact.SampleWork, ...]  # every sample's passes at the parameters after training

    @property
    def losses(self) -> tuple[Any, ...]:
        """Each iteration's batch objective before its update."""
        return tuple(it.step.objective for it in self.iterations)


def train_exact(net: Network) -> ExactRun:
    assert net.schedule is not None
    with mpmath.workdps(PRECISION_DIGITS):
        net = net.in_exact_numbers()
        params = net.params
        start = exact.passes(net, params)[1]
        iterations: list[Iteration] = []
        epochs: list[Any] = []
        final: tuple[exact.SampleWork, ...] = ()
        batches = net.schedule.batches()
        for i, (epoch, batch) in enumerate(batches):
            iterations.append(Iteration(epoch, batch, exact.step(net.subset(batch), params)))
            params = iterations[-1].step.params_after
            if isinstance(params.weights[0][0][0], Fraction) and exact.outgrown(params):
                net, params = net.in_high_precision(), params.map(high_precision)  # as exact.train does
            if i + 1 == len(batches) or batches[i + 1][0] != epoch:
                final, objective, _ = exact.passes(net, params)
                epochs.append(objective)
    return ExactRun(start, tuple(iterations), tuple(epochs), final)


@dataclass(frozen=True)
class FloatRun:
    start: float
    first: vectorized.Passes  # the first iteration's batch at the given parameters
    params: list[tuple[list[Array], list[Array] | None]]  # weights and biases after each iteration
    losses: list[float]  # each iteration's batch objective before its update
    epochs: list[float]
    outputs_after: Array  # every sample's output after training


def train_float(net: Network, slips: vectorized.Slips = vectorized.RIGHT) -> FloatRun:
    """The same training in float64; with `slips`, as a student making those mistakes trains."""
    assert net.schedule is not None
    weights, biases, x, y = vectorized.arrays(net)
    rate = slips.update_sign * float(net.learning_rate)
    frozen = frozenset() if slips.update_frozen else net.frozen
    exact_z = vectorized.exact_pre_activations(net)
    start = vectorized.passes(net, weights, biases, x, y, exact_z).objective
    first: vectorized.Passes | None = None
    params, losses, epochs = [], [], []
    batches = net.schedule.batches()
    for i, (epoch, batch) in enumerate(batches):
        rows = list(batch)
        kinks = (lambda layer, rows=rows: exact_z(layer)[rows]) if i == 0 else None  # at the given parameters
        current = vectorized.passes(net, weights, biases, x[rows], y[rows], kinks, slips)
        first = first or current
        losses.append(current.objective)
        for part in [[r] for r in rows] if slips.per_sample_updates else [rows]:
            if part is not rows:  # each sample's own step, from the parameters the last one left
                current = vectorized.passes(net, weights, biases, x[part], y[part], slips=slips)
            weights, biases = vectorized.update(weights, biases, current, rate, frozen)
        params.append((weights, biases))
        if i + 1 == len(batches) or batches[i + 1][0] != epoch:
            if slips.epoch_loss_from_batches:  # the mean of the epoch's batch objectives, as training loops log
                done = [loss for (e, _), loss in zip(batches, losses) if e == epoch]
                epochs.append(sum(done) / len(done))
            else:
                epochs.append(vectorized.passes(net, weights, biases, x, y, slips=slips).objective)
    assert first is not None
    return FloatRun(start, first, params, losses, epochs, vectorized.forward(net, weights, biases, x)[1][-1])


def named(weights: list[Array], biases: list[Array] | None) -> dict[str, Any]:
    """Float parameters by name, as answers hold them (nested tuples of floats)."""
    rows = tuple(tuple(map(tuple, w.tolist())) for w in weights)
    return Params(rows, tuple(tuple(b.tolist()) for b in biases) if biases is not None else None).named()

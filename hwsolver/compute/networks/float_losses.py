"""The losses of the float path (vectorized.py): per-sample losses and their gradients with respect to the
network's output, in float64 over a batch, and over stacked copies of it."""

from __future__ import annotations

import numpy as np

from hwsolver.errors import SolveError

Array = np.ndarray


def loss_terms(name: str, yhat: Array, y: Array) -> tuple[Array, Array]:
    """Per-sample losses (N,) and dLoss/dyhat (N x m), for each of stacked copies of the outputs too."""
    diff = yhat - y
    m = y.shape[-1]
    if name == "half_squared_error":
        return 0.5 * (diff**2).sum(axis=-1), diff
    if name == "squared_error":
        return (diff**2).sum(axis=-1), 2.0 * diff
    if name == "mean_squared_error":
        return (diff**2).sum(axis=-1) / m, 2.0 * diff / m
    with np.errstate(divide="ignore", invalid="ignore"):
        if name == "cross_entropy":
            if np.any((y != 0) & (yhat <= 0)):
                raise SolveError("cross-entropy is undefined: an output is 0 where the target is not")
            safe = np.where(y != 0, yhat, 1.0)
            return -np.sum(y * np.log(safe), axis=-1), np.where(y != 0, -y / safe, 0.0)
        if np.any((yhat <= 0) | (yhat >= 1)):
            raise SolveError("binary cross-entropy is undefined: an output is outside (0, 1)")
        losses = -np.sum(y * np.log(yhat) + (1 - y) * np.log(1 - yhat), axis=-1)
        return losses, diff / (yhat * (1 - yhat))

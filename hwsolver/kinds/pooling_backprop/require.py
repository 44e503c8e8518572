"""The constraints a per-student variant of a pooling_backprop problem may be required to meet (`require:`)."""

from __future__ import annotations

from typing import Any

from hwsolver.compute.layers.pooling import PoolLayer
from hwsolver.kinds.base import Constraint
from hwsolver.model import Problem, Solution


def _no_ties(problem: Problem, solution: Solution, argument: Any) -> bool:
    """No max-pooling window holds its maximum twice: every routing is then beyond dispute (average pooling
    routes nothing, and always meets it)."""
    layer: PoolLayer = problem.given
    if layer.pool != "max":
        return True
    rows, columns = layer.out_shape
    k, s = layer.size, layer.stride
    for channel in layer.x3:
        for p in range(rows):
            for q in range(columns):
                window = [channel[s * p + i][s * q + j] for i in range(k) for j in range(k)]
                if window.count(max(window)) > 1:
                    return False
    return True


CONSTRAINTS = {"no_ties": Constraint("no max-pooling window holds its maximum more than once", _no_ties)}

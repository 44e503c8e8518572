"""The parts of a dropout problem and its answers, assembled alike from the exact passes and from a float64 run
(the right one, or one with a slip: grading.py)."""

from __future__ import annotations

from typing import Any

import numpy as np

from hwsolver.compute.dropout import DropoutLayer, Passes
from hwsolver.compute.layers.arrays import from_numpy
from hwsolver.kinds.base import PartInfo

PARTS = (
    PartInfo("dropped", "like activations: the activations after dropout at training time (dropout with weights)"),
    PartInfo(
        "train_output",
        "like the output (the dropped activations, or z of the dense layer): the output at training time",
    ),
    PartInfo("test_weights", "a matrix like weights: the weights used at test time (test_time scaling, with weights)"),
    PartInfo("test_output", "like the output: the layer's output at test time"),
    PartInfo("expected_output", "like the output: the mean of the training output over the random masks"),
    PartInfo("grad_input", "like activations: dL/dh, the gradient passed back to the activations (with upstream)"),
    PartInfo("grad_weights", "a matrix like weights: dL/dW (with upstream and weights)"),
)


def parts_for(layer: DropoutLayer) -> tuple[str, ...]:
    absent = set()
    if layer.weights is None or layer.method == "dropconnect":
        absent.add("dropped")
    if layer.weights is None or layer.scaling != "test_time":
        absent.add("test_weights")
    if layer.upstream is None:
        absent |= {"grad_input", "grad_weights"}
    if layer.weights is None:
        absent.add("grad_weights")
    return tuple(part.id for part in PARTS if part.id not in absent)


def answers(layer: DropoutLayer, passes: Passes) -> dict[str, Any]:
    """One value per part the problem can ask, from exact passes (nested tuples) or float ones (arrays)."""
    values = {part: getattr(passes, part) for part in parts_for(layer)}
    return {part: from_numpy(v) if isinstance(v, np.ndarray) else v for part, v in values.items()}

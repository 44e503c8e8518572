"""How far a follow-through re-run (follow.py) can move at most when each number the student wrote moves alone,
told without re-running it (model.Route.spread): the grader asks first whether an answer is further off than
that (most wrong answers are), and works out the re-run's own bounds, a re-run per number read, only otherwise.

From the run's own values (the student's answers read, the steps worked out from them), by Lipschitz bounds:
moving the answer's W{l}[j][k] (from 1) by h moves the steps' z{l-1}[j] (from 0) by h times its input k (a bias
by h), an activation by at most its slope's bound times that, the next layer's z by at most the largest absolute
row sum of its weights times that, and so on to the output; a loss (a sum of squares) moves by at most
c (2 |yhat - y| d + d^2) where its output moves by d. A margin covers the float error of the re-runs themselves.
None where the bound is not written here (softmax, the cross-entropies, a weight-decay penalty on the weights moved,
a number not finite). The rule for W assumes the matrix as the student wrote it in its own shape: written otherwise
(a row as a column), a number's place names no input, and the layer's largest input is taken.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from hwsolver.compute.functions import SQUARED_LOSSES
from hwsolver.compute.networks.network import Network
from hwsolver.model import Sizes, Spread

_SLOPES = {"identity": 1.0, "relu": 1.0, "tanh": 1.0, "sigmoid": 0.25}  # the largest |f'| of each activation
_MARGIN = 1e-6  # relative, and 1e-9 of the values' size absolute: far above the re-runs' float error


def spreads(
    net: Network, run: Callable[[tuple[str, ...], Mapping[str, Any]], Mapping[str, Any]]
) -> dict[tuple[str, tuple[str, ...]], Spread]:
    """The bound of each route written here, by its part and the parts it reads (`run(uses, values)`: the route's
    steps from the answers read); none for a network whose activations or loss have none here."""
    slopes = [_slope(net, name) for name in net.activations]
    if None in slopes or net.loss not in SQUARED_LOSSES:
        return {}
    top = len(slopes) - 1
    found: dict[tuple[str, tuple[str, ...]], Spread] = {}
    if not net.weight_decay:  # (a penalty on the weights moved: not bounded here)
        for part in ("output_after", "loss_after"):
            alone, uses = part == "output_after", ("params_after",)
            found[part, uses] = lambda values, sizes, a=alone, u=uses: _through(
                net, slopes, run(u, values), sizes, a, values["params_after"]
            )
    for part, uses, output in (
        ("loss_before", ("output_before",), f"a{top}"),
        ("loss_after", ("output_after",), f"a'{top}"),
    ):
        found[part, uses] = lambda values, sizes, u=uses, o=output: _loss(
            net, run(u, values)[o], [size for _, _, size in sizes], 0.0
        )
    found["params_after", ("gradients",)] = lambda values, sizes: _update(net, run(("gradients",), values), sizes)
    return found


def _slope(net: Network, name: str) -> float | None:
    return max(1.0, abs(float(net.slope))) if name == "leaky_relu" else _SLOPES.get(name)


def _rate(net: Network, name: str) -> float:
    return 0.0 if name in net.frozen else abs(float(net.learning_rate))


def _update(net: Network, steps: Mapping[str, Any], sizes: Sizes) -> float | None:
    """The parameters after from the gradients: W - rate g, each number moved by rate times its gradient's move."""
    layers, keys = len(net.activations), ("W", "gW", "b", "gb") if net.floats[1] is not None else ("W", "gW")
    size = np.max([np.abs(np.asarray(steps[f"{key}{l}"], dtype=float)).max() for l in range(layers) for key in keys])
    return _margin(max((_rate(net, path[0]) * moved for _, path, moved in sizes), default=0.0), size)


def _through(
    net: Network, slopes: list[float], steps: Mapping[str, Any], sizes: Sizes, alone: bool, written: Mapping[str, Any]
) -> float | None:
    """The output after (`alone`) or the loss after, from the parameters after (`written`: as the student laid
    them out), each number moved alone."""
    layers = len(slopes)
    weights = [np.abs(np.asarray(steps[f"W{l}"], dtype=float)) for l in range(layers)]
    below = [np.asarray(net.floats[2], dtype=float)] + [np.asarray(steps[f"a'{l}"]) for l in range(layers - 1)]
    largest = [np.abs(rows).max(axis=0) for rows in below]  # each input's largest size over the samples
    sums = [float(w.sum(axis=-1).max()) for w in weights]  # each layer's largest absolute row sum
    # how far the output moves, at most, per unit that z{l} moves: the layers above, each its slope and row sums
    gains, gain = [0.0] * layers, 1.0
    for l in range(layers - 1, -1, -1):
        gain *= slopes[l]
        gains[l] = gain
        gain *= sums[l]
    # no sum on the way is larger than this (the float error of the re-runs is relative to it)
    size = np.max([*(s * x.max() for s, x in zip(sums, largest)), *(x.max() for x in largest)])
    # W{l}[j][k] (the answer's, from 1) weighs input k of z{l-1} (the steps', from 0) where the student wrote the
    # matrix in its own shape; written otherwise (a row as a column), read into that shape (follow_steps._shaped), a
    # number's place says not which input it weighs: the largest input of the layer then
    laid_out = [np.shape(written.get(f"W{l + 1}")) == weights[l].shape for l in range(layers)]
    moved = []
    for _, path, change in sizes:
        layer = int(path[0][1:]) - 1
        if path[0][0] != "W":
            scale = 1.0  # a bias moves z by itself
        else:
            scale = float(largest[layer][path[2]] if laid_out[layer] else largest[layer].max())
        moved.append(change * scale * gains[layer])
    output = steps[f"a'{layers - 1}"]
    if alone:
        return _margin(sum(moved), size)
    return _loss(net, output, moved, size)


def _loss(net: Network, output: Any, moved: list[float], size: float) -> float | None:
    """How far the loss moves, at most, when the output moves by each of `moved` in turn (any of its numbers, or
    all: the largest |yhat - y| taken), summed: c (2 |yhat - y| d + d^2) for each of its m units (the samples'
    mean no more than the largest). `size`: the largest sum on the way to the output."""
    y = np.asarray(net.floats[3], dtype=float)
    off = float(np.abs(np.asarray(output, dtype=float) - y).max())
    m = y.shape[-1]
    c = {"half_squared_error": 0.5 * m, "squared_error": 1.0 * m, "mean_squared_error": 1.0}[net.loss]
    bound = sum(c * (2 * off * d + d * d) for d in moved)
    return _margin(bound, m * (1 + off + size) ** 2)  # the loss's terms are products of such numbers


def _margin(bound: float, size: float) -> float | None:
    """The bound widened past the re-runs' float error (relative to `size`, the largest number on the way); None
    where it is not finite."""
    found = bound * (1 + _MARGIN) + 1e-9 * (1 + size)
    return found if math.isfinite(found) else None

"""Gradient descent on a fully-connected network in float64, vectorized over the mini-batch with NumPy.

The second witness to exact.py, written independently: matrices for whole layers and batches instead of loops
over units. It is also the fast path for networks too large for exact arithmetic, and, with one of its `Slips`
switched, the classic wrong way a student trains it (the grader's mutants).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from hwsolver.compute.networks.float_losses import loss_terms
from hwsolver.compute.networks.network import Network

Array = np.ndarray


def _sigmoid(z: Array) -> Array:
    return 0.5 * (1.0 + np.tanh(0.5 * z))  # the same function, without overflow in exp(-z)


Elementwise = tuple[Callable[[Array], Array], Callable[[Array, Array], Array]]


def leaky_relu(slope: float) -> Elementwise:
    """Leaky ReLU of negative slope `slope` and its derivative (the left branch's slope at 0)."""
    return (lambda z: np.where(z > 0, z, slope * z)), (lambda z, a: np.where(z > 0, 1.0, slope))


# name -> (f, f' as a function of (z, f(z))); ReLU'(0) = 0, leaky ReLU'(0) = its slope (0.01 here, the course's;
# a network gives its own: `elementwise`).
ELEMENTWISE: dict[str, Elementwise] = {
    "identity": (lambda z: z, lambda z, a: np.ones_like(z)),
    "relu": (lambda z: np.maximum(z, 0.0), lambda z, a: (z > 0).astype(float)),
    "leaky_relu": leaky_relu(0.01),
    "sigmoid": (_sigmoid, lambda z, a: a * (1.0 - a)),
    "tanh": (np.tanh, lambda z, a: 1.0 - a * a),
}


def elementwise(net: Network, name: str) -> Elementwise:
    """The activation `name` as this network computes it (its leaky ReLU slope)."""
    return leaky_relu(float(net.slope)) if name == "leaky_relu" else ELEMENTWISE[name]


KINKED = frozenset({"relu", "leaky_relu"})
# A float pre-activation within this share of the size of its terms is rounding away from 0: the exact value
# may be 0 (0.5 - 0.3*2 + 0.1 gives 2.8e-17), where ReLU's slope is 0 and leaky ReLU's 0.01, not 1.
KINK_RELATIVE = 1e-12
ExactZ = Callable[[int], Array]  # layer -> the exact pre-activations (N x units), as floats


def _settle_kinks(z: Array, size: Array, layer: int, exact_z: ExactZ | None) -> Array:
    """z with the entries that rounding leaves undecided replaced by their exact value (when the exact
    pre-activations are known: the given parameters) or else by 0, the value a problem's numbers make likely."""
    unsure = np.abs(z) <= KINK_RELATIVE * size
    if not np.count_nonzero(unsure):  # the common case, first: every forward pass a grader makes runs this
        return z
    unsure &= (size > 0) & np.isfinite(size)  # a sum of exact zeros is 0 already; an overflow is no kink
    return np.where(unsure, exact_z(layer) if exact_z is not None else 0.0, z)


def exact_pre_activations(net: Network) -> ExactZ:
    """Layer -> the given network's pre-activations for every sample, computed exactly when first asked for (made
    for every float run, a grader's slips of each variant among them: a plain closure, not a functools.cache)."""
    found: list[list[Array]] = []

    def layer(l: int) -> Array:
        if not found:
            from hwsolver.compute.networks import exact as exact_path  # only where a kink needs deciding

            samples = exact_path.pre_activations(net)
            found.append([np.array([[float(v) for v in zs[n]] for zs in samples]) for n in range(len(net.activations))])
        return found[0][l]

    return layer


@dataclass(frozen=True)
class Slips:
    """Switches of the computation below, each a classic mistake when flipped; the defaults compute it right."""

    update_sign: float = 1  # -1: the update moves along the gradient, w + eta g
    loss_scale: float = 1  # 2: the 1/2 of half_squared_error dropped in its derivative (gradients doubled)
    activation_derivative: bool = True  # False: f'(z) left out of every error term
    stale_weights: bool = False  # True: each layer is updated before the error passes through it to the one below
    update_frozen: bool = False  # True: the frozen parameters are updated with the others
    batch_sum: bool = False  # True: a batch's gradients summed over its samples, not averaged
    per_sample_updates: bool = False  # True: mini-batch SGD updating after each sample of a batch (minibatch.py)
    epoch_loss_from_batches: bool = False  # True: an epoch's loss as the mean of its batches' (minibatch.py)


RIGHT = Slips()


@dataclass(frozen=True)
class Passes:
    """Every layer's z and a (each N x units), the objective, and dObjective/dz (errors) and gradients."""

    zs: list[Array]
    activations: list[Array]
    objective: float
    errors: list[Array]
    grad_w: list[Array]
    grad_b: list[Array]


# A slipped run, or a re-run from a student's own numbers, may diverge: its inf and nan match no answer, and a
# right run that overflows is told by solving, at the number causing it. So no RuntimeWarning reaches stderr.
# Entered once per call from outside (forward, passes, train): NumPy's errstate costs as much as a few of a small
# network's operations, and a grader trains every variant's slips.
_QUIET = np.errstate(over="ignore", invalid="ignore")


def _forward(
    net: Network, weights: list[Array], biases: list[Array] | None, x: Array, exact_z: ExactZ | None = None
) -> tuple[list, list]:
    """Every layer's z and a, each N x units (for stacked copies of the parameters, each copy's); kinks settled
    by `exact_z` (see _settle_kinks)."""
    zs, acts, a = [], [], x
    for l, (w, name) in enumerate(zip(weights, net.activations)):
        b = biases[l][..., np.newaxis, :] if biases is not None else 0.0  # a row, for every sample
        z = a @ _t(w) + b
        if name in KINKED:
            size = np.abs(a) @ _t(np.abs(w))
            if biases is not None:  # (+ 0.0 leaves a sum of sizes as it is)
                size = size + np.abs(b)
            z = _settle_kinks(z, size, l, exact_z)
        if name == "softmax":
            shifted = np.exp(z - z.max(axis=-1, keepdims=True))
            a = shifted / shifted.sum(axis=-1, keepdims=True)
        else:
            a = elementwise(net, name)[0](z)
        zs.append(z)
        acts.append(a)
    return zs, acts


def objective(net: Network, weights: list[Array], losses: Array) -> Any:
    """Mean per-sample loss plus the weight-decay penalty (lambda/2) sum ||W||^2 (for stacked copies, a list of
    each copy's)."""
    if losses.ndim > 1:
        if not net.weight_decay:  # each copy's mean at once (a row's sum is the sum of that row alone)
            return (losses.sum(axis=-1) / losses.shape[-1]).tolist()
        return [objective(net, [_at(w, n, 2) for w in weights], copy) for n, copy in enumerate(losses)]
    if not net.weight_decay:  # no penalty at all (0 * inf would be NaN for weights too large to square)
        return float(losses.sum() / len(losses))  # the mean, as np.mean computes it, without its overhead
    return float(losses.sum() / len(losses) + float(net.weight_decay) / 2 * sum(np.sum(w * w) for w in weights))


def _passes(
    net: Network,
    weights: list[Array],
    biases: list[Array] | None,
    x: Array,
    y: Array,
    exact_z: ExactZ | None = None,
    slips: Slips = RIGHT,
) -> Passes:
    """The forward and backward pass (with `slips`) at these parameters."""
    zs, acts = _forward(net, weights, biases, x, exact_z)
    n = x.shape[0]
    losses, upstream = loss_terms(net.loss, acts[-1], y)
    decay = float(net.weight_decay)
    total = objective(net, weights, losses)
    upstream = slips.loss_scale * upstream
    divisor = _choose(slips.batch_sum, lambda: 1, lambda: n)
    if not (isinstance(divisor, int) and divisor == 1):  # x / 1 is x, bit for bit: a batch of one skips it
        upstream = upstream / divisor
    inputs = [x, *acts[:-1]]
    errors: list[Array] = [np.empty(0)] * len(weights)
    grad_w: list[Array] = [np.empty(0)] * len(weights)
    for l in range(len(weights) - 1, -1, -1):
        up = upstream
        errors[l] = _choose(
            slips.activation_derivative, lambda l=l, up=up: _error(net, l, zs, acts, up), lambda up=up: up
        )
        grad_w[l] = _t(errors[l]) @ inputs[l] + decay * weights[l]
        if l == 0:
            break  # the input layer's error goes down to nothing
        through = weights[l]
        if f"W{l + 1}" not in net.frozen:  # stale: the update made before the error goes down
            updated = lambda l=l: weights[l] - slips.update_sign * float(net.learning_rate) * grad_w[l]  # noqa: E731
            through = _choose(slips.stale_weights, updated, lambda l=l: weights[l])
        upstream = errors[l] @ through
    grad_b = [e.sum(axis=-2) for e in errors] if biases is not None else []  # no biases: no gradients of them
    return Passes(zs, acts, total, errors, grad_w, grad_b)


# for callers from outside; train enters the errstate once for all its passes
forward, passes = _QUIET(_forward), _QUIET(_passes)


@dataclass(frozen=True)
class Run:
    """The float path's answers: the passes at the start, parameters, outputs and objective history after."""

    first: Passes
    weights_after: list[Array]
    biases_after: list[Array] | None
    outputs_after: Array  # a(L) for every sample, with the parameters after the last step
    history: list[float]


def arrays(net: Network) -> tuple[list[Array], list[Array] | None, Array, Array]:
    """The network's weights, biases, inputs and targets as float64 arrays (read-only: converted once)."""
    weights, biases, x, y = net.floats
    return list(weights), list(biases) if biases is not None else None, x, y


def update(
    weights: list[Array], biases: list[Array] | None, current: Passes, rate: float, frozen: frozenset[str]
) -> tuple[list[Array], list[Array] | None]:
    """One gradient step of every parameter not frozen (`rate` per copy, for stacked copies)."""
    weights = [w if f"W{l}" in frozen else w - rate * g for l, (w, g) in enumerate(zip(weights, current.grad_w), 1)]
    if biases is not None:
        rate = rate[..., 0] if np.ndim(rate) else rate  # a copy's rate for its vectors
        biases = [b if f"b{l}" in frozen else b - rate * g for l, (b, g) in enumerate(zip(biases, current.grad_b), 1)]
    return weights, biases


@_QUIET
def train(net: Network, slips: Slips = RIGHT) -> Run:
    """net.steps steps of gradient descent; with `slips`, the same steps as a student making those mistakes (with
    stacked switches, stacked copies of the whole run: train_each)."""
    weights, biases, x, y = arrays(net)
    rate = slips.update_sign * float(net.learning_rate)
    first = current = _passes(net, weights, biases, x, y, exact_pre_activations(net), slips)
    history = [first.objective]
    for step in range(1, net.steps + 1):
        weights, biases = _step(net, weights, biases, current, rate, slips.update_frozen)
        if step < net.steps:
            current = _passes(net, weights, biases, x, y, slips=slips)
            history.append(current.objective)
    # after the last step only the forward pass is asked for
    _, acts = _forward(net, weights, biases, x)
    history.append(objective(net, weights, loss_terms(net.loss, acts[-1], y)[0]))
    return Run(first, weights, biases, acts[-1], history)


def _step(
    net: Network, weights: list[Array], biases: list[Array] | None, current: Passes, rate: Any, thawed: Any
) -> tuple[list[Array], list[Array] | None]:
    """update(), the frozen parameters updated too where `thawed` (the slip), copy by copy for stacked ones."""
    if not isinstance(thawed, np.ndarray):
        return update(weights, biases, current, rate, frozenset() if thawed else net.frozen)
    moved, moved_b = update(weights, biases, current, rate, frozenset())
    weights = [
        np.where(thawed, new, old) if f"W{l}" in net.frozen else new
        for l, (old, new) in enumerate(zip(weights, moved), 1)
    ]
    if biases is not None and moved_b is not None:
        kept = thawed[..., 0]  # a copy's switch for its vectors
        biases = [
            np.where(kept, new, old) if f"b{l}" in net.frozen else new
            for l, (old, new) in enumerate(zip(biases, moved_b), 1)
        ]
    return weights, biases


def _at(value: Any, n: int, dims: int) -> Any:
    """Copy `n` of a value of `dims` axes, stacked or the same for all."""
    return value[n] if value.ndim > dims else value


def _t(matrix: Array) -> Array:
    """The transpose of a matrix, or of each of stacked copies of it."""
    return matrix.swapaxes(-1, -2)


def _choose(switch: Any, on: Callable[[], Any], off: Callable[[], Any]) -> Any:
    """on() where the switch is on, else off(): one of them for one switch, copy by copy for stacked ones."""
    if isinstance(switch, np.ndarray):
        return np.where(switch, on(), off())
    return on() if switch else off()


def _error(net: Network, l: int, zs: list[Array], acts: list[Array], upstream: Array) -> Array:
    """e(l): dObjective/dz(l) from dObjective/da(l)."""
    if net.activations[l] == "softmax":
        a = acts[l]
        return a * (upstream - np.sum(a * upstream, axis=-1, keepdims=True))
    return elementwise(net, net.activations[l])[1](zs[l], acts[l]) * upstream

"""Gradient descent on a fully-connected network in float64, vectorized over the mini-batch with NumPy.

The second witness to exact.py, written independently: matrices for whole layers and batches instead of loops
over units. It is also the fast path for networks too large for exact arithmetic, and, with one of its `Slips`
switched, the classic wrong way a student trains it (the grader's mutants).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from hwsolver.compute.networks.network import Network
from hwsolver.errors import SolveError

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
    if not unsure.any():  # the common case, checked first: this runs for every forward pass a grader makes
        return z
    unsure &= (size > 0) & np.isfinite(size)  # a sum of exact zeros is 0 already; an overflow is no kink
    return np.where(unsure, exact_z(layer) if exact_z is not None else 0.0, z)


def exact_pre_activations(net: Network) -> ExactZ:
    """Layer -> the given network's pre-activations for every sample, computed exactly when first asked for."""

    @functools.cache
    def layers() -> list[Array]:
        from hwsolver.compute.networks import exact as exact_path  # only where a kink needs deciding

        samples = exact_path.pre_activations(net)
        return [np.array([[float(v) for v in zs[l]] for zs in samples]) for l in range(len(net.activations))]

    return lambda layer: layers()[layer]


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


def loss_terms(name: str, yhat: Array, y: Array) -> tuple[Array, Array]:
    """Per-sample losses (N,) and dLoss/dyhat (N x m)."""
    diff = yhat - y
    m = y.shape[1]
    if name == "half_squared_error":
        return 0.5 * np.sum(diff**2, axis=1), diff
    if name == "squared_error":
        return np.sum(diff**2, axis=1), 2.0 * diff
    if name == "mean_squared_error":
        return np.sum(diff**2, axis=1) / m, 2.0 * diff / m
    with np.errstate(divide="ignore", invalid="ignore"):
        if name == "cross_entropy":
            if np.any((y != 0) & (yhat <= 0)):
                raise SolveError("cross-entropy is undefined: an output is 0 where the target is not")
            safe = np.where(y != 0, yhat, 1.0)
            return -np.sum(y * np.log(safe), axis=1), np.where(y != 0, -y / safe, 0.0)
        if np.any((yhat <= 0) | (yhat >= 1)):
            raise SolveError("binary cross-entropy is undefined: an output is outside (0, 1)")
        losses = -np.sum(y * np.log(yhat) + (1 - y) * np.log(1 - yhat), axis=1)
        return losses, diff / (yhat * (1 - yhat))


# A slipped run, or a re-run from a student's own numbers, may diverge: its inf and nan match no answer, and a
# right run that overflows is told by solving, at the number causing it. So no RuntimeWarning reaches stderr.
@np.errstate(over="ignore", invalid="ignore")
def forward(
    net: Network, weights: list[Array], biases: list[Array] | None, x: Array, exact_z: ExactZ | None = None
) -> tuple[list, list]:
    """Every layer's z and a, each N x units; kinks settled by `exact_z` (see _settle_kinks)."""
    zs, acts, a = [], [], x
    for l, (w, name) in enumerate(zip(weights, net.activations)):
        b = biases[l] if biases is not None else 0.0
        z = a @ w.T + b
        if name in KINKED:
            z = _settle_kinks(z, np.abs(a) @ np.abs(w).T + np.abs(b), l, exact_z)
        if name == "softmax":
            shifted = np.exp(z - z.max(axis=1, keepdims=True))
            a = shifted / shifted.sum(axis=1, keepdims=True)
        else:
            a = elementwise(net, name)[0](z)
        zs.append(z)
        acts.append(a)
    return zs, acts


def objective(net: Network, weights: list[Array], losses: Array) -> float:
    """Mean per-sample loss plus the weight-decay penalty (lambda/2) sum ||W||^2."""
    if not net.weight_decay:  # no penalty at all (0 * inf would be NaN for weights too large to square)
        return float(losses.sum() / len(losses))  # the mean, as np.mean computes it, without its overhead
    return float(losses.sum() / len(losses) + float(net.weight_decay) / 2 * sum(np.sum(w * w) for w in weights))


@np.errstate(over="ignore", invalid="ignore")  # as forward
def passes(
    net: Network,
    weights: list[Array],
    biases: list[Array] | None,
    x: Array,
    y: Array,
    exact_z: ExactZ | None = None,
    slips: Slips = RIGHT,
) -> Passes:
    zs, acts = forward(net, weights, biases, x, exact_z)
    n = x.shape[0]
    losses, upstream = loss_terms(net.loss, acts[-1], y)
    decay = float(net.weight_decay)
    total = objective(net, weights, losses)
    upstream = slips.loss_scale * upstream / (1 if slips.batch_sum else n)
    inputs = [x, *acts[:-1]]
    errors: list[Array] = [np.empty(0)] * len(weights)
    grad_w: list[Array] = [np.empty(0)] * len(weights)
    for l in range(len(weights) - 1, -1, -1):
        if not slips.activation_derivative:
            errors[l] = upstream
        elif net.activations[l] == "softmax":
            a = acts[l]
            errors[l] = a * (upstream - np.sum(a * upstream, axis=1, keepdims=True))
        else:
            errors[l] = elementwise(net, net.activations[l])[1](zs[l], acts[l]) * upstream
        grad_w[l] = errors[l].T @ inputs[l] + decay * weights[l]
        through = weights[l]
        if slips.stale_weights and f"W{l + 1}" not in net.frozen:  # the update made before the error goes down
            through = weights[l] - slips.update_sign * float(net.learning_rate) * grad_w[l]
        upstream = errors[l] @ through
    grad_b = [e.sum(axis=0) for e in errors]
    return Passes(zs, acts, total, errors, grad_w, grad_b)


@dataclass(frozen=True)
class Run:
    """The float path's answers: the passes at the start, parameters, outputs and objective history after."""

    first: Passes
    weights_after: list[Array]
    biases_after: list[Array] | None
    outputs_after: Array  # a(L) for every sample, with the parameters after the last step
    history: list[float]


def float_array(values: tuple) -> Array:
    """Exact numbers as a float64 array (numerator / denominator: much faster than float(Fraction))."""
    exact = np.array(values, dtype=object)
    return np.fromiter((v.numerator / v.denominator for v in exact.flat), float, exact.size).reshape(exact.shape)


def arrays(net: Network) -> tuple[list[Array], list[Array] | None, Array, Array]:
    """The network's weights, biases, inputs and targets as float64 arrays (read-only: converted once)."""
    weights, biases, x, y = net.floats
    return list(weights), list(biases) if biases is not None else None, x, y


def update(
    weights: list[Array], biases: list[Array] | None, current: Passes, rate: float, frozen: frozenset[str]
) -> tuple[list[Array], list[Array] | None]:
    """One gradient step of every parameter not frozen."""
    weights = [w if f"W{l}" in frozen else w - rate * g for l, (w, g) in enumerate(zip(weights, current.grad_w), 1)]
    if biases is not None:
        biases = [b if f"b{l}" in frozen else b - rate * g for l, (b, g) in enumerate(zip(biases, current.grad_b), 1)]
    return weights, biases


def train(net: Network, slips: Slips = RIGHT) -> Run:
    """net.steps steps of gradient descent; with `slips`, the same steps as a student making those mistakes."""
    weights, biases, x, y = arrays(net)
    rate = slips.update_sign * float(net.learning_rate)
    first = current = passes(net, weights, biases, x, y, exact_pre_activations(net), slips)
    history = [first.objective]
    frozen = frozenset() if slips.update_frozen else net.frozen
    for step in range(1, net.steps + 1):
        weights, biases = update(weights, biases, current, rate, frozen)
        if step < net.steps:
            current = passes(net, weights, biases, x, y, slips=slips)
            history.append(current.objective)
    # after the last step only the forward pass is asked for
    _, acts = forward(net, weights, biases, x)
    history.append(objective(net, weights, loss_terms(net.loss, acts[-1], y)[0]))
    return Run(first, weights, biases, acts[-1], history)

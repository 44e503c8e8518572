"""Gradient descent on a fully-connected network, unit by unit, in exact arithmetic.

This is the textbook algorithm written as plain loops over Python numbers: Fractions when every function of
the network is rational (ReLU, squared error), mpmath numbers at 50 digits otherwise. It is slow and obvious on
purpose: it is one of the two witnesses (vectorized.py is the other) and it yields the per-unit values a worked
solution shows.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import mpmath

from hwsolver.compute.networks.exact_numbers import (
    HALF,
    ONE,
    dot,
    equals,
    is_positive,
    minus,
    one_like,
    over,
    plus,
    product,
    times,
    total,
    zero_like,
)
from hwsolver.compute.networks.network import Network, Params
from hwsolver.errors import SolveError
from hwsolver.numbers import PRECISION_DIGITS, high_precision

Vector = tuple[Any, ...]
Matrix = tuple[Vector, ...]


def _relu(z: Any) -> Any:
    return z if is_positive(z) else zero_like(z)


def _sigmoid(z: Any) -> Any:
    return 1 / (1 + mpmath.exp(-z))


Elementwise = tuple[Callable[[Any], Any], Callable[[Any, Any], Any]]


def leaky_relu(slope: Any) -> Elementwise:
    """Leaky ReLU of negative slope `slope` (a Fraction, or a 50-digit number), and its derivative: the left
    branch's slope at 0, as for ReLU."""
    return (lambda z: z if is_positive(z) else slope * z), (lambda z, a: 1 if is_positive(z) else one_like(z) * slope)


# name -> (f, f' as a function of (z, f(z))); ReLU'(0) = 0 and leaky ReLU'(0) = its slope (the left branch),
# leaky ReLU at the course's slope 1/100 (networks give theirs: Network.slope).
ELEMENTWISE: dict[str, Elementwise] = {
    "identity": (lambda z: z, lambda z, a: 1),
    "relu": (_relu, lambda z, a: 1 if is_positive(z) else 0),
    "leaky_relu": leaky_relu(Fraction(1, 100)),
    "sigmoid": (_sigmoid, lambda z, a: a * (1 - a)),
    "tanh": (mpmath.tanh, lambda z, a: 1 - a * a),
}


# At 50 digits a pre-activation whose exact value is 0 (0.2 sigma(x) + 0.3 sigma(x) - 0.5 sigma(x)) may come out
# as 1e-50: within this share of the size of its terms it is taken as 0, so that ReLU's kink is decided as it is
# in exact arithmetic. Fractions are exact and never need it.
KINK_RELATIVE = mpmath.mpf(10) ** (10 - PRECISION_DIGITS)


def _settled(z: Any, row: Vector, a: Vector, bias: Any) -> Any:
    """z, or exactly 0 when z is a 50-digit number within rounding of 0."""
    if isinstance(z, Fraction) or z == 0:
        return z
    size = sum(abs(wjk * ak) for wjk, ak in zip(row, a)) + abs(bias)
    return 0 * z if abs(z) <= KINK_RELATIVE * size else z


# Not frozen (nothing changes them once made): a frozen dataclass is slow to build, and every student's variant
# makes a handful of each.
@dataclass(slots=True, unsafe_hash=True)
class Layer:
    """One layer's values for one sample: z = W a_prev + b, a = f(z), f'(z) (None for softmax)."""

    z: Vector
    a: Vector
    fprime: Vector | None


@dataclass(slots=True, unsafe_hash=True)
class SampleWork:
    """Forward and backward pass of one sample: layers, loss, dLoss/da of the output, error terms."""

    x: Vector
    y: Vector
    layers: tuple[Layer, ...]
    loss: Any
    dloss: Vector
    errors: tuple[Vector, ...]  # e_l = dObjective/dz_l, the 1/N of a mini-batch included (none after training)


@dataclass(slots=True, unsafe_hash=True)
class Step:
    """One gradient-descent step: parameters before, every sample's passes, objective, gradients, after."""

    params: Params
    samples: tuple[SampleWork, ...]
    objective: Any
    penalty: Any
    gradients: Params
    params_after: Params


def forward(net: Network, params: Params, x: Vector) -> tuple[Layer, ...]:
    layers, a = [], x
    for l, (w, name) in enumerate(zip(params.weights, net.activations)):
        bias = params.biases[l] if params.biases else (0,) * len(w)
        z = tuple([_settled(plus(dot(row, a), bj), row, a, bj) for row, bj in zip(w, bias)])
        if name == "softmax":
            top = max(z)
            exps = [mpmath.exp(zj - top) for zj in z]
            whole = sum(exps)
            layer = Layer(z, tuple(v / whole for v in exps), None)
        else:
            f, fprime = leaky_relu(net.slope) if name == "leaky_relu" else ELEMENTWISE[name]
            out = tuple([f(zj) for zj in z])
            layer = Layer(z, out, tuple([fprime(zj, aj) for zj, aj in zip(z, out)]))
        layers.append(layer)
        a = layer.a
    return tuple(layers)


def pre_activations(net: Network) -> list[tuple[Vector, ...]]:
    """Per sample, every layer's z at the given parameters, in exact numbers."""
    with mpmath.workdps(PRECISION_DIGITS):
        net = net.in_exact_numbers()
        return [tuple(layer.z for layer in forward(net, net.params, x)) for x in net.inputs]


def loss_and_gradient(name: str, yhat: Vector, y: Vector) -> tuple[Any, Vector]:
    """The per-sample loss and its gradient with respect to the network's output."""
    one = one_like(yhat[0])
    if name in ("half_squared_error", "squared_error", "mean_squared_error"):
        if name == "half_squared_error" and one is ONE:  # the course's loss, in Fractions: its constants known
            scale, twice = HALF, ONE
        else:
            scale = {"half_squared_error": one / 2, "squared_error": one, "mean_squared_error": one / len(y)}[name]
            twice = 2 * scale
        diff = [minus(p, t) for p, t in zip(yhat, y)]
        return product(scale, total(product(d, d) for d in diff)), tuple(times(twice, d) for d in diff)
    if name == "cross_entropy":
        for j, (p, t) in enumerate(zip(yhat, y), start=1):
            if t != 0 and p <= 0:
                raise SolveError(f"cross-entropy is undefined: output unit {j} is {p}, log of it is -infinity")
        value = -sum((t * mpmath.log(p) for p, t in zip(yhat, y) if t != 0), mpmath.mpf(0))
        return value, tuple((-t / p if t != 0 else 0 * p) for p, t in zip(yhat, y))
    # binary_cross_entropy, summed over output units
    for j, p in enumerate(yhat, start=1):
        if not 0 < p < 1:
            raise SolveError(f"binary cross-entropy is undefined: output unit {j} is {p}, outside (0, 1)")
    value = -sum(t * mpmath.log(p) + (1 - t) * mpmath.log(1 - p) for p, t in zip(yhat, y))
    return value, tuple((p - t) / (p * (1 - p)) for p, t in zip(yhat, y))


def backward(net: Network, params: Params, layers: Sequence[Layer], dloss: Vector, scale: Any) -> tuple[Vector, ...]:
    """Error terms from the output layer back: e_L from dLoss/da, e_l = f'(z_l) * (W_{l+1}^T e_{l+1})."""
    upstream = tuple([times(scale, g) for g in dloss])  # dObjective/da of the current layer
    errors: list[Vector] = []
    for l in range(len(layers) - 1, -1, -1):
        layer = layers[l]
        if layer.fprime is None:  # softmax: e = a * (g - a.g), the Jacobian of softmax applied to g
            inner = sum(a * g for a, g in zip(layer.a, upstream))
            e = tuple(a * (g - inner) for a, g in zip(layer.a, upstream))
        else:
            e = tuple([times(fp, g) for fp, g in zip(layer.fprime, upstream)])
        errors.append(e)
        if l > 0:
            w = params.weights[l]
            upstream = tuple([dot(column, e) for column in zip(*w)])  # W^T e: each column of W with e
    return tuple(reversed(errors))


def passes(net: Network, params: Params, *, back: bool = True) -> tuple[tuple[SampleWork, ...], Any, Any]:
    """Forward and backward pass of every sample (without `back`, the forward pass and the loss alone: the
    error terms are left empty); the objective (mean loss + weight penalty) and penalty."""
    n = len(net.inputs)
    samples = []
    for x, y in zip(net.inputs, net.targets):
        layers = forward(net, params, x)
        loss, dloss = loss_and_gradient(net.loss, layers[-1].a, y)
        errors = backward(net, params, layers, dloss, over(one_like(x[0]), n)) if back else ()
        samples.append(SampleWork(x, y, layers, loss, dloss, errors))
    penalty = net.weight_decay
    if penalty:  # without weight decay, its 0 (no weight's square asked for)
        penalty = penalty / 2 * sum(w * w for matrix in params.weights for row in matrix for w in row)
    return tuple(samples), plus(over(total(s.loss for s in samples), n), penalty), penalty


def step(net: Network, params: Params) -> Step:
    samples, objective, penalty = passes(net, params)
    gradients = _gradients(net, params, samples)
    rate = net.learning_rate
    after = Params(
        tuple(
            w if f"W{l}" in net.frozen else _minus(w, g, rate)
            for l, (w, g) in enumerate(zip(params.weights, gradients.weights), start=1)
        ),
        tuple(
            b if f"b{l}" in net.frozen else _minus(b, g, rate)
            for l, (b, g) in enumerate(zip(params.biases, gradients.biases), start=1)
        )
        if params.biases
        else None,
    )
    return Step(params, samples, objective, penalty, gradients, after)


def _gradients(net: Network, params: Params, samples: Sequence[SampleWork]) -> Params:
    weights, biases = [], []
    for l, w in enumerate(params.weights):
        # by unit, each sample's error term; by input, each sample's input: a weight's gradient sums their products
        errors = list(zip(*(s.errors[l] for s in samples)))
        inputs = list(zip(*(s.x if l == 0 else s.layers[l - 1].a for s in samples)))
        weights.append(
            tuple(
                tuple([_decayed(dot(errors_j, inputs_k), net, wjk) for inputs_k, wjk in zip(inputs, row)])
                for errors_j, row in zip(errors, w)
            )
        )
        if params.biases:
            biases.append(tuple([total(errors_j) for errors_j in errors]))
    return Params(tuple(weights), tuple(biases) if params.biases else None)


def _decayed(gradient: Any, net: Network, weight: Any) -> Any:
    """The gradient with weight decay's term (without decay, its 0 is the decay itself: 0 times the weight)."""
    decay = net.weight_decay
    return plus(gradient, decay) if equals(decay, 0) else gradient + decay * weight


def _minus(value: tuple, gradient: tuple, rate: Any) -> tuple:
    if value and isinstance(value[0], tuple):
        return tuple([_minus(v, g, rate) for v, g in zip(value, gradient)])
    return tuple([minus(v, times(rate, g)) for v, g in zip(value, gradient)])


def train(net: Network, *, direct: bool = True) -> tuple[tuple[Step, ...], tuple[SampleWork, ...], Any]:
    """`net.steps` steps of gradient descent, then the passes and objective at the final parameters: in Fractions
    while the network is rational (mpmath's precision set only if they outgrow), else at 50 digits. The common
    network (exact_scaled.fits) is stepped in integers, unless not `direct` (the general path, its witness)."""
    if net.rational:
        from hwsolver.compute.networks import exact_scaled  # (it builds this module's records)

        if direct and exact_scaled.fits(net):
            return _train(net, net.params, net.steps, exact_scaled.step, exact_scaled.final)
        return _train(net, net.params, net.steps)
    with mpmath.workdps(PRECISION_DIGITS):
        net = net.in_high_precision()
        return _train(net, net.params, net.steps)


def _final(net: Network, params: Params) -> tuple[tuple[SampleWork, ...], Any, Any]:
    return passes(net, params, back=False)  # no step follows: no error terms asked for


def _train(
    net: Network, params: Params, count: int, take: Callable[..., Step] = step, last: Callable[..., Any] = _final
) -> tuple[tuple[Step, ...], tuple[SampleWork, ...], Any]:
    steps = []
    for done in range(1, count + 1):
        steps.append(take(net, params))
        params = steps[-1].params_after
        if isinstance(params.weights[0][0][0], Fraction) and outgrown(params):
            # Every step multiplies the denominators: after a few, the exact values are thousands of digits
            # long and no reader wants them. Go on at 50 digits, far beyond what any answer prints.
            with mpmath.workdps(PRECISION_DIGITS):
                later, samples, objective = _train(net.in_high_precision(), params.map(high_precision), count - done)
            return (*steps, *later), samples, objective
    samples, objective, _ = last(net, params)
    return tuple(steps), samples, objective


MAX_DENOMINATOR_BITS = 256


def outgrown(params: Params) -> bool:
    """Whether some parameter's exact denominator has grown past MAX_DENOMINATOR_BITS."""
    values = [v for matrix in params.weights for row in matrix for v in row]
    values += [v for vector in params.biases or () for v in vector]
    return any(v.denominator.bit_length() > MAX_DENOMINATOR_BITS for v in values)

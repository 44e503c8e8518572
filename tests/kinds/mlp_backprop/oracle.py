"""An independent NumPy training loop for mlp_backprop's tests: sample by sample, with autograd-free
backpropagation written out per layer, leaky ReLU of any slope, frozen parameters and mini-batch SGD over an
order of samples. It shares no code with hwsolver.compute."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

Params = dict[str, np.ndarray]


def _activate(name: str, z: np.ndarray, slope: float) -> tuple[np.ndarray, np.ndarray]:
    """f(z) and f'(z) (ReLU'(0) = 0, leaky ReLU'(0) = slope)."""
    if name == "relu":
        return np.maximum(z, 0.0), (z > 0).astype(float)
    if name == "leaky_relu":
        return np.where(z > 0, z, slope * z), np.where(z > 0, 1.0, slope)
    if name == "sigmoid":
        a = 1.0 / (1.0 + np.exp(-z))
        return a, a * (1 - a)
    if name == "tanh":
        a = np.tanh(z)
        return a, 1 - a**2
    return z.copy(), np.ones_like(z)


def _loss(name: str, p: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
    if name == "half_squared_error":
        return 0.5 * float(np.sum((p - y) ** 2)), p - y
    if name == "squared_error":
        return float(np.sum((p - y) ** 2)), 2 * (p - y)
    assert name == "mean_squared_error", name
    return float(np.mean((p - y) ** 2)), 2 * (p - y) / len(y)


@dataclass
class Net:
    params: Params  # W1, b1, ... as float arrays
    activations: Sequence[str]
    loss: str = "half_squared_error"
    slope: float = 0.01
    decay: float = 0.0
    frozen: frozenset[str] = field(default_factory=frozenset)

    @property
    def layers(self) -> int:
        return len(self.activations)

    def sample(self, params: Params, x: np.ndarray, y: np.ndarray) -> tuple[float, Params]:
        """One sample's loss and its gradients (no weight decay)."""
        inputs, primes, a = [], [], x
        for l in range(1, self.layers + 1):
            inputs.append(a)
            z = params[f"W{l}"] @ a + params.get(f"b{l}", 0.0)
            a, prime = _activate(self.activations[l - 1], z, self.slope)
            primes.append(prime)
        value, upstream = _loss(self.loss, a, y)
        grads: Params = {}
        for l in range(self.layers, 0, -1):
            e = primes[l - 1] * upstream
            grads[f"W{l}"] = np.outer(e, inputs[l - 1])
            if f"b{l}" in params:
                grads[f"b{l}"] = e
            upstream = params[f"W{l}"].T @ e
        return value, grads

    def objective(self, params: Params, xs: np.ndarray, ys: np.ndarray) -> float:
        """Mean loss over the samples plus (decay/2) sum W^2."""
        mean = sum(self.sample(params, x, y)[0] for x, y in zip(xs, ys)) / len(xs)
        return mean + self.decay / 2 * sum(float(np.sum(v**2)) for k, v in params.items() if k[0] == "W")

    def gradients(self, params: Params, xs: np.ndarray, ys: np.ndarray, *, mean: bool = True) -> Params:
        total = {k: np.zeros_like(v) for k, v in params.items()}
        for x, y in zip(xs, ys):
            for k, g in self.sample(params, x, y)[1].items():
                total[k] += g
        scale = 1 / len(xs) if mean else 1.0
        return {k: scale * g + (self.decay * params[k] if k[0] == "W" else 0) for k, g in total.items()}

    def update(self, params: Params, grads: Params, rate: float) -> Params:
        return {k: v if k in self.frozen else v - rate * grads[k] for k, v in params.items()}


@dataclass
class Trained:
    iteration_params: list[Params]
    iteration_loss: list[float]
    epoch_loss: list[float]


def sgd(
    net: Net,
    xs: np.ndarray,
    ys: np.ndarray,
    rate: float,
    batch_size: int,
    orders: Sequence[Sequence[int]],
    *,
    mean: bool = True,
    per_sample: bool = False,
) -> Trained:
    """Mini-batch SGD over the given orders (0-based sample indices, one list per epoch); `mean=False` sums the
    batch's gradients, `per_sample` updates after each sample of a batch (two classic slips)."""
    params = {k: v.astype(float) for k, v in net.params.items()}
    out = Trained([], [], [])
    for order in orders:
        for start in range(0, len(order), batch_size):
            batch = list(order[start : start + batch_size])
            out.iteration_loss.append(net.objective(params, xs[batch], ys[batch]))
            if per_sample:
                for i in batch:
                    params = net.update(params, net.gradients(params, xs[[i]], ys[[i]]), rate)
            else:
                params = net.update(params, net.gradients(params, xs[batch], ys[batch], mean=mean), rate)
            out.iteration_params.append(params)
        out.epoch_loss.append(net.objective(params, xs, ys))
    return out


def finite_differences(net: Net, params: Params, xs: np.ndarray, ys: np.ndarray, h: float = 1e-6) -> Params:
    """The objective's gradients by central differences."""
    grads = {}
    for name, value in params.items():
        grad = np.zeros_like(value, dtype=float)
        for index in np.ndindex(value.shape):
            plus, minus = dict(params), dict(params)
            plus[name], minus[name] = value.astype(float), value.astype(float)
            plus[name][index] += h
            minus[name][index] -= h
            grad[index] = (net.objective(plus, xs, ys) - net.objective(minus, xs, ys)) / (2 * h)
        grads[name] = grad
    return grads

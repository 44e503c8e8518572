"""The first training step of an mlp_backprop network as the steps a student writes down (model.Chain), and a
student's answers read as the steps they stand for: what follow-through re-runs from (follow.py) and rounding
re-runs with each value rounded (the kind's chain).

NumPy throughout, on the last axes, so that a moved step's stacked copies broadcast (the chain `stacks`); only the
cross-entropies raise (an output of 0 where the target is not: the chain is `total` without them).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from hwsolver.compute.functions import SQUARED_LOSSES
from hwsolver.compute.networks import vectorized
from hwsolver.compute.networks.network import Network
from hwsolver.kinds.mlp_backprop.reach import reach_of
from hwsolver.model import Chain

Array = np.ndarray
Values = Mapping[str, Any]


class Steps:
    """The chain's steps and answers for one network: z{l} and a{l} (N x units), loss, e{l}, gW{l} and gb{l},
    W{l} and b{l} after the update, then z'{l}, a'{l} and loss' after it (layers counted from 0)."""

    def __init__(self, net: Network) -> None:
        self.net = net
        self.weights, self.biases, self.x, self.y = vectorized.arrays(net)
        self.layers = len(self.weights)
        # looked up once: rounding and follow-through run the steps thousands of times per class
        self.functions = [vectorized.elementwise(net, name) if name != "softmax" else None for name in net.activations]

    def chain(self) -> Chain:
        # each step's names, arrays and functions looked up once, as it is built: rounding and follow-through
        # run the steps thousands of times per class, and each variant builds its own chain
        top, layers, steps = self.layers - 1, range(self.layers), []
        for l in layers:
            steps += self._forward(l, "")
        steps.append(("loss", self._loss(f"a{top}", None)))
        steps += [(f"e{l}", self._error(l)) for l in range(top, -1, -1)]
        for l in layers:
            steps += self._update(l)
        for l in layers:
            steps += self._forward(l, "'")
        steps.append(("loss'", self._loss(f"a'{top}", [f"W{l}" for l in layers])))
        z, a, e = ([f"{key}{l}" for l in layers] for key in ("z", "a", "e"))
        output, output_after = f"a{top}", f"a'{top}"
        answers = {
            "forward": lambda v: self._per_sample(list(zip(*(_forward_rows(v[z[l]], v[a[l]]) for l in layers)))),
            "output_before": lambda v: self._per_sample(_rows(v[output])),
            "loss_before": lambda v: float(v["loss"]),
            "errors": lambda v: self._per_sample(list(zip(*(_rows(v[name]) for name in e)))),
            "gradients": self._named("gW", "gb"),
            "params_after": self._named("W", "b"),
            "output_after": lambda v: self._per_sample(_rows(v[output_after])),
            "loss_after": lambda v: float(v["loss'"]),
            "loss_decreased": lambda v: bool(v["loss'"] < v["loss"]),
        }
        size = self._size()
        total = self.net.loss in SQUARED_LOSSES
        return Chain(tuple(steps), answers, total=total, stacks=True, size=size, reach=reach_of(self.net, size))

    def _size(self) -> int:
        """The numbers in the chain's steps: z, a, e, z' and a' of each layer (N x units), its gradients and
        parameters after (twice the parameters), the loss before and after."""
        samples, parameters = len(self.x), [*self.weights, *(self.biases or ())]
        return sum(5 * samples * len(w) for w in self.weights) + 2 * sum(p.size for p in parameters) + 2

    def _forward(self, l: int, mark: str) -> list[tuple[str, Callable]]:
        """z and a of layer l: with the given parameters (no mark), or (mark ') with the updated ones, steps."""
        x, z_name, below = self.x, f"z{mark}{l}", f"a{mark}{l - 1}" if l else None
        if mark:
            weight, bias = f"W{l}", f"b{l}" if self.biases is not None else None
            z = lambda v: (v[below] if below else x) @ _t(v[weight]) + (v[bias][..., None, :] if bias else 0)  # noqa: E731
        else:
            weight_t, given_bias = self.weights[l].T, self.biases[l] if self.biases is not None else 0.0
            z = lambda v: (v[below] if below else x) @ weight_t + given_bias  # noqa: E731
        activate = self._activation(l)
        return [(z_name, z), (f"a{mark}{l}", lambda v: activate(v[z_name]))]

    def _loss(self, output: str, weights: list[str] | None) -> Callable:
        """The objective from the output step, with the given weights (None) or the steps `weights`."""
        net, given, y = self.net, self.weights, self.y
        if not net.weight_decay:  # no penalty reads them: a re-run from the output after would work out the update
            weights = None
        return lambda v: vectorized.objective(
            net, [v[name] for name in weights] if weights else given, vectorized.loss_terms(net.loss, v[output], y)[0]
        )

    def _error(self, l: int) -> Callable:
        """e(l) from the one above (or the loss), the true weights carrying it back."""
        z, a, functions = f"z{l}", f"a{l}", self.functions[l]
        if l == self.layers - 1:
            net, y, n = self.net, self.y, len(self.x)
            upstream = lambda v: vectorized.loss_terms(net.loss, v[a], y)[1] / n  # noqa: E731
        else:
            above, weight = f"e{l + 1}", self.weights[l + 1]
            upstream = lambda v: v[above] @ weight  # noqa: E731
        if functions is None:  # softmax
            return lambda v: _softmax_error(v[a], upstream(v))
        derivative = functions[1]
        return lambda v: derivative(v[z], v[a]) * upstream(v)

    def _update(self, l: int) -> list[tuple[str, Callable]]:
        """Layer l's gradients and its parameters after the update."""
        x, error, below, grad = self.x, f"e{l}", f"a{l - 1}" if l else None, f"gW{l}"
        weight, rate = self.weights[l], self._rate(f"W{l + 1}")
        decayed = float(self.net.weight_decay) * weight
        steps = [
            (grad, lambda v: _t(v[error]) @ (v[below] if below else x) + decayed),
            (f"W{l}", lambda v: weight - rate * v[grad]),
        ]
        if self.biases is not None:
            bias, grad_b, rate_b = self.biases[l], f"gb{l}", self._rate(f"b{l + 1}")
            steps.append((grad_b, lambda v: v[error].sum(axis=-2)))
            steps.append((f"b{l}", lambda v: bias - rate_b * v[grad_b]))
        return steps

    def _rate(self, name: str) -> float:
        """The learning rate of the parameter `name`: 0 when it is frozen."""
        return 0.0 if name in self.net.frozen else float(self.net.learning_rate)

    def _activation(self, l: int) -> Callable[[Array], Array]:
        functions = self.functions[l]
        return functions[0] if functions is not None else _softmax

    def _per_sample(self, rows: list[Any]) -> Any:
        return tuple(rows) if self.net.batch else rows[0]

    def _named(self, weight: str, bias: str) -> Callable[[Values], dict[str, Any]]:
        """The answer that reads the steps `weight`{l} (and `bias`{l}) as parameters by name: W1, b1, W2, ..."""
        entries = []
        for l in range(self.layers):
            entries.append((f"W{l + 1}", f"{weight}{l}", True))
            if self.biases is not None:
                entries.append((f"b{l + 1}", f"{bias}{l}", False))
        return lambda v: {
            key: tuple(map(tuple, v[step].tolist())) if matrix else tuple(v[step].tolist())
            for key, step, matrix in entries
        }

    # -- the student's answers as the steps they stand for (ValueError when they do not fit) ----------------

    def steps_of(self, part: str, value: Any) -> dict[str, Any]:
        top = self.layers - 1
        if part == "forward":
            samples = self._samples(value)
            return {
                f"{key}{l}": self._array([s[l][key] for s in samples], l)
                for l in range(self.layers)
                for key in ("z", "a")
            }
        if part in ("output_before", "output_after"):
            mark = "'" if part == "output_after" else ""
            return {f"a{mark}{top}": self._array(self._samples(value), top)}
        if part == "errors":
            samples = self._samples(value)
            return {f"e{l}": self._array([s[l] for s in samples], l) for l in range(self.layers)}
        if part in ("gradients", "params_after"):
            weight, bias = ("gW", "gb") if part == "gradients" else ("W", "b")
            found = {f"{weight}{l}": _shaped(value[f"W{l + 1}"], w.shape) for l, w in enumerate(self.weights)}
            for l, b in enumerate(self.biases or ()):
                found[f"{bias}{l}"] = _shaped(value[f"b{l + 1}"], b.shape)
            return found
        if part in ("loss_before", "loss_after"):
            return {"loss" if part == "loss_before" else "loss'": float(value)}
        raise KeyError(part)

    def _samples(self, value: Any) -> list[Any]:
        items = list(value) if self.net.batch else [value]
        if len(items) != len(self.x):
            raise ValueError("samples")
        return items

    def _array(self, rows: Any, layer: int) -> Array:
        """Per-sample values of one layer's units as N x units."""
        return _shaped(rows, (len(self.x), len(self.weights[layer])))


def _rows(array: Array) -> list[tuple[float, ...]]:
    """Each sample's values (a row of N x units) as a tuple of floats."""
    return list(map(tuple, array.tolist()))


def _forward_rows(z: Array, a: Array) -> list[dict[str, tuple[float, ...]]]:
    return [{"z": row_z, "a": row_a} for row_z, row_a in zip(_rows(z), _rows(a), strict=True)]


def _softmax(z: Array) -> Array:
    shifted = np.exp(z - z.max(axis=-1, keepdims=True))
    return shifted / shifted.sum(axis=-1, keepdims=True)


def _softmax_error(a: Array, upstream: Array) -> Array:
    return a * (upstream - np.sum(a * upstream, axis=-1, keepdims=True))


def _t(matrix: Array) -> Array:
    """The transpose of a matrix, or of each of stacked copies of it."""
    return matrix.swapaxes(-1, -2)


def _shaped(value: Any, shape: tuple[int, ...]) -> Array:
    array = np.array(value, dtype=float)
    if array.size != math.prod(shape):  # math's: NumPy's prod costs more than the rest (this runs per re-run)
        raise ValueError("shape")
    return array.reshape(shape)

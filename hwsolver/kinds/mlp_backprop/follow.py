"""Follow-through on an mlp_backprop problem: the first training step as a chain of the steps a student writes
down (model.Chain), re-run from the student's own values in place of some of them.

Routes: the loss and the error terms from the student's output or forward values; the gradients from their
error terms (with the true or their own forward values), or from their output; the update from their gradients;
output and loss after from their parameters or (the loss) their output after; the comparison from their losses.
Not sound to carry on (`trivial`): gradients or parameters that copy the given weights, an output that copies
the target (each leaves nothing to compute after it).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from hwsolver.compute.closeness import allclose
from hwsolver.compute.functions import SQUARED_LOSSES
from hwsolver.compute.networks import vectorized
from hwsolver.compute.networks.network import Network
from hwsolver.kinds.mlp_backprop import follow_sgd
from hwsolver.model import Chain, Problem, Route, Solution

Array = np.ndarray
Values = Mapping[str, Any]
_COPY_RTOL = 5e-3  # a value within this of a given one, entry by entry, is a copy of it (as rounded)
_AFTER = ("params_after", "output_after", "loss_after", "loss_decreased")  # one step's, in the chain
ROUTES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("output_before", ("forward",)),
    ("loss_before", ("output_before",)),
    ("loss_before", ("forward",)),
    ("errors", ("output_before",)),
    ("errors", ("forward",)),
    ("gradients", ("errors",)),
    ("gradients", ("errors", "forward")),
    ("gradients", ("output_before",)),
    ("gradients", ("forward",)),
    ("params_after", ("gradients",)),
    ("output_after", ("params_after",)),
    ("loss_after", ("params_after",)),
    ("loss_after", ("output_after",)),
    ("loss_decreased", ("loss_before", "loss_after")),
)


class _Steps:
    """The chain's steps and answers for one network: z{l} and a{l} (N x units), loss, e{l}, gW{l} and gb{l},
    W{l} and b{l} after the update, then z'{l}, a'{l} and loss' after it (layers counted from 0)."""

    def __init__(self, net: Network) -> None:
        self.net = net
        self.weights, self.biases, self.x, self.y = vectorized.arrays(net)
        self.layers = len(self.weights)
        # looked up once: rounding and follow-through run the steps thousands of times per class
        self.functions = [vectorized.elementwise(net, name) if name != "softmax" else None for name in net.activations]

    def chain(self) -> Chain:
        top, steps = self.layers - 1, []
        for l in range(self.layers):
            steps += self._forward(l, "", lambda v, l=l: self.weights[l], lambda v, l=l: self._bias(l))
        steps.append(("loss", lambda v: self._objective(v[f"a{top}"], self.weights)))
        for l in range(top, -1, -1):
            steps.append((f"e{l}", lambda v, l=l: self._error(l, v)))
        decay = float(self.net.weight_decay)
        for l in range(self.layers):
            below = (lambda v, l=l: v[f"a{l - 1}"]) if l else (lambda v: self.x)
            steps.append((f"gW{l}", lambda v, l=l, below=below: v[f"e{l}"].T @ below(v) + decay * self.weights[l]))
            rate = self._rate(f"W{l + 1}")
            steps.append((f"W{l}", lambda v, l=l, rate=rate: self.weights[l] - rate * v[f"gW{l}"]))
            if self.biases is not None:
                steps.append((f"gb{l}", lambda v, l=l: v[f"e{l}"].sum(axis=0)))
                rate = self._rate(f"b{l + 1}")
                steps.append((f"b{l}", lambda v, l=l, rate=rate: self.biases[l] - rate * v[f"gb{l}"]))
        for l in range(self.layers):
            steps += self._forward(l, "'", lambda v, l=l: v[f"W{l}"], lambda v, l=l: v[f"b{l}"] if self.biases else 0)
        steps.append(("loss'", lambda v: self._objective(v[f"a'{top}"], [v[f"W{l}"] for l in range(self.layers)])))
        answers = {
            "forward": lambda v: self._per_sample(
                [
                    tuple({"z": _row(v[f"z{l}"], i), "a": _row(v[f"a{l}"], i)} for l in range(self.layers))
                    for i in self._n
                ]
            ),
            "output_before": lambda v: self._per_sample([_row(v[f"a{top}"], i) for i in self._n]),
            "loss_before": lambda v: float(v["loss"]),
            "errors": lambda v: self._per_sample(
                [tuple(_row(v[f"e{l}"], i) for l in range(self.layers)) for i in self._n]
            ),
            "gradients": lambda v: self._named(v, "gW", "gb"),
            "params_after": lambda v: self._named(v, "W", "b"),
            "output_after": lambda v: self._per_sample([_row(v[f"a'{top}"], i) for i in self._n]),
            "loss_after": lambda v: float(v["loss'"]),
            "loss_decreased": lambda v: bool(v["loss'"] < v["loss"]),
        }
        # NumPy throughout; only the cross-entropies raise (an output of 0 where the target is not)
        return Chain(tuple(steps), answers, total=self.net.loss in SQUARED_LOSSES)

    @property
    def _n(self) -> range:
        return range(len(self.x))

    def _forward(self, l: int, mark: str, weight: Callable, bias: Callable) -> list[tuple[str, Callable]]:
        below = (lambda v: v[f"a{mark}{l - 1}"]) if l else (lambda v: self.x)
        return [
            (f"z{mark}{l}", lambda v: below(v) @ weight(v).T + bias(v)),
            (f"a{mark}{l}", lambda v: self._activate(l, v[f"z{mark}{l}"])),
        ]

    def _rate(self, name: str) -> float:
        """The learning rate of the parameter `name`: 0 when it is frozen."""
        return 0.0 if name in self.net.frozen else float(self.net.learning_rate)

    def _bias(self, l: int) -> Any:
        return self.biases[l] if self.biases is not None else 0.0

    def _activate(self, l: int, z: Array) -> Array:
        functions = self.functions[l]
        if functions is None:  # softmax
            shifted = np.exp(z - z.max(axis=1, keepdims=True))
            return shifted / shifted.sum(axis=1, keepdims=True)
        return functions[0](z)

    def _objective(self, outputs: Array, weights: list[Array]) -> float:
        return vectorized.objective(self.net, weights, vectorized.loss_terms(self.net.loss, outputs, self.y)[0])

    def _error(self, l: int, v: Values) -> Array:
        """e(l) from the one above (or the loss), the true weights carrying it back."""
        if l == self.layers - 1:
            upstream = vectorized.loss_terms(self.net.loss, v[f"a{l}"], self.y)[1] / len(self.x)
        else:
            upstream = v[f"e{l + 1}"] @ self.weights[l + 1]
        a = v[f"a{l}"]
        functions = self.functions[l]
        if functions is None:  # softmax
            return a * (upstream - np.sum(a * upstream, axis=1, keepdims=True))
        return functions[1](v[f"z{l}"], a) * upstream

    def _per_sample(self, rows: list[Any]) -> Any:
        return tuple(rows) if self.net.batch else rows[0]

    def _named(self, v: Values, weight: str, bias: str) -> dict[str, Any]:
        named: dict[str, Any] = {}
        for l in range(self.layers):
            named[f"W{l + 1}"] = tuple(map(tuple, v[f"{weight}{l}"].tolist()))
            if self.biases is not None:
                named[f"b{l + 1}"] = tuple(v[f"{bias}{l}"].tolist())
        return named

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


def _row(array: Array, i: int) -> tuple[float, ...]:
    return tuple(array[i].tolist())


def _shaped(value: Any, shape: tuple[int, ...]) -> Array:
    array = np.array(value, dtype=float)
    if array.size != int(np.prod(shape)):
        raise ValueError("shape")
    return array.reshape(shape)


def chain(problem: Problem, solution: Solution) -> Chain:
    """The first training step as steps; with several steps, the parts after it are not the chain's; with
    mini-batch SGD, the first iteration's gradients alone."""
    net: Network = problem.given
    if net.schedule is not None:
        built = _Steps(net.subset(net.schedule.batches()[0][1])).chain()
        return Chain(built.steps, {"gradients": built.answers["gradients"]}, total=built.total)
    built = _Steps(net).chain()
    if problem.given.steps == 1:
        return built
    kept = {part: read for part, read in built.answers.items() if part not in _AFTER}
    return Chain(built.steps, kept, total=built.total)


def follow_through(problem: Problem, solution: Solution) -> tuple[Route, ...]:
    """Every way to work a part out from the student's own earlier answers on this network."""
    net: Network = problem.given
    if net.schedule is not None:
        return follow_sgd.routes(net, solution.answers["iteration_params"])
    steps = _Steps(net)
    built = steps.chain()
    routes = []
    for part, uses in ROUTES:
        if net.steps != 1 and part == "params_after":
            continue  # several steps: the parameters after them do not follow from the first step's gradients

        def compute(values: Values, part: str = part, uses: tuple[str, ...] = uses) -> Any:
            given: dict[str, Any] = {}
            for name in uses:
                given.update(steps.steps_of(name, values[name]))
            return built.answers[part](built.values(given))

        routes.append(Route(part, uses, compute))
    return tuple(routes)


def trivial(problem: Problem, solution: Solution, part: str, value: Any) -> bool:
    """Gradients that copy the given weights (or a multiple of them: no data in them), parameters after that
    copy them (no update), an output that copies the target (nothing to propagate)."""
    net: Network = problem.given
    if part == "iteration_params" and isinstance(value, tuple | list) and value:
        return all(trivial(problem, solution, "params_after", params) for params in value)
    if part in ("gradients", "params_after") and isinstance(value, Mapping):
        named = net.params.named()
        if not all(name in value for name in named):
            return False
        got, want = (np.concatenate([_flat(source[name]) for name in named]) for source in (value, named))
        if part == "params_after":
            return _copies(got, want)
        scale = float(got @ want) / float(want @ want) if want.any() else 0.0
        return scale != 0 and _copies(got, scale * want)
    if part in ("output_before", "output_after"):
        return _copies(_flat(value if net.batch else (value,)), _flat(net.targets))
    return False


def _flat(value: Any) -> Array:
    try:
        return np.array(value, dtype=float).reshape(-1)
    except (TypeError, ValueError):
        return np.full(1, np.nan)  # copies nothing


def _copies(got: Array, want: Array) -> bool:
    return got.size == want.size and allclose(got, want, rtol=_COPY_RTOL, atol=1e-12)

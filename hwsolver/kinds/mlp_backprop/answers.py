"""An mlp_backprop problem's answers, by part, from the exact path's work or from a float run whose arrays are
nested lists (stacked.listed): each part's answer made only when asked for (a grader's slipped runs are read at
the parts a slip shows in alone, for every student's variant)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from fractions import Fraction
from typing import Any

from hwsolver.compute.networks import vectorized
from hwsolver.compute.networks.network import Network
from hwsolver.numbers import high_precision


class _Exact:
    """The makings of the answers in the exact path's work: its steps, the samples after, the history."""

    def __init__(self, net: Network, steps: tuple, final_samples: tuple, history: tuple) -> None:
        self.net, self.first, self.last, self.final, self.history = net, steps[0], steps[-1], final_samples, history

    def forward(self) -> list:
        return [tuple({"z": layer.z, "a": layer.a} for layer in s.layers) for s in self.first.samples]

    def errors(self) -> list:
        return [s.errors for s in self.first.samples]

    def outputs_before(self) -> list:
        return [s.layers[-1].a for s in self.first.samples]

    def outputs_after(self) -> list:
        return [s.layers[-1].a for s in self.final]

    def gradients(self) -> dict[str, Any]:
        return self.first.gradients.named()

    def params_after(self) -> dict[str, Any]:
        return self.last.params_after.named()


class _Listed:
    """The makings of the answers in a float run of nested lists."""

    def __init__(self, net: Network, run: vectorized.Run) -> None:
        self.net, self.run, self.first, self.history = net, run, run.first, run.history
        self.has_biases = net.params.biases is not None

    def forward(self) -> list:
        zs, acts = self.first.zs, self.first.activations
        return [tuple({"z": tuple(z[i]), "a": tuple(a[i])} for z, a in zip(zs, acts)) for i in range(len(zs[0]))]

    def errors(self) -> list:
        errors = self.first.errors
        return [tuple(tuple(e[i]) for e in errors) for i in range(len(self.first.zs[0]))]

    def outputs_before(self) -> list:
        return [tuple(row) for row in self.first.activations[-1]]

    def outputs_after(self) -> list:
        return [tuple(row) for row in self.run.outputs_after]

    def gradients(self) -> dict[str, Any]:
        return self._named(self.first.grad_w, self.first.grad_b)

    def params_after(self) -> dict[str, Any]:
        return self._named(self.run.weights_after, self.run.biases_after)

    def _named(self, weights: list, biases: list | None) -> dict[str, Any]:
        """Params(weights, biases).named() of the lists, as tuples."""
        named: dict[str, Any] = {}
        for l, matrix in enumerate(weights, start=1):
            named[f"W{l}"] = tuple(map(tuple, matrix))
            if self.has_biases:
                named[f"b{l}"] = tuple(biases[l - 1])  # type: ignore[index]
        return named


Makings = _Exact | _Listed
_PARTS: dict[str, Callable[[Makings], Any]] = {
    "forward": lambda m: _per_sample(m.net, m.forward()),
    "output_before": lambda m: _per_sample(m.net, m.outputs_before()),
    "loss_before": lambda m: m.history[0],
    "errors": lambda m: _per_sample(m.net, m.errors()),
    "gradients": lambda m: m.gradients(),
    "params_after": lambda m: m.params_after(),
    "output_after": lambda m: _per_sample(m.net, m.outputs_after()),
    "loss_after": lambda m: m.history[-1],
    "loss_decreased": lambda m: _lower(m.history[-1], m.history[0]),
    "loss_history": lambda m: tuple(m.history),
}


def exact_answers(net: Network, steps: tuple, final_samples: tuple, history: tuple) -> dict[str, Any]:
    """Every answer of the exact path's work (its history: the objective before each step and after the last)."""
    made = _Exact(net, steps, final_samples, history)
    return {part: make(made) for part, make in _PARTS.items()}


def listed_answers(net: Network, run: vectorized.Run, parts: Sequence[str] | None = None) -> dict[str, Any]:
    """The answers to `parts` (else all) of a float run whose arrays are nested lists."""
    made = _Listed(net, run)
    return {part: _PARTS[part](made) for part in (_PARTS if parts is None else parts)}


Layout = tuple[Any, list[float]]


def listed_layouts(net: Network, runs: Sequence[vectorized.Run], part: str) -> list[Layout | None]:
    """What grading's float_layout makes of each run's answer to `part` (listed_answers(net, run, (part,))[part]:
    its shape, its numbers in order), read straight from the runs' lists without making the answers: a grader
    lays out every slip's answer to each part a student got wrong and compares it with theirs (most differ at the
    first number). The runs are copies of one network's (a variant's slips): shapes are the first run's. None
    for a part laid out otherwise (errors: a vector per layer, of different lengths)."""
    if part == "gradients":
        return _named_layouts(net, [(run.first.grad_w, run.first.grad_b) for run in runs])
    if part == "params_after":
        return _named_layouts(net, [(run.weights_after, run.biases_after) for run in runs])
    if part == "output_after":
        outputs = [run.outputs_after for run in runs]
        if not net.batch:  # the one sample's vector
            return [((len(rows[0]),), list(rows[0])) for rows in outputs]
        return [((len(rows), len(rows[0])), [number for row in rows for number in row]) for rows in outputs]
    if part == "loss_after":
        return [((), [loss]) if type(loss := run.history[-1]) is float else None for run in runs]
    return [None] * len(runs)


def _named_layouts(net: Network, arrays: list[tuple[list, list | None]]) -> list[Layout | None]:
    """The layout of _named(weights, biases) for each (weights, biases): the parameters in the order of their
    names (float_layout lays a dict out by its sorted keys), each row by row."""
    weights, biases = arrays[0]
    named = [(f"W{l}", 0, l - 1, (len(matrix), len(matrix[0]))) for l, matrix in enumerate(weights, start=1)]
    if net.params.biases is not None:
        named += [(f"b{l}", 1, l - 1, (len(vector),)) for l, vector in enumerate(biases or (), start=1)]
    named.sort()
    shapes = tuple((name, shape) for name, _, _, shape in named)
    found: list[Layout | None] = []
    for params in arrays:
        numbers: list[float] = []
        for _, which, layer, shape in named:
            values = params[which][layer]  # type: ignore[index]
            numbers += values if len(shape) == 1 else [number for row in values for number in row]
        found.append((shapes, numbers))
    return found


def _per_sample(net: Network, values: list) -> Any:
    return tuple(values) if net.batch else values[0]


def _lower(after: Any, before: Any) -> bool:
    """after < before, also when a long run moved the exact path from Fractions to 50 digits part way."""
    if type(after) is not type(before):
        after, before = (high_precision(v) if isinstance(v, Fraction) else v for v in (after, before))
    return bool(after < before)

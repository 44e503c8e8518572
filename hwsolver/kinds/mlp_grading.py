"""How students go wrong on an mlp_backprop problem, and what their own earlier answers imply.

Mutants re-run the training with one classic slip (in float64: they are compared within tolerance, never
reported as answers); follow-through recomputes a part from the student's own values of earlier parts.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from hwsolver.model import Mutant, Problem, Solution
from hwsolver.networks import vectorized
from hwsolver.networks.network import Network

Array = np.ndarray


def _objective(net: Network, weights: list[Array], biases: list[Array] | None, x: Array, y: Array) -> float:
    _, acts = vectorized.forward(net, weights, biases, x)
    return vectorized.objective(net, weights, vectorized.loss_terms(net.loss, acts[-1], y)[0])


def _slipped_run(net: Network, *, sign: float = 1, scale: float = 1, fprime: bool = True, stale: bool = False):
    """Training with one slip: update direction `sign`, gradient scaled, f' dropped, or stale weights."""
    weights, biases, x, y = vectorized.arrays(net)
    rate, n = float(net.learning_rate), len(x)
    first_errors = first_gradients = None
    for _ in range(net.steps):
        zs, acts = vectorized.forward(net, weights, biases, x)
        _, upstream = vectorized.loss_terms(net.loss, acts[-1], y)
        upstream = scale * upstream / n
        errors, grads_w, grads_b = [None] * len(weights), [None] * len(weights), [None] * len(weights)
        new_weights = list(weights)
        inputs = [x, *acts[:-1]]
        for l in range(len(weights) - 1, -1, -1):
            if net.activations[l] == "softmax" or not fprime:
                errors[l] = (
                    upstream if not fprime else acts[l] * (upstream - np.sum(acts[l] * upstream, 1, keepdims=True))
                )
            else:
                errors[l] = vectorized.ELEMENTWISE[net.activations[l]][1](zs[l], acts[l]) * upstream
            grads_w[l] = errors[l].T @ inputs[l] + float(net.weight_decay) * weights[l]
            grads_b[l] = errors[l].sum(axis=0)
            new_weights[l] = weights[l] - sign * rate * grads_w[l]
            upstream = errors[l] @ (new_weights[l] if stale else weights[l])
        if first_errors is None:
            first_errors, first_gradients = errors, (grads_w, grads_b)
        weights = new_weights
        if biases is not None:
            biases = [b - sign * rate * g for b, g in zip(biases, grads_b)]
    return first_errors, first_gradients, weights, biases, _objective(net, weights, biases, x, y)


def _named(weights: list[Array], biases: list[Array] | None) -> dict[str, Any]:
    named: dict[str, Any] = {}
    for l, w in enumerate(weights, start=1):
        named[f"W{l}"] = tuple(map(tuple, w.tolist()))
        if biases is not None:
            named[f"b{l}"] = tuple(biases[l - 1].tolist())
    return named


def _mutant(net: Network, mutant_id: str, feedback: str, **slip: Any) -> Mutant:
    errors, (grads_w, grads_b), weights, biases, loss_after = _slipped_run(net, **slip)
    _, _, x, _ = vectorized.arrays(net)
    _, acts = vectorized.forward(net, weights, biases, x)
    per_sample = lambda values: tuple(values) if net.batch else values[0]  # noqa: E731
    answers = {
        "errors": per_sample([tuple(tuple(e[i].tolist()) for e in errors) for i in range(len(x))]),
        "gradients": _named(grads_w, grads_b if net.params.biases else None),
        "params_after": _named(weights, biases),
        "output_after": per_sample([tuple(acts[-1][i].tolist()) for i in range(len(x))]),
        "loss_after": loss_after,
    }
    return Mutant(mutant_id, feedback, answers)


def mistakes(problem: Problem, solution: Solution) -> tuple[Mutant, ...]:
    """The classic slips on this network, each with the answers it leads to."""
    net: Network = problem.given
    found = [
        _mutant(
            net,
            "sign_flipped",
            "The update moved along the gradient instead of against it: w - eta*g, not w + eta*g.",
            sign=-1,
        ),
        _mutant(
            net,
            "stale_weights",
            "The hidden error terms were computed with the already-updated weights of the layer above; "
            "backpropagate with the old weights, then update all layers.",
            stale=True,
        ),
        _mutant(
            net,
            "no_activation_derivative",
            "The derivative of the activation was left out of the error terms: e(l) = f'(z(l)) * (W(l+1)^T e(l+1)).",
            fprime=False,
        ),
    ]
    if net.loss == "half_squared_error":
        # the derivative of 1/2 (y - t)^2 taken as 2 (y - t); the loss itself is often still written right
        feedback = "The 1/2 of the loss was dropped in its derivative, so every gradient came out doubled."
        found.append(_mutant(net, "missing_half", feedback, scale=2))
    found.append(
        Mutant(
            "wrong_learning_rate",
            "The update used a different learning rate from the one given.",
            matches=lambda part, value: part == "params_after" and _other_rate(net, solution, value),
        )
    )
    if net.params.biases is None:
        found.append(
            Mutant(
                "biases_added",
                "This network has no biases: there is nothing to update besides the weights.",
                matches=lambda part, value: (
                    part in ("params_after", "gradients")
                    and isinstance(value, Mapping)
                    and any(str(key).startswith("b") for key in value)
                ),
            )
        )
    return tuple(found)


def _other_rate(net: Network, solution: Solution, value: Any) -> bool:
    """params_after = W - k*g for one k other than the learning rate (every entry agreeing on k)."""
    if net.steps != 1 or not isinstance(value, Mapping):
        return False
    rates = []
    for name, old in net.params.named().items():
        if name not in value:
            return False
        try:
            new = np.array(value[name], dtype=float)
            old_a = np.array(old, dtype=float)
            grad = np.array(solution.answers["gradients"][name], dtype=float)
        except (TypeError, ValueError):
            return False
        if new.shape != old_a.shape:
            return False
        mask = np.abs(grad) > 1e-12
        rates.extend(((old_a - new)[mask] / grad[mask]).tolist())
    if not rates:
        return False
    k = float(np.median(rates))
    rate = float(net.learning_rate)
    # k = 0 is no update at all, k < 0 a step the wrong way: other slips, not another learning rate
    return k > 1e-9 and abs(k - rate) > 1e-3 * rate and all(abs(r - k) <= 2e-2 * abs(k) + 1e-9 for r in rates)


_ARRAYS: dict[int, tuple[Network, Any, Any]] = {}


def _data(net: Network) -> tuple[Any, Any]:
    """The inputs and targets as arrays, converted once per network (follow-through runs per student)."""
    cached = _ARRAYS.get(id(net))
    if cached is None or cached[0] is not net:
        _, _, x, y = vectorized.arrays(net)
        cached = _ARRAYS[id(net)] = (net, x, y)
    return cached[1], cached[2]


def follow_through(problem: Problem, solution: Solution, part: str, values: Mapping[str, Any]) -> list[Any]:
    """What `part` should be if the student's own earlier answers were right (several routes may apply)."""
    net: Network = problem.given
    x, y = _data(net)
    candidates: list[Any] = []
    try:
        if part in ("output_after", "loss_after") and isinstance(values.get("params_after"), Mapping):
            new_w, new_b = _student_params(net, values["params_after"])
            _, acts = vectorized.forward(net, new_w, new_b, x)
            outputs = [tuple(acts[-1][i].tolist()) for i in range(len(x))]
            if part == "output_after":
                candidates.append(tuple(outputs) if net.batch else outputs[0])
            else:
                candidates.append(_objective(net, new_w, new_b, x, y))
        if not net.weight_decay and part == "loss_after" and "output_after" in values:
            candidates.append(_loss_of_outputs(net, values["output_after"], y))
        if not net.weight_decay and part == "loss_before" and "output_before" in values:
            candidates.append(_loss_of_outputs(net, values["output_before"], y))
        if part == "params_after" and isinstance(values.get("gradients"), Mapping) and net.steps == 1:
            rate = float(net.learning_rate)
            step = {}
            for name, old in net.params.named().items():
                grad = np.array(values["gradients"][name], dtype=float)
                step[name] = _as_tuples(np.array(old, dtype=float) - rate * grad)
            candidates.append(step)
        if part == "loss_decreased" and "loss_before" in values and "loss_after" in values:
            candidates.append(bool(float(values["loss_after"]) < float(values["loss_before"])))
    except (KeyError, TypeError, ValueError):
        pass  # the student's earlier values don't fit the network: no follow-through
    return candidates


def _student_params(net: Network, named: Mapping[str, Any]) -> tuple[list[Array], list[Array] | None]:
    layers = len(net.params.weights)
    weights = [np.array(named[f"W{l}"], dtype=float) for l in range(1, layers + 1)]
    for w, old in zip(weights, net.params.weights):
        if w.shape != (len(old), len(old[0])):
            raise ValueError("shape")
    biases = [np.array(named[f"b{l}"], dtype=float) for l in range(1, layers + 1)] if net.params.biases else None
    return weights, biases


def _loss_of_outputs(net: Network, outputs: Any, y: Array) -> float:
    """The mean loss of the student's outputs (no weight decay: then the weights would be needed too)."""
    yhat = np.array(outputs if net.batch else [outputs], dtype=float).reshape(y.shape)
    return float(vectorized.loss_terms(net.loss, yhat, y)[0].mean())


def _as_tuples(array: Array) -> Any:
    return tuple(map(tuple, array.tolist())) if array.ndim == 2 else tuple(array.tolist())

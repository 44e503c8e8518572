"""mlp_backprop's classic mistakes give what a student making them computes: each wrong training worked out here by
hand, sample by sample and layer by layer, never through the kind's own training (compute/networks/) or its
mutants' output."""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
import pytest
import yaml

from hwsolver.kinds.mlp_backprop import grading as mlp_grading
from hwsolver.solving import solve
from hwsolver.spec.problems import problem_from_node
from hwsolver.spec.reader import parse_text

ACTIVATIONS = {  # f, and f' from z
    "relu": (lambda z: np.maximum(z, 0), lambda z: (z > 0) * 1.0),
    "sigmoid": (lambda z: 1 / (1 + np.exp(-z)), lambda z: np.exp(-z) / (1 + np.exp(-z)) ** 2),
    "tanh": (np.tanh, lambda z: 1 / np.cosh(z) ** 2),
    "identity": (lambda z: z, lambda z: np.ones_like(z)),
}


def loss(name: str, out: np.ndarray, y: np.ndarray) -> float:
    if name == "half_squared_error":
        return 0.5 * float(np.sum((out - y) ** 2))
    if name == "cross_entropy":
        return -float(np.sum(y * np.log(out)))
    return float(np.sum((out - y) ** 2)) / (len(y) if name == "mean_squared_error" else 1)


def loss_slope(name: str, out: np.ndarray, y: np.ndarray) -> np.ndarray:
    """dLoss/d(output) for one sample."""
    if name == "half_squared_error":
        return out - y
    if name == "cross_entropy":
        return -y / out
    return 2 * (out - y) / (len(y) if name == "mean_squared_error" else 1)


def forward(given: dict[str, Any], w: list, b: list, x: np.ndarray) -> tuple[list, list]:
    names = given["activation"] if isinstance(given["activation"], list) else [given["activation"]] * len(w)
    zs, acts = [], [x]
    for l, name in enumerate(names):
        z = w[l] @ acts[-1] + b[l]
        zs.append(z)
        if name == "softmax":
            acts.append(np.exp(z) / np.sum(np.exp(z)))
        else:
            acts.append(ACTIVATIONS[name][0](z))
    return zs, acts


def train_by_hand(given: dict[str, Any], slip: str | None = None) -> dict[str, Any]:
    """The first step's error terms and gradients, the parameters, outputs and objective after the last step, of
    a student making `slip` (each sample by itself; the batch's objective is the mean of its losses)."""
    names = sorted(given["weights"], key=lambda n: int(n[1:]))
    w = [np.array(given["weights"][n], dtype=float) for n in names]
    biased = "biases" in given
    b = [np.array(given["biases"][f"b{l + 1}"], dtype=float) if biased else np.zeros(len(w[l])) for l in range(len(w))]
    xs = np.array(given["x"], dtype=float).reshape(-1, w[0].shape[1])
    ys = np.array(given["target"], dtype=float).reshape(len(xs), -1)
    rate, decay, count = given["learning_rate"], given.get("weight_decay", 0), len(xs)
    activations = given["activation"] if isinstance(given["activation"], list) else [given["activation"]] * len(w)
    sign = -1 if slip == "sign_flipped" else 1
    first = None
    for _ in range(given.get("steps", 1)):
        passes = [forward(given, w, b, x) for x in xs]
        # the error arriving at each sample's output, for the mean over the batch
        arriving = [loss_slope(given["loss"], acts[-1], y) / count for (_, acts), y in zip(passes, ys)]
        if slip == "missing_half":
            arriving = [2 * d for d in arriving]
        errors = [[None] * len(w) for _ in xs]
        grads_w, grads_b, new_w = [None] * len(w), [None] * len(w), list(w)
        for l in reversed(range(len(w))):
            for n, (zs, acts) in enumerate(passes):
                if slip == "no_activation_derivative":
                    errors[n][l] = arriving[n]
                elif activations[l] == "softmax":
                    a = acts[l + 1]
                    errors[n][l] = (np.diag(a) - np.outer(a, a)) @ arriving[n]
                else:
                    errors[n][l] = ACTIVATIONS[activations[l]][1](zs[l]) * arriving[n]
            grads_w[l] = sum(np.outer(errors[n][l], passes[n][1][l]) for n in range(count)) + decay * w[l]
            grads_b[l] = sum(errors[n][l] for n in range(count))
            new_w[l] = w[l] - sign * rate * grads_w[l]
            through = new_w[l] if slip == "stale_weights" else w[l]
            arriving = [through.T @ errors[n][l] for n in range(count)]
        if first is None:
            first = (errors, grads_w, grads_b)
        w = new_w
        b = [b[l] - sign * rate * grads_b[l] for l in range(len(w))] if biased else b
    outputs = [forward(given, w, b, x)[1][-1] for x in xs]
    objective = sum(loss(given["loss"], o, y) for o, y in zip(outputs, ys)) / count
    objective += decay / 2 * sum(float(np.sum(m * m)) for m in w)
    errors, grads_w, grads_b = first
    return {
        "errors": errors,
        "gradients": {**{f"W{l + 1}": g for l, g in enumerate(grads_w)}, **biases_named(grads_b, biased)},
        "params_after": {**{f"W{l + 1}": m for l, m in enumerate(w)}, **biases_named(b, biased)},
        "output_after": outputs,
        "loss_after": objective,
    }


def biases_named(values: list, biased: bool) -> dict[str, Any]:
    return {f"b{l + 1}": v for l, v in enumerate(values)} if biased else {}


EXERCISE_ONE = {
    "weights": {"W1": [[0.6, 0.2], [0.1, 0.7]], "W2": [[0.5, 0.8]]},
    "activation": "relu",
    "x": [0.2, 0.3],
    "target": 0.5,
    "loss": "half_squared_error",
    "learning_rate": 1,
}
NETWORKS = {
    "exercise-one": EXERCISE_ONE,
    "batch-biases-decay-two-steps": {
        **EXERCISE_ONE,
        "activation": "tanh",
        "x": [[0.2, 0.3], [0.5, -0.1], [-0.4, 0.6]],
        "target": [[0.5], [0.1], [-0.2]],
        "biases": {"b1": [0.1, -0.2], "b2": [0.05]},
        "weight_decay": 0.01,
        "steps": 2,
        "learning_rate": 0.5,
    },
    "three-layers-sigmoid-squared-error": {
        "weights": {"W1": [[0.6, -0.2], [0.1, 0.7], [-0.3, 0.4]], "W2": [[0.5, 0.8, -0.6], [0.2, -0.1, 0.3]],
                    "W3": [[0.7, -0.4]]},
        "activation": "sigmoid",
        "x": [0.2, 0.3],
        "target": 0.9,
        "loss": "squared_error",
        "learning_rate": 2,
    },
    "softmax-cross-entropy": {
        "weights": {"W1": [[0.6, 0.2], [0.1, 0.7]], "W2": [[0.5, 0.8], [-0.3, 0.2]]},
        "activation": ["tanh", "softmax"],
        "x": [0.2, 0.3],
        "target": [1, 0],
        "loss": "cross_entropy",
        "learning_rate": 1,
    },
}  # fmt: skip


def solved(given: dict[str, Any]):
    spec = {"id": "net", "kind": "mlp_backprop", "title": "t", "statement": "t", "given": given, "parts": ["errors"]}
    return solve(problem_from_node(parse_text(yaml.safe_dump(spec), "net.yaml")))


def flat(value: Any) -> np.ndarray:
    """Every number of an answer (nested tuples, lists, arrays, parameters by name) in order."""
    if isinstance(value, dict):
        return np.concatenate([flat(value[key]) for key in sorted(value)])
    if isinstance(value, list | tuple):
        return np.concatenate([flat(item) for item in value]) if value else np.array([])
    return np.array(value, dtype=float).reshape(-1)


@pytest.mark.parametrize("name", NETWORKS)
def test_the_right_training_by_hand(name: str) -> None:
    """The hand computation below is itself right: without a slip it gives the solver's answers."""
    solution, right = solved(NETWORKS[name]), train_by_hand(NETWORKS[name])
    for part, value in right.items():
        assert np.allclose(flat(solution.answers[part]), flat(value), rtol=1e-12, atol=1e-15), part


SLIPS = ("sign_flipped", "stale_weights", "no_activation_derivative", "missing_half")


@pytest.mark.parametrize("name", NETWORKS)
@pytest.mark.parametrize("slip", SLIPS)
def test_each_mistake_gives_what_the_student_computes(name: str, slip: str) -> None:
    solution = solved(NETWORKS[name])
    mutants = [m for m in mlp_grading.mutants(solution.problem, solution) if m.id == slip]
    if slip == "missing_half" and NETWORKS[name]["loss"] != "half_squared_error":
        assert not mutants  # no 1/2 to drop
        return
    (mutant,) = mutants
    wrong, right = train_by_hand(NETWORKS[name], slip), train_by_hand(NETWORKS[name])
    assert set(mutant.answers) == set(wrong)
    for part, value in wrong.items():
        assert np.allclose(flat(mutant.answers[part]), flat(value), rtol=1e-12, atol=1e-15), part
    changed = any(not np.allclose(flat(wrong[p]), flat(right[p])) for p in wrong)
    # every unit of exercise one has z > 0, where ReLU' is 1: leaving it out changes nothing there
    assert changed != ((name, slip) == ("exercise-one", "no_activation_derivative")), f"{slip} on {name}"


def test_the_other_mistakes_are_recognised_not_computed() -> None:
    """wrong_learning_rate and biases_added have no one wrong answer: `matches` knows them (tests/grading)."""
    solution = solved(EXERCISE_ONE)
    others = {m.id: m for m in mlp_grading.mutants(solution.problem, solution) if m.id not in SLIPS}
    assert set(others) == {"wrong_learning_rate", "biases_added"}
    assert all(m.matches is not None and not m.answers for m in others.values())


def _other_rate_witness(net, solution, value) -> bool:
    """wrong_learning_rate's test as first written: every entry's range of k worked out, then intersected."""
    from collections.abc import Mapping

    from hwsolver.numbers.digits import written_half_unit

    if net.steps != 1 or net.schedule is not None or not isinstance(value, Mapping):
        return False
    low, high = -float("inf"), float("inf")
    for name, old in net.params.named().items():
        if name not in value:
            return False
        if name in net.frozen:
            continue
        try:
            new = np.array(value[name], dtype=float)
            old_a = np.array(old, dtype=float)
            grad = np.array(solution.answers["gradients"][name], dtype=float)
        except (TypeError, ValueError):
            return False
        if new.shape != old_a.shape:
            return False
        units = [2 * written_half_unit(x) for x in np.array(value[name], dtype=object).flat]
        for written, before, g, unit in zip(new.flat, old_a.flat, grad.flat, units):
            if abs(g) <= 1e-12:
                continue
            ends = sorted(((before - (written + unit)) / g, (before - (written - unit)) / g))
            slack = mlp_grading._GRADIENT_ROUNDING * max(map(abs, ends))
            low, high = max(low, ends[0] - slack), min(high, ends[1] + slack)
    rate = float(net.learning_rate)
    return 0 < low <= high and not low <= rate <= high


def test_another_learning_rate_is_told_as_every_entry_would_tell_it() -> None:
    """The test stops at the first entry that leaves no rate k > 0 (the range only narrows): it says what working
    out every entry says, on the built-in networks' updates with rates near and far, rounded to 2 to 5 figures,
    nudged, of another shape or missing a parameter."""
    import random

    from hwsolver.solving import solve_paths

    rng = random.Random(19)
    told = []
    for solution in solve_paths():
        net = solution.problem.given
        if solution.problem.kind != "mlp_backprop" or net.schedule is not None or net.steps != 1:
            continue
        rate, grads = float(net.learning_rate), solution.answers["gradients"]
        for k, figures in itertools.product((0.0, -rate, rate, 0.5 * rate, 2 * rate, 10 * rate), (2, 3, 5)):
            value = {}
            for name, old in net.params.named().items():
                moved = np.array(old, dtype=float) - k * np.array(grads[name], dtype=float)
                nudged = moved * (1 + rng.choice((0, 0, 1e-3, -0.05)) * (rng.random() < 0.3))
                rows = [[float(f"{x:.{figures}g}") for x in row] for row in np.atleast_2d(nudged).tolist()]
                value[name] = tuple(map(tuple, rows)) if nudged.ndim == 2 else tuple(rows[0])
            others = [value, {**value, "W1": value["W1"][:1]}, {n: v for n, v in value.items() if n != "W2"}]
            for answer in others:
                found = mlp_grading._other_rate(net, solution, answer)
                assert found == _other_rate_witness(net, solution, answer)
                told.append(found)
    assert told.count(True) >= 5 and told.count(False) >= 5

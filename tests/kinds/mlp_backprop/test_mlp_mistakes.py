"""mlp_backprop's classic mistakes give what a student making them computes: each wrong training worked out here by
hand, sample by sample and layer by layer, never through the kind's own training (compute/networks/) or its
mutants' output."""

from __future__ import annotations

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

"""Answers to the built-in homework's variants computed without the solver: NumPy (and Fractions where exactness
is the point), from the variant's given as the lock writes it, and the answers a student writes down."""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import Any

import numpy as np

from hwsolver.spec.node import Node, parse_number


def values(node: Node) -> Any:
    """A given as plain Python: numbers as Fractions, text as text."""
    content = node.value
    if isinstance(content, str):
        number = parse_number(content) if node.plain else None
        return number if number is not None else content
    if isinstance(content, tuple):
        return [values(child) for child in content]
    return {key: values(child) for key, child in content.items()}


def relu_network(given: Mapping[str, Any]) -> dict[str, Any]:
    """One gradient step of the 2-2-1 ReLU network without biases, half squared error (exercise 1)."""
    w1 = np.array(given["weights"]["W1"], dtype=float)
    w2 = np.array(given["weights"]["W2"], dtype=float)
    x, y, rate = np.array(given["x"], dtype=float), float(given["target"]), float(given["learning_rate"])

    def forward(w1: np.ndarray, w2: np.ndarray) -> tuple[np.ndarray, ...]:
        z1 = w1 @ x
        a1 = np.maximum(z1, 0)
        z2 = w2 @ a1
        return z1, a1, z2, np.maximum(z2, 0)

    z1, a1, z2, out = forward(w1, w2)
    e2 = (out - y) * (z2 > 0)
    e1 = (w2.T @ e2) * (z1 > 0)
    g1, g2 = np.outer(e1, x), np.outer(e2, a1)
    new1, new2 = w1 - rate * g1, w2 - rate * g2
    z1_after, _, z2_after, after = forward(new1, new2)
    loss_before, loss_after = 0.5 * float((out - y) @ (out - y)), 0.5 * float((after - y) @ (after - y))
    return {
        "output_before": float(out[0]),
        "loss_before": loss_before,
        "gradients": {"W1": g1.tolist(), "W2": g2.tolist()},
        "params_after": {"W1": new1.tolist(), "W2": new2.tolist()},
        "output_after": float(after[0]),
        "loss_after": loss_after,
        "loss_decreased": loss_after < loss_before,
        # what the constraints are about
        "pre_activations": [*z1, *z2, *z1_after, *z2_after],
        "gradients_without_relu_derivative": {"W1": np.outer(w2.T @ (out - y), x).tolist(), "W2": g2.tolist()},
    }


def relu_network_exact(given: Mapping[str, Any]) -> list[Fraction]:
    """The values up to the update in exact arithmetic (forward pass, loss, error terms, gradients, parameters)."""
    w1, w2, x = given["weights"]["W1"], given["weights"]["W2"], given["x"]
    y, rate = given["target"], given["learning_rate"]
    z1 = [sum(w * v for w, v in zip(row, x)) for row in w1]
    a1 = [max(z, Fraction(0)) for z in z1]
    z2 = sum(w * a for w, a in zip(w2[0], a1))
    out = max(z2, Fraction(0))
    e2 = (out - y) * (1 if z2 > 0 else 0)
    e1 = [w2[0][j] * e2 * (1 if z1[j] > 0 else 0) for j in range(2)]
    g1 = [[e1[j] * x[k] for k in range(2)] for j in range(2)]
    g2 = [e2 * a for a in a1]
    after = [w1[j][k] - rate * g1[j][k] for j in range(2) for k in range(2)] + [
        w2[0][j] - rate * g2[j] for j in range(2)
    ]
    return [*z1, *a1, z2, out, (out - y) ** 2 / 2, e2, *e1, *(v for row in g1 for v in row), *g2, *after]


def decimal_places(value: Fraction) -> float:
    for places in range(40):
        if (value * 10**places).denominator == 1:
            return places
    return float("inf")


def convolution(given: Mapping[str, Any]) -> dict[str, Any]:
    """Exercise 4: cross-correlation, stride 1, no padding, ReLU before it."""
    z = np.array(given["z_prev"], dtype=float)
    w = np.array(given["kernel"], dtype=float)
    e = np.array(given["upstream"], dtype=float)
    a = np.maximum(z, 0)
    k = w.shape[0]
    rows, columns = z.shape[0] - k + 1, z.shape[1] - k + 1
    out = np.array([[np.sum(w * a[i : i + k, j : j + k]) for j in range(columns)] for i in range(rows)])
    full = np.pad(e, k - 1)  # e(l-1)[i, j] = f'(z[i, j]) sum_uv w[u, v] e[i - u, j - v]
    spread = np.array(
        [[np.sum(np.rot90(w, 2) * full[i : i + k, j : j + k]) for j in range(z.shape[1])] for i in range(z.shape[0])]
    )
    grad = np.array([[np.sum(e * a[u : u + rows, v : v + columns]) for v in range(k)] for u in range(k)])
    return {
        "recursion": "fprime(z[i,j]) * sum(sum(w[u,v] * e[i-u, j-v], (v, 0, K-1)), (u, 0, K-1))",
        "output": out.tolist(),
        "delta_prev": (spread * (z > 0)).tolist(),
        "grad_kernel": grad.tolist(),
    }


def pooling(given: Mapping[str, Any]) -> dict[str, Any]:
    """Exercise 5: 2x2 windows at stride 2, max (first maximum in row-major order) or average."""
    x = np.array(given["input"], dtype=float)
    e = np.array(given["upstream"], dtype=float)
    k = int(given["size"])
    out, back, where = np.zeros(e.shape), np.zeros(x.shape), []
    for p in range(e.shape[0]):
        row = []
        for q in range(e.shape[1]):
            window = x[k * p : k * p + k, k * q : k * q + k]
            if given["pool"] == "max":
                i, j = divmod(int(np.argmax(window)), k)  # argmax: the first maximum, row-major
                out[p, q] = window[i, j]
                back[k * p + i, k * q + j] += e[p, q]
                row.append([k * p + i, k * q + j])
            else:
                out[p, q] = window.mean()
                back[k * p : k * p + k, k * q : k * q + k] += e[p, q] / (k * k)
        where.append(row)
    answers = {"output": out.tolist(), "delta_prev": back.tolist()}
    if given["pool"] == "max":
        answers["argmax"] = where
    return answers


def derivatives(given: Mapping[str, Any]) -> dict[str, str]:
    """Exercise 2a, by hand: the sigmoid's derivatives, or softplus's (the sigmoid and its derivative)."""
    if given["function"] == "log(1 + exp(x))":
        return {"d1": "σ(x)", "d2": "σ(x)·(1 - σ(x))"}
    assert given["function"] == "1/(1 + exp(-x))"
    return {"d1": "σ(x)(1-σ(x))", "d2": "σ(x)(1-σ(x))(1-2σ(x))"}


FIXED = {  # exercises 2b and 3 have no variants: their answers by hand
    "log-softmax-gradient": {"gradient": "δ_ik - softmax(x)_k"},
    "mlp-op-count": {
        "forward_mults_per_layer": "n^2",
        "forward_adds_per_layer": "n^2",
        "forward_mults_total": "L n^2",
        "backward_mults_per_layer": "3n^2 + 2n",
        "backward_mults_total": "3 L n^2 + 2 L n",
    },
}


def student_answers(problem: str, given: Mapping[str, Any]) -> dict[str, Any]:
    """What a student who works every asked part right writes (numbers to 6 significant figures)."""
    if problem in FIXED:
        return FIXED[problem]
    found = {
        "relu-network-update": relu_network,
        "sigmoid-derivatives": derivatives,
        "conv-backprop": convolution,
        "pooling-backprop": pooling,
        "average-pooling-backprop": pooling,
    }[problem](given)
    asked = {
        "relu-network-update": (
            "output_before",
            "loss_before",
            "gradients",
            "params_after",
            "output_after",
            "loss_after",
            "loss_decreased",
        ),
        "conv-backprop": ("recursion", "output", "delta_prev", "grad_kernel"),
    }.get(problem, tuple(found))
    return {part: _rounded(found[part]) for part in asked}


def _rounded(value: Any) -> Any:
    if isinstance(value, bool | str | int):
        return value
    if isinstance(value, dict):
        return {key: _rounded(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_rounded(item) for item in value]
    return float(f"{value:.6g}")

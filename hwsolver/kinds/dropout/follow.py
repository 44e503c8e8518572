"""Follow-through on a dropout problem: the layer's work as a chain of the steps a student writes down
(model.Chain: the grader rounds each to see how far rounding on the way moves the answers), re-run from the
student's own dropped activations (the dense layer's output, dL/dW) and test-time weights (the test output).

Not sound to carry on (`trivial`): dropped activations that are the activations themselves, or a multiple of
them (the mask ignored).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from hwsolver.compute.closeness import allclose
from hwsolver.compute.dropout import DropoutLayer
from hwsolver.compute.layers.arrays import from_numpy
from hwsolver.model import Chain, Problem, Route, Solution

Array = np.ndarray


def chain(problem: Problem, solution: Solution) -> Chain:
    """Samples as rows: the scaled mask times h (or W), the dense layer on it; the test-time weights (or
    activations) and the test output; the expected input p s h and its output; W^T dL/dz, masked; dL/dW."""
    layer: DropoutLayer = problem.given
    p, s, t = float(layer.keep), float(layer.train_scale), float(layer.test_scale)
    h = np.atleast_2d(np.array(layer.activations, dtype=float))
    mask = np.array(layer.mask, dtype=float)
    w = None if layer.weights is None else np.array(layer.weights, dtype=float)
    b = 0.0 if layer.bias is None else np.array(layer.bias, dtype=float)
    g = None if layer.upstream is None else np.atleast_2d(np.array(layer.upstream, dtype=float))
    dense = (lambda x: x) if w is None else (lambda x: x @ w.T + b)
    steps: list[tuple[str, Any]] = []
    if layer.method == "dropconnect":
        steps += [("kept", lambda v: s * mask * w), ("train", lambda v: h @ v["kept"].T + b)]
    else:
        steps += [("dropped", lambda v: s * mask.reshape(h.shape) * h), ("train", lambda v: dense(v["dropped"]))]
    if "test_weights" in solution.answers:
        steps += [("test_weights", lambda v: t * w), ("test", lambda v: h @ v["test_weights"].T + b)]
    else:
        steps += [("test_input", lambda v: t * h), ("test", lambda v: dense(v["test_input"]))]
    steps += [("expected_input", lambda v: s * p * h), ("expected", lambda v: dense(v["expected_input"]))]
    if g is not None:
        if layer.method == "dropconnect":
            steps += [("grad_input", lambda v: g @ v["kept"]), ("grad_weights", lambda v: s * mask * (g.T @ h))]
        else:
            steps.append(("back", (lambda v: g) if w is None else (lambda v: g @ w)))
            steps.append(("grad_input", lambda v: s * mask.reshape(h.shape) * v["back"]))
            if w is not None:
                steps.append(("grad_weights", lambda v: g.T @ v["dropped"]))
    row = (lambda a: a[0]) if not layer.batch else (lambda a: a)
    reads = {
        "dropped": lambda v: from_numpy(row(v["dropped"])),
        "train_output": lambda v: from_numpy(row(v["train"])),
        "test_weights": lambda v: from_numpy(v["test_weights"]),
        "test_output": lambda v: from_numpy(row(v["test"])),
        "expected_output": lambda v: from_numpy(row(v["expected"])),
        "grad_input": lambda v: from_numpy(row(v["grad_input"])),
        "grad_weights": lambda v: from_numpy(v["grad_weights"]),
    }
    return Chain(tuple(steps), {part: read for part, read in reads.items() if part in solution.answers})


def follow_through(problem: Problem, solution: Solution) -> tuple[Route, ...]:
    """The dense layer's training output and dL/dW from the student's own dropped activations; the test output
    from their own test-time weights."""
    layer: DropoutLayer = problem.given
    built = chain(problem, solution)
    answers = solution.answers

    def route(part: str, uses: str, step: str) -> Route:
        shape = np.shape(answers[uses])

        def compute(values: Mapping[str, Any]) -> Any:
            value = np.array(values[uses], dtype=float)
            if value.shape != shape:
                raise ValueError(f"{uses}: another shape")
            value = np.atleast_2d(value) if step == "dropped" else value
            return built.answers[part](built.values({step: value}))

        return Route(part, (uses,), compute)

    routes = []
    if "dropped" in answers:
        routes += [route(part, "dropped", "dropped") for part in ("train_output", "grad_weights") if part in answers]
    if "test_weights" in answers:
        routes.append(route("test_output", "test_weights", "test_weights"))
    return tuple(routes) if layer.weights is not None else ()


def trivial(problem: Problem, solution: Solution, part: str, value: Any) -> bool:
    """Dropped activations that are the activations themselves, or a multiple of them: the mask ignored (unless
    the right ones are such a multiple, as under a mask of 1s)."""
    if part != "dropped":
        return False
    layer: DropoutLayer = problem.given
    base = np.ravel(np.array(layer.activations, dtype=float))
    right = np.ravel(np.array(solution.answers[part], dtype=float))
    try:
        got = np.ravel(np.array(value, dtype=float))
    except (TypeError, ValueError):
        return False
    return got.shape == base.shape and _multiple(got, base) and not _multiple(right, base)


def _multiple(got: Array, base: Array) -> bool:
    scale = float(base @ base)
    if scale == 0:
        return False
    c = float(got @ base) / scale
    return allclose(got, c * base, rtol=5e-3, atol=1e-12)

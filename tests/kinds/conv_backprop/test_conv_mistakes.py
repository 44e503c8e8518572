"""conv_backprop's classic mistakes give what a student making them computes: each wrong answer worked out here by
hand, unit by unit in plain loops, never through the kind's own passes (compute/layers/) or its mutants' output."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml

from hwsolver.kinds.conv_backprop import grading as conv_grading
from hwsolver.solving import solve_paths

ROOT = Path(__file__).resolve().parents[3]

# f and f' of each activation, written out (ReLU'(0) = 0, leaky ReLU'(0) = 0.01)
ACTIVATIONS = {
    "relu": (lambda z: max(z, 0.0), lambda z: 1.0 if z > 0 else 0.0),
    "leaky_relu": (lambda z: z if z > 0 else 0.01 * z, lambda z: 1.0 if z > 0 else 0.01),
    "sigmoid": (lambda z: 1 / (1 + np.exp(-z)), lambda z: np.exp(-z) / (1 + np.exp(-z)) ** 2),
    "tanh": (np.tanh, lambda z: 1 / np.cosh(z) ** 2),
    "identity": (lambda z: z, lambda z: 1.0),
}


def by_hand(given: dict[str, Any], slip: str | None = None) -> dict[str, np.ndarray]:
    """z(l), e(l-1) and dL/dw of one layer, as a student making `slip` computes them, by the definitions:
    z(l)[o,i,j] = b[o] + sum w[o,c,u,v] a[c, S i + u - P, S j + v - P] and e(l-1)[c,r,s] = f'(z(l-1)[c,r,s]) times
    the sum of w[o,c,u,v] e(l)[o,i,j] over the outputs whose window holds [r,s] at [u,v]."""
    z = np.array(given["z_prev"], dtype=float)
    w = np.array(given["kernel"], dtype=float)
    e = np.array(given["upstream"], dtype=float)
    z, w, e = (z if z.ndim == 3 else z[None]), (w if w.ndim == 4 else w[None, None]), (e if e.ndim == 3 else e[None])
    stride, padding = given.get("stride", 1), given.get("padding", 0)
    bias = np.broadcast_to(np.array(given.get("bias", 0.0), dtype=float), (w.shape[0],))
    f, fprime = ACTIVATIONS[given["activation"]]
    a = z if slip == "used_z_not_a" else np.vectorize(f)(z)
    c_out, c_in, k, _ = w.shape
    _, height, width = z.shape
    _, rows, cols = e.shape

    def read(c: int, r: int, s: int) -> float:
        return a[c, r, s] if 0 <= r < height and 0 <= s < width else 0.0

    output, grad_kernel, delta = np.zeros(e.shape), np.zeros(w.shape), np.zeros(z.shape)
    for o, i, j in np.ndindex(c_out, rows, cols):
        for c, u, v in np.ndindex(c_in, k, k):
            r, s = stride * i + u - padding, stride * j + v - padding
            output[o, i, j] += w[o, c, u, v] * read(c, r, s)
            grad_kernel[o, c, u, v] += e[o, i, j] * read(c, r, s)
            if not (0 <= r < height and 0 <= s < width):
                continue
            if slip == "valid_instead_of_full":  # only where the whole turned kernel lies over the dilated e(l)
                inside = k - 1 <= r + padding <= (rows - 1) * stride and k - 1 <= s + padding <= (cols - 1) * stride
                if not inside:
                    continue
            weight = w[o, c, k - 1 - u, k - 1 - v] if slip == "kernel_not_rotated" else w[o, c, u, v]
            delta[c, r, s] += weight * e[o, i, j]
        output[o, i, j] += bias[o]
    if slip != "no_activation_derivative":
        delta *= np.vectorize(fprime)(z)
    return {"output": output, "delta_prev": delta, "grad_kernel": grad_kernel}


LAYERS = {
    "builtin": yaml.safe_load((ROOT / "problems" / "conv-backprop.yaml").read_text(encoding="utf-8"))["given"],
    "stride-2-padding-1-channels-tanh-bias": {
        "z_prev": [[[0.5, -0.2, 0.3, 0.1, 0.7], [0.2, 0.4, -0.1, 0.6, -0.3], [-0.3, 0.1, 0.2, 0.5, 0.2],
                    [0.4, -0.5, 0.2, 0.3, 0.1], [0.1, 0.2, -0.6, 0.4, 0.5]],
                   [[0.3, 0.1, -0.4, 0.2, 0.6], [-0.2, 0.5, 0.3, -0.1, 0.2], [0.4, -0.3, 0.1, 0.2, -0.5],
                    [0.2, 0.6, -0.2, 0.1, 0.3], [-0.1, 0.3, 0.4, -0.2, 0.1]]],
        "activation": "tanh",
        "kernel": [[[[0.5, -1, 0.25], [1, 0.5, -0.5], [0.25, 0, 1]], [[-0.5, 0.5, 1], [0.25, -1, 0], [1, 0.5, 0.5]]],
                   [[[1, 0, -0.5], [0.5, 0.25, 1], [-1, 0.5, 0]], [[0.5, 1, -0.25], [0, -0.5, 0.5], [0.25, 1, -1]]]],
        "upstream": [[[0.1, -0.2, 0.3], [0.2, 0.1, -0.1], [-0.3, 0.2, 0.1]],
                     [[0.2, 0.1, -0.2], [-0.1, 0.3, 0.2], [0.1, -0.2, 0.4]]],
        "bias": [0.5, -0.25],
        "stride": 2,
        "padding": 1,
    },
    "padding-1-leaky": {
        "z_prev": [[0.5, -0.2, 0.3], [0.2, 0.4, -0.1], [-0.3, 0.1, 0.2]],
        "activation": "leaky_relu",
        "kernel": [[0.5, -1, 0.25], [1, 0.5, -0.5], [0.25, 0, 1]],
        "upstream": [[0.1, -0.2, 0.3], [0.2, 0.1, -0.1], [-0.3, 0.2, 0.1]],
        "padding": 1,
    },
    "stride-2-sigmoid": {
        "z_prev": [[0.5, -0.2, 0.3, 0.1, 0.7], [0.2, 0.4, -0.1, 0.6, -0.3], [-0.3, 0.1, 0.2, 0.5, 0.2],
                   [0.4, -0.5, 0.2, 0.3, 0.1], [0.1, 0.2, -0.6, 0.4, 0.5]],
        "activation": "sigmoid",
        "kernel": [[0.5, -1, 0.25], [1, 0.5, -0.5], [0.25, 0, 1]],
        "upstream": [[0.1, -0.2], [0.2, 0.1]],
        "stride": 2,
    },
}  # fmt: skip


def solved(tmp_path: Path, given: dict[str, Any]):
    path = tmp_path / "layer.yaml"
    spec = {"id": "layer", "kind": "conv_backprop", "title": "t", "statement": "t", "given": given}
    path.write_text(yaml.safe_dump({**spec, "parts": ["output"]}), encoding="utf-8")
    (solution,) = solve_paths([path])
    return solution


@pytest.mark.parametrize("name", LAYERS)
def test_the_right_answers_by_hand(tmp_path: Path, name: str) -> None:
    """The hand computation below is itself right: it gives the solver's answers without a slip."""
    solution = solved(tmp_path, LAYERS[name])
    right = by_hand(LAYERS[name])
    for part, value in right.items():
        assert np.allclose(np.array(solution.answers[part], dtype=float).reshape(value.shape), value), part


@pytest.mark.parametrize("name", LAYERS)
@pytest.mark.parametrize("slip", [m.id for m in conv_grading.MISTAKES])
def test_each_mistake_gives_what_the_student_computes(tmp_path: Path, name: str, slip: str) -> None:
    solution = solved(tmp_path, LAYERS[name])
    (mutant,) = [m for m in conv_grading.mutants(solution.problem, solution) if m.id == slip]
    wrong, right = by_hand(LAYERS[name], slip), by_hand(LAYERS[name])
    arrays = {part: value for part, value in mutant.answers.items() if part not in ("recursion", "activation_prev")}
    assert arrays, "the mistake changes no array"
    for part, value in arrays.items():
        got = np.array(value, dtype=float).reshape(wrong[part].shape)
        assert np.allclose(got, wrong[part], rtol=1e-12, atol=1e-14), (part, got, wrong[part])
    changed = [part for part in arrays if not np.allclose(wrong[part], right[part])]
    assert changed, f"{slip} leaves every answer of layer {name} right"
    if slip == "used_z_not_a":  # the student's a(l-1) is z(l-1) itself
        assert mutant.answers["activation_prev"] == solution.problem.given.z_prev


@pytest.mark.parametrize("channels", [False, True])
def test_the_valid_region_written_small_is_known_by_its_shape(tmp_path: Path, channels: bool) -> None:
    """e(l-1) of a valid convolution written as the small array itself (its border cropped): recognised on one
    channel and on several, and an array of another shape is not (told before any pass is made)."""
    given = LAYERS["builtin"]
    if channels:
        given = {**LAYERS["stride-2-padding-1-channels-tanh-bias"], "stride": 1, "padding": 0}
    solution = solved(tmp_path, given)
    (mutant,) = [m for m in conv_grading.mutants(solution.problem, solution) if m.id == "valid_instead_of_full"]
    delta = by_hand(given, "valid_instead_of_full")["delta_prev"]
    k, rows, cols = len(np.array(given["kernel"]).T), *np.array(given["upstream"]).shape[-2:]
    small = delta[:, k - 1 : rows, k - 1 : cols]
    small = small if channels else small[0]
    assert mutant.matches is not None and mutant.matches("delta_prev", small.round(6).tolist())
    assert not mutant.matches("delta_prev", small[..., :-1].round(6).tolist())

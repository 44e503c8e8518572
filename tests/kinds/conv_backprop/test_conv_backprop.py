"""conv_backprop: finite differences, exact vs float, exercise (4) by hand, the recursion, errors, CLI."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import sympy
import yaml
from click.testing import CliRunner

from hwsolver.cli import cli
from hwsolver.compute.layers.conv_formula import scope_fields
from hwsolver.errors import SpecError
from hwsolver.expr import Scope, compile_numeric, parse
from hwsolver.model import Problem
from hwsolver.solving import solve
from hwsolver.spec.problems import load_problem, problem_from_node
from hwsolver.spec.reader import parse_text
from hwsolver.witness import disagreement

F = Fraction
ROOT = Path(__file__).resolve().parents[3]
ACTIVATIONS = ("relu", "leaky_relu", "identity", "sigmoid", "tanh")

# The test's own activations (float64), so no witness shares code with the solver.
_SIG = lambda z: 1 / (1 + np.exp(-z))  # noqa: E731
FUNCTIONS = {
    "relu": (lambda z: np.maximum(z, 0), lambda z: (z > 0) * 1.0),
    "leaky_relu": (lambda z: np.where(z > 0, z, z / 100), lambda z: np.where(z > 0, 1.0, 0.01)),
    "identity": (lambda z: z, lambda z: np.ones_like(z)),
    "sigmoid": (_SIG, lambda z: _SIG(z) * (1 - _SIG(z))),
    "tanh": (np.tanh, lambda z: 1 - np.tanh(z) ** 2),
}


def make_problem(given: dict[str, Any], parts: tuple[str, ...] = ("output",)) -> Problem:
    """A problem from a `given` dict; Fractions are written as "p/q" text, which the spec reads exactly."""

    def plain(value: Any) -> Any:
        if isinstance(value, list | tuple | np.ndarray):
            return [plain(v) for v in value]
        return str(value) if isinstance(value, Fraction) else value

    text = yaml.safe_dump(
        {"id": "t", "kind": "conv_backprop", "title": "t", "statement": "t", "parts": list(parts)}
        | {"given": {key: plain(value) for key, value in given.items()}}
    )
    return problem_from_node(parse_text(text, "test.yaml"))


def _fractions(rng: np.random.Generator, shape: tuple[int, ...], scale: int) -> list:
    """Random nonzero multiples of 1/scale, at least 1/scale away from ReLU's kink at 0."""
    values = rng.integers(1, 2 * scale, size=shape) * rng.choice([-1, 1], size=shape)
    return np.vectorize(lambda v: F(int(v), scale), otypes=[object])(values).tolist()


def random_given(rng: np.random.Generator, activation: str | None = None) -> dict[str, Any]:
    """A random layer: 1-2 channels in and out, K 1-3, stride 1-2, padding 0-1, with or without bias."""
    c_in, c_out, k = int(rng.integers(1, 3)), int(rng.integers(1, 3)), int(rng.integers(1, 4))
    stride, padding = int(rng.integers(1, 3)), int(rng.integers(0, 2))
    height, width = (
        int(rng.integers(max(k - 2 * padding, 1), 6)),
        int(rng.integers(max(k - 2 * padding, 1), 6)),
    )
    multi_in = c_in > 1 or rng.random() < 0.3
    multi_out = c_in > 1 or c_out > 1 or rng.random() < 0.3
    out = ((height + 2 * padding - k) // stride + 1, (width + 2 * padding - k) // stride + 1)
    given: dict[str, Any] = {
        "z_prev": _fractions(rng, (c_in, height, width) if multi_in else (height, width), 8),
        "activation": activation or str(rng.choice(ACTIVATIONS)),
        "kernel": _fractions(rng, (c_out, c_in, k, k) if multi_out else (k, k), 4),
        "upstream": _fractions(rng, (c_out, *out) if multi_out else out, 4),
        "stride": stride,
        "padding": padding,
    }
    if rng.random() < 0.5:
        given["bias"] = _fractions(rng, (c_out,), 4) if multi_out else F(int(rng.integers(-4, 5)), 4)
    return given


def canonical(given: dict[str, Any]) -> dict[str, Any]:
    """Float arrays with every channel axis: z (C_in,H,W), w (C_out,C_in,K,K), e (C_out,H',W'), b (C_out,)."""
    w = np.array(given["kernel"], dtype=float)
    w = w.reshape(-1, 1, *w.shape) if w.ndim == 2 else w
    z = np.array(given["z_prev"], dtype=float).reshape(w.shape[1], *np.shape(given["z_prev"])[-2:])
    e = np.array(given["upstream"], dtype=float).reshape(w.shape[0], *np.shape(given["upstream"])[-2:])
    b = np.array(given["bias"], dtype=float).reshape(w.shape[0]) if "bias" in given else np.zeros(w.shape[0])
    return {"z": z, "w": w, "e": e, "b": b}


def objective(z: np.ndarray, w: np.ndarray, b: np.ndarray, e: np.ndarray, given: dict[str, Any]) -> float:
    """L = sum(e * z(l)), z(l) gathered window by window from index grids (a third way to convolve)."""
    stride, padding, k = given["stride"], given["padding"], w.shape[-1]
    a = np.pad(FUNCTIONS[given["activation"]][0](z), ((0, 0), (padding, padding), (padding, padding)))
    rows = stride * np.arange(e.shape[1])[:, None] + np.arange(k)[None, :]
    cols = stride * np.arange(e.shape[2])[:, None] + np.arange(k)[None, :]
    patches = a[:, rows[:, :, None, None], cols[None, None, :, :]]  # (C, H', K, W', K)
    out = np.einsum("ocuv,ciujv->oij", w, patches) + b[:, None, None]
    return float(np.sum(e * out))


def central_difference(values: dict[str, np.ndarray], name: str, given: dict[str, Any]) -> np.ndarray:
    h, grad = 1e-6, np.zeros_like(values[name])
    for index in np.ndindex(grad.shape):
        plus, minus = {k: v.copy() for k, v in values.items()}, {k: v.copy() for k, v in values.items()}
        plus[name][index] += h
        minus[name][index] -= h
        grad[index] = (objective(**plus, given=given) - objective(**minus, given=given)) / (2 * h)
    return grad


def test_gradients_match_finite_differences() -> None:
    rng = np.random.default_rng(20240604)
    for case in range(100):
        given = random_given(rng)
        answers = solve(make_problem(given)).answers
        values = canonical(given)
        shapes = {name: values[name].shape for name in ("z", "w", "e", "b")}
        where = f"case {case}: {given}"
        delta = np.array(answers["delta_prev"], dtype=float).reshape(shapes["z"])
        assert np.allclose(delta, central_difference(values, "z", given), atol=1e-6), where
        grad_w = np.array(answers["grad_kernel"], dtype=float).reshape(shapes["w"])
        assert np.allclose(grad_w, central_difference(values, "w", given), atol=1e-6), where
        out = np.array(answers["output"], dtype=float).reshape(shapes["e"])
        assert np.isclose(np.sum(out * values["e"]), objective(**values, given=given)), where
        if "bias" in given:
            grad_b = np.array(answers["grad_bias"], dtype=float).reshape(shapes["b"])
            assert np.allclose(grad_b, central_difference(values, "b", given), atol=1e-6), where
        else:
            assert "grad_bias" not in answers


def numeric(answers: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in answers.items() if key != "recursion"}


def test_exact_and_float_paths_agree() -> None:
    rng = np.random.default_rng(7)
    for case in range(30):
        given = random_given(rng, activation=str(rng.choice(("relu", "leaky_relu", "identity"))))
        problem = make_problem(given)
        exact, approx = numeric(solve(problem).answers), numeric(solve(problem, exact=False).answers)
        assert all(isinstance(v, Fraction) for v in np.ravel(np.array(exact["delta_prev"], dtype=object)))
        assert disagreement(exact, approx) is None, f"case {case}"
    tanh = make_problem(random_given(rng, activation="tanh"))
    assert disagreement(numeric(solve(tanh).answers), numeric(solve(tanh, exact=False).answers)) is None


def test_exercise_four_worked_by_hand() -> None:
    """a = ReLU(z_prev); z(l)[0,0] = 0.5*0.5 - 1*0 + 1*0.2 + 0.5*0.4; e(l-1) by the rot180 rule."""
    solution = solve(load_problem(ROOT / "problems" / "conv-backprop.yaml"))
    answers = solution.answers
    assert answers["output"][0][0] == F(13, 20)
    assert answers["output"][1][0] == F(-1, 4)  # 0.5*0.2 - 1*0.4 + 1*0 + 0.5*0.1
    assert answers["delta_prev"][0][0] == F(1, 20)  # only w[0,0] e[0,0] = 0.5 * 0.1
    assert answers["delta_prev"][0][3] == F(-3, 10)  # only w[0,1] e[0,2] = -1 * 0.3
    assert answers["delta_prev"][2][1] == F(3, 5)  # 0.5*0.2 - 1*(-0.3) + 1*0.1 + 0.5*0.2, f'(0.1) = 1
    assert answers["delta_prev"][0][1] == 0  # z = -0.2: ReLU' = 0 although the sum is 0.5*(-0.2) - 1*0.1
    assert answers["grad_kernel"][0][0] == F(13, 50)  # sum of e(l) * a over the top-left 3x3 block
    assert answers["recursion"].expr == (
        "fprime(z[i, j]) * Sum(Sum(w[u, v]*e[i - u, j - v], (v, 0, K - 1)), (u, 0, K - 1))"
    )
    assert "grad_bias" not in answers
    assert solution.work["kernel_rot180"] == ((F(1, 2), 1), (-1, F(1, 2)))


# -- the recursion as a formula ------------------------------------------------------------------------------

_NAMES = ("i", "j", "c", "o", "u", "v", "p", "q", "K")


def expand_with_sympy(text: str, k: int) -> sympy.Expr:
    """The formula (our own trusted text) with K = k and its sums written out term by term."""
    local: dict[str, Any] = {name: sympy.Symbol(name, integer=True) for name in _NAMES}
    local |= {name: sympy.IndexedBase(name) for name in ("w", "e", "z")}
    local |= {"fprime": sympy.Function("fprime"), "Sum": sympy.Sum}
    return sympy.parse_expr(text, local_dict=local).subs(local["K"], k).doit()


def evaluate_at(expr: sympy.Expr, arrays: dict[str, np.ndarray], fprime: Any, at: dict[str, int]) -> float:
    """The expanded formula at one position; array entries out of range read as 0."""
    expr = expr.subs({sympy.Symbol(name, integer=True): value for name, value in at.items()})

    def lookup(item: sympy.Indexed) -> sympy.Expr:
        array, index = arrays[str(item.base)], tuple(int(i) for i in item.indices)
        inside = all(0 <= i < n for i, n in zip(index, array.shape, strict=True))
        return sympy.Float(float(array[index]), 30) if inside else sympy.Integer(0)

    expr = expr.replace(lambda x: isinstance(x, sympy.Indexed), lookup)
    expr = expr.replace(sympy.Function("fprime"), lambda arg: sympy.Float(float(fprime(np.float64(arg))), 30))
    return float(expr)


SHAPES = [
    {"c_in": 0, "c_out": 0, "stride": 1, "padding": 0},  # the exercise; 0 channels = no channel axis
    {"c_in": 0, "c_out": 0, "stride": 1, "padding": 1},
    {"c_in": 0, "c_out": 0, "stride": 2, "padding": 1},
    {"c_in": 2, "c_out": 2, "stride": 1, "padding": 0},
    {"c_in": 2, "c_out": 3, "stride": 2, "padding": 0},
]


def shaped_given(rng: np.random.Generator, shape: dict[str, int], activation: str) -> dict[str, Any]:
    """A 5x4 input (per channel) and a 2x2 kernel in the given channel layout, stride and padding."""
    c_in, c_out, k, stride, padding = shape["c_in"], shape["c_out"], 2, shape["stride"], shape["padding"]
    out = ((5 + 2 * padding - k) // stride + 1, (4 + 2 * padding - k) // stride + 1)
    return {
        "z_prev": _fractions(rng, (c_in, 5, 4) if c_in else (5, 4), 8),
        "activation": activation,
        "kernel": _fractions(rng, (c_out, c_in, k, k) if c_out else (k, k), 4),
        "upstream": _fractions(rng, (c_out, *out) if c_out else out, 4),
        "bias": [F(1)] * c_out if c_out else F(1),
        "stride": stride,
        "padding": padding,
    }


def formula_arrays(given: dict[str, Any]) -> dict[str, np.ndarray]:
    return {
        name: np.array(given[key], dtype=float) for name, key in (("w", "kernel"), ("e", "upstream"), ("z", "z_prev"))
    }


@pytest.mark.parametrize("shape", SHAPES)
def test_recursion_formula_evaluates_to_delta_prev(shape: dict[str, int]) -> None:
    """Checked with sympy, independently of the expression module: sums written out, entries substituted."""
    rng = np.random.default_rng(sum(shape.values()))
    for activation in ("relu", "tanh"):
        given = shaped_given(rng, shape, activation)
        answers = solve(make_problem(given)).answers
        arrays, delta = formula_arrays(given), np.array(answers["delta_prev"], dtype=float)
        expanded = expand_with_sympy(answers["recursion"].expr, 2)
        for index in np.ndindex(delta.shape):
            at = dict(zip(("c", "i", "j") if shape["c_in"] else ("i", "j"), index, strict=True))
            value = evaluate_at(expanded, arrays, FUNCTIONS[activation][1], at)
            assert value == pytest.approx(delta[index], abs=1e-12), (answers["recursion"].expr, index)


@pytest.mark.parametrize("shape", SHAPES)
def test_recursion_in_the_expression_language(shape: dict[str, int]) -> None:
    """The recursion parses in hwsolver.expr and its numeric evaluation equals delta_prev."""
    rng = np.random.default_rng(11 + sum(shape.values()))
    for activation in ("relu", "sigmoid"):
        given = shaped_given(rng, shape, activation)
        problem = make_problem(given)
        answers = solve(problem).answers
        scope = Scope(**scope_fields(problem.given))
        evaluate = compile_numeric(parse(answers["recursion"].expr, scope), scope)
        f, fprime = FUNCTIONS[activation]
        env = formula_arrays(given) | {"f": f, "fprime": fprime, "K": 2}
        delta = np.array(answers["delta_prev"], dtype=float)
        for index in np.ndindex(delta.shape):
            at = dict(zip(("c", "i", "j") if shape["c_in"] else ("i", "j"), index, strict=True))
            assert float(evaluate(env | at)) == pytest.approx(delta[index], abs=1e-12), index


# -- spec errors and the command line ------------------------------------------------------------------------

_SPEC = """\
id: t
kind: conv_backprop
title: t
statement: t
given:
  z_prev: {z_prev}
  activation: relu
  kernel: {kernel}
  upstream: {upstream}
parts: [output]
"""


@pytest.mark.parametrize(
    ("z_prev", "kernel", "upstream", "message"),
    [
        ("[[1, 2, 3], [4, 5, 6], [7, 8, 9]]", "[[1, 0], [0, 1]]", "[[1, 2, 3], [4, 5, 6], [7, 8, 9]]",
         "test.yaml:9:13: given.upstream: expected a 2x2 matrix, got 3x3"),
        ("[[1, 2, 3], [4, 5, 6], [7, 8, 9]]", "[[[[1]], [[2]]]]", "[[[1, 2, 3]]]",
         "test.yaml:8:11: given.kernel: expected 1 input channel(s) like z_prev, got 2"),
        ("[[1, 2, 3], [4, 5, 6], [7, 8, 9]]", "[[1, 0, 1], [0, 1, 0]]", "[[1]]",
         "test.yaml:8:11: given.kernel: expected a square K x K kernel, got 2x3"),
        ("[[1, 2], [3, 4]]", "[[1, 0, 1], [0, 1, 0], [1, 1, 1]]", "[[1]]",
         "test.yaml:8:11: given.kernel: a 3x3 kernel does not fit the 2x2 padded input"),
        ("[[[1, 2], [3, 4]], [[1, 2], [3, 4]]]", "[[1]]", "[[1, 2], [3, 4]]",
         "test.yaml:8:11: given.kernel: z_prev has 2 channels: expected a C_out x 2 x K x K kernel"),
        ("[1, 2, 3]", "[[1]]", "[[1]]",
         "test.yaml:6:11: given.z_prev: expected an H x W matrix or a C_in x H x W array, got a list of 3"),
        ("[[1, 2], [3, 4]]", "[[[[1]]], [[[2]]]]", "[[1, 2], [3, 4]]",
         "test.yaml:9:13: given.upstream: expected a 2x2x2 array, got 2x2"),
    ],
)  # fmt: skip
def test_spec_errors_name_the_field(z_prev: str, kernel: str, upstream: str, message: str) -> None:
    text = _SPEC.format(z_prev=z_prev, kernel=kernel, upstream=upstream)
    with pytest.raises(SpecError) as error:
        problem_from_node(parse_text(text, "test.yaml"))
    assert str(error.value) == message


def test_parts_include_grad_bias_only_with_a_bias() -> None:
    text = _SPEC.format(z_prev="[[1, 2], [3, 4]]", kernel="[[1]]", upstream="[[1, 1], [1, 1]]")
    with pytest.raises(SpecError, match="cannot answer part 'grad_bias'"):
        problem_from_node(parse_text(text.replace("[output]", "[grad_bias]"), "test.yaml"))
    with_bias = text.replace("parts: [output]", "  bias: 0.5\nparts: [grad_bias]")
    problem = problem_from_node(parse_text(with_bias, "test.yaml"))
    assert solve(problem).answers["grad_bias"] == 4


def test_cli_solves_the_problem_as_json() -> None:
    result = CliRunner().invoke(cli, ["solve", str(ROOT / "problems" / "conv-backprop.yaml"), "--format", "json"])
    assert result.exit_code == 0, result.output
    (problem,) = json.loads(result.output)["problems"]
    assert problem["id"] == "conv-backprop"
    assert problem["answers"]["output"][0] == [0.65, 0.1, 0.35]
    assert problem["answers"]["delta_prev"][2][1] == 0.6
    assert problem["answers"]["recursion"]["expr"].startswith("fprime(z[i, j]) * Sum(")

"""initialization: torch.nn.init's numbers (exact, against values worked by hand and against draws made here), the
symmetry of equal weights (gradients against finite differences, training against a NumPy loop written here), and
clear errors for keys that mean nothing in their problem."""

from __future__ import annotations

import math
from fractions import Fraction
from pathlib import Path

import mpmath
import numpy as np
import pytest
import yaml
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from hwsolver.cli import cli
from hwsolver.compute.init_schemes import exact_sqrt
from hwsolver.errors import SpecError
from hwsolver.kinds.initialization.given import parse_given
from hwsolver.solving import solve, solve_paths
from hwsolver.spec.problems import problem_from_node
from hwsolver.spec.reader import parse_text

ROOT = Path(__file__).resolve().parents[3]
HE = ROOT / "problems" / "he-initialization.yaml"
SYMMETRIC = ROOT / "problems" / "symmetric-initialization.yaml"


def problem(given: dict, parts: list[str]) -> object:
    text = yaml.safe_dump(
        {"id": "p", "kind": "initialization", "title": "t", "statement": "s", "given": given, "parts": parts}
    )
    return problem_from_node(parse_text(text, "p.yaml"))


# -- the schemes ---------------------------------------------------------------------------------------------------


def test_he_uniform_of_a_relu_network_by_hand() -> None:
    (solution,) = solve_paths([HE])
    answers = solution.answers
    assert answers["gain"] == (exact_sqrt(Fraction(2)), 1)
    assert answers["weight_variance"] == (Fraction(2, 784), Fraction(1, 256))  # gain^2 / fan_in
    assert [float(a) for a in answers["bound"]] == pytest.approx([math.sqrt(6 / 784), math.sqrt(3) / 16], rel=1e-15)
    assert answers["preactivation_variance"] == (2, 1)  # He's point: ReLU's half is made up by the 2


def test_square_roots_are_exact_where_they_can_be_and_else_carry_fifty_digits() -> None:
    assert exact_sqrt(Fraction(1, 4)) == Fraction(1, 2) and exact_sqrt(Fraction(25, 9)) == Fraction(5, 3)
    with mpmath.workdps(60):
        assert abs(exact_sqrt(Fraction(3, 392)) - mpmath.sqrt(mpmath.mpf(3) / 392)) < mpmath.mpf(10) ** -49
    solution = solve(problem({"layers": [8, 4], "activation": "relu", "scheme": "kaiming_normal"}, ["std"]))
    assert solution.answers["std"] == (Fraction(1, 2),)  # sqrt(2 / 8)


TORCH = {
    # torch.nn.init written out here (torch is not installed): calculate_gain, then the scheme's std
    "gain": {"identity": 1.0, "sigmoid": 1.0, "tanh": 5.0 / 3, "relu": math.sqrt(2.0)},
}


@settings(max_examples=80, deadline=None)
@given(
    fan_in=st.integers(1, 600),
    fan_out=st.integers(1, 600),
    activation=st.sampled_from(["identity", "sigmoid", "tanh", "relu", "leaky_relu"]),
    scheme=st.sampled_from(["xavier_uniform", "xavier_normal", "kaiming_uniform", "kaiming_normal"]),
    mode=st.sampled_from(["fan_in", "fan_out"]),
    slope=st.sampled_from([Fraction(1, 100), Fraction(1, 5), Fraction(0)]),
)
def test_every_scheme_matches_torchs_formulas(fan_in, fan_out, activation, scheme, mode, slope) -> None:
    given = {"layers": [fan_in, fan_out], "activation": activation, "scheme": scheme, "gain": "activation"}
    if scheme.startswith("kaiming"):
        given["mode"] = mode
    if activation == "leaky_relu":
        given["negative_slope"] = str(slope)
    spread = "bound" if scheme.endswith("uniform") else "std"
    answers = solve(problem(given, ["gain", spread])).answers
    a = float(slope)
    gain = TORCH["gain"].get(activation) or math.sqrt(2.0 / (1 + a**2))
    if scheme.startswith("xavier"):
        std = gain * math.sqrt(2.0 / (fan_in + fan_out))
    else:
        std = gain / math.sqrt(fan_in if mode == "fan_in" else fan_out)
    assert float(answers["gain"][0]) == pytest.approx(gain, rel=1e-14)
    assert float(answers[spread][0]) == pytest.approx(math.sqrt(3.0) * std if spread == "bound" else std, rel=1e-14)


@pytest.mark.parametrize("scheme", ["xavier_uniform", "kaiming_normal"])
def test_drawn_weights_and_preactivations_have_the_variances_the_answers_say(scheme: str) -> None:
    """A second witness by sampling: draw the layer's weights and inputs many times, measure the variances."""
    fan_in, fan_out, input_variance = 64, 32, Fraction(1, 4)
    given = {"layers": [fan_in, fan_out], "activation": "relu", "scheme": scheme, "input_variance": "1/4"}
    spread = "bound" if scheme.endswith("uniform") else "std"
    answers = solve(problem(given, ["weight_variance", spread, "preactivation_variance"])).answers
    rng = np.random.default_rng(7)
    size = (4000, fan_out, fan_in)
    s = float(answers[spread][0])
    w = rng.uniform(-s, s, size) if spread == "bound" else rng.normal(0, s, size)
    x = rng.normal(0, math.sqrt(float(input_variance)), (4000, fan_in, 1))
    z = (w @ x)[..., 0]
    assert w.var() == pytest.approx(float(answers["weight_variance"][0]), rel=0.01)
    assert z.var() == pytest.approx(float(answers["preactivation_variance"][0]), rel=0.03)


# -- the symmetry question -----------------------------------------------------------------------------------------


def sigmoid(z: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-z))


def loss(params: dict[str, np.ndarray], x: np.ndarray, y: float) -> float:
    """The built-in problem's 2-2-1 sigmoid network and 1/2 (a3 - y)^2, written here."""
    a1 = sigmoid(params["W1"] @ x + params["b1"])
    a2 = sigmoid(params["W2"] @ a1 + params["b2"])
    return float(0.5 * (a2[0] - y) ** 2)


def numeric_gradients(params: dict[str, np.ndarray], x: np.ndarray, y: float, h: float = 1e-6) -> dict:
    found = {}
    for name, value in params.items():
        grad = np.zeros_like(value)
        for index in np.ndindex(value.shape):
            up = {k: v.copy() for k, v in params.items()}
            down = {k: v.copy() for k, v in params.items()}
            up[name][index] += h
            down[name][index] -= h
            grad[index] = (loss(up, x, y) - loss(down, x, y)) / (2 * h)
        found[name] = grad
    return found


STARTS = {
    "": {"W1": np.zeros((2, 2)), "b1": np.zeros(2), "W2": np.zeros((1, 2)), "b2": np.zeros(1)},
    "contrast_": {
        "W1": np.array([[0.5, -0.3], [0.2, 0.4]]),
        "b1": np.zeros(2),
        "W2": np.array([[0.6, -0.1]]),
        "b2": np.zeros(1),
    },
}


@pytest.mark.parametrize("prefix", sorted(STARTS))
def test_gradients_and_two_steps_agree_with_finite_differences(prefix: str) -> None:
    (solution,) = solve_paths([SYMMETRIC])
    x, y = np.array([0.2, 0.3]), 1.0
    params = STARTS[prefix]
    first = numeric_gradients(params, x, y)
    if prefix + "gradients" in solution.answers:
        for name, grad in first.items():
            assert np.array(solution.answers[prefix + "gradients"][name], dtype=float) == pytest.approx(
                grad.reshape(np.array(solution.answers[prefix + "gradients"][name]).shape), abs=1e-9
            )
    for _ in range(2):  # gradient descent, learning rate 1, with the finite-difference gradients
        grads = numeric_gradients(params, x, y)
        params = {name: value - grads[name] for name, value in params.items()}
    for name, value in params.items():
        got = np.array(solution.answers[prefix + "params_after"][name], dtype=float)
        assert got == pytest.approx(value.reshape(got.shape), abs=1e-8)


def test_the_lectures_claims_about_the_zero_start() -> None:
    """First update: dL/dw11 = dL/dw12 = dL/dw21 = dL/dw22 = 0 and dL/dw13 = dL/dw23; then a1 = a2 for ever."""
    (solution,) = solve_paths([SYMMETRIC])
    gradients = solution.answers["gradients"]
    assert gradients["W1"] == ((0, 0), (0, 0))
    ((w13, w23),) = gradients["W2"]
    assert w13 == w23 == Fraction(-1, 16)  # e3 a1 = (sigma(0) - 1) sigma'(0) sigma(0) = -1/2 * 1/4 * 1/2
    after = solution.answers["params_after"]
    assert after["W1"][0] == after["W1"][1] and after["W1"][0] != (0, 0)  # moved, but the rows alike
    assert solution.answers["identical_units"] == ((1, 1),)
    assert solution.answers["contrast_identical_units"] == ((1, 2),)


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        # units 1 and 3 read and are read alike; unit 2 differs
        ({"W1": [[0.1, 0.2], [0.3, -0.1], [0.1, 0.2]], "W2": [[0.5, -0.2, 0.5]]}, ((1, 2, 1),)),
        # rows alike but read differently by the output: not twins
        ({"W1": [[0.1, 0.2], [0.1, 0.2], [0.1, 0.2]], "W2": [[0.5, -0.2, 0.4]]}, ((1, 2, 3),)),
        ({"W1": 0.5, "W2": 0.5}, ((1, 1, 1),)),
    ],
)
def test_identical_units_are_the_twins_by_their_weights_in_and_out(start: dict, expected: tuple) -> None:
    given = {
        "layers": [2, 3, 1],
        "activation": "tanh",
        "scheme": "xavier_normal",
        "start": start,
        "x": [0.2, 0.3],
        "target": 1,
        "loss": "half_squared_error",
        "learning_rate": 1,
        "steps": 3,
    }
    solution = solve(problem(given, ["identical_units", "params_after"]))
    assert solution.answers["identical_units"] == expected
    # the witness here: twins have equal rows after the steps, others do not
    w1 = np.array(solution.answers["params_after"]["W1"], dtype=float)
    for unit, twin in enumerate(expected[0]):
        assert np.allclose(w1[unit], w1[twin - 1], rtol=0, atol=1e-15)
        if twin == unit + 1:
            assert all(not np.allclose(w1[unit], w1[other]) for other in range(unit) if expected[0][other] != twin)


@settings(max_examples=15, deadline=None)
@given(
    sizes=st.tuples(st.integers(1, 3), st.integers(2, 4), st.integers(1, 3), st.integers(1, 2)),
    activation=st.sampled_from(["relu", "leaky_relu", "sigmoid", "tanh", "identity"]),
    value=st.sampled_from(["0", "0.5", "-0.25"]),
    steps=st.integers(1, 3),
)
def test_an_equal_start_keeps_every_hidden_layer_alike(sizes, activation, value, steps) -> None:
    """Any network started with one value everywhere: its hidden units stay twins, whatever the data."""
    given = {
        "layers": list(sizes),
        "activation": activation,
        "scheme": "xavier_normal",
        "start": value,
        "x": [round(0.3 * (k + 1) - 0.5, 2) for k in range(sizes[0])],
        "target": [round(0.2 * k + 0.1, 2) for k in range(sizes[-1])],
        "loss": "half_squared_error",
        "learning_rate": "0.5",
        "steps": steps,
    }
    solution = solve(problem(given, ["identical_units", "params_after"]))  # the float witness runs too
    assert solution.answers["identical_units"] == tuple((1,) * size for size in sizes[1:-1])
    for l in range(1, len(sizes) - 1):
        rows = np.array(solution.answers["params_after"][f"W{l}"], dtype=float)
        assert np.allclose(rows, rows[0], rtol=1e-12, atol=1e-15)


def test_units_read_differently_are_no_twins_even_when_nothing_moves() -> None:
    """Equal rows, different outgoing weights, and the output already on target: no step changes anything, and
    still the two units are not alike (swap them and the network computes something else)."""
    given = {
        "layers": [2, 2, 1],
        "activation": "identity",
        "scheme": "xavier_normal",
        "start": {"W1": [[0.1, 0.2], [0.1, 0.2]], "W2": [[0.5, -0.2]]},
        "x": [1, 1],
        "target": "0.09",  # 0.5 * 0.3 - 0.2 * 0.3: the output itself
        "loss": "half_squared_error",
        "learning_rate": 1,
    }
    solution = solve(problem(given, ["identical_units", "gradients"]))
    assert solution.answers["gradients"] == {"W1": ((0, 0), (0, 0)), "W2": ((0, 0),)}
    assert solution.answers["identical_units"] == ((1, 2),)


# -- errors --------------------------------------------------------------------------------------------------------

BASE = "layers: [2, 2, 1]\nactivation: sigmoid\nscheme: xavier_uniform\n"


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ("mode: fan_out", "g.yaml:4:7: mode: mode is kaiming's; xavier_uniform divides by fan_in + fan_out"),
        (
            "negative_slope: 0.2",
            "g.yaml:4:17: negative_slope: negative_slope sets a leaky_relu layer's gain: no gain here reads it",
        ),
        ("x: [0.2, 0.3]", "g.yaml:4:4: x: x is for training from a start: give start too"),
        ("start: 0\nx: [1, 2]", "g.yaml:4:8: start: training from a start needs target, loss, learning_rate too"),
        ("gain: -1", "g.yaml:4:7: gain: expected a number > 0 or activation, got -1"),
        (
            "start: {W1: [[1, 2, 3], [4, 5, 6]], W2: 0}\nx: [1, 2]\ntarget: 1\nloss: squared_error\nlearning_rate: 1",
            "g.yaml:4:13: start.W1: expected a 2x2 matrix, got 2x3",
        ),
        (
            "start: 0\ncontrast: {W1: 1, W2: 1}\nx: [1, 2]\ntarget: 1\nloss: squared_error\nlearning_rate: 1",
            "g.yaml:5:11: contrast: missing key 'b1'",
        ),
        (
            "start: 0\nx: [1, 2]\ntarget: 1\nloss: squared_error\nlearning_rate: 1\nsteps: 101",
            "g.yaml:9:8: steps: at most 100 steps",
        ),
    ],
)
def test_a_key_that_means_nothing_here_is_an_error(extra: str, message: str) -> None:
    with pytest.raises(SpecError) as error:
        parse_given(parse_text(BASE + extra, "g.yaml"))
    assert str(error.value) == message


def test_a_network_that_trains_is_small() -> None:
    text = BASE.replace("[2, 2, 1]", "[2, 100000, 1]")
    text += "start: 0\nx: [1, 2]\ntarget: 1\nloss: squared_error\nlearning_rate: 1"
    with pytest.raises(SpecError) as error:
        parse_given(parse_text(text, "g.yaml"))
    assert str(error.value) == "g.yaml:4:8: start: a network trained from a start has at most 10000 weights, not 300000"


def test_a_leaky_network_that_trains_has_the_courses_slope() -> None:
    text = "layers: [2, 1]\nactivation: leaky_relu\nscheme: kaiming_normal\nnegative_slope: 0.2\nstart: 0\n"
    text += "x: [1, 2]\ntarget: 1\nloss: squared_error\nlearning_rate: 1"
    with pytest.raises(SpecError) as error:
        parse_given(parse_text(text, "g.yaml"))
    assert str(error.value) == (
        "g.yaml:4:17: negative_slope: the network trains with leaky ReLU's slope 0.01: give that or no start"
    )


def test_solve_shows_each_layer_and_both_runs() -> None:
    result = CliRunner().invoke(cli, ["solve", str(HE)])
    assert result.exit_code == 0, result.output
    rows = [line.split() for line in result.output.splitlines()[5:7]]
    (solution,) = solve_paths([HE])
    a = solution.answers
    for l, row in enumerate(rows):
        assert [float(v) for v in row[3:]] == pytest.approx(
            [float(a[p][l]) for p in ("gain", "weight_variance", "bound", "preactivation_variance")], rel=1e-9
        )
    result = CliRunner().invoke(cli, ["solve", str(SYMMETRIC)])
    lines = result.output.splitlines()
    assert "    W2: [-0.0625, -0.0625]" in lines and lines.count("    hidden layer 1: (1, 1)") == 1
    assert lines[-1] == "    hidden layer 1: (1, 2)"

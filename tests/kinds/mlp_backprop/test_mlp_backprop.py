"""mlp_backprop: exercise (1) by hand, finite-difference gradients, exact vs float on random networks."""

from __future__ import annotations

import itertools
import random
import zlib
from fractions import Fraction
from typing import Any

import numpy as np
import pytest
import yaml

from hwsolver.model import Problem
from hwsolver.solving import solve
from hwsolver.spec.problems import load_problems, problem_from_node
from hwsolver.spec.reader import parse_text
from hwsolver.witness import disagreement

F = Fraction


def make_problem(given: dict[str, Any], parts: tuple[str, ...] = ("gradients",)) -> Problem:
    """A problem from a `given` dict; Fractions are written as "p/q" text, which the spec reads exactly."""

    def plain(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [plain(v) for v in value]
        return str(value) if isinstance(value, Fraction) else value

    text = yaml.safe_dump(
        {
            "id": "t",
            "kind": "mlp_backprop",
            "title": "t",
            "statement": "t",
            "given": plain(given),
            "parts": list(parts),
        }
    )
    return problem_from_node(parse_text(text, "test.yaml"))


def test_exercise_one_worked_by_hand() -> None:
    """x = (0.2, 0.3), W1 = [[0.6, 0.2], [0.1, 0.7]], W2 = [[0.5, 0.8]], ReLU, y = 0.5, eta = 1."""
    (problem,) = [p for p in load_problems() if p.id == "relu-network-update"]
    answers = solve(problem).answers
    # forward: z1 = 0.6*0.2 + 0.2*0.3 = 0.18, z2 = 0.1*0.2 + 0.7*0.3 = 0.23, yhat = 0.5*0.18 + 0.8*0.23 = 0.274
    assert answers["forward"][0]["a"] == (F("0.18"), F("0.23"))
    assert answers["output_before"] == (F("0.274"),)
    assert answers["loss_before"] == F("0.226") ** 2 / 2
    # e3 = yhat - y = -0.226 (ReLU'(0.274) = 1); e1 = 0.5 * e3 = -0.113, e2 = 0.8 * e3 = -0.1808
    assert answers["errors"] == ((F("-0.113"), F("-0.1808")), (F("-0.226"),))
    assert answers["params_after"] == {
        "W1": ((F("0.6226"), F("0.2339")), (F("0.13616"), F("0.75424"))),
        "W2": ((F("0.54068"), F("0.85198")),),
    }
    # after: h1 = 0.6226*0.2 + 0.2339*0.3 = 0.19469, h2 = 0.13616*0.2 + 0.75424*0.3 = 0.253504
    h1, h2 = F("0.19469"), F("0.253504")
    yhat = F("0.54068") * h1 + F("0.85198") * h2
    assert answers["output_after"] == (yhat,)
    assert answers["loss_after"] == (yhat - F("0.5")) ** 2 / 2
    assert answers["loss_decreased"] is True
    assert answers["loss_history"] == (answers["loss_before"], answers["loss_after"])


# -- an independent objective for finite differences --------------------------------------------------------

NP_ACT = {
    "relu": lambda z: np.maximum(z, 0),
    "leaky_relu": lambda z: np.where(z > 0, z, 0.01 * z),
    "sigmoid": lambda z: 1 / (1 + np.exp(-z)),
    "tanh": np.tanh,
    "identity": lambda z: z,
    "softmax": lambda z: np.exp(z) / np.exp(z).sum(),
}
NP_LOSS = {
    "half_squared_error": lambda p, y: 0.5 * np.sum((p - y) ** 2),
    "squared_error": lambda p, y: np.sum((p - y) ** 2),
    "mean_squared_error": lambda p, y: np.mean((p - y) ** 2),
    "cross_entropy": lambda p, y: -np.sum(y * np.log(p)),
    "binary_cross_entropy": lambda p, y: -np.sum(y * np.log(p) + (1 - y) * np.log(1 - p)),
}


def objective(given: dict[str, Any], params: dict[str, np.ndarray]) -> float:
    xs = np.atleast_2d(np.array(given["x"], dtype=float))
    ys = np.array(given["target"], dtype=float).reshape(len(xs), -1)
    acts = given["activation"]
    total = 0.0
    for x, y in zip(xs, ys):
        a = x
        for l in range(1, len(acts) + 1):
            a = NP_ACT[acts[l - 1]](params[f"W{l}"] @ a + params.get(f"b{l}", 0))
        total += NP_LOSS[given["loss"]](a, y)
    decay = float(Fraction(given.get("weight_decay", 0)))
    return total / len(xs) + decay / 2 * sum(np.sum(v**2) for k, v in params.items() if k[0] == "W")


def finite_difference_gradients(given: dict[str, Any], h: float = 1e-6) -> dict[str, np.ndarray]:
    params = {k: np.array(v, dtype=float) for k, v in {**given["weights"], **given.get("biases", {})}.items()}
    grads = {}
    for name, value in params.items():
        grad = np.zeros_like(value)
        for index in np.ndindex(value.shape):
            plus = {**params, name: value.copy()}
            minus = {**params, name: value.copy()}
            plus[name][index] += h
            minus[name][index] -= h
            grad[index] = (objective(given, plus) - objective(given, minus)) / (2 * h)
        grads[name] = grad
    return grads


def random_given(rng: random.Random, output_activation: str, loss: str, *, batch: int = 0) -> dict[str, Any]:
    sizes = [rng.randint(1, 4) for _ in range(rng.randint(2, 4))]
    if loss in ("cross_entropy",) and output_activation == "softmax":
        sizes[-1] = max(sizes[-1], 2)
    hidden = ["relu", "leaky_relu", "sigmoid", "tanh", "identity"]
    layers = len(sizes) - 1
    acts = [rng.choice(hidden) for _ in range(layers - 1)] + [output_activation]

    def q() -> Fraction:
        return Fraction(rng.randint(-16, 16), 16)

    def target() -> list[Fraction]:
        if loss == "cross_entropy":
            hot = [Fraction(0)] * sizes[-1]
            hot[rng.randrange(sizes[-1])] = Fraction(1)
            return hot
        if loss == "binary_cross_entropy":
            return [Fraction(rng.randint(0, 4), 4) for _ in range(sizes[-1])]
        return [q() for _ in range(sizes[-1])]

    given: dict[str, Any] = {
        "weights": {
            f"W{l}": [[q() for _ in range(sizes[l - 1])] for _ in range(sizes[l])] for l in range(1, layers + 1)
        },
        "activation": acts,
        "loss": loss,
        "learning_rate": Fraction(rng.randint(1, 8), 8),
    }
    if rng.random() < 0.6:
        given["biases"] = {f"b{l}": [q() for _ in range(sizes[l])] for l in range(1, layers + 1)}
    if rng.random() < 0.3:
        given["weight_decay"] = Fraction(rng.randint(1, 4), 10)
    if batch:
        given["x"] = [[q() for _ in range(sizes[0])] for _ in range(batch)]
        given["target"] = [target() for _ in range(batch)]
    else:
        given["x"] = [q() for _ in range(sizes[0])]
        given["target"] = target()
    return given


def near_a_kink(given: dict[str, Any], answers: dict[str, Any]) -> bool:
    samples = answers["forward"] if "x" in given and isinstance(given["x"][0], list) else [answers["forward"]]
    return any(
        given["activation"][l] in ("relu", "leaky_relu") and any(abs(z) < 1e-3 for z in layer["z"])
        for forward in samples
        for l, layer in enumerate(forward)
    )


CASES = [
    ("relu", "half_squared_error"),
    ("leaky_relu", "squared_error"),
    ("identity", "mean_squared_error"),
    ("sigmoid", "half_squared_error"),
    ("tanh", "squared_error"),
    ("softmax", "cross_entropy"),
    ("sigmoid", "binary_cross_entropy"),
    ("sigmoid", "cross_entropy"),
]


@pytest.mark.parametrize(("output_activation", "loss"), CASES)
@pytest.mark.parametrize("batch", [0, 3])
def test_gradients_match_finite_differences(output_activation: str, loss: str, batch: int) -> None:
    rng = random.Random(zlib.crc32(f"{output_activation}-{loss}-{batch}".encode()))
    checked = 0
    while checked < 6:
        given = random_given(rng, output_activation, loss, batch=batch)
        answers = solve(make_problem(given)).answers
        if near_a_kink(given, answers):
            continue  # finite differences straddle the kink of ReLU there: no derivative to compare with
        checked += 1
        gradients = answers["gradients"]
        numeric = finite_difference_gradients(given)
        assert gradients.keys() == numeric.keys()
        for name, value in gradients.items():
            np.testing.assert_allclose(np.array(value, dtype=float), numeric[name], rtol=1e-5, atol=1e-7, err_msg=name)


def test_relu_derivative_at_zero_is_zero() -> None:
    """z = 0 exactly at the hidden unit: no gradient flows through it, and its incoming weights stay."""
    given = {
        "weights": {"W1": [[1, -1]], "W2": [[2]]},
        "activation": "relu",
        "x": [Fraction(1, 2), Fraction(1, 2)],
        "target": 1,
        "loss": "half_squared_error",
        "learning_rate": 1,
    }
    answers = solve(make_problem(given)).answers
    assert answers["forward"][0]["z"] == (0,)
    assert answers["gradients"]["W1"] == ((0, 0),)


KINK = {  # z1 = 0.5*1 - 0.3*2 + 0.1 = 0 exactly; in float64 it is 2.8e-17
    "weights": {"W1": [[F("0.5"), F("-0.3")]], "W2": [[2]]},
    "biases": {"b1": [F("0.1")], "b2": [1]},
    "x": [1, 2],
    "target": 3,
    "loss": "half_squared_error",
    "learning_rate": 1,
}


@pytest.mark.parametrize(("activation", "slope"), [("relu", 0), ("leaky_relu", F(1, 100))])
@pytest.mark.parametrize("exact", [True, False])
def test_a_kink_reached_by_rounding_is_decided_exactly(activation: str, slope: Fraction, exact: bool) -> None:
    """ReLU'(0) = 0 and leaky ReLU'(0) = 1/100 on both paths, although float64 makes z1 a tiny positive number."""
    problem = make_problem({**KINK, "activation": activation}, ("errors", "gradients"))
    answers = solve(problem, exact=exact).answers
    # output z2 = 2*0 + 1 = 1, e2 = 1 - 3 = -2; e1 = slope * 2 * e2 (a Fraction, or the float path's float)
    e1 = (F if exact else float)(slope * 2 * -2)
    assert answers["forward"][0]["z"] == (0,)
    assert answers["errors"] == ((e1,), (-2,))
    assert answers["gradients"]["W1"] == ((e1, 2 * e1),)
    assert answers["gradients"]["b1"] == (e1,)
    assert answers["gradients"]["W2"] == ((0,),)


def test_the_exact_pre_activations_are_worked_out_once_when_first_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    """Counted: a float run's exact pre-activations (every slip's run of every variant makes the look-up) cost
    nothing until a kink asks, then one exact pass for all layers; the floats are those of the exact values."""
    from hwsolver.compute.networks import exact as exact_path
    from hwsolver.compute.networks import vectorized

    calls = []
    real = exact_path.pre_activations
    monkeypatch.setattr(exact_path, "pre_activations", lambda net: calls.append(net) or real(net))
    net = make_problem({**KINK, "activation": "relu"}, ("errors",)).given
    layer = vectorized.exact_pre_activations(net)
    assert calls == []
    first = layer(0)
    assert layer(1).tolist() == [[1.0]] and layer(0) is first and len(calls) == 1
    assert first.tolist() == [[0.0]]  # z1 = 0 exactly, where float64 gives 2.8e-17


def test_the_float_path_asks_the_exact_value_near_a_kink() -> None:
    """z1 = 1 - 0.99999999999999999 = 1e-17 > 0: float64 reads x2 as 1 and z1 as 0, the exact value decides."""
    given = {
        "weights": {"W1": [[1, -1]], "W2": [[2]]},
        "activation": "relu",
        "x": [1, F("0.99999999999999999")],
        "target": 1,
        "loss": "half_squared_error",
        "learning_rate": 1,
    }
    answers = solve(make_problem(given, ("errors",)), exact=False).answers
    assert answers["errors"][0] == (pytest.approx(-2),)  # e2 = 2e-17 - 1, e1 = 1 * 2 * e2 (0 if z1 were 0)


def test_a_kink_reached_after_a_step_is_decided_as_in_exact_arithmetic() -> None:
    """After one step z = 0 exactly; float64 makes it 6.9e-18, which must not switch the unit on."""
    given = {
        "weights": {"W1": [[F("0.1"), F("0.2")]]},
        "activation": "relu",
        "x": [1, F("0.5")],
        "target": F("0.04"),
        "loss": "half_squared_error",
        "learning_rate": 1,
        "steps": 2,
    }
    problem = make_problem(given, ("params_after",))
    exact, approx = solve(problem).answers, solve(problem, exact=False).answers
    assert exact["params_after"] == {"W1": ((F("-0.06"), F("0.12")),)}  # the second step changes nothing
    assert disagreement(exact, approx) is None


def test_a_kink_after_a_transcendental_layer_is_decided_at_high_precision() -> None:
    """z2 = (0.1 + 0.6 - 0.7) sigmoid(0.7) = 0, which 50-digit arithmetic leaves as 7e-52."""
    given = {
        "weights": {"W1": [[1], [1], [1]], "W2": [[F("0.1"), F("0.6"), F("-0.7")]]},
        "activation": ["sigmoid", "relu"],
        "x": [F("0.7")],
        "target": 1,
        "loss": "half_squared_error",
        "learning_rate": 1,
    }
    problem = make_problem(given, ("errors",))
    for exact in (True, False):
        assert solve(problem, exact=exact).answers["errors"] == ((0, 0, 0), (0,))


def test_exact_and_float_paths_agree_on_random_rational_networks() -> None:
    rng = random.Random(7)
    for trial in range(40):
        act = rng.choice(["relu", "leaky_relu", "identity"])
        given = random_given(rng, act, rng.choice(["half_squared_error", "squared_error", "mean_squared_error"]))
        given["activation"] = [act] * len(given["activation"])
        given["steps"] = rng.randint(1, 3)
        problem = make_problem(given)
        exact = solve(problem).answers
        approx = solve(problem, exact=False).answers
        assert isinstance(exact["loss_before"], Fraction), trial
        assert disagreement(exact, approx, rtol=1e-12, atol=1e-14) is None


def test_batch_answers_are_per_sample_lists() -> None:
    given = random_given(random.Random(3), "sigmoid", "half_squared_error", batch=4)
    answers = solve(make_problem(given)).answers
    assert len(answers["forward"]) == len(answers["output_before"]) == len(answers["errors"]) == 4
    assert len(answers["loss_history"]) == 2


def test_several_steps_lower_the_loss_of_a_convex_problem() -> None:
    given = {
        "weights": {"W1": [[0, 0]]},
        "activation": "identity",
        "x": [[1, 0], [0, 1]],
        "target": [1, 2],
        "loss": "half_squared_error",
        "learning_rate": Fraction(1, 2),
        "steps": 5,
    }
    answers = solve(make_problem(given)).answers
    history = answers["loss_history"]
    assert len(history) == 6
    assert all(later < earlier for earlier, later in itertools.pairwise(history))
    # each step halves the error of both samples: w_i <- w_i + (1/2)(1/2)(y_i - w_i)... closed form below
    w = [Fraction(0), Fraction(0)]
    for _ in range(5):
        w = [wi + Fraction(1, 4) * (yi - wi) for wi, yi in zip(w, (1, 2))]
    assert answers["params_after"]["W1"] == (tuple(w),)


def test_cross_entropy_with_zero_output_is_a_clear_error() -> None:
    from hwsolver.errors import SolveError

    given = {
        "weights": {"W1": [[1, 1]]},
        "activation": "relu",
        "x": [-1, -1],
        "target": [1],
        "loss": "cross_entropy",
        "learning_rate": 1,
    }
    with pytest.raises(SolveError, match="cross-entropy is undefined"):
        solve(make_problem(given))


def test_many_exact_steps_stay_fast_and_agree_with_float() -> None:
    """Fractions double in length every step; past 256-bit denominators the exact path goes on at 50 digits."""
    import time

    (problem,) = [p for p in load_problems() if p.id == "relu-network-update"]
    given = {
        "weights": {"W1": [[F("0.6"), F("0.2")], [F("0.1"), F("0.7")]], "W2": [[F("0.5"), F("0.8")]]},
        "activation": "relu",
        "x": [F("0.2"), F("0.3")],
        "target": F("0.5"),
        "loss": "half_squared_error",
        "learning_rate": 1,
        "steps": 40,
    }
    start = time.perf_counter()
    long_run = make_problem(given, ("loss_history",))
    answers = solve(long_run).answers
    assert time.perf_counter() - start < 5
    assert len(answers["loss_history"]) == 41
    assert answers["loss_history"][1] == solve(problem).answers["loss_after"]  # the first steps stay exact
    assert disagreement(answers, solve(long_run, exact=False).answers) is None

"""mlp_backprop's training settings: leaky ReLU's slope, frozen parameters, mini-batch SGD over epochs; each
against the independent NumPy loop of oracle.py and finite differences."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np
import pytest
import yaml

from hwsolver.errors import SpecError
from hwsolver.model import Problem
from hwsolver.solving import solve
from hwsolver.spec.problems import problem_from_node
from hwsolver.spec.reader import parse_text
from hwsolver.witness import disagreement

from .oracle import Net, finite_differences

F = Fraction


def make_problem(given: dict[str, Any], parts: tuple[str, ...] = ("gradients",)) -> Problem:
    text = yaml.safe_dump(
        {"id": "t", "kind": "mlp_backprop", "title": "t", "statement": "t", "given": given, "parts": list(parts)}
    )
    return problem_from_node(parse_text(text, "test.yaml"))


def arrays(named: dict[str, Any]) -> dict[str, np.ndarray]:
    return {k: np.array(v, dtype=float) for k, v in named.items()}


LEAKY = {
    "weights": {"W1": [[0.6, -0.2], [-0.1, 0.7]], "W2": [[0.5, -0.8]]},
    "biases": {"b1": [0.1, -0.3], "b2": [0.2]},
    "x": [[-0.2, 0.3], [0.4, -0.5]],
    "target": [[0.5], [-0.1]],
    "loss": "half_squared_error",
    "learning_rate": 0.5,
}


@pytest.mark.parametrize("slope", ["0.1", "0.3", "0"])
def test_leaky_relu_slope_on_both_paths(slope: str) -> None:
    given = {**LEAKY, "activation": {"name": "leaky_relu", "slope": slope}}
    problem = make_problem(given, ("forward", "gradients"))
    exact, approx = solve(problem).answers, solve(problem, exact=False).answers
    assert isinstance(exact["loss_before"], Fraction)
    assert disagreement(exact, approx, rtol=1e-12, atol=1e-14) is None
    # z of sample 1, unit 1: 0.6*-0.2 - 0.2*0.3 + 0.1 = -0.08 < 0, so a = slope * -0.08
    assert exact["forward"][0][0]["a"][0] == F(slope) * F("-0.08")
    net = Net(arrays({**given["weights"], **given["biases"]}), ["leaky_relu"] * 2, slope=float(F(slope)))
    xs, ys = np.array(given["x"]), np.array(given["target"])
    oracle = net.gradients(net.params, xs, ys)
    numeric = finite_differences(net, net.params, xs, ys)
    for name, value in exact["gradients"].items():
        np.testing.assert_allclose(np.array(value, dtype=float), oracle[name], rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(np.array(value, dtype=float), numeric[name], rtol=1e-5, atol=1e-8)


def test_the_slope_defaults_to_the_courses_and_is_one_per_network() -> None:
    plain = solve(make_problem({**LEAKY, "activation": "leaky_relu"})).answers
    named = solve(make_problem({**LEAKY, "activation": {"name": "leaky_relu", "slope": 0.01}})).answers
    assert plain == named
    listed = {**LEAKY, "activation": [{"name": "leaky_relu", "slope": 0.1}, "leaky_relu"]}
    assert solve(make_problem(listed)).problem.given.slope == F("0.1")
    with pytest.raises(SpecError, match="only leaky_relu has a slope, not relu"):
        make_problem({**LEAKY, "activation": {"name": "relu", "slope": 0.1}})
    with pytest.raises(SpecError, match="the same slope"):
        mixed = [{"name": "leaky_relu", "slope": 0.1}, {"name": "leaky_relu", "slope": 0.2}]
        make_problem({**LEAKY, "activation": mixed})
    with pytest.raises(SpecError, match="expected a number >= 0"):
        make_problem({**LEAKY, "activation": {"name": "leaky_relu", "slope": -1}})

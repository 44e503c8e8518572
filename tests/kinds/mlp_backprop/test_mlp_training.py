"""mlp_backprop's training settings: leaky ReLU's slope, frozen parameters, mini-batch SGD over epochs; each
against the independent NumPy loop of oracle.py and finite differences."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np
import pytest
import yaml

from hwsolver.errors import SpecError
from hwsolver.grading.prepared import prepare
from hwsolver.kinds.mlp_backprop import grading as mlp_grading
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


# The well-known step-by-step example (Mazur's): a 2-2-2 sigmoid network whose biases never change.
PUBLISHED = {
    "weights": {"W1": [[0.15, 0.20], [0.25, 0.30]], "W2": [[0.40, 0.45], [0.50, 0.55]]},
    "biases": {"b1": [0.35, 0.35], "b2": [0.60, 0.60]},
    "frozen": ["b1", "b2"],
    "activation": "sigmoid",
    "x": [0.05, 0.10],
    "target": [0.01, 0.99],
    "loss": "half_squared_error",
    "learning_rate": 0.5,
}


def published_net() -> Net:
    return Net(arrays({**PUBLISHED["weights"], **PUBLISHED["biases"]}), ["sigmoid"] * 2, frozen=frozenset({"b1", "b2"}))


def test_the_published_example_with_frozen_biases() -> None:
    problem = make_problem(PUBLISHED, ("loss_before", "gradients", "params_after", "loss_after"))
    answers = solve(problem).answers
    assert float(answers["loss_before"]) == pytest.approx(0.298371109, abs=5e-10)
    after = answers["params_after"]
    assert float(after["W2"][0][0]) == pytest.approx(0.35891648, abs=5e-9)  # w5
    assert float(after["W1"][0][0]) == pytest.approx(0.149780716, abs=5e-10)  # w1
    # (the post's error after the step, 0.291027924, was worked from rounded values: the loop below gives
    # 0.2910277737, as this solver does)
    assert [float(v) for v in after["b1"] + after["b2"]] == [0.35, 0.35, 0.6, 0.6]  # kept (at 50 digits)
    assert all(g != 0 for g in answers["gradients"]["b2"])  # still reported
    # the independent loop: one step with the biases kept
    net, xs, ys = published_net(), np.array([PUBLISHED["x"]]), np.array([PUBLISHED["target"]])
    step = net.update(net.params, net.gradients(net.params, xs, ys), 0.5)
    for name, value in after.items():
        np.testing.assert_allclose(np.array(value, dtype=float), step[name], rtol=1e-13, err_msg=name)
    assert float(answers["loss_after"]) == pytest.approx(net.objective(step, xs, ys), rel=1e-13)
    numeric = finite_differences(net, net.params, xs, ys)
    for name, value in answers["gradients"].items():
        np.testing.assert_allclose(np.array(value, dtype=float), numeric[name], rtol=1e-6, err_msg=name)


def test_the_published_figures_after_ten_thousand_steps() -> None:
    """The example's error in its 10,000th round (before that round's update), 0.0000351085, comes out only with
    the biases frozen."""
    answers = solve(make_problem({**PUBLISHED, "steps": 10000}, ("loss_history",)), exact=False).answers
    assert answers["loss_history"][9999] == pytest.approx(0.0000351085, abs=5e-11)
    unfrozen = {k: v for k, v in PUBLISHED.items() if k != "frozen"}
    moving = solve(make_problem({**unfrozen, "steps": 10000}, ("loss_history",)), exact=False).answers
    assert moving["loss_history"][9999] < 0.00001


def test_trainable_is_the_complement_of_frozen() -> None:
    trainable = {k: v for k, v in PUBLISHED.items() if k != "frozen"} | {"trainable": ["W1", "W2"]}
    assert make_problem(trainable).given.frozen == make_problem(PUBLISHED).given.frozen == {"b1", "b2"}
    assert make_problem({**trainable, "frozen": ["b2", "b1"]}).given.frozen == {"b1", "b2"}  # the same, twice


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"frozen": ["b3"]}, "test.yaml:.*no parameter b3: the network has W1, b1, W2, b2"),
        ({"frozen": ["b1", "b1"]}, "b1 is listed twice"),
        ({"frozen": ["W1", "b1", "W2", "b2"]}, "every parameter would be frozen"),
        ({"trainable": ["W1"]}, "frozen and trainable disagree: give one of them"),
    ],
)
def test_bad_frozen_lists_are_one_clear_error(change: dict[str, Any], message: str) -> None:
    with pytest.raises(SpecError, match=message):
        make_problem({**PUBLISHED, **change})


def test_frozen_agrees_on_both_paths_over_several_steps() -> None:
    given = {**LEAKY, "activation": "leaky_relu", "frozen": ["W1", "b2"], "steps": 3}
    problem = make_problem(given, ("params_after",))
    exact, approx = solve(problem).answers, solve(problem, exact=False).answers
    assert disagreement(exact, approx, rtol=1e-12, atol=1e-14) is None
    assert exact["params_after"]["W1"] == tuple(tuple(F(str(v)) for v in row) for row in LEAKY["weights"]["W1"])


def test_updating_the_frozen_biases_is_named(grade_answers: Any) -> None:
    """The student updates every parameter: the independent loop without freezing gives their numbers."""
    problem = make_problem(PUBLISHED, ("params_after", "loss_after"))
    solution = solve(problem)
    (mutant,) = [m for m in mlp_grading.mutants(problem, solution) if m.id == "frozen_updated"]
    net, xs, ys = published_net(), np.array([PUBLISHED["x"]]), np.array([PUBLISHED["target"]])
    net.frozen = frozenset()
    wrong = net.update(net.params, net.gradients(net.params, xs, ys), 0.5)
    for name, value in mutant.answers["params_after"].items():
        np.testing.assert_allclose(np.array(value, dtype=float), wrong[name], rtol=1e-12, err_msg=name)
    assert mutant.answers["loss_after"] == pytest.approx(net.objective(wrong, xs, ys), rel=1e-12)
    student = {k: np.round(v, 6).tolist() for k, v in wrong.items()}
    result = grade_answers(prepare([solution]), {"params_after": student})["params_after"]
    assert (result.verdict, result.mistake) == ("partial", "frozen_updated")
    right = {
        k: [[float(v) for v in row] if isinstance(row, tuple) else float(row) for row in rows]
        for k, rows in solution.answers["params_after"].items()
    }
    assert grade_answers(prepare([solution]), {"params_after": right})["params_after"].verdict == "correct"

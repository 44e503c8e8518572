"""optimizer_step with the gradients of each step given and no objective: the parts that exist, the steps against
NumPy written here (oracle.py), the built-in problem's numbers by hand, its mistakes and grading, one-line errors."""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
import yaml

from hwsolver.errors import SpecError
from hwsolver.grading.prepared import prepare
from hwsolver.kinds import KINDS
from hwsolver.solving import solve, solve_paths
from hwsolver.spec.problems import problem_from_node
from hwsolver.spec.reader import parse_text

from .oracle import run as oracle

ROOT = Path(__file__).resolve().parents[3]
KIND = KINDS["optimizer_step"]
TABLE = [[-1, 2], [-1.2, -2], [-0.8, 2], [-1, -2]]  # the built-in problem's mini-batch gradients


def table(rows: list[list[float]]) -> Callable[[np.ndarray], np.ndarray]:
    """The oracle's gradient: the next given row at each step, wherever the parameters are."""
    left = iter(rows)
    return lambda theta: np.array(next(left), dtype=float)


def given_only(optimizer: dict, rows: list[list[float]] = TABLE, **more: object) -> dict:
    return {
        "gradients": [{"w1": a, "w2": b} for a, b in rows],
        "start": {"w1": 0, "w2": 0},
        "optimizer": optimizer,
        **more,
    }


def problem_of(given: dict, parts: list[str]):
    text = yaml.safe_dump(
        {
            "id": "g",
            "kind": "optimizer_step",
            "title": {"zh": "题", "en": "G"},
            "statement": {"zh": "题。", "en": "G."},
            "given": given,
            "parts": parts,
        }
    )
    return problem_from_node(parse_text(text, "g.yaml"))


@pytest.mark.parametrize(
    ("optimizer", "parts"),
    [
        ({"name": "sgd", "lr": 0.1}, ["trajectory", "params_after"]),
        ({"name": "adagrad", "lr": 0.1}, ["trajectory", "params_after", "state"]),
        ({"name": "adam", "lr": 0.1}, ["trajectory", "params_after", "state", "corrected_moments"]),
    ],
)
def test_without_an_objective_there_is_no_objective_history(optimizer: dict, parts: list[str]) -> None:
    given = KIND.parse_given(parse_text(yaml.safe_dump(given_only(optimizer)), "g.yaml"))
    assert given.objective is None and given.steps == 4
    assert list(KIND.parts_for(given)) == parts
    with pytest.raises(SpecError, match="objective_history"):
        problem_of(given_only(optimizer), ["trajectory", "objective_history"])


@pytest.mark.parametrize(
    ("name", "spec", "oracle_args"),
    [
        ("sgd", {"lr": 0.1, "weight_decay": 0.5}, {"lr": 0.1, "weight_decay": 0.5}),
        ("momentum", {"lr": 0.1, "momentum": 0.9}, {"lr": 0.1}),
        ("nesterov", {"lr": 0.1}, {"lr": 0.1}),
        ("rmsprop", {"lr": 0.01, "alpha": 0.9}, {"lr": 0.01, "alpha": 0.9}),
        ("adam", {"lr": 0.1}, {"lr": 0.1}),
        ("adamw", {"lr": 0.1, "weight_decay": 0.5}, {"lr": 0.1, "weight_decay": 0.5}),
    ],
)
def test_given_gradients_drive_every_optimizer_as_numpy_written_here(name: str, spec: dict, oracle_args: dict) -> None:
    """The given gradients are used as they are wherever the parameters go (weight decay still reads them)."""
    answers = solve(problem_of(given_only({"name": name, **spec}), ["trajectory"])).answers
    points, _ = oracle(name, np.zeros(2), table(TABLE), 4, **oracle_args)
    got = [[float(p["w1"]), float(p["w2"])] for p in answers["trajectory"]]
    assert np.allclose(got, points, rtol=1e-12, atol=1e-14)


@pytest.fixture(scope="module")
def builtin():
    return prepare(solve_paths([ROOT / "problems" / "momentum-minibatch-gradients.yaml"]))


def test_the_builtin_problem_by_hand(builtin) -> None:
    """v = 0.9 v - 0.1 g, theta + v, from (0, 0): worked with fractions on paper."""
    answers = builtin[0].solution.answers
    assert answers["trajectory"] == (
        {"w1": 0, "w2": 0},
        {"w1": Fraction(1, 10), "w2": Fraction(-1, 5)},
        {"w1": Fraction(31, 100), "w2": Fraction(-9, 50)},
        {"w1": Fraction(579, 1000), "w2": Fraction(-181, 500)},
        {"w1": Fraction(9211, 10000), "w2": Fraction(-1629, 5000)},
    )
    velocities = [step["velocity"] for step in answers["state"]]
    assert velocities[-1] == {"w1": Fraction(3421, 10000), "w2": Fraction(181, 5000)}
    # the heavy-ball velocity is -lr times torch's momentum buffer (constant lr, no dampening)
    _, states = oracle("momentum", np.zeros(2), table(TABLE), 4, lr=0.1)
    assert np.allclose(
        [[float(v["w1"]), float(v["w2"])] for v in velocities], [-0.1 * s["momentum_buffer"] for s in states]
    )


def test_each_mistake_is_the_wrong_answer_computed_here(builtin) -> None:
    mutants = {m.id: m.answers for m in builtin[0].mutants}
    assert set(mutants) == {"velocity_sign_flipped", "lr_in_velocity"}
    flipped, _ = oracle("momentum", np.zeros(2), table(TABLE), 4, lr=0.1, flip=True)
    got = [[p["w1"], p["w2"]] for p in mutants["velocity_sign_flipped"]["trajectory"]]
    assert np.allclose(got, flipped, rtol=1e-12)
    # lr outside the velocity: v = 0.9 v - g, theta + 0.1 v: the same path, a velocity 10 times as large
    _, states = oracle("momentum", np.zeros(2), table(TABLE), 4, lr=0.1)
    got = [[s["velocity"]["w1"], s["velocity"]["w2"]] for s in mutants["lr_in_velocity"]["state"]]
    assert np.allclose(got, [-s["momentum_buffer"] for s in states], rtol=1e-12)


def test_a_student_who_put_the_learning_rate_outside_is_named_and_keeps_the_path(grade_answers, builtin) -> None:
    right = builtin[0].solution.answers
    trajectory = [{k: float(v) for k, v in p.items()} for p in right["trajectory"]]
    state = [{"velocity": {k: float(10 * v) for k, v in s["velocity"].items()}} for s in right["state"]]
    results = grade_answers(builtin, {"trajectory": trajectory, "state": state})
    assert results["trajectory"].verdict == "correct"
    assert results["state"].mistake == "lr_in_velocity" and results["state"].score == 1  # half of 2 points
    assert "v = mu*v - lr*g" in results["state"].feedback


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ("start: {w1: 1}\noptimizer: {name: sgd}", "g.yaml:1:1: missing key 'objective' or 'gradients'"),
        (
            "gradients: [{w1: 1}, {w1: 2}]\nstart: {w1: 1}\noptimizer: {name: sgd}\nplot_steps: 5",
            "g.yaml:4:13: plot_steps: the plot draws the 2 steps of the given gradients, no more",
        ),
        (
            "gradients: [{w1: 1}, {w1: 2}]\nstart: {w1: 1}\noptimizer: {name: sgd}\nsteps: 3",
            "g.yaml:4:8: steps: 2 gradients are given, one per step: steps is 2",
        ),
        (
            "gradients: [{w1: 1, w2: 2}]\nstart: {w1: 1}\noptimizer: {name: sgd}",
            "g.yaml:1:25: gradients[0].w2: unknown key 'w2'; expected one of: w1",
        ),
    ],
)
def test_bad_givens_get_one_line_naming_the_place(given: str, message: str) -> None:
    with pytest.raises(SpecError) as error:
        KIND.parse_given(parse_text(given, "g.yaml"))
    assert str(error.value).startswith(message) and "\n" not in str(error.value)

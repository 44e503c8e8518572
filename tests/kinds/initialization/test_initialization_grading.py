"""initialization grading: submissions as students write them, each classic slip named (against wrong values worked
out here by hand), and later parts credited from the student's own earlier answers."""

from __future__ import annotations

import math
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
import yaml

from hwsolver.grading.prepared import PreparedProblem, prepare
from hwsolver.grading.results import PartResult
from hwsolver.grading.slips import close_enough
from hwsolver.kinds.initialization import KIND
from hwsolver.solving import solve_paths

Grade = Callable[..., dict[str, PartResult]]  # the grade_answers fixture (conftest.py)

ROOT = Path(__file__).resolve().parents[3]
HE = ROOT / "problems" / "he-initialization.yaml"
SYMMETRIC = ROOT / "problems" / "symmetric-initialization.yaml"


@pytest.fixture(scope="module")
def prepared() -> dict[Path, list[PreparedProblem]]:
    return {path: prepare(solve_paths([path])) for path in (HE, SYMMETRIC)}


def test_a_right_submission_as_a_student_writes_it(grade_answers: Grade, prepared: dict) -> None:
    text = """
    gain: [1.414, 1]
    weight_variance: [1/392, 0.00390625]
    bound: [0.0875, 0.108]
    preactivation_variance: [2, 1]
    """
    results = grade_answers(prepared[HE], yaml.safe_load(text))
    assert {part: r.verdict for part, r in results.items()} == dict.fromkeys(
        ("gain", "weight_variance", "bound", "preactivation_variance"), "correct"
    )


def test_the_symmetry_answers_as_a_student_writes_them(grade_answers: Grade, prepared: dict) -> None:
    text = """
    gradients: {W1: [[0, 0], [0, 0]], b1: [0, 0], W2: [-0.0625, -0.0625], b2: -0.125}
    params_after:
      W1: [[0.000351, 0.000527], [0.000351, 0.000527]]
      b1: [0.00176, 0.00176]
      w2: [0.119, 0.119]
      b_2: 0.237
    identical_units: [1, 1]
    contrast_identical_units: [[1, 2]]
    bound: [1.22, 1.41]
    """
    results = grade_answers(prepared[SYMMETRIC], yaml.safe_load(text))
    assert {part: r.verdict for part, r in results.items()} == {
        "gradients": "correct",
        "params_after": "correct",
        "identical_units": "correct",
        "contrast_identical_units": "correct",
        "bound": "correct",
    }


# Each slip on the He problem (784-256-10, ReLU then identity, kaiming_uniform fan_in), worked out by hand.
SQRT3 = math.sqrt(3)
HE_SLIPS = {
    # fan_out divided by: 2/256 and 1/10
    "fans_swapped": {"weight_variance": [2 / 256, 1 / 10], "bound": [math.sqrt(6 / 256), math.sqrt(3 / 10)]},
    # U(-a, a) taken to have variance a^2: 3 * gain^2 / fan_in
    "bound_as_std": {"weight_variance": [6 / 784, 3 / 256], "preactivation_variance": [6, 3]},
    # a = std: sqrt(2/784) and 1/16
    "std_as_bound": {"bound": [math.sqrt(2 / 784), 1 / 16]},
    # ReLU's sqrt(2) left out
    "gain_left_out": {
        "gain": [1, 1],
        "weight_variance": [1 / 784, 1 / 256],
        "bound": [SQRT3 / 28, SQRT3 / 16],
        "preactivation_variance": [1, 1],
    },
}


@pytest.mark.parametrize(
    ("mistake", "part"), [(mistake, part) for mistake, parts in HE_SLIPS.items() for part in parts]
)
def test_each_scheme_slip_is_named(grade_answers: Grade, prepared: dict, mistake: str, part: str) -> None:
    result = grade_answers(prepared[HE], {part: HE_SLIPS[mistake][part]})[part]
    assert (result.verdict, result.mistake) == ("partial", mistake)
    assert result.score == KIND.credits[mistake] * result.max_score
    assert result.feedback.startswith(KIND.mistake(mistake).says("en"))


def test_a_slip_is_not_named_where_the_students_earlier_answer_rules_it_out(grade_answers: Grade, prepared) -> None:
    """Right variances rule out 'the gain was left out' for a bound that happens to be the gainless one."""
    results = grade_answers(
        prepared[HE], {"weight_variance": [2 / 784, 1 / 256], "bound": HE_SLIPS["gain_left_out"]["bound"]}
    )
    assert results["bound"].mistake != "gain_left_out"


def test_the_symmetry_slips_are_named(grade_answers: Grade, prepared: dict) -> None:
    results = grade_answers(
        prepared[SYMMETRIC],
        {
            "gradients": {"W1": [[0, 0], [0, 0]], "b1": [0, 0], "W2": [[0, 0]], "b2": [0]},
            "identical_units": [[1, 2]],
        },
    )
    assert {part: (r.mistake, r.score) for part, r in results.items()} == {
        "gradients": ("all_gradients_zero", Fraction(1, 4) * 2),
        "identical_units": ("units_diverge", Fraction(1, 4)),
    }


def test_every_mistake_changes_an_answer_of_a_builtin_problem(prepared: dict) -> None:
    offered = {m.id for path in (HE, SYMMETRIC) for m in prepared[path][0].mutants}
    assert offered == set(KIND.credits)
    he = {m.id: sorted(m.answers) for m in prepared[HE][0].mutants}
    assert he == {mistake: sorted(parts) for mistake, parts in HE_SLIPS.items()}


def test_later_scheme_parts_follow_from_the_students_own_values(grade_answers: Grade, prepared: dict) -> None:
    """A wrong gain (2 for ReLU, the square not rooted) carried on rightly: Var(w), then a and Var(z) from it."""
    variance = [4 / 784, 1 / 256]
    results = grade_answers(
        prepared[HE],
        {
            "gain": [2, 1],
            "weight_variance": variance,
            "bound": [math.sqrt(3 * v) for v in variance],
            "preactivation_variance": [784 * variance[0], 1],
        },
    )
    assert results["gain"].score == Fraction(1, 2)  # one layer of two right
    for part in ("weight_variance", "bound", "preactivation_variance"):
        assert (results[part].score, results[part].follow_through) == (1, True), part


STEP = """
id: one-step-symmetry
kind: initialization
title: One step
statement: One step from equal weights.
given:
  layers: [2, 2, 1]
  activation: sigmoid
  scheme: xavier_normal
  start: {W1: 0.5, b1: 0, W2: 0.5, b2: 0}
  x: [1, 2]
  target: 0
  loss: half_squared_error
  learning_rate: 0.5
parts: [gradients, params_after]
"""


def test_the_update_follows_from_the_students_own_gradients(grade_answers: Grade, tmp_path: Path) -> None:
    path = tmp_path / "step.yaml"
    path.write_text(STEP, encoding="utf-8")
    prepared = prepare(solve_paths([path]))
    right = prepared[0].solution.answers["gradients"]
    # W2's gradient with f'(z) of the output left out: a slip of the student's own, carried on rightly
    wrong = {
        name: [[float(v) for v in row] for row in value] if isinstance(value[0], tuple) else [float(v) for v in value]
        for name, value in right.items()
    }
    wrong["W2"] = [[v * 4 for v in wrong["W2"][0]]]
    start = {"W1": [[0.5, 0.5], [0.5, 0.5]], "b1": [0, 0], "W2": [[0.5, 0.5]], "b2": [0]}
    after = {
        name: [[s - 0.5 * g for s, g in zip(srow, grow)] for srow, grow in zip(start[name], wrong[name])]
        if isinstance(start[name][0], list)
        else [s - 0.5 * g for s, g in zip(start[name], wrong[name])]
        for name in start
    }
    results = grade_answers(prepared, {"gradients": wrong, "params_after": after})
    assert results["gradients"].verdict == "partial"
    assert (results["params_after"].score, results["params_after"].follow_through) == (1, True)


@pytest.mark.parametrize("path", [HE, SYMMETRIC])
def test_every_mutant_differs_from_the_answer_beyond_tolerance(prepared: dict, path: Path) -> None:
    """Else a slip could never be told from a right answer."""
    problem = prepared[path][0]
    for mutant in problem.mutants:
        for part, value in mutant.answers.items():
            if part in problem.by_id:
                assert not close_enough(value, problem.by_id[part].reference, problem.by_id[part]), (mutant.id, part)


def test_no_credit_follows_from_gradients_that_move_nothing(grade_answers: Grade, tmp_path: Path) -> None:
    """'Every gradient is zero, so the parameters stay as they were': the slip is named in both parts."""
    path = tmp_path / "step.yaml"
    path.write_text(STEP, encoding="utf-8")
    zeros = {"W1": [[0, 0], [0, 0]], "b1": [0, 0], "W2": [[0, 0]], "b2": [0]}
    start = {"W1": [[0.5, 0.5], [0.5, 0.5]], "b1": [0, 0], "W2": [[0.5, 0.5]], "b2": [0]}
    results = grade_answers(prepare(solve_paths([path])), {"gradients": zeros, "params_after": start})
    assert {part: (r.mistake, r.follow_through) for part, r in results.items()} == {
        "gradients": ("all_gradients_zero", False),
        "params_after": ("all_gradients_zero", False),
    }


def _rounded(value: np.ndarray) -> np.ndarray:
    """Every number to 3 significant figures, as a student writes intermediate values down."""
    return np.vectorize(lambda v: float(f"{v:.3g}"))(value)


def _student_run(params: dict[str, np.ndarray], steps: int = 2) -> dict[str, np.ndarray]:
    """The 2-2-1 sigmoid network trained by hand: each value worked out from the rounded ones before it."""
    x, y = np.array([0.2, 0.3]), 1.0
    sigmoid = lambda z: 1 / (1 + np.exp(-z))  # noqa: E731
    for _ in range(steps):
        a1 = _rounded(sigmoid(_rounded(params["W1"] @ x + params["b1"])))
        a2 = _rounded(sigmoid(_rounded(params["W2"] @ a1 + params["b2"])))
        e2 = _rounded((a2 - y) * a2 * (1 - a2))
        e1 = _rounded(a1 * (1 - a1) * (params["W2"].T @ e2))
        grads = {"W1": _rounded(np.outer(e1, x)), "b1": e1, "W2": _rounded(np.outer(e2, a1)), "b2": e2}
        params = {name: _rounded(value - grads[name]) for name, value in params.items()}
    return params


@pytest.mark.parametrize("prefix", ["", "contrast_"])
def test_a_student_who_rounds_every_value_on_the_way_gets_full_marks(
    grade_answers: Grade, prepared: dict, prefix: str
) -> None:
    start = {
        "": {"W1": np.zeros((2, 2)), "b1": np.zeros(2), "W2": np.zeros((1, 2)), "b2": np.zeros(1)},
        "contrast_": {
            "W1": np.array([[0.5, -0.3], [0.2, 0.4]]),
            "b1": np.zeros(2),
            "W2": np.array([[0.6, -0.1]]),
            "b2": np.zeros(1),
        },
    }[prefix]
    after = {name: value.tolist() for name, value in _student_run(start).items()}
    result = grade_answers(prepared[SYMMETRIC], {f"{prefix}params_after": after})[f"{prefix}params_after"]
    assert result.verdict == "correct", result.feedback

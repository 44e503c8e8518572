"""regularized_update grading: each classic slip named from wrong answers worked out here with NumPy, rounding,
follow-through from the student's own gradients and parameters, answers that take no work."""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from hwsolver.grading.prepared import PreparedProblem, prepare
from hwsolver.grading.results import PartResult
from hwsolver.kinds.regularized_update import KIND
from hwsolver.solving import solve_paths

Grade = Callable[..., dict[str, PartResult]]  # the grade_answers fixture (conftest.py)

ROOT = Path(__file__).resolve().parents[3]
L2 = ROOT / "problems" / "l2-weight-decay.yaml"
L1 = ROOT / "problems" / "l1-regularized-steps.yaml"


@pytest.fixture(scope="module")
def prepared() -> dict[Path, list[PreparedProblem]]:
    return {path: prepare(solve_paths([path])) for path in (L2, L1)}


def plain(value: Any) -> Any:
    """An answer as a student writes it in YAML: lists, mappings, exact fractions as "p/q"."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, tuple | list | np.ndarray):
        return [plain(v) for v in value]
    return str(value) if isinstance(value, Fraction) else float(value)


# -- the wrong answers, worked out here ------------------------------------------------------------------------

W, B = np.array([[0.6, -0.4], [0.2, 0.0]]), np.array([0.1, -0.3])
GW, GB = np.array([[0.1, -0.2], [0.3, 0.05]]), np.array([0.2, -0.1])
LAM, ETA = 0.1, 0.5


def l2_answers(*, bias_decay: float = 0.0, two: float = 1.0, penalty_in_gradient: float = 1.0) -> dict[str, Any]:
    """One L2 step: `two` = 2 drops the 1/2, `bias_decay` = lambda decays b, `penalty_in_gradient` = 0 leaves the
    penalty out of the gradient."""
    gw = GW + penalty_in_gradient * two * LAM * W
    gb = GB + penalty_in_gradient * bias_decay * B
    return {
        "penalty": two * LAM / 2 * np.sum(W**2) + bias_decay / 2 * np.sum(B**2),
        "decay_factor": 1 - two * ETA * LAM,
        "gradients": {"W": gw, "b": gb},
        "params_after": {"W": W - ETA * gw, "b": B - ETA * gb},
    }


def l1_answers(*, sign0: float = 0.0, l2: bool = False, bias: bool = False, penalty: bool = True) -> dict[str, Any]:
    """The two L1 steps, with sign(0) taken as `sign0`, or the L2 term in its place, or the bias regularized, or
    the penalty left out of the gradient."""
    w, b = np.array([0.3, 0.0, -0.2]), 0.5
    data = [(np.array([0.2, 0.1, -0.1]), 0.2), (np.array([0.1, -0.3, -0.1]), -0.1)]
    penalties, gradients, afters = [], [], []

    def sign(x: Any) -> Any:
        return np.where(x > 0, 1.0, np.where(x < 0, -1.0, sign0))

    for gw, gb in data:
        if l2:
            penalties.append(LAM / 2 * (np.sum(w**2) + (b**2 if bias else 0)))
            extra_w, extra_b = LAM * w, (LAM * b if bias else 0.0)
        else:
            penalties.append(LAM * (np.sum(np.abs(w)) + (abs(b) if bias else 0)))
            extra_w, extra_b = LAM * sign(w), (LAM * float(sign(np.array(b))) if bias else 0.0)
        gw, gb = (gw + extra_w, gb + extra_b) if penalty else (gw, gb)
        w, b = w - ETA * gw, b - ETA * gb
        gradients.append({"w": gw, "b": gb})
        afters.append({"w": w, "b": b})
    return {"penalty": penalties, "gradients": gradients, "params_after": afters}


WRONG = {
    L2: {
        "bias_decayed": l2_answers(bias_decay=LAM),
        "missing_half": l2_answers(two=2),
        "penalty_left_out": l2_answers(penalty_in_gradient=0),
    },
    L1: {
        "bias_decayed": l1_answers(bias=True),
        "l1_as_l2": l1_answers(l2=True),
        "sign_zero_as_one": l1_answers(sign0=1),
        "penalty_left_out": l1_answers(penalty=False),
    },
}
RIGHT = {L2: l2_answers(), L1: l1_answers()}
# The parts each slip changes on the built-in problems.
CHANGED = {
    L2: {
        "bias_decayed": {"gradients", "params_after", "penalty"},
        "missing_half": {"decay_factor", "gradients", "params_after", "penalty"},
        "penalty_left_out": {"gradients", "params_after"},
    },
    L1: {
        "bias_decayed": {"gradients", "params_after", "penalty"},
        "l1_as_l2": {"gradients", "params_after", "penalty"},
        "sign_zero_as_one": {"gradients", "params_after", "penalty"},  # the penalty of step 2
        "penalty_left_out": {"gradients", "params_after", "penalty"},
    },
}


def close(a: Any, b: Any) -> bool:
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(close(a[k], b[k]) for k in a)
    if isinstance(a, tuple | list) and a and isinstance(a[0], dict):
        return len(a) == len(b) and all(close(x, y) for x, y in zip(a, b))
    return bool(np.allclose(np.array(a, dtype=float), np.array(b, dtype=float), rtol=1e-12, atol=1e-14))


@pytest.mark.parametrize("path", [L2, L1])
def test_the_right_answers_are_right_and_match_the_worked_ones(grade_answers: Grade, prepared: dict, path) -> None:
    answers = prepared[path][0].solution.answers
    assert all(close(answers[part], RIGHT[path][part]) for part in answers)
    results = grade_answers(prepared[path], {part: plain(value) for part, value in answers.items()})
    assert len(results) == len(answers)
    assert all(r.verdict == "correct" and not r.follow_through for r in results.values())


@pytest.mark.parametrize("path", [L2, L1])
def test_each_slip_is_offered_for_the_parts_it_changes(prepared: dict, path: Path) -> None:
    mutants = prepared[path][0].mutants
    assert {m.id: set(m.answers) for m in mutants} == CHANGED[path]
    for mutant in mutants:  # the kind's switch gives what was worked out here
        assert all(close(value, WRONG[path][mutant.id][part]) for part, value in mutant.answers.items())


@pytest.mark.parametrize(
    ("path", "mistake", "part"),
    [(path, m, p) for path, slips in CHANGED.items() for m, parts in slips.items() for p in sorted(parts)],
)
def test_each_slip_is_named_on_each_part(grade_answers: Grade, prepared: dict, path, mistake, part) -> None:
    """Alone, or beside the right answers to every other part: a right penalty does not rule out 2 lambda w in the
    gradient, nor right gradients the biases decayed in the step."""
    wrong = plain(WRONG[path][mistake][part])
    right = {p: plain(v) for p, v in prepared[path][0].solution.answers.items() if p != part}
    for answers in ({part: wrong}, {**right, part: wrong}):
        result = grade_answers(prepared[path], answers)[part]
        credit = KIND.credits[mistake]
        assert (result.verdict, result.mistake, result.score) == ("partial", mistake, credit * result.max_score)
        assert result.feedback.startswith(KIND.mistake(mistake).says("en"))


def test_answers_to_three_figures_are_right(grade_answers: Grade, prepared: dict) -> None:
    answers = RIGHT[L1]
    rounded = {part: plain(np.vectorize(lambda x: float(f"{x:.3g}"))(answers[part])) for part in ("penalty",)}
    rounded["params_after"] = [
        {"w": [float(f"{x:.3g}") for x in s["w"]], "b": round(s["b"], 3)} for s in answers["params_after"]
    ]
    results = grade_answers(prepared[L1], rounded)
    assert {part: r.verdict for part, r in results.items()} == {"penalty": "correct", "params_after": "correct"}


def test_the_step_follows_the_students_own_gradients(grade_answers: Grade, prepared: dict) -> None:
    """An arithmetic slip in one gradient (0.26 for 0.16), then the step taken with it: follow-through."""
    gradients = {"W": GW + LAM * W, "b": GB}
    gradients["W"][0, 0] = 0.26
    after = {"W": W - ETA * gradients["W"], "b": B - ETA * GB}
    results = grade_answers(prepared[L2], {"gradients": plain(gradients), "params_after": plain(after)})
    assert results["gradients"].verdict == "partial" and results["gradients"].mistake is None
    assert (results["params_after"].verdict, results["params_after"].follow_through) == ("correct", True)


def test_each_penalty_follows_the_students_own_parameters(grade_answers: Grade, prepared: dict) -> None:
    """A slip in step 1's update of w1 (0.25 for 0.15): the penalty of step 2 at the student's own parameters."""
    after = [{"w": [0.25, -0.05, -0.1], "b": 0.4}, {"w": [0.15, 0.15, 0.0], "b": 0.45}]
    penalty = [0.05, 0.1 * (0.25 + 0.05 + 0.1)]
    results = grade_answers(prepared[L1], {"params_after": after, "penalty": penalty})
    assert results["params_after"].verdict == "partial"
    assert (results["penalty"].verdict, results["penalty"].follow_through) == ("correct", True)


def test_gradients_that_are_the_parameters_carry_nothing(grade_answers: Grade, prepared: dict) -> None:
    """The parameters written as their own gradients take no work: the step taken with them is no follow-through."""
    gradients = {"W": W, "b": B}
    after = {"W": W - ETA * W, "b": B - ETA * B}
    results = grade_answers(prepared[L2], {"gradients": plain(gradients), "params_after": plain(after)})
    assert results["gradients"].score == 0
    assert results["params_after"].follow_through is False and results["params_after"].verdict != "correct"


def test_parameters_left_as_given_earn_nothing_for_entries_right_by_chance(grade_answers: Grade, tmp_path) -> None:
    """A bias whose data gradient is 0 keeps its value: leaving every parameter as given matches it by chance."""
    spec = tmp_path / "p.yaml"
    spec.write_text(
        "id: t\nkind: regularized_update\ntitle: t\nstatement: t\n"
        "given:\n  params: {W: [0.5, -1], b: [0.25]}\n  data_gradients: {W: [0.1, 0.2], b: [0]}\n"
        "  regularizer: l2\n  lambda: 0.1\n  learning_rate: 0.5\nparts: [gradients, params_after]\n",
        encoding="utf-8",
    )
    problem = prepare(solve_paths([spec]))
    result = grade_answers(problem, {"params_after": {"W": [0.5, -1], "b": [0.25]}})["params_after"]
    assert (result.verdict, result.score) == ("incorrect", 0)


def test_sign_zero_is_offered_only_where_a_weight_is_zero(tmp_path) -> None:
    spec = tmp_path / "p.yaml"
    text = (
        "id: t\nkind: regularized_update\ntitle: t\nstatement: t\n"
        "given:\n  params: {w: [0.5, {x}]}\n  data_gradients: {w: [0.1, 0.2]}\n"
        "  regularizer: l1\n  lambda: 0.1\n  learning_rate: 0.5\nparts: [gradients]\n"
    )
    offered = {}
    for x in ("-1", "0"):
        spec.write_text(text.replace("{x}", x), encoding="utf-8")
        offered[x] = {m.id for m in prepare(solve_paths([spec]))[0].mutants}
    assert offered == {
        "-1": {"l1_as_l2", "penalty_left_out"},
        "0": {"l1_as_l2", "sign_zero_as_one", "penalty_left_out"},
    }


def test_values_rounded_on_the_way_are_allowed_for(grade_answers: Grade, tmp_path: Path) -> None:
    """lambda = 1/3: the gradient 0.7 + 0.37/3 = 0.82333 written to three figures, 0.823, gives the step
    0.37 - 0.5 * 0.823 = -0.0415 where the exact one is -0.041667: right; -0.0405 is not."""
    spec = tmp_path / "p.yaml"
    spec.write_text(
        "id: t\nkind: regularized_update\ntitle: t\nstatement: t\n"
        "given:\n  params: {w: [0.37]}\n  data_gradients: {w: [0.7]}\n"
        "  regularizer: l2\n  lambda: 1/3\n  learning_rate: 0.5\nparts: [params_after]\n",
        encoding="utf-8",
    )
    problem = prepare(solve_paths([spec]))
    rounded = grade_answers(problem, {"params_after": {"w": [-0.0415]}})["params_after"]
    assert (rounded.verdict, rounded.feedback) == (
        "correct",
        "right, allowing for the intermediate values rounded on the way",
    )
    assert grade_answers(problem, {"params_after": {"w": [-0.0405]}})["params_after"].verdict == "incorrect"

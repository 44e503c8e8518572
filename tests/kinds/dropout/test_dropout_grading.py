"""dropout grading: each classic slip named from wrong answers worked out here with NumPy, follow-through from the
student's own dropped activations and test-time weights, answers that ignore the mask."""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from hwsolver.grading.prepared import PreparedProblem, prepare
from hwsolver.grading.results import PartResult
from hwsolver.kinds.dropout import KIND
from hwsolver.solving import solve_paths

Grade = Callable[..., dict[str, PartResult]]  # the grade_answers fixture (conftest.py)

ROOT = Path(__file__).resolve().parents[3]
LECTURE = ROOT / "problems" / "dropout-lecture-code.yaml"
DROPCONNECT = ROOT / "problems" / "dropconnect-inverted.yaml"


@pytest.fixture(scope="module")
def prepared() -> dict[Path, list[PreparedProblem]]:
    return {path: prepare(solve_paths([path])) for path in (LECTURE, DROPCONNECT)}


def plain(value: Any) -> Any:
    if isinstance(value, tuple | list | np.ndarray):
        return [plain(v) for v in value]
    return str(value) if isinstance(value, Fraction) else float(value)


# -- the lecture's code: p = 0.5 kept, test-time scaling -------------------------------------------------------
H, M, P = np.array([0.8, 0.2, 1.2, 0.5]), np.array([1, 0, 1, 0]), 0.5
W2, B2, G2 = np.array([[0.5, -1, 0.25, 2], [1, 0.5, -0.5, 0]]), np.array([0.1, 0.2]), np.array([0.5, -1])


def lecture(*, train_scale: float = 1.0, test_mask: bool = False, backward_mask: bool = True) -> dict[str, Any]:
    dropped = train_scale * M * H
    test_input = P * (M * H if test_mask else H)
    return {
        "dropped": dropped,
        "train_output": W2 @ dropped + B2,
        "test_weights": P * W2,
        "test_output": W2 @ test_input + B2,
        "expected_output": W2 @ (train_scale * P * H) + B2,
        "grad_input": train_scale * (M if backward_mask else 1) * (W2.T @ G2),
        "grad_weights": np.outer(G2, dropped),
    }


# -- DropConnect: 0.2 dropped, inverted scaling ----------------------------------------------------------------
X, MW = np.array([1, -0.5, 2]), np.array([[1, 1, 0], [0, 1, 1]])
W, G = np.array([[0.5, 0.25, -1], [1, -2, 0.5]]), np.array([1, 0.5])


def dropconnect(*, keep: float = 0.8, test: float = 1.0, test_mask: bool = False, backward_mask: bool = True):
    kept = MW * W / keep
    back = MW if backward_mask else 1
    return {
        "train_output": kept @ X,
        "test_output": test * (MW * W if test_mask else W) @ X,
        "expected_output": W @ X,
        "grad_input": (back * W / keep).T @ G,
        "grad_weights": back * np.outer(G, X) / keep,
    }


RIGHT = {LECTURE: lecture(), DROPCONNECT: dropconnect()}
WRONG = {
    LECTURE: {
        "scaled_twice": lecture(train_scale=1 / P),
        "mask_at_test": lecture(test_mask=True),
        "mask_not_in_backward": lecture(backward_mask=False),
    },
    DROPCONNECT: {
        "scaled_twice": dropconnect(test=0.8),
        "drop_rate_scaling": dropconnect(keep=0.2),
        "mask_at_test": dropconnect(test_mask=True),
        "mask_not_in_backward": dropconnect(backward_mask=False),
    },
}
CHANGED = {  # p = 1/2 makes the drop rate the keep rate: that slip shows only in the DropConnect problem
    LECTURE: {
        "scaled_twice": {"dropped", "train_output", "expected_output", "grad_input", "grad_weights"},
        "mask_at_test": {"test_output"},
        "mask_not_in_backward": {"grad_input"},
    },
    DROPCONNECT: {
        "scaled_twice": {"test_output"},
        "drop_rate_scaling": {"train_output", "grad_input", "grad_weights"},
        "mask_at_test": {"test_output"},
        "mask_not_in_backward": {"grad_input", "grad_weights"},
    },
}


def close(a: Any, b: Any) -> bool:
    return bool(np.allclose(np.array(a, dtype=float), np.array(b, dtype=float), rtol=1e-12, atol=1e-14))


@pytest.mark.parametrize("path", [LECTURE, DROPCONNECT])
def test_the_right_answers_are_right_and_match_the_worked_ones(grade_answers: Grade, prepared: dict, path) -> None:
    answers = prepared[path][0].solution.answers
    assert set(answers) == set(RIGHT[path]) and all(close(answers[p], RIGHT[path][p]) for p in answers)
    results = grade_answers(prepared[path], {part: plain(value) for part, value in answers.items()})
    assert len(results) == len(answers)
    assert all(r.verdict == "correct" and not r.follow_through for r in results.values())


@pytest.mark.parametrize("path", [LECTURE, DROPCONNECT])
def test_each_slip_is_offered_for_the_parts_it_changes(prepared: dict, path: Path) -> None:
    mutants = prepared[path][0].mutants
    assert {m.id: set(m.answers) for m in mutants} == CHANGED[path]
    for mutant in mutants:
        assert all(close(value, WRONG[path][mutant.id][part]) for part, value in mutant.answers.items())


@pytest.mark.parametrize(
    ("path", "mistake", "part"),
    [(path, m, p) for path, slips in CHANGED.items() for m, parts in slips.items() for p in sorted(parts)],
)
def test_each_slip_is_named(grade_answers: Grade, prepared: dict, path: Path, mistake: str, part: str) -> None:
    result = grade_answers(prepared[path], {part: plain(WRONG[path][mistake][part])})[part]
    credit = KIND.credits[mistake]
    assert (result.verdict, result.mistake, result.score) == ("partial", mistake, credit * result.max_score)
    assert result.feedback.startswith(KIND.mistake(mistake).says("en"))


def test_a_slip_the_earlier_answers_rule_out_is_not_named(grade_answers: Grade, prepared: dict) -> None:
    """Right dropped activations (not divided by p) beside E[z] = W h + b: not 'scaled at both' (the student did
    not scale at training), just wrong."""
    answers = {"dropped": plain(RIGHT[LECTURE]["dropped"]), "expected_output": plain(W2 @ H + B2)}
    result = grade_answers(prepared[LECTURE], answers)["expected_output"]
    assert (result.verdict, result.mistake, result.score) == ("incorrect", None, 0)


def test_later_parts_follow_the_students_own_values(grade_answers: Grade, prepared: dict) -> None:
    """A slip in one dropped activation (1.3 for 1.2), and test-time weights scaled by 0.6: the dense layer's
    output and dL/dW from the first, the test output from the second, are followed through."""
    dropped = M * H
    dropped[2] = 1.3
    weights = 0.6 * W2
    answers = {
        "dropped": plain(dropped),
        "train_output": plain(W2 @ dropped + B2),
        "grad_weights": plain(np.outer(G2, dropped)),
        "test_weights": plain(weights),
        "test_output": plain(weights @ H + B2),
    }
    results = grade_answers(prepared[LECTURE], answers)
    assert results["dropped"].verdict == "partial" and results["test_weights"].verdict != "correct"
    for part in ("train_output", "grad_weights", "test_output"):
        assert (results[part].verdict, results[part].follow_through) == ("correct", True), part


def test_activations_that_ignore_the_mask_carry_nothing(grade_answers: Grade, prepared: dict) -> None:
    """h itself as the dropped activations, then W h + b: the mask was never applied, nothing follows."""
    answers = {"dropped": plain(H), "train_output": plain(W2 @ H + B2)}
    results = grade_answers(prepared[LECTURE], answers)
    assert results["dropped"].score == 0  # its entries h1 and h3 match by chance
    assert results["train_output"].follow_through is False and results["train_output"].score == 0


def test_answers_to_three_figures_are_right(grade_answers: Grade, prepared: dict) -> None:
    rounded = {part: [float(f"{x:.3g}") for x in RIGHT[DROPCONNECT][part]] for part in ("train_output", "grad_input")}
    assert rounded["train_output"] == [0.469, 2.5] and rounded["grad_input"] == [0.625, -0.938, 0.312]
    results = grade_answers(prepared[DROPCONNECT], rounded)
    assert {part: r.verdict for part, r in results.items()} == {"train_output": "correct", "grad_input": "correct"}


def test_values_rounded_on_the_way_are_allowed_for(grade_answers: Grade, tmp_path: Path) -> None:
    """Kept with p = 0.7, inverted: h' = (0.8, 0.3) / 0.7 = (1.142857, 0.428571), z = 0.5 h'1 - h'2 = 0.142857.
    A student who writes h' to three figures, (1.14, 0.429), gets z = 0.141: right; 0.139 is not."""
    spec = tmp_path / "p.yaml"
    spec.write_text(
        "id: t\nkind: dropout\ntitle: t\nstatement: t\ngiven:\n  activations: [0.8, 0.3]\n  mask: [1, 1]\n"
        "  probability: {keep: 0.7}\n  scaling: inverted\n  weights: [[0.5, -1]]\nparts: [train_output]\n",
        encoding="utf-8",
    )
    problem = prepare(solve_paths([spec]))
    assert round(0.5 * 1.14 - 0.429, 9) == 0.141
    rounded = grade_answers(problem, {"train_output": [0.141]})["train_output"]
    assert (rounded.verdict, rounded.feedback) == (
        "correct",
        "right, allowing for the intermediate values rounded on the way",
    )
    assert grade_answers(problem, {"train_output": [0.139]})["train_output"].verdict == "incorrect"

"""param_count grading: submissions as students write them, each classic miscount named (against wrong counts worked
out here by hand), and the total and MACs credited from the student's own per-layer answers."""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
import yaml

from hwsolver.grading.prepared import PreparedProblem, prepare
from hwsolver.grading.results import PartResult
from hwsolver.grading.slips import close_enough
from hwsolver.kinds.param_count import KIND
from hwsolver.solving import solve_paths

Grade = Callable[..., dict[str, PartResult]]  # the grade_answers fixture (conftest.py)

ROOT = Path(__file__).resolve().parents[3]
FC = ROOT / "problems" / "fc-param-count.yaml"
CNN = ROOT / "problems" / "cnn-param-count.yaml"

# The CNN homework as a student writes it: shape, weights, biases, parameters per layer.
RIGHT = [
    ([3, 64, 80], 75, 3),
    ([3, 32, 40], 0, 0),
    ([5, 32, 40], 240, 5),
    ([5, 16, 20], 0, 0),
    ([5, 16, 20], 400, 5),
    ([5, 8, 10], 0, 0),
    ([400], 0, 0),
    ([100], 40000, 100),
]


def written(rows: list[tuple[list[int], int, int]]) -> list[dict[str, Any]]:
    return [{"output_shape": s, "weights": w, "biases": b, "params": w + b} for s, w, b in rows]


@pytest.fixture(scope="module")
def prepared() -> dict[Path, list[PreparedProblem]]:
    return {path: prepare(solve_paths([path])) for path in (FC, CNN)}


def test_a_right_submission_written_by_hand_is_right(grade_answers: Grade, prepared: dict) -> None:
    text = """
    layers:
      - {output_shape: [3, 64, 80], weights: 75, biases: 3, params: 78}
      - {output_shape: [3, 32, 40], weights: 0, biases: 0, params: 0}
      - {output_shape: [5, 32, 40], weights: 240, biases: 5, params: 245}
      - {output_shape: [5, 16, 20], weights: 0, biases: 0, params: 0}
      - {output_shape: [5, 16, 20], weights: 400, biases: 5, params: 405}
      - {output_shape: [5, 8, 10], weights: 0, biases: 0, params: 0}
      - {output_shape: 400, weights: 0, biases: 0, params: 0}
      - {Output_Shape: [100], weights: 40000, biases: 100, params: 40100}
    total: 40828
    macs: 859200
    """
    results = grade_answers(prepared[CNN], yaml.safe_load(text))
    assert {part: r.verdict for part, r in results.items()} == dict.fromkeys(("layers", "total", "macs"), "correct")


# Each slip's wrong counts, worked out by hand from the statement (not from the kind's mutants).
NO_BIASES = [(s, w, 0) for s, w, _ in RIGHT]
NO_CHANNELS = [RIGHT[0], RIGHT[1], ([5, 32, 40], 5 * 16, 5), RIGHT[3], ([5, 16, 20], 5 * 16, 5), *RIGHT[5:]]
PER_POSITION = [
    (s, w, 3 * 64 * 80 if i == 0 else 5 * 32 * 40 if i == 2 else 5 * 16 * 20 if i == 4 else b)
    for i, (s, w, b) in enumerate(RIGHT)
]
# valid convolutions: 64x80 -> 60x76 -> 30x38 -> 27x35 -> 13x17 -> 10x14 -> 5x7, flattened 175
NO_PADDING = [
    ([3, 60, 76], 75, 3),
    ([3, 30, 38], 0, 0),
    ([5, 27, 35], 240, 5),
    ([5, 13, 17], 0, 0),
    ([5, 10, 14], 400, 5),
    ([5, 5, 7], 0, 0),
    ([175], 0, 0),
    ([100], 17500, 100),
]
SLIPS = {
    "biases_forgotten": (NO_BIASES, 40828 - 113),
    "input_channels_forgotten": (NO_CHANNELS, 78 + 85 + 85 + 40100),
    "bias_per_position": (PER_POSITION, 75 + 240 + 400 + 40000 + 15360 + 6400 + 1600 + 100),
    "padding_ignored": (NO_PADDING, 78 + 245 + 405 + 17600),
}


@pytest.mark.parametrize("mistake", sorted(SLIPS))
def test_each_miscount_is_named(grade_answers: Grade, prepared: dict, mistake: str) -> None:
    rows, total = SLIPS[mistake]
    results = grade_answers(prepared[CNN], {"layers": written(rows), "total": total})
    share = KIND.credits[mistake]
    layers = results["layers"]
    assert (layers.verdict, layers.mistake, layers.score) == ("partial", mistake, share * layers.max_score)
    assert layers.feedback.startswith(KIND.mistake(mistake).says("en"))
    # one mistake is penalised once: the total that follows from those layers earns its points
    assert (results["total"].score, results["total"].follow_through) == (results["total"].max_score, True)


def test_the_total_alone_names_the_slip_it_comes_from(grade_answers: Grade, prepared: dict) -> None:
    results = grade_answers(prepared[FC], {"total": 160000 * 40000 + 40000 * 2000 + 2000 * 100})
    assert (results["total"].mistake, results["total"].score) == ("biases_forgotten", Fraction(1, 2))


def test_every_mutant_changes_an_answer_of_its_builtin_problem(prepared: dict) -> None:
    offered = {path: sorted(m.id for m in prepared[path][0].mutants) for path in (FC, CNN)}
    assert offered == {FC: ["biases_forgotten"], CNN: sorted(SLIPS)}
    # the table's mistakes all appear on some built-in problem
    assert set(KIND.credits) == set(offered[FC]) | set(offered[CNN])


def test_macs_follow_from_the_students_own_shapes(grade_answers: Grade, prepared: dict) -> None:
    """Shapes without padding, then MACs right for those shapes: the MACs are not penalised again."""
    macs = 3 * 60 * 76 * 25 + 5 * 27 * 35 * 3 * 16 + 5 * 10 * 14 * 5 * 16 + 175 * 100  # by hand, valid shapes
    results = grade_answers(prepared[CNN], {"layers": written(NO_PADDING), "macs": macs})
    assert (results["macs"].score, results["macs"].follow_through) == (1, True)


def test_an_arithmetic_slip_costs_its_entries_and_the_total_follows(grade_answers: Grade, prepared: dict) -> None:
    rows = list(RIGHT)
    rows[2] = ([5, 32, 40], 5 * 4 * 4 * 3 + 10, 5)  # 250 weights: no classic slip, a wrong product
    results = grade_answers(prepared[CNN], {"layers": written(rows), "total": 40838})
    layers = results["layers"]
    assert layers.verdict == "partial" and layers.mistake is None
    assert "item 3 weights (expected 240)" in layers.feedback and "item 3 params (expected 245)" in layers.feedback
    # each layer an equal share; layer 3 has two of its four numbers wrong
    assert layers.score == Fraction(7 + Fraction(1, 2), 8) * layers.max_score
    assert results["total"].follow_through


@pytest.mark.parametrize("path", [FC, CNN])
def test_every_mutant_differs_from_the_answer_beyond_tolerance(prepared: dict, path: Path) -> None:
    """Else a slip could never be told from a right answer."""
    problem = prepared[path][0]
    for mutant in problem.mutants:
        for part, value in mutant.answers.items():
            if part in problem.by_id:
                assert not close_enough(value, problem.by_id[part].reference, problem.by_id[part]), (mutant.id, part)


def test_counts_are_compared_exactly(grade_answers: Grade, prepared: dict) -> None:
    """`rtol: 0`: one parameter in 6.5 billion is still a wrong count (the float allowance would take it)."""
    results = grade_answers(prepared[FC], {"total": 6_480_242_101})
    assert results["total"].verdict == "incorrect"
    assert grade_answers(prepared[FC], {"total": "6.4802421e9"})["total"].verdict == "correct"

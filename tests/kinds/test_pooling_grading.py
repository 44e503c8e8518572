"""pooling_backprop grading: each classic slip named on the built-in problems, follow-through from argmax."""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml

from hwsolver.grading.prepared import PreparedProblem, prepare
from hwsolver.grading.results import PartResult
from hwsolver.kinds import pooling_grading
from hwsolver.solving import solve_paths

Grade = Callable[..., dict[str, PartResult]]  # the grade_answers fixture (conftest.py)

ROOT = Path(__file__).resolve().parents[2]
MAX = ROOT / "problems" / "pooling-backprop.yaml"
AVERAGE = ROOT / "problems" / "average-pooling-backprop.yaml"
MUTANTS = {
    MAX: {
        "max_to_all": ("delta_prev",),
        "argmax_one_based": ("argmax",),
        "argmax_in_window": ("argmax",),
        "max_last_tie": ("delta_prev", "argmax"),  # the built-in problem's last window holds 3 three times
    },
    AVERAGE: {"average_not_divided": ("delta_prev",)},
}


@pytest.fixture(scope="module")
def prepared() -> dict[Path, list[PreparedProblem]]:
    return {path: prepare(solve_paths([path])) for path in (MAX, AVERAGE)}


def plain(value: Any) -> Any:
    """An answer as a student writes it in YAML: lists, and exact fractions as "p/q"."""
    if isinstance(value, tuple):
        return [plain(v) for v in value]
    return str(value) if isinstance(value, Fraction) else value


@pytest.mark.parametrize("path", [MAX, AVERAGE])
def test_the_right_answers_are_correct(grade_answers: Grade, prepared: dict, path: Path) -> None:
    answers = prepared[path][0].solution.answers
    results = grade_answers(prepared[path], {part: plain(value) for part, value in answers.items()})
    assert len(results) == len(answers)
    assert all(r.verdict == "correct" and not r.follow_through for r in results.values())


@pytest.mark.parametrize("path", [MAX, AVERAGE])
def test_every_mutant_is_offered_with_its_parts(prepared: dict, path: Path) -> None:
    offered = {m.id: tuple(m.answers) for m in prepared[path][0].mutants}
    assert offered == MUTANTS[path]


@pytest.mark.parametrize(
    ("path", "mutant_id", "part"),
    [(path, m, p) for path, mutants in MUTANTS.items() for m, parts in mutants.items() for p in parts],
)
def test_each_slip_is_named(grade_answers: Grade, prepared: dict, path: Path, mutant_id: str, part: str) -> None:
    (mutant,) = [m for m in prepared[path][0].mutants if m.id == mutant_id]
    result = grade_answers(prepared[path], {part: plain(mutant.answers[part])})[part]
    credit = pooling_grading.MISTAKES[mutant_id]
    assert (result.verdict, result.mistake, result.score) == ("partial", mutant_id, credit * result.max_score)
    assert result.feedback.startswith(mutant.feedback)


@pytest.mark.parametrize("path", [MAX, AVERAGE])
def test_mutants_differ_from_the_answer_and_from_each_other(prepared: dict, path: Path) -> None:
    """Else a mutant could never be named on the built-in problem."""
    answers, mutants = prepared[path][0].solution.answers, prepared[path][0].mutants
    for part in answers:
        values = [np.array(answers[part], dtype=float)]
        values += [np.array(m.answers[part], dtype=float) for m in mutants if part in m.answers]
        for a in range(len(values)):
            for b in range(a):
                assert not np.allclose(values[a], values[b]), (part, a, b)


def test_max_to_all_by_hand(prepared: dict) -> None:
    """Every position of a window gets its whole error; the average slip gives the same array."""
    expected = np.kron([[0.5, -1], [2, 0.25]], np.ones((2, 2)))
    for path, mutant_id in ((MAX, "max_to_all"), (AVERAGE, "average_not_divided")):
        (mutant,) = [m for m in prepared[path][0].mutants if m.id == mutant_id]
        assert np.array_equal(np.array(mutant.answers["delta_prev"]), expected)


def test_delta_follows_the_students_own_argmax(grade_answers: Grade, prepared: dict) -> None:
    """Wrong positions inside each window, then the error routed to exactly those: follow-through for delta_prev
    (argmax comes first in the kind's order); the output comes before argmax, so it gets none."""
    positions = [[[1, 1], [1, 2]], [[3, 1], [3, 3]]]  # in their windows, but not the maxima
    delta = np.zeros((4, 4))
    upstream = [[0.5, -1], [2, 0.25]]
    for i in range(2):
        for j in range(2):
            delta[tuple(positions[i][j])] += upstream[i][j]
    x = [[1, 3, 2, 0], [4, 2, 1, 5], [0, 6, 3, 3], [2, 1, 3, 1]]
    read = [[x[r][c] for r, c in row] for row in positions]
    results = grade_answers(prepared[MAX], {"argmax": positions, "delta_prev": delta.tolist(), "output": read})
    assert results["argmax"].verdict == "incorrect"
    assert (results["delta_prev"].verdict, results["delta_prev"].follow_through) == ("correct", True)
    assert results["output"].follow_through is False


def test_positions_outside_their_windows_earn_no_follow_through(grade_answers: Grade, prepared: dict) -> None:
    (mutant,) = [m for m in prepared[MAX][0].mutants if m.id == "argmax_in_window"]
    positions = mutant.answers["argmax"]  # window-relative coordinates: outside the window for most
    delta = np.zeros((4, 4))
    for i, row in enumerate([[0.5, -1], [2, 0.25]]):
        for j, value in enumerate(row):
            delta[tuple(positions[i][j])] += value
    results = grade_answers(prepared[MAX], {"argmax": plain(positions), "delta_prev": delta.tolist()})
    assert (results["argmax"].verdict, results["argmax"].mistake) == ("partial", "argmax_in_window")
    assert results["delta_prev"].follow_through is False


@pytest.mark.parametrize(
    "argmax",
    [
        "oops",
        None,
        {"a": 1},
        (((1, 0), (1, 3)), ((2, 1),)),  # ragged
        (((1, 0), (1, 3)), ((2, 1), (2, 9))),  # outside the input
        (((1, 0), (1, 3)), ((2, 1), (-1, 2))),  # negative
        (((1, 0), (1, 3)), ((2, 1), (2, 2.5))),  # not whole
        ((1, 0), (1, 3)),  # wrong shape
    ],
)
def test_follow_through_never_raises_on_odd_values(prepared: dict, argmax: Any) -> None:
    """Positions that are no routing make the route refuse (ValueError and kin: the grader then gives none)."""
    solution = prepared[MAX][0].solution
    (route,) = pooling_grading.follow_through(solution.problem, solution)
    with pytest.raises((ValueError, TypeError, IndexError)):
        route.compute({"argmax": argmax})
    average = prepared[AVERAGE][0].solution
    assert pooling_grading.follow_through(average.problem, average) == ()


def test_channels_and_overlapping_windows_keep_the_shapes(tmp_path: Path) -> None:
    """Two channels, 3x3 windows at stride 2 (overlapping): mutant answers have the real answers' shapes."""
    rng = np.random.default_rng(5)
    for pool in ("max", "average"):
        given = {
            "input": rng.integers(0, 3, (2, 5, 5)).tolist(),  # small integers: ties in many windows
            "pool": pool,
            "size": 3,
            "stride": 2,
            "upstream": rng.integers(-4, 5, (2, 2, 2)).tolist(),
        }
        spec = {"id": "t", "kind": "pooling_backprop", "title": "t", "statement": "t", "given": given}
        path = tmp_path / f"{pool}.yaml"
        path.write_text(yaml.safe_dump({**spec, "parts": ["output"]}), encoding="utf-8")
        (solution,) = solve_paths([path])
        for mutant in pooling_grading.mistakes(solution.problem, solution):
            for part, value in mutant.answers.items():
                assert np.shape(value) == np.shape(solution.answers[part]), (pool, mutant.id, part)
        if pool == "max":
            (route,) = pooling_grading.follow_through(solution.problem, solution)
            routed = route.compute({"argmax": solution.answers["argmax"]})
            assert np.allclose(np.array(routed, dtype=float), np.array(solution.answers["delta_prev"], dtype=float))


def test_a_routing_to_each_windows_corner_carries_nothing(grade_answers: Grade, prepared: dict) -> None:
    """Seen earning delta_prev full marks: every window's error sent to its top-left corner, which ignores the
    input. A routing that reads it, even with a slip in one window, is followed."""
    upstream = [[0.5, -1], [2, 0.25]]

    def routed(positions: list) -> list:
        delta = np.zeros((4, 4))
        for i in range(2):
            for j in range(2):
                delta[tuple(positions[i][j])] += upstream[i][j]
        return delta.tolist()

    corners = [[[0, 0], [0, 2]], [[2, 0], [2, 2]]]
    results = grade_answers(prepared[MAX], {"argmax": corners, "delta_prev": routed(corners)})
    assert results["delta_prev"].verdict != "correct" and not results["delta_prev"].follow_through
    one_slip = [[[1, 0], [1, 3]], [[2, 1], [2, 3]]]  # the last window: its second 3, not its first
    results = grade_answers(prepared[MAX], {"argmax": one_slip, "delta_prev": routed(one_slip)})
    assert (results["delta_prev"].verdict, results["delta_prev"].follow_through) == ("correct", True)


def test_average_pooling_rounded_to_three_figures(tmp_path: Path, grade_answers: Grade) -> None:
    """3x3 windows: each position gets e/9, written to 3 figures (0.0778 for 0.7/9): right."""
    given = {
        "input": np.arange(36).reshape(6, 6).tolist(),
        "pool": "average",
        "size": 3,
        "upstream": [[0.7, -1.3], [2.2, 0.1]],
    }
    spec = {
        "id": "t",
        "kind": "pooling_backprop",
        "title": "t",
        "statement": "t",
        "given": given,
        "parts": ["delta_prev"],
    }
    path = tmp_path / "average.yaml"
    path.write_text(yaml.safe_dump(spec), encoding="utf-8")
    prepared = prepare(solve_paths([path]))
    delta = np.kron(np.array(given["upstream"]) / 9, np.ones((3, 3)))
    rounded = [[float(f"{v:.3g}") for v in row] for row in delta]
    assert grade_answers(prepared, {"delta_prev": rounded})["delta_prev"].verdict == "correct"


def test_answers_that_take_no_work_earn_nothing_for_entries_right_by_chance(grade_answers: Grade, prepared) -> None:
    """All zeros match 12 of the 16 entries of e(l-1); every error sent to its window's corner matches 10: a TA
    gives neither anything (seen: 0.75 and 0.625 of the points by per-entry credit)."""
    zeros = grade_answers(prepared[MAX], {"delta_prev": np.zeros((4, 4)).tolist()})["delta_prev"]
    assert (zeros.verdict, zeros.score) == ("incorrect", 0)
    corners = np.kron([[0.5, -1], [2, 0.25]], [[1, 0], [0, 0]])
    cornered = grade_answers(prepared[MAX], {"delta_prev": corners.tolist()})["delta_prev"]
    assert (cornered.verdict, cornered.score) == ("incorrect", 0)
    # a routing with one window misread is work with a slip: its right entries count
    slipped = np.array(prepared[MAX][0].solution.answers["delta_prev"], dtype=float)
    slipped[3, 2], slipped[2, 2] = slipped[2, 2], 0.0
    assert grade_answers(prepared[MAX], {"delta_prev": slipped.tolist()})["delta_prev"].verdict == "partial"

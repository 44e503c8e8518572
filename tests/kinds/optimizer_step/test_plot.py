"""optimizer_step's plot: the data it hands to the chart are the solution's trajectory and each compared optimizer's
steps as NumPy written here (oracle.py) computes them, the contour lines lie on level sets of the objective, and a
one-parameter or many-parameter problem gets the curve or the parameters against the step. (How a chart draws its
data, and that it does so deterministically: tests/handout/test_plots.py.)"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import yaml

from hwsolver.kinds.optimizer_step.explain import trajectory_chart
from hwsolver.solving import solve, solve_paths
from hwsolver.spec.problems import problem_from_node
from hwsolver.spec.reader import parse_text

from .oracle import run as oracle
from .test_given_gradients import TABLE, table

ROOT = Path(__file__).resolve().parents[3]


def bowl_grad(theta: np.ndarray) -> np.ndarray:
    return np.array([2 * (theta[0] - 1), 20 * theta[1]])


def _xy(series) -> np.ndarray:
    return np.column_stack([series.xs, series.ys])


def test_the_adam_plot_is_the_solutions_path_then_each_compared_optimizers_30_steps() -> None:
    (solution,) = solve_paths([ROOT / "problems" / "adam-step.yaml"])
    chart = trajectory_chart(solution.problem.given)
    assert [s.label for s in chart.series] == ["adam", "sgd", "momentum"]
    (x_name, y_name) = (chart.x_label, chart.y_label)
    assert (x_name, y_name) == ("w1", "w2")
    solved = [[float(p["w1"]), float(p["w2"])] for p in solution.answers["trajectory"]]
    assert np.allclose(_xy(chart.series[0])[: len(solved)], solved, rtol=1e-12, atol=1e-15)
    start = np.array([0.0, 1.0])
    expected = [
        oracle("adam", start, bowl_grad, 30, lr=0.1)[0],
        oracle("sgd", start, bowl_grad, 30, lr=0.09)[0],
        oracle("momentum", start, bowl_grad, 30, lr=0.02, momentum=0.9)[0],
    ]
    for series, points in zip(chart.series, expected, strict=True):
        assert np.allclose(_xy(series), points, rtol=1e-12, atol=1e-14)


def test_its_contour_lines_lie_on_level_sets_of_the_objective() -> None:
    (solution,) = solve_paths([ROOT / "problems" / "adam-step.yaml"])
    chart = trajectory_chart(solution.problem.given)
    (x_low, x_high), (y_low, y_high) = chart.limits()
    grid_x, grid_y = np.meshgrid(np.linspace(x_low, x_high, 50), np.linspace(y_low, y_high, 50))
    spread = np.ptp((grid_x - 1) ** 2 + 10 * grid_y**2)
    assert len(chart.contours) >= 5
    levels = []
    for line in chart.contours:
        points = np.array(line)
        values = (points[:, 0] - 1) ** 2 + 10 * points[:, 1] ** 2
        assert np.ptp(values) < 0.01 * spread  # one level along the line (a 121-point grid, 4 decimals)
        levels.append(values.mean())
    assert len({round(level / spread, 3) for level in levels}) >= 5  # several levels, not one line repeated


def test_given_gradients_draw_the_path_in_the_plane_beside_sgd_on_the_same_gradients() -> None:
    (solution,) = solve_paths([ROOT / "problems" / "momentum-minibatch-gradients.yaml"])
    chart = trajectory_chart(solution.problem.given)
    assert chart.contours == () and [s.label for s in chart.series] == ["momentum", "sgd"]
    solved = [[float(p["w1"]), float(p["w2"])] for p in solution.answers["trajectory"]]
    assert np.allclose(_xy(chart.series[0]), solved, rtol=1e-12)
    sgd, _ = oracle("sgd", np.zeros(2), table(TABLE), 4, lr=0.1)
    assert np.allclose(_xy(chart.series[1]), sgd, rtol=1e-12)


def _solved(given: dict):
    text = yaml.safe_dump(
        {
            "id": "p",
            "kind": "optimizer_step",
            "title": {"zh": "题", "en": "P"},
            "statement": {"zh": "题。", "en": "P."},
            "given": given,
            "parts": ["trajectory"],
        }
    )
    return solve(problem_from_node(parse_text(text, "p.yaml")))


def test_one_parameter_is_drawn_on_the_objectives_curve() -> None:
    solution = _solved(
        {"objective": "w^4 - w", "start": {"w": 1}, "optimizer": {"name": "sgd", "lr": 0.05}, "steps": 3}
    )
    chart = trajectory_chart(solution.problem.given)
    ws = [float(p["w"]) for p in solution.answers["trajectory"]]
    assert np.allclose(chart.series[0].xs, ws) and np.allclose(chart.series[0].ys, [w**4 - w for w in ws])
    ((curve),) = chart.contours
    xs, ys = np.array(curve).T
    assert np.allclose(ys, xs**4 - xs, atol=5e-4)  # the curve, x and f rounded to 4 decimals
    assert xs.min() <= min(ws) and xs.max() >= max(ws)


def test_three_parameters_are_each_drawn_against_the_step() -> None:
    given = {
        "objective": "a^2 + 2*b^2 + 3*c^2",
        "start": {"a": 1, "b": 1, "c": 1},
        "optimizer": {"name": "sgd", "lr": 0.1},
    }
    solution = _solved({**given, "steps": 2})
    chart = trajectory_chart(solution.problem.given)
    assert [s.label for s in chart.series] == ["a", "b", "c"] and chart.steps
    for series, factor in zip(chart.series, (0.8, 0.6, 0.4), strict=True):  # each step multiplies by 1 - 0.1 * 2k
        assert series.xs == (0, 1, 2) and np.allclose(series.ys, [1, factor, factor**2])

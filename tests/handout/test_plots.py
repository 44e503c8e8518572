"""Charts (handout/plots.py): the same bytes for the same data in any process, well-formed SVG with nothing from
outside (no date, no id that is not the chart's own, no address), the points drawn are the data given (read back
from the SVG and from the TikZ picture), and golden files carry a digest of the data instead of the picture.
That the data are the solution's is each kind's test (tests/kinds/optimizer_step, lr_schedule)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from hwsolver.handout.document import handout_markdown, render_handout
from hwsolver.handout.plots import Chart, Series
from hwsolver.kinds import KINDS
from hwsolver.solving import solve_paths

ROOT = Path(__file__).resolve().parents[2]
SVG = "{http://www.w3.org/2000/svg}"
# Every chart-drawing shape among the built-in problems: contours and a comparison, one optimizer alone, given
# gradients (no contours), a step-shaped and a smooth schedule.
PLOTTED = ["adam-step", "adagrad-rates", "momentum-minibatch-gradients", "step-decay", "inverse-time-decay"]


@pytest.fixture(scope="module")
def charts() -> dict[str, Chart]:
    solutions = solve_paths([ROOT / "problems" / f"{name}.yaml" for name in PLOTTED])
    return {s.problem.id: KINDS[s.problem.kind].extras(s)["plot"] for s in solutions}  # type: ignore[misc]


def _handout_in_a_fresh_process(tmp_path: Path, seed: str) -> str:
    out = tmp_path / f"handout-{seed}.md"
    files = [str(ROOT / "problems" / f"{name}.yaml") for name in ("adam-step", "step-decay")]
    command = [sys.executable, "-m", "hwsolver", "handout", *files, "--format", "md", "--lang", "en", "-o", str(out)]
    subprocess.run(command, check=True, capture_output=True, env={**os.environ, "PYTHONHASHSEED": seed}, cwd=ROOT)
    return out.read_text(encoding="utf-8")


def test_a_handouts_charts_are_the_same_bytes_in_processes_with_other_hash_seeds(tmp_path: Path, charts) -> None:
    first, second = _handout_in_a_fresh_process(tmp_path, "1"), _handout_in_a_fresh_process(tmp_path, "2")
    assert first == second
    drawn = re.findall(r"<svg.*?</svg>", first, re.DOTALL)
    assert drawn == [charts["adam-step"].svg("adam-step-trajectory"), charts["step-decay"].svg("step-decay-rates")]


def _ids(root: ET.Element) -> list[str]:
    return [element.get("id", "") for element in root.iter() if element.get("id")]


@pytest.mark.parametrize("problem_id", PLOTTED)
def test_each_chart_is_well_formed_svg_with_nothing_from_outside(problem_id: str, charts) -> None:
    name = f"{problem_id}-plot"
    text = charts[problem_id].svg(name)
    root = ET.fromstring(text)  # well-formed XML, no namespace left undeclared
    assert root.tag == f"{SVG}svg"
    ids = _ids(root)
    assert len(ids) == len(set(ids)) and all(i.startswith(f"chart-{name}-") for i in ids)
    references = re.findall(r'href="([^"]*)"|url\(([^)]*)\)', text)
    assert references and {a or b for a, b in references} <= {f"#{i}" for i in ids}  # each a link inside
    assert re.findall(r"\w+://[^\"' ]*", text) == ["http://www.w3.org/2000/svg"]  # the namespace, no address
    assert not re.search(r"\d{4}-\d\d-\d\d|<metadata|<script|<image|<a\b|\n\s*\n", text)


def _markers(root: ET.Element, group: str) -> np.ndarray:
    """The positions of the markers drawn in one line's group of the SVG."""
    (line,) = [element for element in root.iter(f"{SVG}g") if element.get("id") == group]
    return np.array([[float(use.get("x", "nan")), float(use.get("y", "nan"))] for use in line.iter(f"{SVG}use")])


@pytest.mark.parametrize("problem_id", PLOTTED)
def test_the_svg_draws_each_series_points_where_the_data_put_them(problem_id: str, charts) -> None:
    """Read back: one marker per point, and one affine map (x and y scaled, y upward) takes every series' data to
    the markers of every series inside the chart's limits."""
    chart = charts[problem_id]
    root = ET.fromstring(chart.svg("c"))
    (x_low, x_high), (y_low, y_high) = chart.limits()
    data, drawn = [], []
    for i, series in enumerate(chart.series):
        points = np.column_stack([series.xs, series.ys])
        if not ((x_low <= points[:, 0]) & (points[:, 0] <= x_high)).all():
            continue  # a compared optimizer running off the chart: its markers outside are clipped
        if not ((y_low <= points[:, 1]) & (points[:, 1] <= y_high)).all():
            continue
        markers = _markers(root, f"chart-c-series{i}")
        assert markers.shape == points.shape
        data.append(points)
        drawn.append(markers)
    assert data, "the main series lies inside the limits"
    data_all, drawn_all = np.concatenate(data), np.concatenate(drawn)
    for axis, direction in ((0, 1), (1, -1)):
        design = np.column_stack([data_all[:, axis], np.ones(len(data_all))])
        (scale, shift), *_ = np.linalg.lstsq(design, drawn_all[:, axis], rcond=None)
        assert np.abs(design @ (scale, shift) - drawn_all[:, axis]).max() < 1e-3  # SVG writes 6 decimals
        assert np.sign(scale) == direction or np.ptp(data_all[:, axis]) == 0


def _coordinates(text: str) -> np.ndarray:
    return np.array([[float(x), float(y)] for x, y in re.findall(r"\(([-\d.]+),([-\d.]+)\)", text)])


@pytest.mark.parametrize("problem_id", PLOTTED)
def test_the_tikz_picture_draws_the_same_data_with_the_same_limits_and_ticks(problem_id: str, charts) -> None:
    chart = charts[problem_id]
    tikz = chart.tikz(width=10.0, height=5.0)
    (x_low, x_high), (y_low, y_high) = chart.limits()

    def back(placed: np.ndarray) -> np.ndarray:
        return np.column_stack(
            [x_low + placed[:, 0] / 10 * (x_high - x_low), y_low + placed[:, 1] / 5 * (y_high - y_low)]
        )

    tolerance = np.array([x_high - x_low, y_high - y_low]) * 1e-3 / 2  # coordinates to 3 decimals of a cm
    for series, drawn in zip(chart.series, tikz["series"], strict=True):
        expected = np.column_stack([series.xs, series.ys])
        assert (np.abs(back(_coordinates(" ".join(drawn["points"]))) - expected) <= tolerance).all()
        assert (np.abs(back(_coordinates(drawn["path"])) - expected) <= tolerance).all()
    for line, drawn in zip(chart.contours, tikz["contours"], strict=True):
        assert (np.abs(back(_coordinates(drawn)) - np.array(line)) <= tolerance).all()
    x_ticks, y_ticks = chart.ticks()
    assert [float(text) for text, _ in tikz["x_ticks"]] == pytest.approx(x_ticks)
    assert [float(text) for text, _ in tikz["y_ticks"]] == pytest.approx(y_ticks)
    svg = chart.svg("c")
    assert len(re.findall(r'id="chart-c-xtick_\d+"', svg)) == len(x_ticks)
    assert len(re.findall(r'id="chart-c-ytick_\d+"', svg)) == len(y_ticks)


def test_a_golden_files_placeholder_names_the_chart_and_changes_with_any_plotted_number(charts) -> None:
    chart = charts["adam-step"]
    line = chart.placeholder("adam-step-trajectory")
    assert re.fullmatch(
        r"\[chart adam-step-trajectory: 3 series \(adam, sgd, momentum\), 93 points, \d+ contour lines; "
        r"data [0-9a-f]{16}\]",
        line,
    )
    assert replace(chart).placeholder("adam-step-trajectory") == line  # the same data: the same line
    main = chart.series[0]
    nudged = Series(main.label, main.xs, (main.ys[0] + 1e-9 * abs(main.ys[0]), *main.ys[1:]))
    assert replace(chart, series=(nudged, *chart.series[1:])).placeholder("adam-step-trajectory") != line
    contour = (chart.contours[0][0], (chart.contours[0][1][0] + 1e-4, chart.contours[0][1][1]), *chart.contours[0][2:])
    assert replace(chart, contours=(contour, *chart.contours[1:])).digest() != chart.digest()
    assert replace(chart, y_range=(0.0, 1.0)).digest() != chart.digest()


def test_the_handout_shows_the_picture_and_golden_files_the_placeholder(charts) -> None:
    (solution,) = solve_paths([ROOT / "problems" / "step-decay.yaml"])
    page = render_handout([solution], "md", "en")
    assert charts["step-decay"].svg("step-decay-rates") in page and "[chart " not in page
    golden = handout_markdown([solution], "en", charts=False)
    assert f"\n{charts['step-decay'].placeholder('step-decay-rates')}\n" in golden and "<svg" not in golden
    tex = render_handout([solution], "tex", "en")
    assert r"\begin{tikzpicture}" in tex and "<svg" not in tex

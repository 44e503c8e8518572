"""lr_schedule's plot in the handouts: the SVG curve (Markdown, HTML) and the TikZ picture (LaTeX) are drawn from
the one chart of the solution's rates, one point per step from 0, on axes written out here (x 5% past the first
and last step, rate from 0 to 8% above the highest), and they are the same bytes in processes with other hash
seeds. (Charts in general: tests/handout/test_plots.py.)"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest

from hwsolver.handout.document import render_handout
from hwsolver.kinds import KINDS
from hwsolver.model import Solution
from hwsolver.solving import solve_paths

ROOT = Path(__file__).resolve().parents[3]
SVG = "{http://www.w3.org/2000/svg}"
# A warmup, then a cosine whose rates are not rational (50-digit numbers): the one shape the built-ins lack.
COSINE = """\
id: cosine-warmup
kind: lr_schedule
title: {zh: 余弦退火, en: Cosine annealing}
statement: {zh: 求各步学习率。, en: Give the rates.}
given:
  initial_lr: 0.1
  schedule: {name: cosine, T_max: 7, eta_min: 0.004}
  warmup: {total_iters: 3, start_factor: 0.2}
  horizon: 16
parts: [rates, rate_sum]
"""
RENDER = (
    "import sys; from hwsolver.solving import solve_paths; from hwsolver.handout.document import render_handout; "
    "s = solve_paths(sys.argv[1:]); sys.stdout.write(render_handout(s, 'md', 'en') + render_handout(s, 'tex', 'en'))"
)


@pytest.fixture(scope="module")
def paths(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    cosine = tmp_path_factory.mktemp("lr") / "cosine-warmup.yaml"
    cosine.write_text(COSINE, encoding="utf-8")
    builtin = {name: ROOT / "problems" / f"{name}.yaml" for name in ("step-decay", "inverse-time-decay")}
    return {**builtin, "cosine-warmup": cosine}


def _solved(paths: dict[str, Path], problem_id: str) -> Solution:
    (solution,) = solve_paths([paths[problem_id]])
    return solution


def _expected(solution: Solution) -> tuple[np.ndarray, np.ndarray]:
    """The solution's (step, rate) points, and where each lands in an 11 x 7 cm box with the axes written here."""
    rates = np.array([float(r) for r in solution.answers["rates"]])
    points = np.column_stack([np.arange(len(rates)), rates])
    last = len(rates) - 1
    x_low, x_high = -0.05 * last, 1.05 * last
    placed = np.column_stack([(points[:, 0] - x_low) / (x_high - x_low) * 11, rates / (rates.max() * 1.08) * 7])
    return points, placed


@pytest.mark.parametrize("problem_id", ["step-decay", "inverse-time-decay", "cosine-warmup"])
def test_the_svg_and_the_tikz_picture_draw_the_rates_of_the_solution(paths, problem_id: str) -> None:
    solution = _solved(paths, problem_id)
    chart = KINDS["lr_schedule"].extras(solution)["plot"]  # type: ignore[misc]
    points, placed = _expected(solution)

    (svg,) = re.findall(r"<svg.*?</svg>", render_handout([solution], "md", "en"), re.DOTALL)
    assert svg == chart.svg(f"{problem_id}-rates")  # the page's picture is the chart's
    (line,) = [g for g in ET.fromstring(svg).iter(f"{SVG}g") if g.get("id") == f"chart-{problem_id}-rates-series0"]
    markers = np.array([[float(use.get("x", "nan")), float(use.get("y", "nan"))] for use in line.iter(f"{SVG}use")])
    assert markers.shape == points.shape
    for axis, direction in ((0, 1), (1, -1)):  # one scale and shift per axis takes each rate to its marker
        design = np.column_stack([points[:, axis], np.ones(len(points))])
        (scale, shift), *_ = np.linalg.lstsq(design, markers[:, axis], rcond=None)
        assert np.abs(design @ (scale, shift) - markers[:, axis]).max() < 1e-3 and np.sign(scale) == direction

    tex = render_handout([solution], "tex", "en")
    (picture,) = re.findall(r"\\begin\{tikzpicture\}.*?\\end\{tikzpicture\}", tex, re.DOTALL)
    dots = re.findall(r"\\fill\[series1\] \(([-\d.]+),([-\d.]+)\) circle", picture)
    assert np.abs(np.array(dots, dtype=float) - placed).max() <= 5e-4  # 3 decimals of a cm
    y_ticks = re.findall(
        r"\\draw\[gray\] \(0,([-\d.]+)\) -- \(-0\.08,[-\d.]+\) node\[left, black\] \{\$([^$]*)\$\}", picture
    )
    assert y_ticks[0] == ("0.0", "0") and [text for _, text in y_ticks] == [f"{v:.6g}" for v in chart.ticks()[1]]
    assert len(re.findall(rf'id="chart-{problem_id}-rates-ytick_\d+"', svg)) == len(y_ticks)  # the same ticks


def test_the_pictures_are_the_same_bytes_in_processes_with_other_hash_seeds(paths) -> None:
    files = [str(paths[name]) for name in ("cosine-warmup", "step-decay")]

    def rendered(seed: str) -> str:
        env = {**os.environ, "PYTHONHASHSEED": seed}
        return subprocess.run(
            [sys.executable, "-c", RENDER, *files], check=True, capture_output=True, text=True, env=env, cwd=ROOT
        ).stdout

    here = render_handout(solve_paths(files), "md", "en") + render_handout(solve_paths(files), "tex", "en")
    assert rendered("1") == rendered("2") == here
    assert here.count("<svg") == 2 and here.count(r"\begin{tikzpicture}") == 2

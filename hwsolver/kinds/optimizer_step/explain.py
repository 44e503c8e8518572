"""How an optimizer_step solution is told, in every language: the part labels, the handout's sentences
(templates/kinds/optimizer_step/handout.md.j2 reads them as `T`; Math Markdown: $...$ is a formula), and the
plot of the trajectory (on the objective's contour lines, beside the optimizers compared)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from hwsolver.compute import optimizers
from hwsolver.handout.plots import Chart, Series, contour_lines
from hwsolver.kinds.optimizer_step.given import OptimizerProblem
from hwsolver.kinds.optimizer_step.steps import gradient_source
from hwsolver.model import Solution

LABELS: dict[str, dict[str, str]] = {
    "zh": {
        "trajectory": "参数轨迹",
        "params_after": "最后一步之后的参数",
        "objective_history": "目标函数值的变化",
        "state": "优化器状态",
        "corrected_moments": "偏差修正后的矩",
    },
    "en": {
        "trajectory": "Trajectory",
        "params_after": "Parameters after the last step",
        "objective_history": "Objective history",
        "state": "Optimizer state",
        "corrected_moments": "Bias-corrected moments",
    },
}

STRINGS: dict[str, dict[str, Any]] = {
    "zh": {
        "method": "更新规则",
        "method_intro": "与 torch.optim 的计算相同，每一步对每个参数 $\\theta$ 计算：",
        "method_intro_heavy_ball": "重球形式（torch.optim 保存的是缓冲 $b = -v / \\eta$），"
        "每一步对每个参数 $\\theta$ 计算：",
        "objective": "目标函数",
        "gradient": "梯度",
        "gradients_given": "每一步的梯度已给出。",
        "hyper": "超参数",
        "start": "初始参数",
        "step": "第 %s 步",
        "detail_skipped": "其余各步的计算方法相同，结果见下表。",
        "table": "各步结果",
        "after_step": "步",
        "plot": "轨迹图",
        "plot_contours": "目标函数的等高线上，各优化器从同一起点出发的轨迹（每个点是一步）：",
        "plot_single": "参数随步数的变化：",
        "plot_path": "参数平面上各优化器从同一起点出发的轨迹（每个点是一步）：",
        "plot_curve": "目标函数曲线上的轨迹：",
        "compare_note": "从同一起点出发，各走 %s 步：",
        "parameter": "参数",
        "decoupled": "权重衰减与梯度解耦（AdamW）",
        "coupled": "权重衰减以 L2 形式加到梯度上",
    },
    "en": {
        "method": "The update",
        "method_intro": "As torch.optim computes it, each step does, for every parameter $\\theta$:",
        "method_intro_heavy_ball": "In the heavy-ball form (torch.optim keeps the buffer $b = -v / \\eta$ instead), "
        "each step does, for every parameter $\\theta$:",
        "objective": "objective",
        "gradient": "gradient",
        "gradients_given": "The gradient of each step is given.",
        "hyper": "hyperparameters",
        "start": "start",
        "step": "Step %s",
        "detail_skipped": "The other steps are worked out the same way; their results are in the table below.",
        "table": "Step by step",
        "after_step": "step",
        "plot": "The trajectory",
        "plot_contours": "On the objective's contour lines, each optimizer's path from the same start (one point "
        "per step):",
        "plot_single": "The parameters step by step:",
        "plot_path": "In the parameters' plane, each optimizer's path from the same start (one point per step):",
        "plot_curve": "The path on the objective's curve:",
        "compare_note": "From the same start, %s steps each: ",
        "parameter": "parameter",
        "decoupled": "weight decay decoupled from the gradient (AdamW)",
        "coupled": "weight decay added to the gradient (L2)",
    },
}
DETAILED = 3  # steps worked out in full in the handout; the others are in the table


def symbol(name: str) -> str:
    """A parameter's LaTeX symbol: w1 -> w_{1}, theta -> \\theta, other names upright."""
    match = re.fullmatch(r"([A-Za-z]+?)_?(\d+)", name)
    if match:
        head = match[1] if len(match[1]) == 1 else rf"\mathrm{{{match[1]}}}"
        return f"{head}_{{{match[2]}}}"
    return name if len(name) == 1 else rf"\mathrm{{{name}}}"


def _pretty(latex: str, names: tuple[str, ...]) -> str:
    """The expression language's LaTeX with each parameter written as `symbol` writes it."""
    for name in names:
        latex = latex.replace(rf"\mathrm{{{name}}}", symbol(name))
    return latex


def extras(solution: Solution) -> Mapping[str, Any]:
    """The formulas in the handout's notation, which steps to detail, and the plot (drawn when first read)."""
    given: OptimizerProblem = solution.problem.given
    found: dict[str, Any] = {"symbols": {name: symbol(name) for name in given.names}, "detailed": DETAILED}
    opt = given.optimizer  # the factors 1 - tau, 1 - alpha, 1 - beta the steps multiply by (templates only format)
    found["complements"] = {
        "dampening": 1 - opt.dampening,
        "alpha": 1 - opt.alpha,
        "beta1": 1 - opt.betas[0],
        "beta2": 1 - opt.betas[1],
    }
    if given.objective is not None:
        found["objective_latex"] = _pretty(given.objective.latex, given.names)
        found["partials_latex"] = {
            name: _pretty(latex, given.names) for name, latex in zip(given.names, given.objective.partials_latex)
        }
    found["plot"] = trajectory_chart(given)
    return found


def trajectory_chart(given: OptimizerProblem) -> Chart:
    """The problem's optimizer (and those compared) over `shown_steps` steps: on contour lines for two parameters,
    on the objective's curve for one, else each parameter against the step."""
    gradient = gradient_source(given, exact=False)
    start = {k: float(v) for k, v in given.start.items()}
    paths = []
    for opt in (given.optimizer, *given.compare):
        taken = optimizers.run(opt, given.start, gradient, given.shown_steps, exact=False)
        paths.append((opt.name, [start, *(s.after for s in taken)]))
    names = given.names
    if len(names) == 2:
        x, y = names
        series = tuple(Series(label, tuple(p[x] for p in path), tuple(p[y] for p in path)) for label, path in paths)
        x_range, y_range = _box(series)
        contours: tuple = ()
        if given.objective is not None:
            contours = _contours(given, x_range, y_range)
        return Chart(series, x, y, contours, x_range, y_range)
    if len(names) == 1 and given.objective is not None:
        (x,) = names
        value = given.objective.float_value
        series = tuple(
            Series(label, tuple(p[x] for p in path), tuple(float(value(p)) for p in path)) for label, path in paths
        )
        x_range, _ = _box(series)
        import numpy as np

        grid = np.linspace(*x_range, 121)
        curve = tuple((round(float(a), 4), round(float(b), 4)) for a, b in zip(grid, value({x: grid})))
        return Chart(series, x, "f", (curve,), x_range, None)
    path = paths[0][1]
    series = tuple(Series(name, tuple(range(len(path))), tuple(p[name] for p in path)) for name in names)
    return Chart(series, "t", "", steps=True)


def _box(series: tuple[Series, ...]) -> tuple[tuple[float, float], tuple[float, float]]:
    """The region the main path spans, widened to take the others unless they run far off (diverging)."""
    main = series[0]

    def span(values: list[float], around: list[float]) -> tuple[float, float]:
        low, high = min(around), max(around)
        size = max(high - low, 1e-9, 0.1 * max(abs(low), abs(high)))
        kept = [v for v in values if low - 3 * size <= v <= high + 3 * size]
        low, high = min(kept + around), max(kept + around)
        pad = 0.12 * max(high - low, 1e-9)
        return low - pad, high + pad

    xs = [v for s in series for v in s.xs]
    ys = [v for s in series for v in s.ys]
    return span(xs, list(main.xs)), span(ys, list(main.ys))


def _contours(given: OptimizerProblem, x_range: tuple[float, float], y_range: tuple[float, float]) -> tuple:
    import numpy as np

    x, y = given.names
    value = given.objective.float_value
    grid = np.meshgrid(np.linspace(*x_range, 41), np.linspace(*y_range, 41))
    sampled = np.asarray(value({x: grid[0], y: grid[1]}), dtype=float)
    finite = sampled[np.isfinite(sampled)]
    if finite.size == 0:
        return ()
    low, high = float(finite.min()), float(finite.max())
    levels = [low + (high - low) * q for q in np.geomspace(2e-3, 0.9, 9)]
    return contour_lines(lambda gx, gy: value({x: gx, y: gy}), x_range, y_range, levels)

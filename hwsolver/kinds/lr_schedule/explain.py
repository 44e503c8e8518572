"""How an lr_schedule solution is told, in every language: the part labels, the handout's sentences
(templates/kinds/lr_schedule/handout.md.j2 reads them as `T`), and the plot of the rates."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from hwsolver.handout.plots import Chart, Series
from hwsolver.model import Solution

LABELS: dict[str, dict[str, str]] = {
    "zh": {"rates": "各步的学习率", "first_below": "学习率首次低于阈值的步", "rate_sum": "学习率之和"},
    "en": {
        "rates": "The rate at each step",
        "first_below": "First step below the threshold",
        "rate_sum": "Sum of the rates",
    },
}

STRINGS: dict[str, dict[str, Any]] = {
    "zh": {
        "rule": "调度规则",
        "rule_intro": "第 $t$ 步（$t = 0, 1, \\dots$，即调用 $t$ 次 `scheduler.step()` 之后）使用的学习率：",
        "warmup": "前 %s 步是线性预热：",
        "after_warmup": "预热之后，调度从 $t' = t - %s$ 重新计数：",
        "torch": "对应 PyTorch 的 %s。",
        "rates": "逐步计算",
        "step": "步 $t$",
        "rate": "学习率 $\\eta_t$",
        "threshold": "学习率首次低于 $%s$ 的是第 %s 步：$\\eta_{%s} = %s < %s$%s。",
        "before": "，而 $\\eta_{%s} = %s$",
        "sum": "前 %s 步的学习率之和：",
        "plot": "学习率曲线",
    },
    "en": {
        "rule": "The schedule",
        "rule_intro": "The rate in force at step $t$ ($t = 0, 1, \\dots$: after $t$ calls of `scheduler.step()`):",
        "warmup": "The first %s steps are a linear warmup:",
        "after_warmup": "After the warmup the schedule counts again from $t' = t - %s$:",
        "torch": "As PyTorch's %s.",
        "rates": "Step by step",
        "step": "step $t$",
        "rate": "rate $\\eta_t$",
        "threshold": "The rate first falls below $%s$ at step %s: $\\eta_{%s} = %s < %s$%s.",
        "before": ", while $\\eta_{%s} = %s$",
        "sum": "The sum of the rates of the first %s steps:",
        "plot": "The rate against the step",
    },
}


def extras(solution: Solution) -> Mapping[str, Any]:
    """The plot of the rates (float64, for drawing) over the horizon."""
    rates = solution.answers["rates"]
    series = Series("lr", tuple(range(len(rates))), tuple(float(r) for r in rates))
    top = max(series.ys)
    return {"plot": Chart((series,), "t", "", y_range=(0.0, top * 1.08 if top > 0 else 1.0), steps=True)}

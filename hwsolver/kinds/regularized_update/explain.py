"""How a regularized_update solution is told, in every language: the part labels, the handout's sentences
(templates/kinds/regularized_update/handout.md.j2 reads them as `T`; Math Markdown: $...$ is a formula), and the
steps entry by entry, as both templates show them (`work.rows`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hwsolver.compute.regularization import Regularized, Step

LABELS: dict[str, dict[str, str]] = {
    "zh": {
        "penalty": "惩罚项（正则化项）的值",
        "decay_factor": "权重衰减系数",
        "gradients": "正则化后目标函数的梯度",
        "params_after": "更新后的参数",
    },
    "en": {
        "penalty": "The penalty",
        "decay_factor": "The weight-decay factor",
        "gradients": "Gradients of the regularized objective",
        "params_after": "Parameters after the update",
    },
}

STRINGS: dict[str, dict[str, Any]] = {
    "zh": {
        "objective": "正则化后的目标函数",
        "l2_step": "梯度下降的一步可以写成“先把权重缩小为原来的 $1 - \\eta\\lambda$ 倍，再走数据梯度的一步”"
        "（权重衰减）：",
        "l1_sign": "$|w|$ 在 0 处不可导，取次梯度 $\\operatorname{sign}(0) = 0$，于是一步是：",
        "over": "求和只对权重 %s 进行",
        "no_biases": "；偏置 %s 不加正则（讲义：一般不考虑 bias），只按 $b \\leftarrow b - \\eta\\, \\partial "
        "\\mathcal{L} / \\partial b$ 更新",
        "with_biases": "（本题规定偏置 %s 也加正则）",
        "given": "已知",
        "step": "第 %s 步",
        "the_step": "计算",
        "penalty": "这一步开始时参数的惩罚项：",
        "gradients": "每个参数的梯度（数据梯度加上惩罚项的梯度）：",
        "updates": "更新 $w \\leftarrow w - \\eta\\, \\partial \\mathcal{L}' / \\partial w$：",
        "updates_l2": "更新 $w \\leftarrow w - \\eta\\, \\partial \\mathcal{L}' / \\partial w$，"
        "对加正则的权重也等于 $(1 - \\eta\\lambda) w - \\eta\\, \\partial \\mathcal{L} / \\partial w$：",
        "sign_zero": "权重恰好为 0 时 $\\operatorname{sign}(0) = 0$：惩罚项不改变它的梯度，只有数据梯度使它离开 0。",
        "shrink": "这里 $0 < 1 - \\eta\\lambda < 1$（讲义：$\\eta < 1$、$\\lambda < 1$）：每一步先把权重缩小，"
        "但数据梯度一项使权重不会都变成 0。",
    },
    "en": {
        "objective": "The regularized objective",
        "l2_step": "A gradient-descent step therefore first shrinks the weight by the factor $1 - \\eta\\lambda$, "
        "then takes the data gradient's step (weight decay):",
        "l1_sign": "$|w|$ has no derivative at 0; the subgradient taken there is $\\operatorname{sign}(0) = 0$. "
        "A step is:",
        "over": "The sum runs over the weights %s",
        "no_biases": "; the biases %s are left out of the penalty (the lecture's rule: biases are not "
        "regularized) and take the plain step $b \\leftarrow b - \\eta\\, \\partial \\mathcal{L} / \\partial b$",
        "with_biases": " (here the biases %s are regularized too)",
        "given": "Given",
        "step": "Step %s",
        "the_step": "The step",
        "penalty": "The penalty at the parameters the step starts from:",
        "gradients": "Each parameter's gradient (the data gradient plus the penalty's):",
        "updates": "The update $w \\leftarrow w - \\eta\\, \\partial \\mathcal{L}' / \\partial w$:",
        "updates_l2": "The update $w \\leftarrow w - \\eta\\, \\partial \\mathcal{L}' / \\partial w$, for a "
        "regularized weight the same as $(1 - \\eta\\lambda) w - \\eta\\, \\partial \\mathcal{L} / \\partial w$:",
        "sign_zero": "A weight that is exactly 0 has $\\operatorname{sign}(0) = 0$: the penalty adds nothing to its "
        "gradient, and only the data gradient moves it away from 0.",
        "shrink": "Here $0 < 1 - \\eta\\lambda < 1$ (the lecture: $\\eta < 1$, $\\lambda < 1$): every step "
        "shrinks the weights, while the data gradient's term keeps them from all becoming 0.",
    },
}


@dataclass(frozen=True)
class Entry:
    """One number of one parameter at one step, for the handout: where it is and what the step does to it."""

    name: str
    index: tuple[int, ...]  # from 1, as the lecture counts; () for a parameter that is one number
    before: Any
    data: Any  # dL/dw
    gradient: Any
    after: Any
    regularized: bool


def _numbered(value: Any, index: tuple[int, ...] = ()) -> list[tuple[tuple[int, ...], Any]]:
    if isinstance(value, tuple):
        return [found for i, item in enumerate(value, start=1) for found in _numbered(item, (*index, i))]
    return [(index, value)]


def _entries(given: Regularized, step: Step, data: dict[str, Any]) -> list[Entry]:
    found = []
    for name in given.params:
        columns = [_numbered(step.before[name])] + [
            _numbered(values[name]) for values in (data, step.gradients, step.after)
        ]
        for (index, before), *rest in zip(*columns):
            values = [value for _, value in rest]
            found.append(Entry(name, index, before, *values, given.regularized(name)))
    return found


def rows(given: Regularized, steps: tuple[Step, ...]) -> list[list[Entry]]:
    """Per step, its entries in the parameters' order: what the templates show line by line."""
    return [_entries(given, step, data) for step, data in zip(steps, given.data_gradients)]

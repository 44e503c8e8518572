"""How students go wrong on a dropout problem: the classic slips, as switches of the float64 passes.

Each (compute.dropout.SLIPS) is offered for the parts it changes and earns, by default, its share of the part's
points in MISTAKES (a problem's `mistake_credit` overrides it).
Follow-through and the steps a student writes down: follow.py.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np

from hwsolver.compute.closeness import allclose
from hwsolver.compute.dropout import SLIPS, DropoutLayer, passes_vectorized
from hwsolver.kinds.base import Mistake
from hwsolver.kinds.dropout.answers import answers
from hwsolver.kinds.pairs import paired, together
from hwsolver.model import Mutant, Problem, Solution

HALF = Fraction(1, 2)
MISTAKES = (
    Mistake(
        "scaled_twice",
        HALF,
        {
            "en": "The outputs were scaled at both training and test time: scale once, either dividing by the keep "
            "probability p at training (inverted dropout) or multiplying by p at test time, as the problem says.",
            "zh": "训练和测试时都做了缩放：只缩放一次，按题目的约定，要么训练时除以保留概率 p（inverted dropout），"
            "要么测试时乘以 p。",
        },
    ),
    Mistake(
        "drop_rate_scaling",
        HALF,
        {
            "en": "The scaling used the drop probability 1 - p where the keep probability p belongs: the expected "
            "share of a unit that gets through is p, the probability that it is kept.",
            "zh": "缩放用了丢弃概率 1 - p，应当用保留概率 p：一个单元平均有 p 的比例被保留下来。",
        },
    ),
    Mistake(
        "mask_at_test",
        HALF,
        {
            "en": "The mask was applied at test time: at test time no unit or weight is dropped; only the scaling "
            "stands in for the dropout.",
            "zh": "测试时也用了掩码：测试时没有 dropout，所有单元（权重）都参与，只用缩放来代替 dropout。",
        },
    ),
    Mistake(
        "mask_not_in_backward",
        HALF,
        {
            "en": "The mask was left out of the backward pass: a dropped unit (or weight) passed nothing forward, "
            "so it gets no gradient; multiply the gradient by the same mask (and scaling) as the forward pass.",
            "zh": "反向传播时没有乘掩码：被丢弃的单元（权重）在前向传播中没有输出，所以它的梯度为 0；"
            "反向传播要乘以和前向传播相同的掩码（和缩放）。",
        },
    ),
)
_TABLE = {mistake.id: mistake for mistake in MISTAKES}
_SAME = 1e-9  # a slip's answer this close to the right one (relative) is no evidence of it


def mutants(problem: Problem, solution: Solution) -> tuple[Mutant, ...]:
    """Each slip with the answers it changes (none where it changes nothing: p = 1/2 makes the drop rate the keep
    rate)."""
    layer: DropoutLayer = problem.given
    found = []
    for slip in SLIPS:
        changed = _changed(layer, solution, slip)
        if changed:
            mistake = _TABLE[slip]
            found.append(Mutant(mistake.id, mistake.says("en"), changed, mistake.credit))
    return tuple(found)


def pairs(problem: Problem, solution: Solution) -> tuple[Mutant, ...]:
    """Two slips at once (the passes take several)."""
    layer: DropoutLayer = problem.given
    return paired([(slip, slip) for slip in SLIPS], together, lambda slips: _changed(layer, solution, slips))


def _changed(layer: DropoutLayer, solution: Solution, slip: str | tuple[str, ...]) -> dict[str, Any]:
    """The answers the passes with these slips change."""
    slipped = answers(layer, passes_vectorized(layer, slip))
    return {part: value for part, value in slipped.items() if not _same(value, solution.answers[part])}


def _same(value: Any, reference: Any) -> bool:
    a, b = np.array(value, dtype=float), np.array(reference, dtype=float)
    return allclose(a, b, rtol=_SAME, atol=_SAME * (1 + float(np.max(np.abs(b), initial=0))))

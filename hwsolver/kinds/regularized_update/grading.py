"""How students go wrong on a regularized_update problem: the classic slips, as switches of the float64 run.

Each (compute.regularization.SLIPS) is judged on each part by itself
(`per_part`): the penalty, the decay factor, the gradients and the step are each a place to make it or not (the
penalty written right and its gradient taken as 2 lambda w; the biases left out of the gradient and decayed in
the step), so a right answer elsewhere does not rule it out. Each earns, by default, its share of the part's
points in MISTAKES (a problem's `mistake_credit` overrides it).
Follow-through and the steps a student writes down: follow.py.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import Any

import numpy as np

from hwsolver.compute.closeness import allclose
from hwsolver.compute.regularization import Regularized, train_vectorized
from hwsolver.kinds.base import Mistake
from hwsolver.kinds.pairs import paired, together
from hwsolver.kinds.regularized_update.answers import float_answers
from hwsolver.model import Mutant, Problem, Solution

HALF = Fraction(1, 2)
MISTAKES = (
    Mistake(
        "bias_decayed",
        HALF,
        {
            "en": "The biases were regularized too: the penalty and its gradient leave the biases out (the "
            "lecture's rule), so a bias takes the plain step b - eta dL/db.",
            "zh": "偏置也被正则化了：惩罚项和它的梯度都不包括偏置（讲义：一般不考虑 bias），"
            "偏置按 b - eta dL/db 更新。",
        },
    ),
    Mistake(
        "missing_half",
        HALF,
        {
            "en": "The 1/2 of the L2 term was dropped: the penalty is (lambda/2)||W||^2, whose gradient is lambda W "
            "(not 2 lambda W), so a step multiplies W by 1 - eta lambda.",
            "zh": "L2 正则项的 1/2 被丢掉了：惩罚项是 (lambda/2)||W||^2，它的梯度是 lambda W（不是 2 lambda W），"
            "每一步把 W 乘以 1 - eta lambda。",
        },
    ),
    Mistake(
        "l1_as_l2",
        HALF,
        {
            "en": "The L1 term was treated as L2: its penalty is lambda sum |w| and its gradient lambda sign(w), "
            "not lambda w.",
            "zh": "把 L1 正则当成了 L2：L1 的惩罚项是 lambda sum |w|，梯度是 lambda sign(w)，而不是 lambda w。",
        },
    ),
    Mistake(
        "sign_zero_as_one",
        HALF,
        {
            "en": "sign(0) was taken as 1: at a weight that is exactly 0 the subgradient of |w| is taken as "
            "sign(0) = 0, so the penalty adds nothing to that weight's gradient.",
            "zh": "把 sign(0) 当成了 1：权重恰好为 0 时，|w| 的次梯度取 sign(0) = 0，惩罚项不改变这个权重的梯度。",
        },
    ),
    Mistake(
        "penalty_left_out",
        Fraction(1, 4),  # the point of the exercise, the penalty's share of the step, is missed
        {
            "en": "The penalty was left out of the gradient: each regularized weight's gradient is dL/dw plus the "
            "penalty's, lambda w (L2) or lambda sign(w) (L1).",
            "zh": "梯度里漏掉了惩罚项：每个被正则化的权重的梯度是 dL/dw 加上惩罚项的梯度，"
            "即 lambda w（L2）或 lambda sign(w)（L1）。",
        },
    ),
)
_TABLE = {mistake.id: mistake for mistake in MISTAKES}
_SAME = 1e-9  # a slip's answer this close to the right one (relative) is no evidence of it


def _slips(given: Regularized) -> list[str]:
    """The slips that can be made on this problem (sign(0) only shows where a regularized weight is 0)."""
    found = []
    if any(not given.regularized(name) for name in given.params):
        found.append("bias_decayed")
    found += ["missing_half"] if given.regularizer == "l2" else ["l1_as_l2", "sign_zero_as_one"]
    return [*found, "penalty_left_out"]


def mutants(problem: Problem, solution: Solution) -> tuple[Mutant, ...]:
    """Each slip with the answers it changes."""
    given: Regularized = problem.given
    found = []
    for slip in _slips(given):
        changed = _changed(given, solution, slip)
        if changed:
            mistake = _TABLE[slip]
            found.append(Mutant(mistake.id, mistake.says("en"), changed, mistake.credit, per_part=True))
    return tuple(found)


def pairs(problem: Problem, solution: Solution) -> tuple[Mutant, ...]:
    """Two slips at once (the run takes several)."""
    given: Regularized = problem.given
    return paired([(slip, slip) for slip in _slips(given)], together, lambda slips: _changed(given, solution, slips))


def _changed(given: Regularized, solution: Solution, slip: str | tuple[str, ...]) -> dict[str, Any]:
    """The answers the run with these slips changes."""
    answers = float_answers(given, train_vectorized(given, slip), slip)
    return {part: value for part, value in answers.items() if not _same(value, solution.answers[part])}


def _same(value: Any, reference: Any) -> bool:
    if isinstance(reference, Mapping):
        return all(_same(value[key], item) for key, item in reference.items())
    if isinstance(reference, tuple) and reference and isinstance(reference[0], Mapping):
        return all(_same(v, r) for v, r in zip(value, reference))
    a, b = np.array(value, dtype=float), np.array(reference, dtype=float)
    return allclose(a, b, rtol=_SAME, atol=_SAME * (1 + float(np.max(np.abs(b), initial=0))))

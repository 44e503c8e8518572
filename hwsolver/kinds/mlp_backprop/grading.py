"""How students go wrong on an mlp_backprop problem (follow-through from their own answers: follow.py).

Mutants are the solver's float path with one classic slip switched on (SLIPS below; compared within tolerance,
never reported as answers), or, for a learning rate of the student's own or biases made up, recognised by
`matches`. Each earns, by default, its share of the part's points in MISTAKES below (a problem's
`mistake_credit` overrides it): half, as each leaves one step of an otherwise right method wrong.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from fractions import Fraction
from typing import Any

import numpy as np

from hwsolver.compute.float_arrays import float_array
from hwsolver.compute.networks.network import Network, Params
from hwsolver.compute.networks.vectorized import Slips
from hwsolver.kinds import mlp_backprop
from hwsolver.kinds.base import Mistake
from hwsolver.kinds.pairs import changed, merged, paired
from hwsolver.model import Mutant, Problem, Solution
from hwsolver.numbers.digits import written_half_unit

HALF = Fraction(1, 2)
MISTAKES = (
    Mistake(
        "sign_flipped",
        HALF,
        {
            "en": "The update moved along the gradient instead of against it: w - eta*g, not w + eta*g.",
            "zh": "更新沿着梯度方向走了，应当逆着梯度：w - eta*g，而不是 w + eta*g。",
        },
    ),
    Mistake(
        "stale_weights",
        HALF,
        {
            "en": "The hidden error terms were computed with the already-updated weights of the layer above; "
            "backpropagate with the old weights, then update all layers.",
            "zh": "隐藏层的误差项用了上一层已经更新过的权重；应先用旧权重反向传播，再更新所有层。",
        },
    ),
    Mistake(
        "no_activation_derivative",
        HALF,
        {
            "en": "The derivative of the activation was left out of the error terms: "
            "e(l) = f'(z(l)) * (W(l+1)^T e(l+1)).",
            "zh": "误差项里漏掉了激活函数的导数：e(l) = f'(z(l)) * (W(l+1)^T e(l+1))。",
        },
    ),
    Mistake(
        "missing_half",
        HALF,
        {
            "en": "The 1/2 of the loss was dropped in its derivative, so every gradient came out doubled.",
            "zh": "求损失的导数时丢掉了 1/2，所以每个梯度都大了一倍。",
        },
    ),
    Mistake(
        "wrong_learning_rate",
        HALF,
        {
            "en": "The update used a different learning rate from the one given.",
            "zh": "更新时用的学习率与题目给出的不同。",
        },
    ),
    Mistake(
        "biases_added",
        HALF,
        {
            "en": "This network has no biases: there is nothing to update besides the weights.",
            "zh": "这个网络没有偏置：除了权重没有别的参数需要更新。",
        },
    ),
    Mistake(
        "frozen_updated",
        HALF,
        {
            "en": "Frozen parameters were updated too: they take part in the forward and backward pass but keep "
            "their values.",
            "zh": "冻结的参数也被更新了：它们参与前向和反向传播，但数值保持不变。",
        },
    ),
    Mistake(
        "batch_sum_not_mean",
        HALF,
        {
            "en": "The batch's gradients were summed, not averaged: the objective of a mini-batch is the mean of its "
            "samples' losses, so its gradient is the mean of theirs.",
            "zh": "小批量的梯度被求和而不是求平均：小批量的目标函数是各样本损失的平均，梯度也应取平均。",
        },
    ),
    Mistake(
        "per_sample_updates",
        HALF,
        {
            "en": "The parameters were updated after each sample; mini-batch SGD makes one update per batch, from "
            "the mean gradient of all its samples at the same parameters.",
            "zh": "每个样本之后都更新了参数；小批量 SGD 每个批次只更新一次，用同一组参数下该批所有样本梯度的平均。",
        },
    ),
    Mistake(
        "epoch_loss_from_batches",
        HALF,
        {
            "en": "The epoch's loss was taken as the mean of its iterations' batch losses; it is the loss of the "
            "whole dataset with the parameters at the end of the epoch.",
            "zh": "把本轮各次迭代的批损失的平均当成了本轮的损失；应当用本轮结束时的参数计算整个数据集的损失。",
        },
    ),
)
_GRADIENT_ROUNDING = 5e-3  # the student's own gradients, rounded, may move an implied learning rate this much


# The mistakes that are the float training with one switch flipped (compute/networks/vectorized.py, Slips), and the
# parts such a slip shows in (the forward pass before the update is the same; the history was never compared).
SLIPS = {
    "sign_flipped": Slips(update_sign=-1),
    "stale_weights": Slips(stale_weights=True),
    "no_activation_derivative": Slips(activation_derivative=False),
    "missing_half": Slips(loss_scale=2),
    "frozen_updated": Slips(update_frozen=True),
    "batch_sum_not_mean": Slips(batch_sum=True),
    "per_sample_updates": Slips(per_sample_updates=True),
    "epoch_loss_from_batches": Slips(epoch_loss_from_batches=True),
}
_SLIPPED_PARTS = ("errors", "gradients", "params_after", "output_after", "loss_after")
_SGD_SLIPPED = ("gradients", "iteration_loss", "iteration_params", "epoch_loss", "params_after", "loss_after")
_RUNS = ("run_iteration_loss", "run_epoch_loss")


def _answers(problem: Problem, slips: Slips) -> dict[str, Any]:
    """The solver's float path with `slips` switched: its answers to the parts a slip shows in."""
    return _shown(problem.given, mlp_backprop.solve(problem, exact=False, slips=slips).answers)


def _shown(net: Network, answers: Mapping[str, Any]) -> dict[str, Any]:
    """A slipped run's answers to the parts a slip shows in."""
    return {part: answers[part] for part in _shown_parts(net)}


def _shown_parts(net: Network) -> tuple[str, ...]:
    """The parts a slip shows in, on this network."""
    return _SLIPPED_PARTS if net.schedule is None else (*_SGD_SLIPPED, *(_RUNS if net.runs else ()))


# each mistake's mutant's id, feedback and credit, read once: a class of variants names its slips anew per student
_NAMED = {mistake.id: (mistake.id, mistake.says("en"), mistake.credit) for mistake in MISTAKES}


def _named_mutant(
    mutant_id: str, answers: Mapping[str, Any] | None = None, matches: Callable[[str, Any], bool] | None = None
) -> Mutant:
    name, feedback, credit = _NAMED[mutant_id]
    return Mutant(name, feedback, answers, credit, matches)


def _run_slips(net: Network) -> list[str]:
    """The mistakes that are switches of the training run, as this network can make them: a single layer sends
    no error down through its weights, and identity's derivative is 1, so those slips change nothing there."""
    found = ["sign_flipped"]
    if len(net.activations) > 1:
        found.append("stale_weights")
    if any(name != "identity" for name in net.activations):
        found.append("no_activation_derivative")
    if net.loss == "half_squared_error":
        # the derivative of 1/2 (y - t)^2 taken as 2 (y - t); the loss itself is often still written right
        found.append("missing_half")
    if net.frozen:
        found.append("frozen_updated")
    if net.schedule is not None:
        # a batch of one has nothing to sum or to update sample by sample
        several = net.schedule.batch_size > 1
        found += [*(("batch_sum_not_mean", "per_sample_updates") if several else ()), "epoch_loss_from_batches"]
    return found


def pairs(problem: Problem, solution: Solution) -> tuple[Mutant, ...]:
    """Two of the run's slips at once (the learning rate and the biases are matched, not run: they pair with none)."""
    switches = [(mistake_id, SLIPS[mistake_id]) for mistake_id in _run_slips(problem.given)]
    return paired(switches, merged, lambda slips: changed(_answers(problem, slips), solution.answers))


def mutants(problem: Problem, solution: Solution) -> tuple[Mutant, ...]:
    """The classic slips on this network, each with the answers it leads to."""
    net: Network = problem.given
    ids = _run_slips(net)  # the solver's float path with each mistake's switch flipped, all in one run
    runs = mlp_backprop.slipped(problem, [SLIPS[mutant_id] for mutant_id in ids], _shown_parts(net))
    found = [_named_mutant(mutant_id, run) for mutant_id, run in zip(ids, runs)]
    rate = lambda part, value: part == "params_after" and _other_rate(net, solution, value)  # noqa: E731
    found.append(_named_mutant("wrong_learning_rate", matches=rate))
    if net.params.biases is None:
        found.append(_named_mutant("biases_added", matches=_biases_added))
    return tuple(found)


def _biases_added(part: str, value: Any) -> bool:
    """Biases given (not all zero) to a network without any."""
    return (
        part in ("params_after", "gradients")
        and isinstance(value, Mapping)
        and any(str(key).startswith("b") and _nonzero(bias) for key, bias in value.items())
    )


def _nonzero(value: Any) -> bool:
    """Biases that are not all zero (zero biases added to a network without any change nothing)."""
    try:
        return bool(np.any(np.asarray(value, dtype=float) != 0))
    except (TypeError, ValueError):
        return True


def _other_rate(net: Network, solution: Solution, value: Any) -> bool:
    """params_after = W - k*g for one k other than the learning rate, every entry agreeing on k within what the
    rounding (or truncation) of the student's numbers explains, and the learning rate itself not explained by it.
    The entries narrow one range of k: once it is empty, or holds no k > 0, no later entry can make it a yes (a
    variant's student who got params_after wrong is asked this of their answer: most say no in an entry or two)."""
    if net.steps != 1 or net.schedule is not None or not isinstance(value, Mapping):
        return False
    low, high = -float("inf"), float("inf")
    given = Params(*net.floats[:2]).named()  # the given parameters by name, as float arrays
    for name in net.params.named():
        if name not in value:
            return False
        if name in net.frozen:
            continue  # no update to take a rate from
        try:
            new = np.array(value[name], dtype=float)
            grad = float_array(solution.answers["gradients"][name])
        except (TypeError, ValueError):
            return False
        if new.shape != given[name].shape:
            return False
        written = np.array(value[name], dtype=object).flat
        for number, before, g, item in zip(new.flat, given[name].flat, grad.flat, written):
            if abs(g) <= 1e-12:
                continue
            # a whole unit in the last written digit either way: rounded or truncated (0.622 for 0.6226)
            unit = 2 * written_half_unit(item)
            ends = sorted(((before - (number + unit)) / g, (before - (number - unit)) / g))
            slack = _GRADIENT_ROUNDING * max(map(abs, ends))
            low, high = max(low, ends[0] - slack), min(high, ends[1] + slack)
            if low > high or high <= 0:
                return False  # no common k > 0 (the range only narrows)
    rate = float(net.learning_rate)
    # no common k; k = 0 (no update) or k < 0 (a step the wrong way): other slips; or rounding explains the rate
    return 0 < low <= high and not low <= rate <= high

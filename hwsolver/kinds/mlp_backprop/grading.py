"""How students go wrong on an mlp_backprop problem (follow-through from their own answers: follow.py).

Mutants re-run the training with one classic slip (in float64: they are compared within tolerance, never
reported as answers). Each earns, by default, its share of the part's points in MISTAKES below (a problem's
`mistake_credit` overrides it): half, as each leaves one step of an otherwise right method wrong.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import Any

import numpy as np

from hwsolver.compute.networks import vectorized
from hwsolver.compute.networks.network import Network
from hwsolver.kinds.base import Mistake
from hwsolver.kinds.pairs import merged_keywords, paired
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
)
_TABLE = {mistake.id: mistake for mistake in MISTAKES}
_GRADIENT_ROUNDING = 5e-3  # the student's own gradients, rounded, may move an implied learning rate this much

Array = np.ndarray


def _objective(net: Network, weights: list[Array], biases: list[Array] | None, x: Array, y: Array) -> float:
    _, acts = vectorized.forward(net, weights, biases, x)
    return vectorized.objective(net, weights, vectorized.loss_terms(net.loss, acts[-1], y)[0])


def _slipped_run(net: Network, *, sign: float = 1, scale: float = 1, fprime: bool = True, stale: bool = False):
    """Training with one slip: update direction `sign`, gradient scaled, f' dropped, or stale weights."""
    weights, biases, x, y = vectorized.arrays(net)
    rate, n = float(net.learning_rate), len(x)
    first_errors = first_gradients = None
    for _ in range(net.steps):
        zs, acts = vectorized.forward(net, weights, biases, x)
        _, upstream = vectorized.loss_terms(net.loss, acts[-1], y)
        upstream = scale * upstream / n
        errors, grads_w, grads_b = [None] * len(weights), [None] * len(weights), [None] * len(weights)
        new_weights = list(weights)
        inputs = [x, *acts[:-1]]
        for l in range(len(weights) - 1, -1, -1):
            if net.activations[l] == "softmax" or not fprime:
                errors[l] = (
                    upstream if not fprime else acts[l] * (upstream - np.sum(acts[l] * upstream, 1, keepdims=True))
                )
            else:
                errors[l] = vectorized.ELEMENTWISE[net.activations[l]][1](zs[l], acts[l]) * upstream
            grads_w[l] = errors[l].T @ inputs[l] + float(net.weight_decay) * weights[l]
            grads_b[l] = errors[l].sum(axis=0)
            new_weights[l] = weights[l] - sign * rate * grads_w[l]
            upstream = errors[l] @ (new_weights[l] if stale else weights[l])
        if first_errors is None:
            first_errors, first_gradients = errors, (grads_w, grads_b)
        weights = new_weights
        if biases is not None:
            biases = [b - sign * rate * g for b, g in zip(biases, grads_b)]
    return first_errors, first_gradients, weights, biases, _objective(net, weights, biases, x, y)


def _named(weights: list[Array], biases: list[Array] | None) -> dict[str, Any]:
    named: dict[str, Any] = {}
    for l, w in enumerate(weights, start=1):
        named[f"W{l}"] = tuple(map(tuple, w.tolist()))
        if biases is not None:
            named[f"b{l}"] = tuple(biases[l - 1].tolist())
    return named


def _answers(net: Network, slip: Mapping[str, Any]) -> dict[str, Any]:
    """What a run with these slips (_slipped_run's keywords) gives for each part it changes."""
    errors, (grads_w, grads_b), weights, biases, loss_after = _slipped_run(net, **slip)
    _, _, x, _ = vectorized.arrays(net)
    _, acts = vectorized.forward(net, weights, biases, x)
    per_sample = lambda values: tuple(values) if net.batch else values[0]  # noqa: E731
    return {
        "errors": per_sample([tuple(tuple(e[i].tolist()) for e in errors) for i in range(len(x))]),
        "gradients": _named(grads_w, grads_b if net.params.biases else None),
        "params_after": _named(weights, biases),
        "output_after": per_sample([tuple(acts[-1][i].tolist()) for i in range(len(x))]),
        "loss_after": loss_after,
    }


def _named_mutant(mutant_id: str, **fields: Any) -> Mutant:
    mistake = _TABLE[mutant_id]
    return Mutant(mistake.id, mistake.says("en"), credit=mistake.credit, **fields)


def _switches(net: Network) -> list[tuple[str, dict[str, Any]]]:
    """The slips that are switches of the training run (_slipped_run's keywords), by mistake."""
    found: list[tuple[str, dict[str, Any]]] = [
        ("sign_flipped", {"sign": -1}),
        ("stale_weights", {"stale": True}),
        ("no_activation_derivative", {"fprime": False}),
    ]
    if net.loss == "half_squared_error":
        # the derivative of 1/2 (y - t)^2 taken as 2 (y - t); the loss itself is often still written right
        found.append(("missing_half", {"scale": 2}))
    return found


def pairs(problem: Problem, solution: Solution) -> tuple[Mutant, ...]:
    """Two of the run's slips at once (the learning rate and the biases are matched, not run: they pair with none)."""
    net: Network = problem.given
    return paired(_switches(net), merged_keywords, lambda slip: _answers(net, slip))


def mutants(problem: Problem, solution: Solution) -> tuple[Mutant, ...]:
    """The classic slips on this network, each with the answers it leads to."""
    net: Network = problem.given
    found = [_named_mutant(mistake_id, answers=_answers(net, slip)) for mistake_id, slip in _switches(net)]
    found.append(
        _named_mutant(
            "wrong_learning_rate",
            matches=lambda part, value: part == "params_after" and _other_rate(net, solution, value),
        )
    )
    if net.params.biases is None:
        found.append(
            _named_mutant(
                "biases_added",
                matches=lambda part, value: (
                    part in ("params_after", "gradients")
                    and isinstance(value, Mapping)
                    and any(str(key).startswith("b") and _nonzero(bias) for key, bias in value.items())
                ),
            )
        )
    return tuple(found)


def _nonzero(value: Any) -> bool:
    """Biases that are not all zero (zero biases added to a network without any change nothing)."""
    try:
        return bool(np.any(np.asarray(value, dtype=float) != 0))
    except (TypeError, ValueError):
        return True


def _other_rate(net: Network, solution: Solution, value: Any) -> bool:
    """params_after = W - k*g for one k other than the learning rate, every entry agreeing on k within what the
    rounding (or truncation) of the student's numbers explains, and the learning rate itself not explained by it."""
    if net.steps != 1 or not isinstance(value, Mapping):
        return False
    low, high = -float("inf"), float("inf")
    for name, old in net.params.named().items():
        if name not in value:
            return False
        try:
            new = np.array(value[name], dtype=float)
            old_a = np.array(old, dtype=float)
            grad = np.array(solution.answers["gradients"][name], dtype=float)
        except (TypeError, ValueError):
            return False
        if new.shape != old_a.shape:
            return False
        # a whole unit in the last written digit either way: rounded or truncated (0.622 for 0.6226)
        units = 2 * np.vectorize(written_half_unit, otypes=[float])(np.array(value[name], dtype=object))
        for written, before, g, unit in zip(new.flat, old_a.flat, grad.flat, units.flat):
            if abs(g) <= 1e-12:
                continue
            ends = sorted(((before - (written + unit)) / g, (before - (written - unit)) / g))
            slack = _GRADIENT_ROUNDING * max(map(abs, ends))
            low, high = max(low, ends[0] - slack), min(high, ends[1] + slack)
    rate = float(net.learning_rate)
    # no common k; k = 0 (no update) or k < 0 (a step the wrong way): other slips; or rounding explains the rate
    return 0 < low <= high and not low <= rate <= high

"""How students go wrong on an initialization problem, and what their own earlier answers imply.

The scheme's slips are switches of its one computation (init_schemes.InitSlips); the symmetry question's are the
two classic beliefs about equal weights: that nothing moves (every gradient zero) and that the units drift apart.
Each earns, by default, its share of the part's points in MISTAKES (a problem's `mistake_credit` overrides it).
Follow-through: Var(w) from the student's gains, the bound or std and Var(z) from their Var(w), the parameters
after one step from their gradients.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from fractions import Fraction
from typing import Any

from hwsolver.compute.init_schemes import InitSlips
from hwsolver.kinds.base import Mistake
from hwsolver.kinds.initialization.given import Init
from hwsolver.kinds.initialization.schemes import layer_inits, scheme_answers
from hwsolver.kinds.pairs import merged, paired
from hwsolver.model import Mutant, Problem, Route, Solution

HALF, QUARTER = Fraction(1, 2), Fraction(1, 4)
MISTAKES = (
    Mistake(
        "fans_swapped",
        HALF,
        {
            "en": "fan_in and fan_out were swapped: a layer's fan_in is the number of its inputs (the columns of "
            "W), its fan_out the number of its units (the rows of W).",
            "zh": "fan_in 和 fan_out 弄反了：一层的 fan_in 是它的输入个数（W 的列数），"
            "fan_out 是它的神经元个数（W 的行数）。",
        },
    ),
    Mistake(
        "bound_as_std",
        HALF,
        {
            "en": "The uniform bound was taken for the standard deviation: U(-a, a) has standard deviation "
            "a / sqrt(3), so Var(w) = a^2 / 3, and a normal draw's std is the bound's formula divided by sqrt(3).",
            "zh": "把均匀分布的边界当成了标准差：U(-a, a) 的标准差是 a / sqrt(3)，所以 Var(w) = a^2 / 3；"
            "正态分布的标准差是边界公式再除以 sqrt(3)。",
        },
    ),
    Mistake(
        "std_as_bound",
        HALF,
        {
            "en": "The standard deviation was taken for the uniform bound: the bound is sqrt(3) times it, "
            "a = sqrt(3) std, so that U(-a, a) has the variance the scheme wants.",
            "zh": "把标准差当成了均匀分布的边界：边界是标准差的 sqrt(3) 倍，a = sqrt(3) std，"
            "这样 U(-a, a) 的方差才是该方法要求的方差。",
        },
    ),
    Mistake(
        "gain_left_out",
        HALF,
        {
            "en": "The gain was left out: the standard deviation is multiplied by the layer's gain, "
            "calculate_gain of its activation (sqrt(2) for ReLU, 5/3 for tanh).",
            "zh": "漏掉了增益：标准差要乘以该层的增益，即激活函数的 calculate_gain（ReLU 为 sqrt(2)，tanh 为 5/3）。",
        },
    ),
    Mistake(
        "all_gradients_zero",
        QUARTER,  # what equal weights do, the point of the exercise, is missed
        {
            "en": "Equal weights do not make every gradient zero: the output layer's error term is not zero, so its "
            "bias (and its weights, where the units below it output something) moves; what equal weights do is "
            "give equal units equal gradients.",
            "zh": "权重相同并不会让所有梯度都为零：输出层的误差项不为零，所以它的偏置（以及下一层有输出时它的权重）"
            "会更新；相同的权重带来的是：相同的神经元得到相同的梯度。",
        },
    ),
    Mistake(
        "units_diverge",
        QUARTER,
        {
            "en": "Units that start alike stay alike: with equal incoming and outgoing weights they compute the same "
            "value, get the same error term and the same update at every step, so training never tells them apart.",
            "zh": "初始相同的神经元会一直相同：输入权重和输出权重都相同，它们每一步算出相同的值、"
            "得到相同的误差项和相同的更新，训练永远无法把它们区分开。",
        },
    ),
)
_TABLE = {mistake.id: mistake for mistake in MISTAKES}
_SCHEME_SLIPS = {
    "fans_swapped": InitSlips(fans_swapped=True),
    "bound_as_std": InitSlips(bound_as_std=True),
    "std_as_bound": InitSlips(std_as_bound=True),
    "gain_left_out": InitSlips(gain_left_out=True),
}


def _mutant(mistake_id: str, answers: Mapping[str, Any]) -> Mutant:
    mistake = _TABLE[mistake_id]
    return Mutant(mistake.id, mistake.says("en"), answers, mistake.credit)


def mutants(problem: Problem, solution: Solution) -> tuple[Mutant, ...]:
    """The classic slips that change this problem's answers, each with the answers it leads to."""
    init: Init = problem.given
    found = []
    for mistake_id, slips in _SCHEME_SLIPS.items():
        changed = _changed(init, solution, slips)
        if changed:
            found.append(_mutant(mistake_id, changed))
    if init.start is not None:
        gradients = solution.answers["gradients"]
        if not _same(gradients, _zeros(gradients)):
            found.append(
                _mutant(
                    "all_gradients_zero", {"gradients": _zeros(gradients), "params_after": init.start.params.named()}
                )
            )
        identical = solution.answers.get("identical_units")
        apart = tuple(tuple(range(1, len(layer) + 1)) for layer in identical or ())
        if identical is not None and identical != apart:
            found.append(_mutant("units_diverge", {"identical_units": apart}))
    return tuple(found)


def pairs(problem: Problem, solution: Solution) -> tuple[Mutant, ...]:
    """Two of the scheme's slips at once (the bound taken for the std and the std for the bound undo each other:
    not a pair)."""
    init: Init = problem.given

    def combine(one: InitSlips, other: InitSlips) -> InitSlips | None:
        both = merged(one, other)
        return None if both is None or (both.bound_as_std and both.std_as_bound) else both

    return paired(tuple(_SCHEME_SLIPS.items()), combine, lambda slips: _changed(init, solution, slips))


def _changed(init: Init, solution: Solution, slips: InitSlips) -> dict[str, Any]:
    slipped = scheme_answers(init, layer_inits(init, slips))
    return {part: v for part, v in slipped.items() if not _same(v, solution.answers[part])}


def _zeros(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {key: _zeros(item) for key, item in value.items()}
    if isinstance(value, tuple):
        return tuple(_zeros(item) for item in value)
    return 0


def _same(a: Any, b: Any) -> bool:
    """Equal up to float rounding (the slipped answers are exact, the values compared may be 50-digit numbers)."""
    if isinstance(a, Mapping):
        return a.keys() == b.keys() and all(_same(a[key], b[key]) for key in a)
    if isinstance(a, tuple):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    return math.isclose(float(a), float(b), rel_tol=1e-12, abs_tol=1e-15)


def follow_through(problem: Problem, solution: Solution) -> tuple[Route, ...]:
    """Var(w) from the student's gains, the bound or std and Var(z) from their Var(w), one step from their
    gradients."""
    init: Init = problem.given
    layers = layer_inits(init)
    spread = "bound" if init.uniform else "std"

    def variance(values: Mapping[str, Any]) -> Any:
        # the scheme's Var(w) is gain^2 times a factor of the fans alone: the student's gain, the right fans
        gains = _per_layer(values["gain"], layers)
        return tuple(float(g) ** 2 * float(layer.variance / layer.gain2) for g, layer in zip(gains, layers))

    def spread_of(values: Mapping[str, Any]) -> Any:
        factor = 3 if init.uniform else 1
        return tuple(math.sqrt(factor * float(v)) for v in _per_layer(values["weight_variance"], layers))

    def preactivation(values: Mapping[str, Any]) -> Any:
        return tuple(
            layer.fan_in * float(v) * float(init.input_variance)
            for v, layer in zip(_per_layer(values["weight_variance"], layers), layers)
        )

    routes = [
        Route("weight_variance", ("gain",), variance),
        Route(spread, ("weight_variance",), spread_of),
        Route("preactivation_variance", ("weight_variance",), preactivation),
    ]
    for prefix, net in (("", init.start), ("contrast_", init.contrast)):
        if net is not None and net.steps == 1:
            routes.append(Route(f"{prefix}params_after", (f"{prefix}gradients",), _one_step(net, f"{prefix}gradients")))
    return tuple(routes)


def _per_layer(values: Any, layers: tuple) -> tuple:
    if len(values) != len(layers) or any(float(v) < 0 for v in values):
        raise ValueError("one number (>= 0) per layer")
    return tuple(values)


def _one_step(net: Any, part: str) -> Any:
    """The parameters after one step taken with the student's gradients (their answer to `part`)."""
    start, rate = net.params.named(), float(net.learning_rate)

    def step(values: Mapping[str, Any]) -> Any:
        gradients = values[part]
        after = {name: _minus(start[name], gradients[name], rate) for name in start}
        if after == {name: _minus(start[name], _zeros(start[name]), rate) for name in start}:
            # no gradient anywhere (the slip all_gradients_zero): the start copied is no work that follows
            raise ValueError("gradients that move nothing leave nothing to work out")
        return after

    return step


def _minus(value: Any, gradient: Any, rate: float) -> Any:
    if isinstance(value, tuple):
        if not isinstance(gradient, tuple) or len(gradient) != len(value):
            raise ValueError("the gradient's shape is the parameter's")
        return tuple(_minus(v, g, rate) for v, g in zip(value, gradient))
    return float(value) - rate * float(gradient)

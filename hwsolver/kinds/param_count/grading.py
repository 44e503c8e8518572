"""How students go wrong on a param_count problem, and what their own per-layer answers imply.

Mutants recount the stack with one classic slip switched on (compute/stack.py's Slips); each earns, by default,
the share of the part's points in MISTAKES below (a problem's `mistake_credit` overrides it). Follow-through: the
total from the student's own per-layer parameters, the multiply-accumulates from their own output shapes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction
from math import prod
from typing import Any

from hwsolver.compute.stack import Conv, Dense, ShapeError, Slips, count
from hwsolver.kinds.base import Mistake
from hwsolver.kinds.pairs import merged, paired
from hwsolver.kinds.param_count.answers import from_counts
from hwsolver.kinds.param_count.given import Stack
from hwsolver.model import Mutant, Problem, Route, Solution

HALF = Fraction(1, 2)
MISTAKES = (
    Mistake(
        "biases_forgotten",
        HALF,
        {
            "en": "The biases were left out: a dense layer has one bias per unit, a convolution one per kernel.",
            "zh": "漏算了偏置：全连接层每个神经元有一个偏置，卷积层每个卷积核有一个偏置。",
        },
    ),
    Mistake(
        "input_channels_forgotten",
        HALF,
        {
            "en": "A kernel spans every input channel: on C_in channels a K x K kernel has C_in*K*K weights, so the "
            "layer has C_out*C_in*K*K.",
            "zh": "卷积核覆盖所有输入通道：输入有 C_in 个通道时，一个 K x K 卷积核有 C_in*K*K 个权重，"
            "整层有 C_out*C_in*K*K 个。",
        },
    ),
    Mistake(
        "bias_per_position",
        HALF,
        {
            "en": "A convolution has one bias per kernel (per output channel), shared by every position the kernel "
            "visits, not one per output unit.",
            "zh": "卷积层每个卷积核（每个输出通道）只有一个偏置，卷积核滑过的所有位置共用它，而不是每个输出单元一个。",
        },
    ),
    Mistake(
        "padding_ignored",
        HALF,
        {
            "en": "The padding was left out of the output shape: H' = floor((H + 2P - K) / S) + 1, and with 'same' "
            "padding H' = ceil(H / S).",
            "zh": "计算输出形状时漏掉了填充：H' = floor((H + 2P - K) / S) + 1；'same' 填充时 H' = ceil(H / S)。",
        },
    ),
)
_TABLE = {mistake.id: mistake for mistake in MISTAKES}
_SWITCHES = {
    "biases_forgotten": Slips(no_biases=True),
    "input_channels_forgotten": Slips(no_input_channels=True),
    "bias_per_position": Slips(bias_per_position=True),
    "padding_ignored": Slips(no_padding=True),
}


def mutants(problem: Problem, solution: Solution) -> tuple[Mutant, ...]:
    """The classic slips that change this stack's answers, each with the answers it leads to."""
    stack: Stack = problem.given
    found = []
    for mistake_id, slips in _SWITCHES.items():
        changed = _changed(stack, solution, slips)
        if changed:
            mistake = _TABLE[mistake_id]
            found.append(Mutant(mistake.id, mistake.says("en"), changed, mistake.credit))
    return tuple(found)


def pairs(problem: Problem, solution: Solution) -> tuple[Mutant, ...]:
    """Two slips at once (their Slips merged)."""
    stack: Stack = problem.given
    return paired(tuple(_SWITCHES.items()), merged, lambda slips: _changed(stack, solution, slips))


def _changed(stack: Stack, solution: Solution, slips: Slips) -> dict[str, Any] | None:
    """The answers the count with these slips changes; None when it cannot be carried out."""
    try:
        answers = from_counts(count(stack.input, stack.layers, slips))
    except ShapeError:
        return None  # without its padding, a kernel no longer fits: no student gets this far with the slip
    return {part: value for part, value in answers.items() if value != solution.answers[part]}


def follow_through(problem: Problem, solution: Solution) -> tuple[Route, ...]:
    """The total from the student's own per-layer parameters, the multiply-accumulates from their own shapes."""
    stack: Stack = problem.given

    def total(values: Mapping[str, Any]) -> Any:
        return sum(_number(layer["params"]) for layer in _layers(values, stack))

    def macs(values: Mapping[str, Any]) -> Any:
        shapes = [_shape(layer["output_shape"]) for layer in _layers(values, stack)]
        inputs = [stack.input, *shapes[:-1]]
        found = 0.0
        for layer, before, after in zip(stack.layers, inputs, shapes):
            if isinstance(layer, Conv):
                found += prod(after) * before[0] * layer.size**2
            elif isinstance(layer, Dense):
                found += prod(before) * layer.units
        return found

    return (
        Route("total", ("layers",), total, rounded=False),
        Route("macs", ("layers",), macs, rounded=False),
    )


def _layers(values: Mapping[str, Any], stack: Stack) -> Sequence[Mapping[str, Any]]:
    layers = values["layers"]
    if len(layers) != len(stack.layers) or not all(isinstance(layer, Mapping) for layer in layers):
        raise ValueError("one entry per layer, each with its counts by name")
    return layers


def _number(value: Any) -> float:
    if isinstance(value, tuple | Mapping | str | bool) or value is None:
        raise TypeError("a count is a number")
    return float(value)


def _shape(value: Any) -> tuple[float, ...]:
    shape = value if isinstance(value, tuple) else (value,)
    return tuple(_number(size) for size in shape)

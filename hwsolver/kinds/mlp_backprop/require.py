"""The constraints a per-student variant of an mlp_backprop problem may be required to meet (`require:`)."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from hwsolver.kinds.base import Constraint
from hwsolver.model import Problem, Solution
from hwsolver.spec.node import Node

_KINKED = ("relu", "leaky_relu")


def _no_relu_kink(problem: Problem, solution: Solution, margin: Fraction) -> bool:
    """No pre-activation of a ReLU layer within `margin` of 0, before any step or after the last: at the kink
    ReLU' is a convention (0 here), and a student who takes it as 1 is not wrong about backpropagation."""
    net = problem.given
    work = solution.work
    samples = [sample for step in work["steps"] for sample in step.samples] + list(work["final"])
    return all(
        abs(z) > margin
        for sample in samples
        for layer, name in zip(sample.layers, net.activations)
        if name in _KINKED
        for z in layer.z
    )


def _loss_decreases(problem: Problem, solution: Solution, argument: Any) -> bool:
    """Training lowers the whole dataset's objective: the problem's own, and every compared run's (`runs`)."""
    answers = solution.answers
    runs = answers.get("run_epoch_loss", {})
    return answers["loss_decreased"] is True and all(epochs[-1] < answers["loss_before"] for epochs in runs.values())


def _distinct_inputs(problem: Problem, solution: Solution, argument: Any) -> bool:
    """No two samples share an input: a dataset that repeats one teaches little about batches."""
    inputs = problem.given.inputs
    return len(set(inputs)) == len(inputs)


def _terminating(problem: Problem, solution: Solution, places: int) -> bool:
    """Every value of the first step up to the update terminates within `places` decimal places, so that a
    student can write each one exactly (the loss after squares them: it is not asked to)."""
    answers = solution.answers
    first = (answers["forward"], answers["output_before"], answers["loss_before"], answers["errors"])
    values = (*first, answers["gradients"], answers["params_after"])
    return all(_decimal_places(leaf) <= places for value in values for leaf in _leaves(value))


def _leaves(value: Any) -> Any:
    if isinstance(value, dict):
        for item in value.values():
            yield from _leaves(item)
    elif isinstance(value, tuple | list):
        for item in value:
            yield from _leaves(item)
    else:
        yield value


def _decimal_places(value: Any) -> float:
    """The decimal places `value` needs (infinite for no terminating decimal or no exact number)."""
    if isinstance(value, bool) or not isinstance(value, Fraction | int):
        return float("inf")
    denominator, twos, fives = Fraction(value).denominator, 0, 0
    while denominator % 2 == 0:
        denominator, twos = denominator // 2, twos + 1
    while denominator % 5 == 0:
        denominator, fives = denominator // 5, fives + 1
    return max(twos, fives) if denominator == 1 else float("inf")


def _margin(node: Node) -> Fraction:
    return node.number(minimum=0, what="a margin")


def _places(node: Node) -> int:
    return node.integer(minimum=0)


CONSTRAINTS = {
    "no_relu_kink": Constraint(
        "no pre-activation of a ReLU layer within the margin of 0 (before the update or after it)",
        _no_relu_kink,
        "a margin >= 0",
        _margin,
        Fraction(0),
    ),
    "loss_decreases": Constraint(
        "the update lowers the loss (with `runs`, every run's training does)", _loss_decreases
    ),
    "terminating_decimals": Constraint(
        "every value up to the update (forward pass, loss, error terms, gradients, parameters after) terminates "
        "within this many decimal places",
        _terminating,
        "a number of decimal places",
        _places,
        6,
    ),
    "distinct_inputs": Constraint("no two samples of the dataset have the same input", _distinct_inputs),
}

"""The constraints a per-student variant of a conv_backprop problem may be required to meet (`require:`)."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from hwsolver.compute.layers.conv import ConvLayer
from hwsolver.kinds.base import Constraint
from hwsolver.model import Problem, Solution
from hwsolver.spec.node import Node


def _no_relu_kink(problem: Problem, solution: Solution, margin: Fraction) -> bool:
    """No entry of z(l-1) within `margin` of 0 when f is ReLU: at the kink f' is a convention (0 here)."""
    layer: ConvLayer = problem.given
    if layer.activation not in ("relu", "leaky_relu"):
        return True
    return all(abs(z) > margin for z in _flat(layer.z_prev))


def _nonzero_upstream(problem: Problem, solution: Solution, argument: Any) -> bool:
    """No error term of layer l is 0: each one reaches e(l-1), so a slip in routing it shows."""
    return all(e != 0 for e in _flat(problem.given.upstream))


def _flat(array: Any) -> list[Any]:
    return [v for item in array for v in _flat(item)] if isinstance(array, tuple) else [array]


def _margin(node: Node) -> Fraction:
    return node.number(minimum=0, what="a margin")


CONSTRAINTS = {
    "no_relu_kink": Constraint(
        "no entry of z_prev within the margin of 0 (ReLU)", _no_relu_kink, "a margin >= 0", _margin, Fraction(0)
    ),
    "nonzero_upstream": Constraint("no error term of layer l is 0", _nonzero_upstream),
}

"""Kind `pooling_backprop`: routing error terms back through max or average pooling (lecture exercise 5)."""

from __future__ import annotations

from typing import Any

from hwsolver.layers import pooling
from hwsolver.layers.arrays import read_array, read_shaped, unwrap
from hwsolver.layers.pooling import POOLS, PoolLayer, output_shape
from hwsolver.model import Problem, Solution
from hwsolver.node import Node, shape_of
from hwsolver.witness import check_agreement

DESCRIPTION = "backpropagation of error terms through max or average pooling"
INDEX_BASE = 0  # feedback names array entries and windows as the statement does: from 0
POSITION_PARTS = ("argmax",)  # one [row, column] per window: also read as a list of pairs, scored per position
# argmax before delta_prev: the routing is found in the forward pass and decides e(l-1) (follow-through reads it)
PARTS = ("output", "argmax", "delta_prev")
_REQUIRED = ("input", "pool", "size", "upstream")
_OPTIONAL = ("stride",)


def parts(given: PoolLayer) -> tuple[str, ...]:
    return PARTS if given.pool == "max" else ("output", "delta_prev")


def parse_given(node: Node) -> PoolLayer:
    fields = node.fields(_REQUIRED, _OPTIONAL)
    values = read_array(fields["input"], (2, 3), "an H x W matrix or a C x H x W array")
    height, width = shape_of(values)[-2:]
    pool = fields["pool"].choice(POOLS)
    size = fields["size"].integer(minimum=1)
    if size > min(height, width):
        raise fields["size"].error(f"a {size}x{size} window does not fit the {height}x{width} input")
    stride = fields["stride"].integer(minimum=1) if "stride" in fields else size
    out = output_shape(height, width, size, stride)
    shape = (len(values), *out) if len(shape_of(values)) == 3 else out
    return PoolLayer(values, pool, size, stride, read_shaped(fields["upstream"], shape))


def solve(problem: Problem, *, exact: bool = True) -> Solution:
    layer: PoolLayer = problem.given
    approx = _answers(layer, pooling.backward_vectorized(layer))
    if not exact:
        return Solution(problem, approx)
    answers = _answers(layer, pooling.backward(layer))
    check_agreement(problem.id, answers, approx)
    return Solution(problem, answers)


def _answers(layer: PoolLayer, result: pooling.Backward) -> dict[str, Any]:
    """Answers in the shape the problem used: no channel axis for a single H x W input."""
    drop = 0 if layer.channels else 1
    values = {"output": result.output, "argmax": result.argmax, "delta_prev": result.delta_prev}
    return {part: unwrap(values[part], drop) for part in parts(layer)}  # in the kind's order


# The grader's hooks: the classic slips on this kind, and parts recomputed from a student's earlier answers.
from hwsolver.kinds.pooling_grading import MISTAKES, follow_through, mistakes, trivial  # noqa: E402

__all__ = ["DESCRIPTION", "MISTAKES", "follow_through", "mistakes", "parse_given", "parts", "solve", "trivial"]

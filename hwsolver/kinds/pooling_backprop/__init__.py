"""Kind `pooling_backprop`: routing error terms back through max or average pooling (lecture exercise 5)."""

from __future__ import annotations

from typing import Any

from hwsolver.compute.layers import pooling, pooling_single
from hwsolver.compute.layers.arrays import read_array, read_shaped, unwrap
from hwsolver.compute.layers.pooling import POOLS, PoolLayer, output_shape
from hwsolver.compute.layers.pooling_vectorized import backward_vectorized
from hwsolver.kinds.base import Given, Key, Kind, PartInfo
from hwsolver.kinds.pooling_backprop import examples, explain, grading, require
from hwsolver.model import Problem, Solution
from hwsolver.spec.node import Node, shape_of
from hwsolver.witness import check_agreement

GIVEN = Given(
    (
        Key(
            "input",
            "an H x W matrix, or a C x H x W array (each channel pooled by itself)",
            "the pooling layer's input",
            "[[1, 3, 2, 0], [4, 2, 1, 5], [0, 6, 3, 3], [2, 1, 3, 1]]",
        ),
        Key("pool", f"one of {', '.join(POOLS)}", "max pooling or average pooling", "max"),
        Key("size", "an integer >= 1", "K: each window is K x K", "2"),
        Key(
            "upstream",
            "an array of the output's shape (H' x W', or C x H' x W')",
            "dL/d(output): the error terms arriving from the layer above",
            "[[0.5, -1], [2, 0.25]]",
        ),
        Key("stride", "an integer >= 1", "S: windows start every S rows and columns", "2", default="(the size K)"),
    )
)
# argmax before delta_prev: the routing is found in the forward pass and decides e(l-1) (follow-through reads it)
PARTS = (
    PartInfo("output", "an array: one value per window (with channels, C x H' x W')"),
    PartInfo("argmax", "one [row, column] per window, from 0 in the whole input (max pooling only)"),
    PartInfo("delta_prev", "an array of the input's shape: dL/d(input)"),
)


_EVERY = tuple(part.id for part in PARTS)
_AVERAGE = tuple(p for p in _EVERY if p != "argmax")  # (made once: a class's variants each ask, more than once)


def parts_for(given: PoolLayer) -> tuple[str, ...]:
    return _EVERY if given.pool == "max" else _AVERAGE


def parse_given(node: Node) -> PoolLayer:
    fields = GIVEN.fields(node)
    values = read_array(fields["input"], (2, 3), "an H x W matrix or a C x H x W array")
    values_shape = shape_of(values)
    height, width = values_shape[-2:]
    pool = fields["pool"].choice(POOLS)
    size = fields["size"].integer(minimum=1)
    if size > min(height, width):
        raise fields["size"].error(f"a {size}x{size} window does not fit the {height}x{width} input")
    stride = fields["stride"].integer(minimum=1) if "stride" in fields else size
    out = output_shape(height, width, size, stride)
    shape = (len(values), *out) if len(values_shape) == 3 else out
    return PoolLayer(values, pool, size, stride, read_shaped(fields["upstream"], shape))


def solve(problem: Problem, *, exact: bool = True) -> Solution:
    layer: PoolLayer = problem.given
    plain = pooling_single.single(layer) if exact else None  # a class's variants' shape, straight from its windows
    if plain is not None:
        return Solution(problem, plain)
    result = pooling.backward(layer) if exact else backward_vectorized(layer)
    return Solution(problem, _answers(layer, result))


def witness(problem: Problem, solution: Solution) -> None:
    """The vectorized pass over all windows at once agrees with the exact one, window by window."""
    check_agreement(problem.id, solution.answers, _answers(problem.given, backward_vectorized(problem.given)))


def _answers(layer: PoolLayer, result: pooling.Exact | Any) -> dict[str, Any]:
    """Answers in the shape the problem used: no channel axis for a single H x W input."""
    drop = 0 if layer.channels else 1
    return {part: unwrap(getattr(result, part), drop) for part in parts_for(layer)}  # in the kind's order


KIND = Kind(
    name="pooling_backprop",
    description="backpropagation of error terms through max or average pooling",
    given=GIVEN,
    parse_given=parse_given,
    parts=PARTS,
    parts_for=parts_for,
    solve=solve,
    witness=witness,
    mistakes=grading.MISTAKES,
    mutants=grading.mutants,
    pairs=grading.pairs,
    example=examples.example,
    strings=explain.STRINGS,
    labels=explain.LABELS,
    follow_through=grading.follow_through,
    trivial=grading.trivial,
    index_base=0,  # feedback names array entries and windows as the statement does: from 0
    position_parts=("argmax",),  # one [row, column] per window: also read as a list of pairs, scored per position
    constraints=require.CONSTRAINTS,
)

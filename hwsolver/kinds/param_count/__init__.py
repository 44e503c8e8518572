"""Kind `param_count`: the output shape, weights, biases and multiply-accumulates of every layer of a stack of
dense, convolution, pooling and flatten layers (the given: given.py; mistakes and follow-through: grading.py;
labels and sentences: explain.py)."""

from __future__ import annotations

from hwsolver.compute import stack_arrays
from hwsolver.compute.stack import count
from hwsolver.errors import SolveError
from hwsolver.kinds.base import Kind, PartInfo
from hwsolver.kinds.param_count import examples, explain, grading
from hwsolver.kinds.param_count.answers import from_counts, from_layers, rows
from hwsolver.kinds.param_count.given import GIVEN, Stack, parse_given
from hwsolver.model import Problem, Solution

PARTS = (
    PartInfo(
        "layers",
        "a list with one entry per layer, in order: {output_shape: [C, H, W] or [n], weights: ..., biases: ..., "
        "params: ...}",
    ),
    PartInfo("total", "a number: the parameters of the whole stack (weights and biases)"),
    PartInfo("macs", "a number: the multiply-accumulates of one forward pass of one input (biases not counted)"),
)


def parts_for(given: Stack) -> tuple[str, ...]:
    return tuple(part.id for part in PARTS)


def solve(problem: Problem, *, exact: bool = True) -> Solution:
    stack: Stack = problem.given
    if not exact:
        return Solution(problem, from_layers(stack_arrays.measure(stack.input, stack.layers)))
    counts = count(stack.input, stack.layers)
    return Solution(problem, from_counts(counts), {"rows": rows(stack.input, stack.layers, counts)})


def witness(problem: Problem, solution: Solution) -> None:
    """The layers' arrays, built in NumPy and measured, give the same shapes and counts, exactly."""
    stack: Stack = problem.given
    measured = from_layers(stack_arrays.measure(stack.input, stack.layers))
    for part, value in solution.answers.items():
        if measured[part] != value:
            raise SolveError(f"{problem.id}: the counted and the measured {part} disagree (a bug in hwsolver)")


KIND = Kind(
    name="param_count",
    description="output shapes, parameters and multiply-accumulates of a stack of dense and convolution layers",
    given=GIVEN,
    parse_given=parse_given,
    parts=PARTS,
    parts_for=parts_for,
    solve=solve,
    witness=witness,
    mistakes=grading.MISTAKES,
    mutants=grading.mutants,
    pairs=grading.pairs,
    strings=explain.STRINGS,
    labels=explain.LABELS,
    example=examples.example,
    follow_through=grading.follow_through,
)

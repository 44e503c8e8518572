"""Kind `dropout`: dropout and DropConnect with a given mask at training and test time, the expectation over the
masks, and the backward pass (the given: given.py; parts and answers: answers.py; mistakes: grading.py;
follow-through: follow.py; labels and sentences: explain.py)."""

from __future__ import annotations

from hwsolver.compute.dropout import DropoutLayer, passes, passes_vectorized
from hwsolver.errors import SolveError
from hwsolver.kinds.base import Kind
from hwsolver.kinds.dropout import examples, explain, follow, grading
from hwsolver.kinds.dropout.answers import PARTS, answers, parts_for
from hwsolver.kinds.dropout.given import GIVEN, parse_given
from hwsolver.model import Problem, Solution
from hwsolver.witness import check_agreement


def solve(problem: Problem, *, exact: bool = True) -> Solution:
    layer: DropoutLayer = problem.given
    if not exact:
        return Solution(problem, answers(layer, passes_vectorized(layer, enumerate_masks=False)))
    exact = passes(layer)
    return Solution(problem, answers(layer, exact), {"passes": exact})


def witness(problem: Problem, solution: Solution) -> None:
    """The float64 passes over whole arrays agree with the exact ones; their expectation is the mean of the
    training output over every mask (each with its probability), which must equal the exact E = test output."""
    layer: DropoutLayer = problem.given
    check_agreement(problem.id, solution.answers, answers(layer, passes_vectorized(layer)))
    if solution.answers["expected_output"] != solution.answers["test_output"]:
        raise SolveError(f"{problem.id}: the expected training output is not the test output (a bug in hwsolver)")


KIND = Kind(
    name="dropout",
    description="dropout and DropConnect with a given mask: training and test time, expectation, backward pass",
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
    follow_through=follow.follow_through,
    chain=follow.chain,
    trivial=follow.trivial,
    extras=explain.extras,
)

"""Kind `optimizer_step`: steps of SGD, momentum, Nesterov, AdaGrad, RMSprop, Adam and AdamW as torch.optim takes
them, exact (Fractions, square roots at 50 digits) and in float64 (the given: given.py; mistakes and
follow-through: grading.py; labels, sentences and the plot: explain.py)."""

from __future__ import annotations

from hwsolver.kinds.base import Kind
from hwsolver.kinds.optimizer_step import examples, explain, grading
from hwsolver.kinds.optimizer_step.given import GIVEN, OptimizerProblem, parse_given
from hwsolver.kinds.optimizer_step.steps import PARTS, answers, parts_for, run
from hwsolver.model import Problem, Solution
from hwsolver.witness import check_agreement


def solve(problem: Problem, *, exact: bool = True) -> Solution:
    given: OptimizerProblem = problem.given
    steps = run(given, exact=exact)
    return Solution(problem, answers(given, steps, exact=exact), {"steps": steps} if exact else {})


def witness(problem: Problem, solution: Solution) -> None:
    """The same steps in float64 (the gradient from the partial derivatives compiled for NumPy, square roots in
    floating point) agree with the exact ones."""
    given: OptimizerProblem = problem.given
    check_agreement(problem.id, solution.answers, answers(given, run(given, exact=False), exact=False))


KIND = Kind(
    name="optimizer_step",
    description="steps of SGD, momentum, Nesterov, AdaGrad, RMSprop, Adam or AdamW, as torch.optim takes them",
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
    trivial=grading.trivial,
    extras=explain.extras,
)

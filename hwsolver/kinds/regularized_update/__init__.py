"""Kind `regularized_update`: gradient steps with an L2 (weight decay) or L1 penalty from given data gradients,
biases left out of the penalty as the lecture says (the given: given.py; parts and answers: answers.py; mistakes:
grading.py; follow-through: follow.py; labels and sentences: explain.py)."""

from __future__ import annotations

from hwsolver.compute.regularization import Regularized, train, train_vectorized
from hwsolver.kinds.base import Kind
from hwsolver.kinds.regularized_update import examples, explain, follow, grading
from hwsolver.kinds.regularized_update.answers import PARTS, exact_answers, float_answers, parts_for
from hwsolver.kinds.regularized_update.given import GIVEN, parse_given
from hwsolver.model import Problem, Solution
from hwsolver.witness import check_agreement


def solve(problem: Problem, *, exact: bool = True) -> Solution:
    given: Regularized = problem.given
    if not exact:
        return Solution(problem, float_answers(given, train_vectorized(given)))
    steps = train(given)
    return Solution(problem, exact_answers(given, steps), {"steps": steps, "rows": explain.rows(given, steps)})


def witness(problem: Problem, solution: Solution) -> None:
    """The float64 path (each parameter a whole NumPy array) agrees with the exact one, entry by entry."""
    given: Regularized = problem.given
    check_agreement(problem.id, solution.answers, float_answers(given, train_vectorized(given)))


KIND = Kind(
    name="regularized_update",
    description="gradient steps with an L2 (weight decay) or L1 penalty, biases left out of it",
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
)

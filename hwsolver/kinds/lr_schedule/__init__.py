"""Kind `lr_schedule`: the learning rate step by step under a schedule (step, multistep, linear, 1/t, exponential,
cosine; an optional linear warmup), as torch.optim.lr_scheduler reports it, exact and in float64 (the given:
given.py; mistakes and follow-through: grading.py; labels, sentences and the plot: explain.py)."""

from __future__ import annotations

from hwsolver.kinds.base import Kind
from hwsolver.kinds.lr_schedule import examples, explain, grading, require
from hwsolver.kinds.lr_schedule.given import GIVEN, parse_given
from hwsolver.kinds.lr_schedule.rates import PARTS, answers, parts_for
from hwsolver.model import Problem, Solution
from hwsolver.witness import check_agreement


def solve(problem: Problem, *, exact: bool = True) -> Solution:
    return Solution(problem, answers(problem.given, exact=exact))


def witness(problem: Problem, solution: Solution) -> None:
    """The closed forms in float64 (math.cos for the cosine) agree with the exact rates."""
    check_agreement(problem.id, solution.answers, answers(problem.given, exact=False))


KIND = Kind(
    name="lr_schedule",
    description="the learning rate step by step under a decay schedule, as torch.optim.lr_scheduler reports it",
    given=GIVEN,
    parse_given=parse_given,
    parts=PARTS,
    parts_for=parts_for,
    solve=solve,
    witness=witness,
    mistakes=grading.MISTAKES,
    mutants=grading.mutants,
    strings=explain.STRINGS,
    labels=explain.LABELS,
    example=examples.example,
    follow_through=grading.follow_through,
    extras=explain.extras,
    index_base=0,  # steps count from 0, as the statement and torch do
    constraints=require.CONSTRAINTS,
)

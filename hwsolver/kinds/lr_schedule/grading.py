"""How students go wrong on an lr_schedule problem, and what their own rates imply.

The mistakes are the schedule read one step off (compute.schedules.rate's `shift`): a step late (the drop at step
step_size + 1, the count started at 1), or the decay applied before the first step (step 0 already decayed).
Follow-through: the sum of the student's own rates, the first of their rates below the threshold.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import Any

from hwsolver.errors import SolveError
from hwsolver.kinds.base import Mistake
from hwsolver.kinds.lr_schedule.rates import answers
from hwsolver.model import Mutant, Problem, Route, Solution
from hwsolver.witness import disagreement

HALF = Fraction(1, 2)
MISTAKES = (
    Mistake(
        "off_by_one",
        HALF,
        {
            "en": "The step count is one behind: the rate at step t (counted from 0) is the schedule's value after "
            "t calls of scheduler.step(), so each change comes one step earlier than in this answer.",
            "zh": "步数少算了一步：第 t 步（从 0 开始计）的学习率是调用 t 次 scheduler.step() 之后的值，"
            "所以每次变化都比这个答案早一步。",
        },
    ),
    Mistake(
        "decay_before_first_step",
        HALF,
        {
            "en": "The decay was applied before the first step: step 0 uses the initial rate, and the schedule "
            "changes it only after that step.",
            "zh": "在第一步之前就做了衰减：第 0 步用的是初始学习率，调度器在这一步之后才改变它。",
        },
    ),
)
_SHIFTS = {"off_by_one": -1, "decay_before_first_step": 1}


def mutants(problem: Problem, solution: Solution) -> tuple[Mutant, ...]:
    """Each off-by-one slip, with the answers it leads to (where they differ from the right ones)."""
    right = answers(problem.given, exact=False)
    found = []
    for mistake in MISTAKES:
        try:
            wrong = answers(problem.given, exact=False, shift=_SHIFTS[mistake.id])
        except SolveError:  # the slipped schedule never reaches the threshold: no student answers so
            continue
        if disagreement(right, wrong, rtol=1e-9, atol=1e-15) is not None:
            found.append(Mutant(mistake.id, mistake.says("en"), wrong, mistake.credit))
    return tuple(found)


def follow_through(problem: Problem, solution: Solution) -> tuple[Route, ...]:
    """The sum and the first step below the threshold, from the student's own rates."""
    given = problem.given

    def rates(values: Mapping[str, Any]) -> list[float]:
        found = [float(r) for r in values["rates"]]
        if len(found) != given.horizon:
            raise ValueError("one rate per step of the horizon")
        return found

    def first_below(values: Mapping[str, Any]) -> int:
        limit = float(given.threshold)
        found = next((t for t, r in enumerate(rates(values)) if r < limit), None)
        if found is None:
            raise ValueError("none of the rates is below the threshold")
        return found

    routes = [Route("rate_sum", ("rates",), lambda values: sum(rates(values)))]
    if given.threshold is not None:
        routes.append(Route("first_below", ("rates",), first_below, rounded=False))
    return tuple(routes)

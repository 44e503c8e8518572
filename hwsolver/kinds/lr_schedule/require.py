"""The constraints a per-student variant of an lr_schedule problem may be required to meet (`require:`)."""

from __future__ import annotations

from typing import Any

from hwsolver.kinds.base import Constraint
from hwsolver.model import Problem, Solution


def _below_within_horizon(problem: Problem, solution: Solution, argument: Any) -> bool:
    """The first step below the threshold is one of the asked rates, so the student sees the crossing in their
    own list (solving looks further than the horizon; a variant should not ask for a step it never shows)."""
    first = solution.answers.get("first_below")
    return first is None or first < problem.given.horizon


def _decay_within_horizon(problem: Problem, solution: Solution, argument: Any) -> bool:
    """The rate changes within the asked steps (a step schedule whose first drop comes after the horizon asks
    for one number repeated)."""
    rates = solution.answers["rates"]
    return any(rate != rates[0] for rate in rates)


CONSTRAINTS = {
    "below_within_horizon": Constraint(
        "the rate falls below the threshold within the asked steps", _below_within_horizon
    ),
    "decay_within_horizon": Constraint("the rate changes within the asked steps", _decay_within_horizon),
}

"""The answers of an lr_schedule problem: the kind's parts in their order, and the rates they are read from (with
the off-by-one slip of grading.py)."""

from __future__ import annotations

from typing import Any

from hwsolver.compute import schedules
from hwsolver.errors import SolveError
from hwsolver.kinds.base import PartInfo
from hwsolver.kinds.lr_schedule.given import ScheduleProblem

PARTS = (
    PartInfo("rates", "a list of numbers: the rate in force at steps 0, 1, ..., horizon - 1"),
    PartInfo("first_below", "an integer: the first step (from 0) whose rate is below the threshold"),
    PartInfo("rate_sum", "a number: the sum of the rates of steps 0 .. horizon - 1"),
)


def parts_for(given: ScheduleProblem) -> tuple[str, ...]:
    return tuple(part.id for part in PARTS if part.id != "first_below" or given.threshold is not None)


def answers(given: ScheduleProblem, *, exact: bool, shift: int = 0) -> dict[str, Any]:
    """Every answer of parts_for (`shift`: the slip of reading step t + shift)."""
    rates = schedules.rates(given.schedule, given.horizon, exact=exact, shift=shift)
    found: dict[str, Any] = {"rates": rates, "rate_sum": sum(rates[1:], rates[0])}
    if given.threshold is not None:
        first = schedules.first_below(given.schedule, given.threshold, exact=exact, shift=shift)
        if first is None:
            raise SolveError(f"the rate never falls below {given.threshold} (searched {schedules.MAX_SEARCH} steps)")
        found["first_below"] = first
    return {part: found[part] for part in parts_for(given)}

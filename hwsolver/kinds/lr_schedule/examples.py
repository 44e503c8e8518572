"""Random valid lr_schedule problems (Kind.example): every schedule in turn (seed by seed), its arguments given or
left to torch's defaults, a warmup now and then, and a threshold the schedule does fall below, over a short
horizon."""

from __future__ import annotations

import random
from fractions import Fraction
from typing import Any

from hwsolver.compute.schedules import SCHEDULES

# the order seeds take them in: the cosine (irrational rates) first, so that the suite's first few seeds meet it
ORDER = ("cosine", *(name for name in SCHEDULES if name != "cosine"))


def example(seed: int) -> dict[str, Any]:
    """The `given` of a random schedule over 3 to 12 steps (the schedule: ORDER[seed % 6])."""
    rng = random.Random(seed)
    initial_lr = rng.choice((0.1, 0.2, 0.5, 1))
    horizon = rng.randint(3, 12)
    schedule, floor = _schedule(ORDER[seed % len(ORDER)], rng, Fraction(str(initial_lr)), horizon)
    given: dict[str, Any] = {"initial_lr": initial_lr, "schedule": schedule, "horizon": horizon}
    if rng.random() < 0.3:
        given["warmup"] = {"total_iters": rng.randint(1, 3)}
        if rng.random() < 0.5:
            given["warmup"]["start_factor"] = rng.choice((0.1, 0.25, 0.5))
    # a threshold above the lowest rate the schedule keeps to, so that a first step below it exists
    threshold = Fraction(str(initial_lr)) * Fraction(rng.choice((3, 45, 7, 9)), rng.choice((10, 100)))
    if rng.random() < 0.7 and floor < threshold < Fraction(str(initial_lr)):
        given["threshold"] = float(threshold)  # a short decimal: its float's repr writes it back exactly
    return given


def _schedule(name: str, rng: random.Random, lr: Fraction, horizon: int) -> tuple[dict[str, Any], Fraction]:
    """The schedule's arguments (some left out: torch's defaults), and the lowest rate it keeps to."""
    optional = lambda: rng.random() < 0.6  # noqa: E731
    schedule: dict[str, Any] = {"name": name}
    floor = Fraction(0)
    if name == "step":
        schedule["step_size"] = rng.randint(1, 4)
        if optional():
            schedule["gamma"] = rng.choice((0.5, 0.8, 0.9))
    elif name == "multistep":
        schedule["milestones"] = sorted(rng.sample(range(1, horizon + 1), rng.randint(1, min(3, horizon))))
        gamma = rng.choice((0.5, 0.2)) if optional() else 0.1
        if gamma != 0.1:
            schedule["gamma"] = gamma
        floor = lr * Fraction(str(gamma)) ** len(schedule["milestones"])
    elif name == "linear":
        factors = {"start_factor": rng.choice((0.25, 0.5, 1)), "end_factor": rng.choice((0.1, 0.5, 1))}
        if factors["start_factor"] == factors["end_factor"]:
            factors["end_factor"] = 0.1
        schedule["total_iters"] = rng.randint(2, 5)
        schedule.update({key: value for key, value in factors.items() if optional()})
        defaults = {"start_factor": Fraction(1, 3), "end_factor": Fraction(1)}  # LinearLR's
        floor = lr * min(Fraction(str(schedule[key])) if key in schedule else defaults[key] for key in factors)
    elif name == "inverse_time":
        schedule["decay"] = rng.choice((0.25, 0.5, 1, 2))
    elif name == "exponential":
        schedule["gamma"] = rng.choice((0.5, 0.8, 0.9))
    else:  # cosine
        schedule["T_max"] = rng.randint(2, 8)
        if optional():
            schedule["eta_min"] = float(lr / 10)
            floor = lr / 10
    return schedule, floor

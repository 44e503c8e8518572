"""The given of an lr_schedule problem: its keys (GIVEN) and the schedule, by torch.optim.lr_scheduler's argument
names and defaults."""

from __future__ import annotations

from dataclasses import dataclass, replace
from fractions import Fraction
from itertools import pairwise

from hwsolver.compute.schedules import SCHEDULES, Schedule, Warmup
from hwsolver.kinds.base import Given, Key
from hwsolver.spec.node import Node

MAX_HORIZON = 1000
# Each schedule's arguments: required ones first, then those with torch's defaults (Schedule's).
ARGUMENTS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "step": (("step_size",), ("gamma",)),
    "multistep": (("milestones",), ("gamma",)),
    "linear": ((), ("start_factor", "end_factor", "total_iters")),
    "inverse_time": (("decay",), ()),
    "exponential": (("gamma",), ()),
    "cosine": (("T_max",), ("eta_min",)),
}


@dataclass(frozen=True)
class ScheduleProblem:
    schedule: Schedule
    horizon: int
    threshold: Fraction | None = None


GIVEN = Given(
    (
        Key("initial_lr", "a number > 0", "lr_0: the rate at step 0 (the optimizer's lr)", "0.1"),
        Key(
            "schedule",
            f"{{name: one of {', '.join(SCHEDULES)}, ...}} with torch's argument names",
            "how the rate changes with the step t (README: Learning-rate schedules)",
            "{name: step, step_size: 10, gamma: 0.5}",
        ),
        Key("horizon", f"an integer from 1 to {MAX_HORIZON}", "T: the rates of steps 0 .. T-1 are asked", "30"),
        Key(
            "warmup",
            "{total_iters: W, start_factor: ...} (start_factor default 1/3)",
            "a linear warmup from start_factor * lr_0 over W steps; the schedule starts counting after it",
            "{total_iters: 5, start_factor: 0.1}",
            default="(no warmup)",
        ),
        Key(
            "threshold",
            "a number > 0",
            "asks for the first step whose rate is below it",
            "0.01",
            default="(not asked)",
        ),
    )
)


def parse_given(node: Node) -> ScheduleProblem:
    fields = GIVEN.fields(node)
    schedule = _schedule(fields["schedule"], fields["initial_lr"].number(above=0))
    if "warmup" in fields:
        entries = fields["warmup"].fields(["total_iters"], ["start_factor"])
        warmup = Warmup(entries["total_iters"].integer(minimum=1))
        if "start_factor" in entries:
            warmup = Warmup(warmup.total_iters, _factor(entries["start_factor"], open_low=True))
        schedule = replace(schedule, warmup=warmup)
    horizon = fields["horizon"].integer(minimum=1)
    if horizon > MAX_HORIZON:
        raise fields["horizon"].error(f"at most {MAX_HORIZON}")
    threshold = fields["threshold"].number(above=0) if "threshold" in fields else None
    return ScheduleProblem(schedule, horizon, threshold)


def _schedule(node: Node, initial_lr: Fraction) -> Schedule:
    entries = node.mapping()
    if "name" not in entries:
        raise node.error(f"missing key 'name' (one of {', '.join(SCHEDULES)})")
    name = entries["name"].choice(SCHEDULES)
    required, optional = ARGUMENTS[name]
    fields = node.fields(["name", *required], optional)
    values: dict = {}
    for key, value in fields.items():
        if key in ("step_size", "T_max", "total_iters"):
            values[key] = value.integer(minimum=1)
        elif key == "milestones":
            values[key] = _milestones(value)
        elif key == "gamma":
            values[key] = _factor(value, open_low=True)
        elif key in ("start_factor", "end_factor"):
            values[key] = _factor(value, open_low=key == "start_factor")
        elif key in ("decay", "eta_min"):
            values[key] = value.number(above=0) if key == "decay" else value.number(minimum=0)
    if name == "cosine" and values.get("eta_min", 0) > initial_lr:
        raise fields["eta_min"].error("eta_min is above the initial rate")
    return Schedule(name, initial_lr, **values)


def _milestones(node: Node) -> tuple[int, ...]:
    steps = tuple(item.integer(minimum=1) for item in node.items())
    if not steps or any(a >= b for a, b in pairwise(steps)):
        raise node.error("expected increasing steps, as in [10, 20]")
    return steps


def _factor(node: Node, *, open_low: bool) -> Fraction:
    value = node.number()
    if not (value > 0 if open_low else value >= 0) or value > 1:
        raise node.error(f"expected a factor in {'(0' if open_low else '[0'}, 1], got {node.value}")
    return value

"""The steps of an optimizer_step problem and the answers they give: the kind's parts in their order, and one run
of the optimizer (exact, or in float64 with a slip or from a student's own values: grading.py)."""

from __future__ import annotations

from typing import Any

from hwsolver.compute import optimizers
from hwsolver.compute.optimizers import RIGHT, Gradient, Own, Slip, Step
from hwsolver.kinds.base import PartInfo
from hwsolver.kinds.optimizer_step.given import OptimizerProblem

# The kind's order of computation: a later part may follow through from an earlier one (grading.py).
PARTS = (
    PartInfo("trajectory", "a list of parameter mappings: the start, then the parameters after each step"),
    PartInfo("params_after", "parameter name -> number: the parameters after the last step"),
    PartInfo(
        "objective_history", "a list of numbers: the objective before each step and after the last (with an objective)"
    ),
    PartInfo("state", "a list per step of {state name: {parameter: number}}, torch's names (momentum_buffer, ...)"),
    PartInfo("corrected_moments", "a list per step of {exp_avg: {...}, exp_avg_sq: {...}} divided by 1 - beta^t"),
)


def parts_for(given: OptimizerProblem) -> tuple[str, ...]:
    skip = set()
    if given.objective is None:
        skip.add("objective_history")
    if not given.optimizer.state_names:
        skip.add("state")
    if given.optimizer.name not in ("adam", "adamw"):
        skip.add("corrected_moments")
    return tuple(part.id for part in PARTS if part.id not in skip)


def gradient_source(given: OptimizerProblem, *, exact: bool) -> Gradient:
    """Each step's gradient: the given one, else the objective's at the step's parameters."""
    if given.gradients is not None:
        table = given.gradients if exact else tuple({k: float(v) for k, v in g.items()} for g in given.gradients)
        return lambda t, point: table[t - 1]
    objective = given.objective
    assert objective is not None  # parse_given asks for one of the two
    return lambda t, point: objective.gradient(point) if exact else objective.float_gradient(point)


def run(given: OptimizerProblem, *, exact: bool, slip: Slip = RIGHT, own: Own = Own()) -> tuple[Step, ...]:  # noqa: B008
    """The problem's steps (with a slip, or from a student's own values: grading.py)."""
    gradient = gradient_source(given, exact=exact)
    return optimizers.run(given.optimizer, given.start, gradient, given.steps, exact=exact, slip=slip, own=own)


def answers(given: OptimizerProblem, steps: tuple[Step, ...], *, exact: bool) -> dict[str, Any]:
    """Every answer of parts_for from the steps taken."""
    start = dict(given.start) if exact else {name: float(value) for name, value in given.start.items()}
    trajectory = (start, *(s.after for s in steps))
    found: dict[str, Any] = {"trajectory": trajectory, "params_after": trajectory[-1]}
    if given.objective is not None:
        value = given.objective.value if exact else given.objective.float_value
        found["objective_history"] = tuple(value(point) for point in trajectory)
    found["state"] = tuple(s.state for s in steps)
    found["corrected_moments"] = tuple(
        {"exp_avg": s.values.get("m_hat"), "exp_avg_sq": s.values.get("v_hat")} for s in steps
    )
    return {part: found[part] for part in parts_for(given)}

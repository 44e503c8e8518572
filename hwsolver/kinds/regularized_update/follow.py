"""Follow-through on a regularized_update problem: the steps as a chain of what a student writes down
(model.Chain: each step's gradients, parameters after and penalty, one parameter at a time; the grader rounds each
to see how far rounding on the way moves the answers), re-run from the student's own gradients (the parameters
after) and, over several steps, their own parameters after each step (the next step's penalty).

Not sound to carry on (`trivial`): gradients that are the parameters or a multiple of them (no data gradient in
them), parameters after that are those the step started from (no step taken).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from hwsolver.compute.closeness import allclose
from hwsolver.compute.layers.arrays import from_numpy
from hwsolver.compute.regularization import Regularized, rounded_to_zero
from hwsolver.model import Chain, Problem, Route, Solution

Values = Mapping[str, Any]


def chain(problem: Problem, solution: Solution) -> Chain:
    """Step t's gradient G{t}.name and parameter P{t}.name, and its penalty{t} at the parameters it starts from."""
    given: Regularized = problem.given
    lam, eta, l2 = float(given.strength), float(given.learning_rate), given.regularizer == "l2"
    steps: list[tuple[str, Any]] = []

    def before(t: int, name: str) -> Any:
        if t == 0:
            value = np.array(given.params[name], dtype=float)
            return lambda v: value
        return lambda v: v[f"P{t - 1}.{name}"]

    def sign(t: int, name: str) -> Any:  # of the parameters step t starts from; 0 where the step before left 0
        if t == 0:
            return lambda v: np.sign(before(0, name)(v))
        operands = lambda v: np.abs(before(t - 1, name)(v)) + np.abs(eta * v[f"G{t - 1}.{name}"])  # noqa: E731
        return lambda v: np.where(rounded_to_zero(before(t, name)(v), operands(v)), 0.0, np.sign(before(t, name)(v)))

    for t, data in enumerate(given.data_gradients):
        for name in given.params:
            start, g = before(t, name), np.array(data[name], dtype=float)
            if not given.regularized(name):
                steps.append((f"G{t}.{name}", lambda v, g=g: g))
            elif l2:
                steps.append((f"G{t}.{name}", lambda v, g=g, start=start: g + lam * start(v)))
            else:
                slope = sign(t, name)
                steps.append((f"G{t}.{name}", lambda v, g=g, slope=slope: g + lam * slope(v)))
            steps.append((f"P{t}.{name}", lambda v, t=t, name=name, start=start: start(v) - eta * v[f"G{t}.{name}"]))
        starts = [before(t, name) for name in given.params if given.regularized(name)]
        steps.append((f"penalty{t}", lambda v, starts=starts: _penalty(lam, l2, [start(v) for start in starts])))
    per_step = (lambda values: tuple(values)) if given.steps > 1 else (lambda values: values[0])
    answers = {
        "gradients": lambda v: per_step([_named(given, v, f"G{t}") for t in range(given.steps)]),
        "params_after": lambda v: per_step([_named(given, v, f"P{t}") for t in range(given.steps)]),
        "penalty": lambda v: per_step([v[f"penalty{t}"] for t in range(given.steps)]),
    }
    return Chain(tuple(steps), answers)


def _penalty(lam: float, l2: bool, arrays: list[Any]) -> float:
    flat = np.concatenate([np.ravel(a) for a in arrays]) if arrays else np.zeros(0)
    return lam / 2 * float(flat @ flat) if l2 else lam * float(np.sum(np.abs(flat)))


def _named(given: Regularized, v: Values, prefix: str) -> dict[str, Any]:
    return {name: from_numpy(np.asarray(v[f"{prefix}.{name}"])) for name in given.params}


def _steps_of(given: Regularized, value: Any, prefix: str) -> dict[str, Any]:
    """The student's parameters by name (one set, or one per step) as the chain's steps `prefix`{t}.name."""
    sets = value if given.steps > 1 else (value,)
    if len(sets) != given.steps:
        raise ValueError("one set per step")
    found = {}
    for t, named in enumerate(sets):
        if not isinstance(named, Mapping) or set(named) != set(given.params):
            raise KeyError("parameters by their names")
        for name, reference in given.params.items():
            array = np.array(named[name], dtype=float)
            if array.shape != np.shape(reference):
                raise ValueError(f"{name}: another shape")
            found[f"{prefix}{t}.{name}"] = array
    return found


def follow_through(problem: Problem, solution: Solution) -> tuple[Route, ...]:
    """The parameters after each step from the student's own gradients; over several steps, each step's penalty
    from their own parameters after the step before."""
    given: Regularized = problem.given
    built = chain(problem, solution)

    def rerun(part: str, uses: str, prefix: str) -> Route:
        def compute(values: Values) -> Any:
            return built.answers[part](built.values(_steps_of(given, values[uses], prefix)))

        return Route(part, (uses,), compute)

    routes = [rerun("params_after", "gradients", "G")]
    if given.steps > 1:
        routes.append(rerun("penalty", "params_after", "P"))
    return tuple(routes)


def trivial(problem: Problem, solution: Solution, part: str, value: Any) -> bool:
    """Gradients that are the parameters (or a multiple of them: no data gradient in them), and parameters after
    that are those the step started from (no step taken)."""
    given: Regularized = problem.given
    if part not in ("gradients", "params_after") or "steps" not in solution.work:
        return False
    steps = solution.work["steps"]
    if part == "gradients" and any(_multiple(_flat(s.gradients, s.before), _flat(s.before, s.before)) for s in steps):
        return False  # the right gradients are such a multiple themselves: it says nothing
    values = value if given.steps > 1 else (value,)
    try:
        if len(values) != len(steps):
            return False
        for step, written in zip(steps, values):
            before = _flat(step.before, step.before)
            got = _flat(written, step.before)
            if got.shape != before.shape:
                return False
            if part == "params_after" and allclose(got, before, rtol=5e-3, atol=1e-12):
                continue
            if part == "gradients" and _multiple(got, before):
                continue
            return False
    except (TypeError, ValueError, KeyError):
        return False
    return True


def _flat(named: Any, reference: Mapping[str, Any]) -> np.ndarray:
    """A set of parameters as one vector, in the reference's order of names."""
    if not isinstance(named, Mapping):
        raise TypeError("parameters by name")
    return np.concatenate([np.ravel(np.array(named[name], dtype=float)) for name in reference])


def _multiple(got: np.ndarray, before: np.ndarray) -> bool:
    """got = c * before for one c, entry by entry within the rounding of three figures."""
    scale = float(before @ before)
    if scale == 0:
        return False
    c = float(got @ before) / scale
    return allclose(got, c * before, rtol=5e-3, atol=1e-12)

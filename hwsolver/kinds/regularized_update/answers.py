"""The parts of a regularized_update problem and its answers, assembled alike from the exact steps and from a
float64 run (the right one, or one with a slip: grading.py)."""

from __future__ import annotations

from typing import Any

from hwsolver.compute.layers.arrays import from_numpy
from hwsolver.compute.regularization import FloatStep, Regularized, Step, decay_factor_vectorized
from hwsolver.kinds.base import PartInfo

# The penalty last: from the second step on it is taken at the parameters after the step before.
PARTS = (
    PartInfo("decay_factor", "a number: 1 - eta lambda, what an L2 step multiplies each regularized weight by"),
    PartInfo(
        "gradients",
        "parameters by name, like params: the gradients of the regularized objective (several steps: one such set "
        "per step)",
    ),
    PartInfo("params_after", "parameters by name: their values after the step (several steps: after each step)"),
    PartInfo("penalty", "a number: the penalty at the parameters the step starts from (several steps: one per step)"),
)


def parts_for(given: Regularized) -> tuple[str, ...]:
    every = tuple(part.id for part in PARTS)
    return every if given.regularizer == "l2" else tuple(p for p in every if p != "decay_factor")


def exact_answers(given: Regularized, steps: tuple[Step, ...]) -> dict[str, Any]:
    return _assemble(
        given,
        penalties=[s.penalty for s in steps],
        gradients=[s.gradients for s in steps],
        after=[s.after for s in steps],
        decay=given.decay_factor,
    )


def float_answers(
    given: Regularized, steps: tuple[FloatStep, ...], slip: str | tuple[str, ...] | None = None
) -> dict[str, Any]:
    """The answers of a float64 run, the right one or that of `slip` (which the steps were run with)."""
    named = lambda arrays: {name: from_numpy(array) for name, array in arrays.items()}  # noqa: E731
    return _assemble(
        given,
        penalties=[s.penalty for s in steps],
        gradients=[named(s.gradients) for s in steps],
        after=[named(s.after) for s in steps],
        decay=decay_factor_vectorized(given, slip),
    )


def _assemble(given: Regularized, *, penalties: list, gradients: list, after: list, decay: Any) -> dict[str, Any]:
    """One value per part; per step (a tuple) when there are several steps."""
    per_step = (lambda values: tuple(values)) if given.steps > 1 else (lambda values: values[0])
    answers = {
        "decay_factor": decay,
        "gradients": per_step(gradients),
        "params_after": per_step(after),
        "penalty": per_step(penalties),
    }
    return {part: answers[part] for part in parts_for(given)}

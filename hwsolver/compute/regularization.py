"""Gradient steps on a regularized objective L'(theta) = L(theta) + penalty(theta), from given data gradients.

L2: penalty (lambda/2) sum w^2, its gradient lambda w, so a step is w <- (1 - eta lambda) w - eta dL/dw (weight
decay). L1: penalty lambda sum |w|, its subgradient lambda sign(w) with sign(0) = 0. Parameters outside the
penalty (the biases, as the lecture says, unless asked otherwise) take the plain step w - eta dL/dw.

Two paths: exact, entry by entry (Fractions: every value here is rational), and vectorized in float64 NumPy,
which the witness compares and which also works each classic slip out (`SLIPS`: one named switch each).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from hwsolver.compute.layers.arrays import Array, deep_map
from hwsolver.compute.slips import named_slips

REGULARIZERS = ("l2", "l1")
# The slips the vectorized path can make, by the name of the mistake each is.
SLIPS = ("bias_decayed", "missing_half", "l1_as_l2", "sign_zero_as_one", "penalty_left_out")
Named = Mapping[str, Any]  # parameter name -> a number, a vector or a matrix (nested tuples)


@dataclass(frozen=True)
class Regularized:
    """Parameters, the data loss's gradient at each step, and the penalty's settings."""

    params: Named  # in the problem's order
    biases: frozenset[str]  # the names that are biases
    data_gradients: tuple[Named, ...]  # dL/dtheta without the penalty, one mapping per step
    regularizer: str  # "l2" or "l1"
    strength: Fraction  # lambda
    learning_rate: Fraction  # eta
    regularize_biases: bool = False

    @property
    def steps(self) -> int:
        return len(self.data_gradients)

    def regularized(self, name: str, *, biases_too: bool = False) -> bool:
        """Whether the penalty reads this parameter (the biases only when asked, or by the slip)."""
        return self.regularize_biases or biases_too or name not in self.biases

    @property
    def decay_factor(self) -> Fraction:
        """1 - eta lambda: what an L2 step multiplies each regularized weight by before the data step."""
        return 1 - self.learning_rate * self.strength


@dataclass(frozen=True)
class Step:
    """One gradient step: the parameters it starts from, the penalty there, the regularized gradients and the
    parameters after."""

    before: Named
    penalty: Any
    gradients: Named
    after: Named


def sign(value: Any) -> int:
    """-1, 0 or 1: the subgradient of |w| the lecture takes, sign(0) = 0."""
    return (value > 0) - (value < 0)


def _entries(value: Array) -> list[Any]:
    return [x for item in value for x in _entries(item)] if isinstance(value, tuple) else [value]


def _zip_map(function: Any, first: Array, second: Array) -> Array:
    if isinstance(first, tuple):
        return tuple(_zip_map(function, a, b) for a, b in zip(first, second, strict=True))
    return function(first, second)


def train(problem: Regularized) -> tuple[Step, ...]:
    """Every step in exact arithmetic, entry by entry."""
    lam, eta, l2 = problem.strength, problem.learning_rate, problem.regularizer == "l2"
    params, steps = dict(problem.params), []
    for data in problem.data_gradients:
        kept = [name for name in params if problem.regularized(name)]
        values = [x for name in kept for x in _entries(params[name])]
        penalty = lam / 2 * sum(x * x for x in values) if l2 else lam * sum(abs(x) for x in values)
        own = {
            name: deep_map((lambda w: lam * w) if l2 else (lambda w: lam * sign(w)), params[name])
            if name in kept
            else deep_map(lambda w: 0 * w, params[name])
            for name in params
        }
        gradients = {name: _zip_map(lambda g, r: g + r, data[name], own[name]) for name in params}
        after = {name: _zip_map(lambda w, g: w - eta * g, params[name], gradients[name]) for name in params}
        steps.append(Step(params, Fraction(penalty), gradients, after))
        params = after
    return tuple(steps)


def decay_factor_vectorized(problem: Regularized, slip: str | tuple[str, ...] | None = None) -> float:
    """1 - eta lambda in float64; the 1/2 of the L2 term dropped (`slip`) makes it 1 - 2 eta lambda."""
    scale = 2.0 if "missing_half" in named_slips(slip, SLIPS) else 1.0
    return 1 - scale * float(problem.learning_rate) * float(problem.strength)


_ROUNDING = 64 * np.finfo(float).eps  # float64's error on a difference, relative to its operands, and margin


def rounded_to_zero(w: np.ndarray, operands: Any) -> np.ndarray:
    """Where w, a float64 difference of operands of size `operands` (|w_before| + |eta g|), is within rounding of
    0: a weight the exact steps leave at 0 (0.3 - 1 * (0.2 + 0.1) is 5.6e-17 in float64), whose sign is 0."""
    return np.abs(w) <= _ROUNDING * operands


@dataclass(frozen=True)
class FloatStep:
    penalty: float
    gradients: dict[str, np.ndarray]
    after: dict[str, np.ndarray]


def train_vectorized(problem: Regularized, slip: str | tuple[str, ...] | None = None) -> tuple[FloatStep, ...]:
    """Every step in float64, each parameter as a whole array; `slip` (one of SLIPS) makes one classic mistake:
    the biases decayed too, the 1/2 of the L2 term dropped (2 lambda), the L1 term taken as L2, sign(0) taken as
    1, or the penalty left out of the gradient; several slips (a tuple) make those mistakes together."""
    slips = named_slips(slip, SLIPS)
    lam, eta = float(problem.strength), float(problem.learning_rate)
    l2 = problem.regularizer == "l2" or "l1_as_l2" in slips
    scale = 2.0 if "missing_half" in slips else 1.0
    params = {name: np.array(value, dtype=float) for name, value in problem.params.items()}
    operands = {name: np.zeros_like(w) for name, w in params.items()}  # the sizes each entry was computed from
    steps = []
    for data in problem.data_gradients:
        kept = [name for name in params if problem.regularized(name, biases_too="bias_decayed" in slips)]
        squares = sum(float(np.sum(params[name] ** 2)) for name in kept)
        absolutes = sum(float(np.sum(np.abs(params[name]))) for name in kept)
        penalty = scale * lam / 2 * squares if l2 else lam * absolutes
        gradients = {}
        for name, w in params.items():
            g = np.array(data[name], dtype=float)
            if name in kept and "penalty_left_out" not in slips:
                zero = rounded_to_zero(w, operands[name])
                slope = np.where(zero, 1.0 if "sign_zero_as_one" in slips else 0.0, np.sign(w))
                g = g + (scale * lam * w if l2 else lam * slope)
            gradients[name] = g
        after = {name: w - eta * gradients[name] for name, w in params.items()}
        operands = {name: np.abs(w) + np.abs(eta * gradients[name]) for name, w in params.items()}
        steps.append(FloatStep(penalty, gradients, after))
        params = after
    return tuple(steps)

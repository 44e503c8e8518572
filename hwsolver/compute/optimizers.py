"""Optimizer steps as torch.optim computes them (its single-tensor loops), one parameter at a time, in any number
type: Fractions and 50-digit mpmath numbers for the exact path (square roots leave Fractions only where they are
not perfect squares), Python floats (float64) for the other.

The classic mistakes are this same computation with one switch of `Slip` flipped; `own` replaces a step's state,
or the parameters a step starts from, with a student's (follow-through re-runs the right method from them).
The README ("Optimizers") states each update as written here and where it matches or differs from PyTorch.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import mpmath

from hwsolver.numbers import PRECISION_DIGITS, exact_sqrt, high_precision

OPTIMIZERS = ("sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "adamw")
FORMS = ("torch", "heavy_ball")
# The state torch.optim keeps per parameter (its names), by optimizer; heavy_ball's velocity is not torch's.
STATE_NAMES: dict[str, tuple[str, ...]] = {
    "sgd": (),
    "momentum": ("momentum_buffer",),
    "nesterov": ("momentum_buffer",),
    "adagrad": ("sum",),
    "rmsprop": ("square_avg",),
    "adam": ("exp_avg", "exp_avg_sq"),
    "adamw": ("exp_avg", "exp_avg_sq"),
}

Point = Mapping[str, Any]
Gradient = Callable[[int, Point], Mapping[str, Any]]  # (step from 1, parameters) -> gradient


@dataclass(frozen=True)
class Optimizer:
    """An optimizer and its hyperparameters, by torch's names (defaults: README, kinds/optimizer_step/given.py)."""

    name: str
    lr: Fraction
    momentum: Fraction = Fraction(0)
    dampening: Fraction = Fraction(0)
    alpha: Fraction = Fraction(99, 100)
    eps: Fraction = Fraction(1, 10**8)
    betas: tuple[Fraction, Fraction] = (Fraction(9, 10), Fraction(999, 1000))
    weight_decay: Fraction = Fraction(0)
    initial_accumulator_value: Fraction = Fraction(0)
    form: str = "torch"

    @property
    def state_names(self) -> tuple[str, ...]:
        if self.form == "heavy_ball":
            return ("velocity",)
        if self.name == "rmsprop" and self.momentum:
            return ("square_avg", "momentum_buffer")
        return STATE_NAMES[self.name]

    @property
    def decoupled(self) -> bool:
        """Weight decay on the weights (lr * wd * theta, AdamW) rather than on the gradient (L2, all others)."""
        return self.name == "adamw"


@dataclass(frozen=True)
class Slip:
    """The classic mistakes, each a switch of the one computation below (all off: the right method)."""

    no_bias_correction: bool = False  # Adam's m and v used as they are
    bias_step: int = 0  # bias correction with 1 - beta^(t + bias_step), t from 1 (betas < 1: never 0)
    eps_inside_sqrt: bool = False  # sqrt(v + eps) for sqrt(v) + eps
    velocity_sign_flipped: bool = False  # momentum's step taken along the velocity's other sign
    lr_moved: bool = False  # lr inside the velocity (torch form) or outside it (heavy ball)
    accumulator_reset: bool = False  # AdaGrad's sum starts again from its initial value at every step
    decay_switched: bool = False  # coupled L2 for decoupled weight decay, or the other way


RIGHT = Slip()


@dataclass(frozen=True)
class Step:
    """One step: the parameters it starts from, the gradient there, what the update worked out (by name, per
    parameter: "g" with weight decay, "decayed", "m_hat", "denom", ...), torch's state after it, and the result."""

    t: int
    before: dict[str, Any]
    grad: dict[str, Any]
    values: dict[str, dict[str, Any]]
    state: dict[str, dict[str, Any]]
    after: dict[str, Any]


@dataclass(frozen=True)
class Own:
    """A student's values the re-run takes instead of its own: parameters each step starts from (index k for step
    k + 1), or the state after each step (index k for step k + 1); None: the run's own."""

    points: Sequence[Point] | None = None
    states: Sequence[Mapping[str, Point]] | None = None


@dataclass
class _Arith:
    sqrt: Callable[[Any], Any]
    number: Callable[[Fraction], Any]


EXACT = _Arith(exact_sqrt, lambda q: q)
FLOAT = _Arith(math.sqrt, float)


def run(
    opt: Optimizer,
    start: Point,
    gradient: Gradient,
    steps: int,
    *,
    exact: bool = True,
    slip: Slip = RIGHT,
    own: Own = Own(),
) -> tuple[Step, ...]:
    """`steps` updates of `opt` from `start`, each from the gradient at the parameters it starts from."""
    arith = EXACT if exact else FLOAT
    theta = {name: arith.number(value) for name, value in start.items()}
    state: dict[str, dict[str, Any]] = {}
    done = []
    with mpmath.workdps(PRECISION_DIGITS):
        for t in range(1, steps + 1):
            if own.points is not None:
                theta = {name: float(value) for name, value in own.points[t - 1].items()}
            grad = dict(gradient(t, theta))
            replace = own.states[t - 1] if own.states is not None else None
            values: dict[str, dict[str, Any]] = {}
            after, following = {}, {}
            for name in theta:
                mine = {key: state[key][name] for key in state}
                after[name], new, worked = _update(opt, slip, arith, t, theta[name], grad[name], mine, name, replace)
                for key, value in new.items():
                    following.setdefault(key, {})[name] = value
                for key, value in worked.items():
                    values.setdefault(key, {})[name] = value
            state = following
            shown = {key: dict(state[key]) for key in opt.state_names}
            done.append(Step(t, dict(theta), grad, values, shown, after))
            theta = after
    return tuple(done)


def _update(
    opt: Optimizer,
    slip: Slip,
    arith: _Arith,
    t: int,
    theta: Any,
    grad: Any,
    state: dict[str, Any],
    name: str,
    replace: Mapping[str, Point] | None,
) -> tuple[Any, dict[str, Any], dict[str, Any]]:
    """One parameter's update: (its new value, its new state, what was worked out on the way)."""
    n = arith.number

    def own(key: str, value: Any) -> Any:  # the state the step goes on with: its own, or the student's
        return float(replace[key][name]) if replace is not None else value

    lr, wd, eps = n(opt.lr), n(opt.weight_decay), n(opt.eps)
    g, worked = grad, {}
    if wd:
        if opt.decoupled != slip.decay_switched:
            theta = worked["decayed"] = theta * (1 - lr * wd)  # AdamW: decay the weights first
        else:
            g = grad + wd * theta  # L2 coupled into the gradient, as torch's weight_decay
    worked["g"] = g

    def root(value: Any) -> Any:  # the denominator of the adaptive methods
        return arith.sqrt(value + eps) if slip.eps_inside_sqrt else arith.sqrt(value) + eps

    new: dict[str, Any] = {}
    if opt.name == "sgd":
        delta = -lr * g
    elif opt.name in ("momentum", "nesterov"):
        mu = n(opt.momentum)
        heavy = opt.form == "heavy_ball"
        inside = heavy != slip.lr_moved  # lr inside the velocity (heavy ball), or applied after it (torch)
        scale = lr if inside else n(Fraction(1))
        if heavy:  # v = mu v - lr g; theta + v
            new["velocity"] = own("velocity", mu * state.get("velocity", 0 * g) - scale * g)
            step = new["velocity"]
        else:  # torch: buf = g at the first step, then mu buf + (1 - dampening) g; theta - lr buf
            before = state.get("momentum_buffer")
            buf = scale * g if before is None else mu * before + (1 - n(opt.dampening)) * scale * g
            new["momentum_buffer"] = own("momentum_buffer", buf)
            push = scale * g + mu * new["momentum_buffer"] if opt.name == "nesterov" else new["momentum_buffer"]
            step = -push
        delta = step if inside else lr * step
        if slip.velocity_sign_flipped:
            delta = -delta
    elif opt.name == "adagrad":
        start = n(opt.initial_accumulator_value)
        total = (start if slip.accumulator_reset else state.get("sum", start)) + g * g
        new["sum"] = own("sum", total)
        worked["denom"] = root(new["sum"])
        delta = -lr * _div(g, worked["denom"])
    elif opt.name == "rmsprop":
        alpha = n(opt.alpha)
        new["square_avg"] = own("square_avg", alpha * state.get("square_avg", 0 * g) + (1 - alpha) * g * g)
        worked["denom"] = root(new["square_avg"])
        if opt.momentum:
            buf = n(opt.momentum) * state.get("momentum_buffer", 0 * g) + _div(g, worked["denom"])
            new["momentum_buffer"] = own("momentum_buffer", buf)
            delta = -lr * new["momentum_buffer"]
        else:
            delta = -lr * _div(g, worked["denom"])
    else:  # adam, adamw
        beta1, beta2 = n(opt.betas[0]), n(opt.betas[1])
        new["exp_avg"] = own("exp_avg", beta1 * state.get("exp_avg", 0 * g) + (1 - beta1) * g)
        new["exp_avg_sq"] = own("exp_avg_sq", beta2 * state.get("exp_avg_sq", 0 * g) + (1 - beta2) * g * g)
        k = t + slip.bias_step
        one = n(Fraction(1))
        worked["bc1"] = one if slip.no_bias_correction else 1 - beta1**k
        worked["bc2"] = one if slip.no_bias_correction else 1 - beta2**k
        worked["m_hat"] = new["exp_avg"] / worked["bc1"]
        worked["v_hat"] = new["exp_avg_sq"] / worked["bc2"]
        # torch: (lr / bc1) m / (sqrt(v) / sqrt(bc2) + eps), the same number as lr m_hat / (sqrt(v_hat) + eps)
        worked["denom"] = root(worked["v_hat"])
        delta = -lr * _div(worked["m_hat"], worked["denom"])
    return theta + delta, new, worked


def _div(top: Any, bottom: Any) -> Any:
    """top / bottom, also for a Fraction over an mpmath number (which Fraction's division does not take)."""
    if isinstance(top, Fraction) and not isinstance(bottom, Fraction | int | float):
        top = high_precision(top)
    return top / bottom

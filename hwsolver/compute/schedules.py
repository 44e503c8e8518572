"""Learning-rate schedules in closed form: the rate in force at step t (0, 1, ...), as a torch.optim.lr_scheduler
reports it after t calls of step(), exact (Fractions; cosine at 50 digits) or in float64.

torch computes some schedules recursively from the previous rate (CosineAnnealingLR's get_lr); the closed forms
here are the ones torch documents (its _get_closed_form_lr) and agree with the recursion to rounding (README).
A linear warmup of W steps runs first, as SequentialLR([LinearLR(start_factor, 1, W), schedule], [W]) does: the
schedule then starts its own count at 0. `shift` is the classic slip of counting steps off by one.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import mpmath

from hwsolver.numbers import PRECISION_DIGITS, high_precision

SCHEDULES = ("step", "multistep", "linear", "inverse_time", "exponential", "cosine")
# The search for the first step below a threshold stops here (a schedule may never get there).
MAX_SEARCH = 100_000


@dataclass(frozen=True)
class Warmup:
    total_iters: int
    start_factor: Fraction = Fraction(1, 3)  # LinearLR's default


@dataclass(frozen=True)
class Schedule:
    """A schedule and its arguments, by torch's names (inverse_time's `decay`: lr_0 / (1 + decay t))."""

    name: str
    initial_lr: Fraction
    step_size: int = 1
    gamma: Fraction = Fraction(1, 10)
    milestones: tuple[int, ...] = ()
    start_factor: Fraction = Fraction(1, 3)
    end_factor: Fraction = Fraction(1)
    total_iters: int = 5
    T_max: int = 1
    eta_min: Fraction = Fraction(0)
    decay: Fraction = Fraction(0)
    warmup: Warmup | None = None


def rate(schedule: Schedule, t: int, *, exact: bool = True, shift: int = 0) -> Any:
    """The rate in force at step t (the slip `shift` reads step t + shift, never before step 0)."""
    t = max(t + shift, 0)
    warmup = schedule.warmup
    if warmup is not None and t < warmup.total_iters:
        factor = warmup.start_factor + (1 - warmup.start_factor) * Fraction(t, warmup.total_iters)
        return _number(schedule.initial_lr * factor, exact)
    if warmup is not None:
        t -= warmup.total_iters
    return _main(schedule, t, exact)


def _main(s: Schedule, t: int, exact: bool) -> Any:
    lr = s.initial_lr
    if s.name == "step":
        return _number(lr * s.gamma ** (t // s.step_size), exact)
    if s.name == "multistep":
        return _number(lr * s.gamma ** sum(1 for m in s.milestones if m <= t), exact)
    if s.name == "linear":
        done = Fraction(min(t, s.total_iters), s.total_iters)
        return _number(lr * (s.start_factor + (s.end_factor - s.start_factor) * done), exact)
    if s.name == "inverse_time":
        return _number(lr / (1 + s.decay * t), exact)
    if s.name == "exponential":
        return _number(lr * s.gamma**t, exact)
    # cosine: eta_min + (lr - eta_min) (1 + cos(pi t / T_max)) / 2, rational where the cosine is
    turn = Fraction(t, s.T_max) % 2
    known = {Fraction(0): 1, Fraction(1, 2): 0, Fraction(1): -1, Fraction(3, 2): 0}
    if turn in known:
        return _number(s.eta_min + (lr - s.eta_min) * (1 + known[turn]) / 2, exact)
    if not exact:
        return float(s.eta_min) + float(lr - s.eta_min) * (1 + math.cos(math.pi * t / s.T_max)) / 2
    with mpmath.workdps(PRECISION_DIGITS):
        cosine = mpmath.cos(mpmath.pi * t / s.T_max)
        return high_precision(s.eta_min) + high_precision(lr - s.eta_min) * (1 + cosine) / 2


def _number(value: Fraction, exact: bool) -> Any:
    return value if exact else float(value)


def rates(schedule: Schedule, horizon: int, *, exact: bool = True, shift: int = 0) -> tuple[Any, ...]:
    return tuple(rate(schedule, t, exact=exact, shift=shift) for t in range(horizon))


def first_below(schedule: Schedule, threshold: Fraction, *, exact: bool = True, shift: int = 0) -> int | None:
    """The first step whose rate is below `threshold`, or None when there is none up to MAX_SEARCH (a cosine
    repeats itself: one period after the warmup tells). Searched in float64, then settled exactly."""
    end = MAX_SEARCH
    if schedule.name == "cosine":
        end = (schedule.warmup.total_iters if schedule.warmup else 0) + 2 * schedule.T_max + 1
    limit = float(threshold)
    found = next((t for t in range(end) if rate(schedule, t, exact=False, shift=shift) < limit), None)
    if found is None or not exact:
        return found
    while found > 0 and _below(rate(schedule, found - 1, shift=shift), threshold):
        found -= 1
    while found < end and not _below(rate(schedule, found, shift=shift), threshold):
        found += 1
    return found if found < end else None


def _below(value: Any, threshold: Fraction) -> bool:
    return value < (threshold if isinstance(value, Fraction) else high_precision(threshold))

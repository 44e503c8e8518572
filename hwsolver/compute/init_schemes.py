"""Xavier/Glorot and He/Kaiming initialization as torch.nn.init defines them, exactly.

torch.nn.init: calculate_gain gives 1 (identity, sigmoid), 5/3 (tanh), sqrt(2) (relu), sqrt(2 / (1 + a^2))
(leaky_relu with negative slope a); xavier_* draws with std = gain * sqrt(2 / (fan_in + fan_out)) (gain 1 unless
given), kaiming_* with std = gain / sqrt(fan), fan = fan_in or fan_out (`mode`); a uniform draw is U(-bound, bound)
with bound = sqrt(3) * std. Every gain squared is rational, so the weights' variance Var(w) = std^2 is an exact
Fraction, and so is the variance of a pre-activation z = sum_k w_k x_k over fan_in inputs of variance Var(x)
(mean 0, independent of the weights): fan_in * Var(w) * Var(x). Square roots are exact where the rational is a
square, else mpmath numbers at 50 digits. The classic slips are switches of this one computation (InitSlips).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from hwsolver.numbers import exact_sqrt

SCHEMES = ("xavier_uniform", "xavier_normal", "kaiming_uniform", "kaiming_normal")
MODES = ("fan_in", "fan_out")
DEFAULT_SLOPE = Fraction(1, 100)  # calculate_gain's default for leaky_relu, and the course's leaky ReLU


def gain_squared(activation: str, negative_slope: Fraction = DEFAULT_SLOPE) -> Fraction:
    """calculate_gain(activation, negative_slope) ** 2, exactly."""
    if activation in ("identity", "sigmoid"):
        return Fraction(1)
    if activation == "tanh":
        return Fraction(25, 9)
    if activation == "relu":
        return Fraction(2)
    if activation == "leaky_relu":
        return 2 / (1 + negative_slope**2)
    raise ValueError(f"torch.nn.init.calculate_gain has no gain for {activation}")


@dataclass(frozen=True)
class InitSlips:
    """Each a classic slip; all off: torch's definitions."""

    fans_swapped: bool = False  # fan_in and fan_out exchanged (the weight matrix read the wrong way round)
    bound_as_std: bool = False  # the uniform bound sqrt(3) std taken for the standard deviation (variance x 3)
    std_as_bound: bool = False  # the standard deviation taken for the uniform bound (its sqrt(3) left out)
    gain_left_out: bool = False  # the gain taken as 1


@dataclass(frozen=True)
class LayerInit:
    """One layer's initialization: its fans, the gain, the weights' variance, the spread drawn with, and the
    variance of a pre-activation. Squares are exact; `gain` and `spread` are their square roots."""

    fan_in: int
    fan_out: int
    fan: int  # the fan in the formula: fan_in + fan_out (xavier) or the mode's fan (kaiming)
    gain2: Fraction
    variance: Fraction  # Var(w)
    spread2: Fraction  # bound^2 for a uniform draw, std^2 for a normal one
    preactivation: Fraction  # Var(z) = fan_in Var(w) Var(x)

    @property
    def gain(self) -> Any:
        return exact_sqrt(self.gain2)

    @property
    def spread(self) -> Any:
        return exact_sqrt(self.spread2)


def layer_init(
    fan_in: int,
    fan_out: int,
    scheme: str,
    *,
    gain2: Fraction,
    mode: str = "fan_in",
    input_variance: Fraction = Fraction(1),
    slips: InitSlips = InitSlips(),
) -> LayerInit:
    """A layer of `fan_in` inputs and `fan_out` units initialized by `scheme` with gain squared `gain2`."""
    if slips.fans_swapped:
        fan_in, fan_out = fan_out, fan_in
    if slips.gain_left_out:
        gain2 = Fraction(1)
    rule, draw = scheme.split("_")
    if rule == "xavier":
        fan = fan_in + fan_out
        target = gain2 * 2 / fan  # std^2 = gain^2 * 2 / (fan_in + fan_out)
    else:
        fan = fan_in if mode == "fan_in" else fan_out
        target = gain2 / fan  # std^2 = gain^2 / fan
    if draw == "uniform":  # bound = sqrt(3) std: U(-bound, bound) has variance bound^2 / 3
        spread2 = target if slips.std_as_bound else 3 * target
        variance = 3 * target if slips.bound_as_std else target
    else:
        spread2 = variance = 3 * target if slips.bound_as_std else target
    return LayerInit(fan_in, fan_out, fan, gain2, variance, spread2, fan_in * variance * input_variance)

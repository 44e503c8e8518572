"""The second witness to init_schemes.py: torch.nn.init's own float arithmetic, line for line.

Where init_schemes.py works with exact squares and takes one square root at the end, this follows torch's code:
calculate_gain, then std = gain * math.sqrt(2.0 / (fan_in + fan_out)) or gain / math.sqrt(fan), then
bound = math.sqrt(3.0) * std. The variances are then the floats' squares.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


def calculate_gain(nonlinearity: str, param: float | None = None) -> float:
    """torch.nn.init.calculate_gain for the course's activations (identity is torch's 'linear')."""
    if nonlinearity in ("identity", "sigmoid"):
        return 1.0
    if nonlinearity == "tanh":
        return 5.0 / 3
    if nonlinearity == "relu":
        return math.sqrt(2.0)
    if nonlinearity == "leaky_relu":
        negative_slope = 0.01 if param is None else param
        return math.sqrt(2.0 / (1 + negative_slope**2))
    raise ValueError(f"Unsupported nonlinearity {nonlinearity}")


@dataclass(frozen=True)
class FloatInit:
    gain: float
    variance: float
    spread: float  # the bound of a uniform draw, the std of a normal one
    preactivation: float


def torch_init(
    fan_in: int, fan_out: int, scheme: str, gain: float, mode: str = "fan_in", input_variance: float = 1.0
) -> FloatInit:
    """What torch.nn.init.<scheme>_ draws a (fan_out x fan_in) weight with, and the variances that follow."""
    if scheme.startswith("xavier"):
        std = gain * math.sqrt(2.0 / (fan_in + fan_out))
    else:
        std = gain / math.sqrt(fan_in if mode == "fan_in" else fan_out)
    bound = math.sqrt(3.0) * std
    if scheme.endswith("uniform"):
        variance = bound * bound / 3  # of U(-bound, bound)
        spread = bound
    else:
        variance, spread = std * std, std
    return FloatInit(gain, variance, spread, fan_in * variance * input_variance)

"""The activations and losses of the course's networks and layers: one table of each, with what every room needs
to know of them (whether exact rational arithmetic carries them, whether they act unit by unit, how a formula
writes them). The arithmetic itself is written twice on purpose, once per path (networks/exact.py and
networks/vectorized.py: two independent computations are the second witness); these tables name what exists.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Activation:
    latex: str  # its symbol in formulas: \sigma, \mathrm{ReLU}
    rational: bool  # Fractions carry it exactly (else the exact path works at 50 digits)
    elementwise: bool = True  # f(z)_j reads z_j alone; softmax reads the whole layer (output layers only)


@dataclass(frozen=True)
class Loss:
    formula: str  # LaTeX, as a handout states it (the same in every language)
    rational: bool
    squared: bool  # a sum of squared differences, dLoss/da = c (a - y): the losses operation counts cover


# The order is the one messages list them in ("expected one of: relu, leaky_relu, ...").
ACTIVATIONS: dict[str, Activation] = {
    "relu": Activation(r"\mathrm{ReLU}", rational=True),
    "leaky_relu": Activation(r"\mathrm{LReLU}", rational=True),
    "sigmoid": Activation(r"\sigma", rational=False),
    "tanh": Activation(r"\tanh", rational=False),
    "identity": Activation(r"\mathrm{id}", rational=True),
    "softmax": Activation(r"\mathrm{softmax}", rational=False, elementwise=False),
}
ELEMENTWISE = tuple(name for name, activation in ACTIVATIONS.items() if activation.elementwise)

LOSSES: dict[str, Loss] = {
    "half_squared_error": Loss(r"\mathcal{L} = \frac{1}{2}\sum_j (\hat{y}_j - y_j)^2", rational=True, squared=True),
    "squared_error": Loss(r"\mathcal{L} = \sum_j (\hat{y}_j - y_j)^2", rational=True, squared=True),
    "mean_squared_error": Loss(r"\mathcal{L} = \frac{1}{m}\sum_j (\hat{y}_j - y_j)^2", rational=True, squared=True),
    "cross_entropy": Loss(r"\mathcal{L} = -\sum_j y_j \ln \hat{y}_j", rational=False, squared=False),
    "binary_cross_entropy": Loss(
        r"\mathcal{L} = -\sum_j [y_j \ln \hat{y}_j + (1 - y_j)\ln(1 - \hat{y}_j)]", rational=False, squared=False
    ),
}
SQUARED_LOSSES = tuple(name for name, loss in LOSSES.items() if loss.squared)

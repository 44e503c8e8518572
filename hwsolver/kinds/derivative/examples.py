"""Random valid derivative problems (Kind.example): functions a course differentiates (sigmoid and tanh, written
out or by name, polynomials, exponentials, logarithms, products and chains) with random coefficients, in a
random variable, with or without the results rewritten in sigmoid or tanh."""

from __future__ import annotations

import random
from typing import Any

# (formula with {v} for the variable and {a}, {b} for coefficients, the rewrite it allows)
_FUNCTIONS = (
    ("1/(1 + exp(-{v}))", "sigmoid"),
    ("sigmoid({v})^2", "sigmoid"),
    ("{a}*sigmoid({v})", "sigmoid"),
    ("tanh({v})", "tanh"),
    ("(exp(2*{v}) - 1)/(exp(2*{v}) + 1)", "tanh"),
    ("{a}*{v}^3 - {b}*{v}", None),
    ("exp(-{a}*{v}^2)", None),
    ("log(1 + {v}^2)", None),
    ("{v}*sigmoid({v})", None),
    ("sin({a}*{v})*{v}", None),
    ("sqrt(1 + {v}^2)", None),
    ("{v}*exp(-{b}*{v})", None),
    ("tanh({a}*{v})", None),
    ("1/(1 + {a}*{v}^2)", None),
)


def example(seed: int) -> dict[str, Any]:
    """The `given` of a random derivative problem: one to three orders of a function above."""
    rng = random.Random(seed)
    formula, rewrite = rng.choice(_FUNCTIONS)
    variable = rng.choice(("x", "t", "u"))
    coefficient = lambda: rng.choice(("2", "3", "0.5", "1.5"))  # noqa: E731
    given: dict[str, Any] = {
        "function": formula.format(v=variable, a=coefficient(), b=coefficient()),
        "variable": variable,
        "orders": sorted(rng.sample((1, 2, 3), rng.randint(1, 3))),
    }
    if rewrite and rng.random() < 0.7:
        given["rewrite"] = rewrite
    return given

"""Random valid index_gradient problems (Kind.example): log-softmax, softmax, log-sum-exp, sums of squares and
products of an indexed vector, with or without values for the Jacobian."""

from __future__ import annotations

import random
from typing import Any

# (f with {x} for the vector and {j} for a summation index, its indices besides the wrt one, k)
_FUNCTIONS = (
    ("log_softmax({x})[i]", ("i",)),
    ("softmax({x})[i]", ("i",)),
    ("{x}[i]^2", ("i",)),
    ("{a}*{x}[i]^3 - {x}[i]", ("i",)),
    ("Sum({x}[j]^2, (j, 1, {C}))", ("j",)),
    ("log(Sum(exp({x}[j]), (j, 1, {C})))", ("j",)),
    ("{x}[i]*Sum({x}[j], (j, 1, {C}))", ("i", "j")),
)


def example(seed: int) -> dict[str, Any]:
    """The `given` of a random gradient: f of one vector, differentiated by its element k."""
    rng = random.Random(seed)
    formula, indices = rng.choice(_FUNCTIONS)
    name, size = rng.choice((("x", "C"), ("z", "N")))
    given: dict[str, Any] = {
        "function": formula.format(x=name, C=size, a=rng.choice((2, 3, "0.5"))),
        "wrt": f"{name}[k]",
        "vectors": {name: size},
        "indices": [*indices, "k"],
    }
    if rng.random() < 0.5:
        given["values"] = {name: [rng.randint(-20, 20) / 10 for _ in range(rng.randint(2, 4))]}
    return given

"""Random valid op_count problems (Kind.example): sizes as numbers or symbols, every loss and convention, some
switches overridden, and some fixed by the statement (each way), so that every named departure turns up."""

from __future__ import annotations

import random
from typing import Any

from hwsolver.compute.functions import SQUARED_LOSSES
from hwsolver.compute.opcount.conventions import CONVENTIONS, SWITCHES
from hwsolver.kinds.op_count.fixed import FIXABLE


def example(seed: int) -> dict[str, Any]:
    """The `given` of a random counting problem: L from 1 to 5 or a symbol, n from 1 to 6 or a symbol."""
    rng = random.Random(seed)
    given: dict[str, Any] = {
        "layers": rng.choice((rng.randint(1, 5), "L")),
        "width": rng.choice((rng.randint(1, 6), "n", "m")),
        "activation": "sigmoid",
        "loss": rng.choice(SQUARED_LOSSES),
        "convention": rng.choice(tuple(CONVENTIONS)),
    }
    convention = CONVENTIONS[given["convention"]]
    if rng.random() < 0.3:
        given["overrides"] = {switch: rng.random() < 0.5 for switch in rng.sample(SWITCHES, rng.randint(1, 2))}
        convention = convention.with_overrides(given["overrides"])
    # what the statement fixes is what its convention counts (a flipped switch is then the named mistake)
    fixed = rng.sample(tuple(FIXABLE), rng.randint(1, 6))
    given["fixed"] = {name: getattr(convention, FIXABLE[name].switch) for name in fixed}
    return given

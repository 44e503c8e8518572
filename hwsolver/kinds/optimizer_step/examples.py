"""Random valid optimizer_step problems (Kind.example): every optimizer in turn (seed by seed), its hyperparameters
given or left to torch's defaults (momentum's two forms, dampening, RMSprop's momentum, AdaGrad's initial sum,
weight decay coupled and AdamW's decoupled), one or two parameters, a quadratic objective or the gradients of
each step, one to three steps, and now and then a comparison to plot."""

from __future__ import annotations

import random
from typing import Any

from hwsolver.compute.optimizers import OPTIMIZERS

# the order seeds take them in: the adaptive ones first, so that the suite's first few seeds meet them
_FIRST = ("rmsprop", "adam", "momentum", "adagrad")
ORDER = (*_FIRST, *(name for name in OPTIMIZERS if name not in _FIRST))
_NAMES = (("w",), ("w1", "w2"), ("x", "y"), ("w", "b"))


def example(seed: int) -> dict[str, Any]:
    """The `given` of a random problem (the optimizer: ORDER[seed % 7])."""
    rng = random.Random(seed)
    decimal = lambda: rng.randint(-9, 9) / 10  # noqa: E731
    names = rng.choice(_NAMES)
    steps = rng.randint(1, 3)
    given: dict[str, Any] = {"objective": _objective(rng, names), "start": {name: decimal() for name in names}}
    if rng.random() < 0.3:  # a mini-batch's gradients instead of the objective's (f still evaluated)
        given["gradients"] = [{name: decimal() for name in names} for _ in range(steps)]
    elif steps > 1 or rng.random() < 0.5:
        given["steps"] = steps
    given["optimizer"] = _optimizer(ORDER[seed % len(ORDER)], rng)
    if rng.random() < 0.2:
        given["compare"] = rng.sample([name for name in OPTIMIZERS if name != given["optimizer"]["name"]], 2)
        if "gradients" not in given:  # given gradients draw only their own steps
            given["plot_steps"] = rng.randint(steps, 6)
    return given


def _objective(rng: random.Random, names: tuple[str, ...]) -> str:
    """A convex quadratic: a (p - c)^2 per parameter, and a cross term now and then."""
    terms = []
    for name in names:
        scale, center = rng.choice((1, 2, 5, 0.5)), rng.randint(-3, 3)
        square = f"({name} {'-' if center > 0 else '+'} {abs(center)})^2" if center else f"{name}^2"
        terms.append(square if scale == 1 else f"{scale}*{square}")
    if len(names) == 2 and rng.random() < 0.4:
        terms.append(f"{names[0]}*{names[1]}")
    return " + ".join(terms)


def _optimizer(name: str, rng: random.Random) -> dict[str, Any]:
    """The optimizer's hyperparameters, each given or left to its default."""
    given = lambda: rng.random() < 0.5  # noqa: E731
    optimizer: dict[str, Any] = {"name": name, "lr": rng.choice((0.01, 0.05, 0.1, 0.5))}
    if name in ("momentum", "nesterov") and given():
        optimizer["momentum"] = rng.choice((0.5, 0.9))
    if name == "momentum":
        if rng.random() < 0.3:
            optimizer["form"] = "heavy_ball"
        elif rng.random() < 0.3:
            optimizer["dampening"] = rng.choice((0.1, 0.5))
    if name == "rmsprop":
        if given():
            optimizer["alpha"] = rng.choice((0.9, 0.99))
        if given():
            optimizer["momentum"] = rng.choice((0.5, 0.9))
    if name == "adagrad" and given():
        optimizer["initial_accumulator_value"] = rng.choice((0.1, 1))
    if name in ("adam", "adamw") and given():
        optimizer["betas"] = [rng.choice((0.8, 0.9)), rng.choice((0.99, 0.999))]
    if name in ("adagrad", "rmsprop", "adam", "adamw") and given():
        optimizer["eps"] = rng.choice((1e-8, 1e-6, 0.01))
    if name == "adamw" or rng.random() < 0.3:  # adamw's decay is decoupled, the others' coupled (L2)
        optimizer["weight_decay"] = rng.choice((0.01, 0.1))
    return optimizer

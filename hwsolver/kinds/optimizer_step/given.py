"""The given of an optimizer_step problem: its keys (GIVEN), the optimizer with torch's names and defaults, and
the objective (a formula, read only through hwsolver.expr) or the gradients of each step."""

from __future__ import annotations

from dataclasses import dataclass, replace
from fractions import Fraction
from typing import Any

from hwsolver.compute.objective import Objective
from hwsolver.compute.optimizers import FORMS, OPTIMIZERS, Optimizer
from hwsolver.errors import ExprError
from hwsolver.expr import Scope, parse
from hwsolver.kinds.base import Given, Key
from hwsolver.spec.node import Node

MAX_STEPS = 100
MAX_PLOT_STEPS = 500
SOURCES = ("objective", "gradients")  # where each step's gradient comes from: a given needs one of them
# The hyperparameters each optimizer takes (torch's names); `form` is hwsolver's (momentum: torch or heavy_ball).
KEYS: dict[str, tuple[str, ...]] = {
    "sgd": ("lr", "weight_decay"),
    "momentum": ("lr", "momentum", "dampening", "weight_decay", "form"),
    "nesterov": ("lr", "momentum", "weight_decay"),
    "adagrad": ("lr", "eps", "weight_decay", "initial_accumulator_value"),
    "rmsprop": ("lr", "alpha", "eps", "weight_decay", "momentum"),
    "adam": ("lr", "betas", "eps", "weight_decay"),
    "adamw": ("lr", "betas", "eps", "weight_decay"),
}


def defaults(name: str) -> Optimizer:
    """torch.optim's defaults for `name`; momentum and nesterov take momentum 0.9 (torch's SGD default, 0, would
    make them plain SGD)."""
    lr = Fraction(1, 100) if name in ("adagrad", "rmsprop") else Fraction(1, 1000)
    return Optimizer(
        name,
        lr,
        momentum=Fraction(9, 10) if name in ("momentum", "nesterov") else Fraction(0),
        eps=Fraction(1, 10**10) if name == "adagrad" else Fraction(1, 10**8),
        weight_decay=Fraction(1, 100) if name == "adamw" else Fraction(0),
    )


@dataclass(frozen=True)
class OptimizerProblem:
    """Parameters (names, start), where gradients come from, the optimizer, the steps and the comparison plot."""

    names: tuple[str, ...]
    start: dict[str, Fraction]
    optimizer: Optimizer
    steps: int
    objective: Objective | None = None
    gradients: tuple[dict[str, Fraction], ...] | None = None
    compare: tuple[Optimizer, ...] = ()
    plot_steps: int = 0  # 0: as many as `steps`

    @property
    def shown_steps(self) -> int:
        return self.plot_steps or self.steps


GIVEN = Given(
    (
        Key(
            "objective",
            "a formula in the parameters' names (the expression language)",
            "f: the function minimized; its gradient drives every step unless gradients are given; with it, "
            "objective_history is asked too",
            '"(w1 - 1)^2 + 10*w2^2"',
            default="(no objective_history, and no contour lines in the plot)",
            one_of=SOURCES,
        ),
        Key(
            "gradients",
            "a list of mappings, one per step: parameter name -> number",
            "the gradient each step uses (a mini-batch's, say), instead of the objective's when both are given",
            "[{w1: -2, w2: 20}, {w1: -1.6, w2: 12}]",
            default="(the objective's gradient at each step's parameters)",
            one_of=SOURCES,
        ),
        Key("start", "parameter name -> number", "the parameters before the first step", "{w1: 0, w2: 1}"),
        Key(
            "optimizer",
            f"{{name: one of {', '.join(OPTIMIZERS)}, ...}} with torch.optim's hyperparameter names",
            "the optimizer (README: Optimizers, for each one's keys, defaults and update)",
            "{name: adam, lr: 0.1, betas: [0.9, 0.999], eps: 1e-8}",
        ),
        Key(
            "steps",
            f"an integer from 1 to {MAX_STEPS}",
            "updates taken",
            "2",
            default="(1; with gradients given, one step per gradient)",
        ),
        Key(
            "compare",
            "a list of optimizer names or {name: ..., ...} mappings",
            "drawn beside the problem's optimizer from the same start (the lr is the problem's unless given), on the "
            "same gradients when they are given",
            "[sgd, momentum, adam]",
            default="(no comparison)",
        ),
        Key(
            "plot_steps",
            f"an integer from steps to {MAX_PLOT_STEPS} (with gradients given: steps, the given ones)",
            "steps drawn in the handout's plot (the comparison's too)",
            "2",
            default="(as many as steps)",
        ),
    )
)


def parse_given(node: Node) -> OptimizerProblem:
    fields = GIVEN.fields(node)
    start_node = fields["start"]
    start = {name: value.number() for name, value in start_node.mapping().items()}
    if not start:
        raise start_node.error("expected at least one parameter, as in {w1: 0, w2: 1}")
    names = tuple(start)
    try:
        scope = Scope(variables=names)
    except ExprError as exc:
        raise start_node.error(f"parameter names: {str(exc).removeprefix('scope: ')}") from None
    optimizer = parse_optimizer(fields["optimizer"])
    steps = _bounded(fields["steps"], 1, MAX_STEPS) if "steps" in fields else None
    objective = _objective(fields["objective"], scope, names) if "objective" in fields else None
    gradients = None
    if "gradients" in fields:
        gradients = _gradients(fields["gradients"], names)
        if steps is not None and steps != len(gradients):
            raise fields["steps"].error(
                f"{len(gradients)} gradients are given, one per step: steps is {len(gradients)}"
            )
    steps = len(gradients) if gradients is not None else steps or 1
    problem = OptimizerProblem(names, start, optimizer, steps, objective, gradients)
    if "compare" in fields:
        problem = replace(problem, compare=_compared(fields["compare"], optimizer))
    if "plot_steps" in fields:
        plot_steps = _bounded(fields["plot_steps"], steps, MAX_PLOT_STEPS)
        if gradients is not None and plot_steps != steps:  # there are no gradients beyond the given ones
            raise fields["plot_steps"].error(f"the plot draws the {steps} steps of the given gradients, no more")
        problem = replace(problem, plot_steps=plot_steps)
    return problem


def parse_optimizer(node: Node, lr: Fraction | None = None) -> Optimizer:
    """{name: ..., hyperparameters}: torch's defaults for those not given (`lr`: this one, when given)."""
    entries = node.mapping()
    if "name" not in entries:
        raise node.error(f"missing key 'name' (one of {', '.join(OPTIMIZERS)})")
    name = entries["name"].choice(OPTIMIZERS)
    fields = node.fields(["name"], KEYS[name])
    optimizer = defaults(name)
    if lr is not None:
        optimizer = replace(optimizer, lr=lr)
    read = {
        "lr": lambda n: _number(n, low=0, open_low=True),
        "momentum": lambda n: _number(n, low=0, high=1, open_high=True, open_low=name != "rmsprop"),
        "dampening": lambda n: _number(n, low=0, high=1),
        "alpha": lambda n: _number(n, low=0, high=1, open_high=True),
        "eps": lambda n: _number(n, low=0),
        "weight_decay": lambda n: _number(n, low=0),
        "initial_accumulator_value": lambda n: _number(n, low=0),
        "betas": _betas,
        "form": lambda n: n.choice(FORMS),
    }
    values = {key: read[key](value) for key, value in fields.items() if key != "name"}
    optimizer = replace(optimizer, **values)
    if optimizer.form == "heavy_ball" and optimizer.dampening:
        raise fields["dampening"].error("dampening belongs to the torch form; the heavy-ball form has none")
    return optimizer


def _compared(node: Node, main: Optimizer) -> tuple[Optimizer, ...]:
    found = []
    for item in node.items():
        if item.is_scalar:
            found.append(replace(defaults(item.choice(OPTIMIZERS)), lr=main.lr))
        else:
            found.append(parse_optimizer(item, lr=main.lr))
    if not found:
        raise node.error("expected at least one optimizer to compare with")
    return tuple(found)


def _objective(node: Node, scope: Scope, names: tuple[str, ...]) -> Objective:
    written = node.text()
    try:
        return Objective(parse(written, scope), names)
    except ExprError as exc:
        raise node.error(f"cannot read '{written}': {exc}") from None


def _gradients(node: Node, names: tuple[str, ...]) -> tuple[dict[str, Fraction], ...]:
    items = node.items()
    if not items or len(items) > MAX_STEPS:
        raise node.error(f"expected one gradient per step, 1 to {MAX_STEPS} of them")
    return tuple({name: value.number() for name, value in item.fields(names).items()} for item in items)


def _betas(node: Node) -> tuple[Fraction, Fraction]:
    first, second = node.vector(2, scalar_ok=False)
    for value in (first, second):
        if not 0 <= value < 1:
            raise node.error(f"betas lie in [0, 1), got {value}")
    return first, second


def _number(
    node: Node, *, low: Any = None, high: Any = None, open_low: bool = False, open_high: bool = False
) -> Fraction:
    value = node.number()
    too_low = low is not None and (value <= low if open_low else value < low)
    too_high = high is not None and (value >= high if open_high else value > high)
    if too_low or too_high:
        left, right = "(" if open_low else "[", ")" if open_high else "]"
        span = f"{left}{low}, {high}{right}" if high is not None else f"{'>' if open_low else '>='} {low}"
        raise node.error(f"expected a number {'in ' if high is not None else ''}{span}, got {node.value}")
    return value


def _bounded(node: Node, low: int, high: int) -> int:
    value = node.integer(minimum=low)
    if value > high:
        raise node.error(f"at most {high}")
    return value

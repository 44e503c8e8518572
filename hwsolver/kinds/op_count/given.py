"""The given of an op_count problem: its keys (GIVEN), and the network to count with its convention."""

from __future__ import annotations

import re
from dataclasses import dataclass

from hwsolver.compute.functions import SQUARED_LOSSES
from hwsolver.compute.opcount.conventions import CONVENTIONS, SWITCHES, Convention
from hwsolver.kinds.base import Given, Key
from hwsolver.kinds.op_count.fixed import FIXABLE
from hwsolver.spec.node import Node, close_match, parse_number

ACTIVATIONS = ("sigmoid",)
_SYMBOL = re.compile(r"[A-DF-Za-df-z]")  # one Latin letter; e and E are Euler's number in formulas
GIVEN = Given(
    (
        Key("layers", "an integer >= 1, or a one-letter symbol", "L: the number of layers (inputs not counted)", "L"),
        Key("width", "an integer >= 1, or a one-letter symbol", "n: every layer's inputs and units", "n"),
        Key("activation", "sigmoid", "the activation of every layer", "sigmoid"),
        Key(
            "loss",
            f"one of {', '.join(SQUARED_LOSSES)}",
            "the loss whose derivative starts the backward pass",
            "mean_squared_error",
        ),
        Key(
            "convention",
            f"one of {', '.join(CONVENTIONS)}",
            "what counts as an operation (README: counting conventions)",
            "course",
            default="course",
        ),
        Key(
            "overrides",
            f"switches by name, each true or false: {', '.join(SWITCHES)}",
            "the convention with some of its switches changed",
            "{count_bias_add: false}",
            default="(none)",
        ),
        Key(
            "fixed",
            f"switches by name, each true or false: {', '.join(FIXABLE)}",
            "what the statement fixes: a count departing from it is a named mistake, not another convention",
            "{activation_counted: false, update_counted: true}",
            default="(none)",
        ),
    )
)


@dataclass(frozen=True)
class OpCountGiven:
    """An n-wide, L-layer network to count: sizes are integers or symbol names."""

    layers: int | str
    width: int | str
    activation: str
    loss: str
    convention: Convention
    fixed: tuple[tuple[str, bool], ...] = ()  # (a FIXABLE name, its value) for what the statement fixes


def parse_given(node: Node) -> OpCountGiven:
    fields = GIVEN.fields(node)
    layers, width = _size(fields["layers"], "L"), _size(fields["width"], "n")
    if isinstance(layers, str) and layers == width:
        raise fields["width"].error(f"width and layers must be different symbols, both are '{width}'")
    convention = _convention(fields["convention"]) if "convention" in fields else CONVENTIONS["course"]
    if "overrides" in fields:
        convention = convention.with_overrides(_overrides(fields["overrides"]))
    return OpCountGiven(
        layers=layers,
        width=width,
        activation=fields["activation"].choice(ACTIVATIONS),
        loss=fields["loss"].choice(SQUARED_LOSSES),
        convention=convention,
        fixed=_fixed(fields["fixed"], convention) if "fixed" in fields else (),
    )


def _size(node: Node, example: str) -> int | str:
    if node.is_scalar and not node.is_null and parse_number(node.value) is not None:
        return node.integer(minimum=1)
    if node.is_scalar and node.plain and _SYMBOL.fullmatch(node.value):
        return node.value
    raise node.error(f"expected a positive integer or a one-letter symbol such as {example}, got {node.describe()}")


def _convention(node: Node) -> Convention:
    name = node.text()
    if name not in CONVENTIONS:
        raise node.error(f"unknown convention '{name}'; known conventions: {', '.join(CONVENTIONS)}")
    return CONVENTIONS[name]


def _overrides(node: Node) -> dict[str, bool]:
    chosen: dict[str, bool] = {}
    for key, value in node.mapping().items():
        if key not in SWITCHES:
            raise value.error(f"unknown switch '{key}'; known switches: {', '.join(SWITCHES)}")
        chosen[key] = value.boolean()
    return chosen


def _fixed(node: Node, convention: Convention) -> tuple[tuple[str, bool], ...]:
    """What the statement fixes; the problem's own convention must agree with it."""
    fixed = []
    for key, value in node.mapping().items():
        if key not in FIXABLE:
            close = close_match(key, FIXABLE)
            hint = f" (did you mean '{close}'?)" if close else ""
            raise value.error(f"unknown switch '{key}' in fixed{hint}; known switches: {', '.join(FIXABLE)}")
        chosen = value.boolean()
        if getattr(convention, FIXABLE[key].switch) != chosen:
            raise value.error(
                f"fixed {key}: {str(chosen).lower()} contradicts the '{convention.name}' convention, which has "
                f"{FIXABLE[key].switch} = {str(not chosen).lower()}"
            )
        fixed.append((key, chosen))
    return tuple(fixed)

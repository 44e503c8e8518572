"""The given of a regularized_update problem: its keys (GIVEN), read into compute.regularization.Regularized."""

from __future__ import annotations

import re
from fractions import Fraction
from typing import Any

from hwsolver.compute.layers.arrays import depth, read_shaped
from hwsolver.compute.regularization import REGULARIZERS, Regularized
from hwsolver.kinds.base import Given, Key
from hwsolver.spec.node import Node, shape_of

MAX_STEPS = 50
_NAME = re.compile(r"[A-Za-z][A-Za-z0-9]*")
GIVEN = Given(
    (
        Key(
            "params",
            "parameters by name, each a number, a vector or a matrix",
            "theta: the weights and biases before the first step",
            "{W: [[0.5, -0.2], [0.1, 0.4]], b: [0.1, -0.3]}",
        ),
        Key(
            "data_gradients",
            f"parameters by name, like params; or a list of such (one per step, at most {MAX_STEPS})",
            "dL/dtheta: the data loss's gradient at the parameters each step starts from, without the penalty",
            "{W: [[0.2, -0.1], [0.05, 0.3]], b: [0.1, -0.2]}",
        ),
        Key(
            "regularizer",
            f"one of {', '.join(REGULARIZERS)}",
            "l2: the penalty (lambda/2) sum w^2; l1: lambda sum |w|, whose subgradient is lambda sign(w), sign(0) = 0",
            "l2",
        ),
        Key("lambda", "a number > 0", "lambda: the penalty's strength", "0.1"),
        Key(
            "learning_rate",
            "a number > 0",
            "eta: a step is theta - eta (dL/dtheta + the penalty's gradient)",
            "0.5",
        ),
        Key(
            "biases",
            "a list of parameter names",
            "the parameters that are biases",
            "[b]",
            default="(the parameters whose names start with b)",
        ),
        Key(
            "regularize_biases",
            "true or false",
            "whether the penalty reads the biases too (the lecture's rule: it does not)",
            "false",
            default="false",
        ),
    )
)


def parse_given(node: Node) -> Regularized:
    fields = GIVEN.fields(node)
    params = _params(fields["params"])
    steps = _data_gradients(fields["data_gradients"], params)
    if "biases" in fields:
        biases = _bias_names(fields["biases"], params)
    else:
        biases = frozenset(name for name in params if name.startswith("b"))
    return Regularized(
        params=params,
        biases=biases,
        data_gradients=steps,
        regularizer=fields["regularizer"].choice(REGULARIZERS),
        strength=fields["lambda"].number(above=0),
        learning_rate=fields["learning_rate"].number(above=0),
        regularize_biases=fields["regularize_biases"].boolean() if "regularize_biases" in fields else False,
    )


def _params(node: Node) -> dict[str, Any]:
    entries = node.mapping()
    if not entries:
        raise node.error("expected at least one parameter")
    seen: dict[str, str] = {}
    params = {}
    for name, value in entries.items():
        if not _NAME.fullmatch(name):
            raise value.error(f"a parameter's name is a letter, then letters or digits (W1, b1, w), not '{name}'")
        # students' answers name parameters ignoring case (w1 for W1): two names must differ otherwise too
        if name.lower() in seen:
            raise value.error(f"'{name}' and '{seen[name.lower()]}' differ only in case: name them apart")
        seen[name.lower()] = name
        params[name] = _value(value)
    return params


def _value(node: Node) -> Any:
    levels = depth(node)
    if levels == 0:
        return node.number()
    if levels == 1:
        return node.vector(scalar_ok=False)
    if levels == 2:
        return node.matrix()
    raise node.error("expected a number, a vector or a matrix")


def _data_gradients(node: Node, params: dict[str, Any]) -> tuple[dict[str, Any], ...]:
    """One mapping (one step), or a list of them (a step each)."""
    if isinstance(node.value, dict):
        return (_gradient(node, params),)
    items = node.items()
    if not items:
        raise node.error("expected the gradients of at least one step")
    if len(items) > MAX_STEPS:
        raise node.error(f"at most {MAX_STEPS} steps")
    return tuple(_gradient(item, params) for item in items)


def _gradient(node: Node, params: dict[str, Any]) -> dict[str, Any]:
    entries = node.fields(list(params))
    found = {}
    for name, value in params.items():
        shape = shape_of(value)
        found[name] = read_shaped(entries[name], shape) if shape else _number(entries[name])
    return found


def _number(node: Node) -> Fraction:
    if not node.is_scalar:
        raise node.error(f"expected a number (the parameter is one), got {node.describe()}")
    return node.number()


def _bias_names(node: Node, params: dict[str, Any]) -> frozenset[str]:
    names = []
    for item in node.items():
        name = item.text()
        if name not in params:
            raise item.error(f"no parameter is named '{name}'; the parameters are: {', '.join(params)}")
        names.append(name)
    return frozenset(names)

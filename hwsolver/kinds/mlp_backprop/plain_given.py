"""The network of a lock's entry read as plain values (spec/plainflow.py), for the shape a class's variants have:
one sample, one activation for every layer, weight matrices by name, no biases, no schedule. Each check parse_given
makes on that shape is made here as a yes or no; any other shape, or any value it would refuse, is None, and
parse_given reads the entry (and says what is wrong with it)."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from hwsolver.compute.functions import ACTIVATIONS, LOSSES
from hwsolver.compute.networks.network import Network, Params
from hwsolver.kinds.mlp_backprop.given import DEFAULT_SLOPE, GIVEN
from hwsolver.spec.plainflow import is_row, matrix_shape, whole

_REQUIRED = frozenset(key.name for key in GIVEN.keys if key.required)
_READ = _REQUIRED | {"layers"}  # the keys this path reads; a given with any other is parse_given's


def parse_plain(values: dict[str, Any]) -> Network | None:
    """The network parse_given makes of the same entry, or None (parse_given reads it)."""
    if not _REQUIRED <= values.keys() <= _READ:
        return None
    x, target, rate = values["x"], values["target"], values["learning_rate"]
    activation, loss = values["activation"], values["loss"]
    if not is_row(x) or type(activation) is not str or activation not in ACTIVATIONS:
        return None
    if type(loss) is not str or loss not in LOSSES or type(rate) is not Fraction or rate.numerator <= 0:
        return None
    y = (target,) if type(target) is Fraction else target if is_row(target) else None
    weights = _weights(values["weights"], len(x), _layers(values.get("layers"), len(x)))
    if y is None or weights is None or len(y) != len(weights[-1]):
        return None
    if activation == "softmax" and len(weights) > 1:  # (on the output layer only)
        return None
    return Network(
        params=Params(weights, None),
        activations=(activation,) * len(weights),
        loss=loss,
        inputs=(x,),
        targets=(y,),
        batch=False,
        learning_rate=rate,
        slope=DEFAULT_SLOPE,
    )


def _layers(value: Any, inputs: int) -> tuple[int, ...] | None:
    """The declared sizes, () where none are; None where they cannot be (parse_given's messages)."""
    if value is None:
        return ()
    if not is_row(value):  # (at least two: _weights wants one more than the weight matrices)
        return None
    sizes = tuple(whole(size, 1) for size in value)
    return sizes if None not in sizes and sizes[0] == inputs else None  # type: ignore[return-value]


def _weights(value: Any, inputs: int, declared: tuple[int, ...] | None) -> tuple[Any, ...] | None:
    """W1, W2, ... in order, each of the shape the sizes before it give (the declared ones where given, the last
    checked against the targets by the caller); None for anything else."""
    if type(value) is not dict or declared is None:
        return None
    names = [f"W{layer}" for layer in range(1, len(value) + 1)]
    if set(names) != value.keys() or (declared and len(declared) - 1 != len(names)):
        return None
    weights, columns = [], inputs
    for layer, name in enumerate(names, start=1):
        matrix = value[name]
        shape = matrix_shape(matrix)
        if shape is None or shape[1] != columns or (declared and shape[0] != declared[layer]):
            return None
        weights.append(matrix)
        columns = shape[0]
    return tuple(weights)

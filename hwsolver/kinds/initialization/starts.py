"""A network's starting parameters as an initialization problem writes them: one number for every weight and bias,
or W1, b1, ... each a number (every entry alike) or its full matrix or vector."""

from __future__ import annotations

from fractions import Fraction

from hwsolver.compute.networks.network import Params
from hwsolver.spec.node import Node, format_shape, shape_of


def read_params(node: Node, sizes: tuple[int, ...], biases: bool | None) -> Params:
    """The parameters of a network of `sizes`; `biases`: whether it must have them (None: as written)."""
    layers = range(1, len(sizes))
    if node.is_scalar:
        value = node.number()
        if biases is False:
            raise node.error("one number sets the biases too, but this network's start has none: give W1, ... by name")
        return Params(
            tuple(_filled(value, (sizes[l], sizes[l - 1])) for l in layers),
            tuple(_filled(value, (sizes[l],)) for l in layers),
        )
    entries = node.mapping()
    has_biases = any(name.startswith("b") for name in entries) if biases is None else biases
    names = [f"W{l}" for l in layers] + ([f"b{l}" for l in layers] if has_biases else [])
    fields = node.fields(names)
    weights = tuple(_entry(fields[f"W{l}"], (sizes[l], sizes[l - 1])) for l in layers)
    if not has_biases:
        return Params(weights, None)
    return Params(weights, tuple(_entry(fields[f"b{l}"], (sizes[l],)) for l in layers))


def _filled(value: Fraction, shape: tuple[int, ...]) -> tuple:
    if len(shape) == 1:
        return (value,) * shape[0]
    return tuple((value,) * shape[1] for _ in range(shape[0]))


def _entry(node: Node, shape: tuple[int, ...]) -> tuple:
    """A number for every entry, or the array itself, of `shape`."""
    if node.is_scalar:
        return _filled(node.number(), shape)
    value = node.matrix() if len(shape) == 2 else node.vector(scalar_ok=False)
    if shape_of(value) != shape:
        what = "matrix" if len(shape) == 2 else "vector"
        raise node.error(f"expected a {format_shape(shape)} {what}, got {format_shape(shape_of(value))}")
    return value

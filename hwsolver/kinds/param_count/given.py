"""The given of a param_count problem: its keys (GIVEN), and the stack they describe, checked layer by layer (a
layer that cannot take its input is an error at that layer)."""

from __future__ import annotations

from dataclasses import dataclass

from hwsolver.compute.stack import LAYER_TYPES, Conv, Dense, Flatten, Layer, Pool, Shape, ShapeError, count
from hwsolver.kinds.base import Given, Key
from hwsolver.spec.node import Node, parse_number

POOLS = ("max", "average")
PADDINGS = ("same", "valid")
MAX_LAYERS = 100
GIVEN = Given(
    (
        Key(
            "input",
            "[C, H, W] (an image: channels, height, width) or [features] (a vector)",
            "the shape of one input",
            "[1, 28, 28]",
        ),
        Key(
            "layers",
            "a list of layers, each one of {dense: units}, {conv: kernels, size: K, stride: S, padding: "
            "same|valid|P, bias: true}, {pool: max|average, size: K, stride: S}, {flatten: true}",
            "the stack, input side first; stride defaults to 1 (conv) or the size (pool), padding to valid, "
            "bias to true (conv and dense)",
            "[{conv: 4, size: 3, padding: same}, {pool: max, size: 2}, {flatten: true}, {dense: 10}]",
        ),
    )
)


@dataclass(frozen=True)
class Stack:
    """The input's shape and the layers, as the problem lists them."""

    input: Shape
    layers: tuple[Layer, ...]


def parse_given(node: Node) -> Stack:
    fields = GIVEN.fields(node)
    shape = first = _input(fields["input"])
    items = fields["layers"].items()
    if not items:
        raise fields["layers"].error("expected at least one layer")
    if len(items) > MAX_LAYERS:
        raise fields["layers"].error(f"at most {MAX_LAYERS} layers")
    layers = []
    for item in items:
        layer = _layer(item)
        try:
            (found,) = count(shape, (layer,))
        except ShapeError as error:
            raise item.error(str(error)) from None
        shape = found.output_shape
        layers.append(layer)
    return Stack(first, tuple(layers))


def _input(node: Node) -> Shape:
    sizes = tuple(item.integer(minimum=1) for item in node.items())
    if len(sizes) not in (1, 3):
        raise node.error(f"expected [C, H, W] or [features], got a list of {len(sizes)}")
    return sizes


def _layer(node: Node) -> Layer:
    entries = node.mapping()
    types = [name for name in LAYER_TYPES if name in entries]
    if len(types) != 1:
        found = f"{' and '.join(types)} together" if types else "none"
        raise node.error(f"a layer is one of {', '.join(LAYER_TYPES)}; got {found}")
    kind = types[0]
    if kind == "dense":
        fields = node.fields(["dense"], ["bias"])
        return Dense(fields["dense"].integer(minimum=1), _bias(fields))
    if kind == "conv":
        fields = node.fields(["conv", "size"], ["stride", "padding", "bias"])
        return Conv(
            fields["conv"].integer(minimum=1),
            fields["size"].integer(minimum=1),
            fields["stride"].integer(minimum=1) if "stride" in fields else 1,
            _padding(fields["padding"]) if "padding" in fields else "valid",
            _bias(fields),
        )
    if kind == "pool":
        fields = node.fields(["pool", "size"], ["stride"])
        size = fields["size"].integer(minimum=1)
        return Pool(
            fields["pool"].choice(POOLS), size, fields["stride"].integer(minimum=1) if "stride" in fields else size
        )
    fields = node.fields(["flatten"])
    if not fields["flatten"].boolean():
        raise fields["flatten"].error("flatten: true is the only way to write a flatten layer")
    return Flatten()


def _bias(fields: dict[str, Node]) -> bool:
    return fields["bias"].boolean() if "bias" in fields else True


def _padding(node: Node) -> str | int:
    if node.is_scalar and node.value in PADDINGS:
        return node.value
    if not node.is_scalar or parse_number(node.value) is None:
        raise node.error(f"expected same, valid or a number of zeros on each side, got {node.describe()}")
    return node.integer(minimum=0)

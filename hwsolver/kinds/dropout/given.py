"""The given of a dropout problem: its keys (GIVEN), read into compute.dropout.DropoutLayer."""

from __future__ import annotations

from fractions import Fraction

from hwsolver.compute.dropout import METHODS, SCALINGS, DropoutLayer
from hwsolver.compute.layers.arrays import Array, depth, read_shaped
from hwsolver.kinds.base import Given, Key
from hwsolver.spec.node import Node, shape_of

GIVEN = Given(
    (
        Key(
            "activations",
            "a list of numbers (one per unit), or a list of such lists (a mini-batch, one per sample)",
            "h: the activations the dropout acts on (for DropConnect: the input of the dense layer)",
            "[0.8, 0, 1.2, 0.5]",
        ),
        Key(
            "mask",
            "0s and 1s: of the activations' shape (dropout), or of the weights' shape (dropconnect)",
            "1 where a unit (dropout) or a weight (DropConnect) is kept, 0 where it is dropped",
            "[1, 0, 1, 1]",
        ),
        Key(
            "probability",
            "{keep: p} or {drop: q}, one of them, strictly between 0 and 1",
            "the probability that a unit (or weight) is kept, p (the lecture's p), or dropped, q = 1 - p "
            "(torch.nn.Dropout's p): the statement says which it gives",
            "{keep: 0.5}",
        ),
        Key(
            "scaling",
            f"one of {', '.join(SCALINGS)}",
            "test_time: nothing at training, times p at test time (the lecture's code); inverted: divided by p "
            "at training, nothing at test time (as torch.nn.Dropout)",
            "test_time",
        ),
        Key(
            "method",
            f"one of {', '.join(METHODS)}",
            "dropout drops units of h; dropconnect drops weights of W",
            "dropout",
            default="dropout",
        ),
        Key(
            "weights",
            "a matrix: one row per output unit, one column per unit of h",
            "W of the dense layer z = W h' + b after the dropout (required for dropconnect, whose mask is on W)",
            "[[0.5, -1, 0.25, 2], [1, 0.5, -0.5, 0]]",
            default="(none: the output is the dropped activations)",
        ),
        Key("bias", "a list of numbers (one per row of W)", "b of the dense layer", "[0.1, -0.2]", default="(none)"),
        Key(
            "upstream",
            "an array of the output's shape",
            "dL/d(output), the gradient arriving from above: asks for the backward pass",
            "[1, -2]",
            default="(none: no backward pass)",
        ),
    )
)


def parse_given(node: Node) -> DropoutLayer:
    fields = GIVEN.fields(node)
    h = _activations(fields["activations"])
    method = fields["method"].choice(METHODS) if "method" in fields else "dropout"
    keep, stated = _keep(fields["probability"])
    weights = bias = None
    if "weights" in fields:
        weights = fields["weights"].matrix()
        if len(weights[0]) != shape_of(h)[-1]:
            raise fields["weights"].error(
                f"expected {shape_of(h)[-1]} columns (one per unit of the activations), got {len(weights[0])}"
            )
        if "bias" in fields:
            bias = fields["bias"].vector(len(weights))
    elif method == "dropconnect":
        raise fields["method"].error("dropconnect drops weights: give the weights of the dense layer")
    elif "bias" in fields:
        raise fields["bias"].error("a bias belongs to the dense layer: give its weights too")
    if method == "dropconnect" and len(shape_of(h)) > 1:
        raise fields["activations"].error("dropconnect takes one input vector (each sample would drop its own W)")
    mask = _mask(fields["mask"], shape_of(weights) if method == "dropconnect" else shape_of(h))
    out = shape_of(h) if weights is None else (*shape_of(h)[:-1], len(weights))
    upstream = read_shaped(fields["upstream"], out) if "upstream" in fields else None
    return DropoutLayer(
        activations=h,
        mask=mask,
        keep=keep,
        method=method,
        scaling=fields["scaling"].choice(SCALINGS),
        weights=weights,
        bias=bias,
        upstream=upstream,
        stated=stated,
    )


def _activations(node: Node) -> Array:
    levels = depth(node)
    if levels == 1:
        return node.vector(scalar_ok=False)
    if levels == 2:
        return node.matrix()
    raise node.error("expected a list of numbers (one per unit), or a list of such lists (one per sample)")


def _mask(node: Node, shape: tuple[int, ...]) -> Array:
    mask = read_shaped(node, shape)
    entries = list(mask)
    while isinstance(entries[0], tuple):
        entries = [x for row in entries for x in row]
    other = next((x for x in entries if x not in (0, 1)), None)
    if other is not None:
        raise node.error(f"a mask holds 0 (dropped) and 1 (kept) only, not {other}")
    return mask


def _keep(node: Node) -> tuple[Fraction, str]:
    """p, and which probability the problem states (the handout names it first)."""
    if node.is_scalar:
        raise node.error(f"say which probability {node.value} is: {{keep: {node.value}}} or {{drop: {node.value}}}")
    entries = node.mapping()
    if len(entries) != 1 or not set(entries) <= {"keep", "drop"}:
        raise node.error("expected {keep: p} (the lecture's p) or {drop: q} (torch.nn.Dropout's p), one of them")
    ((which, value),) = entries.items()
    probability = _probability(value)
    return (probability, "keep") if which == "keep" else (1 - probability, "drop")


def _probability(node: Node) -> Fraction:
    value = node.number()
    if not 0 < value < 1:
        raise node.error(f"expected a probability strictly between 0 and 1, got {node.value}")
    return value

"""The given of an mlp_backprop problem: its keys (GIVEN), and the network they describe, checked shape by shape."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from hwsolver.compute.functions import ACTIVATIONS, LOSSES
from hwsolver.compute.networks.network import Network, Params
from hwsolver.kinds.base import Given, Key
from hwsolver.kinds.mlp_backprop.training import MAX_EPOCHS, frozen_of, runs_of, schedule_of
from hwsolver.spec.node import Node, format_shape, shape_of

MAX_STEPS = 10_000
GIVEN = Given(
    (
        Key(
            "weights",
            "matrices by name: W1, W2, ... (one per layer)",
            "W(l): row j holds the weights into unit j of layer l, column k those from unit k of layer l-1",
            "{W1: [[0.6, 0.2], [0.1, 0.7]], W2: [[0.5, 0.8]]}",
        ),
        Key(
            "activation",
            f"one of {', '.join(ACTIVATIONS)}, or a list of them (one per layer); leaky ReLU with its slope: "
            "{name: leaky_relu, slope: 0.1}",
            "f(l), the activation of each layer (softmax on the output layer only); leaky ReLU is z for z > 0, "
            "slope * z otherwise (slope 0.01 unless given, the same in every layer)",
            "relu",
        ),
        Key(
            "x",
            "a list of numbers (one per input), or a list of such lists (a mini-batch)",
            "the input; a mini-batch's objective is the mean of its samples' losses",
            "[0.2, 0.3]",
        ),
        Key(
            "target",
            "a number or a list (one per output unit); for a mini-batch, one per sample",
            "the desired output y",
            "0.5",
        ),
        Key("loss", f"one of {', '.join(LOSSES)}", "the loss of one sample", "half_squared_error"),
        Key("learning_rate", "a number > 0", "eta: the update is W - eta dJ/dW", "1"),
        Key(
            "biases",
            "vectors by name: b1, b2, ... (one per layer)",
            "b(l), added to each layer's weighted sums and updated with the weights",
            "{b1: [0.1, -0.2], b2: [0.05]}",
            default="(no biases)",
        ),
        Key(
            "layers",
            "a list of integers: units per layer, inputs first",
            "the sizes, checked against the weights' shapes",
            "[2, 2, 1]",
            default="(read from the weights)",
        ),
        Key("weight_decay", "a number >= 0", "lambda: the objective adds (lambda/2) sum ||W||^2", "0.01", default="0"),
        Key("steps", f"an integer from 1 to {MAX_STEPS}", "gradient-descent steps taken", "1", default="1"),
        Key(
            "batch_size",
            "an integer >= 1",
            "mini-batch SGD: samples per iteration, in the epoch's order (the last batch takes what is left; a size "
            "of at least the dataset's is full-batch GD, one iteration per epoch)",
            "2",
            default="(all samples; with none of batch_size, epochs, order, shuffle_seed: `steps` of full-batch GD)",
        ),
        Key(
            "epochs",
            f"an integer from 1 to {MAX_EPOCHS}",
            "passes over the dataset (mini-batch SGD)",
            "2",
            default="(one per order given, else 1)",
        ),
        Key(
            "order",
            "one list per epoch: the sample numbers 1..N in the order they are used",
            "e.g. [[2, 1, 4, 3], [4, 3, 2, 1]] for four samples over two epochs",
            "[[1], [1]]",
            default="(1..N each epoch, or shuffled by shuffle_seed)",
        ),
        Key(
            "shuffle_seed",
            "an integer >= 0",
            "each epoch's order is random.Random(seed).shuffle of the samples, one shuffle per epoch in turn "
            "(the solution writes the orders out)",
            "0",
            default="(no shuffle)",
        ),
        Key(
            "runs",
            "a mapping: run name -> {batch_size: b}",
            "the same training once per run, each with its batch size (epochs and orders shared), to compare "
            "(GD against SGD): parts run_iteration_loss and run_epoch_loss answer by run name",
            "{GD: {batch_size: 4}, SGD: {batch_size: 2}}",
            default="(none)",
        ),
        Key(
            "frozen",
            "a list of parameter names (W1, b1, ...)",
            "parameters used but never updated (their gradients are still computed)",
            "[b1, b2]",
            default="(none)",
        ),
        Key(
            "trainable",
            "a list of parameter names (W1, b1, ...)",
            "the parameters that are updated, every other one frozen (instead of `frozen`)",
            "[W1, W2]",
            default="(all)",
        ),
    )
)


def parse_given(node: Node) -> Network:
    fields = GIVEN.fields(node)
    inputs, batch = _samples(fields["x"])
    n_inputs = len(inputs[0])
    if any(len(x) != n_inputs for x in inputs):
        raise fields["x"].error("every input vector must have the same length")
    declared = _declared_layers(fields.get("layers"))
    targets, _ = _samples(fields["target"], batch)
    if len(targets) != len(inputs):
        raise fields["target"].error(f"expected {len(inputs)} targets (one per input), got {len(targets)}")
    if declared and declared[0] != n_inputs:
        raise fields["layers"].error(f"layers[0] is {declared[0]} but x has {n_inputs} entries")
    weights = _weights(fields["weights"], n_inputs, declared, len(targets[0]))
    sizes = [len(w) for w in weights]
    if any(len(y) != sizes[-1] for y in targets):
        raise fields["target"].error(f"expected targets of {sizes[-1]} entries (the output layer's units)")
    biases = _biases(fields["biases"], sizes) if "biases" in fields else None
    activations, slope = _activations(fields["activation"], len(weights))
    schedule = schedule_of(fields, len(inputs))
    if schedule is not None and "steps" in fields and fields["steps"].integer(minimum=1) != 1:
        raise fields["steps"].error("steps counts full-batch steps: with a mini-batch schedule epochs count")
    return Network(
        params=Params(weights, biases),
        activations=activations,
        loss=fields["loss"].choice(LOSSES),
        inputs=inputs,
        targets=targets,
        batch=batch,
        learning_rate=_positive(fields["learning_rate"]),
        weight_decay=fields["weight_decay"].number(minimum=0) if "weight_decay" in fields else Fraction(0),
        steps=_steps(fields["steps"]) if "steps" in fields else 1,
        slope=slope,
        frozen=frozen_of(fields, Params(weights, biases)),
        schedule=schedule,
        runs=runs_of(fields, schedule, len(inputs)),
    )


def _samples(node: Node, batch: bool | None = None) -> tuple[tuple[tuple, ...], bool]:
    """One vector (or scalar), or a list of them for a mini-batch."""
    row = node.row() if batch is None else None
    if row is not None:  # a lock's row of numbers: one sample, read without a node per number
        return (row,), False
    is_batch = batch if batch is not None else (not node.is_scalar and any(not item.is_scalar for item in node.items()))
    if not is_batch:
        return (node.vector(),), False
    items = node.items()
    if not items:
        raise node.error("expected at least one sample")
    return tuple(item.vector() for item in items), True


def _declared_layers(node: Node | None) -> tuple[int, ...]:
    if node is None:
        return ()
    row = node.row()  # a lock's row of sizes, read without a node per size (else each item's message names it)
    if row is not None and len(row) >= 2 and all(size.denominator == 1 and size.numerator >= 1 for size in row):
        return tuple(int(size) for size in row)
    sizes = tuple(item.integer(minimum=1) for item in node.items())
    if len(sizes) < 2:
        raise node.error("expected at least two layer sizes (inputs and outputs)")
    return sizes


def _weights(node: Node, n_inputs: int, declared: tuple[int, ...], n_outputs: int) -> tuple:
    entries = node.mapping()
    names = [f"W{l}" for l in range(1, len(entries) + 1)]
    node.fields(names)
    if declared and len(declared) - 1 != len(names):
        raise node.error(f"layers lists {len(declared) - 1} layers after the input, weights has {len(names)}")
    weights, columns = [], n_inputs
    for l, name in enumerate(names, start=1):
        matrix = entries[name].matrix()
        rows = declared[l] if declared else (n_outputs if l == len(names) else shape_of(matrix)[0])
        if shape_of(matrix) != (rows, columns):
            raise entries[name].error(
                f"expected a {format_shape((rows, columns))} matrix, got {format_shape(shape_of(matrix))}"
            )
        weights.append(matrix)
        columns = rows
    return tuple(weights)


def _biases(node: Node, sizes: list[int]) -> tuple:
    entries = node.fields([f"b{l}" for l in range(1, len(sizes) + 1)])
    return tuple(entries[f"b{l}"].vector(size) for l, size in enumerate(sizes, start=1))


def _activations(node: Node, layers: int) -> tuple[tuple[str, ...], Fraction]:
    """One activation per layer, and leaky ReLU's slope (one for the network: a layer may set it)."""
    slopes: list[Fraction] = []
    if isinstance(node.value, tuple):
        items = node.items()
        if len(items) != layers:
            raise node.error(f"expected one activation per layer ({layers}), got {len(items)}")
        names = tuple(_activation(item, slopes) for item in items)
        where = items[0]
    else:
        names = (_activation(node, slopes),) * layers
        where = node
    if "softmax" in names[:-1]:
        raise where.error("softmax is only allowed on the output layer")
    if len(set(slopes)) > 1:
        raise node.error("leaky_relu has one slope in every layer: give the same slope each time")
    return names, slopes[0] if slopes else DEFAULT_SLOPE


DEFAULT_SLOPE = Fraction(1, 100)


def _activation(node: Node, slopes: list[Fraction]) -> str:
    """A name, or {name: leaky_relu, slope: s} (the slope a number >= 0, noted in `slopes`)."""
    if node.is_scalar:
        return node.choice(ACTIVATIONS)
    entries = node.fields(["name"], ["slope"])
    name = entries["name"].choice(ACTIVATIONS)
    if "slope" in entries:
        if name != "leaky_relu":
            raise entries["slope"].error(f"only leaky_relu has a slope, not {name}")
        slopes.append(entries["slope"].number(minimum=0))
    return name


def _positive(node: Node) -> Any:
    value = node.number()
    if value <= 0:
        raise node.error(f"expected a positive number, got {node.value}")
    return value


def _steps(node: Node) -> int:
    steps = node.integer(minimum=1)
    if steps > MAX_STEPS:
        raise node.error(f"at most {MAX_STEPS} steps")
    return steps

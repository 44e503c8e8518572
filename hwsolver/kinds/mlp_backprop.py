"""Kind `mlp_backprop`: gradient-descent updates of a fully-connected network, exact and in float64."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from hwsolver.model import Problem, Solution
from hwsolver.networks import exact as exact_path
from hwsolver.networks import vectorized
from hwsolver.networks.network import ACTIVATIONS, LOSSES, Network, Params
from hwsolver.node import Node, format_shape, shape_of
from hwsolver.numbers import high_precision
from hwsolver.witness import check_agreement

DESCRIPTION = "gradient-descent update of a fully-connected network"
PARTS = (
    "forward",
    "output_before",
    "loss_before",
    "errors",
    "gradients",
    "params_after",
    "output_after",
    "loss_after",
    "loss_decreased",
    "loss_history",
)
_REQUIRED = ("weights", "activation", "x", "target", "loss", "learning_rate")
_OPTIONAL = ("biases", "layers", "weight_decay", "steps")
MAX_STEPS = 10_000


def parts(given: Network) -> tuple[str, ...]:
    return PARTS


def parse_given(node: Node) -> Network:
    fields = node.fields(_REQUIRED, _OPTIONAL)
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
    return Network(
        params=Params(weights, biases),
        activations=_activations(fields["activation"], len(weights)),
        loss=fields["loss"].choice(LOSSES),
        inputs=inputs,
        targets=targets,
        batch=batch,
        learning_rate=_positive(fields["learning_rate"]),
        weight_decay=_non_negative(fields["weight_decay"]) if "weight_decay" in fields else Fraction(0),
        steps=_steps(fields["steps"]) if "steps" in fields else 1,
    )


def _samples(node: Node, batch: bool | None = None) -> tuple[tuple[tuple, ...], bool]:
    """One vector (or scalar), or a list of them for a mini-batch."""
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


def _activations(node: Node, layers: int) -> tuple[str, ...]:
    if node.is_scalar:
        names = (node.choice(ACTIVATIONS),) * layers
        where = node
    else:
        items = node.items()
        if len(items) != layers:
            raise node.error(f"expected one activation per layer ({layers}), got {len(items)}")
        names = tuple(item.choice(ACTIVATIONS) for item in items)
        where = items[0]
    if "softmax" in names[:-1]:
        raise where.error("softmax is only allowed on the output layer")
    return names


def _positive(node: Node) -> Any:
    value = node.number()
    if value <= 0:
        raise node.error(f"expected a positive number, got {node.value}")
    return value


def _non_negative(node: Node) -> Any:
    value = node.number()
    if value < 0:
        raise node.error(f"expected a number >= 0, got {node.value}")
    return value


def _steps(node: Node) -> int:
    steps = node.integer(minimum=1)
    if steps > MAX_STEPS:
        raise node.error(f"at most {MAX_STEPS} steps")
    return steps


# -- solving ------------------------------------------------------------------------------------------------


def solve(problem: Problem, *, exact: bool = True) -> Solution:
    net: Network = problem.given
    run = vectorized.train(net)
    approx = _float_answers(net, run)
    if not exact:
        return Solution(problem, approx, {"network": net})
    steps, final_samples, final_objective = exact_path.train(net)
    answers = _exact_answers(net, steps, final_samples, final_objective)
    check_agreement(problem.id, answers, approx)
    work = {"network": net, "steps": steps, "final": final_samples, "final_objective": final_objective}
    return Solution(problem, answers, work)


def _per_sample(net: Network, values: list) -> Any:
    return tuple(values) if net.batch else values[0]


def _exact_answers(net: Network, steps: tuple, final_samples: tuple, final_objective: Any) -> dict[str, Any]:
    first = steps[0]
    history = (*(s.objective for s in steps), final_objective)
    return _assemble(
        net,
        forward=[tuple({"z": layer.z, "a": layer.a} for layer in s.layers) for s in first.samples],
        errors=[s.errors for s in first.samples],
        outputs_before=[s.layers[-1].a for s in first.samples],
        outputs_after=[s.layers[-1].a for s in final_samples],
        gradients=first.gradients.named(),
        params_after=steps[-1].params_after.named(),
        history=history,
    )


def _float_answers(net: Network, run: vectorized.Run) -> dict[str, Any]:
    first, n = run.first, len(net.inputs)
    rows = lambda array: tuple(_floats(row) for row in array)  # noqa: E731
    has_biases = net.params.biases is not None
    gradients = Params(tuple(map(rows, first.grad_w)), tuple(map(_floats, first.grad_b)) if has_biases else None)
    after = Params(tuple(map(rows, run.weights_after)), tuple(map(_floats, run.biases_after)) if has_biases else None)
    return _assemble(
        net,
        forward=[
            tuple({"z": _floats(z[i]), "a": _floats(a[i])} for z, a in zip(first.zs, first.activations))
            for i in range(n)
        ],
        errors=[tuple(_floats(e[i]) for e in first.errors) for i in range(n)],
        outputs_before=[_floats(first.activations[-1][i]) for i in range(n)],
        outputs_after=[_floats(run.last.activations[-1][i]) for i in range(n)],
        gradients=gradients.named(),
        params_after=after.named(),
        history=tuple(run.history),
    )


def _assemble(net: Network, *, forward, errors, outputs_before, outputs_after, gradients, params_after, history):
    return {
        "forward": _per_sample(net, forward),
        "output_before": _per_sample(net, outputs_before),
        "loss_before": history[0],
        "errors": _per_sample(net, errors),
        "gradients": gradients,
        "params_after": params_after,
        "output_after": _per_sample(net, outputs_after),
        "loss_after": history[-1],
        "loss_decreased": _lower(history[-1], history[0]),
        "loss_history": tuple(history),
    }


def _lower(after: Any, before: Any) -> bool:
    """after < before, also when a long run moved the exact path from Fractions to 50 digits part way."""
    if type(after) is not type(before):
        after, before = (high_precision(v) if isinstance(v, Fraction) else v for v in (after, before))
    return bool(after < before)


def _floats(array: Any) -> tuple[float, ...]:
    return tuple(array.tolist())


# The grader's hooks: the classic slips on this kind, and parts recomputed from a student's earlier answers.
from hwsolver.kinds.mlp_follow import chain, follow_through, trivial  # noqa: E402
from hwsolver.kinds.mlp_grading import MISTAKES, mistakes  # noqa: E402

__all__ = [
    "DESCRIPTION",
    "MISTAKES",
    "chain",
    "follow_through",
    "mistakes",
    "parse_given",
    "parts",
    "solve",
    "trivial",
]

"""Kind `mlp_backprop`: gradient-descent updates of a fully-connected network, exact and in float64 (the given:
given.py; mistakes: grading.py; follow-through: follow.py; labels, sentences and the drawing: explain.py)."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from hwsolver.compute.networks import exact as exact_path
from hwsolver.compute.networks import vectorized
from hwsolver.compute.networks.network import Network, Params
from hwsolver.kinds.base import Kind, PartInfo
from hwsolver.kinds.mlp_backprop.given import GIVEN, parse_given
from hwsolver.model import Problem, Solution
from hwsolver.numbers import high_precision
from hwsolver.witness import check_agreement

PARTS = (
    PartInfo("forward", "per layer, {z: [...], a: [...]} (for a mini-batch: a list of those per sample)"),
    PartInfo("output_before", "a number or vector: the output a(L) (for a mini-batch: one per sample)"),
    PartInfo("loss_before", "a number: the objective before the update"),
    PartInfo("errors", "a list per layer: e(1), e(2), ... as vectors (for a mini-batch: one such list per sample)"),
    PartInfo("gradients", "parameters by name: W1 (a matrix), b1 (a vector), ... the objective's gradients"),
    PartInfo("params_after", "parameters by name, like gradients: their values after the last step"),
    PartInfo("output_after", "like output_before, with the parameters after the last step"),
    PartInfo("loss_after", "a number: the objective after the last step"),
    PartInfo("loss_decreased", "yes or no: is loss_after below loss_before"),
    PartInfo("loss_history", "a list of numbers: the objective before each step and after the last"),
)


def parts_for(given: Network) -> tuple[str, ...]:
    return tuple(part.id for part in PARTS)


def solve(problem: Problem, *, exact: bool = True, slips: vectorized.Slips = vectorized.RIGHT) -> Solution:
    """Every answer, exactly (checked by the witness) or in float64 alone; `slips` switches on classic mistakes
    in the float path (grading.py's mutants)."""
    net: Network = problem.given
    if not exact or slips != vectorized.RIGHT:
        return Solution(problem, _float_answers(net, vectorized.train(net, slips)), {"network": net})
    steps, final_samples, final_objective = exact_path.train(net)
    answers = _exact_answers(net, steps, final_samples, final_objective)
    work = {"network": net, "steps": steps, "final": final_samples, "final_objective": final_objective}
    return Solution(problem, answers, work)


def witness(problem: Problem, solution: Solution) -> None:
    """The vectorized float64 training (whole layers and batches at once) agrees with the exact one."""
    net: Network = problem.given
    check_agreement(problem.id, solution.answers, _float_answers(net, vectorized.train(net)))


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
        outputs_after=[_floats(run.outputs_after[i]) for i in range(n)],
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


# grading.py calls solve (its mutants are the float path with a slip): imported once it is defined.
from hwsolver.kinds.mlp_backprop import examples, explain, follow, grading  # noqa: E402

KIND = Kind(
    name="mlp_backprop",
    description="gradient-descent update of a fully-connected network",
    given=GIVEN,
    parse_given=parse_given,
    parts=PARTS,
    parts_for=parts_for,
    solve=solve,
    witness=witness,
    mistakes=grading.MISTAKES,
    mutants=grading.mutants,
    pairs=grading.pairs,
    example=examples.example,
    strings=explain.STRINGS,
    labels=explain.LABELS,
    follow_through=follow.follow_through,
    chain=follow.chain,
    trivial=follow.trivial,
    drawing=explain.drawing,
)

"""Kind `initialization`: how a layer's weights are drawn (Xavier/Glorot, He/Kaiming: the gain, the variance, the
bound or standard deviation, the variance of a pre-activation), and what equal initial weights do to a network
that trains (its gradients, its parameters after some steps, the hidden units that stay identical), beside
another start (the given: given.py; mistakes and follow-through: grading.py; sentences: explain.py)."""

from __future__ import annotations

from itertools import pairwise
from typing import Any

from hwsolver.compute import init_floats, symmetry
from hwsolver.compute.networks import exact as exact_path
from hwsolver.compute.networks import vectorized
from hwsolver.compute.networks.network import Network, Params
from hwsolver.kinds.base import Kind, PartInfo
from hwsolver.kinds.initialization import examples, explain, grading
from hwsolver.kinds.initialization.given import GIVEN, Init, parse_given
from hwsolver.kinds.initialization.schemes import layer_inits, scheme_answers
from hwsolver.model import Problem, Solution
from hwsolver.witness import check_agreement

PER_LAYER = "a list with one number per layer (a number when there is one layer)"
PARTS = (
    PartInfo("gain", f"{PER_LAYER}: the gain in each layer's standard deviation"),
    PartInfo("weight_variance", f"{PER_LAYER}: Var(w), the variance of each layer's weights"),
    PartInfo("bound", f"{PER_LAYER}: the bound a of U(-a, a) (uniform schemes)"),
    PartInfo("std", f"{PER_LAYER}: the standard deviation of N(0, std^2) (normal schemes)"),
    PartInfo("preactivation_variance", f"{PER_LAYER}: Var(z) = fan_in Var(w) Var(x)"),
    PartInfo("gradients", "parameters by name: W1 (a matrix), b1 (a vector), ... the first step's gradients"),
    PartInfo("params_after", "parameters by name, like gradients: their values after the last step"),
    PartInfo(
        "identical_units",
        "per hidden layer, for each unit (from 1) the lowest-numbered unit identical to it at every step",
    ),
    PartInfo("contrast_gradients", "like gradients, from the contrast start"),
    PartInfo("contrast_params_after", "like params_after, from the contrast start"),
    PartInfo("contrast_identical_units", "like identical_units, from the contrast start"),
)
TRAINED = ("gradients", "params_after", "identical_units")


def parts_for(given: Init) -> tuple[str, ...]:
    spread = "bound" if given.uniform else "std"
    asked = {"gain", "weight_variance", spread, "preactivation_variance"}
    trained = [part for part in TRAINED if part != "identical_units" or len(given.sizes) > 2]
    if given.start is not None:
        asked.update(trained)
    if given.contrast is not None:
        asked.update(f"contrast_{part}" for part in trained)
    return tuple(part.id for part in PARTS if part.id in asked)


def solve(problem: Problem, *, exact: bool = True) -> Solution:
    init: Init = problem.given
    if not exact:
        return Solution(problem, _float_answers(init))
    layers = layer_inits(init)
    answers, work = scheme_answers(init, layers), {"layers": layers}
    for prefix, net in (("", init.start), ("contrast_", init.contrast)):
        if net is not None:
            steps, _, _ = exact_path.train(net)
            history = [steps[0].params, *(step.params_after for step in steps)]
            answers.update(_trained(prefix, steps[0].gradients, steps[-1].params_after, history))
            work[f"{prefix}steps"] = steps
    return Solution(problem, {part: answers[part] for part in parts_for(init)}, work)


def witness(problem: Problem, solution: Solution) -> None:
    """torch.nn.init's float arithmetic and the vectorized float64 training (run one step at a time for the
    units) agree with the exact answers."""
    check_agreement(problem.id, solution.answers, _float_answers(problem.given))


def _trained(prefix: str, gradients: Params, after: Params, history: list, same: Any = None) -> dict[str, Any]:
    found = {f"{prefix}gradients": gradients.named(), f"{prefix}params_after": after.named()}
    if len(history[0].weights) > 1:
        found[f"{prefix}identical_units"] = symmetry.identical_units(history, same)
    return found


def _float_answers(init: Init) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for l, (fan_in, fan_out) in enumerate(pairwise(init.sizes)):
        if init.gain_from_activation:
            gain = init_floats.calculate_gain(init.activations[l], float(init.negative_slope))
        else:
            gain = 1.0 if init.gain == "default" else float(init.gain)
        layer = init_floats.torch_init(fan_in, fan_out, init.scheme, gain, init.mode, float(init.input_variance))
        for part, value in (
            ("gain", layer.gain),
            ("weight_variance", layer.variance),
            ("bound" if init.uniform else "std", layer.spread),
            ("preactivation_variance", layer.preactivation),
        ):
            found[part] = (*found.get(part, ()), value)
    for prefix, net in (("", init.start), ("contrast_", init.contrast)):
        if net is not None:
            found.update(_float_training(prefix, net))
    return {part: found[part] for part in parts_for(init)}


def _float_training(prefix: str, net: Network) -> dict[str, Any]:
    run = vectorized.train(net)
    rows = lambda array: tuple(map(tuple, array.tolist()))  # noqa: E731
    biased = net.params.biases is not None
    gradients = Params(
        tuple(map(rows, run.first.grad_w)), tuple(tuple(g.tolist()) for g in run.first.grad_b) if biased else None
    )
    after = Params(
        tuple(map(rows, run.weights_after)), tuple(tuple(b.tolist()) for b in run.biases_after) if biased else None
    )
    return _trained(prefix, gradients, after, symmetry.float_history(net), symmetry.close)


KIND = Kind(
    name="initialization",
    description="Xavier and He initialization, and the symmetry of equal initial weights",
    given=GIVEN,
    parse_given=parse_given,
    parts=PARTS,
    parts_for=parts_for,
    solve=solve,
    witness=witness,
    mistakes=grading.MISTAKES,
    mutants=grading.mutants,
    pairs=grading.pairs,
    strings=explain.STRINGS,
    labels=explain.LABELS,
    example=examples.example,
    follow_through=grading.follow_through,
)

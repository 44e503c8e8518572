"""The slips of a variant trained in one stacked run (compute/networks/stacked.py) give, copy by copy, exactly
the numbers of each slip's own run: random networks of every activation, loss, bias, decay, batch and frozen
setting, several steps, and every pair of slips. Counted: one stacked run does the work of all."""

from __future__ import annotations

import itertools
import random
from dataclasses import replace

import numpy as np
import pytest

from hwsolver.compute.networks import small, stacked, vectorized
from hwsolver.compute.networks.vectorized import Slips
from hwsolver.kinds.mlp_backprop import grading
from hwsolver.kinds.pairs import merged
from hwsolver.solving import solve, solve_paths

from .test_mlp_backprop import CASES, make_problem, random_given

ONE_EACH = [
    Slips(update_sign=-1),
    Slips(loss_scale=2),
    Slips(activation_derivative=False),
    Slips(stale_weights=True),
    Slips(update_frozen=True),
    Slips(batch_sum=True),
]
EVERY = [vectorized.RIGHT, *ONE_EACH, *filter(None, itertools.starmap(merged, itertools.combinations(ONE_EACH, 2)))]


def same(one: vectorized.Run, other: vectorized.Run) -> bool:
    """Bit for bit: every array and number of the two runs."""

    def arrays(run: vectorized.Run) -> list:
        first = run.first
        found = [*first.zs, *first.activations, *first.errors, *first.grad_w, *first.grad_b, *run.weights_after]
        return [*found, *(run.biases_after or ()), run.outputs_after]

    pairs = zip(arrays(one), arrays(other), strict=True)
    return (
        one.first.objective == other.first.objective
        and one.history == other.history
        and all(a.shape == b.shape and np.array_equal(a, b, equal_nan=True) for a, b in pairs)
    )


def networks():
    rng = random.Random(14)
    for n, (output, loss) in enumerate(CASES * 4):
        given = random_given(rng, output, loss, batch=rng.choice((0, 2, 3)))
        net = make_problem(given).given
        frozen = frozenset(rng.sample(sorted(net.params.named()), 1)) if n % 3 == 0 else frozenset()
        yield pytest.param(replace(net, frozen=frozen, steps=1 + n % 3), id=f"{n}-{output}-{loss}")


@pytest.mark.parametrize("net", list(networks()))
def test_each_copy_is_its_own_run(net) -> None:
    try:
        alone = [vectorized.train(net, slips) for slips in EVERY]
    except Exception as error:  # a copy that cannot be trained raises as it does alone
        with pytest.raises(type(error)):
            stacked.train_each(net, EVERY)
        return
    for copy, own in zip(stacked.train_each(net, EVERY), alone, strict=True):
        assert same(copy, own)
    # listed: the same numbers as Python floats, each copy's arrays turned into lists at once
    for copy, own in zip(stacked.listed_each(net, EVERY), alone, strict=True):
        assert listed(copy) == listed(own)


def listed(run: vectorized.Run) -> list:
    """Every number of a run, its arrays as nested lists (a listed run's are already)."""

    def as_list(value):
        return value.tolist() if isinstance(value, np.ndarray) else value

    first = run.first
    found = [*first.zs, *first.activations, *first.errors, *first.grad_w, *first.grad_b, *run.weights_after]
    found += [*(run.biases_after or ()), run.outputs_after]
    return [first.objective, run.history, *map(as_list, found)]


def test_a_stacked_run_is_listed_once_per_array(monkeypatch) -> None:
    """Counted: listing the copies of one stacked run calls tolist once per array, not once per row of a copy."""
    net = next(networks()).values[0]
    run = stacked._train_stacked(net, EVERY)
    calls = []
    real = stacked._listed
    monkeypatch.setattr(stacked, "_listed", lambda value, dims, count: calls.append(dims) or real(value, dims, count))
    copies = stacked.listed(run, len(EVERY))
    assert len(copies) == len(EVERY)
    first = run.first
    arrays = [*first.zs, *first.activations, *first.errors, *first.grad_w, *first.grad_b, *run.weights_after]
    arrays += [*(run.biases_after or ()), run.outputs_after, first.objective, *run.history]
    assert len(calls) == len(arrays)


def test_the_built_in_networks_mutants_come_from_one_run(monkeypatch) -> None:
    """Every slip a built-in network has, and a sigmoid network's (and their answers, those of each slip's own run),
    from one stacked run, made when the first answer is read (a variant answered right, or wrong only where no slip
    shows, needs none); a small network's (the relu exercise's) from plain floats, with no NumPy run
    (test_mlp_small.py)."""
    runs = []
    monkeypatch.setattr(stacked, "train", lambda net, slips: runs.append(slips) or vectorized.train(net, slips))
    sigmoid = make_problem(
        {"weights": {"W1": [[1, 2], [1, -1], [2, 1]], "W2": [[1, 1, -1]]}, "activation": "sigmoid", "x": [1, 2]}
        | {"target": 1, "loss": "half_squared_error", "learning_rate": 1},
        grading._SLIPPED_PARTS,
    )
    kinds = []
    for solution in [*solve_paths(), solve(sigmoid)]:
        problem = solution.problem
        if problem.kind != "mlp_backprop" or problem.given.schedule is not None:
            continue
        kinds.append(small.fits(problem.given))
        runs.clear()
        found = grading.mutants(problem, solution)
        assert runs == [] and all(mutant.answers.get("output_before") is None for mutant in found)
        assert runs == []  # a part no slip shows in is read without a run
        for mutant in found:
            if mutant.id in grading.SLIPS:
                own = grading._answers(problem, grading.SLIPS[mutant.id])
                assert mutant.answers == own
        assert len(runs) == (0 if kinds[-1] else 1)  # one run, however many slips
    assert set(kinds) == {True, False}  # both paths met


def test_a_switch_alike_in_every_copy_is_one_setting() -> None:
    """Only the switches that differ between copies are stacked (what the others switch is worked out once), and
    the stacked switches of the same slips are made once, whichever variant asks."""
    each = (Slips(update_sign=-1), Slips(loss_scale=2), Slips(update_sign=-1, loss_scale=2))
    made = stacked.stacked_slips(each)
    assert made is stacked.stacked_slips(tuple(each))
    assert made.update_sign.ravel().tolist() == [-1, 1, -1] and made.loss_scale.ravel().tolist() == [1, 2, 2]
    assert made.activation_derivative is True and made.stale_weights is False and made.batch_sum is False


def test_slipped_answers_only_the_parts_asked_for(monkeypatch) -> None:
    """A slip's answers to the parts it shows in, the same values its own full run gives; the others (the forward
    pass before the update, shared by every slip) are never assembled."""
    from hwsolver.kinds import mlp_backprop
    from hwsolver.kinds.mlp_backprop import answers

    solution = next(s for s in solve_paths() if s.problem.id == "relu-network-update")
    each = [grading.SLIPS[name] for name in ("sign_flipped", "stale_weights", "missing_half")]
    made = []
    real = answers._PARTS["forward"]
    monkeypatch.setitem(answers._PARTS, "forward", lambda m: made.append(m) or real(m))
    found = mlp_backprop.slipped(solution.problem, each, grading._SLIPPED_PARTS)
    assert made == []
    for slips, got in zip(each, found, strict=True):
        own = mlp_backprop.solve(solution.problem, exact=False, slips=slips).answers
        assert got == {part: own[part] for part in grading._SLIPPED_PARTS}
    assert made  # the full run did assemble it: the count above can fail


def test_a_slips_run_lists_only_the_arrays_read(monkeypatch) -> None:
    """Counted: a grader reads a slip's answers to a part or two; listed_each lists an array of the stacked run
    (for every copy at once) when a copy first reads it, and the arrays no copy reads never."""
    net = next(networks()).values[0]
    calls = []
    real = stacked._listed
    monkeypatch.setattr(stacked, "_listed", lambda value, dims, count: calls.append(dims) or real(value, dims, count))
    copies = stacked.listed_each(net, EVERY)
    assert calls == []
    alone = [stacked.listed(vectorized.train(net, slips), 1)[0] for slips in EVERY]
    calls.clear()
    for copy, own in zip(copies, alone, strict=True):
        assert copy.first.grad_w == own.first.grad_w and copy.history == own.history
    assert len(calls) == len(net.activations) + len(alone[0].history)  # each layer's gradient, each objective
    assert listed(copies[1]) == listed(alone[1])  # and every other array, when read


@pytest.mark.parametrize("net", list(networks()))
def test_a_slips_answer_is_laid_out_as_grading_lays_it_out(net) -> None:
    """The layout a slip's answer gives of itself (without making the answer) is what grading's float_layout makes
    of that answer, part by part and copy by copy; the parts it lays out include every part a relu variant's
    slips are compared at, and errors (a vector per layer) are left to grading."""
    from hwsolver.grading.float_answers import float_layout
    from hwsolver.kinds.mlp_backprop import _Stacked

    laid, made = _Stacked(net, EVERY), _Stacked(net, EVERY)
    try:
        made.answer(0, "gradients")
    except Exception:  # a copy that cannot be trained: no answers, no layouts
        return
    for copy, part in itertools.product(range(len(EVERY)), grading._SLIPPED_PARTS):
        found = laid.layout(copy, part)
        assert (found is None) == (part == "errors")
        assert found is None or found == float_layout(made.answer(copy, part))

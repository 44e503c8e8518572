"""Every constraint holds on 1,000 seeds of each built-in problem with variants, checked without the solver
(oracles.py) where a constraint is about numbers; the work counted is the draws it took."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from hwsolver.spec.sets import load_set
from hwsolver.variants.detect import Judge
from hwsolver.variants.drawing import MAX_DRAWS, ProblemVariants, Variant
from tests.variants.oracles import decimal_places, relu_network, relu_network_exact, values

SEEDS = 1000
SALT = "thousand-seeds"


@pytest.fixture(scope="module")
def drawn() -> dict[str, list[Variant]]:
    found = {}
    for entry in load_set().entries:
        maker = ProblemVariants(entry)
        if maker.varies:
            found[entry.problem.id] = [maker.draw(SALT, f"S{n:04}") for n in range(SEEDS)]
    return found


def test_the_homework_varies_what_the_issue_asks(drawn) -> None:
    assert sorted(drawn) == [
        "average-pooling-backprop",
        "conv-backprop",
        "pooling-backprop",
        "relu-network-update",
        "sigmoid-derivatives",
    ]


def test_drawing_takes_few_draws(drawn) -> None:
    for problem, variants in drawn.items():
        attempts = [v.attempt + 1 for v in variants]
        assert sum(attempts) / SEEDS < 4, problem  # every rule set is met by a good share of draws
        assert max(attempts) < MAX_DRAWS // 4, problem


def test_numbers_are_distinct_across_students(drawn) -> None:
    for problem in ("relu-network-update", "conv-backprop", "pooling-backprop", "average-pooling-backprop"):
        assert len({v.given.source for v in drawn[problem]}) == SEEDS, problem
    functions = {values(v.given)["function"] for v in drawn["sigmoid-derivatives"]}
    assert functions == {"1/(1 + exp(-x))", "log(1 + exp(x))"}


def test_relu_network_constraints_hold(drawn) -> None:
    for variant in drawn["relu-network-update"]:
        given = values(variant.given)
        found = relu_network(given)
        assert min(abs(z) for z in found["pre_activations"]) > 0.01 + 1e-12  # no_relu_kink: 0.01, before and after
        assert found["loss_after"] < found["loss_before"]  # loss_decreases
        assert max(decimal_places(v) for v in relu_network_exact(given)) <= 6  # terminating_decimals: 6
        # leaving out ReLU' changes some gradient beyond 3 significant figures: one hidden unit is inactive
        right = np.array(found["gradients"]["W1"])
        slipped = np.array(found["gradients_without_relu_derivative"]["W1"])
        assert np.max(np.abs(slipped - right) - 5e-3 * np.maximum(np.abs(right), np.abs(slipped))) > 0
        weights = [*(v for row in given["weights"]["W1"] for v in row), *given["weights"]["W2"][0]]
        assert all(Fraction(1, 10) <= abs(v) <= Fraction(9, 10) and (v * 10).denominator == 1 for v in weights)


def test_pooling_and_convolution_constraints_hold(drawn) -> None:
    for variant in drawn["pooling-backprop"]:
        x = np.array(values(variant.given)["input"], dtype=float)
        for p in range(2):
            for q in range(2):
                window = x[2 * p : 2 * p + 2, 2 * q : 2 * q + 2]
                assert np.count_nonzero(window == window.max()) == 1  # no_ties
    for variant in drawn["conv-backprop"]:
        given = values(variant.given)
        assert all(z != 0 for row in given["z_prev"] for z in row)  # no_relu_kink: 0
        assert all(e != 0 for row in given["upstream"] for e in row)  # nonzero_upstream


@pytest.mark.parametrize(
    "problem",
    ["relu-network-update", "conv-backprop", "pooling-backprop", "average-pooling-backprop", "sigmoid-derivatives"],
)
def test_every_mistake_shows_in_every_variant(drawn, problem: str) -> None:
    shared: dict = {}
    for variant in {v.given.source: v for v in drawn[problem]}.values():  # each distinct variant once
        judge = Judge(variant.problem, variant.solution, shared)
        assert judge.mutants and not judge.hidden(), (problem, variant.given.source)

"""problems/gd-vs-sgd.yaml's variants: the rules and constraints hold on many draws, checked with the
independent loop (oracle.py), and each variant's statement shows its own numbers."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from hwsolver.spec.sets import load_set
from hwsolver.variants.check import check_set
from hwsolver.variants.drawing import ProblemVariants
from tests.variants.oracles import decimal_places, values

from .oracle import Net, sgd

PATH = Path(__file__).resolve().parents[3] / "problems" / "gd-vs-sgd.yaml"
SEEDS = 100
ORDERS = [[0, 1, 2, 3], [2, 0, 3, 1]]


@pytest.fixture(scope="module")
def variants() -> list:
    (entry,) = load_set([PATH]).entries
    maker = ProblemVariants(entry)
    return [maker.draw("sgd-variants", f"S{n:03}") for n in range(SEEDS)]


def test_every_variant_trains_both_runs_downhill_with_short_exact_first_steps(variants: list) -> None:
    assert len({v.given.source for v in variants}) > SEEDS * 0.95  # the students' numbers differ
    for variant in variants:
        given = values(variant.given)
        rate = given["learning_rate"]
        assert rate in (Fraction(1, 10), Fraction(3, 20), Fraction(1, 5))
        w, b = given["weights"]["W1"][0], given["biases"]["b1"][0]
        assert all(abs(v) <= Fraction(1, 2) for v in (*w, b))
        assert len({tuple(x) for x in given["x"]}) == 4  # distinct_inputs
        xs = np.array(given["x"], dtype=float)
        ys = np.array(given["target"], dtype=float).reshape(4, 1)
        net = Net({"W1": np.array([w], dtype=float), "b1": np.array([b], dtype=float)}, ["identity"], "squared_error")
        start = net.objective(net.params, xs, ys)
        for batch in (4, 2):  # loss_decreases: GD and SGD both end below the start
            assert sgd(net, xs, ys, float(rate), batch, ORDERS).epoch_loss[-1] < start
        # terminating_decimals: 6, the first SGD iteration worked out exactly by hand (batch: samples 1 and 2)
        errors = [w[0] * x[0] + w[1] * x[1] + b - t for x, t in zip(given["x"][:2], given["target"][:2])]
        grads = [sum(e * x[i] for e, x in zip(errors, given["x"][:2])) for i in range(2)]
        after = [v - rate * g for v, g in zip((*w, b), (*grads, sum(errors)))]
        assert max(decimal_places(v) for v in (*errors, *after)) <= 6


def test_the_statement_shows_each_variants_numbers(variants: list) -> None:
    for variant in variants[:5]:
        given = values(variant.given)
        for lang in ("en", "zh"):
            text = variant.problem.statement[lang]
            rate, bias = (f"{float(v):g}" for v in (given["learning_rate"], given["biases"]["b1"][0]))
            assert f"\\eta = {rate}" in text and f"b = {bias}$" in text, lang
            x4 = "(" + ", ".join(f"{float(v):g}" for v in given["x"][3]) + ")"
            assert f"x^{{[4]}} = {x4}" in text, lang
            assert "{{" not in text


def test_check_passes_on_drawn_variants() -> None:
    (checked,) = check_set(load_set([PATH]), samples=3)
    assert checked.variants >= 3 and not checked.failures

"""The one table of activations and losses: both arithmetic paths implement exactly its names, and what it says
of each (rational, elementwise) is what the paths do."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from hwsolver.compute.functions import ACTIVATIONS, ELEMENTWISE, LOSSES, SQUARED_LOSSES
from hwsolver.compute.networks import exact, vectorized


def test_both_paths_implement_every_elementwise_activation_and_no_other() -> None:
    assert set(exact.ELEMENTWISE) == set(vectorized.ELEMENTWISE) == set(ELEMENTWISE)
    assert set(ACTIVATIONS) - set(ELEMENTWISE) == {"softmax"}  # the one that reads the whole layer


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_a_rational_activation_keeps_fractions_exact(name: str) -> None:
    f, fprime = exact.ELEMENTWISE[name]
    z = Fraction(-3, 7)
    value = f(z) if ACTIVATIONS[name].rational else f(float(z))
    assert isinstance(value, Fraction) == ACTIVATIONS[name].rational
    if ACTIVATIONS[name].rational:  # and the float path agrees with it
        assert float(value) == pytest.approx(vectorized.ELEMENTWISE[name][0](np.array([float(z)]))[0])
        assert float(fprime(z, value)) == pytest.approx(vectorized.ELEMENTWISE[name][1](np.array([float(z)]), None)[0])


@pytest.mark.parametrize("name", LOSSES)
def test_the_float_path_knows_every_loss(name: str) -> None:
    yhat, y = np.array([[0.3, 0.7]]), np.array([[0.0, 1.0]])
    losses, gradient = vectorized.loss_terms(name, yhat, y)
    assert losses.shape == (1,) and gradient.shape == (1, 2)
    assert (name in SQUARED_LOSSES) == LOSSES[name].squared == ("squared" in name)

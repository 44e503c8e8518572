"""A network's numbers as floats are converted once, however often a variant's mutants, rounding allowances and
follow-through ask for them, and none of those readers can change them for the others."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from hwsolver.compute import float_arrays
from hwsolver.compute.networks import vectorized
from hwsolver.kinds import KINDS
from hwsolver.solving import solve_paths


def test_converted_once_for_every_reader(monkeypatch: pytest.MonkeyPatch) -> None:
    (solved,) = solve_paths(["problems/relu-network-update.yaml"])
    problem = replace(solved.problem, given=replace(solved.problem.given))  # a network never converted yet
    solution, kind = replace(solved, problem=problem), KINDS[problem.kind]
    converted = []
    real = float_arrays.float_array
    monkeypatch.setattr(float_arrays, "float_array", lambda values: converted.append(values) or real(values))
    kind.mutants(problem, solution)
    kind.chain(problem, solution).run()
    kind.follow_through(problem, solution)
    net = problem.given
    arrays = len(net.params.weights) + len(net.params.biases or ()) + 2  # and the inputs, the targets
    assert len(converted) == arrays
    weights, _, x, _ = vectorized.arrays(net)
    assert np.array_equal(x, np.array(net.inputs, dtype=float))
    with pytest.raises(ValueError):
        weights[0][0, 0] = 1.0  # read-only: shared by every reader

"""The conv kind's follow-through routes are made without the layer's float arrays (kinds/conv_backprop/follow.py):
a wrong answer asks for them, and most re-run only the recursion. The shape an a(l-1) answer must have is the
float arrays' own (the witness), with one channel and with several."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from hwsolver.compute.layers.arrays import deep_map
from hwsolver.grading import prepared as preparing
from hwsolver.kinds.conv_backprop import follow
from hwsolver.solving import solve, solve_paths


@pytest.mark.parametrize("channels", [False, True])
def test_the_routes_need_no_float_arrays(channels: bool) -> None:
    written = next(p for p in preparing.prepare(solve_paths()) if p.problem.id == "conv-backprop")
    layer = written.problem.given
    if channels:  # two input channels, one output channel (each channel axis written out)
        bias = None if layer.bias is None else (layer.bias,)
        layer = replace(layer, z_prev=(layer.z_prev, layer.z_prev), kernel=((layer.kernel, layer.kernel),))
        layer = replace(layer, upstream=(layer.upstream,), bias=bias)
    layer = replace(layer, upstream=deep_map(lambda x: 2 * x, layer.upstream))  # a variant: its own layer
    problem = replace(written.problem, given=layer)
    solution = solve(problem, witness=False)
    layer = replace(layer)  # (a layer of its own: no float arrays made by the solve)
    problem = replace(problem, given=layer)
    routes = {route.part: route for route in follow.follow_through(problem, solution)}
    assert "floats" not in layer.__dict__  # made without them
    assert layer.geometry[:3] == layer.floats[0].shape  # the witness: the shape the arrays have
    right = deep_map(float, solution.answers["activation_prev"])
    assert np.allclose(
        routes["output"].compute({"activation_prev": right}), deep_map(float, solution.answers["output"])
    )
    with pytest.raises(ValueError):  # an a(l-1) of another shape fits no route
        routes["output"].compute({"activation_prev": np.zeros((3, 3)).tolist()})

"""Follow-through on a conv_backprop problem: z(l) and dL/dw from the student's own a(l-1), and e(l-1) from the
student's own recursion, evaluated at every position of layer l-1 on the problem's arrays.

Not sound to carry on (`trivial`): a recursion that reads no e(l) or no kernel (it ignores what is propagated).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from hwsolver.expr import compile_numeric
from hwsolver.expr.nodes import NODE_TYPES, Item, walk
from hwsolver.kinds.conv_grading import arrays, shaped
from hwsolver.layers.conv import ConvLayer
from hwsolver.layers.conv_vectorized import forward
from hwsolver.model import Problem, Route, Solution, Symbolic
from hwsolver.networks.vectorized import ELEMENTWISE


def follow_through(problem: Problem, solution: Solution) -> tuple[Route, ...]:
    layer: ConvLayer = problem.given
    z, _, _, w, e, bias = arrays(layer)
    shape = np.shape(solution.answers["activation_prev"])

    def passes(a: Any) -> tuple[Any, Any]:
        a = np.array(a, dtype=float)
        if a.shape != shape:
            raise ValueError("shape")
        return forward(w, a.reshape(z.shape), bias, layer.stride, layer.padding)

    def output(values: Mapping[str, Any]) -> Any:
        return shaped(layer, "output", passes(values["activation_prev"])[0])

    def grad_kernel(values: Mapping[str, Any]) -> Any:
        return shaped(layer, "grad_kernel", np.einsum("oij,cijuv->ocuv", e, passes(values["activation_prev"])[1]))

    reference: Symbolic = solution.answers["recursion"]

    def delta_prev(values: Mapping[str, Any]) -> Any:
        return _recursion_values(layer, values["recursion"], reference.scope)

    return (
        Route("output", ("activation_prev",), output),
        Route("grad_kernel", ("activation_prev",), grad_kernel),
        Route("delta_prev", ("recursion",), delta_prev, rounded=False),
    )


def _recursion_values(layer: ConvLayer, formula: Any, scope: Any) -> Any:
    """e(l-1) at every position by the student's recursion, on this layer's z(l-1), w and e(l)."""
    if not isinstance(formula, NODE_TYPES):
        raise TypeError("the recursion is a formula")
    f, fprime = ELEMENTWISE[layer.activation]
    z3 = np.array(layer.z3, dtype=float)
    env: dict[str, Any] = {
        "z": z3 if layer.channels_in else z3[0],
        "w": np.array(layer.kernel, dtype=float),
        "e": np.array(layer.upstream, dtype=float),
        "f": f,
        "fprime": lambda t: fprime(t, f(t)),
    }
    if "K" in scope.sizes:
        env["K"] = layer.size
    evaluate = compile_numeric(formula, scope)
    delta = np.empty(z3.shape)
    for c, i, j in np.ndindex(*z3.shape):
        where = {"c": c, "i": i, "j": j} if layer.channels_in else {"i": i, "j": j}
        delta[c, i, j] = float(np.asarray(evaluate({**env, **where})).reshape(-1)[0])
    return shaped(layer, "delta_prev", delta)


def trivial(problem: Problem, solution: Solution, part: str, value: Any) -> bool:
    """A recursion that ignores what is propagated: it reads no e(l), or no kernel."""
    if part != "recursion":
        return False
    read = {node.name for node in walk(value) if isinstance(node, Item)}
    return not {"e", "w"} <= read

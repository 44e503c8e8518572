"""Follow-through on a conv_backprop problem: the layer's work as a chain of steps (model.Chain, for the rounding
of values on the way); z(l) and dL/dw from the student's own a(l-1), and e(l-1) from the student's own
recursion, evaluated at every position of layer l-1 on the problem's arrays.

Not sound to carry on (`trivial`): a recursion that reads no e(l) or no kernel (it ignores what is propagated).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

import numpy as np

from hwsolver.compute.layers.arrays import deep_map
from hwsolver.compute.layers.conv import ConvLayer
from hwsolver.compute.layers.conv_routing import columns, forward, grad_kernel, input_gradient, routing
from hwsolver.compute.networks.vectorized import ELEMENTWISE
from hwsolver.expr import compile_numeric, parse
from hwsolver.expr.nodes import NODE_TYPES, Item, walk
from hwsolver.expr.positions import at_positions
from hwsolver.kinds.conv_backprop.grading import shaped
from hwsolver.memo import Bounded, LastOne
from hwsolver.model import Chain, Problem, Route, Solution, Symbolic


def chain(problem: Problem, solution: Solution) -> Chain:
    """The layer's work as a student writes it down: a(l-1) = f(z(l-1)) and f'(z(l-1)), z(l) from a(l-1), the
    full convolution of e(l) with the turned kernel, e(l-1) = f' times it, dL/dw from a(l-1)."""
    return _last.get(problem.given, _chain)


# the layer last built for and its chain: a variant's grading asks for its follow-through routes, then for its chain
# (rounding), and each variant has its own layer (known by identity)
_last: LastOne[ConvLayer, Chain] = LastOne()


def _chain(layer: ConvLayer) -> Chain:
    z, w, e, bias = layer.floats
    f, fprime = ELEMENTWISE[layer.activation]
    routes = routing(layer)  # rounding re-runs the steps for each number it moves: gathers and scatters only

    @functools.cache  # reads no step: one array for every re-run, worked out when first read
    def back() -> np.ndarray:
        found = input_gradient(routes, w, e)
        found.flags.writeable = False
        return found

    steps = (
        ("a", lambda v: f(z)),
        ("slope", lambda v: fprime(z, v["a"])),
        ("output", lambda v: forward(routes, w, v["a"], bias)[0]),
        ("back", lambda v: back()),
        ("delta", lambda v: v["slope"] * v["back"]),
        ("grad_kernel", lambda v: grad_kernel(e, columns(routes, v["a"]), w.shape)),
    )
    answers = {
        "activation_prev": lambda v: shaped(layer, "activation_prev", v["a"]),
        "output": lambda v: shaped(layer, "output", v["output"]),
        "delta_prev": lambda v: shaped(layer, "delta_prev", v["delta"]),
        "grad_kernel": lambda v: shaped(layer, "grad_kernel", v["grad_kernel"]),
    }
    return Chain(steps, answers, total=True)  # NumPy arithmetic and reshaping only


def follow_through(problem: Problem, solution: Solution) -> tuple[Route, ...]:
    """z(l) and dL/dw from the student's own a(l-1); e(l-1) from their own recursion."""
    layer: ConvLayer = problem.given
    # C_in x H x W, as the layer's float arrays have it (not read off them: a wrong answer asks for the routes, and
    # most re-run only the recursion, on the arrays its formula reads; nor off the exact answers: a NumPy pass)
    z_shape = layer.geometry[:3]
    shape = z_shape if layer.channels_in else z_shape[1:]  # a(l-1) as the solution gives it

    def from_activation(part: str) -> Route:
        def compute(values: Mapping[str, Any]) -> Any:
            a = np.array(values["activation_prev"], dtype=float)
            if a.shape != shape:
                raise ValueError("shape")
            # the chain built at the first re-run that reads it (kept for the next): most variants whose routes are
            # asked for re-run only the recursion, from the formula
            built = chain(problem, solution)
            return built.answers[part](built.values({"a": a.reshape(z_shape)}))

        return Route(part, ("activation_prev",), compute)

    reference: Symbolic = solution.answers["recursion"]
    right = _parsed(reference)

    def delta_prev(values: Mapping[str, Any]) -> Any:
        if values["recursion"] == right:  # the recursion itself: its values are the solution's e(l-1), exactly
            return deep_map(float, solution.answers["delta_prev"])
        return recursion_values(layer, values["recursion"], reference.scope)

    return (
        from_activation("output"),
        from_activation("grad_kernel"),
        Route("delta_prev", ("recursion",), delta_prev, rounded=False),
    )


# the reference recursion's tree, by the Symbolic's identity (one per layer shape), the Symbolic kept so that its
# id is not reused
_PARSED: Bounded[int, tuple[Symbolic, Any]] = Bounded(256)


def _parsed(reference: Symbolic) -> Any:
    found = _PARSED.get(id(reference))
    if found is None or found[0] is not reference:
        found = _PARSED.keep(id(reference), (reference, parse(reference.expr, reference.scope)))
    return found[1]


def recursion_values(layer: ConvLayer, formula: Any, scope: Any) -> Any:
    """e(l-1) at every position by the student's recursion, on this layer's z(l-1), w and e(l)."""
    if not isinstance(formula, NODE_TYPES):
        raise TypeError("the recursion is a formula")
    f, fprime = ELEMENTWISE[layer.activation]
    z3, w, e, _ = layer.floats  # canonical shapes; the formula reads them as the problem gives them
    env: dict[str, Any] = {
        "z": z3 if layer.channels_in else z3[0],
        "w": w if layer.channels_out else w[0, 0],
        "e": e if layer.channels_out else e[0],
        "f": f,
        "fprime": lambda t: fprime(t, f(t)),
    }
    if "K" in scope.sizes:
        env["K"] = layer.size
    delta = at_positions(formula, scope, env, z3.shape if layer.channels_in else z3.shape[1:])
    if delta is not None:
        return shaped(layer, "delta_prev", delta.reshape(z3.shape))
    evaluate = compile_numeric(formula, scope)  # what cannot be done at once, position by position
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

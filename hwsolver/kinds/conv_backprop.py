"""Kind `conv_backprop`: error terms and gradients through a convolution layer (lecture exercise 4)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from hwsolver.layers import conv, conv_vectorized
from hwsolver.layers.arrays import from_numpy, read_array, read_shaped, unwrap
from hwsolver.layers.conv import ACTIVATIONS, ConvLayer, output_shape, rot180
from hwsolver.layers.conv_formula import recursion, rot180_latex, scope_fields
from hwsolver.model import Problem, Solution, Symbolic
from hwsolver.node import Node, format_shape, shape_of
from hwsolver.witness import check_agreement

DESCRIPTION = "backpropagation of error terms through a convolution layer"
INDEX_BASE = 0  # feedback names array entries as the statement does: [row, column] from 0
PARTS = ("recursion", "activation_prev", "output", "delta_prev", "grad_kernel", "grad_bias")
_REQUIRED = ("z_prev", "activation", "kernel", "upstream")
_OPTIONAL = ("bias", "stride", "padding")


def parts(given: ConvLayer) -> tuple[str, ...]:
    return PARTS if given.bias is not None else tuple(p for p in PARTS if p != "grad_bias")


def parse_given(node: Node) -> ConvLayer:
    fields = node.fields(_REQUIRED, _OPTIONAL)
    z_prev = read_array(fields["z_prev"], (2, 3), "an H x W matrix or a C_in x H x W array")
    height, width = shape_of(z_prev)[-2:]
    channels = len(z_prev) if len(shape_of(z_prev)) == 3 else 1
    kernel = _kernel(fields["kernel"], channels)
    k = shape_of(kernel)[-1]
    stride = fields["stride"].integer(minimum=1) if "stride" in fields else 1
    padding = fields["padding"].integer(minimum=0) if "padding" in fields else 0
    if k > min(height, width) + 2 * padding:
        padded = format_shape((height + 2 * padding, width + 2 * padding))
        raise fields["kernel"].error(f"a {k}x{k} kernel does not fit the {padded} padded input")
    layered = len(shape_of(kernel)) == 4
    bias = None
    if "bias" in fields:
        bias = fields["bias"].vector(len(kernel)) if layered else fields["bias"].number()
    out = output_shape(height, width, k, stride, padding)
    upstream = read_shaped(fields["upstream"], (len(kernel), *out) if layered else out)
    return ConvLayer(z_prev, fields["activation"].choice(ACTIVATIONS), kernel, bias, stride, padding, upstream)


def _kernel(node: Node, channels: int) -> tuple:
    kernel = read_array(node, (2, 4), "a K x K matrix or a C_out x C_in x K x K array")
    shape = shape_of(kernel)
    if shape[-1] != shape[-2]:
        raise node.error(f"expected a square K x K kernel, got {format_shape(shape[-2:])}")
    if len(shape) == 2 and channels != 1:
        raise node.error(f"z_prev has {channels} channels: expected a C_out x {channels} x K x K kernel")
    if len(shape) == 4 and shape[1] != channels:
        raise node.error(f"expected {channels} input channel(s) like z_prev, got {shape[1]}")
    return kernel


# -- solving ------------------------------------------------------------------------------------------------


def solve(problem: Problem, *, exact: bool = True) -> Solution:
    layer: ConvLayer = problem.given
    formula = _with_scope(recursion(layer), layer)
    work: dict[str, Any] = {
        "rule_latex": rot180_latex(layer),
        "kernel_rot180": rot180(layer.kernel),
        "recursion_scope": scope_fields(layer),
    }
    fast = conv_vectorized.backward(layer)
    approx = _assemble(
        layer,
        *(from_numpy(a) for a in (fast.activation, fast.output, fast.delta_prev, fast.grad_kernel)),
        from_numpy(fast.grad_bias) if fast.grad_bias is not None else None,
    )
    if not exact:
        return Solution(problem, {"recursion": formula, **approx}, work)
    slow = conv.backward(layer)
    answers = _assemble(layer, slow.activation, slow.output, slow.delta_prev, slow.grad_kernel, slow.grad_bias)
    check_agreement(problem.id, answers, approx)
    work["fprime"] = unwrap(slow.fprime, 0 if layer.channels_in else 1)
    return Solution(problem, {"recursion": formula, **answers}, work)


def _assemble(layer: ConvLayer, activation, output, delta, grad_kernel, grad_bias) -> dict[str, Any]:
    """Answers in the shapes the problem used (no channel axes for a single channel)."""
    answers = {
        "activation_prev": unwrap(activation, 0 if layer.channels_in else 1),
        "output": unwrap(output, 0 if layer.channels_out else 1),
        "delta_prev": unwrap(delta, 0 if layer.channels_in else 1),
        "grad_kernel": unwrap(grad_kernel, 0 if layer.channels_out else 2),
    }
    if grad_bias is not None:
        answers["grad_bias"] = tuple(grad_bias) if layer.channels_out else grad_bias[0]
    return answers


def _with_scope(formula: Symbolic, layer: ConvLayer) -> Symbolic:
    """The recursion with the scope graders read students' formulas in; it must parse there itself."""
    from hwsolver.expr import Scope, parse

    scope = Scope(**scope_fields(layer))
    parse(formula.expr, scope)
    # z, w and e of a layer are moderate numbers; f and f' get smooth stand-ins when formulas are compared.
    return replace(formula, scope=scope, domain=(-2.0, 2.0))


# The grader's hooks: the classic slips on this kind, and parts recomputed from a student's earlier answers.
from hwsolver.kinds.conv_follow import chain, follow_through, trivial  # noqa: E402
from hwsolver.kinds.conv_grading import MISTAKES, mistakes  # noqa: E402

__all__ = [
    "DESCRIPTION",
    "MISTAKES",
    "chain",
    "follow_through",
    "mistakes",
    "parse_given",
    "parts",
    "solve",
    "trivial",
]

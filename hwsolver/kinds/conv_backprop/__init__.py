"""Kind `conv_backprop`: error terms and gradients through a convolution layer (lecture exercise 4)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from hwsolver.compute.functions import ELEMENTWISE
from hwsolver.compute.layers import conv_integers, conv_vectorized
from hwsolver.compute.layers.arrays import from_numpy, read_array, read_shaped, unwrap
from hwsolver.compute.layers.conv import ConvLayer, output_shape, rot180
from hwsolver.compute.layers.conv_formula import recursion, rot180_latex, scope_fields
from hwsolver.errors import SolveError
from hwsolver.expr import Scope, parse
from hwsolver.kinds.base import Given, Key, Kind, PartInfo
from hwsolver.kinds.conv_backprop import examples, explain, follow, grading, require
from hwsolver.memo import Bounded
from hwsolver.model import Problem, Solution, Symbolic
from hwsolver.spec.node import Node, format_shape, shape_of
from hwsolver.witness import check_agreement, disagreement

GIVEN = Given(
    (
        Key(
            "z_prev",
            "an H x W matrix, or a C_in x H x W array",
            "z(l-1): the pre-activations of layer l-1, whose activations a(l-1) = f(z(l-1)) the convolution reads",
            "[[0.5, -0.2, 0.3], [0.2, 0.4, -0.1], [-0.3, 0.1, 0.2]]",
        ),
        Key("activation", f"one of {', '.join(ELEMENTWISE)}", "f, the activation of layer l-1", "relu"),
        Key(
            "kernel",
            "a K x K matrix, or a C_out x C_in x K x K array",
            "w: the convolution's kernel (cross-correlation, as deep-learning libraries compute it)",
            "[[0.5, -1], [1, 0.5]]",
        ),
        Key(
            "upstream",
            "an array of the output's shape (H' x W', or C_out x H' x W')",
            "e(l) = dL/dz(l): the error terms of layer l",
            "[[0.1, -0.2], [0.2, 0.1]]",
        ),
        Key(
            "bias",
            "a number (K x K kernel), or one per output channel",
            "b, added to every output of its channel; asks for grad_bias too",
            "0.1",
            default="(no bias)",
        ),
        Key("stride", "an integer >= 1", "S: the kernel moves S rows and columns at a time", "1", default="1"),
        Key("padding", "an integer >= 0", "P: rings of zeros around a(l-1)", "0", default="0"),
    )
)
PARTS = (
    PartInfo("recursion", "a formula for e(l-1)[i, j] in z, w, e, f, fprime and K (indices from 0)"),
    PartInfo("activation_prev", "an array of z_prev's shape: a(l-1) = f(z(l-1))"),
    PartInfo("output", "an array of upstream's shape: z(l)"),
    PartInfo("delta_prev", "an array of z_prev's shape: e(l-1)"),
    PartInfo("grad_kernel", "an array of the kernel's shape: dL/dw"),
    PartInfo("grad_bias", "a number, or one per output channel: dL/db (with a bias only)"),
)


_EVERY = tuple(part.id for part in PARTS)
_NO_BIAS = tuple(p for p in _EVERY if p != "grad_bias")  # (made once: a class's variants each ask, more than once)


def parts_for(given: ConvLayer) -> tuple[str, ...]:
    return _EVERY if given.bias is not None else _NO_BIAS


def parse_given(node: Node) -> ConvLayer:
    fields = GIVEN.fields(node)
    z_prev = read_array(fields["z_prev"], (2, 3), "an H x W matrix or a C_in x H x W array")
    z_shape = shape_of(z_prev)
    height, width = z_shape[-2:]
    channels = len(z_prev) if len(z_shape) == 3 else 1
    kernel, kernel_shape = _kernel(fields["kernel"], channels)
    k = kernel_shape[-1]
    stride = fields["stride"].integer(minimum=1) if "stride" in fields else 1
    padding = fields["padding"].integer(minimum=0) if "padding" in fields else 0
    if k > min(height, width) + 2 * padding:
        padded = format_shape((height + 2 * padding, width + 2 * padding))
        raise fields["kernel"].error(f"a {k}x{k} kernel does not fit the {padded} padded input")
    layered = len(kernel_shape) == 4
    bias = None
    if "bias" in fields:
        bias = fields["bias"].vector(len(kernel)) if layered else fields["bias"].number()
    out = output_shape(height, width, k, stride, padding)
    upstream = read_shaped(fields["upstream"], (len(kernel), *out) if layered else out)
    return ConvLayer(z_prev, fields["activation"].choice(ELEMENTWISE), kernel, bias, stride, padding, upstream)


def _kernel(node: Node, channels: int) -> tuple[tuple, tuple[int, ...]]:
    """The kernel, and its shape."""
    kernel = read_array(node, (2, 4), "a K x K matrix or a C_out x C_in x K x K array")
    shape = shape_of(kernel)
    if shape[-1] != shape[-2]:
        raise node.error(f"expected a square K x K kernel, got {format_shape(shape[-2:])}")
    if len(shape) == 2 and channels != 1:
        raise node.error(f"z_prev has {channels} channels: expected a C_out x {channels} x K x K kernel")
    if len(shape) == 4 and shape[1] != channels:
        raise node.error(f"expected {channels} input channel(s) like z_prev, got {shape[1]}")
    return kernel, shape


# -- solving ------------------------------------------------------------------------------------------------


def solve(problem: Problem, *, exact: bool = True) -> Solution:
    layer: ConvLayer = problem.given
    formula, rule_latex, fields = _by_shape(layer)
    work: dict[str, Any] = {"rule_latex": rule_latex, "kernel_rot180": rot180(layer.kernel), "recursion_scope": fields}
    if not exact:
        return Solution(problem, {"recursion": formula, **_float_answers(layer)}, work)
    plain = conv_integers.single(layer)  # a class's variants' shape, straight in the problem's shapes
    if plain is not None:
        answers = {
            "activation_prev": plain.activation,
            "output": plain.output,
            "delta_prev": plain.delta_prev,
            "grad_kernel": plain.grad_kernel,
        }
        work["fprime"] = plain.fprime
        return Solution(problem, {"recursion": formula, **answers}, work)
    slow = conv_integers.backward(layer)  # in integers where every number is a Fraction, else conv.py's loops
    answers = _assemble(layer, slow.activation, slow.output, slow.delta_prev, slow.grad_kernel, slow.grad_bias)
    work["fprime"] = unwrap(slow.fprime, 0 if layer.channels_in else 1)
    return Solution(problem, {"recursion": formula, **answers}, work)


def witness(problem: Problem, solution: Solution) -> None:
    """The vectorized pass (NumPy, whole arrays) agrees with the exact one, unit by unit; the recursion, evaluated
    at every unit of layer l-1 on the problem's arrays, gives e(l-1)."""
    answers = {part: value for part, value in solution.answers.items() if part != "recursion"}
    check_agreement(problem.id, answers, _float_answers(problem.given))
    recursion: Symbolic = solution.answers["recursion"]
    by_formula = follow.recursion_values(problem.given, parse(recursion.expr, recursion.scope), recursion.scope)
    found = disagreement(answers["delta_prev"], by_formula, "delta_prev", rtol=1e-9, atol=1e-12)
    if found:
        raise SolveError(f"{problem.id}: the recursion {recursion.expr} disagrees with e(l-1) at {found}")


def _float_answers(layer: ConvLayer) -> dict[str, Any]:
    fast = conv_vectorized.backward(layer)
    return _assemble(
        layer,
        *(from_numpy(a) for a in (fast.activation, fast.output, fast.delta_prev, fast.grad_kernel)),
        from_numpy(fast.grad_bias) if fast.grad_bias is not None else None,
    )


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


# by the layer's shape: its variants' numbers change no formula
_FORMULAS: Bounded[tuple[Any, ...], tuple[Symbolic, str, dict[str, Any]]] = Bounded(256)


def _by_shape(layer: ConvLayer) -> tuple[Symbolic, str, dict[str, Any]]:
    """The recursion of the layer's shape with its scope, the rule's LaTeX and the scope's fields, built and parsed
    once for the variants of that shape (the same objects, read only: what graders remember by a formula's scope
    and text, they find again)."""
    key = (layer.channels_in, layer.channels_out, len(layer.w4), layer.size, layer.stride, layer.padding)
    key += (layer.out_shape,)
    found = _FORMULAS.get(key)
    if found is None:
        found = _FORMULAS.keep(key, (_with_scope(recursion(layer), layer), rot180_latex(layer), scope_fields(layer)))
    return found


def _with_scope(formula: Symbolic, layer: ConvLayer) -> Symbolic:
    """The recursion with the scope graders read students' formulas in; it must parse there itself."""
    scope = Scope(**scope_fields(layer))
    parse(formula.expr, scope)
    # z, w and e of a layer are moderate numbers; f and f' get smooth stand-ins when formulas are compared.
    return replace(formula, scope=scope, domain=(-2.0, 2.0))


KIND = Kind(
    name="conv_backprop",
    description="backpropagation of error terms through a convolution layer",
    given=GIVEN,
    parse_given=parse_given,
    parts=PARTS,
    parts_for=parts_for,
    solve=solve,
    witness=witness,
    mistakes=grading.MISTAKES,
    mutants=grading.mutants,
    pairs=grading.pairs,
    example=examples.example,
    strings=explain.STRINGS,
    labels=explain.LABELS,
    follow_through=follow.follow_through,
    chain=follow.chain,
    trivial=follow.trivial,
    index_base=0,  # feedback names array entries as the statement does: [row, column] from 0
    shared_parts=("recursion",),  # one formula per layer shape, its slips too: whatever the arrays
    constraints=require.CONSTRAINTS,
)

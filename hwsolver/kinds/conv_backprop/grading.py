"""How students go wrong on a conv_backprop problem, and what their own earlier answers imply.

Mutants redo the backward pass in float64 with one classic slip (compared within tolerance, never shown as
answers). `valid_instead_of_full` is the student who keeps only the positions where the whole turned kernel
lies over e(l), a valid convolution: written into e(l-1) with the border left at 0 it has the right shape and
is the mutant's answer; written as the smaller array itself (stride 1, no padding) `matches` knows it by its
shape. Each earns, by default, the share of the part's points in MISTAKES below (a problem's `mistake_credit`
overrides it). Follow-through: follow.py.
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from typing import Any

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from hwsolver.compute.layers.arrays import from_numpy, unwrap
from hwsolver.compute.layers.conv import ConvLayer
from hwsolver.compute.layers.conv_vectorized import forward, input_gradient
from hwsolver.compute.networks.vectorized import ELEMENTWISE
from hwsolver.errors import ExprError
from hwsolver.expr import equivalent, parse
from hwsolver.kinds.base import Mistake
from hwsolver.kinds.pairs import merged_keywords, paired
from hwsolver.model import Mutant, Problem, Solution, Symbolic

Array = np.ndarray
HALF = Fraction(1, 2)  # each leaves one step of an otherwise right backward pass wrong
MISTAKES = (
    Mistake(
        "kernel_not_rotated",
        HALF,
        {
            "en": "The kernel was not turned by 180 degrees: e(l-1) is the full convolution of e(l) with "
            "rot180(w), i.e. f'(z(l-1)[i,j]) * sum_{u,v} w[u,v] e(l)[i-u, j-v].",
            "zh": "卷积核没有旋转 180°：e(l-1) 是 e(l) 与 rot180(w) 的全卷积，"
            "即 f'(z(l-1)[i,j]) * sum_{u,v} w[u,v] e(l)[i-u, j-v]。",
        },
    ),
    Mistake(
        "valid_instead_of_full",
        HALF,
        {
            "en": "Only the positions where the whole kernel lies over e(l) were summed (a valid convolution); "
            "pad e(l) with K-1 zeros so every unit of layer l-1 gets a value (a full convolution).",
            "zh": "只对卷积核完全落在 e(l) 内的位置求和（“有效”卷积）；应在 e(l) 四周补 K-1 圈 0，"
            "让第 l-1 层的每个单元都得到一个值（“全”卷积）。",
        },
    ),
    Mistake(
        "no_activation_derivative",
        HALF,
        {
            "en": "The derivative of the activation was left out: multiply the full convolution by f'(z(l-1)) "
            "entry by entry.",
            "zh": "漏掉了激活函数的导数：全卷积的结果还要与 f'(z(l-1)) 逐元素相乘。",
        },
    ),
    Mistake(
        "used_z_not_a",
        HALF,
        {
            "en": "z(l-1) was used where the layer reads its input a(l-1) = f(z(l-1)): "
            "z(l) and dL/dw are built from a(l-1).",
            "zh": "该用本层的输入 a(l-1) = f(z(l-1)) 的地方用了 z(l-1)：z(l) 和 dL/dw 都由 a(l-1) 算出。",
        },
    ),
)
_TABLE = {mistake.id: mistake for mistake in MISTAKES}
# Students round (3 significant figures by default); a shape-recognised answer is compared this loosely.
_RTOL, _ATOL = 6e-3, 1e-9


def arrays(layer: ConvLayer) -> tuple[Array, Array, Array, Array, Array, Array | None]:
    """z(l-1), a(l-1), f'(z(l-1)), w, e(l) and b in canonical float shapes (every channel axis)."""
    z, w, e = (np.array(t, dtype=float) for t in (layer.z3, layer.w4, layer.e3))
    bias = np.array(layer.biases, dtype=float) if layer.biases is not None else None
    f, fprime = ELEMENTWISE[layer.activation]
    a = f(z)
    return z, a, fprime(z, a), w, e, bias


def shaped(layer: ConvLayer, part: str, array: Array) -> Any:
    """An array as nested tuples in the shape the solution gives `part` (no channel axes for one channel)."""
    drop = {
        "delta_prev": 0 if layer.channels_in else 1,
        "output": 0 if layer.channels_out else 1,
        "grad_kernel": 0 if layer.channels_out else 2,
    }[part]
    return unwrap(from_numpy(array), drop)


def _delta(layer: ConvLayer, *, rotate: bool = True, fprime: bool = True, interior: bool = False) -> Array:
    """e(l-1) by the full-convolution rule, with the kernel turn, f' or the border optionally dropped."""
    z, _, slope, w, e, _ = arrays(layer)
    # input_gradient turns the kernel itself; handing it the turned kernel undoes the turn.
    kernel = w if rotate else w[:, :, ::-1, ::-1]
    grad = input_gradient(kernel, e, z.shape, layer.stride, layer.padding)
    if interior:
        grad = grad * _interior(layer, z.shape)
    return slope * grad if fprime else grad


def _interior(layer: ConvLayer, shape: tuple[int, ...]) -> Array:
    """1 where the turned kernel lies wholly over the (dilated) e(l); 0 on the border a valid one skips."""
    k, s, p = layer.size, layer.stride, layer.padding
    rows, cols = layer.out_shape
    mask = np.zeros((shape[1] + 2 * p, shape[2] + 2 * p))
    mask[k - 1 : (rows - 1) * s + 1, k - 1 : (cols - 1) * s + 1] = 1
    return mask[p : p + shape[1], p : p + shape[2]]


def _forward_style(layer: ConvLayer) -> Array | None:
    """e(l-1)[i,j] = f'(z) * sum_{u,v} w[u,v] e(l)[i+u, j+v], 0 outside: the forward pass's indices reused."""
    if layer.stride != 1 or layer.padding != 0:
        return None  # the forward pass's indices then carry S and P, which students rarely keep
    _, _, slope, w, e, _ = arrays(layer)
    k = layer.size
    # e(l) has H - K + 1 rows; reading it at i + u for every i < H needs 2(K - 1) zero rows after it.
    padded = np.pad(e, ((0, 0), (0, 2 * k - 2), (0, 2 * k - 2)))
    return slope * np.einsum("ocuv,orsuv->crs", w, sliding_window_view(padded, (k, k), axis=(1, 2)))


def _valid_matcher(layer: ConvLayer) -> Callable[[str, Any], bool] | None:
    """Recognises the valid convolution written as the smaller array itself (with or without f')."""
    if layer.stride != 1 or layer.padding != 0:
        return None  # there the valid region is not a simple crop of e(l-1)
    k = layer.size
    rows, cols = layer.out_shape
    if rows < k or cols < k:
        return None  # no position has the whole kernel over e(l)
    crops = [
        shaped(layer, "delta_prev", _delta(layer, fprime=fprime)[:, k - 1 : rows, k - 1 : cols])
        for fprime in (True, False)
    ]

    def matches(part: str, value: Any) -> bool:
        return part == "delta_prev" and any(_close(value, crop) for crop in crops)

    return matches


def _close(value: Any, expected: Any) -> bool:
    try:
        got, want = np.array(value, dtype=float), np.array(expected, dtype=float)
    except (TypeError, ValueError):
        return False
    return got.shape == want.shape and bool(np.allclose(got, want, rtol=_RTOL, atol=_ATOL))


def _recursion(layer: ConvLayer, rows: str, cols: str, reference: Symbolic) -> Symbolic:
    """The stride-1 recursion with e(l) read at [rows, cols] (the kernel indices u, v), same scope."""
    head = ("o, " + ("c" if layer.channels_in else "0") + ", ") if layer.channels_out else ""
    out = "o, " if layer.channels_out else ""
    body = f"Sum(Sum(w[{head}u, v]*e[{out}{rows}, {cols}], (v, 0, K - 1)), (u, 0, K - 1))"
    if layer.channels_out:
        body = f"Sum({body}, (o, 0, {len(layer.w4) - 1}))"
    z_at = ("c, " if layer.channels_in else "") + "i, j"
    return Symbolic(f"fprime(z[{z_at}]) * {body}", "", reference.scope, reference.domain)


def _unturned_matcher(layer: ConvLayer, variants: list[Symbolic]) -> Callable[[str, Any], bool]:
    """Other spellings of the unturned kernel: formulas like `variants`, e(l-1) with the forward indices."""
    forward_style = _forward_style(layer)
    delta = shaped(layer, "delta_prev", forward_style) if forward_style is not None else None
    parsed = [(parse(v.expr, v.scope), v) for v in variants]

    def matches(part: str, value: Any) -> bool:
        if part == "delta_prev":
            return delta is not None and _close(value, delta)
        if part != "recursion":
            return False
        try:
            return any(equivalent(value, tree, v.scope, domain=v.domain).equal for tree, v in parsed)
        except (ExprError, TypeError, ValueError):
            return False  # a formula the equivalence test cannot evaluate is simply not this slip

    return matches


def mutants(problem: Problem, solution: Solution) -> tuple[Mutant, ...]:
    """The classic slips on this layer, each with the answers it leads to."""
    layer: ConvLayer = problem.given
    reference: Symbolic = solution.answers["recursion"]
    unturned: dict[str, Any] = {"delta_prev": shaped(layer, "delta_prev", _delta(layer, rotate=False))}
    others: list[Symbolic] = []
    if layer.stride == 1 and reference.scope is not None:
        p = layer.padding
        # As written in the forward pass, e[i + u]; or the full correlation itself, e[i + P + u - (K - 1)].
        unturned["recursion"] = _recursion(layer, "i + u", "j + v", reference)
        shifts = [f"{p} + u - (K - 1)"] + ([f"u - {p}"] if p else [])
        others = [_recursion(layer, f"i + {d}", f"j + {d.replace('u', 'v')}", reference) for d in shifts]
    bare: dict[str, Any] = {"delta_prev": shaped(layer, "delta_prev", _delta(layer, fprime=False))}
    if reference.scope is not None and reference.expr.startswith("fprime("):
        bare["recursion"] = Symbolic(reference.expr.partition(" * ")[2], "", reference.scope, reference.domain)
    z, _, _, w, e, bias = arrays(layer)
    output, windows = forward(w, z, bias, layer.stride, layer.padding)
    with_z = {
        "activation_prev": layer.z_prev,
        "output": shaped(layer, "output", output),
        "grad_kernel": shaped(layer, "grad_kernel", np.einsum("oij,cijuv->ocuv", e, windows)),
    }
    return (
        _mutant("kernel_not_rotated", unturned, _unturned_matcher(layer, others)),
        _mutant(
            "valid_instead_of_full",
            {"delta_prev": shaped(layer, "delta_prev", _delta(layer, interior=True))},
            _valid_matcher(layer),
        ),
        _mutant("no_activation_derivative", bare),
        _mutant("used_z_not_a", with_z),
    )


# the slips of the backward pass that are switches of _delta (used_z_not_a changes other parts: it pairs with none)
_DELTA_SWITCHES = (
    ("kernel_not_rotated", {"rotate": False}),
    ("valid_instead_of_full", {"interior": True}),
    ("no_activation_derivative", {"fprime": False}),
)


def pairs(problem: Problem, solution: Solution) -> tuple[Mutant, ...]:
    """Two of the backward pass's slips at once, on e(l-1)."""
    layer: ConvLayer = problem.given
    return paired(
        _DELTA_SWITCHES,
        merged_keywords,
        lambda slip: {"delta_prev": shaped(layer, "delta_prev", _delta(layer, **slip))},
    )


def _mutant(mistake_id: str, answers: dict[str, Any], matches: Callable[[str, Any], bool] | None = None) -> Mutant:
    mistake = _TABLE[mistake_id]
    return Mutant(mistake.id, mistake.says("en"), answers, mistake.credit, matches)

"""How students go wrong on a conv_backprop problem, and what their own earlier answers imply.

Mutants are the float backward pass with one classic slip switched on (SLIPS below; compared within
tolerance, never shown as answers), through the index tables of the layer's shape (a gather or a scatter
each: compute/layers/conv_routing.py). `valid_instead_of_full` is the student who keeps only the positions where
the whole turned kernel lies over e(l), a valid convolution: written into e(l-1) with the border left at 0 it
has the right shape and is the mutant's answer; written as the smaller array itself (stride 1, no padding)
`matches` knows it by its shape. Each earns, by default, the share of the part's points in MISTAKES below (a
problem's `mistake_credit` overrides it). Follow-through: follow.py.
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from typing import Any

import numpy as np

from hwsolver.compute.layers.arrays import from_numpy
from hwsolver.compute.layers.conv import ConvLayer
from hwsolver.compute.layers.conv_routing import backward, delta_values
from hwsolver.compute.layers.conv_vectorized import RIGHT, Slips
from hwsolver.errors import ExprError
from hwsolver.expr import equivalent, parse
from hwsolver.kinds.base import Mistake
from hwsolver.kinds.conv_backprop.closeness import Layout, entries, laid_out, near
from hwsolver.kinds.later import Later, once
from hwsolver.kinds.pairs import changed, merged_showing, paired
from hwsolver.memo import Bounded
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
_SAYS = {mistake.id: mistake.says("en") for mistake in MISTAKES}  # (a class's variants each make their mutants)


# The mistakes as switches of the float backward pass (compute/layers/conv_vectorized.py), and the parts each shows in.
SLIPS: dict[str, tuple[Slips, tuple[str, ...]]] = {
    "kernel_not_rotated": (Slips(kernel="unturned"), ("delta_prev",)),
    "valid_instead_of_full": (Slips(full=False), ("delta_prev",)),
    "no_activation_derivative": (Slips(activation_derivative=False), ("delta_prev",)),
    "used_z_not_a": (Slips(reads_activation=False), ("output", "grad_kernel")),
}


def slipped(layer: ConvLayer, slips: Slips, parts: tuple[str, ...]) -> dict[str, Any]:
    """The float backward pass with `slips` switched: its arrays for `parts`, in the shapes the solution gives."""
    found = _Slipped(layer, slips, parts)
    return {part: found[part] for part in parts}


class _Slipped(Later):
    """slipped(layer, slips, parts), each part worked out when first read (the pass made then, once), and any
    other answer the slip gives by its own function (put in `make`). A class, not a closure per part: a class's
    variants each make their four."""

    __slots__ = ("layer", "result", "slips")

    def __init__(self, layer: ConvLayer, slips: Slips, parts: tuple[str, ...]) -> None:
        self.make, self.found = dict.fromkeys(parts), {}  # (Later's fields, set here: one call less per slip)
        self.layer, self.slips, self.result = layer, slips, None

    def made(self, part: str) -> Any:
        return from_numpy(self._array(part))

    def layout(self, part: str) -> Layout | None:
        """The slip's answer to a part the pass gives, as grading lays it out (its shape, its numbers in row-major
        order: what checkers.layout makes of the nested tuples, without them); None for any other part."""
        if self.make.get(part, _NONE) is not None:
            return None  # another slip's part, or one its own function makes: grading lays the answer out
        if part == "delta_prev":  # (most wrong answers': its numbers without the slip's pass)
            return _delta_shape(self.layer, *self.layer.geometry[1:3]), delta_values(self.layer, self.slips)
        return laid_out(self._array(part))

    def _array(self, part: str) -> Array:
        if self.result is None:
            self.result = backward(self.layer, self.slips)
        return _answer_array(self.layer, part, getattr(self.result, _FIELDS.get(part, part)))


_NONE = object()  # what make.get gives for a part the slip does not show in


_FIELDS = {"activation_prev": "activation"}  # Backward's name for a part, where it differs


def shaped(layer: ConvLayer, part: str, array: Array) -> Any:
    """An array as nested tuples in the shape the solution gives `part` (no channel axes for one channel): the
    axes dropped before converting (a mutant's, a re-run's: worked out again and again)."""
    return from_numpy(_answer_array(layer, part, array))


def _delta_shape(layer: ConvLayer, rows: int, cols: int) -> tuple[int, ...]:
    """The shape the solution gives an array over layer l-1's channels of `rows` x `cols` each, like e(l-1):
    C_in x rows x cols, or rows x cols for one channel (its axis dropped, as _AXES drops it)."""
    return (layer.geometry[0], rows, cols) if layer.channels_in else (rows, cols)


def _answer_array(layer: ConvLayer, part: str, array: Array) -> Array:
    """A canonical array in the shape the solution gives `part`, still an array (a view)."""
    several, single = _AXES[part]
    return array if getattr(layer, several) else array[single]


# By part: the layer's flag telling whether its array has several channels, and the index that drops the channel
# axes of a single one (the kernel's two: output and input channel).
_AXES = {
    "activation_prev": ("channels_in", 0),
    "delta_prev": ("channels_in", 0),
    "output": ("channels_out", 0),
    "grad_kernel": ("channels_out", (0, 0)),
}


def _valid_matcher(layer: ConvLayer) -> Callable[[str, Any], bool] | None:
    """Recognises the valid convolution written as the smaller array itself (with or without f')."""
    if layer.stride != 1 or layer.padding != 0:
        return None  # there the valid region is not a simple crop of e(l-1)
    k = layer.size
    rows, cols = layer.out_shape
    if rows < k or cols < k:
        return None  # no position has the whole kernel over e(l)

    # the crops' shape, known before their passes: most wrong answers have e(l-1)'s own and are told by it
    shape = _delta_shape(layer, rows - k + 1, cols - k + 1)
    crops = once(  # when an answer of the crops' shape is first matched: a variant answered right needs none
        lambda: [
            laid_out(
                _answer_array(layer, "delta_prev", backward(layer, slips).delta_prev[:, k - 1 : rows, k - 1 : cols])
            )
            for slips in (RIGHT, Slips(activation_derivative=False))
        ]
    )

    def matches(part: str, value: Any) -> bool:
        if part != "delta_prev":
            return False
        flat = entries(value, shape)  # read once for both crops
        return flat is not None and any(near(value, crop, flat) for crop in crops())

    return matches


def _recursion(layer: ConvLayer, rows: str, cols: str, reference: Symbolic) -> Symbolic:
    """The stride-1 recursion with e(l) read at [rows, cols] (the kernel indices u, v), same scope."""
    head = ("o, " + ("c" if layer.channels_in else "0") + ", ") if layer.channels_out else ""
    out = "o, " if layer.channels_out else ""
    body = f"Sum(Sum(w[{head}u, v]*e[{out}{rows}, {cols}], (v, 0, K - 1)), (u, 0, K - 1))"
    if layer.channels_out:
        body = f"Sum({body}, (o, 0, {len(layer.w4) - 1}))"
    z_at = ("c, " if layer.channels_in else "") + "i, j"
    return Symbolic(f"fprime(z[{z_at}]) * {body}", "", reference.scope, reference.domain)


# Whether a formula is one of the unturned kernel's spellings hangs on the formula and the layer's shape alone: known
# across the variants of a shape by the scope they share (one object per shape: __init__._by_shape) and the texts.
_UNTURNED: Bounded[tuple[Any, ...], tuple[Any, bool]] = Bounded(4096)


def _unturned_matcher(layer: ConvLayer, reference: Symbolic) -> Callable[[str, Any], bool]:
    """Other spellings of the unturned kernel: formulas like _spellings' (with stride 1), e(l-1) with the forward
    pass's indices (stride 1 and no padding: elsewhere those indices carry S and P, which students rarely keep)."""
    forward_indices = layer.stride == 1 and layer.padding == 0
    # each worked out when an answer is first matched: most variants' never are
    delta = once(lambda: (_delta_shape(layer, *layer.geometry[1:3]), delta_values(layer, Slips(kernel="forward"))))
    spellings = once(lambda: _spellings(layer, reference))

    def spelled(value: Any) -> bool:
        variants = spellings()
        if not variants:
            return False
        texts = tuple(v.expr for v in variants)
        scope = variants[0].scope
        key = (id(scope), texts, value)
        try:
            found = _UNTURNED.get(key)
        except TypeError:
            return False  # no formula (a list): not this slip
        if found is not None and found[0] is scope:
            return found[1]
        try:
            same = any(equivalent(value, parse(v.expr, v.scope), v.scope, domain=v.domain).equal for v in variants)
        except (ExprError, TypeError, ValueError):
            same = False  # a formula the equivalence test cannot evaluate is simply not this slip
        _UNTURNED.keep(key, (scope, same))
        return same

    def matches(part: str, value: Any) -> bool:
        if part == "delta_prev":
            return forward_indices and near(value, delta())
        return part == "recursion" and spelled(value)

    return matches


def _spellings(layer: ConvLayer, reference: Symbolic) -> list[Symbolic]:
    """The unturned kernel's other spellings with stride 1: the full correlation itself, e[i + P + u - (K - 1)]
    (and e[i + u - P] with padding)."""
    if layer.stride != 1 or reference.scope is None:
        return []
    p = layer.padding
    shifts = [f"{p} + u - (K - 1)"] + ([f"u - {p}"] if p else [])
    return [_recursion(layer, f"i + {d}", f"j + {d.replace('u', 'v')}", reference) for d in shifts]


def mutants(problem: Problem, solution: Solution) -> tuple[Mutant, ...]:
    """The classic slips on this layer, each with the answers it leads to (each worked out when first read)."""
    layer: ConvLayer = problem.given
    reference: Symbolic = solution.answers["recursion"]
    answers = {mistake_id: _Slipped(layer, slips, parts) for mistake_id, (slips, parts) in SLIPS.items()}
    if layer.stride == 1 and reference.scope is not None:  # as written in the forward pass, e[i + u]
        answers["kernel_not_rotated"].make["recursion"] = lambda: _recursion(layer, "i + u", "j + v", reference)
    if reference.scope is not None and reference.expr.startswith("fprime("):
        answers["no_activation_derivative"].make["recursion"] = lambda: Symbolic(
            reference.expr.partition(" * ")[2], "", reference.scope, reference.domain
        )
    answers["used_z_not_a"].make["activation_prev"] = lambda: layer.z_prev  # a(l-1) written as z(l-1): the given
    return (
        _mutant("kernel_not_rotated", answers["kernel_not_rotated"], _unturned_matcher(layer, reference)),
        _mutant("valid_instead_of_full", answers["valid_instead_of_full"], _valid_matcher(layer)),
        _mutant("no_activation_derivative", answers["no_activation_derivative"]),
        _mutant("used_z_not_a", answers["used_z_not_a"]),
    )


def pairs(problem: Problem, solution: Solution) -> tuple[Mutant, ...]:
    """Two of the backward pass's slips at once, on the parts either shows in."""
    layer: ConvLayer = problem.given
    return paired(
        list(SLIPS.items()),
        merged_showing,
        lambda slipped_in: changed(slipped(layer, *slipped_in), solution.answers),
    )


def _mutant(mistake_id: str, answers: Later, matches: Callable[[str, Any], bool] | None = None) -> Mutant:
    return Mutant(mistake_id, _SAYS[mistake_id], answers, _TABLE[mistake_id].credit, matches)

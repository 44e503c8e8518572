"""The per-operation table of one training step under a convention, and the counts it adds up to."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sympy import Expr, Integer, Poly, Symbol, expand

from hwsolver.compute.opcount.conventions import Convention

n = Symbol("n", positive=True, integer=True)
L = Symbol("L", positive=True, integer=True)

# Which layers perform an operation; a layer's count is the sum of the rows whose scope includes it.
SCOPES = {
    "all": "every layer",
    "output": "the output layer only",
    "not_first": "every layer but the first",
}
PHASES = ("forward", "backward")
ROLES = ("output", "hidden", "first")
_ROLE_SCOPES = {"output": ("all", "output", "not_first"), "hidden": ("all", "not_first"), "first": ("all",)}


@dataclass(frozen=True)
class Operation:
    """One row: what a layer computes, what it costs in an n-wide layer, where, and whether it is counted."""

    key: str
    phase: str  # forward or backward (backward includes the parameter update)
    name: str
    formula: str  # plain text, for the terminal
    latex: str
    mults: Expr
    adds: Expr  # subtractions included
    scope: str  # a key of SCOPES
    counted: bool
    note: str = ""


# key -> (phase, name, plain-text formula, LaTeX formula); the order is the order of the algorithm.
_WHAT: dict[str, tuple[str, str, str, str]] = {
    "linear": ("forward", "weighted sums", "z = W a(l-1)", r"z = W a^{(l-1)}"),
    "bias": ("forward", "bias", "z += b", r"z \mathrel{+}= b"),
    "activation": ("forward", "sigmoid", "a = 1/(1 + exp(-z))", r"a = \frac{1}{1 + e^{-z}}"),
    "output_difference": ("backward", "output difference", "d = a(L) - y", r"d = a^{(L)} - y"),
    "loss_scale": ("backward", "loss derivative constant", "d = c d", r"d = c\, d"),
    "activation_derivative": ("backward", "sigmoid derivative", "s = a (1 - a)", r"\sigma'(z) = a (1 - a)"),
    "error_term": (
        "backward",
        "error term",
        "e = d * s (elementwise)",
        r"e^{(l)} = d \odot \sigma'(z^{(l)})",
    ),
    "input_gradient": (
        "backward",
        "back-propagated gradient",
        "d(l-1) = W^T e",
        r"d^{(l-1)} = W^{(l)\top} e^{(l)}",
    ),
    "weight_gradient": (
        "backward",
        "weight gradient",
        "dW = e a(l-1)^T",
        r"\nabla_W = e^{(l)} a^{(l-1)\top}",
    ),
    "bias_gradient": ("backward", "bias gradient", "db = e", r"\nabla_b = e^{(l)}"),
    "weight_update": ("backward", "weight update", "W = W - eta dW", r"W \leftarrow W - \eta \nabla_W"),
    "bias_update": ("backward", "bias update", "b = b - eta db", r"b \leftarrow b - \eta \nabla_b"),
}
_SCALES = {"squared_error": "c = 2", "mean_squared_error": "c = 2/n"}


def operations(convention: Convention, loss: str) -> tuple[Operation, ...]:
    """Every operation of one SGD step of an n-wide sigmoid layer, costed the way `convention` says."""
    c, zero = convention, Integer(0)
    fused = c.multiply_add_as_two_flops
    dot_adds = n**2 if fused else n * (n - 1)  # n dot products of n terms; a fused one starts from 0
    outer_adds = n**2 if fused else zero  # an FMA into a zeroed accumulator still adds
    first_too = c.count_first_layer_input_gradient
    # key -> (mults, adds, scope, counted, note)
    costs: dict[str, tuple[Expr, Expr, str, bool, str]] = {
        "linear": (n**2, dot_adds, "all", True, ""),
        "bias": (zero, n, "all", c.count_bias_add, ""),
        "activation": (
            n,
            n,
            "all",
            c.count_activation,
            "a division (as a mult) and an addition per unit; exp is not arithmetic",
        ),
        "output_difference": (zero, n, "output", c.count_output_difference, ""),
        "loss_scale": (n, zero, "output", c.count_loss_scale, f"{_SCALES.get(loss)} for {loss}"),
        "activation_derivative": (n, n, "all", c.count_activation_derivative, "from the stored a"),
        "error_term": (n, zero, "all", c.count_elementwise_product, ""),
        "input_gradient": (
            n**2,
            dot_adds,
            "all" if first_too else "not_first",
            True,
            "" if first_too else "the first layer has no use for it",
        ),
        "weight_gradient": (n**2, outer_adds, "all", True, ""),
        "bias_gradient": (zero, zero, "all", True, "no arithmetic: the error term itself"),
        "weight_update": (n**2, n**2, "all", c.count_update, ""),
        "bias_update": (n, n, "all", c.count_update, ""),
    }
    if loss not in _SCALES:  # 1/2 sum (a - y)^2 has no constant to multiply by
        del costs["loss_scale"]
    return tuple(Operation(key, *_WHAT[key], *cost) for key, cost in costs.items())


def layers_in(scope: str, layers: Expr) -> Expr:
    """How many of the L layers perform an operation of this scope."""
    return {"all": layers, "output": Integer(1), "not_first": layers - 1}[scope]


def role_count(rows: Iterable[Operation], phase: str, what: str, role: str) -> Expr:
    """Counted mults or adds of one layer of a role (output, hidden, first; L >= 2) in one phase."""
    return _sum(rows, phase, what, _ROLE_SCOPES[role])


def layer_count(rows: Iterable[Operation], phase: str, what: str, index: int, layers: int) -> Expr:
    """Counted mults or adds of layer `index` (1-based) of a `layers`-layer network, in one phase."""
    scopes = ["all"] + ["output"] * (index == layers) + ["not_first"] * (index > 1)
    return _sum(rows, phase, what, scopes)


def _sum(rows: Iterable[Operation], phase: str, what: str, scopes: Iterable[str]) -> Expr:
    scopes = tuple(scopes)
    chosen = [getattr(r, what) for r in rows if r.counted and r.phase == phase and r.scope in scopes]
    return expand(sum(chosen, Integer(0)))


def total(rows: Iterable[Operation], phase: str, what: str) -> Expr:
    """Counted mults or adds of the whole network (L layers) in one phase."""
    return expand(
        sum(
            (getattr(r, what) * layers_in(r.scope, L) for r in rows if r.counted and r.phase == phase),
            Integer(0),
        )
    )


def leading_term(expr: Expr) -> Expr:
    """The terms of highest total degree in n and L (3 L n^2 of 3 L n^2 + 2 L n - n^2)."""
    if expr == 0:
        return expr
    poly = Poly(expr, n, L)
    top = poly.total_degree()
    return sum((coeff * n**i * L**j for (i, j), coeff in poly.terms() if i + j == top), Integer(0))

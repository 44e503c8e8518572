"""Kind `op_count`: multiplications and additions of the forward and backward passes of an L-layer MLP.

Answers are formulas in the width n and the depth L (numbers when the problem gives integers). Per-layer
answers are a hidden layer's count; the work's table says where the output and first layers differ.
`leading_order` is {forward, backward}: the terms of highest total degree in n and L of the two mult totals.
`fixed` holds the switches the statement fixes (`update_counted: true`): another convention is an acceptable
answer only where it agrees with them (op_count_grading.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from sympy import Expr, Integer, Symbol

from hwsolver.errors import SolveError
from hwsolver.expr import from_sympy, to_latex
from hwsolver.model import Problem, Solution, Symbolic
from hwsolver.node import Node, close_match, parse_number
from hwsolver.opcount.conventions import CONVENTIONS, FIXABLE, LOSSES, SWITCHES, Convention
from hwsolver.opcount.instrumented import count_step
from hwsolver.opcount.table import (
    PHASES,
    ROLES,
    SCOPES,
    L,
    Operation,
    layer_count,
    leading_term,
    n,
    operations,
    role_count,
    total,
)

DESCRIPTION = "multiplications and additions of the forward and backward passes of an MLP"
COUNTS = tuple(f"{phase}_{what}" for phase in PHASES for what in ("mults", "adds"))
PARTS = (*(f"{c}_per_layer" for c in COUNTS), *(f"{c}_total" for c in COUNTS), "leading_order")
ACTIVATIONS = ("sigmoid",)
_SYMBOL = re.compile(r"[A-DF-Za-df-z]")  # one Latin letter; e and E are Euler's number in formulas
# Sizes at which solve() checks every formula against a counted run: first = output, two layers, hidden ones.
_WITNESS_SIZES = ((1, 1), (2, 2), (3, 4))
_MAX_WITNESS = 8
_SIZES_DOMAIN = (1.0, 9.0)  # counts are polynomials in sizes: compare them where sizes live


@dataclass(frozen=True)
class OpCountGiven:
    """An n-wide, L-layer network to count: sizes are integers or symbol names."""

    layers: int | str
    width: int | str
    activation: str
    loss: str
    convention: Convention
    fixed: tuple[tuple[str, bool], ...] = ()  # (a FIXABLE name, its value) for what the statement fixes


@dataclass(frozen=True)
class TableRow:
    """One operation of the table, its counts in the problem's n (and L)."""

    phase: str
    name: str
    formula: str
    latex: str
    mults: Symbolic
    adds: Symbolic
    layers: str
    counted: bool
    note: str


def parts(given: OpCountGiven) -> tuple[str, ...]:
    return PARTS


def parse_given(node: Node) -> OpCountGiven:
    fields = node.fields(("layers", "width", "activation", "loss"), ("convention", "overrides", "fixed"))
    layers, width = _size(fields["layers"], "L"), _size(fields["width"], "n")
    if isinstance(layers, str) and layers == width:
        raise fields["width"].error(f"width and layers must be different symbols, both are '{width}'")
    convention = _convention(fields["convention"]) if "convention" in fields else CONVENTIONS["course"]
    if "overrides" in fields:
        convention = convention.with_overrides(_overrides(fields["overrides"]))
    return OpCountGiven(
        layers=layers,
        width=width,
        activation=fields["activation"].choice(ACTIVATIONS),
        loss=fields["loss"].choice(LOSSES),
        convention=convention,
        fixed=_fixed(fields["fixed"], convention) if "fixed" in fields else (),
    )


def _size(node: Node, example: str) -> int | str:
    if node.is_scalar and not node.is_null and parse_number(node.value) is not None:
        return node.integer(minimum=1)
    if node.is_scalar and node.plain and _SYMBOL.fullmatch(node.value):
        return node.value
    raise node.error(f"expected a positive integer or a one-letter symbol such as {example}, got {node.describe()}")


def _convention(node: Node) -> Convention:
    name = node.text()
    if name not in CONVENTIONS:
        raise node.error(f"unknown convention '{name}'; known conventions: {', '.join(CONVENTIONS)}")
    return CONVENTIONS[name]


def _overrides(node: Node) -> dict[str, bool]:
    chosen: dict[str, bool] = {}
    for key, value in node.mapping().items():
        if key not in SWITCHES:
            raise value.error(f"unknown switch '{key}'; known switches: {', '.join(SWITCHES)}")
        chosen[key] = value.boolean()
    return chosen


def _fixed(node: Node, convention: Convention) -> tuple[tuple[str, bool], ...]:
    """What the statement fixes; the problem's own convention must agree with it."""
    fixed = []
    for key, value in node.mapping().items():
        if key not in FIXABLE:
            close = close_match(key, FIXABLE)
            hint = f" (did you mean '{close}'?)" if close else ""
            raise value.error(f"unknown switch '{key}' in fixed{hint}; known switches: {', '.join(FIXABLE)}")
        chosen = value.boolean()
        if getattr(convention, FIXABLE[key].switch) != chosen:
            raise value.error(
                f"fixed {key}: {str(chosen).lower()} contradicts the '{convention.name}' convention, which has "
                f"{FIXABLE[key].switch} = {str(not chosen).lower()}"
            )
        fixed.append((key, chosen))
    return tuple(fixed)


# -- solving ------------------------------------------------------------------------------------------------


def solve(problem: Problem, *, exact: bool = True) -> Solution:
    given: OpCountGiven = problem.given
    rows = operations(given.convention, given.loss)
    _check_against_counted_run(problem.id, given, rows)
    values = {n: _value(given.width), L: _value(given.layers)}

    scope = _scope(given)

    def formula(expr: Expr) -> Symbolic:
        return _symbolic(expr.xreplace(values), scope)

    answers: dict[str, Any] = {
        **{f"{c}_per_layer": formula(role_count(rows, *c.split("_"), "hidden")) for c in COUNTS},
        **{f"{c}_total": formula(total(rows, *c.split("_"))) for c in COUNTS},
        "leading_order": {  # only the order is asked here: O(L n^2) is an answer
            phase: _symbolic(
                leading_term(total(rows, phase, "mults")).xreplace(values), replace(scope, order_only=True)
            )
            for phase in PHASES
        },
    }
    roles = {role: {c: formula(role_count(rows, *c.split("_"), role)) for c in COUNTS} for role in ROLES}
    work = {
        "convention": given.convention,
        "switches": given.convention.switches(),
        "rows": tuple(_row(op, formula) for op in rows),
        "roles": roles,
        "uniform": roles["output"] == roles["hidden"] == roles["first"],
    }
    return Solution(problem, answers, work)


def _row(op: Operation, formula: Any) -> TableRow:
    return TableRow(
        op.phase,
        op.name,
        op.formula,
        op.latex,
        formula(op.mults),
        formula(op.adds),
        SCOPES[op.scope],
        op.counted,
        op.note,
    )


def _value(size: int | str) -> Expr:
    return Integer(size) if isinstance(size, int) else Symbol(size, positive=True, integer=True)


def _check_against_counted_run(problem_id: str, given: OpCountGiven, rows: tuple[Operation, ...]) -> None:
    """The second witness: every layer's counts in a real counted step equal the table's formulas."""
    sizes = set(_WITNESS_SIZES)
    own = (given.width, given.layers)
    if all(isinstance(size, int) and size <= _MAX_WITNESS for size in own):  # cheap enough to run as given
        sizes.add(own)
    for width, layers in sorted(sizes):
        step = count_step(width, layers, given.convention, given.loss)
        for phase, per_layer in (("forward", step.forward), ("backward", step.backward)):
            for index, counts in enumerate(per_layer, start=1):
                for what in ("mults", "adds"):
                    expected = layer_count(rows, phase, what, index, layers).xreplace({n: width})
                    if expected != getattr(counts, what):
                        raise SolveError(
                            f"{problem_id}: {phase} {what} of layer {index} (n={width}, L={layers}): "
                            f"formula gives {expected}, the counted run {getattr(counts, what)}"
                        )


def _symbolic(expr: Expr, scope: Any = None) -> Symbolic:
    """The one place formulas become answer text, in the expression language's spelling."""
    return Symbolic(from_sympy(expr), to_latex(expr), scope, _SIZES_DOMAIN)


def _scope(given: OpCountGiven) -> Any:
    """Students' counts may use the problem's size symbols and nothing else."""
    from hwsolver.expr import Scope

    return Scope(variables=tuple(s for s in (given.width, given.layers) if isinstance(s, str)))


def under_each_convention(solution: Solution) -> dict[str, Solution]:
    """The same network counted under every named convention, by name (the problem's own: this solution)."""
    problem, given = solution.problem, solution.problem.given
    return {
        name: solution if name == given.convention.name else solve(replace(problem, given=replace(given, convention=c)))
        for name, c in CONVENTIONS.items()
    }


# -- grading and handout hooks ------------------------------------------------------------------------------


def handout_extras(solution: Solution) -> dict[str, Any]:
    """For the handout's side-by-side table: the answers under every named convention."""
    others = under_each_convention(solution)
    return {"conventions": [(CONVENTIONS[name], other.answers) for name, other in others.items()]}


from hwsolver.kinds.op_count_grading import MISTAKES, evidence, follow_through, mistakes, trivial  # noqa: E402

__all__ = [
    "DESCRIPTION",
    "MISTAKES",
    "evidence",
    "follow_through",
    "handout_extras",
    "mistakes",
    "parse_given",
    "parts",
    "solve",
    "trivial",
    "under_each_convention",
]

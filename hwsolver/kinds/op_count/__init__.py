"""Kind `op_count`: multiplications and additions of the forward and backward passes of an L-layer MLP.

Answers are formulas in the width n and the depth L (numbers when the problem gives integers). Per-layer
answers are a hidden layer's count; the work's table says where the output and first layers differ.
`leading_order` is {forward, backward}: the terms of highest total degree in n and L of the two mult totals.
`fixed` holds the switches the statement fixes (`update_counted: true`): another convention is an acceptable
answer only where it agrees with them (grading.py).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, replace
from typing import Any

from sympy import Expr, Integer, Symbol

from hwsolver.compute.opcount.conventions import CONVENTIONS
from hwsolver.compute.opcount.instrumented import count_step
from hwsolver.compute.opcount.table import (
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
from hwsolver.errors import SolveError
from hwsolver.expr import Scope, from_sympy, parse, to_latex, to_sympy
from hwsolver.kinds.base import Kind, PartInfo
from hwsolver.kinds.op_count.given import GIVEN, OpCountGiven, parse_given
from hwsolver.model import Problem, Solution, Symbolic

COUNTS = tuple(f"{phase}_{what}" for phase in PHASES for what in ("mults", "adds"))
_COUNTED = {
    "forward_mults": "the multiplications of the forward pass",
    "forward_adds": "the additions of the forward pass",
    "backward_mults": "the multiplications of the backward pass and the update",
    "backward_adds": "the additions of the backward pass and the update",
}
PARTS = (
    *(
        PartInfo(f"{count}_per_layer", f"a formula in the sizes: {_COUNTED[count]}, one hidden layer")
        for count in COUNTS
    ),
    *(PartInfo(f"{count}_total", f"a formula in the sizes: {_COUNTED[count]}, all layers") for count in COUNTS),
    PartInfo("leading_order", "{forward: ..., backward: ...}: the highest-degree terms of the two mult totals"),
)


def parts_for(given: OpCountGiven) -> tuple[str, ...]:
    return tuple(part.id for part in PARTS)


# Sizes at which the witness checks every formula against a counted run: first = output, two layers, hidden ones.
_WITNESS_SIZES = ((1, 1), (2, 2), (3, 4))
_MAX_WITNESS = 8
_SIZES_DOMAIN = (1.0, 9.0)  # counts are polynomials in sizes: compare them where sizes live


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


def solve(problem: Problem, *, exact: bool = True, leading_term_only: bool = False) -> Solution:
    """The counts under the problem's convention; `leading_term_only` is the slip of that name (grading.py): each
    count given as its terms of highest total degree in n and L (3n^2 for 3n^2 + 2n)."""
    given: OpCountGiven = problem.given
    rows = operations(given.convention, given.loss)
    values = {n: size_value(given.width), L: size_value(given.layers)}

    scope = _scope(given)

    def formula(expr: Expr) -> Symbolic:
        return _symbolic(expr.xreplace(values), scope)

    def count(expr: Expr) -> Symbolic:
        return formula(leading_term(expr) if leading_term_only else expr)

    answers: dict[str, Any] = {
        **{f"{c}_per_layer": count(role_count(rows, *c.split("_"), "hidden")) for c in COUNTS},
        **{f"{c}_total": count(total(rows, *c.split("_"))) for c in COUNTS},
        "leading_order": {  # only the order is asked here: O(L n^2) is an answer
            phase: _symbolic(
                leading_term(total(rows, phase, "mults")).xreplace(values), replace(scope, order_only=True)
            )
            for phase in PHASES
        },
    }
    if leading_term_only:  # a slip's counts, for grading: the worked table is not shown
        return Solution(problem, answers, {})
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


def size_value(size: int | str) -> Expr:
    """A size as sympy takes it: the integer, or a positive integer symbol."""
    return Integer(size) if isinstance(size, int) else Symbol(size, positive=True, integer=True)


def witness(problem: Problem, solution: Solution) -> None:
    """Every layer's counts in a real training step that counts its own arithmetic equal the table's formulas, at
    small sizes and at the given ones (when small); the answers at those sizes are the counts: each total the
    counted run's, each per-layer count a hidden layer's, each leading order the top terms of the mult total."""
    given: OpCountGiven = problem.given
    rows = operations(given.convention, given.loss)
    widths = [given.width] if isinstance(given.width, int) else [1, 2, 3]
    depths = [given.layers] if isinstance(given.layers, int) else [1, 2, 4]
    for width, layers in sorted(set(_WITNESS_SIZES) | set(itertools.product(widths, depths))):
        step = None
        if width <= _MAX_WITNESS and layers <= _MAX_WITNESS:  # cheap enough to run
            step = count_step(width, layers, given.convention, given.loss)
            _check_table(problem.id, rows, step, width, layers)
        if width in widths and layers in depths:
            _check_answers(problem, solution, rows, step, width, layers)


def _check_table(problem_id: str, rows: Any, step: Any, width: int, layers: int) -> None:
    for phase, per_layer in (("forward", step.forward), ("backward", step.backward)):
        for index, counts in enumerate(per_layer, start=1):
            for what in ("mults", "adds"):
                expected = layer_count(rows, phase, what, index, layers).xreplace({n: width})
                if expected != getattr(counts, what):
                    raise SolveError(
                        f"{problem_id}: {phase} {what} of layer {index} (n={width}, L={layers}): "
                        f"formula gives {expected}, the counted run {getattr(counts, what)}"
                    )


def _check_answers(problem: Problem, solution: Solution, rows: Any, step: Any, width: int, layers: int) -> None:
    """The answers at n = width, L = layers against the counted run (or, past its sizes, the table it checked)."""
    given: OpCountGiven = problem.given
    sizes = {name: value for name, value in ((given.width, width), (given.layers, layers)) if isinstance(name, str)}
    table = {n: width, L: layers}
    expected: dict[str, Any] = {}
    for count in COUNTS:
        phase, what = count.split("_")
        counted = getattr(step, phase) if step else None
        expected[f"{count}_total"] = (
            sum(getattr(c, what) for c in counted) if counted else total(rows, phase, what).xreplace(table)
        )
        # a hidden layer: the second of three or more (with fewer, the table's hidden row, checked at L = 4)
        hidden = role_count(rows, phase, what, "hidden").xreplace(table)
        expected[f"{count}_per_layer"] = getattr(counted[1], what) if counted and layers >= 3 else hidden
    for phase in PHASES:
        expected[f"leading_order.{phase}"] = leading_term(total(rows, phase, "mults")).xreplace(table)
    answers = {**solution.answers, **{f"leading_order.{p}": solution.answers["leading_order"][p] for p in PHASES}}
    for part, value in expected.items():
        got = _at(answers[part], sizes)
        if got != value:
            where = ", ".join(f"{name} = {size}" for name, size in sizes.items()) or "the given sizes"
            raise SolveError(
                f"{problem.id}: {part} = {answers[part].expr} gives {got} at {where}, the count is {value}"
            )


def _at(answer: Symbolic, sizes: dict[str, int]) -> Expr:
    """A formula answer at whole sizes, exactly."""
    expr = to_sympy(parse(answer.expr, answer.scope))
    return expr.xreplace({symbol: Integer(sizes[symbol.name]) for symbol in expr.free_symbols})


def _symbolic(expr: Expr, scope: Any = None) -> Symbolic:
    """The one place formulas become answer text, in the expression language's spelling."""
    return Symbolic(from_sympy(expr), to_latex(expr), scope, _SIZES_DOMAIN)


def _scope(given: OpCountGiven) -> Any:
    """Students' counts may use the problem's size symbols and nothing else."""
    return Scope(variables=tuple(s for s in (given.width, given.layers) if isinstance(s, str)))


def under_each_convention(solution: Solution) -> dict[str, Solution]:
    """The same network counted under every named convention, by name (the problem's own: this solution)."""
    problem, given = solution.problem, solution.problem.given
    return {
        name: solution if name == given.convention.name else solve(replace(problem, given=replace(given, convention=c)))
        for name, c in CONVENTIONS.items()
    }


# grading.py and explain.py use what is defined above (solve, under_each_convention): imported once it is.
from hwsolver.kinds.op_count import examples, explain, fixed, grading  # noqa: E402

KIND = Kind(
    name="op_count",
    description="multiplications and additions of the forward and backward passes of an MLP",
    given=GIVEN,
    parse_given=parse_given,
    parts=PARTS,
    parts_for=parts_for,
    solve=solve,
    witness=witness,
    mistakes=fixed.MISTAKES,
    mutants=grading.mutants,
    pairs=grading.pairs,
    example=examples.example,
    strings=explain.STRINGS,
    labels=explain.LABELS,
    follow_through=grading.follow_through,
    trivial=grading.trivial,
    evidence=grading.evidence,
    extras=explain.extras,
)

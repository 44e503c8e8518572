"""The work budget of numeric evaluation, counted alike at parse time and at run time.

A node evaluated costs one unit (a few cost more, as timed: see cost()). One evaluation costs its tree's nodes
once, and each term of a Sum the nodes of the Sum's body (a nested Sum's own body is charged by that Sum's terms),
charged before the Sum's first term. Parse time refuses what one evaluation already exceeds with the sums' concrete
bounds (a bound that mentions a size or an index counts no terms there). At run time one Budget covers a whole
call: one evaluation, or every setting and index combination of an equivalence check, so that no input makes
evaluation take long.
"""

from __future__ import annotations

from collections.abc import Callable

from hwsolver.errors import ExprError
from hwsolver.expr.folding import fold_index
from hwsolver.expr.limits import MAX_WORK
from hwsolver.expr.nodes import Call, Expr, Item, Softmax, Sum, children


class OutOfWork(ExprError):
    """A Budget ran out."""


class Meter:
    """All the work done in this process: units charged to every Budget, and parser steps (characters read, tokens
    and tree nodes made). Tests bound work with it, not with the clock (a loaded machine is slow, not wrong)."""

    units = 0
    steps = 0


class Budget:
    """Units left for one call; charge() raises OutOfWork (an ExprError) once they run out."""

    __slots__ = ("left", "total")

    def __init__(self, units: int = MAX_WORK) -> None:
        self.left = self.total = units

    def charge(self, units: int) -> None:
        Meter.units += units
        self.left -= units
        if self.left < 0:
            raise OutOfWork(f"evaluation needs more than {self.total} steps")


_CALL_COSTS = {"KroneckerDelta": 1, "sigmoid": 8, "sigmoid'": 8, "sigmoid''": 9}


def cost(node: Expr) -> int:
    """Units of one node, about one per half microsecond at the sample size of an equivalence check.

    A builtin or declared function is several NumPy calls (sigmoid: a stable two-sided form), softmax a pass over
    its vector, an item an index check and a lookup; everything else is one NumPy call or less.
    """
    if isinstance(node, Softmax):
        return 8
    if isinstance(node, Call):
        return 4 if node.user else _CALL_COSTS.get(node.name, 4)
    return 2 if isinstance(node, Item) else 1


def work(node: Expr, terms: Callable[[Sum], int] = lambda s: 0) -> int:
    """Units one evaluation of node costs when each Sum s has terms(s) terms (by default: node's own nodes only)."""
    total, stack = 0, [node]
    while stack:
        current = stack.pop()
        total += cost(current)
        if isinstance(current, Sum):
            stack += [current.lo, current.hi]
            count = terms(current)
            total += count * work(current.body, terms) if count else 0
        else:
            stack.extend(children(current))
    return total


def concrete_terms(node: Sum) -> int:
    """The number of terms of a Sum whose bounds are plain integers (0 when a bound mentions an index or size)."""
    lo, hi = fold_index(node.lo), fold_index(node.hi)
    return max(hi - lo + 1, 0) if lo is not None and hi is not None else 0


def static_work(node: Expr) -> int:
    """What parse time knows one evaluation of node costs at least."""
    return work(node, concrete_terms)

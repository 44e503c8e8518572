"""A formula evaluated at every position of a grid at once: its free indices hold integer arrays (one entry per
position) instead of ints, so the closures run once over whole NumPy arrays rather than once per position.

Position by position the values are those of numeric.py's evaluator with the indices set one at a time: the same
float64 operations in the same order (a read outside an array is 0 at that position alone), and the same work
charged, since every position's terms are alike. What cannot be done so gives None, and the caller evaluates
position by position: a sum whose number of terms differs between positions, a read with fewer indices than its
array has axes, softmax, any error (the per-position run then says what it would have said).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

import numpy as np

from hwsolver.errors import ExprError
from hwsolver.expr.closures import Compiled, Uneven, compile_index, compile_with, outside
from hwsolver.expr.context import Context
from hwsolver.expr.nodes import Expr, Item, Softmax, Var, walk
from hwsolver.expr.numeric import FLOATS
from hwsolver.expr.scope import Scope
from hwsolver.expr.work import Budget, work
from hwsolver.memo import Bounded


def _item(node: Item) -> Compiled:
    name, base = node.name, node.base
    parts = [compile_index(i) for i in node.indices]
    ndim = len(parts)

    def item(c: Context) -> Any:
        array = c.value(name)
        if np.ndim(array) != ndim:  # a read of a slice: a different shape at every position
            raise Uneven(name)
        key = tuple(p(c) - base for p in parts)
        inside: Any = True
        for k, n in zip(key, array.shape, strict=True):
            if isinstance(k, int):  # a summed index: the same at every position
                if not 0 <= k < n:
                    return outside(c, name, 0.0)
            else:
                inside = inside & (k >= 0) & (k < n)
        if inside is True or inside.all():
            return array[key]
        zero = outside(c, name, 0.0)  # raises unless the scope reads 0 outside
        return np.where(inside, array[tuple(k * inside for k in key)], zero)  # index 0 where outside, then 0

    return item


def _softmax(node: Softmax) -> Compiled:
    raise Uneven(node.vector)


POSITIONS = dataclasses.replace(
    FLOATS,
    from_int=lambda k: np.asarray(k, dtype=float),
    truth=lambda equal: np.where(equal, 1.0, 0.0),
    item=_item,
    softmax=_softmax,
)


_COMPILED: Bounded[int, tuple[Expr, Compiled | None, int, frozenset[str]]] = Bounded(256)


def _compiled(node: Expr) -> tuple[Compiled | None, int, frozenset[str]]:
    """The closure (None where it cannot be one), the work of one run, and the scalar variables it reads; by the
    tree's identity (hashing a tree walks it all), the tree kept so that its id is not reused."""
    found = _COMPILED.get(id(node))
    if found is None or found[0] is not node:
        names = frozenset(n.name for n in walk(node) if isinstance(n, Var))
        try:
            fn: Compiled | None = compile_with(node, POSITIONS)
        except Uneven:
            fn = None
        found = _COMPILED.keep(id(node), (node, fn, work(node), names))
    return found[1:]


@lru_cache(maxsize=64)
def _grid(shape: tuple[int, ...]) -> tuple[np.ndarray, ...]:
    """Each axis's index at every position of an array of this shape (read-only: shared by every call)."""
    grid = tuple(np.indices(shape))
    for axis in grid:
        axis.flags.writeable = False
    return grid


def at_positions(expr: Expr, scope: Scope, env: Mapping[str, Any], shape: tuple[int, ...]) -> np.ndarray | None:
    """expr at every position of an array of this shape, its axes the scope's indices in order; None where it
    must be evaluated position by position."""
    fn, units, names = _compiled(expr)
    if fn is None or len(scope.indices) != len(shape) or any(np.ndim(env.get(n, 0.0)) for n in names):
        return None  # a variable given as an array: the per-position run reads it whole
    grid = dict(zip(scope.indices, _grid(shape), strict=True))
    sizes = {size: vector for vector, size in scope.vectors.items()}
    budget = Budget()
    try:
        budget.charge(units)
        with np.errstate(all="ignore"):
            result = np.asarray(fn(Context(env, grid, sizes, scope.zero_outside, budget)), dtype=float)
            return np.array(np.broadcast_to(result, shape))
    except (ExprError, ArithmeticError, TypeError, ValueError, IndexError):
        return None

"""Compile a syntax tree to closures over a Context, for any arithmetic: the one walk over the node types that
numeric.py (NumPy floats, vectorized) and precise.py (mpmath at 50 digits) share.

Each of them hands its Arithmetic: what a number, an operation, a function or a read of an array is in it. The
walk is done once per tree (the results are cached there); the closures it returns call the arithmetic's
functions directly, so sharing the walk costs nothing when a closure runs.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from functools import reduce
from typing import Any

from hwsolver.errors import ExprError
from hwsolver.expr.context import Context
from hwsolver.expr.limits import MAX_SUM_TERMS
from hwsolver.expr.nodes import Add, Call, Const, Div, Expr, Idx, Item, Mul, Neg, Num, Pow, Size, Softmax, Sum, Var
from hwsolver.expr.work import work

Compiled = Callable[[Context], Any]
IndexFn = Callable[[Context], int]
Binary = Callable[[Any, Any], Any]


@dataclass(frozen=True)
class Arithmetic:
    """What the values are in one kind of evaluation."""

    number: Callable[[Fraction], Compiled]  # a literal; a closure, since mpmath's precision is set when it runs
    constant: Callable[[str], Compiled]  # e, pi
    from_int: Callable[[int], Any]  # an index or a size used as a value
    zero: Any  # the value of an empty sum, and where a sum starts
    add: Binary
    multiply: Binary
    divide: Binary
    power: Binary
    unary: Mapping[str, Callable[[Any], Any]]  # exp, log, sigmoid, ... by name
    variadic: Mapping[str, Callable[[Iterable[Any]], Any]]  # Max, Min
    heaviside: Binary  # (x, value at 0)
    half: Compiled  # Heaviside's value at 0 when none is given
    truth: Callable[[bool], Any]  # KroneckerDelta
    returned: Callable[[Any], Any]  # what a problem-declared function returns, as a value here
    item: Callable[[Item], Compiled]  # x[i], A[i, j]: arrays are held differently
    softmax: Callable[[Softmax], Compiled]


class Uneven(ExprError):
    """Indices held as arrays of positions (positions.py) that cannot be evaluated at once: a sum whose number of
    terms differs between positions, a read that is a different shape at each."""


def compile_index(node: Expr) -> IndexFn:
    """A closure computing an integer index expression (integers, indices, sizes, + - *)."""
    if isinstance(node, Num):
        value = int(node.value)
        return lambda c: value
    if isinstance(node, Idx):
        name = node.name
        return lambda c: c.index(name)
    if isinstance(node, Size):
        name = node.name
        return lambda c: c.size(name)
    if isinstance(node, Neg):
        arg = compile_index(node.arg)
        return lambda c: -arg(c)
    if isinstance(node, (Add, Mul)):
        parts = [compile_index(p) for p in (node.terms if isinstance(node, Add) else node.factors)]
        op: Callable[[int, int], int] = operator.add if isinstance(node, Add) else operator.mul
        return lambda c: reduce(op, (p(c) for p in parts))
    raise ExprError(f"not an index expression: {type(node).__name__}")


def outside(c: Context, what: str, zero: Any) -> Any:
    """What an index outside the range of array `what` reads: zero when the scope says so, else an error."""
    if c.zero_outside:
        return zero
    raise ExprError(f"index out of range in {what}")


def compile_with(node: Expr, a: Arithmetic) -> Compiled:
    """A closure computing node from a Context, in arithmetic a."""
    if isinstance(node, Num):
        return a.number(node.value)
    if isinstance(node, Const):
        return a.constant(node.name)
    if isinstance(node, Var):
        name = node.name
        return lambda c: c.value(name)
    if isinstance(node, (Idx, Size)):
        index, from_int = compile_index(node), a.from_int
        return lambda c: from_int(index(c))
    if isinstance(node, Neg):
        arg = compile_with(node.arg, a)
        return lambda c: -arg(c)
    if isinstance(node, Add):
        return _fold([compile_with(t, a) for t in node.terms], a.add)
    if isinstance(node, Mul):
        return _fold([compile_with(f, a) for f in node.factors], a.multiply)
    if isinstance(node, Div):
        return _fold([compile_with(node.num, a), compile_with(node.den, a)], a.divide)
    if isinstance(node, Pow):
        return _fold([compile_with(node.base, a), compile_with(node.exp, a)], a.power)
    if isinstance(node, Item):
        return a.item(node)
    if isinstance(node, Call):
        return _call(node, a)
    if isinstance(node, Softmax):
        return a.softmax(node)
    return _sum(node, a)


def _fold(parts: list[Compiled], op: Binary) -> Compiled:
    if len(parts) == 2:  # the common case, without reduce's generator
        first, second = parts
        return lambda c: op(first(c), second(c))
    return lambda c: reduce(op, (p(c) for p in parts))


def _call(node: Call, a: Arithmetic) -> Compiled:
    name = node.name
    if node.user:
        args, returned = [compile_with(arg, a) for arg in node.args], a.returned

        def user(c: Context) -> Any:
            fn = c.value(name)
            if not callable(fn):
                raise ExprError(f"{name!r} must be given as a function")
            return returned(fn(*(arg(c) for arg in args)))

        return user
    if name == "KroneckerDelta":  # integer arguments
        (i, j), truth = (compile_index(arg) for arg in node.args), a.truth
        return lambda c: truth(i(c) == j(c))
    args = [compile_with(arg, a) for arg in node.args]
    if name in a.unary:
        fn, (arg,) = a.unary[name], args
        return lambda c: fn(arg(c))
    if name == "Heaviside":
        return _fold([args[0], args[1] if len(args) > 1 else a.half], a.heaviside)
    pick = a.variadic[name]
    return lambda c: pick(arg(c) for arg in args)


def _sum(node: Sum, a: Arithmetic) -> Compiled:
    body, var, weight, zero = compile_with(node.body, a), node.var, work(node.body), a.zero
    lo, hi = compile_index(node.lo), compile_index(node.hi)

    def total(c: Context) -> Any:
        first = lo(c)
        count = hi(c) - first + 1
        if not isinstance(count, int):  # bounds at every position at once (positions.py): alike, or not at once
            count = _alike(count, var)
        if count > MAX_SUM_TERMS:
            raise ExprError(f"sum over {var} has {count} terms (at most {MAX_SUM_TERMS})")
        c.budget.charge(max(count, 0) * weight)  # before any term: refused work is never started
        saved = c.idx.get(var)
        out = zero
        try:
            for step in range(count):
                c.idx[var] = first + step
                out = out + body(c)
        finally:
            if saved is None:
                c.idx.pop(var, None)
            else:
                c.idx[var] = saved
        return out

    return total


def _alike(count: Any, var: str) -> int:
    """The number of terms of a sum whose bounds are arrays of positions, where it is the same at every one."""
    flat = count.reshape(-1)
    if not (flat == flat[0]).all():
        raise Uneven(var)
    return int(flat[0])

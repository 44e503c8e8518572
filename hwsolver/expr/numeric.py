"""Compile a syntax tree to NumPy closures, vectorized over sample points; sympy is never involved.

Environment: scalar variables are arrays of shape (N,) (or floats), vectors (N, C), arrays (N, H, W);
indices and sizes are Python ints; problem-declared functions (f, fprime) are callables on arrays.
A size symbol missing from the environment is read from the last axis of the vector it sizes.
When the Scope says zero_outside, an index outside an array's range reads 0 (the convolution convention
"terms outside the range are zero"); otherwise it is an ExprError.
Every evaluation draws on a Budget (work.py): a fresh one per call unless the caller passes one to share.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import lru_cache, reduce
from typing import Any

import numpy as np

from hwsolver.errors import ExprError
from hwsolver.expr.context import Context
from hwsolver.expr.limits import MAX_SUM_TERMS
from hwsolver.expr.nodes import (
    Add,
    Call,
    Const,
    Div,
    Expr,
    Idx,
    Item,
    Mul,
    Neg,
    Num,
    Pow,
    Size,
    Softmax,
    Sum,
    Var,
)
from hwsolver.expr.scope import Scope
from hwsolver.expr.work import Budget, work

Compiled = Callable[[Context], Any]
IndexFn = Callable[[Context], int]
Evaluate = Callable[..., np.ndarray]  # (env, budget=None) -> values


def _sigmoid(x: Any) -> Any:
    t = np.exp(-np.abs(x))
    return np.where(np.asarray(x) >= 0, 1.0 / (1.0 + t), t / (1.0 + t))


def _sigmoid_prime(s: Any) -> Any:
    return s * (1.0 - s)


def _sigmoid_second(s: Any) -> Any:
    return s * (1.0 - s) * (1.0 - 2.0 * s)


UNARY: dict[str, Callable[[Any], Any]] = {
    "exp": np.exp,
    "log": np.log,
    "sqrt": np.sqrt,
    "abs": np.abs,
    "tanh": np.tanh,
    "sinh": np.sinh,
    "cosh": np.cosh,
    "sech": lambda x: 1.0 / np.cosh(x),
    "csch": lambda x: 1.0 / np.sinh(x),
    "coth": lambda x: 1.0 / np.tanh(x),
    "sin": np.sin,
    "cos": np.cos,
    "tan": np.tan,
    "sigmoid": _sigmoid,
    "sigmoid'": lambda x: _sigmoid_prime(_sigmoid(x)),
    "sigmoid''": lambda x: _sigmoid_second(_sigmoid(x)),
    "relu": lambda x: np.maximum(x, 0.0),
    "softplus": lambda x: np.logaddexp(0.0, x),
}


VARIADIC: dict[str, Callable[[Any, Any], Any]] = {"Max": np.maximum, "Min": np.minimum}
SPECIAL_CALLS = ("KroneckerDelta", "Heaviside")  # compiled by _call itself: integer arguments, a default value


def compile_tree(node: Expr) -> Compiled:
    """A closure computing node from a Context."""
    if isinstance(node, Num):
        value = float(node.value)
        return lambda c: value
    if isinstance(node, Const):
        value = float(np.e if node.name == "e" else np.pi)
        return lambda c: value
    if isinstance(node, Var):
        name = node.name
        return lambda c: c.value(name)
    if isinstance(node, (Idx, Size)):
        index = compile_index(node)
        return lambda c: float(index(c))
    if isinstance(node, Neg):
        arg = compile_tree(node.arg)
        return lambda c: -arg(c)
    if isinstance(node, Add):
        return _fold([compile_tree(t) for t in node.terms], np.add)
    if isinstance(node, Mul):
        return _fold([compile_tree(f) for f in node.factors], np.multiply)
    if isinstance(node, Div):
        num, den = compile_tree(node.num), compile_tree(node.den)
        return lambda c: np.divide(num(c), den(c))
    if isinstance(node, Pow):
        base, exp = compile_tree(node.base), compile_tree(node.exp)
        return lambda c: np.power(base(c), exp(c))
    if isinstance(node, Item):
        return _item(node)
    if isinstance(node, Call):
        return _call(node)
    if isinstance(node, Softmax):
        return _softmax(node)
    return _sum(node)


@lru_cache(maxsize=2048)
def compiled(node: Expr) -> Compiled:
    """compile_tree, cached per whole tree (trees are immutable and hashable)."""
    return compile_tree(node)


def _fold(parts: list[Compiled], op: Callable[[Any, Any], Any]) -> Compiled:
    if len(parts) == 2:
        first, second = parts
        return lambda c: op(first(c), second(c))
    return lambda c: reduce(op, (p(c) for p in parts))


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
        op: Callable[[int, int], int] = int.__add__ if isinstance(node, Add) else int.__mul__
        return lambda c: reduce(op, (p(c) for p in parts))
    raise ExprError(f"not an index expression: {type(node).__name__}")


def _outside(c: Context, what: str) -> float:
    if c.zero_outside:
        return 0.0
    raise ExprError(f"index out of range in {what}")


def _item(node: Item) -> Compiled:
    name, base = node.name, node.base
    parts = [compile_index(i) for i in node.indices]
    ndim = len(parts)

    def item(c: Context) -> Any:
        array = c.value(name)
        shape = np.shape(array)[-ndim:]
        key = tuple(p(c) - base for p in parts)
        if len(shape) < ndim or any(not 0 <= k < n for k, n in zip(key, shape, strict=True)):
            return _outside(c, name)
        return array[(..., *key)]

    return item


def _call(node: Call) -> Compiled:
    name = node.name
    if node.user:
        args = [compile_tree(a) for a in node.args]

        def user(c: Context) -> Any:
            fn = c.value(name)
            if not callable(fn):
                raise ExprError(f"{name!r} must be given as a function")
            return fn(*(a(c) for a in args))

        return user
    if name == "KroneckerDelta":
        i, j = (compile_index(a) for a in node.args)
        return lambda c: 1.0 if i(c) == j(c) else 0.0
    args = [compile_tree(a) for a in node.args]
    if name in UNARY:
        fn, (arg,) = UNARY[name], args
        return lambda c: fn(arg(c))
    if name == "Heaviside":
        arg, h0 = args[0], args[1] if len(args) > 1 else (lambda c: 0.5)
        return lambda c: np.heaviside(arg(c), h0(c))
    op = VARIADIC[name]
    return lambda c: reduce(op, (a(c) for a in args))


def _softmax(node: Softmax) -> Compiled:
    name, base, log = node.vector, node.base, node.log
    index = compile_index(node.index)

    def softmax(c: Context) -> Any:
        x = np.asarray(c.value(name), dtype=float)
        k = index(c) - base
        # outside the vector x[k] reads 0 (or raises), as in the formula exp(x[k]) / sum_j exp(x[j])
        xk = x[..., k] if 0 <= k < x.shape[-1] else _outside(c, name)
        top = x.max(axis=-1)
        total = np.exp(x - top[..., None]).sum(axis=-1)
        if log:
            return xk - top - np.log(total)
        return np.exp(xk - top) / total

    return softmax


def _sum(node: Sum) -> Compiled:
    body, var, weight = compile_tree(node.body), node.var, work(node.body)
    lo, hi = compile_index(node.lo), compile_index(node.hi)

    def total(c: Context) -> Any:
        first, last = lo(c), hi(c)
        if last - first + 1 > MAX_SUM_TERMS:
            raise ExprError(f"sum over {var} has {last - first + 1} terms (at most {MAX_SUM_TERMS})")
        c.budget.charge(max(last - first + 1, 0) * weight)  # before any term: refused work is never started
        saved = c.idx.get(var)
        out: Any = 0.0
        try:
            for value in range(first, last + 1):
                c.idx[var] = value
                out = out + body(c)
        finally:
            if saved is None:
                c.idx.pop(var, None)
            else:
                c.idx[var] = saved
        return out

    return total


def evaluator(expr: Expr, scope: Scope) -> Evaluate:
    """The public numeric form of expr: env -> float array with the sample shape of the env's inputs."""
    fn, weight = compiled(expr), work(expr)
    sizes = {size: vector for vector, size in scope.vectors.items()}
    trailing = {name: 0 for name in scope.variables} | {name: 1 for name in scope.vectors} | dict(scope.arrays)

    def evaluate(env: Mapping[str, Any], budget: Budget | None = None) -> np.ndarray:
        budget = Budget() if budget is None else budget
        budget.charge(weight)
        idx = {name: int(env[name]) for name in scope.indices if name in env}
        context = Context(env, idx, sizes, scope.zero_outside, budget)
        try:
            with np.errstate(all="ignore"):
                result = np.asarray(fn(context), dtype=float)
                shapes = [np.shape(env[n])[: np.ndim(env[n]) - k] for n, k in trailing.items() if n in env]
                shape = np.broadcast_shapes(result.shape, *shapes)
                return result if result.shape == shape else result + np.zeros(shape)
        except (TypeError, ValueError, IndexError) as exc:
            raise ExprError(f"cannot evaluate: {exc}") from exc

    return evaluate

"""Compile a syntax tree to NumPy closures, vectorized over sample points; sympy is never involved.

Environment: scalar variables are arrays of shape (N,) (or floats), vectors (N, C), arrays (N, H, W);
indices and sizes are Python ints; problem-declared functions (f, fprime) are callables on arrays.
A size symbol missing from the environment is read from the last axis of the vector it sizes.
When the Scope says zero_outside, an index outside an array's range reads 0 (the convolution convention
"terms outside the range are zero"); otherwise it is an ExprError.
Every evaluation draws on a Budget (work.py): a fresh one per call unless the caller passes one to share.
The walk over the tree is closures.py's, shared with precise.py; this module gives it float64 NumPy arithmetic.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from fractions import Fraction
from functools import lru_cache, reduce
from typing import Any

import numpy as np

from hwsolver.errors import ExprError
from hwsolver.expr.closures import Arithmetic, Compiled, compile_index, compile_with, outside
from hwsolver.expr.context import Context
from hwsolver.expr.nodes import Expr, Item, Softmax
from hwsolver.expr.scope import Scope
from hwsolver.expr.work import Budget, work

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


VARIADIC: dict[str, Callable[[Iterable[Any]], Any]] = {
    "Max": lambda values: reduce(np.maximum, values),
    "Min": lambda values: reduce(np.minimum, values),
}
SPECIAL_CALLS = ("KroneckerDelta", "Heaviside")  # compiled by closures.py itself: integer arguments, a default value


def _number(value: Fraction) -> Compiled:
    number = float(value)
    return lambda c: number


def _constant(name: str) -> Compiled:
    value = float(np.e if name == "e" else np.pi)
    return lambda c: value


def _item(node: Item) -> Compiled:
    name, base = node.name, node.base
    parts = [compile_index(i) for i in node.indices]
    ndim = len(parts)

    def item(c: Context) -> Any:
        array = c.value(name)
        shape = np.shape(array)[-ndim:]
        key = tuple(p(c) - base for p in parts)
        if len(shape) < ndim or any(not 0 <= k < n for k, n in zip(key, shape, strict=True)):
            return outside(c, name, 0.0)
        return array[(..., *key)]

    return item


def _softmax(node: Softmax) -> Compiled:
    name, base, log = node.vector, node.base, node.log
    index = compile_index(node.index)

    def softmax(c: Context) -> Any:
        x = np.asarray(c.value(name), dtype=float)
        k = index(c) - base
        # outside the vector x[k] reads 0 (or raises), as in the formula exp(x[k]) / sum_j exp(x[j])
        xk = x[..., k] if 0 <= k < x.shape[-1] else outside(c, name, 0.0)
        top = x.max(axis=-1)
        total = np.exp(x - top[..., None]).sum(axis=-1)
        if log:
            return xk - top - np.log(total)
        return np.exp(xk - top) / total

    return softmax


FLOATS = Arithmetic(
    number=_number,
    constant=_constant,
    from_int=float,
    zero=0.0,
    add=np.add,
    multiply=np.multiply,
    divide=np.divide,
    power=np.power,
    unary=UNARY,
    variadic=VARIADIC,
    heaviside=np.heaviside,
    half=lambda c: 0.5,
    truth=lambda equal: 1.0 if equal else 0.0,
    returned=lambda value: value,
    item=_item,
    softmax=_softmax,
)


def compile_tree(node: Expr) -> Compiled:
    """A closure computing node from a Context, in float64 NumPy arrays."""
    return compile_with(node, FLOATS)


@lru_cache(maxsize=2048)
def compiled(node: Expr) -> Compiled:
    """compile_tree, cached per whole tree (trees are immutable and hashable)."""
    return compile_tree(node)


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

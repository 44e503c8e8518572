"""Evaluate a syntax tree at one point in mpmath at 50 digits: the high-precision witness of an equivalence.

Float64 cannot tell a formula from the same formula plus exp(-40); 50 digits can. Values are real mpf numbers;
what is no real number (log(-1), 1/0, 0^-1) is nan. The environment holds mpf scalars, vectors and arrays as nested
lists of mpf, indices and sizes as ints, and declared functions as callables on mpf. The walk over the tree, and
so the work charged to the budget, is numeric.py's (closures.py); the arithmetic is mpmath's.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from fractions import Fraction
from functools import lru_cache
from typing import Any

import mpmath

from hwsolver.expr.closures import Arithmetic, Compiled, compile_index, compile_with, outside
from hwsolver.expr.context import Context
from hwsolver.expr.nodes import Expr, Item, Softmax
from hwsolver.expr.scope import Scope
from hwsolver.expr.work import Budget, work

DIGITS = 50
NAN = mpmath.mpf("nan")


def _real(value: Any) -> Any:
    """value as a real mpf; nan when it is complex (log of a negative number) or no number at all."""
    if isinstance(value, mpmath.mpc):
        return value.real if value.imag == 0 else NAN
    return value


def _guard(fn: Callable[..., Any]) -> Callable[..., Any]:
    def guarded(*args: Any) -> Any:
        try:
            return _real(fn(*args))
        except (ZeroDivisionError, ValueError, OverflowError):
            return NAN

    return guarded


_HUGE = 10**4  # beyond this an exponential over- or underflows in float64 too: its limit, without computing it
_INF = mpmath.mpf("inf")


def _exp(x: Any) -> Any:
    return _INF if x > _HUGE else mpmath.mpf(0) if x < -_HUGE else mpmath.exp(x)


def _limits(fn: Callable[[Any], Any], high: Any, low: Any) -> Callable[[Any], Any]:
    """fn, with its limits for |x| > _HUGE (mpmath would compute exp(1e300) to the last digit)."""
    return lambda x: mpmath.mpf(high) if x > _HUGE else mpmath.mpf(low) if x < -_HUGE else fn(x)


def _bounded(fn: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """A periodic function of an argument too large to reduce cheaply is no number here (nan)."""
    return lambda x: NAN if abs(x) > 10**6 else fn(x)


def _sigmoid(x: Any) -> Any:
    return 1 / (1 + _exp(-x))


def _power(a: Any, b: Any) -> Any:
    if a != 0 and a == a and b == b and abs(b) * abs(mpmath.log(abs(a))) > _HUGE:  # a result beyond float64's range
        return _INF if (abs(a) > 1) == (b > 0) else mpmath.mpf(0)
    return mpmath.power(a, b)


UNARY: dict[str, Callable[[Any], Any]] = {
    name: _guard(fn)
    for name, fn in {
        "exp": _exp,
        "log": lambda x: mpmath.log(x) if x != 0 else NAN,
        "sqrt": mpmath.sqrt,
        "abs": abs,
        "tanh": _limits(mpmath.tanh, 1, -1),
        "sinh": _limits(mpmath.sinh, "inf", "-inf"),
        "cosh": _limits(mpmath.cosh, "inf", "inf"),
        "sech": _limits(mpmath.sech, 0, 0),
        "csch": _limits(mpmath.csch, 0, 0),
        "coth": _limits(mpmath.coth, 1, -1),
        "sin": _bounded(mpmath.sin),
        "cos": _bounded(mpmath.cos),
        "tan": _bounded(mpmath.tan),
        "sigmoid": _sigmoid,
        "sigmoid'": lambda x: _sigmoid(x) * (1 - _sigmoid(x)),
        "sigmoid''": lambda x: _sigmoid(x) * (1 - _sigmoid(x)) * (1 - 2 * _sigmoid(x)),
        "relu": lambda x: max(x, mpmath.mpf(0)),
        "softplus": lambda x: x if x > _HUGE else mpmath.log1p(_exp(x)),
    }.items()
}


def _heaviside(x: Any, h0: Any) -> Any:
    return mpmath.mpf(1) if x > 0 else mpmath.mpf(0) if x < 0 else h0


def _number(value: Fraction) -> Compiled:
    numerator, denominator = value.numerator, value.denominator
    return lambda c: mpmath.mpf(numerator) / denominator  # at the working precision of the call


def _constant(name: str) -> Compiled:
    return (lambda c: +mpmath.e) if name == "e" else (lambda c: +mpmath.pi)


def _item(node: Item) -> Compiled:
    name, base = node.name, node.base
    parts = [compile_index(i) for i in node.indices]

    def item(c: Context) -> Any:
        value = c.value(name)
        for part in parts:
            k = part(c) - base
            if not 0 <= k < len(value):
                return outside(c, name, mpmath.mpf(0))
            value = value[k]
        return value

    return item


def _softmax(node: Softmax) -> Compiled:
    name, base, log = node.vector, node.base, node.log
    index = compile_index(node.index)

    def softmax(c: Context) -> Any:
        x = c.value(name)
        k = index(c) - base
        xk = x[k] if 0 <= k < len(x) else outside(c, name, mpmath.mpf(0))
        top = max(x)  # as numeric.py: exp(v - top) stays in range
        total = mpmath.fsum(mpmath.exp(v - top) for v in x)
        return xk - top - mpmath.log(total) if log else mpmath.exp(xk - top) / total

    return softmax


MPF = Arithmetic(
    number=_number,
    constant=_constant,
    from_int=mpmath.mpf,
    zero=mpmath.mpf(0),
    add=operator.add,
    multiply=operator.mul,
    divide=_guard(operator.truediv),
    power=_guard(_power),
    unary=UNARY,
    variadic={"Max": max, "Min": min},
    heaviside=_heaviside,
    half=lambda c: mpmath.mpf(1) / 2,
    truth=mpmath.mpf,
    returned=_real,
    item=_item,
    softmax=_softmax,
)


def compile_precise(node: Expr) -> Compiled:
    """A closure computing node from a Context whose env holds mpf values."""
    return compile_with(node, MPF)


@lru_cache(maxsize=2048)
def compiled_precise(node: Expr) -> Compiled:
    return compile_precise(node)


def precise_value(expr: Expr, scope: Scope, env: Mapping[str, Any], budget: Budget) -> Any:
    """expr at the one point env (mpf values) at DIGITS digits: an mpf, nan where it is no real number."""
    fn = compiled_precise(expr)
    budget.charge(work(expr))
    sizes = {size: vector for vector, size in scope.vectors.items()}
    idx = {name: int(env[name]) for name in scope.indices if name in env}
    with mpmath.workdps(DIGITS):
        return fn(Context(env, idx, sizes, scope.zero_outside, budget))

"""Exact folding of constant subexpressions, used only to enforce the size caps on exponents and constants."""

from __future__ import annotations

import math
from fractions import Fraction

from hwsolver.expr.limits import MAX_CONSTANT_BITS, MAX_EXPONENT
from hwsolver.expr.nodes import Add, Call, Const, Div, Expr, Idx, Mul, Neg, Num, Pow, Size, walk

Value = Fraction | float | None  # None: not a constant (or not a real number)

_FLOAT_FUNCS = {
    "exp": math.exp,
    "log": math.log,
    "sqrt": math.sqrt,
    "abs": abs,
    "tanh": math.tanh,
    "sinh": math.sinh,
    "cosh": math.cosh,
    "sin": math.sin,
    "cos": math.cos,
    "tan": math.tan,
}


class CapExceeded(Exception):
    """A constant too large to fold safely; the parser turns it into an ExprError at the right column."""


def _bits(q: Fraction) -> int:
    return max(q.numerator.bit_length(), q.denominator.bit_length())


def fold(node: Expr) -> Value:
    """The value of a constant subtree (Fraction when exactly rational), None when it depends on anything."""
    if isinstance(node, Num):
        return node.value
    if isinstance(node, Const):
        return math.e if node.name == "e" else math.pi
    if isinstance(node, Neg):
        v = fold(node.arg)
        return None if v is None else -v
    if isinstance(node, Add):
        values = [fold(t) for t in node.terms]
        if any(v is None for v in values):
            return None
        try:
            return sum(values, Fraction(0))  # type: ignore[arg-type]
        except OverflowError:
            return math.inf
    if isinstance(node, Mul):
        return _product([fold(f) for f in node.factors])
    if isinstance(node, Div):
        num, den = fold(node.num), fold(node.den)
        if num is None or den is None or den == 0:
            return None
        return _product([num, 1 / den])
    if isinstance(node, Pow):
        return _power(fold(node.base), fold(node.exp))
    if isinstance(node, Call) and not node.user and node.name in _FLOAT_FUNCS and len(node.args) == 1:
        arg = fold(node.args[0])
        if arg is None:
            return None
        try:
            return float(_FLOAT_FUNCS[node.name](float(arg)))
        except (ValueError, OverflowError):
            return math.inf if node.name == "exp" else None
    return None


def _product(values: list[Value]) -> Value:
    if any(v is None for v in values):
        return None
    out: Fraction | float = Fraction(1)
    for v in values:
        if isinstance(out, Fraction) and isinstance(v, Fraction) and _bits(out) + _bits(v) > MAX_CONSTANT_BITS:
            raise CapExceeded(f"constant too large (more than {MAX_CONSTANT_BITS} bits)")
        try:
            out = out * v  # type: ignore[operator]
        except OverflowError:
            return math.inf
    return out


def _power(base: Value, exp: Value) -> Value:
    if exp is None:
        return None
    if (isinstance(exp, float) and not math.isfinite(exp)) or abs(exp) > MAX_EXPONENT:
        raise CapExceeded(f"exponent too large (at most {MAX_EXPONENT} in absolute value)")
    if base is None:
        return None
    if isinstance(base, Fraction) and isinstance(exp, Fraction) and exp.denominator == 1:
        if base == 0:
            return None if exp < 0 else Fraction(int(exp == 0))
        if _bits(base) * abs(exp.numerator) > MAX_CONSTANT_BITS:
            raise CapExceeded(f"constant too large (more than {MAX_CONSTANT_BITS} bits)")
        return base ** int(exp)
    try:
        return math.pow(float(base), float(exp))
    except (ValueError, ZeroDivisionError):
        return None
    except OverflowError:
        return math.inf


def check_power(node: Pow) -> None:
    """Raise CapExceeded when node's exponent is a constant too large or it folds to a huge constant."""
    _power(fold(node.base), fold(node.exp))


def fold_index(node: Expr) -> int | None:
    """The integer value of a concrete index expression, None when it mentions an index or a size."""
    if any(isinstance(n, (Idx, Size)) for n in walk(node)):
        return None
    value = fold(node)
    return int(value) if isinstance(value, Fraction) and value.denominator == 1 else None

"""Read a sympy expression back into a syntax tree (for printing it in the language or in LaTeX)."""

from __future__ import annotations

from fractions import Fraction

import sympy
from sympy.core.function import AppliedUndef

from hwsolver.errors import ExprError
from hwsolver.expr.nodes import Add, Call, Const, Div, Expr, Item, Mul, Neg, Num, Pow, Sum, Var
from hwsolver.expr.sympy_funcs import ACTIVATIONS

_FUNCTIONS = {
    sympy.exp: "exp",
    sympy.log: "log",
    sympy.Abs: "abs",
    sympy.tanh: "tanh",
    sympy.sinh: "sinh",
    sympy.cosh: "cosh",
    sympy.sech: "sech",
    sympy.csch: "csch",
    sympy.coth: "coth",
    sympy.sin: "sin",
    sympy.cos: "cos",
    sympy.tan: "tan",
    sympy.KroneckerDelta: "KroneckerDelta",
    sympy.Max: "Max",
    sympy.Min: "Min",
    **{cls: name for name, cls in ACTIVATIONS.items()},
}


def sympy_to_tree(e: sympy.Basic) -> Expr:
    """The syntax tree for a sympy expression built from the language's functions."""
    if e.is_Rational:
        value = Fraction(int(e.p), int(e.q))
        return Neg(Num(-value)) if value < 0 else Num(value)
    if e.is_Float:
        value = Fraction(*float(e).as_integer_ratio())
        return Neg(Num(-value)) if value < 0 else Num(value)
    if e is sympy.E:
        return Const("e")
    if e is sympy.pi:
        return Const("pi")
    if e.is_Symbol:
        return Var(e.name)
    if isinstance(e, sympy.Indexed):
        return Item(str(e.base.label), tuple(sympy_to_tree(i) for i in e.indices), 0)
    if e.is_Add:
        return Add(tuple(_term(t) for t in e.as_ordered_terms()))
    if e.is_Mul or e.is_Pow:
        return _product(e)
    if isinstance(e, sympy.Heaviside):
        args = e.args[:1] if len(e.args) == 1 or e.args[1] == sympy.S.Half else e.args
        return Call("Heaviside", tuple(sympy_to_tree(a) for a in args))
    if isinstance(e, sympy.Sum):
        return _sum(e)
    if isinstance(e, AppliedUndef):
        return Call(type(e).__name__, tuple(sympy_to_tree(a) for a in e.args), True)
    if isinstance(e, sympy.Derivative):
        return _derivative(e.expr, e.variable_count, e.expr.args)
    if isinstance(e, sympy.Subs) and isinstance(e.expr, sympy.Derivative):
        return _derivative(e.expr.expr, e.expr.variable_count, e.point)
    if type(e) in _FUNCTIONS:
        return Call(_FUNCTIONS[type(e)], tuple(sympy_to_tree(a) for a in e.args))
    raise ExprError(f"cannot write {type(e).__name__} in the expression language")


def _term(t: sympy.Expr) -> Expr:
    if t.could_extract_minus_sign():
        return Neg(sympy_to_tree(-t))
    return sympy_to_tree(t)


def _product(e: sympy.Expr) -> Expr:
    if e.could_extract_minus_sign() and e.is_Mul:
        return Neg(sympy_to_tree(-e))
    num, den = sympy.fraction(e, exact=True)
    if den != 1:
        return Div(sympy_to_tree(num), sympy_to_tree(den))
    if e.is_Pow:
        base, exp = e.args
        if exp == sympy.S.Half:
            return Call("sqrt", (sympy_to_tree(base),))
        return Pow(sympy_to_tree(base), sympy_to_tree(exp))
    return Mul(tuple(sympy_to_tree(f) for f in e.as_ordered_factors()))


def _sum(e: sympy.Sum) -> Expr:
    body = sympy_to_tree(e.function)
    for var, lo, hi in e.limits:
        body = Sum(body, str(var), sympy_to_tree(lo), sympy_to_tree(hi))
    return body


def _derivative(inner: sympy.Expr, counts: tuple, point: tuple) -> Expr:
    if isinstance(inner, AppliedUndef) and len(inner.args) == 1 and len(counts) == 1 and counts[0][1] == 1:
        return Call(type(inner).__name__ + "prime", (sympy_to_tree(point[0]),), True)
    raise ExprError("only first derivatives f'(z) of one-argument functions can be written")

"""Build sympy objects from a syntax tree (never from strings).

Variables are real symbols, indices integer symbols, sizes positive integers; x[k] is Indexed(x, k);
softmax(x)[k] is exp(x[k]) / Sum(exp(x[j]), (j, base, C + base - 1)), i.e. j = 1..C with the default base 1.
"""

from __future__ import annotations

import itertools
from functools import lru_cache

import sympy

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
    walk,
)
from hwsolver.expr.sympy_funcs import ACTIVATIONS

_BUILTINS = {
    "exp": sympy.exp,
    "log": sympy.log,
    "sqrt": sympy.sqrt,
    "abs": sympy.Abs,
    "tanh": sympy.tanh,
    "sinh": sympy.sinh,
    "cosh": sympy.cosh,
    "sech": sympy.sech,
    "csch": sympy.csch,
    "coth": sympy.coth,
    "sin": sympy.sin,
    "cos": sympy.cos,
    "tan": sympy.tan,
    "Heaviside": sympy.Heaviside,
    "KroneckerDelta": sympy.KroneckerDelta,
    "Max": sympy.Max,
    "Min": sympy.Min,
    **ACTIVATIONS,
    "sigmoid'": lambda a: ACTIVATIONS["sigmoid"](a).fdiff(),  # sigmoid(a)*(1 - sigmoid(a))
    "sigmoid''": lambda a: ACTIVATIONS["sigmoid"](a).fdiff() * (1 - 2 * ACTIVATIONS["sigmoid"](a)),
}
_DUMMIES = ("j", "l", "m", "n", "p", "q", "r", "s", "t")


def variable(name: str) -> sympy.Symbol:
    """The sympy symbol a scalar variable becomes."""
    return sympy.Symbol(name, real=True)


def index(name: str) -> sympy.Symbol:
    """The sympy symbol an index becomes."""
    return sympy.Symbol(name, integer=True)


def size(name: str) -> sympy.Symbol:
    """The sympy symbol a size (C, K) becomes."""
    return sympy.Symbol(name, integer=True, positive=True)


def array(name: str) -> sympy.IndexedBase:
    """The sympy IndexedBase a vector or array becomes (real elements)."""
    return sympy.IndexedBase(name, real=True)


@lru_cache(maxsize=2048)
def tree_to_sympy(root: Expr) -> sympy.Expr:
    """The sympy expression for a tree; softmax sums use j, or the first of l, m, ... not used in the tree."""
    used = {getattr(n, "name", None) for n in walk(root)} | {n.var for n in walk(root) if isinstance(n, Sum)}
    spare = (f"j{n}" for n in itertools.count(1))
    return _Builder(next(name for name in itertools.chain(_DUMMIES, spare) if name not in used)).build(root)


class _Builder:
    def __init__(self, dummy: str) -> None:
        self.dummy = dummy

    def build(self, node: Expr) -> sympy.Expr:
        build = self.build
        if isinstance(node, Num):
            return sympy.Rational(node.value.numerator, node.value.denominator)
        if isinstance(node, Const):
            return sympy.E if node.name == "e" else sympy.pi
        if isinstance(node, Var):
            return variable(node.name)
        if isinstance(node, Idx):
            return index(node.name)
        if isinstance(node, Size):
            return size(node.name)
        if isinstance(node, Item):
            return array(node.name)[tuple(build(i) for i in node.indices)]
        if isinstance(node, Neg):
            return -build(node.arg)
        if isinstance(node, Add):
            return sympy.Add(*(build(t) for t in node.terms))
        if isinstance(node, Mul):
            return sympy.Mul(*(build(f) for f in node.factors))
        if isinstance(node, Div):
            return build(node.num) / build(node.den)
        if isinstance(node, Pow):
            return sympy.Pow(build(node.base), build(node.exp))
        if isinstance(node, Call):
            fn = sympy.Function(node.name) if node.user else _BUILTINS[node.name]
            return fn(*(build(a) for a in node.args))
        if isinstance(node, Softmax):
            return self.softmax(node)
        assert isinstance(node, Sum)
        return sympy.Sum(build(node.body), (index(node.var), build(node.lo), build(node.hi)))

    def softmax(self, node: Softmax) -> sympy.Expr:
        j, x, k = index(self.dummy), array(node.vector), self.build(node.index)
        total = sympy.Sum(sympy.exp(x[j]), (j, node.base, size(node.size) + node.base - 1))
        if node.log:
            return x[k] - sympy.log(total)
        return sympy.exp(x[k]) / total

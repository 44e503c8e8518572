"""The immutable syntax tree every formula becomes; the numeric and sympy compilers read only this."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, TypeVar

_T = TypeVar("_T", bound=type)


def _node(cls: _T) -> _T:
    """A frozen dataclass whose hash is worked out once: a formula is a key of several memos (its meaning, the
    equivalences found), and the generated __hash__ hashes the whole tree again at each lookup (a class's answers
    are parsed once per text, so each tree is looked up again and again). The hash is not pickled: a string's
    hash differs from process to process."""
    cls = dataclass(frozen=True)(cls)
    computed = cls.__hash__

    def __hash__(self: Any) -> int:
        found = self.__dict__.get("_hash")
        if found is None:
            found = computed(self)
            object.__setattr__(self, "_hash", found)  # (frozen: the fields; the hash is no field)
        return found

    def __getstate__(self: Any) -> dict[str, Any]:
        return {name: value for name, value in self.__dict__.items() if name != "_hash"}

    cls.__hash__ = __hash__  # type: ignore[method-assign]
    cls.__getstate__ = __getstate__  # type: ignore[attr-defined]
    return cls


@_node
class Num:
    """An exact rational literal (0.2 is 1/5)."""

    value: Fraction


@_node
class Const:
    """e or pi."""

    name: str


@_node
class Var:
    """A declared scalar variable."""

    name: str


@_node
class Idx:
    """An integer index: declared (free) or bound by an enclosing Sum."""

    name: str


@_node
class Size:
    """An integer size symbol such as C or K."""

    name: str


@_node
class Item:
    """An element of a declared vector or array, x[k] or w[u, v]; base is the first valid index."""

    name: str
    indices: tuple[Expr, ...]
    base: int = 1


@_node
class Neg:
    arg: Expr


@_node
class Add:
    terms: tuple[Expr, ...]


@_node
class Mul:
    factors: tuple[Expr, ...]


@_node
class Div:
    num: Expr
    den: Expr


@_node
class Pow:
    base: Expr
    exp: Expr


@_node
class Call:
    """A builtin function (sigmoid, exp, KroneckerDelta, ...) or, with user=True, a problem-declared one."""

    name: str
    args: tuple[Expr, ...]
    user: bool = False


@_node
class Softmax:
    """softmax(x)[k] (log=False) or log_softmax(x)[k] over vector x of size symbol `size`."""

    vector: str
    index: Expr
    size: str
    base: int = 1
    log: bool = False


@_node
class Sum:
    """Sum of body for var = lo..hi, bounds inclusive."""

    body: Expr
    var: str
    lo: Expr
    hi: Expr
    pos: int = field(default=0, compare=False)


Expr = Num | Const | Var | Idx | Size | Item | Neg | Add | Mul | Div | Pow | Call | Softmax | Sum
NODE_TYPES = (Num, Const, Var, Idx, Size, Item, Neg, Add, Mul, Div, Pow, Call, Softmax, Sum)


_CHILDREN = {
    Num: lambda n: (),
    Const: lambda n: (),
    Var: lambda n: (),
    Idx: lambda n: (),
    Size: lambda n: (),
    Item: lambda n: n.indices,
    Neg: lambda n: (n.arg,),
    Add: lambda n: n.terms,
    Mul: lambda n: n.factors,
    Div: lambda n: (n.num, n.den),
    Pow: lambda n: (n.base, n.exp),
    Call: lambda n: n.args,
    Softmax: lambda n: (n.index,),
    Sum: lambda n: (n.body, n.lo, n.hi),
}


def children(node: Expr) -> tuple[Expr, ...]:
    """The direct sub-expressions of node."""
    return _CHILDREN[type(node)](node)


def walk(node: Expr) -> Iterator[Expr]:
    """Every node of the tree, parents before children (iterative: safe for any depth)."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(children(current)))


def node_count(node: Expr) -> int:
    """Number of nodes in the tree."""
    return sum(1 for _ in walk(node))


def free_indices(node: Expr) -> frozenset[str]:
    """Names of the indices used but not bound by a Sum inside node."""
    found: set[str] = set()
    stack: list[tuple[Expr, frozenset[str]]] = [(node, frozenset())]
    while stack:
        current, bound = stack.pop()
        if isinstance(current, Idx):
            if current.name not in bound:
                found.add(current.name)
        elif isinstance(current, Sum):
            stack += [(current.body, bound | {current.var}), (current.lo, bound), (current.hi, bound)]
        else:
            stack += [(child, bound) for child in children(current)]
    return frozenset(found)


def is_index_expr(node: Expr) -> bool:
    """True for integer index arithmetic: integers, indices, sizes, + - * (e.g. i - u, K - 1)."""
    if isinstance(node, Num):
        return node.value.denominator == 1
    if isinstance(node, (Idx, Size)):
        return True
    if isinstance(node, (Neg, Add, Mul)):
        return all(is_index_expr(c) for c in children(node))
    return False

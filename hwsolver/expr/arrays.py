"""Whole-array notation, as the convolution handout writes its recursion: e(l-1) = f'(z) ⊙ (e ∗_full rot180(w)).

An answer that uses ∗_full (the full convolution, \\ast_{\\mathrm{full}}) or rot180 is read entry by entry at the
answer's position (the scope's indices, i and j): a bare array z is z[i, j], rot180(w) is w[K-1-i, K-1-j], ⊙ is
the entry-by-entry product, and A ∗_full B at (i, j) is sum over u, v = 0..K-1 of B[u, v] A[i-(K-1)+u, j-(K-1)+v]
(A padded with K-1 rings of zeros, correlated with B, as deep-learning libraries compute a convolution). K is the
scope's one size symbol, the kernel's size. The stride-1, unpadded layer's notation only (no crop or dilate).
"""

from __future__ import annotations

from fractions import Fraction

from hwsolver.expr.nodes import Add, Expr, Idx, Item, Mul, Neg, Num, Size, Sum, children
from hwsolver.expr.scope import Scope
from hwsolver.expr.shorthand import Shorthand
from hwsolver.expr.tokens import Token

FULL_CONVOLUTION = "⊛"  # the token of ∗_full
ROT180 = "rot180"


class WholeArrays(Shorthand):
    """The rules of the whole-array notation; Forms uses them for bare arrays and rot180, the grammar for ⊛."""

    def __init__(self, text: str, tokens: list[Token], scope: Scope) -> None:
        super().__init__(text, tokens, scope)
        self.whole = any(t.text == FULL_CONVOLUTION or (t.kind == "name" and t.text == ROT180) for t in tokens)

    def position(self, name: str, token: Token) -> tuple[Expr, ...]:
        """The answer's position (i, j) as the indices of a bare array in whole-array notation."""
        ndim = self.scope.arrays.get(name, 1)
        if len(self.scope.indices) != ndim:
            self.error(f"{name} cannot be read as a whole array here: write its entries, as in {name}[i, j]", token)
        return tuple(Idx(index) for index in self.scope.indices)

    def kernel_size(self, token: Token) -> Size:
        if len(self.scope.size_symbols) != 1:
            self.error("the whole-array notation needs the kernel's size K: write the sum over u, v instead", token)
        return Size(self.scope.size_symbols[0])

    def rot180(self, token: Token) -> Expr:
        """rot180(w) at (i, j): w[K-1-i, K-1-j]."""
        opener = self.expect("(")
        array = self.advance()
        if array.kind != "name" or array.text not in self.scope.arrays:
            self.error("rot180 turns a declared array, as in rot180(w)", array)
        self.expect(")", opener)
        last = _minus(self.kernel_size(token), Num(Fraction(1)))
        return Item(array.text, tuple(_minus(last, i) for i in self.position(array.text, array)), self.scope.index_base)

    def full_convolution(self, left: Expr, right: Expr, token: Token) -> Expr:
        """left ∗_full right at (i, j), both read at (i, j): a double sum over the kernel's entries."""
        if not (isinstance(left, Item) and isinstance(right, Item)):
            self.error("∗_full joins two arrays, as in e ∗_full rot180(w)", token)
        size = self.kernel_size(token)
        last = _minus(size, Num(Fraction(1)))
        names = [n for n in "uvpqrst" if self.scope.kind_of(n) is None and n not in self.bound][:2]
        where = dict(zip(self.scope.indices, (Idx(n) for n in names), strict=False))
        shifted = {i: Add((Idx(i), Neg(last), Idx(n))) for i, n in zip(self.scope.indices, names, strict=False)}
        body: Expr = Mul((_substitute(right, where), _substitute(left, shifted)))
        for name in reversed(names):
            body = Sum(body, name, Num(Fraction(0)), last)
        return body


def _minus(a: Expr, b: Expr) -> Expr:
    return Add((a, Neg(b)))


def _substitute(node: Expr, values: dict[str, Expr]) -> Expr:
    """node with the indices named in values replaced (index expressions hold no sums: no binding to respect)."""
    if isinstance(node, Idx):
        return values.get(node.name, node)
    if isinstance(node, Item):
        return Item(node.name, tuple(_substitute(i, values) for i in node.indices), node.base)
    if isinstance(node, Add):
        return Add(tuple(_substitute(t, values) for t in node.terms))
    if isinstance(node, Mul):
        return Mul(tuple(_substitute(f, values) for f in node.factors))
    if isinstance(node, Neg):
        return Neg(_substitute(node.arg, values))
    assert not children(node), node
    return node

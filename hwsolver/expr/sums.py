"""Both spellings of a sum: Sum(body, (j, lo, hi), ...) in plain text and \\sum_{j=lo}^{hi} from LaTeX."""

from __future__ import annotations

from hwsolver.expr.catalog import SOFT_ALIASES, builtin_names
from hwsolver.expr.cursor import Cursor
from hwsolver.expr.diagnostics import shown
from hwsolver.expr.folding import fold_index
from hwsolver.expr.limits import MAX_INDEX_VALUE, MAX_SUM_TERMS
from hwsolver.expr.nodes import Expr, Sum, is_index_expr
from hwsolver.expr.tokens import Token

INDEX_RULE = "may only use integers, indices, sizes and + - *"


class Sums(Cursor):
    """The sum rules; Forms adds the other name-based forms."""

    def plain_sum(self, token: Token) -> Expr:
        """Sum(body, (j, lo, hi)), also with several limits as sympy writes them: Sum(body, (u, 0, 2), (v, 0, 2)).

        As in sympy the first limit is innermost (summed first); its bounds may use the later limits' variables.
        """
        opener = self.peek()
        commas = self.commas.get(self.i, []) if self.at("(") else []
        limits = [self.toks[c + 2] for c in commas]  # every bracket closes before 'end', so c + 2 exists
        if not commas or any(self.toks[c + 1].text != "(" or self.toks[c + 2].kind != "name" for c in commas):
            self.error("write a sum as Sum(body, (j, lo, hi))", opener)
        for var in reversed(limits):
            self.bind(var)
        self.advance()
        node = self.expression()
        if self.i != commas[0]:
            self.error("Sum takes a body, then limits: Sum(body, (j, lo, hi))", self.peek())
        for var in limits:
            self.bound.pop()  # this limit's variable is free in its own bounds, the later (outer) ones bound
            self.advance()
            bounds_open = self.expect("(")
            self.advance()
            self.expect(",")
            lo, hi = self.bounds(bounds_open)
            node = self.make_sum(node, var, lo, hi)
        self.expect(")", opener)
        return node

    def big_sum(self, token: Token) -> Expr:
        self.enter(token)
        opener = self.expect("(")
        var = self.advance()
        self.expect(",")
        lo, hi = self.bounds(opener)
        self.bind(var)
        body = self.product()
        self.bound.pop()
        self.depth -= 1
        return self.make_sum(body, var, lo, hi)

    def bounds(self, opener: Token) -> tuple[Expr, Expr]:
        args = [(self.peek(), self.expression())]
        self.expect(",")
        args.append((self.peek(), self.expression()))
        self.expect(")", opener)
        self.check_indices(args, "sum bounds")
        return args[0][1], args[1][1]

    def bind(self, var: Token) -> None:
        kind = self.scope.kind_of(var.text) if var.kind == "name" else "symbol"
        reserved = var.kind != "name" or var.text in builtin_names() or (kind is None and var.text in SOFT_ALIASES)
        if reserved or kind not in (None, "index"):
            self.error(f"cannot sum over {shown(var.text)!r}: it is a {kind or 'builtin name'}", var)
        self.bound.append(var.text)

    def make_sum(self, body: Expr, var: Token, lo: Expr, hi: Expr) -> Sum:
        low, high = fold_index(lo), fold_index(hi)
        concrete = low is not None and high is not None
        if concrete and (max(abs(low), abs(high)) > MAX_INDEX_VALUE or high - low + 1 > MAX_SUM_TERMS):
            self.error(f"sum over {var.text} has too many terms (at most {MAX_SUM_TERMS})", var)
        return Sum(body, var.text, lo, hi, var.pos)

    def check_indices(self, args: list[tuple[Token, Expr]], what: str) -> None:
        for start, arg in args:
            if not is_index_expr(arg):
                self.error(f"{what} {INDEX_RULE}", start)

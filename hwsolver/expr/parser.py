"""Recursive-descent parser: text to syntax tree, every name resolved against the Scope as it is read.

Grammar (lowest precedence first; implicit multiplication binds like '*', so 1/2x is (1/2)*x):
    expression := product (('+' | '-') product)*
    product    := unary (('*' | '/') unary | implicit power)*     implicit: before a name, '(' or \\sum
    unary      := ('-' | '+') unary | power                      -x^2 is -(x^2)
    power      := atom ('^' unary)?                              right-associative: 2^3^2 is 2^9
    atom       := number | '(' expression ')' | name-based form (forms.py) | \\sum_{j=lo}^{hi} product
"""

from __future__ import annotations

from hwsolver.expr.diagnostics import fail, shown
from hwsolver.expr.folding import CapExceeded, check_power, fold_index
from hwsolver.expr.forms import Forms
from hwsolver.expr.latex import latex_body, latex_tokens
from hwsolver.expr.lexer import Token, tokenize
from hwsolver.expr.limits import MAX_LENGTH, MAX_NODES, MAX_SUM_WORK, MAX_TREE_DEPTH
from hwsolver.expr.nodes import Add, Div, Expr, Mul, Neg, Num, Pow, Sum, children
from hwsolver.expr.scope import Scope


def parse_text(text: str, scope: Scope) -> Expr:
    """Parse plain text, or LaTeX when wrapped in $...$, $$...$$, \\(...\\) or \\[...\\]."""
    if not isinstance(text, str):
        fail(f"expected text, got {type(text).__name__}", "", 0)
    if len(text) > MAX_LENGTH:
        fail(f"expression too long ({len(text)} characters; at most {MAX_LENGTH})", text, MAX_LENGTH)
    body = latex_body(text)
    tokens = tokenize(text, scope) if body is None else latex_tokens(text, body[0], body[1], scope)
    if tokens[0].kind == "end":
        fail("the expression is empty", text, tokens[0].pos)
    return parse_tokens(text, tokens, scope)


def parse_tokens(text: str, tokens: list[Token], scope: Scope) -> Expr:
    """Parse a token list (ending with an 'end' token) into a tree and apply the size caps."""
    parser = _Parser(text, tokens, scope)
    node = parser.expression()
    end = parser.peek()
    if end.kind != "end":
        parser.unexpected(end)
    _check_tree(text, node)
    return node


def _check_tree(text: str, root: Expr) -> None:
    count, sums = 0, 0
    stack = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        count += 1
        sums += isinstance(node, Sum)
        if depth > MAX_TREE_DEPTH:
            fail(f"expression nested too deeply (more than {MAX_TREE_DEPTH} levels)", text, 0)
        stack.extend((child, depth + 1) for child in children(node))
    if count > MAX_NODES:
        fail(f"expression too large ({count} parts; at most {MAX_NODES})", text, 0)
    work = _sum_work(root) if sums else 0
    if work > MAX_SUM_WORK:
        first = _sums(root)[0]
        fail(f"nested sums too large ({work} terms; at most {MAX_SUM_WORK})", text, first.pos)


def _sums(node: Expr) -> list[Sum]:
    out = [node] if isinstance(node, Sum) else []
    for child in children(node):
        out += _sums(child)
    return out


def _sum_work(node: Expr) -> int:
    """Terms evaluated by nested sums with concrete bounds (a symbolic bound counts as 1 here)."""
    if not isinstance(node, Sum):
        return sum(_sum_work(c) for c in children(node))
    lo, hi = fold_index(node.lo), fold_index(node.hi)
    terms = max(hi - lo + 1, 0) if lo is not None and hi is not None else 1
    return terms * max(1, _sum_work(node.body))


def _mul(factors: list[Expr]) -> Expr:
    return factors[0] if len(factors) == 1 else Mul(tuple(factors))


class _Parser(Forms):
    # -- grammar -------------------------------------------------------------------------------------
    def expression(self) -> Expr:
        self.enter(self.peek())
        terms = [self.product()]
        while self.at("+") or self.at("-"):
            op = self.advance()
            term = self.product()
            terms.append(Neg(term) if op.text == "-" else term)
        self.depth -= 1
        return terms[0] if len(terms) == 1 else Add(tuple(terms))

    def product(self) -> Expr:
        factors = [self.unary()]
        while True:
            token = self.peek()
            if token.kind == "op" and token.text in ("*", "/"):
                self.advance()
                right = self.unary()
                factors = [*factors, right] if token.text == "*" else [Div(_mul(factors), right)]
            elif token.kind in ("name", "sum") or (token.kind == "op" and token.text == "("):
                factors.append(self.power())
            elif token.kind == "num":
                self.error(f"missing operator before {shown(token.text)!r}", token)
            else:
                return _mul(factors)

    def unary(self) -> Expr:
        token = self.peek()
        if token.kind == "op" and token.text in ("+", "-"):
            self.advance()
            self.enter(token)
            operand = self.unary()
            self.depth -= 1
            return Neg(operand) if token.text == "-" else operand
        return self.power()

    def power(self) -> Expr:
        base = self.atom()
        if not self.at("^"):
            return base
        caret = self.advance()
        self.enter(caret)
        node = Pow(base, self.unary())
        self.depth -= 1
        try:
            check_power(node)
        except CapExceeded as exc:
            self.error(str(exc), caret)
        return node

    def atom(self) -> Expr:
        token = self.advance()
        if token.kind == "num":
            assert token.value is not None
            return Num(token.value)
        if token.kind == "op" and token.text == "(":
            node = self.expression()
            self.expect(")", token)
            return node
        if token.kind == "name":
            return self.name(token)
        if token.kind == "sum":
            return self.big_sum(token)
        self.unexpected(token)

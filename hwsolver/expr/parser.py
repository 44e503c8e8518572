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
from hwsolver.expr.folding import CapExceeded, check_power
from hwsolver.expr.forms import Forms
from hwsolver.expr.latex import latex_body, latex_tokens
from hwsolver.expr.lexer import Token, tokenize
from hwsolver.expr.limits import MAX_LENGTH, MAX_NODES, MAX_TREE_DEPTH, MAX_WORK
from hwsolver.expr.nodes import Add, Div, Expr, Mul, Neg, Num, Pow, Sum, children
from hwsolver.expr.scope import Scope
from hwsolver.expr.work import static_work


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
    count, first_sum = 0, None
    stack = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        count += 1
        if count > MAX_NODES:  # at once: a tree is never walked further than the cap
            fail(f"expression too large (more than {MAX_NODES} parts)", text, 0)
        if depth > MAX_TREE_DEPTH:
            fail(f"expression nested too deeply (more than {MAX_TREE_DEPTH} levels)", text, 0)
        if first_sum is None and isinstance(node, Sum):
            first_sum = node
        stack.extend((child, depth + 1) for child in reversed(children(node)))
    if first_sum is not None and (steps := static_work(root)) > MAX_WORK:
        fail(f"nested sums too large ({steps} steps; at most {MAX_WORK})", text, first_sum.pos)


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

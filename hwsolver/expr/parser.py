"""Recursive-descent parser: text to syntax tree, every name resolved against the Scope as it is read.

Grammar (lowest precedence first; implicit multiplication binds like '*', so 1/2x is (1/2)*x):
    expression := product (('+' | '-') product)*
    product    := unary (('*' | '/') unary | implicit power)*     implicit: before a name, '(' or \\sum
    unary      := ('-' | '+') unary | power                      -x^2 is -(x^2)
    power      := atom ('^' unary)?                              right-associative: 2^3^2 is 2^9
    atom       := number | '(' expression ')' | name-based form (forms.py) | \\sum_{j=lo}^{hi} product
"""

from __future__ import annotations

import operator
from dataclasses import dataclass
from typing import Any, NoReturn

from hwsolver.expr.arrays import FULL_CONVOLUTION
from hwsolver.expr.catalog import UNIT_WORDS
from hwsolver.expr.diagnostics import LocatedExprError, fail, shown
from hwsolver.expr.folding import CapExceeded, check_power
from hwsolver.expr.forms import Forms
from hwsolver.expr.latex import check_left_side, latex_body, latex_tokens
from hwsolver.expr.lexer import tokenize
from hwsolver.expr.limits import MAX_LENGTH, MAX_NODES, MAX_TREE_DEPTH, MAX_WORK
from hwsolver.expr.nodes import Add, Div, Expr, Mul, Neg, Num, Pow, Sum, children
from hwsolver.expr.reading import check_escapes, last_relation, unit_word
from hwsolver.expr.reading import check_left_side as check_plain_left_side
from hwsolver.expr.rewrites import expand_aliases, order_of_growth
from hwsolver.expr.scope import Scope
from hwsolver.expr.tokens import LATEX_ONLY, Token
from hwsolver.expr.work import Meter, static_work
from hwsolver.memo import Bounded


@dataclass(frozen=True)
class Reading:
    """A whole answer read: the formula, notes on where the reading is a guess, and whether it is an O(...)."""

    expr: Expr
    notes: tuple[str, ...] = ()
    order: bool = False
    steps: int = 0  # parser steps (tokens and nodes), counted again when the reading is remembered


_READ: Bounded[tuple[Any, ...], Reading] = Bounded(4096)
_KIND_AND_TEXT = operator.itemgetter(0, 1)  # a Token's (kind, text)


def parse_text(text: str, scope: Scope) -> Expr:
    """Parse plain text, or LaTeX when wrapped in $...$, $$...$$, \\(...\\) or \\[...\\]."""
    reading = read_text(text, scope)
    if reading.order:
        fail("O(...) gives only an order of growth; write the formula itself", text, 0)
    return reading.expr


def read_text(text: str, scope: Scope) -> Reading:
    """parse_text for a whole answer: an equation's right-hand side, a trailing unit word left out, O(...).

    Text outside $...$ that holds a backslash or braces the plain reader cannot read is read as LaTeX, as a TA
    reads `\\sigma(x)(1-\\sigma(x))`; when neither reading works, the message says where each one failed.
    """
    if not isinstance(text, str):
        fail(f"expected text, got {type(text).__name__}", "", 0)
    if len(text) > MAX_LENGTH:
        fail(f"expression too long ({len(text)} characters; at most {MAX_LENGTH})", text, MAX_LENGTH)
    Meter.steps += len(text)
    check_escapes(text)
    end, unit = unit_word(text, 0, len(text))
    notes = [f"the word '{unit}' after the formula was left out"] if unit else []
    body = latex_body(text[:end])
    if body is not None:
        return _read(text, *body, scope, notes, latex=True)
    try:
        return _read(text, 0, end, scope, notes, latex=False)
    except LocatedExprError as plain:
        if not any(char in text[:end] for char in _TEX_SIGNS):
            raise
        try:
            return _read(text, 0, end, scope, notes, latex=True)
        except LocatedExprError as latex:
            _neither(text, plain, latex)


_TEX_SIGNS = "\\{}"  # what only LaTeX writes: text outside $...$ holding them may be LaTeX


def _neither(text: str, plain: LocatedExprError, latex: LocatedExprError) -> NoReturn:
    """Neither reading works. A text with a backslash is LaTeX: its reading says why, the plain one only where it
    stopped; a text with braces alone the other way round. The plain reading stopping at a backslash or a brace
    is not told: that is what sent the text to the LaTeX reader."""
    if plain.message in LATEX_ONLY:
        fail(f"read as LaTeX: {latex.message}", text, latex.pos)
    if plain.message == latex.message and plain.pos == latex.pos:
        raise plain
    first, second = (latex, plain) if "\\" in text else (plain, latex)
    names = ("LaTeX", "plain text") if first is latex else ("plain text", "LaTeX")
    why, allowed, names_allowed = first.message.partition("; this answer may use")  # the list stays last
    said = f"read as {names[0]}: {why} (read as {names[1]}, it stops at column {second.column})"
    fail(f"{said}{allowed}{names_allowed}", text, first.pos)


def _read(text: str, start: int, stop: int, scope: Scope, notes: list[str], *, latex: bool) -> Reading:
    """The Reading of text[start:stop], as LaTeX or as plain text."""
    rhs = last_relation(text, start, stop, latex=latex)
    if rhs is not None:
        if not text[rhs:stop].strip():
            fail("nothing follows the '=': write the formula on its right-hand side", text, stop)
        (check_left_side if latex else check_plain_left_side)(text, start, rhs)
        start = rhs
    tokens = latex_tokens(text, start, stop, scope) if latex else tokenize(text, scope, start, stop)
    tokens = expand_aliases(text, tokens, scope)
    if tokens[0].kind == "end":
        fail("the expression is empty", text, tokens[0].pos)
    tokens, order = order_of_growth(tokens, scope)
    # Texts that differ only in spacing or spelling (σ·x, σ * x) lex alike: their reading is worked out once.
    key = (scope, latex, tuple(map(_KIND_AND_TEXT, tokens)))
    known = _READ.get(key)
    if known is None:
        known = parse_tokens(text, tokens, scope, latex=latex)
        _READ.keep(key, known)
    Meter.steps += known.steps
    if not notes and not order:
        return known  # the same reading (frozen): no copy
    return Reading(known.expr, (*notes, *known.notes), order, known.steps)


def parse_tokens(text: str, tokens: list[Token], scope: Scope, *, latex: bool = False) -> Reading:
    """Parse a token list (ending with an 'end' token) into a tree and apply the size caps.

    LaTeX's tokens come with every '[' decided (an index, else a parenthesis); plain text's are decided here.
    """
    parser = _Parser(text, tokens, scope)
    parser.plain = not latex
    node = parser.expression()
    end = parser.peek()
    if end.kind == "name" and _units_only(tokens[parser.i :]):  # $3Ln^2 \text{ multiplications}$
        parser.note(f"the word '{end.text}' after the formula was left out")
    elif end.kind != "end":
        parser.unexpected(end)
    return Reading(node, tuple(parser.notes), steps=len(tokens) + _check_tree(text, node))


def _units_only(tokens: list[Token]) -> bool:
    return all(t.kind == "end" or (t.kind == "name" and t.text.lower() in UNIT_WORDS) for t in tokens)


def _check_tree(text: str, root: Expr) -> int:
    """Refuse a tree beyond the caps; return its number of nodes."""
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
    return count


def _mul(factors: list[Expr]) -> Expr:
    return factors[0] if len(factors) == 1 else Mul(tuple(factors))


class _Parser(Forms):
    plain = True  # plain text, not LaTeX: square brackets may be parentheses (grouping_next)

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
            elif token.kind == "op" and token.text == FULL_CONVOLUTION:
                self.advance()
                factors = [self.full_convolution(_mul(factors), self.unary(), token)]
            elif token.kind == "name" and token.text.lower() in UNIT_WORDS and _units_only(self.toks[self.i :]):
                return _mul(factors)  # 3 L n^2 \text{ multiplications}: the word is left out (parse_tokens)
            elif token.kind in ("name", "sum") or (token.kind == "op" and token.text == "(") or self.grouping_next():
                factors.append(self.power())
            elif token.kind == "num":
                self.error(f"missing operator before {shown(token.text)!r}", token)
            else:
                return _mul(factors)

    def grouping_next(self) -> bool:
        """Whether a '[' comes next where it cannot be an index: after ')', a number, a subscript, a bracket or a
        bare σ (σ(x)[1 - σ(x)], x_k [1 - x_k]): square brackets used as parentheses. After any other name it is
        an index, refused unless the name takes one (x[1] for a scalar x says which names take indices)."""
        if not (self.plain and self.at("[")):
            return False
        before = self.toks[self.i - 1]
        return before.kind != "name" or self.sigma_name(before)

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
        if token.kind == "op" and token.text == "[":
            if not self.plain or self.holds_relation(self.i - 1):
                return self.indicator(token)
            node = self.expression()  # square brackets used as parentheses, where they cannot be an index
            self.expect("]", token)
            return node
        if token.kind == "sum":
            return self.big_sum(token)
        self.unexpected(token)

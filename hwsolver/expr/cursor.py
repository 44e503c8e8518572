"""Token cursor shared by the parser's rules: lookahead, expectations, depth cap, located errors."""

from __future__ import annotations

from typing import NoReturn

from hwsolver.expr.diagnostics import fail, shown
from hwsolver.expr.limits import MAX_DEPTH
from hwsolver.expr.nodes import Expr
from hwsolver.expr.scope import Scope
from hwsolver.expr.tokens import Token


class Cursor:
    """Walks a token list; subclasses add the grammar (expression, product) and the named forms."""

    def __init__(self, text: str, tokens: list[Token], scope: Scope) -> None:
        self.text, self.toks, self.scope = text, tokens, scope
        self.i = 0
        self.depth = 0
        self.bound: list[str] = []
        self.commas, self.closers = brackets(text, tokens)
        self.notes: list[str] = []  # where the reading is a guess (σ read as σ(x)): said in the feedback

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)

    # -- token helpers -------------------------------------------------------------------------------
    def peek(self, ahead: int = 0) -> Token:
        if not ahead:
            return self.toks[self.i]  # advance() never moves past the final 'end' token
        return self.toks[min(self.i + ahead, len(self.toks) - 1)]

    def advance(self) -> Token:
        token = self.toks[self.i]
        if token.kind != "end":
            self.i += 1
        return token

    def at(self, op: str) -> bool:
        token = self.toks[self.i]
        return token.text == op and token.kind == "op"

    def error(self, message: str, token: Token) -> NoReturn:
        fail(message, self.text, token.pos)

    def unexpected(self, token: Token) -> NoReturn:
        if token.kind == "end":
            self.error("the expression ends too early", token)
        if token.text == "[":
            names = ", ".join([*self.scope.vectors, *self.scope.arrays]) or "none declared"
            self.error(f"unexpected '[': only vectors and arrays take indices ({names})", token)
        if token.kind == "sub":
            names = ", ".join([*self.scope.vectors, *self.scope.arrays]) or "none declared"
            self.error(f"a subscript '_' only follows a vector or array ({names}), δ or softmax(x)", token)
        self.error(f"unexpected {shown(token.text)!r}", token)

    def expect(self, op: str, opener: Token | None = None) -> Token:
        if not self.at(op):
            where = f" to close the '{opener.text}' at column {opener.pos + 1}" if opener else ""
            token = self.peek()
            found = "the end" if token.kind == "end" else repr(shown(token.text))
            self.error(f"expected '{op}'{where}, found {found}", token)
        return self.advance()

    def holds_relation(self, opener: int) -> bool:
        """Whether the bracket opened at token `opener` holds '=' or '≠' outside inner brackets ([i = k])."""
        level = 0
        for token in self.toks[opener + 1 : self.closers[opener]]:
            if token.kind == "op":
                level += (token.text in ("(", "[")) - (token.text in (")", "]"))
                if level == 0 and token.text in ("=", "≠"):
                    return True
        return False

    def enter(self, token: Token) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            self.error(f"expression nested too deeply (more than {MAX_DEPTH} levels)", token)

    def expression(self) -> Expr:
        raise NotImplementedError

    def product(self) -> Expr:
        raise NotImplementedError


def brackets(text: str, tokens: list[Token]) -> tuple[dict[int, list[int]], dict[int, int]]:
    """Check that brackets balance; return, for each opening one, the positions of its top-level commas, and
    the position of its closing bracket."""
    commas: dict[int, list[int]] = {}
    closers: dict[int, int] = {}
    stack: list[int] = []
    for n, token in enumerate(tokens):
        if token.kind != "op":
            continue
        if token.text in ("(", "["):
            stack.append(n)
            commas[n] = []
        elif token.text in (")", "]"):
            if not stack:
                fail(f"unmatched '{token.text}'", text, token.pos)
            closers[stack[-1]] = n
            opener = tokens[stack.pop()]
            if opener.text + token.text not in ("()", "[]"):
                fail(
                    f"'{token.text}' does not match the '{opener.text}' at column {opener.pos + 1}",
                    text,
                    token.pos,
                )
        elif token.text == "," and stack:
            commas[stack[-1]].append(n)
    if stack:
        fail(f"'{tokens[stack[-1]].text}' is never closed", text, tokens[stack[-1]].pos)
    return commas, closers

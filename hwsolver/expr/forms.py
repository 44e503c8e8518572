"""Name-based forms: variables, indexed items, calls, softmax, Derivative (sums are in sums.py)."""

from __future__ import annotations

from fractions import Fraction

from hwsolver.expr.arrays import ROT180, WholeArrays
from hwsolver.expr.catalog import ALIASES, CONSTANT_ALIASES, CONSTANTS, FUNCTIONS, PRIMED_BUILTINS, SOFT_ALIASES
from hwsolver.expr.diagnostics import shown
from hwsolver.expr.folding import CapExceeded, fold
from hwsolver.expr.limits import MAX_LITERAL_DIGITS
from hwsolver.expr.nodes import Call, Const, Expr, Idx, Item, Num, Size, Softmax, Var
from hwsolver.expr.shorthand import SUM_NAMES
from hwsolver.expr.tokens import Token


class Forms(WholeArrays):
    """The rules reached from a name token (and from LaTeX's \\sum)."""

    def name(self, token: Token) -> Expr:
        name = token.text
        if self.peek().kind == "prime":
            return self.primed(token)
        if name in self.bound:
            return Idx(name)
        kind = self.scope.kind_of(name)
        if kind == "function":
            return self.applied(name, token, user=True)
        if kind in ("index", "variable", "size"):
            return {"index": Idx, "variable": Var, "size": Size}[kind](name)
        if kind in ("vector", "array"):
            return self.item(name, self.scope.arrays.get(name, 1), token)
        name = SOFT_ALIASES.get(name, name)  # sigma, delta, sum: only when the problem does not declare them
        if name == "δ":
            if "delta" in self.scope.arrays:
                return self.item("delta", self.scope.arrays["delta"], token)
            if self.peek().kind == "sub":
                return self.kronecker_subscript(token)
            return self.call("KroneckerDelta", token, brackets=self.at("["))
        canonical = ALIASES.get(name, name)
        if canonical in FUNCTIONS:
            return self.applied(canonical, token)
        if name in ("softmax", "log_softmax"):
            return self.softmax(token)
        if name in SUM_NAMES and self.peek().kind == "sub":  # Σ_j, sum_j, \sum_{u,v}: over the indices' ranges
            sub = self.advance()
            pieces = [p.strip() for p in sub.text.split(",")] if "," in sub.text else list(sub.text)
            return self.free_sum(token, [Token("name", p, sub.pos) for p in pieces if p])
        if name == "Sum":
            return self.plain_sum(token)
        if name == "Derivative":
            return self.derivative(token)
        if name == ROT180 and self.whole:
            return self.rot180(token)
        if CONSTANT_ALIASES.get(name, name) in CONSTANTS:
            return Const(CONSTANT_ALIASES.get(name, name))
        self.error(f"unknown name {shown(name)!r}; {self.scope.allowed()}", token)

    def arguments(self, token: Token, close: str = ")") -> list[tuple[Token, Expr]]:
        opener = self.peek()
        if not self.at("(" if close == ")" else "["):
            self.error(f"{shown(token.text)} needs its arguments in parentheses: {shown(token.text)}(...)", opener)
        self.advance()
        args: list[tuple[Token, Expr]] = []
        if not self.at(close):
            args.append((self.peek(), self.expression()))
            while self.at(","):
                self.advance()
                args.append((self.peek(), self.expression()))
        self.expect(close, opener)
        return args

    def call(self, name: str, token: Token, *, user: bool = False, brackets: bool = False) -> Expr:
        args = self.arguments(token, "]" if brackets else ")")
        low, high = (1, None) if user else FUNCTIONS[name]
        if len(args) < low or (high is not None and len(args) > high):
            count = f"{low}" if low == high else f"{low} to {high}" if high else f"at least {low}"
            self.error(f"{name} takes {count} argument{'s' if count != '1' else ''}, got {len(args)}", token)
        if name == "KroneckerDelta":
            self.check_indices(args, "KroneckerDelta's arguments")
        if name == "Heaviside" and len(args) == 2:
            try:
                value = fold(args[1][1])
            except CapExceeded as exc:
                self.error(str(exc), args[1][0])
            if value is None:
                self.error("Heaviside's second argument must be a number", args[1][0])
        return self.capped(Call(name, tuple(a for _, a in args), user), token)

    def primed(self, token: Token) -> Expr:
        """f'(z) is fprime(z) for a declared f and fprime; sigmoid'(x) (or σ', sigma') is the builtin sigmoid',
        σ''(x) sigmoid''."""
        primes = 0
        while self.peek().kind == "prime":
            self.advance()
            primes += 1
        name = token.text
        if primes == 1 and name + "prime" in self.scope.functions:
            return self.applied(name + "prime", token, user=True)
        soft = SOFT_ALIASES.get(name, name) if self.scope.kind_of(name) is None else name
        derivative: str | None = ALIASES.get(soft, soft)
        for _ in range(primes):
            derivative = PRIMED_BUILTINS.get(derivative or "")
        if derivative:
            return self.applied(derivative, token)
        written = shown(name) + "'" * primes
        self.error(f"{written} is not a declared function; {self.scope.allowed()}", token)

    def item(self, name: str, ndim: int, token: Token) -> Expr:
        if self.peek().kind == "sub":
            args = self.subscript(name, ndim)
        elif self.at("["):
            args = self.arguments(token, "]")
            while len(args) < ndim and self.at("["):  # z[i][j] is z[i, j]
                args += self.arguments(token, "]")
        elif self.whole and name in self.scope.arrays:
            return Item(name, self.position(name, token), self.scope.index_base)  # e ∗_full rot180(w): e at (i, j)
        else:
            hint = f"{name}[{', '.join('ijkl'[:ndim])}]"
            self.error(f"{shown(token.text)!r} needs {ndim} ind{'ex' if ndim == 1 else 'ices'}, as in {hint}", token)
        if len(args) != ndim:
            self.error(f"{name} takes {ndim} ind{'ex' if ndim == 1 else 'ices'}, got {len(args)}", token)
        self.check_indices(args, "indices")
        return Item(name, tuple(a for _, a in args), self.scope.index_base)

    def softmax(self, token: Token) -> Expr:
        if self.peek().kind == "sub" or self.at("["):  # softmax_k, or softmax_k(x): the index before the vector
            args = self.softmax_index(token, token.text)
            vector = self.vector_argument(token) if self.vector_next() else self.only_vector(token)
        else:
            vector = self.vector_argument(token)
            if not (self.peek().kind == "sub" or self.at("[")):
                self.error(f"{token.text}({vector}) needs an index, as in {token.text}({vector})[k]", self.peek())
            args = self.softmax_index(token, f"{token.text}({vector})")
        (index,) = [a for _, a in args]
        size = self.scope.vectors[vector]
        return Softmax(vector, index, size, self.scope.index_base, token.text == "log_softmax")

    def vector_next(self) -> bool:
        """Whether '(' vector ')' comes next (softmax_k(x)); softmax_k (1 - x_k) is a product."""
        return self.at("(") and self.peek(1).text in self.scope.vectors and self.peek(2).text == ")"

    def vector_argument(self, token: Token) -> str:
        opener = self.expect("(")
        arg = self.advance()
        if arg.kind != "name" or arg.text not in self.scope.vectors:
            vectors = ", ".join(self.scope.vectors) or "none declared"
            self.error(f"{token.text} takes a declared vector (vectors: {vectors})", arg)
        self.expect(")", opener)
        return arg.text

    def softmax_index(self, token: Token, written: str) -> list[tuple[Token, Expr]]:
        if self.peek().kind != "sub":
            return self.index_list(token)
        args = self.subscript(written, 1)
        if len(args) != 1:
            self.error(f"{token.text}(...) takes 1 index, got {len(args)}", args[1][0])
        return args

    def index_list(self, token: Token) -> list[tuple[Token, Expr]]:
        args = self.arguments(token, "]")
        if len(args) != 1:
            self.error(f"{token.text}(...) takes 1 index, got {len(args)}", token)
        self.check_indices(args, "indices")
        return args

    def derivative(self, token: Token) -> Expr:
        args = self.arguments(token)
        if len(args) == 2:
            (_, inner), (_, wrt) = args
            prime = isinstance(inner, Call) and inner.name + "prime" in self.scope.functions
            if prime and isinstance(inner, Call) and inner.user and inner.args == (wrt,):
                return Call(inner.name + "prime", (wrt,), True)
        self.error("Derivative is only understood as Derivative(f(z), z) with f and fprime declared", token)

    # -- plain subscripts ----------------------------------------------------------------------------
    def kronecker_subscript(self, token: Token) -> Expr:
        args = self.subscript("δ", 2)
        if len(args) != 2:
            self.error(f"KroneckerDelta takes 2 arguments, got {len(args)}", token)
        return Call("KroneckerDelta", tuple(a for _, a in args))

    def subscript(self, name: str, ndim: int) -> list[tuple[Token, Expr]]:
        """The indices of the 'sub' token next: _k, _12, _{u, v}, and _ik (one letter each) when name takes more."""
        sub = self.advance()
        pieces, start = [], 0
        for chunk in sub.text.split(","):
            piece, offset = chunk.strip(), start + len(chunk) - len(chunk.lstrip())
            if not piece or " " in piece:
                self.error("separate the indices of a subscript by commas, as in w_{u, v}", Token("sub", "", sub.pos))
            pieces.append((piece, sub.pos + offset))
            start += len(chunk) + 1
        if len(pieces) == 1 and ndim > 1:
            piece, pos = pieces[0]
            pieces = [(letter, pos + n) for n, letter in enumerate(piece)]
        return [self.subscript_index(Token("name", piece, pos), name) for piece, pos in pieces]

    def subscript_index(self, piece: Token, name: str) -> tuple[Token, Expr]:
        text = piece.text
        if text.isdigit():
            if len(text) > MAX_LITERAL_DIGITS:
                self.error(f"number too long (at most {MAX_LITERAL_DIGITS} digits)", piece)
            return piece, Num(Fraction(int(text)))
        if text in self.bound or self.scope.kind_of(text) == "index":
            return piece, Idx(text)
        if self.scope.kind_of(text) == "size":
            return piece, Size(text)
        indices = ", ".join(dict.fromkeys((*self.scope.indices, *self.bound))) or "none declared"
        self.error(f"subscript {shown(text)!r} of {shown(name)} is not an index (indices: {indices})", piece)

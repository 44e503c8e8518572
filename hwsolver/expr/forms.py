"""Name-based forms: variables, indexed items, calls, softmax, Derivative and both spellings of Sum."""

from __future__ import annotations

from hwsolver.expr.catalog import ALIASES, CONSTANT_ALIASES, CONSTANTS, FUNCTIONS, builtin_names
from hwsolver.expr.cursor import Cursor
from hwsolver.expr.diagnostics import shown
from hwsolver.expr.folding import fold_index
from hwsolver.expr.lexer import Token
from hwsolver.expr.limits import MAX_INDEX_VALUE, MAX_SUM_TERMS
from hwsolver.expr.nodes import Call, Const, Expr, Idx, Item, Neg, Num, Size, Softmax, Sum, Var, is_index_expr

_INDEX_RULE = "may only use integers, indices, sizes and + - *"


class Forms(Cursor):
    """The rules reached from a name token (and from LaTeX's \\sum)."""

    def name(self, token: Token) -> Expr:
        name = token.text
        if self.peek().kind == "prime":
            self.advance()
            if name + "prime" not in self.scope.functions:
                self.error(
                    f"{shown(name)}' is not a declared function; this answer may use: {self.scope.allowed()}",
                    token,
                )
            return self.call(name + "prime", token, user=True)
        if name in self.bound:
            return Idx(name)
        kind = self.scope.kind_of(name)
        if kind == "function":
            return self.call(name, token, user=True)
        if kind in ("index", "variable", "size"):
            return {"index": Idx, "variable": Var, "size": Size}[kind](name)
        if kind in ("vector", "array"):
            return self.item(name, self.scope.arrays.get(name, 1), token)
        if name == "δ":
            if "delta" in self.scope.arrays:
                return self.item("delta", self.scope.arrays["delta"], token)
            return self.call("KroneckerDelta", token, brackets=self.at("["))
        canonical = ALIASES.get(name, name)
        if canonical in FUNCTIONS:
            return self.call(canonical, token)
        if name in ("softmax", "log_softmax"):
            return self.softmax(token)
        if name == "Sum":
            return self.plain_sum(token)
        if name == "Derivative":
            return self.derivative(token)
        if CONSTANT_ALIASES.get(name, name) in CONSTANTS:
            return Const(CONSTANT_ALIASES.get(name, name))
        self.error(f"unknown name {shown(name)!r}; this answer may use: {self.scope.allowed()}", token)

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
        if name == "Heaviside" and len(args) == 2 and not isinstance(args[1][1], (Num, Neg)):
            self.error("Heaviside's second argument must be a number", args[1][0])
        return Call(name, tuple(a for _, a in args), user)

    def check_indices(self, args: list[tuple[Token, Expr]], what: str) -> None:
        for start, arg in args:
            if not is_index_expr(arg):
                self.error(f"{what} {_INDEX_RULE}", start)

    def item(self, name: str, ndim: int, token: Token) -> Expr:
        if not self.at("["):
            hint = f"{name}[{', '.join('ijkl'[:ndim])}]"
            self.error(f"{shown(token.text)!r} needs {ndim} ind{'ex' if ndim == 1 else 'ices'}, as in {hint}", token)
        args = self.arguments(token, "]")
        if len(args) != ndim:
            self.error(f"{name} takes {ndim} ind{'ex' if ndim == 1 else 'ices'}, got {len(args)}", token)
        self.check_indices(args, "indices")
        return Item(name, tuple(a for _, a in args), self.scope.index_base)

    def softmax(self, token: Token) -> Expr:
        opener = self.expect("(")
        arg = self.advance()
        if arg.kind != "name" or arg.text not in self.scope.vectors:
            vectors = ", ".join(self.scope.vectors) or "none declared"
            self.error(f"{token.text} takes a declared vector (vectors: {vectors})", arg)
        self.expect(")", opener)
        if not self.at("["):
            self.error(f"{token.text}({arg.text}) needs an index, as in {token.text}({arg.text})[k]", self.peek())
        (index,) = [a for _, a in self.index_list(token)]
        size = self.scope.vectors[arg.text]
        return Softmax(arg.text, index, size, self.scope.index_base, token.text == "log_softmax")

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

    # -- sums ----------------------------------------------------------------------------------------
    def plain_sum(self, token: Token) -> Expr:
        opener = self.peek()
        commas = self.commas.get(self.i, []) if self.at("(") else []
        last = commas[-1] if commas else -1
        if last < 0 or self.toks[last + 1].text != "(" or self.toks[last + 2].kind != "name":
            self.error("write a sum as Sum(body, (j, lo, hi))", opener)
        var = self.toks[last + 2]
        self.advance()
        self.bind(var)
        body = self.expression()
        self.bound.pop()
        if self.i != last:
            self.error("Sum takes two arguments: Sum(body, (j, lo, hi))", self.peek())
        self.advance()
        bounds_open = self.expect("(")
        self.advance()
        self.expect(",")
        lo, hi = self.bounds(bounds_open)
        self.expect(")", opener)
        return self.make_sum(body, var, lo, hi)

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
        if var.kind != "name" or var.text in builtin_names() or kind not in (None, "index"):
            self.error(f"cannot sum over {shown(var.text)!r}: it is a {kind or 'builtin name'}", var)
        self.bound.append(var.text)

    def make_sum(self, body: Expr, var: Token, lo: Expr, hi: Expr) -> Sum:
        low, high = fold_index(lo), fold_index(hi)
        concrete = low is not None and high is not None
        if concrete and (max(abs(low), abs(high)) > MAX_INDEX_VALUE or high - low + 1 > MAX_SUM_TERMS):
            self.error(f"sum over {var.text} has too many terms (at most {MAX_SUM_TERMS})", var)
        return Sum(body, var.text, lo, hi, var.pos)

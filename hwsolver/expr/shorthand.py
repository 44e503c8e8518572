"""The shorthand students write, read as what they mean (the Reading's notes say where a reading is a guess).

    σ without an argument, when the answer has one variable: σ(x)    σ(1 - σ) is σ(x)*(1 - σ(x)) (see below)
    f^2(x), tanh^2 x, σ^2(x): f(x)^2                                   tanh x, sin^2 x: a bare argument
    [i == k], [i = k], 1_{i=k}, [i != k]: KroneckerDelta(i, k), 1 - KroneckerDelta(i, k)
    Σ_j, sum_j, \\sum_j, \\sum_{u,v} before a term: a sum over the index's declared range (Scope.ranges), or
    over the vector the index reads (x_j: j = 1..C)
A σ is read as σ(x) where it is written bare; once an answer does that, σ(...) around a formula that itself holds
a σ is read as a product too (σ(1 - σ) is no sigmoid of 1 - σ).
"""

from __future__ import annotations

from fractions import Fraction
from functools import lru_cache

from hwsolver.expr.catalog import PRIMED_BUILTINS, SHOWN, UNARY_FUNCTIONS
from hwsolver.expr.diagnostics import shown
from hwsolver.expr.folding import CapExceeded, check_power, fold
from hwsolver.expr.nodes import Add, Call, Const, Expr, Idx, Item, Neg, Num, Pow, Size, Softmax, Var, walk
from hwsolver.expr.scope import Scope
from hwsolver.expr.sums import Sums
from hwsolver.expr.tokens import Token

SIGMA_NAMES = ("σ", "sigma", "sigmoid")
SUM_NAMES = ("Σ", "sum", "Sum")


class Shorthand(Sums):
    """Rules for the shorthand; Forms calls them from its name rule."""

    def __init__(self, text: str, tokens: list[Token], scope: Scope) -> None:
        super().__init__(text, tokens, scope)
        self.bare = self.bare_sigmas()

    def sigma_name(self, token: Token) -> bool:
        """Whether a name token is a spelling of sigmoid here (sigma only when the problem does not declare it)."""
        return token.kind == "name" and token.text in SIGMA_NAMES and self.scope.kind_of(token.text) is None

    def bare_sigmas(self) -> bool:
        """Whether the answer writes some σ without an argument (σ, σ', σ^2 not followed by '(')."""
        toks, n = self.toks, 0
        while n < len(toks):
            if self.sigma_name(toks[n]):
                n += 1
                while toks[n].kind == "prime":
                    n += 1
                if toks[n].text == "^" and toks[n].kind == "op":
                    n = self.skip_atom(n + 1)
                if not (toks[n].kind == "op" and toks[n].text == "("):
                    return True
            else:
                n += 1
        return False

    def skip_atom(self, n: int) -> int:
        """The token index after the atom (a token or a bracketed group) starting at n."""
        while self.toks[n].kind == "op" and self.toks[n].text in ("+", "-"):
            n += 1
        if n in self.closers:
            return self.closers[n] + 1
        return min(n + 1, len(self.toks) - 1)

    def applied(self, name: str, token: Token, user: bool = False) -> Expr:
        """A function applied: f(x, ...), f^2(x) (a power of the value), tanh x (a bare argument), bare σ."""
        exponent = self.function_power(token) if self.at("^") and (user or name in UNARY_FUNCTIONS) else None
        if self.at("(") and not self.sigma_product(name):
            node = self.call(name, token, user=user)
        elif (user or name in UNARY_FUNCTIONS) and self.peek().kind in ("name", "num"):
            node = self.capped(Call(name, (self.power(),), user), token)  # tanh x, sin^2 x
        elif name in _SIGMOIDS and self.bare_sigma_allowed():
            (variable,) = self.scope.variables
            node = Call(name, (Var(variable),))
            self.note(f"{SHOWN[name]} was read as {SHOWN[name]}({variable})")
        else:
            node = self.call(name, token, user=user)  # raises: the arguments are missing
        return node if exponent is None else Pow(node, exponent)

    def capped(self, call: Call, token: Token) -> Call:
        """exp(a) under the cap e^a has (printed in LaTeX, exp is e^{...}: it must parse back)."""
        if call.name == "exp" and not call.user:
            try:
                check_power(Pow(Const("e"), call.args[0]))
            except CapExceeded as exc:
                self.error(str(exc), token)
        return call

    def function_power(self, token: Token) -> Expr:
        """The n of f^n(x), which is f(x)^n (f^-1 would be an inverse function: refused)."""
        caret = self.advance()
        exponent = self.unary()
        try:
            value = fold(exponent)
        except CapExceeded as exc:
            self.error(str(exc), caret)
        if value is None or value <= 0:
            self.error(
                f"{shown(token.text)}^... before its argument must be a positive number, as in tanh^2(x) for "
                "tanh(x)^2 (an inverse function is not supported)",
                caret,
            )
        return exponent

    def bare_sigma_allowed(self) -> bool:
        return len(self.scope.variables) == 1

    def sigma_product(self, name: str) -> bool:
        """σ(1 - σ) in an answer that writes σ bare: the '(' opens a factor, not σ's argument."""
        if name not in _SIGMOIDS or not self.bare_sigma_allowed() or not self.bare:
            return False
        end = self.skip_atom(self.i)
        return any(self.sigma_name(t) for t in self.toks[self.i : end])

    # -- indicators ----------------------------------------------------------------------------------
    def indicator(self, opener: Token) -> Expr:
        """[i == k], [i = k], [i != k] (also written 1_{i=k}): KroneckerDelta(i, k) or 1 minus it."""
        left = (self.peek(), self.expression())
        relation = self.peek()
        if not (self.at("=") or self.at("≠")):
            self.error("an indicator compares two indices, as in [i = k]", relation)
        self.advance()
        if relation.text == "=" and self.at("="):
            self.advance()
        right = (self.peek(), self.expression())
        self.expect("]", opener)
        self.check_indices([left, right], "an indicator's sides")
        delta = Call("KroneckerDelta", (left[1], right[1]))
        return delta if relation.text == "=" else Add((Num(Fraction(1)), Neg(delta)))

    # -- softmax without its vector ------------------------------------------------------------------
    def only_vector(self, token: Token) -> str:
        """softmax_k names the answer's only vector; else the vector must be written."""
        vectors = tuple(self.scope.vectors)
        if len(vectors) != 1:
            names = ", ".join(vectors) or "none declared"
            self.error(f"{token.text} takes a declared vector, as in {token.text}(x)_k (vectors: {names})", token)
        self.note(f"{token.text}_... was read as {token.text}({vectors[0]})_...")
        return vectors[0]

    # -- sums without bounds -------------------------------------------------------------------------
    def free_sum(self, token: Token, names: list[Token]) -> Expr:
        """A sum over each named index (the first outermost) of the next term, over its range."""
        for var in names:
            self.bind(var)
        self.enter(token)
        body = self.product()
        self.depth -= 1
        for var in reversed(names):
            self.bound.pop()
            lo, hi = self.index_range(var, body)
            body = self.make_sum(body, var, lo, hi)
        return body

    def index_range(self, var: Token, body: Expr) -> tuple[Expr, Expr]:
        if var.text in self.scope.ranges:
            return declared_range(self.scope, var.text)
        index = Idx(var.text)
        sizes = {node.size for node in walk(body) if isinstance(node, Softmax) and node.index == index}
        sizes |= {
            self.scope.vectors[node.name]
            for node in walk(body)
            if isinstance(node, Item) and node.name in self.scope.vectors and index in node.indices
        }
        if len(sizes) == 1:
            base = self.scope.index_base
            (size,) = sizes
            high: Expr = Size(size) if base == 1 else Add((Size(size), Neg(Num(Fraction(1)))))
            return Num(Fraction(base)), high
        self.error(
            f"the sum over {shown(var.text)} has no bounds and its range is not known: write them, "
            f"as in \\sum_{{{shown(var.text)}=1}}^{{C}}",
            var,
        )


_SIGMOIDS = ("sigmoid", *PRIMED_BUILTINS.values())


@lru_cache(maxsize=256)
def declared_range(scope: Scope, name: str) -> tuple[Expr, Expr]:
    """The bounds a scope declares for an index (texts such as "0" and "K - 1"), parsed in that scope."""
    from hwsolver.expr.parser import parse_text

    lo, hi = scope.ranges[name]
    return parse_text(lo, scope), parse_text(hi, scope)

"""What is done to an answer's tokens before it is parsed: aliases replaced by their formulas, and a whole answer
O(...) unwrapped to its formula (only its order of growth is asked).
"""

from __future__ import annotations

import operator

from hwsolver.expr.diagnostics import fail
from hwsolver.expr.lexer import tokenize
from hwsolver.expr.limits import MAX_TOKENS
from hwsolver.expr.scope import Scope
from hwsolver.expr.tokens import Token

_TEXT = operator.itemgetter(1)  # a Token's text
_ORDER_NAMES = ("O", "Θ")  # O(L n^2): only the order of growth (read unless the scope declares O)


def expand_aliases(text: str, tokens: list[Token], scope: Scope) -> list[Token]:
    """Each alias name replaced by the tokens of its formula (in parentheses unless it is one call, f(...)); an
    alias of a vector or array by that name (its indices follow)."""
    if not scope.aliases:
        return tokens
    renames = scope.renames
    if scope.rewritten.isdisjoint(map(_TEXT, tokens)):  # one pass in C over most answers, which name none
        return tokens
    out: list[Token] = []
    for token in tokens:
        if token.kind == "name" and token.text in renames:
            out.append(Token("name", renames[token.text], token.pos))
            continue
        if token.kind != "name" or token.text not in scope.aliases:
            out.append(token)
            continue
        formula = scope.aliases[token.text]
        inner = [Token(t.kind, t.text, token.pos, t.value) for t in tokenize(formula, scope)[:-1]]
        call = len(inner) > 2 and inner[0].kind == "name" and inner[1].text == "(" and _closes_at_end(inner, 1)
        out += inner if call else [Token("op", "(", token.pos), *inner, Token("op", ")", token.pos)]
        if len(out) > MAX_TOKENS:
            fail(f"expression too long (more than {MAX_TOKENS} symbols)", text, token.pos)
    return out


def _closes_at_end(tokens: list[Token], opener: int) -> bool:
    """Whether the bracket opened at tokens[opener] closes at the last token."""
    level = 0
    for n in range(opener, len(tokens)):
        if tokens[n].kind == "op":
            level += (tokens[n].text in ("(", "[")) - (tokens[n].text in (")", "]"))
        if level == 0:
            return n == len(tokens) - 1
    return False


def order_of_growth(tokens: list[Token], scope: Scope) -> tuple[list[Token], bool]:
    """O(formula) as a whole answer: the formula's tokens, and True."""
    first = tokens[0]
    if first.kind != "name" or first.text not in _ORDER_NAMES or scope.kind_of(first.text) is not None:
        return tokens, False
    if len(tokens) > 3 and tokens[1].text == "(" and _closes_at_end(tokens[:-1], 1):
        return [*tokens[2:-2], tokens[-1]], True
    return tokens, False

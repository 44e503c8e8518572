"""Plain-text tokenizer: one compiled regular expression reads the common tokens (spaces, names, numbers,
operators), hand-written code the rest (subscripts, primes, superscripts, every refusal with its message);
linear in the input length.

Against the problem's scope it also reads the plain subscripts students write: x_k, x_{k}, w_uv, w_{u,v},
delta_ik, δ_ik and softmax(x)_k give a 'sub' token (its text is what follows '_', its pos where that starts)
that the parser resolves to indices; and a run of declared one-letter variables such as Ln reads as L n.
"""

from __future__ import annotations

import functools
import re
from fractions import Fraction
from typing import TYPE_CHECKING

from hwsolver.expr.catalog import KRONECKER_SPELLINGS, SOFT_ALIASES, builtin_names
from hwsolver.expr.diagnostics import fail, shown
from hwsolver.expr.limits import MAX_TOKENS
from hwsolver.expr.tokens import DIGITS, EXPLAIN, GREEK, OPERATORS, SUPERSCRIPTS, WHITESPACE, Token, read_number
from hwsolver.memo import Bounded

if TYPE_CHECKING:
    from hwsolver.expr.scope import Scope


_NAME_CHARS = DIGITS | frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_")
_RESERVED = builtin_names() | frozenset(SOFT_ALIASES)
_SUBSCRIPTED_FORMS = ("log_softmax", "softmax")
_BARE_SUBSCRIPTED = (*KRONECKER_SPELLINGS, *_SUBSCRIPTED_FORMS, "sum", "Sum")


# The common tokens, each read by one regular expression; whatever they leave goes to _rare. Names start with a
# letter ('_' first is a subscript or a refusal); a number literal is what read_number reads, or a text it refuses
# (1., 1e9999: read_number says why).
_SPACE = "[" + WHITESPACE + "]"
_NAME = "[A-Za-z][A-Za-z0-9_]*"
_NUMBER = r"[0-9]+(?:\.[0-9]*)?(?:[eE][+-]?[0-9]+)?"
_OP = r"\*\*|!=|==|[" + re.escape("".join(OPERATORS)) + "]"
_GREEK = "[" + "".join(GREEK) + "]"
_ITEMS = re.compile(f"({_SPACE}*)(?:({_NAME})|({_NUMBER})|({_OP})|({_GREEK})|([^{WHITESPACE}]))")
_OP_TEXT = {**OPERATORS, "**": "^", "!=": "≠", "==": "="}
# A literal's value by its text (Fractions are immutable): a class writes the same few numbers again and again.
_VALUES: Bounded[str, Fraction] = Bounded(4096)


def tokenize(text: str, scope: Scope | None = None, start: int = 0, end: int = -1) -> list[Token]:
    """Split plain text (text[start:end]) into tokens, ending with an 'end' token; raises LocatedExprError on bad
    characters.

    Without a scope, subscripts after names and one-letter runs are not recognised (x_k is one name).
    """
    tokens: list[Token] = []
    i, n = start, len(text) if end < 0 else end
    append, new = tokens.append, tuple.__new__  # new(Token, fields) is Token(...) without its Python-level __new__
    whole = None if scope is None else _whole_names(scope)
    while True:
        # The items follow on each other: each one's position is counted on from the last. Where the code that
        # reads an item goes on past it (x_{k}, 1_{i=k}), a new scan starts there.
        for item in _ITEMS.finditer(text, i, n):
            space, name, number, op, greek, _other = item.groups()
            i += len(space)
            if len(tokens) >= MAX_TOKENS:
                fail(f"expression too long (more than {MAX_TOKENS} symbols)", text, i)
            if op:
                append(new(Token, ("op", _OP_TEXT[op], i, None)))
                i += len(op)
            elif name:
                j = i + len(name)
                if whole is None or name in whole or len(name) == 1:  # what _name reads as it is, at once
                    append(new(Token, ("name", name, i, None)))
                    i = j
                else:
                    i = _name(text, i, j, tokens, scope)
                    if i != j:
                        break
            elif number:
                value = _VALUES.get(number)
                if value is None:
                    i = _number(text, i, n, number, tokens)
                    break
                append(new(Token, ("num", number, i, value)))
                i += len(number)
            elif greek:
                append(new(Token, ("name", greek, i, None)))
                i += 1
            else:
                i = _rare(text, i, n, tokens, scope)
                break
        else:
            break
    if len(tokens) > MAX_TOKENS:
        fail(f"expression too long (more than {MAX_TOKENS} symbols)", text, tokens[MAX_TOKENS].pos)
    tokens.append(Token("end", "", n))
    return tokens


def _number(text: str, i: int, n: int, literal: str, tokens: list[Token]) -> int:
    """Read the number literal at i (read_number decides, with its messages); remember its value by its text, which
    alone decides it, when read_number read just that literal."""
    token, j = read_number(text, i, end=n)
    if j == i + len(literal) and token.value is not None:
        _VALUES.keep(literal, token.value)
    tokens.append(token)
    return j


def _rare(text: str, i: int, n: int, tokens: list[Token], scope: Scope | None) -> int:
    """What the single scan leaves: a name starting with '_' (a subscript after ')' or a Greek letter, or 1_{i=k}),
    superscripts, a prime, a decimal point first, and every character refused; return where reading goes on."""
    c = text[i]
    if c == "." and i + 1 < n and text[i + 1] in DIGITS:
        token, i = read_number(text, i, end=n)
        tokens.append(token)
    elif c == "_":
        if tokens and tokens[-1].text in (")", *GREEK) and tokens[-1].pos + 1 == i and scope is not None:
            i = _subscript(text, i, tokens)  # softmax(x)_k, δ_ik: the parser says where a subscript belongs
        elif tokens and tokens[-1].text == "1" and tokens[-1].pos + 1 == i and text.startswith("{", i + 1):
            i = _indicator(text, i, tokens, scope)  # 1_{i=k}
        else:
            fail(EXPLAIN["_"], text, i)
    elif c in SUPERSCRIPTS:
        tokens.append(Token("op", "^", i))
        tokens.append(Token("num", SUPERSCRIPTS[c], i, Fraction(int(SUPERSCRIPTS[c]))))
        i += 1
    elif c == "'" and tokens and tokens[-1].kind in ("name", "prime") and _touches(tokens[-1], i):
        tokens.append(Token("prime", "'", i))
        i += 1
    elif c in EXPLAIN:
        fail(EXPLAIN[c], text, i)
    else:
        fail(f"unexpected character {shown(c)!r}", text, i)
    return i


@functools.lru_cache(maxsize=64)
def _whole_names(scope: Scope) -> frozenset[str]:
    """The names _name reads as one token whatever follows them: declared and reserved ones."""
    return frozenset(scope.names()) | _RESERVED


def _touches(token: Token, i: int) -> bool:
    return token.pos + len(token.text) == i


def _indicator(text: str, i: int, tokens: list[Token], scope: Scope | None) -> int:
    """1_{i=k} (the '1' already read) as the tokens of the indicator [i = k]; return where reading goes on."""
    close = text.find("}", i + 2)
    if close < 0:
        fail("'{' is never closed", text, i + 1)
    one = tokens.pop()
    tokens.append(Token("op", "[", one.pos))
    tokens.extend(tokenize(text, scope, i + 2, close)[:-1])
    tokens.append(Token("op", "]", close))
    return close + 1


def _name(text: str, i: int, j: int, tokens: list[Token], scope: Scope | None) -> int:
    """Append the name text[i:j] (or its parts, see the module docstring); return where reading goes on."""
    run = text[i:j]
    if scope is None or scope.kind_of(run) or run in _RESERVED:
        tokens.append(Token("name", run, i))
        return j
    head, _, tail = run.partition("_")
    for form in _SUBSCRIPTED_FORMS:  # softmax_k, log_softmax_k
        if run.startswith(form + "_"):
            head, tail = form, run[len(form) + 1 :]
    kind = scope.kind_of(head)
    subscripted = kind in ("vector", "array") or head in scope.aliases or (head in _BARE_SUBSCRIPTED and kind is None)
    if head and subscripted and (tail.isalnum() or (run == head + "_" and text.startswith("{", j))):
        tokens.append(Token("name", head, i))
        return _subscript(text, i + len(head), tokens)
    if len(run) > 1 and all(scope.kind_of(letter) == "variable" for letter in run):
        tokens.extend(Token("name", letter, i + n) for n, letter in enumerate(run))  # Ln is L n
        return j
    tokens.append(Token("name", run, i))
    return j


def _subscript(text: str, i: int, tokens: list[Token]) -> int:
    """Append a 'sub' token for the subscript whose '_' is at i: _k, _ik, _12 or _{i, k}; return its end."""
    n = len(text)
    if text.startswith("{", i + 1):
        j = i + 2
        while j < n and text[j] != "}":
            if not (text[j] in _NAME_CHARS or text[j] in ", ") or text[j] == "_":
                fail("a subscript in braces holds only indices and digits, as in w_{u, v}; else use w[...]", text, j)
            j += 1
        if j >= n:
            fail("'{' is never closed", text, i + 1)
        if not text[i + 2 : j].strip():
            fail("the subscript is empty", text, i + 1)
        tokens.append(Token("sub", text[i + 2 : j], i + 2))
        return j + 1
    j = i + 1
    while j < n and text[j] in _NAME_CHARS and text[j] != "_":
        j += 1
    if j == i + 1:
        fail(EXPLAIN["_"], text, i)
    tokens.append(Token("sub", text[i + 1 : j], i + 1))
    return j

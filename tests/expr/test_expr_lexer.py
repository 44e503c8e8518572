"""The plain-text tokenizer: its one-regex scan against a character-by-character witness, positions, literals.

The witness below is the scanner the lexer had before its single regular expression: one character at a time,
each case its own branch. Both must give the same tokens, or the same message at the same column, on every text.
"""

from __future__ import annotations

import random
from fractions import Fraction

import pytest

from hwsolver.expr import LocatedExprError, Scope, lexer
from hwsolver.expr.lexer import tokenize
from hwsolver.expr.limits import MAX_TOKENS
from hwsolver.expr.tokens import DIGITS, EXPLAIN, GREEK, OPERATORS, SUPERSCRIPTS, WHITESPACE, Token, read_number
from hwsolver.memo import Bounded

SCOPES = [
    None,
    Scope(variables=("x", "L", "n")),
    Scope(indices=("i", "k"), vectors={"x": "C"}, aliases={"p": "softmax(x)[k]"}),
    Scope(indices=("i", "j"), arrays={"w": 2, "e": 2, "z": 2}, functions=("f", "fprime"), sizes=("K",)),
]
_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_")


def one_at_a_time(text: str, scope: Scope | None) -> list[Token]:
    """The witness: every character looked at in turn (the lexer's name and subscript rules are shared)."""
    tokens: list[Token] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c in WHITESPACE:
            i += 1
            continue
        if len(tokens) >= MAX_TOKENS:
            lexer.fail(f"expression too long (more than {MAX_TOKENS} symbols)", text, i)
        if c in DIGITS or (c == "." and i + 1 < n and text[i + 1] in DIGITS):
            token, i = read_number(text, i, end=n)
            tokens.append(token)
        elif c in _LETTERS:
            j = i + 1
            while j < n and text[j] in _LETTERS | DIGITS:
                j += 1
            if c != "_":
                i = lexer._name(text, i, j, tokens, scope)
            elif tokens and tokens[-1].text in (")", *GREEK) and tokens[-1].pos + 1 == i and scope is not None:
                i = lexer._subscript(text, i, tokens)
            elif tokens and tokens[-1].text == "1" and tokens[-1].pos + 1 == i and text.startswith("{", i + 1):
                i = lexer._indicator(text, i, tokens, scope)
            else:
                lexer.fail(EXPLAIN["_"], text, i)
        elif text.startswith(("!=", "==", "**"), i):
            tokens.append(Token("op", {"!": "≠", "=": "=", "*": "^"}[c], i))
            i += 2
        elif c in OPERATORS:
            tokens.append(Token("op", OPERATORS[c], i))
            i += 1
        elif c in SUPERSCRIPTS:
            tokens += [Token("op", "^", i), Token("num", SUPERSCRIPTS[c], i, Fraction(int(SUPERSCRIPTS[c])))]
            i += 1
        elif c in GREEK:
            tokens.append(Token("name", GREEK[c], i))
            i += 1
        elif c == "'" and tokens and tokens[-1].kind in ("name", "prime") and lexer._touches(tokens[-1], i):
            tokens.append(Token("prime", "'", i))
            i += 1
        else:
            lexer.fail(EXPLAIN.get(c, f"unexpected character {lexer.shown(c)!r}"), text, i)
    if len(tokens) > MAX_TOKENS:
        lexer.fail(f"expression too long (more than {MAX_TOKENS} symbols)", text, tokens[MAX_TOKENS].pos)
    return [*tokens, Token("end", "", n)]


def _outcome(read: object, text: str, scope: Scope | None) -> object:
    try:
        return read(text, scope)  # type: ignore[operator]
    except LocatedExprError as exc:
        return exc.message, exc.pos


PIECES = [
    *"0123456789.eE+-*/^()[],_{}!=' \t\nxyzkijnLCKwuvfpσπδΣ²³·×−（），$\\\"\u00a0\u3000;:@#",
    *("**", "==", "!=", "1_{i=k}", "x_", "_k", "1e", "1.", ".5", "2.50", "1e-3", "1e999", "9" * 31, "Ln", "e^-x"),
    *("softmax_k", "w_{u,v}", "w_uv", "δ_ik", "softmax(x)_k", "f'(z)", "sigma''(x)", "KroneckerDelta(i, k)", "x_k"),
]


@pytest.mark.parametrize("seed", range(4))
def test_tokens_and_messages_are_the_witness_s(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(3000):
        text = "".join(rng.choice(PIECES) for _ in range(rng.randrange(1, 16)))
        scope = rng.choice(SCOPES)
        assert _outcome(tokenize, text, scope) == _outcome(one_at_a_time, text, scope), repr(text)


def test_the_cap_is_told_where_the_witness_tells_it() -> None:
    for text in ("x+" * 600, "Ln+" * 400, "x " * 999 + "Ln", "f'" * 600):
        scope = SCOPES[1]
        assert _outcome(tokenize, text, scope) == _outcome(one_at_a_time, text, scope)
        assert isinstance(_outcome(tokenize, text, scope), tuple)


def test_each_token_stands_where_its_text_is() -> None:
    text = "f'(x) +x_{k}* 1_{i=k}·.5 − 2.50e1 x_j σ²"
    scope = Scope(indices=("i", "j", "k"), vectors={"x": "C"}, functions=("f", "fprime"))
    tokens = tokenize(text, scope)
    assert [(t.kind, t.text, t.pos) for t in tokens] == [
        *[("name", "f", 0), ("prime", "'", 1), ("op", "(", 2), ("name", "x", 3), ("op", ")", 4), ("op", "+", 6)],
        *[("name", "x", 7), ("sub", "k", 10), ("op", "*", 12), ("op", "[", 14), ("name", "i", 17), ("op", "=", 18)],
        *[("name", "k", 19), ("op", "]", 20), ("op", "*", 21), ("num", ".5", 22), ("op", "-", 25)],
        *[("num", "2.50e1", 27), ("name", "x", 34), ("sub", "j", 36), ("name", "σ", 38), ("op", "^", 39)],
        *[("num", "2", 39), ("end", "", 40)],
    ]


@pytest.mark.parametrize("literal", ["0.2", "2.50", "007", "1e-3", "1.5E+2", "0.000", "12345678901234567890.5"])
def test_a_literal_is_its_exact_decimal_value_read_twice_alike(literal: str) -> None:
    first, again = tokenize(f"{literal} + {literal}")[::2][:2]
    assert first.value == again.value == Fraction(literal)  # Fraction reads decimal text: a second reader


def test_a_refused_literal_is_refused_again_after_its_prefix_was_read() -> None:
    assert tokenize("1.5")[0].value == Fraction(3, 2)
    for _ in range(2):
        with pytest.raises(LocatedExprError, match="decimals need a digit") as refused:
            tokenize("1.5 + 1.x")
        assert refused.value.pos == 7
        with pytest.raises(LocatedExprError, match="at most 100"):
            tokenize("1e5 + 1e500")


def test_a_literal_is_read_once_then_known_by_its_text(monkeypatch: pytest.MonkeyPatch) -> None:
    reads: list[int] = []

    def counted(text: str, i: int, **options: object) -> tuple[Token, int]:
        reads.append(i)
        return read_number(text, i, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(lexer, "_VALUES", Bounded(4096))
    monkeypatch.setattr(lexer, "read_number", counted)
    for _ in range(3):
        tokens = tokenize("0.2 x + 0.2 y - 0.25 + 1e-3")
    assert reads == [0, 16, 23]  # each literal read once, by its first occurrence, in the first text only
    assert [t.value for t in tokens if t.kind == "num"] == [
        Fraction(1, 5),
        Fraction(1, 5),
        Fraction(1, 4),
        Fraction(1, 1000),
    ]

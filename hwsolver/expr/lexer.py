"""Plain-text tokenizer: a hand-written scanner (no regular expressions), linear in the input length."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from hwsolver.expr.diagnostics import fail, shown
from hwsolver.expr.limits import MAX_LITERAL_DIGITS, MAX_LITERAL_EXPONENT, MAX_TOKENS


@dataclass(frozen=True)
class Token:
    """kind is 'num', 'name', 'op', 'prime', 'sum' (LaTeX \\sum only) or 'end'; pos is a 0-based offset."""

    kind: str
    text: str
    pos: int
    value: Fraction | None = None


OPERATORS = {
    "+": "+",
    "-": "-",
    "*": "*",
    "/": "/",
    "^": "^",
    "(": "(",
    ")": ")",
    "[": "[",
    "]": "]",
    ",": ",",
    "−": "-",
    "–": "-",
    "·": "*",
    "⋅": "*",
    "×": "*",
    "∗": "*",
    "÷": "/",
    "（": "(",
    "）": ")",
    "，": ",",
}
SUPERSCRIPTS = {"²": "2", "³": "3"}
GREEK = {"σ": "σ", "π": "π", "δ": "δ"}
WHITESPACE = " \t\r\n\u00a0\u3000"

_EXPLAIN = {
    ".": "'.' is not allowed here (no attribute access; decimals need a digit after '.')",
    '"': "quotes are not allowed (no strings)",
    "'": "quotes are not allowed (no strings; a prime is only allowed right after a function name: f'(z))",
    "!": "factorials are not supported",
    "\\": "a backslash is only allowed in LaTeX, written between $...$",
    "=": "write only the expression, without '='",
    "{": "braces are only allowed in LaTeX, written between $...$",
    "}": "braces are only allowed in LaTeX, written between $...$",
    "$": "LaTeX must be wrapped as a whole in $...$",
    "_": "names may not start with '_'",
    ":": "':' is not allowed",
    ";": "';' is not allowed",
}


_DIGITS = frozenset("0123456789")
_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_")
_NAME_CHARS = _LETTERS | _DIGITS


def read_number(text: str, i: int, *, allow_exponent: bool = True, end: int = -1) -> tuple[Token, int]:
    """Read an exact decimal literal (digits, optional .digits, optional e[+-]digits) from i up to end."""
    start = i
    n = len(text) if end < 0 else end
    while i < n and text[i] in _DIGITS:
        i += 1
    whole = text[start:i]
    frac = ""
    if i < n and text[i] == ".":
        j = i + 1
        while j < n and text[j] in _DIGITS:
            j += 1
        frac = text[i + 1 : j]
        if not frac:
            fail(_EXPLAIN["."], text, i)
        i = j
    digits = (whole + frac).lstrip("0")
    if len(digits) > MAX_LITERAL_DIGITS:
        fail(f"number too long (at most {MAX_LITERAL_DIGITS} digits)", text, start)
    exponent = 0
    if allow_exponent and i < n and text[i] in "eE":
        j = i + 1
        if j < n and text[j] in "+-":
            j += 1
        k = j
        while k < n and text[k] in _DIGITS:
            k += 1
        if k > j:
            if k - j > 3 or int(text[j:k]) > MAX_LITERAL_EXPONENT:
                fail(f"exponent of a number literal must be at most {MAX_LITERAL_EXPONENT}", text, i)
            exponent = int(text[j:k]) * (-1 if text[j - 1] == "-" else 1)
            i = k
    numerator, denominator = int(whole + frac or "0"), 10 ** len(frac)
    if exponent >= 0:
        numerator *= 10**exponent
    else:
        denominator *= 10**-exponent
    value = Fraction(numerator, denominator)
    return Token("num", text[start:i], start, value), i


def tokenize(text: str) -> list[Token]:
    """Split plain text into tokens, ending with an 'end' token; raises LocatedExprError on bad characters."""
    tokens: list[Token] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c in WHITESPACE:
            i += 1
            continue
        if len(tokens) >= MAX_TOKENS:
            fail(f"expression too long (more than {MAX_TOKENS} symbols)", text, i)
        if c in _DIGITS or (c == "." and i + 1 < n and text[i + 1] in _DIGITS):
            token, i = read_number(text, i)
            tokens.append(token)
        elif c in _LETTERS:
            j = i + 1
            while j < n and text[j] in _NAME_CHARS:
                j += 1
            if c == "_":
                fail(_EXPLAIN["_"], text, i)
            tokens.append(Token("name", text[i:j], i))
            i = j
        elif c == "*" and text.startswith("**", i):
            tokens.append(Token("op", "^", i))
            i += 2
        elif c in OPERATORS:
            tokens.append(Token("op", OPERATORS[c], i))
            i += 1
        elif c in SUPERSCRIPTS:
            tokens.append(Token("op", "^", i))
            tokens.append(Token("num", SUPERSCRIPTS[c], i, Fraction(int(SUPERSCRIPTS[c]))))
            i += 1
        elif c in GREEK:
            tokens.append(Token("name", GREEK[c], i))
            i += 1
        elif c == "'" and tokens and tokens[-1].kind == "name" and tokens[-1].pos + len(tokens[-1].text) == i:
            tokens.append(Token("prime", "'", i))
            i += 1
        elif c in _EXPLAIN:
            fail(_EXPLAIN[c], text, i)
        else:
            fail(f"unexpected character {shown(c)!r}", text, i)
    tokens.append(Token("end", "", n))
    return tokens

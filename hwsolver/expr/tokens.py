"""What the plain and the LaTeX reader share: the Token, the operator and symbol tables, the refusals' messages
and the reading of a number literal."""

from __future__ import annotations

from fractions import Fraction
from typing import NamedTuple

from hwsolver.expr.diagnostics import fail
from hwsolver.expr.limits import MAX_LITERAL_DIGITS, MAX_LITERAL_EXPONENT


class Token(NamedTuple):
    """kind is 'num', 'name', 'op', 'prime', 'sub' (a plain subscript), 'sum' (LaTeX \\sum only) or 'end'.

    pos is a 0-based offset into the text. (A named tuple: a class's answers make millions of tokens.)
    """

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
    "=": "=",  # only inside an indicator [i = k] (an equation's '=' is cut off before lexing: reading.py)
    "≠": "≠",
    "⊙": "*",  # elementwise product
    "⊛": "⊛",  # the full convolution (arrays.py)
}
SUPERSCRIPTS = {"²": "2", "³": "3"}
GREEK = {"σ": "σ", "π": "π", "δ": "δ", "Σ": "Σ"}
WHITESPACE = " \t\r\n\u00a0\u3000"

EXPLAIN = {
    ".": "'.' is not allowed here (no attribute access; decimals need a digit after '.')",
    '"': "quotes are not allowed (no strings)",
    "'": "quotes are not allowed (no strings; a prime is only allowed right after a function name: f'(z))",
    "!": "factorials are not supported (and '!=' only inside an indicator [i != k])",
    "\\": "a backslash is only allowed in LaTeX, written between $...$",
    "{": "braces are only allowed in LaTeX, written between $...$",
    "}": "braces are only allowed in LaTeX, written between $...$",
    "$": "LaTeX must be wrapped as a whole in $...$",
    "_": "names may not start with '_'",
    ":": "':' is not allowed",
    ";": "';' is not allowed",
}

LATEX_ONLY = frozenset(EXPLAIN[char] for char in "\\{}")  # why plain text refuses what LaTeX reads

DIGITS = frozenset("0123456789")


def read_number(text: str, i: int, *, allow_exponent: bool = True, end: int = -1) -> tuple[Token, int]:
    """Read an exact decimal literal (digits, optional .digits, optional e[+-]digits) from i up to end."""
    start = i
    n = len(text) if end < 0 else end
    while i < n and text[i] in DIGITS:
        i += 1
    whole = text[start:i]
    frac = ""
    if i < n and text[i] == ".":
        j = i + 1
        while j < n and text[j] in DIGITS:
            j += 1
        frac = text[i + 1 : j]
        if not frac:
            fail(EXPLAIN["."], text, i)
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
        while k < n and text[k] in DIGITS:
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

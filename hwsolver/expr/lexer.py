"""Plain-text tokenizer: a hand-written scanner (no regular expressions), linear in the input length.

Against the problem's scope it also reads the plain subscripts students write: x_k, x_{k}, w_uv, w_{u,v},
delta_ik, δ_ik and softmax(x)_k give a 'sub' token (its text is what follows '_', its pos where that starts)
that the parser resolves to indices; and a run of declared one-letter variables such as Ln reads as L n.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING

from hwsolver.expr.catalog import KRONECKER_SPELLINGS, SOFT_ALIASES, builtin_names
from hwsolver.expr.diagnostics import fail, shown
from hwsolver.expr.limits import MAX_LITERAL_DIGITS, MAX_LITERAL_EXPONENT, MAX_TOKENS

if TYPE_CHECKING:
    from hwsolver.expr.scope import Scope


@dataclass(frozen=True)
class Token:
    """kind is 'num', 'name', 'op', 'prime', 'sub' (a plain subscript), 'sum' (LaTeX \\sum only) or 'end'.

    pos is a 0-based offset into the text.
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

_EXPLAIN = {
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

LATEX_ONLY = frozenset(_EXPLAIN[char] for char in "\\{}")  # why plain text refuses what LaTeX reads

_DIGITS = frozenset("0123456789")
_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_")
_NAME_CHARS = _LETTERS | _DIGITS
_RESERVED = builtin_names() | frozenset(SOFT_ALIASES)
_SUBSCRIPTED_FORMS = ("log_softmax", "softmax")
_BARE_SUBSCRIPTED = (*KRONECKER_SPELLINGS, *_SUBSCRIPTED_FORMS, "sum", "Sum")


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


def tokenize(text: str, scope: Scope | None = None, start: int = 0, end: int = -1) -> list[Token]:
    """Split plain text (text[start:end]) into tokens, ending with an 'end' token; raises LocatedExprError on bad
    characters.

    Without a scope, subscripts after names and one-letter runs are not recognised (x_k is one name).
    """
    tokens: list[Token] = []
    i, n = start, len(text) if end < 0 else end
    while i < n:
        c = text[i]
        if c in WHITESPACE:
            i += 1
            continue
        if len(tokens) >= MAX_TOKENS:
            fail(f"expression too long (more than {MAX_TOKENS} symbols)", text, i)
        if c in _DIGITS or (c == "." and i + 1 < n and text[i + 1] in _DIGITS):
            token, i = read_number(text, i, end=n)
            tokens.append(token)
        elif c in _LETTERS:
            j = i + 1
            while j < n and text[j] in _NAME_CHARS:
                j += 1
            if c != "_":
                i = _name(text, i, j, tokens, scope)
            elif tokens and tokens[-1].text in (")", *GREEK) and tokens[-1].pos + 1 == i and scope is not None:
                i = _subscript(text, i, tokens)  # softmax(x)_k, δ_ik: the parser says where a subscript belongs
            elif tokens and tokens[-1].text == "1" and tokens[-1].pos + 1 == i and text.startswith("{", i + 1):
                i = _indicator(text, i, tokens, scope)  # 1_{i=k}
            else:
                fail(_EXPLAIN["_"], text, i)
        elif c == "!" and text.startswith("!=", i):
            tokens.append(Token("op", "≠", i))
            i += 2
        elif c == "=" and text.startswith("==", i):
            tokens.append(Token("op", "=", i))
            i += 2
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
        elif c == "'" and tokens and tokens[-1].kind in ("name", "prime") and _touches(tokens[-1], i):
            tokens.append(Token("prime", "'", i))
            i += 1
        elif c in _EXPLAIN:
            fail(_EXPLAIN[c], text, i)
        else:
            fail(f"unexpected character {shown(c)!r}", text, i)
    if len(tokens) > MAX_TOKENS:
        fail(f"expression too long (more than {MAX_TOKENS} symbols)", text, tokens[MAX_TOKENS].pos)
    tokens.append(Token("end", "", n))
    return tokens


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
        fail(_EXPLAIN["_"], text, i)
    tokens.append(Token("sub", text[i + 1 : j], i + 1))
    return j

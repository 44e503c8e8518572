"""LaTeX input, step 2: translate raw TeX items into the plain parser's tokens, under the same allowlist.

\\frac{a}{b} becomes ((a)/(b)), e^{x} becomes e^(x), x_{k} becomes x[k] (latex_scripts.py has the sub- and
superscript rules), and \\sum_{j=lo}^{hi} becomes a 'sum' token whose body is the following product term.
A run of letters is one name when the whole run is known, else single letters (xy is x*y).
"""

from __future__ import annotations

from fractions import Fraction
from typing import NoReturn

from hwsolver.expr.catalog import ALIASES, CONSTANTS, builtin_names
from hwsolver.expr.diagnostics import fail, shown
from hwsolver.expr.latex_groups import Groups
from hwsolver.expr.latex_scan import Raw, latex_body, match_braces, scan
from hwsolver.expr.latex_scripts import subscript, superscript
from hwsolver.expr.limits import MAX_DEPTH, MAX_TOKENS
from hwsolver.expr.scope import Scope
from hwsolver.expr.tokens import GREEK, OPERATORS, SUPERSCRIPTS, Token, read_number

__all__ = ["check_left_side", "latex_body", "latex_tokens"]

_SKIP = {",", ";", ":", "!", " ", "quad", "qquad", "displaystyle", "textstyle", "limits", "nolimits"}
_SKIP |= {f"{size}{side}" for size in ("big", "Big", "bigg", "Bigg") for side in ("", "l", "r", "m")}
_OPERATORS = {
    "cdot": "*",
    "times": "*",
    "odot": "*",  # elementwise, as in f'(z) \odot (...)
    "ast": "*",
    "div": "/",
    "ne": "≠",
    "neq": "≠",
    "{": "(",
    "}": ")",
    "lbrace": "(",
    "rbrace": ")",
}
_FUNCTIONS = {
    "sigma": "σ",
    "exp": "exp",
    "log": "log",
    "ln": "log",
    "tanh": "tanh",
    "sinh": "sinh",
    "cosh": "cosh",
    "coth": "coth",
    "sech": "sech",
    "csch": "csch",
    "sin": "sin",
    "cos": "cos",
    "tan": "tan",
    "max": "Max",
    "min": "Min",
}
_SYMBOLS = {"pi": "pi", "delta": "δ", "Theta": "Θ"}


_KNOWN = builtin_names() | set(ALIASES) | {"softmax", "log_softmax"}  # a run of these letters is one name
# commands the unread left side of an equation may use besides those read (\\frac{\\partial L}{\\partial x_k} = ...)
_LEFT_ONLY = {"partial", "nabla", "prime", "hat", "bar", "tilde", "dot", "ddot", "top", "intercal", "mathcal", "d"}
_LEFT_ONLY |= {"approx", "sim", "simeq", "equiv", "coloneqq", "mathbb", "left", "right"}


def check_left_side(text: str, start: int, end: int) -> None:
    """The left side of a LaTeX equation is not read, but it may only hold what TeX formulas here hold."""
    from hwsolver.expr.latex_commands import COMMANDS

    known = _SKIP | set(_OPERATORS) | set(_FUNCTIONS) | set(_SYMBOLS) | set(COMMANDS) | _LEFT_ONLY
    for item in scan(text, start, end):
        if item.cmd and item.text.isalpha() and item.text not in known:
            fail(f"unknown or unsupported TeX command '\\{shown(item.text)}'", text, item.pos)


def latex_tokens(text: str, start: int, end: int, scope: Scope) -> list[Token]:
    """Tokens for the LaTeX in text[start:end], ending with an 'end' token."""
    items = scan(text, start, end)
    translator = _Translator(text, items, scope)
    translator.seq(0, len(items))
    return [*translator.out, Token("end", "", end)]


class _Translator(Groups):
    def __init__(self, text: str, items: list[Raw], scope: Scope) -> None:
        self.text, self.items, self.scope = text, items, scope
        self.braces = match_braces(text, items)
        self.out: list[Token] = []
        self.depth = 0
        self.superscript_end = -1  # len(out) right after the last superscript: TeX refuses x^{a}^{b}
        self.indexed_end = -1  # len(out) right after the last subscript of a vector or array
        self.squares: list[int | None] = []  # each '[' still open: the indices left after it, None if no index
        self.chain = (-1, 0)  # len(out) right after the ']' of z[i] and how many indices z still takes

    def error(self, message: str, pos: int) -> NoReturn:
        fail(message, self.text, pos)

    def emit(self, kind: str, text: str, pos: int, value: Fraction | None = None) -> None:
        if len(self.out) >= MAX_TOKENS:
            self.error(f"expression too long (more than {MAX_TOKENS} symbols)", pos)
        if kind == "name":  # \delta for an error term e (an alias): e's indices and layer label follow
            text = self.scope.renames.get(text, text)
        self.out.append(Token(kind, text, pos, value))

    def seq(self, a: int, b: int) -> None:
        """Translate items[a:b]."""
        i = a
        while i < b:
            i = self.element(i, b)

    def element(self, i: int, b: int) -> int:
        """Translate the element at i (recursion for groups and arguments passes here, so it is capped)."""
        self.depth += 1
        if self.depth > MAX_DEPTH:
            self.error(f"expression nested too deeply (more than {MAX_DEPTH} levels)", self.items[i].pos)
        nxt = self.one(i, b)
        self.depth -= 1
        return nxt

    def wrapped(self, a: int, b: int, pos: int) -> None:
        self.emit("op", "(", pos)
        self.seq(a, b)
        self.emit("op", ")", self.items[b - 1].pos if b > a else pos)

    def argument(self, i: int, b: int, what: str) -> tuple[int, int, int]:
        """(start, end, next) of one TeX argument at i: a {group} or a single item."""
        if i >= b:
            self.error(f"{what} needs an argument", self.items[b - 1].pos if b else 0)
        if self.items[i].is_char("{"):
            close = self.braces[i]
            return i + 1, close, close + 1
        if self.items[i].is_char("}"):
            self.error(f"{what} needs an argument", self.items[i].pos)
        return i, i + 1, i + 1

    def one(self, i: int, b: int) -> int:
        item = self.items[i]
        if item.cmd:
            return self.command(i, b)
        c = item.text
        if item.letter:
            return self.word(i, b)
        if item.digit or c == ".":
            limit = self.items[b - 1].pos + 1
            token, stop = read_number(self.text, item.pos, allow_exponent=False, end=limit)
            self.emit("num", token.text, token.pos, token.value)
            while i < b and self.items[i].pos < stop:
                i += 1
            return i
        if c == "*" and self.full_subscript(i + 1, b):
            self.emit("op", "⊛", item.pos)
            return self.full_subscript(i + 1, b)
        if c in "+-*/,()=":
            self.emit("op", c, item.pos)
        elif c == "[" and self.holds_relation(i, b):
            return self.indicator(i, self.bracket_end(i, b))  # [i = k]
        elif c == "[":
            self.open_square(i, b)
        elif c == "]":
            self.close_square(item.pos)
        elif c == "{":
            self.wrapped(i + 1, self.braces[i], item.pos)
            return self.braces[i] + 1
        elif c == "'" and self.out and self.out[-1].kind in ("name", "prime"):
            self.emit("prime", "'", item.pos)
        elif c == "^":
            return superscript(self, i, b)
        elif c == "_":
            return subscript(self, i, b)
        elif c in OPERATORS:
            self.emit("op", OPERATORS[c], item.pos)
        elif c in GREEK:
            self.emit("name", GREEK[c], item.pos)
        elif c in SUPERSCRIPTS:
            self.emit("op", "^", item.pos)
            self.emit("num", SUPERSCRIPTS[c], item.pos, Fraction(int(SUPERSCRIPTS[c])))
        elif c == "~":
            pass
        elif c == "|":
            self.error("write an absolute value as \\left| x \\right|", item.pos)
        else:
            self.error(f"unexpected {shown(c)!r} in LaTeX", item.pos)
        return i + 1

    def word(self, i: int, b: int) -> int:
        j = i + 1
        while j < b and self.items[j].letter and self.items[j].pos == self.items[j - 1].pos + 1:
            j += 1
        run = "".join(item.text for item in self.items[i:j])
        if not self.is_known(run) and all(self.is_known(c) for c in run):
            for item in self.items[i:j]:
                self.emit("name", item.text, item.pos)
        else:
            self.emit("name", run, self.items[i].pos)
        return j

    def is_known(self, name: str) -> bool:
        return name in _KNOWN or name in CONSTANTS or self.scope.kind_of(name) is not None

    def command(self, i: int, b: int) -> int:
        from hwsolver.expr.latex_commands import COMMANDS

        item = self.items[i]
        name = item.text
        if name in _SKIP:
            return i + 1
        if name in ("ast", "circledast") and self.full_subscript(i + 1, b):
            self.emit("op", "⊛", item.pos)  # \ast_{\mathrm{full}}: the full convolution
            return self.full_subscript(i + 1, b)
        if name in _OPERATORS:
            self.emit("op", _OPERATORS[name], item.pos)
            return i + 1
        if self.scope.kind_of(name) is not None:
            self.emit("name", name, item.pos)
            return i + 1
        if name in _SYMBOLS:
            self.emit("name", _SYMBOLS[name], item.pos)
            return i + 1
        if name in _FUNCTIONS:
            return self.function(_FUNCTIONS[name], i, b)
        if name in COMMANDS:
            return COMMANDS[name](self, i, b)
        self.error(f"unknown or unsupported TeX command '\\{shown(name)}'", item.pos)

    def function(self, name: str, i: int, b: int) -> int:
        """\\log x without parentheses applies to the next item and its sub/superscripts; \\tanh^2 x is tanh(x)^2."""
        self.emit("name", name, self.items[i].pos)
        nxt = i + 1
        while nxt < b and self.items[nxt].is_char("'"):
            nxt = self.element(nxt, b)  # \sigma''
        if nxt < b and self.items[nxt].is_char("^"):
            start = len(self.out)
            nxt = self.element(nxt, b)  # \tanh^2 x, \sigma^{\prime}(x): the power (or prime) first
            self.superscript_end = -1
            if self.out[start].kind == "op" and nxt < b and self.no_parenthesis(nxt):
                self.emit("op", "(", self.items[nxt].pos)
                nxt = self.element(nxt, b)
                self.emit("op", ")", self.items[nxt - 1].pos)
            return nxt
        if nxt >= b or self.no_argument(nxt):
            return nxt  # \sigma(x), or \sigma alone (read as sigma(x) when the answer has one variable)
        self.emit("op", "(", self.items[nxt].pos)
        nxt = self.element(nxt, b)
        if nxt < b and self.items[nxt].is_char("(") and self.out[-1].kind == "name":
            nxt = self.paren_group(nxt, b)  # \log softmax(x)_k: the call belongs to the argument
        while nxt < b and self.items[nxt].is_char("_^'["):
            if self.items[nxt].is_char("["):  # \log x[k], \sigma z[i][j]: the indices are part of the argument
                if not self.wanted_indices():
                    break
                stop = self.bracket_end(nxt, b) + 1
                self.seq(nxt, stop)
                nxt = stop
            else:
                nxt = self.element(nxt, b)
        self.emit("op", ")", self.items[nxt - 1].pos)
        return nxt

"""Print a syntax tree as LaTeX (the output, wrapped in $...$, parses back to the same function)."""

from __future__ import annotations

from hwsolver.expr.nodes import (
    Add,
    Call,
    Const,
    Div,
    Expr,
    Idx,
    Item,
    Mul,
    Neg,
    Num,
    Pow,
    Size,
    Softmax,
    Sum,
    Var,
)
from hwsolver.expr.printer import ADD, ATOM, MUL, NEG, POW, decimal, integer, integer_strength

_GREEK = {
    "alpha",
    "beta",
    "gamma",
    "delta",
    "epsilon",
    "eta",
    "theta",
    "lambda",
    "mu",
    "nu",
    "rho",
    "tau",
    "phi",
}
_FUNCTIONS = {
    "exp": r"\exp",
    "log": r"\log",
    "tanh": r"\tanh",
    "sinh": r"\sinh",
    "cosh": r"\cosh",
    "coth": r"\coth",
    "sin": r"\sin",
    "cos": r"\cos",
    "tan": r"\tan",
    "sigmoid": r"\sigma",
    "sigmoid'": r"\sigma'",
    "sigmoid''": r"\sigma''",
    "Max": r"\max",
    "Min": r"\min",
}


def to_latex_tree(node: Expr, declared: frozenset[str] = frozenset()) -> str:
    """LaTeX for node; declared names (a problem's e or delta) change how exp and KroneckerDelta print."""
    return _Printer("e" not in declared, "delta" not in declared).tex(node)


def _name(name: str) -> str:
    if len(name) == 1:
        return name
    if name in _GREEK:
        return "\\" + name
    return r"\mathrm{" + name.replace("_", r"\_") + "}"


def _strength(node: Expr) -> int:
    if isinstance(node, Num):
        if node.value.denominator == 1:
            return integer_strength(node.value.numerator)
        return NEG if node.value < 0 else ATOM if decimal(node.value) else MUL
    if isinstance(node, Add):
        return ADD
    if isinstance(node, Neg):
        return NEG
    if isinstance(node, (Mul, Sum)):
        return MUL
    if isinstance(node, Div):
        return ATOM  # \frac{}{} groups itself
    if isinstance(node, Pow) or (isinstance(node, Call) and node.name == "exp" and not node.user):
        return POW  # exp may print as e^{...}
    return ATOM


class _Printer:
    def __init__(self, exp_as_power: bool, delta_subscript: bool) -> None:
        self.exp_as_power = exp_as_power  # e^{x}, unless the problem names something e
        self.delta_subscript = delta_subscript  # \delta_{ik}, unless the problem names something delta

    def wrap(self, node: Expr, context: int) -> str:
        text = self.tex(node)
        return rf"\left({text}\right)" if _strength(node) < context else text

    def tex(self, node: Expr) -> str:
        if isinstance(node, Num):
            return self.number(node)
        if isinstance(node, Const):
            return "e" if node.name == "e" else r"\pi"
        if isinstance(node, (Var, Idx, Size)):
            return _name(node.name)
        if isinstance(node, Item):
            return f"{_name(node.name)}_{{{', '.join(self.tex(i) for i in node.indices)}}}"
        if isinstance(node, Neg):
            return "-" + self.wrap(node.arg, NEG + 1)
        if isinstance(node, Add):
            out = self.wrap(node.terms[0], ADD)
            for term in node.terms[1:]:
                sign, body = (" - ", term.arg) if isinstance(term, Neg) else (" + ", term)
                out += sign + self.wrap(body, ADD + 1)
            return out
        if isinstance(node, Mul):
            return self.product(node)
        if isinstance(node, Div):
            return rf"\frac{{{self.tex(node.num)}}}{{{self.tex(node.den)}}}"
        if isinstance(node, Pow):
            if isinstance(node.exp, Num) and node.exp.value == 0.5:
                return rf"\sqrt{{{self.tex(node.base)}}}"
            base = self.wrap(node.base, POW + 1)
            return f"{base}^{{{self.tex(node.exp)}}}"
        if isinstance(node, Call):
            return self.call(node)
        if isinstance(node, Softmax):
            name = r"\operatorname{log\_softmax}" if node.log else r"\operatorname{softmax}"
            return rf"{name}\left({_name(node.vector)}\right)_{{{self.tex(node.index)}}}"
        assert isinstance(node, Sum)
        bounds = rf"\sum_{{{_name(node.var)}={self.tex(node.lo)}}}^{{{self.tex(node.hi)}}}"
        return f"{bounds} {self.wrap(node.body, MUL)}"

    def number(self, node: Num) -> str:
        value = node.value
        if value.denominator == 1:
            return integer(value.numerator, latex=True)
        text = decimal(value)
        if text:
            return text
        sign = "-" if value < 0 else ""
        num, den = integer(abs(value.numerator), latex=True), integer(value.denominator, latex=True)
        return rf"{sign}\frac{{{num}}}{{{den}}}"

    def product(self, node: Mul) -> str:
        parts: list[str] = []
        last = len(node.factors) - 1
        for n, factor in enumerate(node.factors):
            # a sum swallows the factors after it, so one that is not last needs parentheses
            context = MUL + 1 if (n and not isinstance(factor, Sum)) or (isinstance(factor, Sum) and n < last) else NEG
            text = self.wrap(factor, context)
            if parts and (text[0].isdigit() or text.startswith("-")):
                parts.append(r" \cdot ")
            elif parts:
                parts.append(" ")
            parts.append(text)
        return "".join(parts)

    def call(self, node: Call) -> str:
        args = ", ".join(self.tex(a) for a in node.args)
        if node.name == "exp" and not node.user and self.exp_as_power:
            return f"e^{{{args}}}"
        if node.name == "sqrt" and not node.user:
            return rf"\sqrt{{{args}}}"
        if node.name == "abs" and not node.user:
            return rf"\left|{args}\right|"
        if node.name == "KroneckerDelta" and not node.user and self.delta_subscript:
            return rf"\delta_{{{args}}}"
        if node.user and node.name.endswith("prime") and len(node.name) > 5:
            name = _name(node.name[:-5]) + "'"
        elif node.user:
            name = _name(node.name)
        else:
            name = _FUNCTIONS.get(node.name, rf"\operatorname{{{node.name}}}")
        return rf"{name}\left({args}\right)"

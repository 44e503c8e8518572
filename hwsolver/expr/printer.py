"""Print a syntax tree in the expression language (the output parses back to the same function)."""

from __future__ import annotations

from fractions import Fraction

from hwsolver.expr.limits import MAX_LITERAL_DIGITS
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
from hwsolver.numbers.decimals import exact_decimal

# binding strength of what a node prints as; a child weaker than its context gets parentheses
ADD, NEG, MUL, POW, ATOM = 10, 15, 20, 40, 100
CHUNK = MAX_LITERAL_DIGITS - 1


def decimal(value: Fraction) -> str | None:
    """value as an exact decimal literal when its denominator is 2^a 5^b (and it fits a literal), else None."""
    return exact_decimal(value, MAX_LITERAL_DIGITS)


def integer(n: int, latex: bool = False) -> str:
    """n as a literal, or, past the literal cap, as the exact expression (high)*10^k + low."""
    if len(str(abs(n))) <= MAX_LITERAL_DIGITS:
        return str(n)
    high, low = divmod(abs(n), 10**CHUNK)
    head = integer(high, latex)
    if integer_strength(high) < MUL:
        head = rf"\left({head}\right)" if latex else f"({head})"
    body = f"{head} \\cdot 10^{{{CHUNK}}}" if latex else f"{head}*10^{CHUNK}"
    body += f" + {low}" if low else ""
    if n > 0:
        return body
    return rf"-\left({body}\right)" if latex else f"-({body})"


def integer_strength(n: int) -> int:
    """How tightly integer(n) binds: a plain literal, a product m*10^k, or a sum."""
    if n < 0:
        return NEG
    if len(str(n)) <= MAX_LITERAL_DIGITS:
        return ATOM
    return MUL if n % 10**CHUNK == 0 else ADD


def strength(node: Expr) -> int:
    """How tightly node's printed form binds."""
    if isinstance(node, Num):
        if node.value.denominator == 1:
            return integer_strength(node.value.numerator)
        return NEG if node.value < 0 else ATOM if decimal(node.value) else MUL
    if isinstance(node, Add):
        return ADD
    if isinstance(node, Neg):
        return NEG
    if isinstance(node, (Mul, Div)):
        return MUL
    if isinstance(node, Pow):
        return POW
    return ATOM


def to_text(node: Expr) -> str:
    """The expression-language text for node."""
    return _text(node)


def _wrap(node: Expr, context: int) -> str:
    text = _text(node)
    return f"({text})" if strength(node) < context else text


def _text(node: Expr) -> str:
    if isinstance(node, Num):
        value = node.value
        if value.denominator == 1:
            return integer(value.numerator)
        if decimal(value):
            return decimal(value)  # type: ignore[return-value]
        num, den = Num(Fraction(value.numerator)), Num(Fraction(value.denominator))
        return f"{_wrap(num, MUL)}/{_wrap(den, MUL + 1)}"
    if isinstance(node, (Const, Var, Idx, Size)):
        return node.name
    if isinstance(node, Item):
        return f"{node.name}[{', '.join(_text(i) for i in node.indices)}]"
    if isinstance(node, Neg):
        text = _wrap(node.arg, NEG + 1)
        return f"-({text})" if text.startswith("-") else "-" + text  # never print --
    if isinstance(node, Add):
        out = _wrap(node.terms[0], ADD)
        for term in node.terms[1:]:
            if isinstance(term, Neg):
                out += " - " + _wrap(term.arg, ADD + 1)
            else:
                out += " + " + _wrap(term, ADD + 1)
        return out
    if isinstance(node, Mul):
        # a leading sign needs no parentheses: -a*b reads as (-a)*b
        return "*".join(_wrap(f, MUL + 1 if n else NEG) for n, f in enumerate(node.factors))
    if isinstance(node, Div):
        return f"{_wrap(node.num, NEG)}/{_wrap(node.den, MUL + 1)}"
    if isinstance(node, Pow):
        exponent = node.exp
        if isinstance(exponent, Num) and exponent.value.denominator != 1:  # x^(3/2), as written in maths, not x^1.5
            value = exponent.value
            num, den = Num(Fraction(value.numerator)), Num(Fraction(value.denominator))
            return f"{_wrap(node.base, POW + 1)}^({_wrap(num, MUL)}/{_wrap(den, MUL + 1)})"
        return f"{_wrap(node.base, POW + 1)}^{_wrap(exponent, ATOM)}"
    if isinstance(node, Call):
        return f"{node.name}({', '.join(_text(a) for a in node.args)})"
    if isinstance(node, Softmax):
        return f"{'log_softmax' if node.log else 'softmax'}({node.vector})[{_text(node.index)}]"
    assert isinstance(node, Sum)
    return f"Sum({_text(node.body)}, ({node.var}, {_text(node.lo)}, {_text(node.hi)}))"

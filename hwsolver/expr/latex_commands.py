"""LaTeX commands that take arguments: \\frac, \\sqrt, \\left/\\right, \\sum, \\operatorname and friends."""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from hwsolver.expr.latex import _Translator

_OPEN = {"(": "(", "[": "(", "{": "(", "lbrace": "(", "|": "|"}
_CLOSE = {")": ")", "]": ")", "}": ")", "rbrace": ")", "|": ")"}


def _frac(t: _Translator, i: int, b: int) -> int:
    pos = t.items[i].pos
    a1, z1, nxt = t.argument(i + 1, b, "\\frac")
    a2, z2, nxt = t.argument(nxt, b, "\\frac")
    t.emit("op", "(", pos)
    t.wrapped(a1, z1, pos)
    t.emit("op", "/", pos)
    t.wrapped(a2, z2, pos)
    t.emit("op", ")", pos)
    return nxt


def _sqrt(t: _Translator, i: int, b: int) -> int:
    pos = t.items[i].pos
    nxt = i + 1
    degree = None
    if nxt < b and t.items[nxt].is_char("["):
        close = nxt + 1
        while close < b and not t.items[close].is_char("]"):
            close += 1
        if close >= b:
            t.error("\\sqrt[n] is missing its ']'", t.items[nxt].pos)
        degree, nxt = (nxt + 1, close), close + 1
    a, z, nxt = t.argument(nxt, b, "\\sqrt")
    if degree is None:
        t.emit("name", "sqrt", pos)
        t.wrapped(a, z, pos)
        return nxt
    t.emit("op", "(", pos)
    t.wrapped(a, z, pos)
    t.emit("op", "^", pos)
    t.emit("op", "(", pos)
    t.emit("num", "1", pos, Fraction(1))
    t.emit("op", "/", pos)
    t.wrapped(degree[0], degree[1], pos)
    t.emit("op", ")", pos)
    t.emit("op", ")", pos)
    return nxt


def _delimiter(t: _Translator, i: int, b: int, table: dict[str, str]) -> int:
    which = t.items[i].text
    if i + 1 >= b or t.items[i + 1].text not in table:
        t.error(f"\\{which} must be followed by one of ( [ \\{{ |", t.items[i].pos)
    symbol = table[t.items[i + 1].text]
    if symbol == "|":
        t.emit("name", "abs", t.items[i].pos)
        symbol = "("
    t.emit("op", symbol, t.items[i].pos)
    return i + 2


def _sum(t: _Translator, i: int, b: int) -> int:
    pos = t.items[i].pos
    lower = upper = None
    nxt = i + 1
    for _ in range(3):
        if nxt < b and t.items[nxt].cmd and t.items[nxt].text in ("limits", "nolimits"):
            nxt += 1
        elif nxt < b and t.items[nxt].is_char("_") and lower is None:
            lower = t.argument(nxt + 1, b, "\\sum_")
            nxt = lower[2]
        elif nxt < b and t.items[nxt].is_char("^") and upper is None:
            upper = t.argument(nxt + 1, b, "\\sum^")
            nxt = upper[2]
    if lower is not None and upper is None and not any(t.items[n].is_char("=") for n in range(lower[0], lower[1])):
        return _free_sum(t, i, lower)  # \sum_j, \sum_{u,v}: over the indices' declared ranges
    if lower is None or upper is None:
        t.error("write a sum with both bounds, as in \\sum_{j=1}^{C}, or over an index alone, as in \\sum_j", pos)
    a, z, _ = lower
    eq = next((n for n in range(a, z) if t.items[n].is_char("=")), None)
    if eq is None or eq == a or not all(item.letter for item in t.items[a:eq]):
        t.error("the lower bound of a sum must read {j=...}", t.items[a].pos if z > a else pos)
    t.emit("sum", "\\sum", pos)
    t.emit("op", "(", pos)
    t.emit("name", "".join(item.text for item in t.items[a:eq]), t.items[a].pos)
    t.emit("op", ",", t.items[eq].pos)
    t.seq(eq + 1, z)
    t.emit("op", ",", pos)
    t.seq(upper[0], upper[1])
    t.emit("op", ")", pos)
    return nxt


def _free_sum(t: _Translator, i: int, lower: tuple[int, int, int]) -> int:
    """\\sum_j or \\sum_{u,v}: the Σ name and a subscript token naming the indices (the parser finds the range)."""
    a, z, nxt = lower
    if z <= a or not all(item.letter or item.is_char(",") for item in t.items[a:z]):
        t.error("a sum without bounds names its indices only, as in \\sum_j or \\sum_{u,v}", t.items[i].pos)
    t.emit("name", "Σ", t.items[i].pos)
    t.emit("sub", ",".join(item.text for item in t.items[a:z] if item.letter), t.items[a].pos)
    return nxt


def _indicator_one(t: _Translator, i: int, b: int) -> int:
    """\\mathbb{1}[i = k] or \\mathbb{1}_{i = k}: the indicator of the relation (KroneckerDelta)."""
    a, z, nxt = t.argument(i + 1, b, "\\mathbb")
    if not (z == a + 1 and t.items[a].text == "1"):
        t.error("\\mathbb is only understood as the indicator \\mathbb{1}[i = k]", t.items[i].pos)
    if nxt < b and t.items[nxt].is_char("["):
        return nxt  # the bracket is read as an indicator
    if nxt + 1 < b and t.items[nxt].is_char("_") and t.items[nxt + 1].is_char("{"):
        return t.indicator(nxt + 1, t.braces[nxt + 1])
    t.error("write the indicator as \\mathbb{1}[i = k] or \\mathbb{1}_{i = k}", t.items[i].pos)


def _word(t: _Translator, i: int, b: int) -> int:
    """\\operatorname{softmax}, \\mathrm{relu}, \\text{log\\_softmax}: the braces hold one name."""
    a, z, nxt = t.argument(i + 1, b, f"\\{t.items[i].text}")
    chars = []
    for item in t.items[a:z]:
        if item.cmd and item.text == "_":
            chars.append("_")
        elif not item.cmd and (item.letter or item.digit or item.text == "_"):
            chars.append(item.text)
        else:
            t.error(f"\\{t.items[i].text}{{...}} may only hold a name", item.pos)
    if not chars:
        t.error(f"\\{t.items[i].text}{{...}} is empty", t.items[i].pos)
    t.emit("name", "".join(chars), t.items[a].pos)
    return nxt


def _transparent(t: _Translator, i: int, b: int) -> int:
    """\\mathbf{x}_k: the styling is dropped and the content read in place."""
    a, z, nxt = t.argument(i + 1, b, f"\\{t.items[i].text}")
    t.seq(a, z)
    return nxt


COMMANDS: dict[str, Callable[[_Translator, int, int], int]] = {
    "frac": _frac,
    "dfrac": _frac,
    "tfrac": _frac,
    "sqrt": _sqrt,
    "left": lambda t, i, b: _delimiter(t, i, b, _OPEN),
    "right": lambda t, i, b: _delimiter(t, i, b, _CLOSE),
    "sum": _sum,
    **dict.fromkeys(("operatorname", "mathrm", "text", "textrm", "mathit", "textit", "mathsf", "rm", "mathcal"), _word),
    "mathbb": _indicator_one,
    **dict.fromkeys(("mathbf", "boldsymbol", "bm", "vec"), _transparent),
}

"""LaTeX superscripts and subscripts: powers, primes, layer labels, indices and Kronecker deltas.

x_{k} is x[k]; w_{uv} is w[u, v] for a 2-index array; \\delta_{ik} (or delta_{ik}) is KroneckerDelta(i, k);
W_1 names a declared W1. x^{2} is a power, f^{\\prime} a prime. A parenthesised layer label on a declared
vector or array, z^{(l-1)}_{i,j} or z_{i,j}^{(l-1)}, is dropped: (l), (l-1), (l+1), (1), (L) name the layer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from hwsolver.expr.latex_scan import Raw
from hwsolver.expr.tokens import Token

if TYPE_CHECKING:
    from hwsolver.expr.latex import _Translator

_INDEXED = ("vector", "array")


def superscript(t: _Translator, i: int, b: int) -> int:
    if len(t.out) == t.superscript_end:
        t.error("double superscript: use braces, as in {e^{x}}^{2}", t.items[i].pos)
    a, z, nxt = t.argument(i + 1, b, "'^'")
    inner = t.items[a:z]
    if len(inner) == 1 and (inner[0].is_char("'") or (inner[0].cmd and inner[0].text == "prime")):
        if not (t.out and t.out[-1].kind == "name"):
            t.error("a prime only follows a function name, as in f^{\\prime}(z)", inner[0].pos)
        t.emit("prime", "'", inner[0].pos)  # f^{\prime}(z) is f'(z)
        return nxt
    last = t.out[-1] if t.out else None
    on_array = last is not None and last.kind == "name" and t.scope.kind_of(last.text) in _INDEXED
    if _is_label(inner) and (on_array or len(t.out) == t.indexed_end):
        return nxt  # z^{(l-1)}: the layer, not a power
    if z == a + 1 and inner[0].digit and nxt < b and t.items[nxt].digit:
        t.error("put a multi-digit exponent in braces, as in x^{10}", inner[0].pos)
    t.emit("op", "^", t.items[i].pos)
    t.wrapped(a, z, t.items[i].pos)
    t.superscript_end = len(t.out)
    return nxt


def _is_label(inner: list[Raw]) -> bool:
    """( X ), ( X + n ) or ( X - n ) with X one letter or a number and n a number."""
    if len(inner) < 3 or not inner[0].is_char("(") or not inner[-1].is_char(")"):
        return False
    body = inner[1:-1]
    head = 1 if body[0].letter else next((n for n, item in enumerate(body) if not item.digit), len(body))
    rest = body[head:]
    return head > 0 and (not rest or (len(rest) > 1 and rest[0].is_char("+-") and all(r.digit for r in rest[1:])))


def subscript(t: _Translator, i: int, b: int) -> int:
    a, z, nxt = t.argument(i + 1, b, "'_'")
    pos = t.items[i].pos
    inner = t.items[a:z]
    last = t.out[-1] if t.out else None
    if last and last.kind == "num" and last.text == "1" and any(item.is_char("=") for item in inner):
        if not t.items[i + 1].is_char("{"):
            t.error("write the indicator with braces, as in 1_{i=k}", pos)
        t.out.pop()  # 1_{i=k}: the indicator
        return t.indicator(i + 1, z)
    if z == a + 1 and inner[0].digit and nxt < b and t.items[nxt].digit:
        t.error("put a multi-digit subscript in braces, as in x_{10}", inner[0].pos)
    last = t.out[-1] if t.out else None
    plain = all(item.letter or item.digit for item in inner)
    joined = "".join(item.text for item in inner)
    if last and last.kind == "name" and plain and t.scope.kind_of(last.text + joined):
        t.out[-1] = Token("name", last.text + joined, last.pos)  # W_1 names a declared W1
        return nxt
    head = last.text if last else ""
    kronecker = (head == "δ" and "delta" not in t.scope.arrays) or (head == "delta" and not t.scope.kind_of(head))
    parts = split_commas(t, a, z)
    ndim = 2 if kronecker or head == "δ" else t.scope.arrays.get(head, 1)
    if len(parts) == 1 and ndim > 1 and len(inner) == ndim and all(item.letter for item in inner):
        parts = [(n, n + 1) for n in range(a, z)]  # w_{uv} means w[u, v]
    if last and kronecker:
        t.out[-1] = Token("name", "KroneckerDelta", last.pos)
        opener, closer = "(", ")"
    else:
        opener, closer = "[", "]"
    t.emit("op", opener, pos)
    for n, (p, q) in enumerate(parts):
        if n:
            t.emit("op", ",", t.items[p - 1].pos)
        t.seq(p, q)
    t.emit("op", closer, t.items[z - 1].pos if z > a else pos)
    if last and last.kind == "name" and t.scope.kind_of(last.text) in _INDEXED:
        t.indexed_end = len(t.out)  # z_{i,j}^{(l-1)}: a layer label may still follow
    return nxt


def split_commas(t: _Translator, a: int, z: int) -> list[tuple[int, int]]:
    parts, start, n = [], a, a
    while n < z:
        if t.items[n].is_char("{"):
            n = t.braces[n]
        elif t.items[n].is_char(","):
            parts.append((start, n))
            start = n + 1
        n += 1
    return [*parts, (start, z)]

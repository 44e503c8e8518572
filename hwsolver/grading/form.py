"""The form a formula answer is written in: which functions it uses, and whether that is the form a part asks for.

`form: {uses: [sigmoid], avoids: [exp]}` asks for an answer in terms of sigmoid without exp. A derivative written
with a prime (σ'(x)) is a function of its own here: in terms of sigmoid means with σ(x), σ'(x) written out.
"""

from __future__ import annotations

import math
from typing import Any


def functions_used(expr: Any) -> frozenset[str]:
    """The functions a parsed formula calls (e^t counts as exp, softmax(x)[k] as softmax, sigmoid'(x) as itself).

    A term that is 0 whatever the variables (0*sigmoid(x), (1 - 1)*exp(x)) uses nothing, and a number within
    1e-6 of e raised to a power is exp written out (2.718281828^(-x)).
    """
    from hwsolver.expr.nodes import Call, Pow, Softmax, children

    vanishes = _Vanishes()
    names: set[str] = set()
    stack = [expr]
    while stack:
        node = stack.pop()
        if vanishes(node):
            continue
        if isinstance(node, Call):
            names.add(node.name)
        elif isinstance(node, Pow) and _is_e(node.base):
            names.add("exp")
        elif isinstance(node, Softmax):
            names.add("log_softmax" if node.log else "softmax")
        stack.extend(children(node))
    return frozenset(names)


def _constant(node: Any) -> Any:
    """The value of a constant subtree, or None (also when it is too large to fold)."""
    from hwsolver.expr.folding import CapExceeded, fold

    try:
        return fold(node)
    except CapExceeded:
        return None


def _is_e(node: Any) -> bool:
    value = _constant(node)
    return value is not None and abs(float(value) - math.e) <= 1e-6


class _Vanishes:
    """Whether a node is 0 whatever its variables: a constant 0, a product with a factor 0, 0 divided by anything.

    Remembered per node, so that a whole tree costs one fold of every subtree.
    """

    def __init__(self) -> None:
        self.known: dict[int, tuple[Any, bool]] = {}

    def __call__(self, node: Any) -> bool:
        from hwsolver.expr.nodes import Add, Div, Mul, Neg, Sum

        found = self.known.get(id(node))
        if found is not None:
            return found[1]
        value = _constant(node)
        if value is not None:
            zero = value == 0
        elif isinstance(node, Mul):
            zero = any(self(f) for f in node.factors)
        elif isinstance(node, Div):
            zero = self(node.num)
        elif isinstance(node, Neg):
            zero = self(node.arg)
        elif isinstance(node, Add):
            zero = all(self(t) for t in node.terms)
        elif isinstance(node, Sum):
            zero = self(node.body)
        else:
            zero = False
        self.known[id(node)] = (node, zero)  # the node is kept so that its id is not reused meanwhile
        return zero


def form_problem(expr: Any, form: Any) -> str | None:
    """Why the formula is not in the required form ("use sigmoid", "without exp"), or None if it is."""
    from hwsolver.expr.catalog import DERIVATIVE_OF, SHOWN

    used = functions_used(expr)
    uses = form.get("uses", ())
    missing = [name for name in uses if name not in used]
    present = [name for name in form.get("avoids", ()) if name in used]
    derived = sorted(name for name in used if _root(name, DERIVATIVE_OF) in uses and name not in uses)
    if not missing and not present and not derived:
        return None
    wanted = " and ".join(f"{name}(...)" for name in uses)
    avoided = ", ".join(form.get("avoids", ()))
    text = f"equivalent, but write it in terms of {wanted}" + (f" (without {avoided})" if avoided else "")
    if derived:
        written = ", ".join(f"{SHOWN.get(name, name)}(...)" for name in derived)
        text += f": write {written} out in {' and '.join(f'{SHOWN.get(n, n)}(...)' for n in uses)}"
    return text


def _root(name: str, derivative_of: dict[str, str]) -> str:
    """The function a derivative is (a repeated) derivative of: sigmoid for sigmoid''."""
    while name in derivative_of:
        name = derivative_of[name]
    return name

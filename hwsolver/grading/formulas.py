"""Formulas in answers: read through the expression language (the only gate), compared by equivalence.

One `Formulas` per part, so that the same text written by many students is parsed and checked once.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from fractions import Fraction
from typing import Any

from hwsolver.errors import ExprError
from hwsolver.grading.checkers import RIGHT, Check
from hwsolver.grading.reveal import marked
from hwsolver.model import Symbolic

_CACHE_LIMIT = 4096
_VARIABLE = object()  # Formulas.constant's memo: the text is a formula with variables


class Formulas:
    """Parsing and equivalence for one part, with its scope, cached by the student's text."""

    def __init__(self, scope: Any = None, domain: tuple[float, float] = (-3.0, 3.0)) -> None:
        from hwsolver.expr import Scope

        self.scope = scope if scope is not None else Scope()
        self.domain = domain
        self._parsed: dict[str, Any] = {}
        self._checked: dict[tuple[str, Any], Check] = {}
        self._constants: dict[str, float | object | ExprError] = {}

    def parse(self, text: str) -> Any:
        """The parsed formula; raises ExprError (remembered, so a bad text costs one parse)."""
        from hwsolver.expr import parse

        return _remembered(self._parsed, text, lambda: parse(text, self.scope))

    def constant(self, text: str) -> float | None:
        """The value of a formula without variables (exp(-1), 1/(1+e^2)), or None if it has variables; raises
        ExprError if it is no formula (remembered, like parse: a class sends the same garbage many times)."""
        found = _remembered(self._constants, text, lambda: self._constant(text))
        return None if found is _VARIABLE else found

    def _constant(self, text: str) -> float | object:
        from hwsolver.expr import Scope, compile_numeric, parse

        try:
            value = compile_numeric(parse(text, Scope()), Scope())({})
        except ExprError:
            self.parse(text)  # names the problem with the part's own scope if it is a formula there
            return _VARIABLE
        number = float(value)
        if not math.isfinite(number):
            raise ExprError(f"'{text}' is not a finite number")
        return number

    def equivalent(self, student: Any, reference: Symbolic) -> Check:
        """Whether the student's parsed formula is the reference function."""
        from hwsolver.expr import equivalent

        key = (reference.expr, student)
        found = self._checked.get(key)
        if found is None:
            outcome = equivalent(student, self.parse(reference.expr), self.scope, domain=self.domain)
            if outcome.equal:
                found = RIGHT
            elif outcome.equal is None:
                found = Check(Fraction(0), f"could not decide whether this equals the answer ({outcome.evidence})")
            else:
                found = Check(Fraction(0), f"not equivalent to the answer: {marked(outcome.evidence)}")
            if len(self._checked) < _CACHE_LIMIT:
                self._checked[key] = found
        return found


def _remembered(memo: dict[str, Any], text: str, work: Callable[[], Any]) -> Any:
    """work()'s value for this text, or its ExprError raised, worked out once per text (up to a bound)."""
    found = memo.get(text)
    if found is None:
        try:
            found = work()
        except ExprError as error:
            found = error
        if len(memo) < _CACHE_LIMIT:
            memo[text] = found
    if isinstance(found, ExprError):
        raise found.with_traceback(None)  # raised again for each student: its traceback must not grow
    return found


def functions_used(expr: Any) -> frozenset[str]:
    """The functions a parsed formula calls (e^t counts as exp, softmax(x)[k] as softmax, sigmoid'(x) as sigmoid).

    A term that is 0 whatever the variables (0*sigmoid(x), (1 - 1)*exp(x)) uses nothing, and a number within
    1e-6 of e raised to a power is exp written out (2.718281828^(-x)).
    """
    from hwsolver.expr.catalog import PRIMED_BUILTINS
    from hwsolver.expr.nodes import Call, Pow, Softmax, children

    primed = {derivative: name for name, derivative in PRIMED_BUILTINS.items()}
    vanishes = _Vanishes()
    names: set[str] = set()
    stack = [expr]
    while stack:
        node = stack.pop()
        if vanishes(node):
            continue
        if isinstance(node, Call):
            names.add(primed.get(node.name, node.name))
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
    used = functions_used(expr)
    missing = [name for name in form.get("uses", ()) if name not in used]
    present = [name for name in form.get("avoids", ()) if name in used]
    if not missing and not present:
        return None
    wanted = " and ".join(f"{name}(...)" for name in form.get("uses", ()))
    avoided = ", ".join(form.get("avoids", ()))
    return f"equivalent, but write it in terms of {wanted}" + (f" (without {avoided})" if avoided else "")

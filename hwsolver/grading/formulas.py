"""Formulas in answers: read through the expression language (the only gate), compared by equivalence.

One `Formulas` per part, so that the same text written by many students is parsed and checked once.
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

from hwsolver.errors import ExprError
from hwsolver.grading.checkers import RIGHT, Check
from hwsolver.model import Symbolic

_CACHE_LIMIT = 4096


class Formulas:
    """Parsing and equivalence for one part, with its scope, cached by the student's text."""

    def __init__(self, scope: Any = None, domain: tuple[float, float] = (-3.0, 3.0)) -> None:
        from hwsolver.expr import Scope

        self.scope = scope if scope is not None else Scope()
        self.domain = domain
        self._parsed: dict[str, Any] = {}
        self._checked: dict[tuple[int, str], Check] = {}

    def parse(self, text: str) -> Any:
        """The parsed formula; raises ExprError (remembered, so a bad text costs one parse)."""
        from hwsolver.expr import parse

        found = self._parsed.get(text)
        if found is None:
            try:
                found = parse(text, self.scope)
            except ExprError as error:
                found = error
            if len(self._parsed) < _CACHE_LIMIT:
                self._parsed[text] = found
        if isinstance(found, ExprError):
            raise found
        return found

    def constant(self, text: str) -> float | None:
        """The value of a formula without variables (exp(-1), 1/(1+e^2)), or None if it has variables."""
        from hwsolver.expr import Scope, compile_numeric, parse

        try:
            value = compile_numeric(parse(text, Scope()), Scope())({})
        except ExprError:
            self.parse(text)  # names the problem with the part's own scope if it is a formula there
            return None
        number = float(value)
        if not math.isfinite(number):
            raise ExprError(f"'{text}' is not a finite number")
        return number

    def equivalent(self, student: Any, reference: Symbolic) -> Check:
        """Whether the student's parsed formula is the reference function."""
        from hwsolver.expr import equivalent

        key = (id(reference), student)
        found = self._checked.get(key)
        if found is None:
            outcome = equivalent(student, self.parse(reference.expr), self.scope, domain=self.domain)
            if outcome.equal:
                found = RIGHT
            elif outcome.equal is None:
                found = Check(Fraction(0), f"could not decide whether this equals the answer ({outcome.evidence})")
            else:
                found = Check(Fraction(0), f"not equivalent to the answer: {outcome.evidence}")
            if len(self._checked) < _CACHE_LIMIT:
                self._checked[key] = found
        return found


def functions_used(expr: Any) -> frozenset[str]:
    """The functions a parsed formula calls (e^t counts as exp, softmax(x)[k] as softmax)."""
    from hwsolver.expr.nodes import Call, Const, Pow, Softmax, walk

    names: set[str] = set()
    for node in walk(expr):
        if isinstance(node, Call):
            names.add(node.name)
        elif isinstance(node, Pow) and isinstance(node.base, Const) and node.base.name == "e":
            names.add("exp")
        elif isinstance(node, Softmax):
            names.add("log_softmax" if node.log else "softmax")
    return frozenset(names)


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

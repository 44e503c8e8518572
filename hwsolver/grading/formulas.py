"""Formulas in answers: read through the expression language (the only gate), compared by equivalence.

One `Formulas` per part, so that the same text written by many students is read and checked once. A reading's notes
(σ read as σ(x), a unit word left out) travel in the Check's feedback, for a right answer too. Rules a TA applies:
- an answer that restates what is asked (σ'(x) for "find σ'(x)") is no answer (the part's Scope.asked);
- O(...) is an answer only where only the order of growth is asked (Scope.order_only), else "an exact count";
- a formula that is no number where the answer is one (log(x) where x < 0 is tried) is unreadable: invalid.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Mapping
from dataclasses import replace
from fractions import Fraction
from typing import Any

from hwsolver.errors import ExprError
from hwsolver.grading.checkers import RIGHT, Check
from hwsolver.grading.form import form_problem, functions_used
from hwsolver.grading.reveal import marked
from hwsolver.memo import Bounded
from hwsolver.model import Symbolic

_CACHE_LIMIT = 4096
_READINGS_LIMIT = 65536  # readings with notes or O(...) kept per part (each with its tree)
_VARIABLE = object()  # Formulas.constant's memo: the text is a formula with variables

__all__ = ["Formulas", "form_problem", "functions_used"]


class Formulas:
    """Reading and equivalence for one part, with its scope, cached by the student's text."""

    def __init__(
        self, scope: Any = None, domain: tuple[float, float] = (-3.0, 3.0), reference: Symbolic | None = None
    ) -> None:
        self.scope = scope if scope is not None else _empty_scope()
        self.domain = domain
        self.reference = reference  # the part's one formula answer: a formula that is no number there is invalid
        self._parsed: dict[str, Any] = {}
        self._readings: dict[int, Any] = {}  # id(tree) -> (tree, Reading) for readings with notes or O(...)
        self._references: dict[str, Any] = {}
        self._checked: dict[tuple[str, Any, bool], Check] = {}
        self._by_identity: Bounded[tuple[int, str, bool], tuple[Any, Check]] = Bounded(_CACHE_LIMIT)
        self._constants: dict[str, float | object | ExprError] = {}

    @classmethod
    def for_part(cls, reference: Any, options: Mapping[str, Any]) -> Formulas:
        """The Formulas of a part whose answer is `reference` (a Symbolic, or Symbolics in named parts), with the
        problem's `aliases` (a name the scope declares itself keeps its meaning)."""
        symbolic = _first_symbolic(reference)
        if symbolic is None or symbolic.scope is None:
            return cls()
        scope = symbolic.scope
        declared = set(scope.names())
        aliases = {name: text for name, text in options.get("aliases", {}).items() if name not in declared}
        if aliases:
            scope = replace(scope, aliases={**scope.aliases, **aliases})
        return cls(scope, symbolic.domain, reference if isinstance(reference, Symbolic) else None)

    def parse(self, text: str) -> Any:
        """The student's formula (read as students write it); raises ExprError, remembered, so that a bad text costs
        one reading: unreadable, or no number where the part's answer is one."""
        return _remembered(self._parsed, text, lambda: self._read(text))

    def _read(self, text: str) -> Any:
        from hwsolver.expr import read

        reading = read(text, self.scope)
        if reading.notes or reading.order:
            # its own copy of the tree: "O(L n^2)" and "L n^2" read as equal trees (the same one, remembered by
            # its tokens), and this text's notes must not travel with the other's
            reading = replace(reading, expr=replace(reading.expr))
            if len(self._readings) >= _READINGS_LIMIT:  # the oldest goes: a tree just read must find its reading
                del self._readings[next(iter(self._readings))]
            self._readings[id(reading.expr)] = (reading.expr, reading)
        _refuse_no_number(text, reading.expr)
        if self.reference is not None and not reading.order:
            found = self.equivalent(reading.expr, self.reference)
            if found.feedback.startswith(_NO_NUMBER):
                raise ExprError(found.feedback.partition("; note: ")[0])
        return reading.expr

    def meaning(self, tree: Any) -> tuple[Any, bool]:
        """What a formula read from some text means (the tree, and whether it was written as O(...)): spellings
        of one formula (spacing, σ or sigmoid) mean the same; a reading's notes are not part of it."""
        known = self._readings.get(id(tree))
        return tree, bool(known is not None and known[0] is tree and known[1].order)

    def constant(self, text: str) -> float | None:
        """The value of a formula without variables (exp(-1), 1/(1+e^2)), or None if it has variables; raises
        ExprError if it is no formula or no number (1/0: remembered, like parse: a class sends the same garbage)."""
        found = _remembered(self._constants, text, lambda: self._constant(text))
        return None if found is _VARIABLE else found

    def _constant(self, text: str) -> float | object:
        from hwsolver.expr import Scope, compile_numeric, read
        from hwsolver.expr.undefined import why_no_number

        try:
            reading = read(text, Scope())
            value = compile_numeric(reading.expr, Scope())({})
        except ExprError:
            self.parse(text)  # names the problem with the part's own scope if it is a formula there
            return _VARIABLE
        number = float(value)
        if not math.isfinite(number):
            raise ExprError(f"'{text}' is no number: {why_no_number(reading.expr, Scope(), {})}")
        return number

    def equivalent(self, student: Any, reference: Symbolic) -> Check:
        """Whether the student's parsed formula is the reference function; its reading's notes said."""
        known = self._readings.get(id(student))
        reading = known[1] if known is not None and known[0] is student else None
        order = bool(reading and reading.order)
        # by the tree's identity first: texts read alike share one tree, and hashing a tree walks all of it
        fast = self._by_identity.get((id(student), reference.expr, order))
        if fast is not None and fast[0] is student:
            found = fast[1]
        else:
            key = (reference.expr, student, order)
            found = self._checked.get(key)
            if found is None:
                found = self._check(student, reference, order)
                if len(self._checked) < _CACHE_LIMIT:
                    self._checked[key] = found
            self._by_identity.keep((id(student), reference.expr, order), (student, found))
        if reading is not None and reading.notes:
            notes = "note: " + "; ".join(reading.notes)
            found = Check(found.share, f"{found.feedback}; {notes}" if found.feedback else notes)
        return found

    def _tree(self, text: str) -> Any:
        """A reference formula, parsed once."""
        from hwsolver.expr import parse

        return _remembered(self._references, text, lambda: parse(text, self.scope))

    def _check(self, student: Any, reference: Symbolic, order: bool) -> Check:
        from hwsolver.expr import equivalent

        restated = _restated(student, self.scope)
        if restated:
            return Check(Fraction(0), f"{restated}: restating the question is no answer")
        if order:
            return _order(student, self._tree(reference.expr), self.scope)
        outcome = equivalent(student, self._tree(reference.expr), self.scope, domain=self.domain)
        if outcome.equal:
            return RIGHT
        if outcome.equal is None:
            return Check(Fraction(0), f"could not decide whether this equals the answer ({outcome.evidence})")
        if outcome.undefined:
            return Check(Fraction(0), f"{_NO_NUMBER}{outcome.evidence.removeprefix('is no number')}")
        return Check(Fraction(0), f"not equivalent to the answer: {marked(outcome.evidence)}")


_NO_NUMBER = "this formula is no number"


@functools.cache
def _empty_scope() -> Any:
    """The scope of a part with no formula: one (a Scope is frozen), not validated again for each part of each
    variant prepared."""
    from hwsolver.expr import Scope

    return Scope()


def _first_symbolic(reference: Any) -> Symbolic | None:
    if isinstance(reference, Symbolic):
        return reference
    items = reference.values() if isinstance(reference, Mapping) else reference if isinstance(reference, tuple) else ()
    return next((found for item in items if (found := _first_symbolic(item)) is not None), None)


def _restated(student: Any, scope: Any) -> str | None:
    """What the answer says when it uses what the part asks for (σ'(x)), or a higher derivative; else None."""
    from hwsolver.expr.catalog import SHOWN

    used = functions_used(student)
    found = next((name for name in scope.asked if name in used), None)
    if found is None:
        return None
    variable = scope.variables[0] if len(scope.variables) == 1 else "..."
    written, asked = (f"{SHOWN.get(name, name)}({variable})" for name in (found, scope.asked[0]))
    return f"{written} is what is asked" if found == scope.asked[0] else f"{written} is beyond the {asked} asked"


def _order(student: Any, reference: Any, scope: Any) -> Check:
    """O(student) against the leading term asked for: the same terms of highest degree up to a positive factor."""
    if not scope.order_only:
        return Check(Fraction(0), "an exact count is asked, not its order O(...): give the whole formula")
    import sympy

    from hwsolver.expr import to_sympy
    from hwsolver.expr.sympy_build import variable

    symbols = [variable(name) for name in scope.variables]
    try:
        ratio = sympy.cancel(_leading(to_sympy(reference), symbols) / _leading(to_sympy(student), symbols))
    except (ExprError, sympy.PolynomialError, ZeroDivisionError):
        ratio = sympy.nan
    if ratio.is_number and ratio.is_positive:
        return RIGHT
    return Check(Fraction(0), "not the order of growth asked: compare the terms of highest degree")


def _leading(expr: Any, symbols: list[Any]) -> Any:
    """The terms of highest total degree of a polynomial in symbols."""
    import sympy

    poly = sympy.Poly(expr, *symbols)
    top = poly.total_degree()
    return sum(
        coeff * sympy.Mul(*(s**e for s, e in zip(symbols, powers, strict=True)))
        for powers, coeff in poly.terms()
        if sum(powers) == top
    )


def _remembered(memo: dict[str, Any], text: str, work: Callable[[], Any]) -> Any:
    """work()'s value for this text, or its ExprError raised, worked out once per text (up to a bound)."""
    found = memo.get(text)
    if found is None:
        try:
            found = work()
        except ExprError as error:
            # kept without the frames it was raised in, nor the error it was raised from: they hold the answers
            # and prepared problems of the student who wrote it first, which would then outlive their grading
            found = error.with_traceback(None)
            found.__context__ = found.__cause__ = None
        if len(memo) < _CACHE_LIMIT:
            memo[text] = found
    if isinstance(found, ExprError):
        raise _fresh(found)  # the kept one is never raised: a raise would tie it to this student's frames
    return found


def _fresh(error: ExprError) -> ExprError:
    """A copy of a kept error, to raise (made without __init__: a LocatedExprError's takes other arguments)."""
    copy = BaseException.__new__(type(error), *error.args)
    copy.__dict__.update(error.__dict__)
    return copy


def _refuse_no_number(text: str, tree: Any) -> None:
    """A formula without variables (1/0, log(0)) that is no number: an ExprError saying why."""
    from hwsolver.expr import Scope, compile_numeric
    from hwsolver.expr.nodes import Call, Idx, Item, Size, Softmax, Var, walk
    from hwsolver.expr.undefined import why_no_number

    varying = (Var, Idx, Item, Size, Softmax)
    if any(isinstance(n, varying) or (isinstance(n, Call) and n.user) for n in walk(tree)):
        return
    if not math.isfinite(float(compile_numeric(tree, Scope())({}))):
        raise ExprError(f"'{text}' is no number: {why_no_number(tree, Scope(), {})}")

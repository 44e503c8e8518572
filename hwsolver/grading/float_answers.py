"""Answers as floats, as grading compares them, and their layouts (checkers.layout: the shape, the numbers in
order): a reference, a slip's answer, a student's. Walked for every reference and slip of every variant prepared,
so the common types are told first."""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import Any

from hwsolver.grading.checkers import Layout, layout
from hwsolver.model import Symbolic


def floats_and_layout(answer: Any) -> tuple[Any, Layout | None]:
    """A slip's answer as floats, and its layout (checkers.layout): a float run's answer (most slips') as it is,
    laid out in one walk (float_layout); any other through as_floats and layout."""
    laid = float_layout(answer)
    if laid is not None:
        return answer, laid
    floats = as_floats(answer)
    return floats, layout(floats) if floats is not None else None


def float_layout(value: Any) -> Layout | None:
    """checkers.layout(value) of a value all of floats: a number, a vector or matrix, or such arrays by name (a
    float run's answers, and most students'), in one walk; None for any other (layout decides those)."""
    kind = type(value)
    if kind is float:
        return (), [value]
    if kind is tuple:
        return _float_array(value)
    if kind is not dict:
        return None
    shapes, numbers = [], []
    for key in sorted(value):
        item = value[key]
        laid = _float_array(item) if type(item) is tuple else None
        if laid is None:
            return None
        shapes.append((key, laid[0]))
        numbers += laid[1]
    return tuple(shapes), numbers


def _float_array(value: tuple) -> Layout | None:
    """The layout of a vector or matrix of floats (None for anything else: checkers.layout decides those)."""
    if not value:
        return None
    first = value[0]
    if type(first) is float:
        return ((len(value),), list(value)) if all(type(item) is float for item in value) else None
    if type(first) is not tuple or not first:
        return None
    size = len(first)
    numbers = [item for row in value if type(row) is tuple and len(row) == size for item in row]
    if len(numbers) != len(value) * size or not all(type(item) is float for item in numbers):
        return None
    return (len(value), size), numbers


def as_floats(value: Any, formulas: list[Symbolic] | None = None) -> Any:
    """An answer with every exact number as a float (structure, booleans and formulas unchanged), each formula
    met appended to `formulas` when given (in order: the first is the part's scope). Exact types first, and a
    Fraction's float as its own division (what float() works out, without numbers.Rational's detour, its terms read
    from its slots: its numerator and denominator properties cost as much again): this walks every reference and
    every slip's answer of every variant prepared."""
    kind = type(value)
    if kind is Fraction:
        return value._numerator / value._denominator
    if kind is tuple or kind is list:
        return tuple(
            [
                item._numerator / item._denominator
                if type(item) is Fraction
                else float(item)
                if type(item) is int  # (positions: pooling's argmax)
                else as_floats(item, formulas)
                for item in value
            ]
        )
    if kind is dict:  # named matrices, before the checks against ABCs (slow)
        return {key: as_floats(item, formulas) for key, item in value.items()}
    if kind is float or kind is int:
        return float(value)
    if isinstance(value, Symbolic):
        if formulas is not None:
            formulas.append(value)
        return value
    if isinstance(value, bool | str) or value is None:
        return value
    if isinstance(value, tuple | list):
        return tuple([as_floats(item, formulas) for item in value])
    if isinstance(value, Mapping):
        return {key: as_floats(item, formulas) for key, item in value.items()}
    return float(value)

"""Reading a student's answer node as a value shaped like the reference answer (or saying why it can't be).

The reference decides the type: a number, a vector or matrix (nested tuples), named parts (a dict), a yes/no,
or a formula. Shapes are kept as written so that the checker can say "expected 2x2, got 2x1"; only text that
cannot be an answer of that type at all is invalid. Formulas go through the expression language, nowhere else.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from hwsolver.errors import ExprError, SpecError
from hwsolver.model import Symbolic
from hwsolver.node import LATER, Node, not_a_formula, parse_number, shape_of
from hwsolver.spec import plain_later

_DECIMAL = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d{1,2})?")

if TYPE_CHECKING:
    from hwsolver.grading.formulas import Formulas


class InvalidAnswer(Exception):
    """The answer cannot be read as an answer of the expected type; the message says why and where."""


def is_number(value: Any) -> bool:
    kind = type(value)
    if kind is float or kind is Fraction or kind is int:  # the common cases, without the ABC checks below
        return True
    return not isinstance(value, bool | tuple | list | Mapping | Symbolic | str) and value is not None


def read_answer(node: Node, reference: Any, formula: Formulas | None = None) -> Any:
    """The student's value for a part whose reference answer is `reference`."""
    try:
        return _read(node, reference, formula)
    except SpecError as error:
        raise InvalidAnswer(_location_free(node, str(error))) from None


def _read(node: Node, reference: Any, formula: Formulas | None) -> Any:
    if node.content is LATER and not isinstance(reference, bool | Symbolic):
        # not built yet: plain decimals (an array, named arrays) are read straight from the text
        found = _plain(plain_later(node), reference)
        if found is not None:
            return found
    if isinstance(reference, bool):
        return node.boolean()
    if isinstance(reference, Symbolic):
        return _formula(node, formula)
    if isinstance(reference, Mapping):
        entries = node.mapping()
        return {
            key: _read(value, reference[key], formula) if key in reference else _tensor(value)
            for key, value in entries.items()
        }
    if isinstance(reference, tuple):
        if reference and not rectangular(reference):
            items = node.items()
            return tuple(_read(item, ref, formula) for item, ref in zip(items, reference)) + tuple(
                None for _ in items[len(reference) :]
            )
        if node.is_scalar and len(reference) == 1 and not isinstance(reference[0], tuple):
            return (number(node, formula),)  # a scalar stands for a one-element vector, and only then
        return _tensor(node, formula)
    return number(node, formula)


def rectangular(value: Any) -> bool:
    """A vector, matrix or higher array of numbers (rows of equal length), as opposed to a list of answers
    (per layer or per sample: those may differ in length, or hold named parts)."""
    level = [value]
    while True:
        first = level[0]
        if type(first) is not tuple:
            return is_number(first)
        size = len(first)
        if size == 0 or any(type(row) is not tuple or len(row) != size for row in level):
            return False
        level = [item for row in level for item in row]


def _tensor(node: Node, formula: Formulas | None = None) -> Any:
    if node.is_scalar:
        return number(node, formula)
    items = node.items()
    values = tuple(_tensor(item, formula) for item in items)
    # each row is already rectangular, so equal shapes of the rows (not just lengths) make the whole rectangular
    if len({shape_of(v) if isinstance(v, tuple) else () for v in values}) > 1:
        raise node.error("ragged array: its rows have different shapes")
    return values


def _plain(texts: Any, reference: Any) -> Any:
    """What _read makes of an answer's texts (plain scalars in lists and mappings) when they are decimals, or
    None wherever only the node path can say (a formula, a fraction, a wrong type: its message names the place)."""
    if isinstance(reference, Mapping):
        if type(texts) is not dict:
            return None
        values = {
            key: _plain(item, reference[key]) if key in reference else _decimals(item) for key, item in texts.items()
        }
        return None if None in values.values() else values
    if isinstance(reference, tuple):
        if reference and not rectangular(reference):
            return None
        if type(texts) is str and len(reference) == 1 and not isinstance(reference[0], tuple):
            value = _decimals(texts)  # a scalar stands for a one-element vector, and only then
            return None if value is None else (value,)
        return _decimals(texts)
    return _decimals(texts) if type(texts) is str and is_number(reference) else None


def _decimals(texts: Any) -> Any:
    """Nested tuples of decimal texts as floats, when every text is a plain decimal and the rows agree in shape;
    None otherwise."""
    if type(texts) is str:
        return float(texts) if len(texts) <= 40 and _DECIMAL.fullmatch(texts) else None
    if type(texts) is not tuple:
        return None
    values = tuple(_decimals(item) for item in texts)
    if None in values or len({shape_of(v) if type(v) is tuple else () for v in values}) > 1:
        return None
    return values


def number(node: Node, formula: Formulas | None = None) -> Any:
    """A number: a literal (0.274, 137/500, 1e-3), or a constant formula such as exp(-1) or 1/(1+exp(-2))."""
    if not node.is_scalar or node.is_null:
        raise node.error(f"expected a number, got {node.describe()}")
    text = node.value
    if len(text) <= 40 and _DECIMAL.fullmatch(text):  # the common case; a float is all a tolerance check needs
        return float(text)
    exact = parse_number(text)
    if exact is not None:
        return exact
    if formula is None or not_a_formula(text):
        return node.number()  # raises the node's own message: "expected a finite number, got .inf", ...
    try:
        value = formula.constant(node.value)
    except ExprError as error:
        raise node.error(f"expected a number: {error}") from None
    if value is None:
        raise node.error(f"expected a number, got a formula with variables: {node.describe()}")
    return value


def _formula(node: Node, formula: Formulas | None) -> Any:
    if not node.is_scalar or node.is_null:
        raise node.error(f"expected a formula, got {node.describe()}")
    if formula is None:
        raise node.error("this part takes no formula")
    try:
        return formula.parse(node.value)
    except ExprError as error:
        raise node.error(str(error)) from None


def _location_free(node: Node, message: str) -> str:
    """Keep 'line 5, column 12' but drop the file name: the report already says which file it is."""
    prefix = f"{node.file}:"
    return message[len(prefix) :] if message.startswith(prefix) else message

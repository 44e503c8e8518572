"""Reading a student's answer node as a value shaped like the reference answer (or saying why it can't be).

The reference decides the type: a number, a vector or matrix (nested tuples), named parts (a dict), a yes/no,
or a formula. A shape that can only mean the reference's is read as it (a one-element vector as `v`, `[v]` or
`[[v]]`; a vector as a row or a column; a 1xn or nx1 matrix as a flat list, a row or a column; positions as a list
of pairs), and so is a matrix's entries in one list, read row by row as text is; other shapes are kept as written
so that the checker can say "expected 2x2, got 2x3" or "transposed". Names of parameters are matched ignoring
case and decoration (`w1`, `W_1`, `W^{(1)}` for W1). Only text that cannot be an answer of that type at all is
invalid. Formulas go through the expression language, nowhere else.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from hwsolver.errors import ExprError, SpecError
from hwsolver.grading.decimal_texts import decimal, decimals
from hwsolver.memo import Bounded
from hwsolver.model import Symbolic
from hwsolver.spec.later import plain_later
from hwsolver.spec.node import LATER, Node, not_a_formula, parse_number, shape_of

_DECORATION = re.compile(r"[\s_^(){}\[\]]")  # W_1, W^(1), W^{(1)}: the lecture's W1
# dW1, dL/dW1, ∂L/∂W1, grad_W1: a gradient named after its parameter (tried only where the name means nothing else)
_GRADIENT_OF = re.compile(r"(?:[d∂](?:l|loss|e)?/[d∂]|grad|\\?nabla|∇|[d∂])(?=.)")


if TYPE_CHECKING:
    from hwsolver.grading.formulas import Formulas


class InvalidAnswer(Exception):
    """The answer cannot be read as an answer of the expected type; the message says why and where."""


def is_number(value: Any) -> bool:
    kind = type(value)
    if kind is float or kind is Fraction or kind is int:  # the common cases, without the ABC checks below
        return True
    return not isinstance(value, bool | tuple | list | Mapping | Symbolic | str) and value is not None


def read_answer(node: Node, reference: Any, formula: Formulas | None = None, positions: bool = False) -> Any:
    """The student's value for a part whose reference answer is `reference` (`positions`: its last axis is a
    [row, column] position, which may also be written as a list of pairs)."""
    try:
        return _read(node, reference, formula, positions)
    except SpecError as error:
        raise InvalidAnswer(_location_free(node, str(error))) from None


def _read(node: Node, reference: Any, formula: Formulas | None, positions: bool = False) -> Any:
    if type(reference) is float:  # a number (loss, count): neither the plain texts' nor the types' path below
        return number(node, formula)
    if node.content is LATER:
        found = read_decimals(node, reference, positions)
        if found is not None:
            return found[0]
    if isinstance(reference, bool):
        return node.boolean()
    if isinstance(reference, Symbolic):
        return _formula(node, formula)
    if isinstance(reference, Mapping):
        entries = node.mapping()
        try:
            names = match_names(entries, reference)
        except ValueError as error:
            raise node.error(str(error)) from None
        return {
            names[key]: _read(value, reference[names[key]], formula, positions)
            if names[key] in reference
            else _tensor(value)
            for key, value in entries.items()
        }
    if isinstance(reference, tuple):
        if reference and not rectangular(reference):
            items = node.items()
            return tuple(_read(item, ref, formula, positions) for item, ref in zip(items, reference)) + tuple(
                None for _ in items[len(reference) :]
            )
        return conform(_tensor(node, formula), reference, positions)
    return number(node, formula)


def read_decimals(node: Node, reference: Any, positions: bool = False) -> tuple[Any, Any] | None:
    """An answer not built yet whose every text is a plain decimal (nearly every array a class writes): its value
    as read_answer reads it, straight from its texts, and those texts (plain_later's, for written.decimals_written
    to write it without asking what each text is again); None for any other answer (read_answer decides)."""
    kind = type(reference)
    if node.content is not LATER or kind is float:
        return None  # built, or a number's part (a collection there is no number: number() says so)
    if kind is not tuple and kind is not dict and isinstance(reference, bool | Symbolic):
        return None  # a yes/no or formula part: their own paths read it
    texts = plain_later(node)
    value = None if texts is None else _plain(texts, reference, positions)
    return None if value is None else (value, texts)


def match_names(names: Mapping[str, Any], reference: Mapping[str, Any]) -> dict[str, str]:
    """Each name the student wrote -> the reference's name it means (itself when none); ValueError when two
    names mean the same one. Shared with the next caller for the same names: read it, never change it."""
    key = (tuple(names), tuple(reference))
    found = _MATCHED.get(key)
    if found is None:
        found = _match_names(names, reference)
        if sum(map(len, key[0])) <= 1024:  # a hostile answer's long names are not kept
            _MATCHED.keep(key, found)
    return found


# Names matched before (a class writes a few sets of names, each variant's reference has the same): bounded.
_MATCHED: Bounded[tuple[tuple[str, ...], tuple[str, ...]], dict[str, str]] = Bounded(1024)


def _match_names(names: Mapping[str, Any], reference: Mapping[str, Any]) -> dict[str, str]:
    forms: dict[str, str | None] = {}
    for key in reference:
        form = _DECORATION.sub("", key).casefold()
        forms[form] = None if form in forms else key  # two names alike: each is matched exactly only
    matched: dict[str, str] = {}
    for name in names:
        form = _DECORATION.sub("", name).casefold()
        gradient = _GRADIENT_OF.match(form)
        found = name if name in reference else forms.get(form) or (gradient and forms.get(form[gradient.end() :]))
        matched[name] = found or name
    seen: dict[str, str] = {}
    for name, key in matched.items():
        if key in seen:
            raise ValueError(f"{key} is given twice (as {seen[key]} and {name})")
        seen[key] = name
    return matched


def conform(value: Any, reference: tuple, positions: bool = False) -> Any:
    """`value` (a number or a rectangular array, as written) in the reference's shape when it can mean nothing
    else: the same entries in the same order, with axes of length 1 left out or added (for a vector: also a row
    or a column of a matrix; a matrix of one row or column: also as a column or row), a matrix's entries row by
    row in one list, or, for positions, the windows' pairs in one list. Otherwise as written."""
    if _same_shape(value, reference):  # as written (nearly every answer): nothing to turn
        return value
    want, got = shape_of(reference), shape_of(value)
    if got == want or not want or math.prod(got) != math.prod(want) or (got and not rectangular(value)):
        return value
    if len(want) == 1 or (len(want) == 2 and 1 in want and not positions):
        fits = _squeezed(got) == _squeezed(want)  # one row of n entries written as a column is not in doubt
    else:  # a matrix is never turned around otherwise (a transposed matrix is a slip the checker names)
        fits = got == _squeezed(want) or (positions and got[-1] == want[-1] and len(got) < len(want))
        fits = fits or (len(want) == 2 and len(got) == 1 and not positions)  # as read: row by row
    if not fits:
        return value
    entries: list[Any] = [value]
    for _ in got:
        entries = [entry for row in entries for entry in row]
    for size in reversed(want[1:]):
        entries = [tuple(entries[k : k + size]) for k in range(0, len(entries), size)]
    return tuple(entries)


def _same_shape(value: Any, reference: tuple) -> bool:
    """shape_of(value) == shape_of(reference), told without building either shape: the lengths along the first
    items agree, to the same depth."""
    while type(reference) is tuple:
        if not isinstance(value, tuple) or len(value) != len(reference):
            return False
        if not reference:
            return True
        value, reference = value[0], reference[0]
    return not isinstance(value, tuple) and not isinstance(reference, tuple)


def _squeezed(shape: tuple[int, ...]) -> tuple[int, ...]:
    return tuple(size for size in shape if size != 1)


def rectangular(value: Any) -> bool:
    """A vector, matrix or higher array of numbers (rows of equal length), as opposed to a list of answers
    (per layer or per sample: those may differ in length, or hold named parts)."""
    if type(value) is tuple and value:  # a vector or matrix of floats (nearly every one): told at a glance
        first = value[0]
        if type(first) is float:
            return True
        if type(first) is tuple and first and type(first[0]) is float:
            size = len(first)
            for row in value:  # noqa: SIM110 (a loop, not all() over a generator: asked of every array read)
                if type(row) is not tuple or len(row) != size:
                    return False
            return True
    level = [value]
    while True:
        first = level[0]
        if type(first) is not tuple:
            return is_number(first)
        size = len(first)
        if size == 0:
            return False
        for row in level:  # (a loop, not any() over a generator: positions' arrays of pairs come here each time)
            if type(row) is not tuple or len(row) != size:
                return False
        level = [item for row in level for item in row]


def all_zero(value: Any) -> bool:
    """A number or rectangular array whose every entry is 0 (zero biases added to a network that has none: they
    change nothing)."""
    if type(value) is tuple:
        return bool(value) and all(all_zero(item) for item in value)
    return is_number(value) and value == 0


def _tensor(node: Node, formula: Formulas | None = None) -> Any:
    if node.is_scalar:
        return number(node, formula)
    items = node.items()
    values = tuple(_tensor(item, formula) for item in items)
    # each row is already rectangular, so equal shapes of the rows (not just lengths) make the whole rectangular
    if len({shape_of(v) if isinstance(v, tuple) else () for v in values}) > 1:
        raise node.error("ragged array: its rows have different shapes")
    return values


def _plain(texts: Any, reference: Any, positions: bool) -> Any:
    """What _read makes of an answer's texts (plain scalars in lists and mappings) when they are decimals, or
    None wherever only the node path can say (a formula, a fraction, a wrong type: its message names the place)."""
    if isinstance(reference, tuple):  # the common case first, without asking the Mapping ABC (no tuple is one)
        if reference and not rectangular(reference):
            return None
        value = decimals(texts)
        return None if value is None else conform(value, reference, positions)
    if type(reference) is dict or isinstance(reference, Mapping):
        if type(texts) is not dict:
            return None
        try:
            names = match_names(texts, reference)
        except ValueError:
            return None
        values = {
            names[key]: _plain(item, reference[names[key]], positions) if names[key] in reference else decimals(item)
            for key, item in texts.items()
        }
        return None if None in values.values() else values
    return decimals(texts) if type(texts) is str and is_number(reference) else None


def number(node: Node, formula: Formulas | None = None) -> Any:
    """A number: a literal (0.274, 137/500, 1e-3), or a constant formula such as exp(-1) or 1/(1+exp(-2))."""
    if not node.is_scalar or node.is_null:
        raise node.error(f"expected a number, got {node.describe()}")
    text = node.value
    value = decimal(text)  # the common case; a float is all a tolerance check needs
    if value is not None:
        return value
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

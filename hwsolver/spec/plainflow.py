"""A given's flow text as a lock writes it (`{layers: [2, 2, 1], weights: {W1: [[0.4, -0.2], [0.8, 0.8]], W2:
[[0.7, 0.5]]}, activation: relu, ...}`) read straight into plain values, without YAML and without nodes: words as
str, plain decimals as Fractions, a list of decimals as a tuple of them, a list of such lists as a tuple of tuples
(a matrix, ragged or not), a mapping as a dict.

A class's entries of one problem share one shape (their keys and nesting; only numbers, words and lengths change):
each is read by one match of its shape's pattern, made from the first line of that shape as the general reader
(flowline.py) reads it, each group converted by what it holds. Text outside this subset (quotes, a fraction or an
exponent, a list of words, an empty collection, an array of three levels) gives None: the general reader reads it,
with the positions its messages need.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from fractions import Fraction
from typing import Any

from hwsolver.spec.flowline import read_line
from hwsolver.spec.node import LATER, Node, parse_number

_DECIMAL = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")  # a plain decimal: read by parse_number as Node.number reads it
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# A row's pattern finds where it ends (no bracket or brace can be in a decimal); its conversion checks every
# decimal in it (_number): a run of a character class is several times quicker to match than each number spelt out
_TEXTS = r"[^\[\]{}]+"
_ROW = rf"\[{_TEXTS}\]"
_MATRIX = rf"\[{_ROW}(?:, {_ROW})*\]"
_MOST_SHAPES = 8  # shapes learned by one reader (a problem's entries have one, or a few); past it, None
_NUMBERS: dict[str, Fraction] = {}  # decimals read before: a class's numbers are a few hundred texts drawn again
_MOST_NUMBERS = 4096


class _Irregular(Exception):
    """A line outside the subset."""


def _number(text: str) -> Fraction:
    value = _NUMBERS.get(text)
    if value is None:
        value = parse_number(text) if _DECIMAL.fullmatch(text) else None
        if value is None:  # (or more digits than a number may have): the general reader says what it is
            raise _Irregular
        if len(_NUMBERS) < _MOST_NUMBERS:
            _NUMBERS[text] = value
    return value


def _numbers(inner: str) -> tuple[Fraction, ...]:
    """The decimals of a row, from its text inside the brackets (`0.1, -0.2`)."""
    texts = inner.split(", ")
    try:
        return tuple(map(_NUMBERS.__getitem__, texts))  # (the common case: every number met before)
    except KeyError:
        return tuple(map(_number, texts))


def _row(text: str) -> tuple[Fraction, ...]:
    return _numbers(text[1:-1])


def _matrix(text: str) -> tuple[tuple[Fraction, ...], ...]:
    return tuple(map(_numbers, text[2:-2].split("], [")))


# What each group of a shape holds: (its pattern, how its text becomes a value)
_LEAVES: dict[str, tuple[str, Callable[[str], Any]]] = {
    "decimal": (r"-?[0-9.]+", _number),
    "word": (_WORD.pattern, str),  # (str of a str is that str)
    "row": (_ROW, _row),
    "matrix": (_MATRIX, _matrix),
}

# A mapping's plan: each key with None (a group, the next in the pattern) or the plan of the mapping it holds
_Plan = tuple[tuple[str, "_Plan | None"], ...]


class _Shape:
    """The pattern of the lines of one shape, each group's conversion, and the plan of its mappings."""

    def __init__(self, tree: dict[str, Node]) -> None:
        self.converts: list[Callable[[str], Any]] = []
        pieces: list[str] = []
        self.plan = self._mapping(tree, pieces)
        self.pattern = re.compile("".join(pieces))

    def _mapping(self, entries: dict[str, Node], pieces: list[str]) -> _Plan:
        if not entries:
            raise _Irregular
        plan = []
        pieces.append(r"\{")
        for index, (key, node) in enumerate(entries.items()):
            pieces.append(f"{', ' if index else ''}{re.escape(key)}: ")
            if isinstance(node.value, dict):
                plan.append((key, self._mapping(node.value, pieces)))
            else:
                pattern, convert = _LEAVES[_leaf(node)]
                self.converts.append(convert)
                pieces.append(f"({pattern})")
                plan.append((key, None))
        pieces.append(r"\}")
        return tuple(plan)

    def values(self, match: re.Match[str]) -> dict[str, Any]:
        # (operator.call is Python 3.11's: the project runs on 3.10 too)
        return _assembled(self.plan, (convert(group) for convert, group in zip(self.converts, match.groups())))


def _assembled(plan: _Plan, values: Iterator[Any]) -> dict[str, Any]:
    return {key: next(values) if inner is None else _assembled(inner, values) for key, inner in plan}


def _leaf(node: Node) -> str:
    """What a value that is no mapping is, as _LEAVES names it; _Irregular for any other."""
    value = node.value
    if isinstance(value, str):
        if node.plain and _DECIMAL.fullmatch(value):
            return "decimal"
        if node.plain and _WORD.fullmatch(value):
            return "word"
    elif isinstance(value, tuple) and value:
        items = {_leaf(item) for item in value}
        if items == {"decimal"}:
            return "row"
        if items == {"row"}:
            return "matrix"
    raise _Irregular


class PlainFlow:
    """One problem's lock entries read as plain values: the shapes of its lines, learned as met (a few)."""

    def __init__(self) -> None:
        self.shapes: list[_Shape] = []
        self.tried = 0  # lines of a new shape met, read or not (past _MOST_SHAPES: no more learned)

    def values(self, text: str) -> dict[str, Any] | None:
        """The plain values of `text`, a mapping in flow text as a lock writes it; None outside the subset."""
        try:
            for shape in self.shapes:
                match = shape.pattern.fullmatch(text)
                if match is not None:
                    return shape.values(match)
            shape = self._learned(text)
            match = None if shape is None else shape.pattern.fullmatch(text)  # (its own line always matches)
            return None if match is None else shape.values(match)  # type: ignore[union-attr]
        except _Irregular:
            return None

    def _learned(self, text: str) -> _Shape | None:
        if self.tried >= _MOST_SHAPES:
            return None
        self.tried += 1
        tree = read_line(Node(LATER, "", 1, 1, source=text))
        if not isinstance(tree, dict):
            return None
        shape = _Shape(tree)
        self.shapes.append(shape)
        return shape


# -- reading plain values (a kind's parse_plain) ---------------------------------------------------------------


def matrix_shape(value: Any) -> tuple[int, int] | None:
    """A matrix's (rows, columns) when every row has as many entries; None for anything else (ragged, a row)."""
    if type(value) is not tuple or type(value[0]) is not tuple:
        return None
    columns = len(value[0])
    for row in value:
        if len(row) != columns:
            return None
    return len(value), columns


def is_row(value: Any) -> bool:
    """Whether `value` is a list of decimals (PlainFlow's values: never empty)."""
    return type(value) is tuple and type(value[0]) is Fraction


def whole(value: Any, minimum: int) -> int | None:
    """A decimal that is an integer of at least `minimum`, as an int; None for anything else."""
    if type(value) is Fraction and value.denominator == 1 and value.numerator >= minimum:
        return value.numerator  # (an int's comparison: a Fraction's own goes through Python code)
    return None

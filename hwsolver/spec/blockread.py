"""A student's block of numbers read without YAML events: a matrix, or named matrices, as a class writes them in
block style ("- - 0.0\\n  - -0.0042\\n- - 0.2 ..." or "W1:\\n  - - 0.1 ..."), into plain_later's nested texts.

With a variant per student every answer is new, and PyYAML's event loop was about half of reading one. This
reader accepts only a narrow, unambiguous subset of block YAML: sequences (`- ` items, nested `- - ` on one line)
and mappings (`key:` at a line's start) of plain numbers, keys of letters, digits and `_`, each collection's
entries at one indentation, nothing else on a line. There a number means its own text to every YAML reader, and
the result is the one the event loop builds (tests compare the two). Anything else (quotes, comments, tabs, flow
collections, anchors, tags, blank lines, multi-line scalars, empty values, a duplicate key, a mapping in a
sequence's item, another spacing) is None: the event loop reads it, and decides.
"""

from __future__ import annotations

import re
from typing import Any

_NUMBER = r"[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?"
# A line: its indentation, its `- ` markers, then a key (with its number, or nothing: its value is on the lines
# below) or a number. Keys are short (YAML allows a simple key 1024 characters at most).
_LINE = re.compile(rf"( *)((?:- )*)(?:([A-Za-z_][A-Za-z0-9_]{{0,63}}):(?: ({_NUMBER}))?|({_NUMBER}))")
_MOST_DEEP = 16  # collections nested deeper are left to the event loop
_KEY, _NUMBER_AT = 2, 3  # in a line's parts: (indentation, markers, key, its number, the item's number)


class _Irregular(Exception):
    """Text outside the subset: the event loop reads it."""


def read_block(source: str, column: int) -> tuple[Any, ...] | dict[str, Any] | None:
    """The nested texts of a block collection whose `source` starts at `column` (its later lines whole, with
    their indentation), as plain_later's event loop builds them; None when the text is outside the subset."""
    lines = []
    for text in source.rstrip(" \n").split("\n"):  # (trailing spaces: no plain scalar holds them)
        match = _LINE.fullmatch(text)
        if match is None:
            return None
        indent, markers, key, keyed, number = match.groups()
        lines.append((len(indent), len(markers) // 2, key, keyed, number))
    first = lines[0]
    lines[0] = (column - 1 + first[0], *first[1:])  # the first line placed at its column, as it stood
    try:
        value, end = _Block(lines).node(0, 0, 1)
    except _Irregular:
        return None
    return value if end == len(lines) else None


class _Block:
    def __init__(self, lines: list[tuple[int, int, str | None, str | None, str | None]]) -> None:
        self.lines = lines

    def node(self, at: int, marker: int, depth: int) -> tuple[Any, int]:
        """The collection starting on line `at` at its `marker`-th `- ` (a sequence), or after its markers (a
        mapping: only at the line's start), and the line after it."""
        if depth > _MOST_DEEP:
            raise _Irregular
        indent, markers, key = self.lines[at][:3]
        if marker < markers:
            return self._sequence(at, marker, indent + 2 * marker, depth)
        if key is None:
            raise _Irregular  # a number alone (a multi-line scalar, perhaps)
        return self._mapping(at, indent, depth)

    def _sequence(self, at: int, marker: int, column: int, depth: int) -> tuple[tuple[Any, ...], int]:
        lines, items = self.lines, []
        while True:
            if marker + 1 < lines[at][1]:
                item, at = self.node(at, marker + 1, depth + 1)
            elif lines[at][_KEY] is None:
                item, at = lines[at][4], at + 1
            else:
                raise _Irregular  # a mapping in a sequence's item
            items.append(item)
            if at == len(lines) or lines[at][0] < column:
                return tuple(items), at
            if lines[at][0] > column:
                raise _Irregular  # a multi-line scalar, or indentation the subset does not hold
            if not lines[at][1]:
                return tuple(items), at  # a key: the mapping this sequence is the value of goes on
            marker = 0

    def _mapping(self, at: int, column: int, depth: int) -> tuple[dict[str, Any], int]:
        lines, entries = self.lines, {}
        while True:
            key, keyed = lines[at][_KEY], lines[at][_NUMBER_AT]
            if key in entries:
                raise _Irregular  # a key twice
            if keyed is not None:
                entries[key], at = keyed, at + 1
            else:  # its value below: more indented, or a sequence at the key's indentation
                at += 1
                if at == len(lines) or lines[at][0] < column or (lines[at][0] == column and not lines[at][1]):
                    raise _Irregular  # an empty value
                entries[key], at = self.node(at, 0, depth + 1)
            if at == len(lines) or lines[at][0] < column:
                return entries, at
            if lines[at][0] > column or lines[at][1]:
                raise _Irregular

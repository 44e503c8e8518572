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

from hwsolver.memo import Bounded

_NUMBER = r"[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?"
# A line: its indentation, its `- ` markers, then a key (with its number, or nothing: its value is on the lines
# below) or a number. Keys are short (YAML allows a simple key 1024 characters at most).
_LINE = re.compile(rf"( *)((?:- )*)(?:([A-Za-z_][A-Za-z0-9_]{{0,63}}):(?: ({_NUMBER}))?|({_NUMBER}))")
# A number as the line reader reads it: after the line's last space (a `- ` or `: `), to the line's end.
_LEAF = re.compile(rf"(?<=[-:] )({_NUMBER})$", re.MULTILINE)
_MOST_DEEP = 16  # collections nested deeper are left to the event loop
_MOST_SHAPES = 64  # shapes remembered (a class has about one per answer that is a collection)
_KEY, _KEYED, _ITEM = 2, 3, 4  # in a line's parts: (indentation, markers, key, its number, the item's number)


class _Irregular(Exception):
    """Text outside the subset: the event loop reads it."""


def read_block(source: str, column: int) -> tuple[Any, ...] | dict[str, Any] | None:
    """The nested texts of a block collection whose `source` starts at `column` (its later lines whole, with
    their indentation), as plain_later's event loop builds them; None when the text is outside the subset. The
    texts are shared with the next caller for the same block: read them, never change them."""
    key = (source, column)
    texts = _RECENT.get(key)
    if texts is None:
        BUILT[0] += 1
        texts = _texts(source, column)
        if texts is not None:
            _RECENT.keep(key, texts)
    return texts


# The texts of the blocks read lately, by source and column: a student's file is checked when read (blocktree.py
# reads each answer's block), then the grader reads each answer it has not seen (plain_later): built once.
_RECENT: Bounded[tuple[str, int], Any] = Bounded(64)  # (a file has a few dozen blocks)
BUILT = [0]  # texts built (a work counter for tests: once per block of a file)


def _texts(source: str, column: int) -> tuple[Any, ...] | dict[str, Any] | None:
    text = source.rstrip(" \n")  # (trailing spaces: no plain scalar holds them)
    key = (column, text.count("\n"), text.count("- "))  # (cheap to count: most shapes differ in them)
    for pattern, plan in _SHAPES.get(key, ()):
        match = pattern.fullmatch(text)
        if match is not None:
            return _fill(plan, match.groups())
    texts = _read(text, column)
    if texts is not None:
        _remember(text, key, texts)
    return texts


# The shapes of texts read, by their column and counts: (pattern, plan). A shape is a text with each number a group
# of a pattern, the text between them as it stands; a text it matches has the same lines, each the same but for
# its number (a group ends at its line's end: no number holds a line break), so the same tree with its own numbers.
# The plan is the tree with each number its group's index, and a list of numbers alone a slice of them.
_SHAPES: dict[tuple[int, int, int], list[tuple[re.Pattern[str], Any]]] = {}
READS = [0]  # texts read line by line (a work counter for tests: once per shape)


def _remember(text: str, key: tuple[int, int, int], texts: Any) -> None:
    pieces = _LEAF.split(text)  # the text between numbers, and the numbers
    plan = _plan(texts, [0])
    if _fill(plan, tuple(pieces[1::2])) != texts:  # (as it must: each number a leaf, in their order)
        return
    literal = pieces[::2]
    pattern = re.compile(f"({_NUMBER})".join(map(re.escape, literal)))
    if sum(map(len, _SHAPES.values())) >= _MOST_SHAPES:
        _SHAPES.clear()  # (a class has a few shapes: many are a hostile class's, or several classes')
    _SHAPES.setdefault(key, []).append((pattern, plan))


def _plan(texts: Any, count: list[int]) -> Any:
    if type(texts) is str:
        count[0] += 1
        return count[0] - 1
    if type(texts) is dict:
        return {key: _plan(value, count) for key, value in texts.items()}
    if all(type(item) is str for item in texts):
        count[0] += len(texts)
        return slice(count[0] - len(texts), count[0])
    return tuple([_plan(item, count) for item in texts])


def _fill(plan: Any, numbers: tuple[str, ...]) -> Any:
    kind = type(plan)
    if kind is int or kind is slice:
        return numbers[plan]
    if kind is dict:
        return {key: _fill(value, numbers) for key, value in plan.items()}
    return tuple([_fill(item, numbers) for item in plan])


def _read(text: str, column: int) -> tuple[Any, ...] | dict[str, Any] | None:
    """`text` read line by line."""
    READS[0] += 1
    lines = []
    for line in text.split("\n"):
        match = _LINE.fullmatch(line)
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
                item, at = lines[at][_ITEM], at + 1
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
            key, keyed = lines[at][_KEY], lines[at][_KEYED]
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

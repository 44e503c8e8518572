"""A lock's entry read without YAML: `given: {layers: [2, 2, 1], x: [0.2, 0.7], ...}` on one line, exactly as
variants.nodes.flow writes it (`, ` between items, `: ` after keys, plain scalars of a few safe characters).

A lock of 10,000 students is read one entry at a time by the workers, and libyaml's composer with its conversion to
Nodes was about half of building a variant. This reader accepts only a narrow, unambiguous subset of YAML, where
a plain scalar means its own text to every YAML reader, and gives the composer's tree, node for node (positions,
key paths and sources; tests compare the two). Anything else (quotes, comments, another spacing, a second line, a
duplicate key, other characters) is None: the YAML reader reads it, and says what is wrong, if anything.
"""

from __future__ import annotations

import re
from typing import Any

from hwsolver.spec.node import LATER, SCALAR, Node, place

_ROW = re.compile(rf"\[{SCALAR.pattern}(?:, {SCALAR.pattern})*\]")  # a list of scalars alone
_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_]*): ")
_END = re.compile(r"[ \n]*")  # what may follow the line in an entry's source: the next entry's indentation
_MOST_DEEP = 16  # collections nested deeper are left to the YAML reader (its own limit is 32)
_MOST_SHAPES = 16  # shapes of lines remembered (a lock has one per problem: its numbers change, not its keys)


class _Irregular(Exception):
    """Text outside the subset: the YAML reader reads it."""


def read_line(node: Node, *, rows: bool = False) -> tuple[Node, ...] | dict[str, Node] | None:
    """The content of `node`, a collection left unbuilt, as the YAML reader builds it, when its source is a flow
    collection, or a block mapping written `key: <flow collection>` on one line (a lock's entry); else None.
    With `rows`, each list of scalars is left unbuilt in turn (Node.tensor reads its numbers straight from its
    text: a variant's numbers each cost no node), and a line of a shape read before is read by its shape."""
    source = node.source
    if rows:
        shaped = _by_shape(node)
        if shaped is not None:
            return shaped
    reader = _Reader(source, node.file, node.line, node.column, rows)
    try:
        if source[:1] in ("[", "{"):
            value, end = reader.collection(0, node.base, node.step, 1)
            return value.content if end == len(source) else None  # type: ignore[return-value]
        head = _KEY.match(source)
        if head is None or source[head.end() : head.end() + 1] not in ("[", "{"):
            return None
        value, end = reader.collection(head.end(), node.path, head.group(1), 1)
    except _Irregular:
        return None
    if _END.match(source, end).end() != len(source):
        return None
    if rows and value.content is not LATER:  # (a row alone is no shape: its numbers are read from its text)
        pattern, plan = _shape(source[:end], value, node.column)
        _SHAPES.insert(0, (pattern, head.group(1), plan))
        del _SHAPES[_MOST_SHAPES:]
    return {head.group(1): value}


# The shapes of lines read lately, the last used first: (pattern, the line's key, plan). A shape is a line's text
# with each scalar and each row of scalars a group of a pattern, its keys, brackets and separators as they stand. A
# line the pattern matches has the same tree but for those texts and the positions they move: no leaf can reach
# into the literal text after it (a `,`, `]` or `}`, which no scalar holds).
_SHAPES: list[tuple[re.Pattern[str], str, tuple[Any, ...]]] = []


def _shape(text: str, tree: Node, column: int) -> tuple[re.Pattern[str], tuple[Any, ...]]:
    """The pattern of a line (`text`, at `column`) read into `tree`, and its plan: a leaf as (its group, its step,
    whether a row); a collection as (None, its step, whether a list, where it starts and where it ends, each as
    (the literal text it is in: the leaf before it, by group; 0 for the line's start), the offset there), the
    plans of its children)."""
    pieces: list[str] = []
    ends = [0]  # in `text`: where each leaf ends (the literal text after it starts there)

    def plan(node: Node) -> tuple[Any, ...]:
        at = node.column - column
        if node.content is LATER or type(node.content) is str:
            pieces.append(re.escape(text[ends[-1] : at]) + f"({(_ROW if node.content is LATER else SCALAR).pattern})")
            ends.append(at + len(node.source))
            return (len(ends) - 1, node.step, node.content is LATER)
        start = (len(ends) - 1, at - ends[-1])
        children = tuple(map(plan, node.value.values() if isinstance(node.value, dict) else node.value))
        end = (len(ends) - 1, at + len(node.source) - ends[-1])
        return (None, node.step, isinstance(node.value, tuple), start, end, children)

    whole = plan(tree)
    pieces.append(re.escape(text[ends[-1] :]))
    return re.compile("".join(pieces)), whole


def _by_shape(node: Node) -> dict[str, Node] | None:
    """A line's content by a shape it has, if any."""
    source = node.source
    for index, (pattern, key, plan) in enumerate(_SHAPES):
        match = pattern.match(source)
        if match is not None and _END.match(source, match.end()).end() == len(source):
            if index:
                _SHAPES.insert(0, _SHAPES.pop(index))
            return {key: _Shaped(match, node).collection(plan, node.path)}
    return None


class _Shaped:
    """A line's tree from its shape's match."""

    def __init__(self, match: re.Match[str], node: Node) -> None:
        self.match, self.node = match, node

    def collection(self, plan: tuple[Any, ...], base: str) -> Node:
        _, step, is_list, (start_leaf, start), (end_leaf, end), children = plan
        match, node = self.match, self.node
        file, line, column = node.file, node.line, node.column
        start += match.end(start_leaf) if start_leaf else 0
        end += match.end(end_leaf) if end_leaf else 0
        path = place(base, step)
        built: list[Node] = []
        for child in children:
            group, child_step, row = child[:3]
            if group is None:
                built.append(self.collection(child, path))
            else:
                text = match.group(group)
                at = column + match.start(group)
                built.append(Node(LATER if row else text, file, line, at, path, child_step, True, text))
        content = tuple(built) if is_list else {child.step: child for child in built}
        return Node(content, file, line, column + start, base, step, True, node.source[start:end])


class _Reader:
    def __init__(self, source: str, file: str, line: int, column: int, rows: bool) -> None:
        self.source, self.file, self.line, self.column, self.rows = source, file, line, column, rows

    def collection(self, at: int, base: str, step: str | int, depth: int) -> tuple[Node, int]:
        """The flow collection starting at `at` (its `[` or `{`), and where it ends."""
        if depth > _MOST_DEEP:
            raise _Irregular
        source = self.source
        path = place(base, step)
        if source[at] == "[":
            row = _ROW.match(source, at) if self.rows else None
            if row is not None:
                return Node(LATER, self.file, self.line, self.column + at, base, step, True, row.group()), row.end()
            items: list[Node] = []
            end = self._items(at + 1, "]", path, depth, items, None)
            content: tuple[Node, ...] | dict[str, Node] = tuple(items)
        else:
            keyed: dict[str, Node] = {}
            end = self._items(at + 1, "}", path, depth, None, keyed)
            content = keyed
        return Node(content, self.file, self.line, self.column + at, base, step, True, source[at:end]), end

    def _items(
        self, at: int, close: str, path: str, depth: int, items: list[Node] | None, keyed: dict[str, Node] | None
    ) -> int:
        """The items from `at` to the `close` that ends them (into `items`, or `keyed` by their keys); the index
        after `close`."""
        source = self.source
        if source[at : at + 1] == close:
            return at + 1
        while True:
            if keyed is not None:
                key = _KEY.match(source, at)
                if key is None or key.group(1) in keyed:
                    raise _Irregular  # not a simple key, or a key twice (the YAML reader names it)
                step: str | int = key.group(1)
                at = key.end()
            else:
                step = len(items)  # type: ignore[arg-type]
            char = source[at : at + 1]
            if char == "[" or char == "{":
                node, at = self.collection(at, path, step, depth + 1)
            else:
                scalar = SCALAR.match(source, at)
                if scalar is None:
                    raise _Irregular
                text = scalar.group()
                node = Node(text, self.file, self.line, self.column + at, path, step, True, text)
                at = scalar.end()
            if keyed is not None:
                keyed[step] = node  # type: ignore[index]
            else:
                items.append(node)  # type: ignore[union-attr]
            if source.startswith(", ", at):
                at += 2
            elif source[at : at + 1] == close:
                return at + 1
            else:
                raise _Irregular

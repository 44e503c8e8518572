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

from hwsolver.spec.node import LATER, SCALAR, Node, place

_ROW = re.compile(rf"\[{SCALAR.pattern}(?:, {SCALAR.pattern})*\]")  # a list of scalars alone
_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_]*): ")
_END = re.compile(r"[ \n]*")  # what may follow the line in an entry's source: the next entry's indentation
_MOST_DEEP = 16  # collections nested deeper are left to the YAML reader (its own limit is 32)


class _Irregular(Exception):
    """Text outside the subset: the YAML reader reads it."""


def read_line(node: Node, *, rows: bool = False) -> tuple[Node, ...] | dict[str, Node] | None:
    """The content of `node`, a collection left unbuilt, as the YAML reader builds it, when its source is a flow
    collection, or a block mapping written `key: <flow collection>` on one line (a lock's entry); else None.
    With `rows`, each list of scalars is left unbuilt in turn (Node.tensor reads its numbers straight from its
    text: a variant's numbers each cost no node)."""
    source = node.source
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
    return {head.group(1): value}


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

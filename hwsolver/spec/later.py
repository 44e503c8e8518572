"""Collections a reader left unbuilt (read_file's `lazy_below`), read when first used: as Nodes where they stood in
their file, or, for a grader meeting an answer it has not seen before, as bare nested texts without building nodes.
"""

from __future__ import annotations

from typing import Any

import yaml

from hwsolver.spec.blockread import read_block
from hwsolver.spec.flowline import read_line
from hwsolver.spec.node import LATER, Node
from hwsolver.spec.reader import Loader, parse_text


def read_later(node: Node, *, rows: bool = False) -> tuple[Node, ...] | dict[str, Node]:
    """The content of a collection left unbuilt, read from its source placed where it stood in its file (so
    that positions stay true) and under its own key path. A line of flow text as a lock writes it is read without
    YAML (flowline.py: with `rows`, its rows of numbers left unbuilt)."""
    line = read_line(node, rows=rows)
    if line is not None:
        return line
    placed = " " * (node.column - 1) + node.source  # at its column; its line is given, not padded (a lock's
    # student 100,000 lines in would cost the lines before it)
    return parse_text(placed, node.file, base=node.base, step=node.step, first_line=node.line).content


def read_apart(node: Node) -> Node:
    """The node with its collection read (if left unbuilt) into a new node, `node` itself left unbuilt: for what
    is read once and need not stay in memory with the tree it stands in (a student's numbers in a lock)."""
    if node.content is not LATER:
        return node
    return Node(
        read_later(node, rows=True), node.file, node.line, node.column, node.base, node.step, node.plain, node.source
    )


# The node plain_later last read and its texts: the grader asks twice for each answer it has not seen before (its
# value, then its text as written): parsing its block again cost about 5 % of a worker's time on a generated class.
_last: tuple[Node | None, Any] = (None, None)
PLAIN_PARSES = [0]  # blocks plain_later has parsed (a work counter for tests)
EVENT_PARSES = [0]  # of them, those read by YAML's event loop (not by blockread.py)


def plain_later(node: Node) -> tuple[Any, ...] | dict[str, Any] | None:
    """A collection left unbuilt, when it holds only plain scalars, lists and mappings (a matrix, named
    matrices): their texts as nested tuples and dicts, without building nodes, for a grader reading an answer it
    has not seen before. None for anything else (quoted text, a duplicate key, a syntax error): `node.value`
    then reads it, with positions for its messages. The texts are shared with the next caller for the same
    node: read them, never change them."""
    global _last
    if _last[0] is node:  # held while cached, so `is` cannot match another node at a reused address
        return _last[1]
    texts = _plain_texts(node)
    _last = (node, texts)
    return texts


def _plain_texts(node: Node) -> tuple[Any, ...] | dict[str, Any] | None:
    PLAIN_PARSES[0] += 1
    texts = read_block(node.source, node.column)  # a class's plain numbers in block style, without YAML
    return texts if texts is not None else _event_texts(node)


def _event_texts(node: Node) -> tuple[Any, ...] | dict[str, Any] | None:
    EVENT_PARSES[0] += 1
    loader = Loader(" " * (node.column - 1) + node.source)  # placed at its column: block indentation holds
    get_event = loader.get_event
    scalar, end = yaml.ScalarEvent, (yaml.SequenceEndEvent, yaml.MappingEndEvent)
    starts = {yaml.SequenceStartEvent: list, yaml.MappingStartEvent: dict}
    stack: list[Any] = []  # the open collections
    keys: list[str | None] = []  # for each, the key awaiting its value (mappings)

    def add(value: Any) -> bool:
        top = stack[-1]
        if type(top) is list:
            top.append(value)
        elif keys[-1] is not None:
            top[keys[-1]], keys[-1] = value, None
        elif type(value) is str and value not in top:
            keys[-1] = value
        else:
            return False  # a collection as a key, or a key twice
        return True

    try:
        while True:
            event = get_event()
            kind = type(event)
            if kind is scalar:
                if not stack or event.style or event.anchor is not None or event.tag is not None:
                    return None
                if not add(event.value):
                    return None
            elif kind in starts and event.anchor is None and event.tag is None:
                stack.append(starts[kind]())
                keys.append(None)
            elif kind in end:
                done = stack.pop()
                keys.pop()
                done = tuple(done) if type(done) is list else done
                if not stack:
                    return done
                if not add(done):
                    return None
            elif kind is not yaml.StreamStartEvent and kind is not yaml.DocumentStartEvent:
                return None
    except yaml.YAMLError:
        return None
    finally:
        loader.dispose()

"""Node trees for variants: a given path's steps, the subtree there, a copy with subtrees replaced, the numbers
under a subtree, and a tree written back as YAML flow text exactly as its scalars were written."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import yaml

from hwsolver.spec.node import Node, parse_number

Step = str | int
Path = tuple[Step, ...]
_RESOLVER, _TEXT = yaml.resolver.Resolver(), "tag:yaml.org,2002:str"
_STEP = re.compile(r"\.?([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]")
# a scalar that YAML flow text keeps unquoted, as written: no indicator first, no flow or comment character inside
_PLAIN = re.compile(r"(?:[^\s\[\]{},:#&*!|>'\"%@`?-]|-(?=\S))[^\[\]{},:#\x00-\x1f]*(?<!\s)")


def parse_path(text: str) -> Path | None:
    """`weights.W1[0][1]` as ("weights", "W1", 0, 1) (list positions from 0, as key paths in messages); None if
    the text is no path."""
    steps: list[Step] = []
    position = 0
    text = text.strip()
    while position < len(text):
        match = _STEP.match(text, position)
        if (
            not match
            or (match.group(1) and position > 0 and text[position] != ".")
            or (position == 0 and text[0] == ".")
        ):
            return None
        steps.append(match.group(1) if match.group(1) else int(match.group(2)))
        position = match.end()
    return tuple(steps) if steps and isinstance(steps[0], str) else None


def show_path(path: Path) -> str:
    return "".join(f"[{step}]" if isinstance(step, int) else (f".{step}" if i else step) for i, step in enumerate(path))


def find(node: Node, path: Path) -> Node | None:
    """The subtree at `path`, or None."""
    for step in path:
        value = node.value
        if isinstance(step, int):
            if not isinstance(value, tuple) or step >= len(value):
                return None
            node = value[step]
        else:
            if not isinstance(value, dict) or step not in value:
                return None
            node = value[step]
    return node


def rebuilt(node: Node, changes: dict[Path, Node], path: Path = ()) -> Node:
    """A copy of `node` with the subtree at each path of `changes` replaced, in one walk (each collection's
    source is its flow text, so that two trees written alike compare alike)."""
    return _rebuilt(node, changes, path)[0]


def _rebuilt(node: Node, changes: dict[Path, Node], path: Path) -> tuple[Node, str | None]:
    """rebuilt(), with the flow text of a collection it built (its children's, joined: each subtree's text is
    written once, not again for each collection above it), else None."""
    if path in changes:
        new = changes[path]
        return Node(new.content, new.file, new.line, new.column, node.base, node.step, new.plain, new.source), None
    if not any(p[: len(path)] == path for p in changes):
        return node, None
    value = node.value
    if isinstance(value, tuple):
        made = [_rebuilt(child, changes, (*path, i)) for i, child in enumerate(value)]
        content: tuple[Node, ...] | dict[str, Node] = tuple(child for child, _ in made)
        text = "[" + ", ".join(_flow(*pair) for pair in made) + "]"
    else:
        pairs = {key: _rebuilt(child, changes, (*path, key)) for key, child in value.items()}
        content = {key: child for key, (child, _) in pairs.items()}
        text = "{" + ", ".join(f"{key}: {_flow(*pair)}" for key, pair in pairs.items()) + "}"
    return Node(content, node.file, node.line, node.column, node.base, node.step, node.plain, text), text


def _flow(node: Node, text: str | None) -> str:
    return flow(node) if text is None else text


def numbers(node: Node, path: Path = ()) -> Iterator[tuple[Path, Node]]:
    """Every number under `node` (plain scalars written as numbers), with its path from `node`, in file order."""
    value = node.value
    if isinstance(value, str):
        if node.plain and parse_number(value) is not None:
            yield path, node
    elif isinstance(value, tuple):
        for index, child in enumerate(value):
            yield from numbers(child, (*path, index))
    else:
        for key, child in value.items():
            yield from numbers(child, (*path, key))


def scalar(text: str, like: Node) -> Node:
    """A plain scalar written `text`, standing where `like` stood."""
    return Node(text, like.file, like.line, like.column, like.base, like.step, True, text)


def flow(node: Node) -> str:
    """The tree as one line of YAML flow text, each scalar as written ([[0.6, 0.2], [0.1, 0.7]])."""
    value = node.value
    if isinstance(value, str):
        return value if node.plain and _PLAIN.fullmatch(value) else quoted(value)
    if isinstance(value, tuple):
        return "[" + ", ".join(flow(child) for child in value) + "]"
    return "{" + ", ".join(f"{key}: {flow(child)}" for key, child in value.items()) + "}"


def written(text: str) -> str:
    """Text as a YAML scalar that every YAML reader reads back as that text: plain where it can be, quoted where
    it would read as something else (00123, yes, null, 2024-10-15 are not text to PyYAML)."""
    plain = _PLAIN.fullmatch(text) and _RESOLVER.resolve(yaml.ScalarNode, text, (True, False)) == _TEXT
    return text if plain else quoted(text)


def quoted(text: str) -> str:
    """`text` as a quoted YAML scalar: single quotes (no escapes: LaTeX keeps its backslashes), or JSON's double
    quotes for text holding a line break or another control character."""
    if any(ord(char) < 32 or ord(char) == 127 for char in text):
        return json.dumps(text, ensure_ascii=False)
    return "'" + text.replace("'", "''") + "'"

"""The only YAML reader: safe loading with limits, exact numbers, and errors that name file, line and key path.

PyYAML's loaders turn `0.2` into the nearest float and resolve anchors, aliases and tags for us; we want none of
that. So we read the parser's event stream (libyaml's C parser where available) and build our own tree of
`Node`s (node.py), each scalar kept as its source text with its position. Most files are composed by libyaml in C
instead (composed.py): the same tree, without a Python object per event.
"""

from __future__ import annotations

import os
from pathlib import Path

import yaml

from hwsolver.errors import SpecError
from hwsolver.spec.blocktree import read_tree
from hwsolver.spec.composed import composed
from hwsolver.spec.node import LATER, Node, join, place
from hwsolver.spec.yaml_hints import syntax_hint

MAX_BYTES = 1_000_000
MAX_DEPTH = 32

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's C parser where available
_ESCAPE_HINT = " (in double quotes a backslash starts an escape: write LaTeX in single quotes or without quotes)"


# -- reading files ------------------------------------------------------------------------------------------


def read_file(
    path: str | Path | int, display: str | None = None, *, lazy_below: int | None = None, max_bytes: int = MAX_BYTES
) -> Node:
    """Read and parse one YAML file (or an open descriptor, closed after) into a Node tree; every failure is a
    SpecError naming the file.

    With `lazy_below`, collections nested that deep are checked but only built when first used (a grader that
    recognises an answer by its text never builds it).
    """
    name = display or str(path)
    return parse_text(read_text(path, name, max_bytes), name, lazy_below=lazy_below, max_bytes=max_bytes)


def read_text(path: str | Path | int, name: str, max_bytes: int = MAX_BYTES) -> str:
    """A file's text, as read_file reads it (at most `max_bytes`, UTF-8, not binary); a SpecError naming it else."""
    try:
        with open(path, "rb") as stream:
            # Read as much as the file holds (its size is known): asking for the whole cap costs each file a
            # megabyte's allocation. Pipes and the like say 0, and a file may grow meanwhile: up to the cap then.
            size = os.fstat(stream.fileno()).st_size
            data = stream.read(size + 1 if 0 < size <= max_bytes else max_bytes + 1)
            if len(data) == size + 1:
                data += stream.read(max_bytes + 1 - len(data))
    except OSError as error:
        raise SpecError(f"{name}: cannot read: {error.strerror or error}") from None
    if len(data) > max_bytes:
        raise SpecError(f"{name}: file is larger than {max_bytes // 1_000_000} MB")
    if b"\0" in data:
        raise SpecError(f"{name}: not a text file (binary content)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise SpecError(f"{name}: not UTF-8 text (byte {error.start})") from None
    return text


def parse_text(
    text: str,
    name: str = "<string>",
    *,
    lazy_below: int | None = None,
    base: str = "",
    step: str | int | None = None,
    max_bytes: int = MAX_BYTES,
    first_line: int = 1,
) -> Node:
    """Parse YAML text into a Node tree (one document; no anchors, aliases or tags); `base`, `step` and
    `first_line` place the root in a larger file when a lazy collection is read."""
    if len(text) > max_bytes // 4 and len(text.encode("utf-8", "surrogatepass")) > max_bytes:
        raise SpecError(f"{name}: file is larger than {max_bytes // 1_000_000} MB")
    # A class's files, read line by line (blocktree.py), else composed by libyaml in C (composed.py); else the
    # events say what is wrong, if anything.
    root = read_tree(text, name, lazy_below, base, step, first_line) if lazy_below else None  # (a root left unbuilt: 0)
    if root is None:
        root = composed(text, name, lazy_below, base, step, first_line, MAX_DEPTH)
    if root is not None:
        return root
    loader = Loader(text)
    try:
        root = _compose(loader, text, name, lazy_below, base, step, first_line)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = f"{name}:{mark.line + first_line}:{mark.column + 1}" if mark else name
        problem = syntax_hint(text, mark) or error.problem or error.context
        if problem and problem.startswith("found unknown escape character"):  # "\mathrm" in double quotes
            problem += _ESCAPE_HINT
        raise SpecError(f"{where}: YAML syntax error: {problem}") from None
    except yaml.reader.ReaderError as error:  # a character YAML does not allow; its own message has two lines
        line = text.count("\n", 0, error.position) + first_line
        column = error.position - text.rfind("\n", 0, error.position)
        raise SpecError(f"{name}:{line}:{column}: YAML error: {error.reason} (#x{error.character:04x})") from None
    except yaml.YAMLError as error:
        raise SpecError(f"{name}: YAML error: {error}") from None
    finally:
        loader.dispose()
    if root is None:
        raise SpecError(f"{name}: empty file")
    return root


class _Open:
    """A collection being composed: its start event, key path, children so far, and the key awaiting a value."""

    __slots__ = ("children", "key", "path", "start")

    def __init__(self, start: yaml.Event, path: str) -> None:
        self.start, self.path = start, path
        self.children: list[Node] | dict[str, Node] = [] if type(start) is yaml.SequenceStartEvent else {}
        self.key: Node | None = None

    def step(self) -> str | int | None:
        """The key or index the next child will have (None: the next child is a mapping key)."""
        if type(self.children) is list:
            return len(self.children)
        return self.key.value if self.key is not None else None

    def child_path(self) -> str:
        return place(self.path, self.step())

    def add_to_mapping(self, node: Node) -> None:
        if self.key is None:
            if type(node.content) is not str:
                raise node.error("mapping keys must be plain text")
            if node.value in self.children:
                raise SpecError(
                    f"{node.file}:{node.line}:{node.column}: {join(self.path, node.value)}: "
                    f"duplicate key '{node.value}'"
                )
            self.key = node
        else:
            self.children[self.key.value] = node
            self.key = None


def _compose(
    loader: yaml.BaseLoader,
    text: str,
    name: str,
    lazy_below: int | None,
    base: str,
    step: str | int | None,
    first: int = 1,
) -> Node | None:
    """Build the Node tree from parser events, refusing what a problem or answer file never needs.

    This loop runs once per event of every file graded: it dispatches on the exact event type and handles
    the commonest event (a scalar inside a list, as in a matrix) inline.
    """
    stack: list[_Open] = []
    root: Node | None = None  # the parser still reads to the end: a second document is an error
    documents = 0
    get_event = loader.get_event
    scalar, sequence = yaml.ScalarEvent, yaml.SequenceStartEvent
    while True:
        event = get_event()
        kind = type(event)
        if kind is scalar:
            if event.anchor is not None or (event.tag is not None and not event.implicit[0]):
                raise _refused(event, stack, name, first=first)
            mark, value = event.start_mark, event.value
            if not stack:
                root = Node(value, name, mark.line + first, mark.column + 1, base, step, not event.style, value)
                continue
            top = stack[-1]
            children = top.children
            if type(children) is list:
                node = Node(
                    value, name, mark.line + first, mark.column + 1, top.path, len(children), not event.style, value
                )
                children.append(node)
            else:  # a key stands for its own path; a value for its key's
                key = top.key.value if top.key is not None else value
                node = Node(value, name, mark.line + first, mark.column + 1, top.path, key, not event.style, value)
                top.add_to_mapping(node)
        elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
            done = stack.pop()
            mark = done.start.start_mark
            value = tuple(done.children) if type(done.children) is list else done.children
            top = stack[-1] if stack else None
            source = text[mark.index : event.end_mark.index]
            where = (top.path, top.step()) if top else (base, step)
            node = Node(value, name, mark.line + first, mark.column + 1, *where, True, source)
            if top is None:
                root = node
            elif type(top.children) is list:
                top.children.append(node)
            else:
                top.add_to_mapping(node)
        elif kind is sequence or kind is yaml.MappingStartEvent:
            if event.anchor is not None or (event.tag is not None and not event.implicit):
                raise _refused(event, stack, name, first=first)
            if len(stack) >= MAX_DEPTH:
                raise _refused(event, stack, name, f"nested deeper than {MAX_DEPTH} levels", first)
            if lazy_below is not None and len(stack) >= lazy_below:
                end = _skip(loader, event, stack, name, first)
                top, mark = stack[-1], event.start_mark
                source = text[mark.index : end.end_mark.index]
                node = Node(LATER, name, mark.line + first, mark.column + 1, top.path, top.step(), True, source)
                if type(top.children) is list:
                    top.children.append(node)
                else:
                    top.add_to_mapping(node)
                continue
            stack.append(_Open(event, stack[-1].child_path() if stack else place(base, step)))
        elif kind is yaml.AliasEvent:
            raise _refused(event, stack, name, first=first)
        elif kind is yaml.DocumentStartEvent:
            documents += 1
            if documents > 1:
                mark = event.start_mark
                raise SpecError(
                    f"{name}:{mark.line + first}:{mark.column + 1}: expected one YAML document, found several"
                )
        elif kind is yaml.StreamEndEvent:
            return root


def _skip(loader: yaml.BaseLoader, start: yaml.Event, stack: list[_Open], name: str, first: int = 1) -> yaml.Event:
    """Consume a collection's events up to its end, refusing the same things as the composer; the end event."""
    depth = 1
    get_event = loader.get_event  # names looked up once: this loop runs for most events of a class
    scalar, sequence, mapping = yaml.ScalarEvent, yaml.SequenceStartEvent, yaml.MappingStartEvent
    sequence_end, mapping_end = yaml.SequenceEndEvent, yaml.MappingEndEvent
    while depth:
        event = get_event()
        kind = type(event)
        if kind is scalar:
            if event.anchor is not None or (event.tag is not None and not event.implicit[0]):
                raise _refused(event, stack, name, first=first)
        elif kind is sequence_end or kind is mapping_end:
            depth -= 1
        elif kind is sequence or kind is mapping:
            if event.anchor is not None or (event.tag is not None and not event.implicit):
                raise _refused(event, stack, name, first=first)
            depth += 1
            if len(stack) + depth > MAX_DEPTH:
                raise _refused(event, stack, name, f"nested deeper than {MAX_DEPTH} levels", first)
        elif kind is yaml.AliasEvent:
            raise _refused(event, stack, name, first=first)
    return event


def _refused(event: yaml.Event, stack: list[_Open], name: str, why: str = "", first: int = 1) -> SpecError:
    """The message for an alias, anchor, tag or too deep a nesting, at the event's position and key path."""
    mark = event.start_mark
    path = stack[-1].child_path() if stack else ""
    if not why:
        if type(event) is yaml.AliasEvent:
            why = f"aliases (*{event.anchor}) are not allowed"
        elif event.anchor is not None:
            why = f"anchors (&{event.anchor}) are not allowed"
        else:
            why = f"tags ({event.tag}) are not allowed"
    return SpecError(f"{name}:{mark.line + first}:{mark.column + 1}: {path + ': ' if path else ''}{why}")

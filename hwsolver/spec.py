"""The only YAML reader: safe loading with limits, exact numbers, and errors that name file, line and key path.

PyYAML's loaders turn `0.2` into the nearest float and resolve anchors, aliases and tags for us; we want none of
that. So we read the parser's event stream (libyaml's C parser where available) and build our own tree of
`Node`s, each scalar kept as its source text with its position. Values are converted only when the caller says
what it expects (a number, a matrix, a boolean), which is where `0.2` becomes Fraction(1, 5) and where a bad
value gets its one-line message.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import yaml

from hwsolver.errors import SpecError

MAX_BYTES = 1_000_000
MAX_DEPTH = 32

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_TRUE = frozenset({"true", "yes", "on", "y", "是", "对", "真"})
_FALSE = frozenset({"false", "no", "off", "n", "否", "错", "假"})
_DECIMAL = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE]([+-]?\d+))?")
_RATIO = re.compile(r"([+-]?\d+)\s*/\s*([+-]?\d+)")
_NONFINITE = re.compile(r"[+-]?(?:\.?inf(?:inity)?|\.?nan)", re.IGNORECASE)
_MAX_DIGITS = 60
_MAX_EXPONENT = 300
_LATER = object()  # the content of a collection not built yet


@dataclass(slots=True)  # not frozen: frozen dataclasses are slow to build, and files have many nodes
class Node:
    """One value of a YAML file: scalar text, a tuple of nodes, or a dict of nodes, with where it stood.

    The key path ("given.weights.W2") is kept as its parent's path plus one step and only spelled out for a
    message; `source` is the text the value was written as (two equal sources are equal values).
    """

    content: str | tuple[Node, ...] | dict[str, Node] | object  # _LATER: a collection read on first use
    file: str
    line: int
    column: int
    base: str = ""  # the parent's key path
    step: str | int | None = None  # this node's key in its parent mapping, or index in its parent list
    plain: bool = True  # an unquoted scalar; quoted scalars are always text
    source: str = ""

    @property
    def value(self) -> str | tuple[Node, ...] | dict[str, Node]:
        if self.content is _LATER:
            self.content = parse_text(_padded(self), self.file, base=self.base, step=self.step).content
        return self.content  # type: ignore[return-value]

    @property
    def path(self) -> str:
        return _place(self.base, self.step)

    def error(self, message: str) -> SpecError:
        """A SpecError pointing at this node."""
        return SpecError(f"{self.file}:{self.line}:{self.column}: {self.path or '(top level)'}: {message}")

    # -- shapes ---------------------------------------------------------------------------------------------
    @property
    def is_scalar(self) -> bool:
        return type(self.content) is str

    @property
    def is_null(self) -> bool:
        return self.plain and type(self.content) is str and self.content in _NULLS

    def describe(self) -> str:
        """A short description of what this node is, for messages ("a list of 2", "'abc'")."""
        if isinstance(self.value, tuple):
            return f"a list of {len(self.value)}"
        if isinstance(self.value, dict):
            return "a mapping"
        if self.is_null:
            return "nothing"
        text = self.value if len(self.value) <= 40 else self.value[:37] + "..."
        return repr(text)

    def mapping(self) -> dict[str, Node]:
        if not isinstance(self.value, dict):
            raise self.error(f"expected a mapping, got {self.describe()}")
        return self.value

    def items(self) -> tuple[Node, ...]:
        if not isinstance(self.value, tuple):
            raise self.error(f"expected a list, got {self.describe()}")
        return self.value

    def fields(self, required: Iterable[str] = (), optional: Iterable[str] = ()) -> dict[str, Node]:
        """The mapping's entries, after checking that every required key is there and no unknown one is."""
        entries = self.mapping()
        required, optional = tuple(required), tuple(optional)
        for key in required:
            if key not in entries:
                raise self.error(f"missing key '{key}'")
        known = set(required) | set(optional)
        for key, node in entries.items():
            if key not in known:
                raise node.error(f"unknown key '{key}'; expected one of: {', '.join(sorted(known))}")
        return entries

    # -- scalars --------------------------------------------------------------------------------------------
    def text(self) -> str:
        if not isinstance(self.value, str) or self.is_null:
            raise self.error(f"expected text, got {self.describe()}")
        return self.value

    def number(self) -> Fraction:
        """The exact number written here: 2, 0.2 (= 1/5), 1e-3, 1/4."""
        if not isinstance(self.value, str) or self.is_null:
            raise self.error(f"expected a number, got {self.describe()}")
        value = parse_number(self.value)
        if value is None:
            if _NONFINITE.fullmatch(self.value.strip()):
                raise self.error(f"expected a finite number, got {self.value.strip()}")
            raise self.error(f"expected a number, got {self.describe()}")
        return value

    def integer(self, minimum: int | None = None) -> int:
        value = self.number()
        if value.denominator != 1:
            raise self.error(f"expected an integer, got {self.value}")
        if minimum is not None and value < minimum:
            raise self.error(f"expected an integer >= {minimum}, got {value}")
        return int(value)

    def boolean(self) -> bool:
        if isinstance(self.value, str) and not self.is_null:
            word = self.value.strip().lower()
            if word in _TRUE:
                return True
            if word in _FALSE:
                return False
        raise self.error(f"expected true or false, got {self.describe()}")

    def choice(self, options: Iterable[str]) -> str:
        options = tuple(options)
        word = self.text()
        if word not in options:
            raise self.error(f"unknown value '{word}'; expected one of: {', '.join(options)}")
        return word

    # -- arrays ---------------------------------------------------------------------------------------------
    def tensor(self, ndim: int, *, scalar_ok: bool = False) -> tuple:
        """A rectangular nested list of exact numbers with `ndim` levels (a scalar counts for a 1-vector)."""
        if ndim == 0:
            return self.number()
        if scalar_ok and ndim == 1 and self.is_scalar:
            return (self.number(),)
        rows = self.items()
        if not rows:
            raise self.error("expected a non-empty list")
        built = tuple(row.tensor(ndim - 1) for row in rows)
        first = shape_of(built[0])
        for index, (row, value) in enumerate(zip(rows, built), start=1):
            if shape_of(value) != first:
                what, unit = ("matrix", "entries") if ndim == 2 else ("array", "shape")
                got, want = (
                    (str(len(value)), str(first[0]))
                    if ndim == 2
                    else (format_shape(shape_of(value)), format_shape(first))
                )
                raise row.error(f"ragged {what}: row {index} has {got} {unit}, row 1 has {want}")
        return built

    def vector(self, size: int | None = None, *, scalar_ok: bool = True) -> tuple[Fraction, ...]:
        value = self.tensor(1, scalar_ok=scalar_ok)
        if size is not None and len(value) != size:
            raise self.error(f"expected a vector of {size}, got {len(value)}")
        return value

    def matrix(self, shape: tuple[int, int] | None = None) -> tuple[tuple[Fraction, ...], ...]:
        if self.is_scalar or any(row.is_scalar for row in self.items()):
            raise self.error(f"expected a matrix (a list of rows), got {self.describe()}")
        value = self.tensor(2)
        if shape is not None and shape_of(value) != shape:
            raise self.error(f"expected a {format_shape(shape)} matrix, got {format_shape(shape_of(value))}")
        return value


def shape_of(value: object) -> tuple[int, ...]:
    shape = []
    while isinstance(value, tuple):
        shape.append(len(value))
        value = value[0] if value else None
    return tuple(shape)


def format_shape(shape: tuple[int, ...]) -> str:
    return "x".join(map(str, shape)) if shape else "a scalar"


def parse_number(text: str) -> Fraction | None:
    """Exact value of a number literal (integer, decimal, scientific, p/q), or None if it is not one."""
    text = text.strip()
    if len(text) > _MAX_DIGITS:
        return None
    match = _DECIMAL.fullmatch(text)
    if match:
        if match.group(1) and abs(int(match.group(1))) > _MAX_EXPONENT:
            return None
        return Fraction(text)
    match = _RATIO.fullmatch(text)
    if match and int(match.group(2)) != 0:
        return Fraction(int(match.group(1)), int(match.group(2)))
    return None


# -- reading files ------------------------------------------------------------------------------------------


def read_file(path: str | Path, display: str | None = None, *, lazy_below: int | None = None) -> Node:
    """Read and parse one YAML file into a Node tree; every failure is a SpecError naming the file.

    With `lazy_below`, collections nested that deep are checked but only built when first used (a grader that
    recognises an answer by its text never builds it).
    """
    name = display or str(path)
    try:
        with open(path, "rb") as stream:
            data = stream.read(MAX_BYTES + 1)
    except OSError as error:
        raise SpecError(f"{name}: cannot read: {error.strerror or error}") from None
    if len(data) > MAX_BYTES:
        raise SpecError(f"{name}: file is larger than {MAX_BYTES // 1_000_000} MB")
    if b"\0" in data:
        raise SpecError(f"{name}: not a text file (binary content)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise SpecError(f"{name}: not UTF-8 text (byte {error.start})") from None
    return parse_text(text, name, lazy_below=lazy_below)


def parse_text(
    text: str, name: str = "<string>", *, lazy_below: int | None = None, base: str = "", step: str | int | None = None
) -> Node:
    """Parse YAML text into a Node tree (one document; no anchors, aliases or tags); `base` and `step` place
    the root in a larger file when a lazy collection is read."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise SpecError(f"{name}: file is larger than {MAX_BYTES // 1_000_000} MB")
    loader = _Loader(text)
    try:
        root = _compose(loader, text, name, lazy_below, base, step)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = f"{name}:{mark.line + 1}:{mark.column + 1}" if mark else name
        raise SpecError(f"{where}: YAML syntax error: {error.problem or error.context}") from None
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
        return _place(self.path, self.step())

    def add_to_mapping(self, node: Node) -> None:
        if self.key is None:
            if type(node.content) is not str:
                raise node.error("mapping keys must be plain text")
            if node.value in self.children:
                raise SpecError(
                    f"{node.file}:{node.line}:{node.column}: {_join(self.path, node.value)}: "
                    f"duplicate key '{node.value}'"
                )
            self.key = node
        else:
            self.children[self.key.value] = node
            self.key = None


def _compose(
    loader: yaml.BaseLoader, text: str, name: str, lazy_below: int | None, base: str, step: str | int | None
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
                raise _refused(event, stack, name)
            mark, value = event.start_mark, event.value
            if not stack:
                root = Node(value, name, mark.line + 1, mark.column + 1, base, step, not event.style, value)
                continue
            top = stack[-1]
            children = top.children
            if type(children) is list:
                node = Node(
                    value, name, mark.line + 1, mark.column + 1, top.path, len(children), not event.style, value
                )
                children.append(node)
            else:  # a key stands for its own path; a value for its key's
                step = top.key.value if top.key is not None else value
                node = Node(value, name, mark.line + 1, mark.column + 1, top.path, step, not event.style, value)
                top.add_to_mapping(node)
        elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
            done = stack.pop()
            mark = done.start.start_mark
            value = tuple(done.children) if type(done.children) is list else done.children
            top = stack[-1] if stack else None
            source = text[mark.index : event.end_mark.index]
            where = (top.path, top.step()) if top else (base, step)
            node = Node(value, name, mark.line + 1, mark.column + 1, *where, True, source)
            if top is None:
                root = node
            elif type(top.children) is list:
                top.children.append(node)
            else:
                top.add_to_mapping(node)
        elif kind is sequence or kind is yaml.MappingStartEvent:
            if event.anchor is not None or (event.tag is not None and not event.implicit):
                raise _refused(event, stack, name)
            if len(stack) >= MAX_DEPTH:
                raise _refused(event, stack, name, f"nested deeper than {MAX_DEPTH} levels")
            if lazy_below is not None and len(stack) >= lazy_below:
                end = _skip(loader, event, stack, name)
                top, mark = stack[-1], event.start_mark
                source = text[mark.index : end.end_mark.index]
                node = Node(_LATER, name, mark.line + 1, mark.column + 1, top.path, top.step(), True, source)
                if type(top.children) is list:
                    top.children.append(node)
                else:
                    top.add_to_mapping(node)
                continue
            stack.append(_Open(event, stack[-1].child_path() if stack else _place(base, step)))
        elif kind is yaml.AliasEvent:
            raise _refused(event, stack, name)
        elif kind is yaml.DocumentStartEvent:
            documents += 1
            if documents > 1:
                mark = event.start_mark
                raise SpecError(f"{name}:{mark.line + 1}:{mark.column + 1}: expected one YAML document, found several")
        elif kind is yaml.StreamEndEvent:
            return root


def _skip(loader: yaml.BaseLoader, start: yaml.Event, stack: list[_Open], name: str) -> yaml.Event:
    """Consume a collection's events up to its end, refusing the same things as the composer; the end event."""
    depth = 1
    while depth:
        event = loader.get_event()
        kind = type(event)
        if kind is yaml.ScalarEvent:
            if event.anchor is not None or (event.tag is not None and not event.implicit[0]):
                raise _refused(event, stack, name)
        elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
            if event.anchor is not None or (event.tag is not None and not event.implicit):
                raise _refused(event, stack, name)
            depth += 1
            if len(stack) + depth > MAX_DEPTH:
                raise _refused(event, stack, name, f"nested deeper than {MAX_DEPTH} levels")
        elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
            depth -= 1
        elif kind is yaml.AliasEvent:
            raise _refused(event, stack, name)
    return event


def _padded(node: Node) -> str:
    """A lazy collection's source, placed where it stood in its file so that positions stay true."""
    return "\n" * (node.line - 1) + " " * (node.column - 1) + node.source


def _refused(event: yaml.Event, stack: list[_Open], name: str, why: str = "") -> SpecError:
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
    return SpecError(f"{name}:{mark.line + 1}:{mark.column + 1}: {path or '(top level)'}: {why}")


def _place(base: str, step: str | int | None) -> str:
    """The key path of the child `step` (a key or a list index) of the node at `base`."""
    if step is None:
        return base
    return f"{base}[{step}]" if type(step) is int else _join(base, step)


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key

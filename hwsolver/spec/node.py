"""The value tree of a YAML file: scalar text kept as written, with its position and key path, and converted
only when the caller says what it expects (a number, a matrix, a boolean): that is where `0.2` becomes
Fraction(1, 5) and where a bad value gets its one-line message naming file, line, column and key path.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction

from hwsolver.errors import SpecError
from hwsolver.numbers.decimals import is_decimal

_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_TRUE = frozenset({"true", "yes", "on", "y", "是", "对", "真"})
_FALSE = frozenset({"false", "no", "off", "n", "否", "错", "假"})
_RATIO = re.compile(r"([+-]?\d+)\s*/\s*([+-]?\d+)")
_NONFINITE = re.compile(r"[+-]?(?:\.?inf(?:inity)?|\.?nan)", re.IGNORECASE)
_MAX_DIGITS = 60
# Plain scalars of characters that mean nothing to YAML inside a flow collection: no quote, no indicator (`:`, `#`,
# `&`, `*` first, `!`, `?`, `|`, `>`, ...), a `-` first only before a character of the scalar's own, never a space
# at either end (`log(1 + exp(x))`, `-0.25`, `1e-3`, `1/4`, `half_squared_error`): such a scalar means its own text
# to every YAML reader (spec/flowline.py reads a lock's lines with it, Node.tensor a list of them).
SCALAR = re.compile(r"(?:[A-Za-z0-9_.(+/]|-(?=[A-Za-z0-9_.(]))(?:[A-Za-z0-9_.+\-/()^* ]*[A-Za-z0-9_.+\-/()^*])?")
LATER = object()  # the content of a collection not built yet (later.py reads it on first use)


@dataclass(slots=True)  # not frozen: frozen dataclasses are slow to build, and files have many nodes
class Node:
    """One value of a YAML file: scalar text, a tuple of nodes, or a dict of nodes, with where it stood.

    The key path ("given.weights.W2") is kept as its parent's path plus one step and only spelled out for a
    message; `source` is the text the value was written as (two equal sources are equal values).
    """

    content: str | tuple[Node, ...] | dict[str, Node] | object  # LATER: a collection read on first use
    file: str
    line: int
    column: int
    base: str = ""  # the parent's key path
    step: str | int | None = None  # this node's key in its parent mapping, or index in its parent list
    plain: bool = True  # an unquoted scalar; quoted scalars are always text
    source: str = ""

    @property
    def value(self) -> str | tuple[Node, ...] | dict[str, Node]:
        if self.content is LATER:
            from hwsolver.spec.later import read_later  # later.py builds nodes: imported here to keep one direction

            self.content = _row_nodes(self) or read_later(self)
        return self.content  # type: ignore[return-value]

    @property
    def path(self) -> str:
        return place(self.base, self.step)

    @property
    def where(self) -> str:
        """file:line:column and key path, as a message starts (no path at the top level: 1:1 names it)."""
        path = self.path
        return f"{self.file}:{self.line}:{self.column}" + (f": {path}" if path else "")

    def error(self, message: str) -> SpecError:
        """A SpecError pointing at this node."""
        return SpecError(f"{self.where}: {message}")

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
        value = self.value
        if not isinstance(value, dict):
            raise self.error(f"expected a mapping, got {self.describe()}")
        return value

    def items(self) -> tuple[Node, ...]:
        value = self.value
        if not isinstance(value, tuple):
            raise self.error(f"expected a list, got {self.describe()}")
        return value

    def fields(self, required: Iterable[str] = (), optional: Iterable[str] = ()) -> dict[str, Node]:
        """The mapping's entries, after checking that every required key is there and no unknown one is."""
        entries = self.mapping()
        required, optional = tuple(required), tuple(optional)
        known = set(required) | set(optional)
        # Unknown keys first: a misspelt required key is better named as written than as missing.
        for key, node in entries.items():
            if key not in known:
                raise node.error(unknown_key(key, known, [k for k in required if k not in entries]))
        for key in required:
            if key not in entries:
                raise self.error(f"missing key '{key}'")
        return entries

    # -- scalars --------------------------------------------------------------------------------------------
    def text(self) -> str:
        if not isinstance(self.value, str) or self.is_null:
            raise self.error(f"expected text, got {self.describe()}")
        return self.value

    def number(self, *, minimum: int | None = None, above: int | None = None, what: str = "a number") -> Fraction:
        """The exact number written here: 2, 0.2 (= 1/5), 1e-3, 1/4; at least `minimum`, or more than `above`, where
        given (the message names it as `what`: "expected a margin >= 0")."""
        if minimum is None and above is None and type(self.content) is str:
            known = _READ.get(self.content)  # a number read before (no null text reads as one)
            if known is not None:
                return known
        if not isinstance(self.value, str) or self.is_null:
            raise self.error(f"expected a number, got {self.describe()}")
        value = parse_number(self.value)
        if value is None:
            if _NONFINITE.fullmatch(self.value.strip()):
                raise self.error(f"expected a finite number, got {self.value.strip()}")
            raise self.error(f"expected a number, got {self.describe()}")
        if minimum is not None and value < minimum:
            raise self.error(f"expected {what} >= {minimum}, got {self.value}")
        if above is not None and value <= above:
            raise self.error(f"expected {what} > {above}, got {self.value}")
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
        if ndim == 1 and self.content is LATER:
            numbers = _row_numbers(self.source)
            if numbers is not None:
                return numbers
        rows = self.items()
        if not rows:
            raise self.error("expected a non-empty list")
        if ndim == 1:  # rows of numbers are all of one shape
            return tuple(row.number() for row in rows)
        built = tuple(row.tensor(ndim - 1) for row in rows)
        if ndim == 2 and all(len(value) == len(built[0]) for value in built):
            return built  # a matrix's rows are vectors: their lengths are their shapes
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

    def row(self) -> tuple[Fraction, ...] | None:
        """The numbers of a list left unbuilt whose text is one row of plain numbers (a lock's), read without a
        node per number; None for anything else (a scalar, a built list, a list of lists, a non-number)."""
        return _row_numbers(self.source) if self.content is LATER else None

    def matrix(self, shape: tuple[int, int] | None = None) -> tuple[tuple[Fraction, ...], ...]:
        if self.is_scalar or any(row.is_scalar for row in self.items()):
            raise self.error(f"expected a matrix (a list of rows), got {self.describe()}")
        value = self.tensor(2)
        if shape is not None and shape_of(value) != shape:
            raise self.error(f"expected a {format_shape(shape)} matrix, got {format_shape(shape_of(value))}")
        return value


def _row_nodes(node: Node) -> tuple[Node, ...] | None:
    """The scalars of a list left unbuilt, when its text is `[s, s, ...]` of SCALARs on one line (a lock's rows):
    each where it stands, as the YAML reader builds them; else None."""
    texts = _row_texts(node.source)
    if texts is None:
        return None
    path, column, row = node.path, node.column + 1, []
    for index, text in enumerate(texts):
        row.append(Node(text, node.file, node.line, column, path, index, True, text))
        column += len(text) + 2
    return tuple(row)


def _row_numbers(source: str) -> tuple[Fraction, ...] | None:
    """The numbers of a list left unbuilt, read from its text when it is `[n, n, ...]` with each `n` a plain number
    (what node.number() reads it as, without a node per number); else None: the nodes are built, for messages."""
    if source[:1] != "[" or source[-1:] != "]":
        return None
    numbers = []
    for text in source[1:-1].split(", "):
        value = _ROW_NUMBERS.get(text)
        if value is None:  # not met before, or no number: matched and parsed as _row_texts and parse_number do
            value = parse_number(text) if SCALAR.fullmatch(text) else None
            if value is None:
                return None
            if len(_ROW_NUMBERS) < _READ_LIMIT:
                _ROW_NUMBERS[text] = value
        numbers.append(value)
    return tuple(numbers)


def _row_texts(source: str) -> list[str] | None:
    """The scalars' texts of `[s, s, ...]` (each a SCALAR, `, ` between them), or None for any other text."""
    if source[:1] != "[" or source[-1:] != "]":
        return None
    texts = source[1:-1].split(", ")
    return texts if all(SCALAR.fullmatch(text) for text in texts) else None


def close_match(word: str, candidates: Iterable[str]) -> str | None:
    """The candidate `word` most likely misspells (case aside), or None."""
    lowered = {name.lower(): name for name in candidates}
    close = difflib.get_close_matches(word.lower(), lowered, n=1, cutoff=0.75)
    return lowered[close[0]] if close else None


def unknown_key(key: str, known: Iterable[str], missing: Iterable[str] = ()) -> str:
    """The message for an unknown key: the close known one (a missing one first), or every known one."""
    known = sorted(known)
    close = close_match(key, missing) or close_match(key, known)
    if close:
        return f"unknown key '{key}'; did you mean '{close}'?"
    return f"unknown key '{key}'; expected one of: {', '.join(known)}"


def not_a_formula(text: str) -> bool:
    """A yes/no word or an infinity/NaN: never read as a formula, so that Node.number gives its own message."""
    word = text.strip().lower()
    return word in _TRUE or word in _FALSE or bool(_NONFINITE.fullmatch(word))


def shape_of(value: object) -> tuple[int, ...]:
    shape = []
    while isinstance(value, tuple):
        shape.append(len(value))
        value = value[0] if value else None
    return tuple(shape)


def format_shape(shape: tuple[int, ...]) -> str:
    return "x".join(map(str, shape)) if shape else "a scalar"


# Literals read before, with their values (Fractions are immutable: shared safely). A lock of 10,000 students
# holds a few hundred distinct values drawn again and again; parsing one costs about 40 times a look-up.
_READ: dict[str, Fraction | None] = {}
_READ_LIMIT = 4096
# Of them, the numbers written as a SCALAR: an entry of a row read from its text (_row_numbers) is one, and is
# then found without matching the pattern again (a lock's rows hold a few hundred distinct numbers)
_ROW_NUMBERS: dict[str, Fraction] = {}


def parse_number(text: str) -> Fraction | None:
    """Exact value of a number literal (integer, decimal, scientific, p/q), or None if it is not one."""
    value = _READ.get(text, False)
    if value is False:
        value = _parse_number(text)
        if len(_READ) < _READ_LIMIT and len(text) <= _MAX_DIGITS:
            _READ[text] = value
    return value  # type: ignore[return-value]


def _parse_number(text: str) -> Fraction | None:
    text = text.strip()
    if len(text) > _MAX_DIGITS:
        return None
    if is_decimal(text):
        return Fraction(text)
    match = _RATIO.fullmatch(text)
    if match and int(match.group(2)) != 0:
        return Fraction(int(match.group(1)), int(match.group(2)))
    return None


def place(base: str, step: str | int | None) -> str:
    """The key path of the child `step` (a key or a list index) of the node at `base`."""
    if step is None:
        return base
    return f"{base}[{step}]" if type(step) is int else join(base, step)


def join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key

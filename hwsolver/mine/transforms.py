"""The right answer changed the simple ways a student's work goes wrong: scaled by a constant, its sign flipped,
a matrix transposed, in the whole answer or in one of its items (a parameter, a layer); and an answer's numbers
by name (W2[1,2]) to find the one entry a slip changed. Nothing here reads student text: values come read.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from fractions import Fraction
from itertools import chain
from typing import Any

from hwsolver.grading.answers import is_number, rectangular
from hwsolver.grading.tally import index_text
from hwsolver.model import Symbolic
from hwsolver.spec.node import shape_of

Path = tuple[Any, ...]  # keys and indices from the whole answer to one of its items


def scaled(value: Any, factor: Fraction) -> Any:
    """`value` times `factor` (a formula as the formula times it); None for what cannot be scaled (yes/no)."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, Symbolic):
        return Symbolic(f"({factor})*({value.expr})", "", value.scope, value.domain)
    if isinstance(value, Mapping):
        items = {key: scaled(item, factor) for key, item in value.items()}
        return None if None in items.values() else items
    if isinstance(value, tuple):
        items = tuple(scaled(item, factor) for item in value)
        return None if None in items else items
    return float(value) * float(factor) if is_number(value) else None


def transposed(value: Any) -> Any:
    """A matrix turned round; None when it is no matrix or its own transpose."""
    if type(value) is not tuple or not rectangular(value) or len(shape_of(value)) != 2:
        return None
    turned = tuple(zip(*value))
    return None if turned == value else turned


def items(value: Any, base: int, path: Path = (), name: str = "") -> Iterator[tuple[str, Path]]:
    """Each item of an answer made of items (parameters by name, one answer per layer or sample), with its name,
    inner items too; nothing for a single number, array or formula."""
    if isinstance(value, Mapping):
        entries = [(key, str(key), item) for key, item in value.items()]
    elif type(value) is tuple and value and not rectangular(value):
        entries = [(n, f"item {n + base}", item) for n, item in enumerate(value)]
    else:
        return
    for step, label, item in entries:
        named = f"{name} {label}" if name else label
        yield named, (*path, step)
        yield from items(item, base, (*path, step), named)


def at(value: Any, path: Path) -> Any:
    for step in path:
        value = value[step]
    return value


def replaced(value: Any, path: Path, new: Any) -> Any:
    """`value` with the item at `path` replaced by `new`."""
    if not path:
        return new
    step, rest = path[0], path[1:]
    if isinstance(value, Mapping):
        return {**value, step: replaced(value[step], rest, new)}
    return tuple(replaced(item, rest, new) if n == step else item for n, item in enumerate(value))


def entries(value: Any, base: int, name: str = "") -> list[tuple[str, Any]] | None:
    """Every number of an answer with its name (W2[1,2], item 2[1]), in a fixed order; None when it holds
    anything but numbers."""
    if isinstance(value, Mapping):
        found = [entries(value[key], base, f"{name} {key}" if name else str(key)) for key in sorted(value, key=str)]
        return None if any(f is None for f in found) else list(chain.from_iterable(found))  # type: ignore[arg-type]
    if type(value) is tuple:
        if rectangular(value):
            shape = shape_of(value)
            flat = list(_flat(value))
            return [(f"{name}{index_text(k, shape, base)}", number) for k, number in enumerate(flat)]
        found = [entries(item, base, f"{name} item {n}".strip()) for n, item in enumerate(value, start=base)]
        return None if any(f is None for f in found) else list(chain.from_iterable(found))  # type: ignore[arg-type]
    return [(name, value)] if is_number(value) else None


def _flat(value: Any) -> Iterator[Any]:
    if type(value) is tuple:
        for item in value:
            yield from _flat(item)
    else:
        yield value

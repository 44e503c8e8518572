"""The numbers and yes/no values of an answer by their place in it (keys and positions): how rounding (rounding.py)
and follow-through compare answers number by number."""

from __future__ import annotations

import numbers
from collections.abc import Callable, Mapping
from fractions import Fraction
from typing import Any

from hwsolver.memo import Bounded

Path = tuple[Any, ...]


def leaves(value: Any, path: Path = ()) -> dict[Path, Any]:
    """The numbers and yes/no values in an answer by their place (keys and positions)."""
    found: dict[Path, Any] = {}
    _collect(value, path, found)
    return found


def answer_leaves(value: Any) -> dict[Path, Any]:
    """leaves(value) of an answer the grader keeps (a reference, a student's answer, a re-run), remembered by the
    answer's identity: each is compared with the reference, its rounding and every follow-through route, again
    and again, and none is changed once made. Read them, never change them."""
    kind = type(value)
    if not (kind is tuple or kind is dict):
        # a number or a yes/no (nearly half the answers asked for): its one leaf, without the walk; anything else
        # walked (and nothing to save)
        return {(): value} if kind is float or kind is bool or kind is int or kind is Fraction else leaves(value)
    hit = _REMEMBERED.get(id(value))
    if hit is not None:
        return hit[1]
    found = leaves(value)
    if len(found) <= _REMEMBER_NUMBERS:  # a hostile class's huge answers are not kept alive here
        _REMEMBERED.keep(id(value), (value, found))  # the answer kept with them: its identity is not reused meanwhile
    return found


_REMEMBER_NUMBERS = 256
_REMEMBERED: Bounded[int, tuple[Any, dict[Path, Any]]] = Bounded(4096)


def _collect(value: Any, path: Path, found: dict[Path, Any]) -> None:
    kind = type(value)
    if kind is float or kind is bool or kind is int or kind is Fraction:  # most leaves: no ABC asked
        found[path] = value
    elif kind is tuple or kind is list:
        for n, item in enumerate(value):
            if isinstance(item, float):  # a row's numbers (the reader's Written ones too): no call each
                found[(*path, n)] = item
            elif type(item) is tuple:  # a matrix's row (most arrays): its numbers too, without a call for the row
                row = (*path, n)
                for m, entry in enumerate(item):
                    if isinstance(entry, float):
                        found[(*row, m)] = entry
                    else:
                        _collect(entry, (*row, m), found)
            else:
                _collect(item, (*path, n), found)
    elif isinstance(value, float):  # a Written number (0.540): no ABC asked either
        found[path] = value
    elif kind is dict or isinstance(value, Mapping):
        for key, item in value.items():
            _collect(item, (*path, key), found)
    elif is_number(value):
        found[path] = value


def map_leaves(value: Any, change: Callable[[Path, Any], Any], path: Path = ()) -> Any:
    """The answer with each number and yes/no value replaced by change(place, value)."""
    kind = type(value)
    if kind is tuple or kind is list:
        return tuple(map_leaves(item, change, (*path, n)) for n, item in enumerate(value))
    if kind is dict or isinstance(value, Mapping):
        return {key: map_leaves(item, change, (*path, key)) for key, item in value.items()}
    return change(path, value) if kind is bool or is_number(value) else value


def shifted(value: Any, path: Path, change: float) -> Any:
    """map_leaves(value, ...) with the number at `path` moved by `change`, the rest as it is: an answer as the
    grader reads it (tuples and dicts) is rebuilt along the path alone (follow-through moves each number a student
    wrote in turn, and rebuilding the whole answer for each cost a call per number, per number)."""
    if not path:
        return value + change
    head, rest = path[0], path[1:]
    kind = type(value)
    if kind is tuple:
        return (*value[:head], shifted(value[head], rest, change), *value[head + 1 :])
    if kind is dict:
        copy = dict(value)
        copy[head] = shifted(value[head], rest, change)
        return copy
    return map_leaves(value, lambda at, x: x + change if at == path else x)  # lists, other mappings: as tuples, dicts


def is_number(value: Any) -> bool:
    """A real number (not a yes/no, a formula or text)."""
    kind = type(value)
    if kind is float or kind is int or kind is Fraction:
        return True
    return kind is not bool and isinstance(value, numbers.Real)

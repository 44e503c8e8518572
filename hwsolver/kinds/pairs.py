"""Two of a kind's mistakes made together: the kind's one computation with both switches on (Kind.pairs).

A kind whose mistakes are switches of one computation (keyword arguments, or a frozen dataclass of switches that
are all off by default) lists them as (mistake id, switches) and hands `paired` its way of running them. `hwsolver
mine` compares the answers a class shares with each pair; the grader never names a pair.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import fields, replace
from fractions import Fraction
from itertools import combinations
from typing import Any, TypeVar

from hwsolver.model import Mutant

S = TypeVar("S")


def paired(
    switches: Sequence[tuple[str, S]],
    combine: Callable[[S, S], S | None],
    run: Callable[[S], Mapping[str, Any] | None],
) -> tuple[Mutant, ...]:
    """Each two mistakes with both switches on (id "first+second"), where `combine` can put them together and `run`
    gives answers (None or nothing: the computation cannot be carried out with both, or changes nothing)."""
    found = []
    for (first, one), (second, other) in combinations(switches, 2):
        both = combine(one, other)
        answers = run(both) if both is not None else None
        if answers:
            found.append(Mutant(f"{first}+{second}", f"the mistakes {first} and {second} together", answers))
    return tuple(found)


def changed(answers: Mapping[str, Any], right: Mapping[str, Any]) -> dict[str, Any]:
    """The answers (of a float run) that differ from the right ones by more than float rounding."""
    return {part: value for part, value in answers.items() if not _close(value, right.get(part))}


def _close(value: Any, right: Any) -> bool:
    if isinstance(value, Mapping):
        return (
            isinstance(right, Mapping)
            and value.keys() == right.keys()
            and all(_close(value[key], right[key]) for key in value)
        )
    if isinstance(value, tuple | list):
        return (
            isinstance(right, tuple | list)
            and len(value) == len(right)
            and all(_close(a, b) for a, b in zip(value, right))
        )
    if _number(value) and _number(right):
        return math.isclose(float(value), float(right), rel_tol=1e-9, abs_tol=1e-12)
    return bool(value == right)


def _number(value: Any) -> bool:
    return isinstance(value, int | float | Fraction) and not isinstance(value, bool)


def merged(one: S, other: S) -> S | None:
    """Two sets of switches (a frozen dataclass, every field off by default) on together; None where they set one
    switch two different ways."""
    changes = {}
    for field in fields(one):  # type: ignore[arg-type]
        a, b = getattr(one, field.name), getattr(other, field.name)
        if a != field.default and b != field.default and a != b:
            return None
        changes[field.name] = a if a != field.default else b
    return replace(one, **changes)  # type: ignore[type-var]


def merged_showing(
    one: tuple[S, tuple[str, ...]], other: tuple[S, tuple[str, ...]]
) -> tuple[S, tuple[str, ...]] | None:
    """Two mistakes given as (switches, the parts they show in) on together: the switches merged, the parts of
    either."""
    both = merged(one[0], other[0])
    return None if both is None else (both, tuple(dict.fromkeys(one[1] + other[1])))


def merged_keywords(one: Mapping[str, Any], other: Mapping[str, Any]) -> dict[str, Any] | None:
    """Two slips given as keyword arguments on together; None where both set the same one."""
    return None if one.keys() & other.keys() else {**one, **other}


def together(one: str, other: str) -> tuple[str, str]:
    """Two slips named for a computation that takes several names at once."""
    return (one, other)

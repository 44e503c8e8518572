"""Grading options a problem (under `grading:`) or a part may set: one table, from each name to how its value is
read and checked. A new option is one entry in OPTIONS (and the grader code that reads it); problems.py accepts
exactly these names, and a value out of range is a spec error at its file, line and column.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from hwsolver.expr.catalog import ALIASES, FUNCTIONS, PRIMED_BUILTINS, SOFT_ALIASES, SPECIAL_FORMS
from hwsolver.spec.node import Node, close_match

MAX_SIGFIGS = 17  # float64 holds 15 to 17 significant digits: more cannot be checked


@dataclass(frozen=True)
class Option:
    """How one option's value is read from its node (raising the node's SpecError when it is out of range)."""

    read: Callable[[Node], Any]
    meaning: str  # one line, for whoever adds the next option


def share(node: Node) -> Fraction:
    """A share of a part's points, from 0 to 1 (credits)."""
    value = node.number()
    if not 0 <= value <= 1:
        raise node.error(f"expected a share of the points from 0 to 1, got {node.value}")
    return value


def _relative_tolerance(node: Node) -> Fraction:
    value = node.number()
    if not 0 <= value < 1:
        raise node.error(f"expected a relative tolerance from 0 to below 1 (0.01 is 1%), got {node.value}")
    return value


def _absolute_tolerance(node: Node) -> Fraction:
    return node.number(minimum=0, what="an absolute tolerance")


def _sigfigs(node: Node) -> int:
    value = node.number()
    if value.denominator != 1 or not 1 <= value <= MAX_SIGFIGS:
        raise node.error(f"expected a whole number of significant figures from 1 to {MAX_SIGFIGS}, got {node.value}")
    return int(value)


# The functions `form` may name: those a formula can call (sigmoid'(x) counts as sigmoid), by their catalog names.
FORM_FUNCTIONS = tuple(
    sorted(
        {name for name in FUNCTIONS if name not in PRIMED_BUILTINS.values()}
        | {name for name in SPECIAL_FORMS if name not in ("Sum", "Derivative")},
        key=str.lower,
    )
)
_FORM_SPELLINGS = {**{k: v for k, v in SOFT_ALIASES.items() if v in FORM_FUNCTIONS}, **ALIASES}


class Form(Mapping[str, tuple[str, ...]]):
    """`form: {uses: [...], avoids: [...]}` with the functions' catalog names, and where it was written (for the
    message when the problem's own answer is not in that form)."""

    def __init__(self, entries: Mapping[str, tuple[str, ...]], where: str) -> None:
        self._entries, self.where = dict(entries), where

    def __getitem__(self, key: str) -> tuple[str, ...]:
        return self._entries[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)

    def __repr__(self) -> str:
        return f"Form({self._entries!r})"


def _form(node: Node) -> Form:
    entries = node.fields(optional=("uses", "avoids"))
    return Form({key: tuple(_function(item) for item in value.items()) for key, value in entries.items()}, node.where)


def _function(node: Node) -> str:
    name = node.text().strip()
    name = _FORM_SPELLINGS.get(name, name)
    if name in FORM_FUNCTIONS:
        return name
    close = close_match(name, FORM_FUNCTIONS)
    hint = f"did you mean '{close}'? " if close else ""
    raise node.error(f"unknown function '{name}'; {hint}known functions: {', '.join(FORM_FUNCTIONS)}")


OPTIONS: dict[str, Option] = {
    "rtol": Option(_relative_tolerance, "the symmetric test |a-b| <= atol + rtol max(|a|,|b|); turns sigfigs off"),
    "atol": Option(_absolute_tolerance, "the absolute part of that test; turns sigfigs off"),
    "sigfigs": Option(_sigfigs, "accept a rounding to this many figures, or a truncation to as many (default 3)"),
    "partial": Option(Node.boolean, "per-entry credit for answers of several entries (default true)"),
    "coarse_credit": Option(share, "share for a number right only to fewer figures than sigfigs (default 1/2)"),
    "transposed_credit": Option(share, "share for a matrix given as its transpose (default 1/2)"),
    "follow_through": Option(share, "share of the points for work right from the student's own earlier answers"),
    "convention_credit": Option(share, "share for a count right under another documented convention (default 1)"),
    "form": Option(_form, "{uses: [sigmoid], avoids: [exp]}: the functions a formula must and must not use"),
    "form_credit": Option(share, "share for a formula that is right but not in the required form (default 1/2)"),
    # which names it may use is the kind's business: problems.py checks them against the kind's mistakes table
    "mistake_credit": Option(
        lambda node: {name: share(value) for name, value in node.mapping().items()},
        "{kernel_not_rotated: 0.5}: the share each named mistake earns (defaults: the kind's mistakes table)",
    ),
}


def read_options(node: Node, allowed: tuple[str, ...] = ()) -> dict[str, Any]:
    """The grading options set in a mapping (a problem's `grading:`, or a part beside its `allowed` keys)."""
    entries = node.fields(optional=(*allowed, *OPTIONS))
    return {key: option.read(entries[key]) for key, option in OPTIONS.items() if key in entries}

"""The given of an index_gradient problem: its keys (GIVEN), and the function, vectors and indices they declare."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import sympy

from hwsolver.errors import ExprError
from hwsolver.expr import Scope, parse, to_sympy
from hwsolver.expr.sympy_build import array as vector
from hwsolver.expr.sympy_build import index
from hwsolver.kinds.base import Given, Key
from hwsolver.spec.node import Node


@dataclass(frozen=True)
class IndexGradientGiven:
    """f (a parsed formula), the element x[k] it is differentiated by, and the names f may use."""

    function: Any
    wrt: str  # the vector
    index: str  # the wrt element's index, k in x[k]
    vectors: tuple[tuple[str, str], ...]  # (vector, size symbol)
    indices: tuple[str, ...]
    free: str | None  # f's free index (the Jacobian's row), if it has one
    rows: str  # the vector the free index runs over (the wrt vector when there is none)
    values: tuple[tuple[str, tuple[Fraction, ...]], ...] = ()  # concrete vectors for the Jacobian

    @property
    def scope(self) -> Scope:
        return Scope(vectors=dict(self.vectors), indices=self.indices)


GIVEN = Given(
    (
        Key(
            "function",
            "a formula in the declared vectors' elements (the expression language)",
            "f, with at most one free index (the Jacobian's row)",
            "log_softmax(x)[i]",
        ),
        Key("wrt", "one element of a declared vector, as x[k]", "what f is differentiated by", "x[k]"),
        Key("vectors", "vector names, each with its size symbol", "the vectors f reads, as {x: C}", "{x: C}"),
        Key("indices", "a list of names", "the index names f and wrt may use", "[i, k]"),
        Key(
            "values",
            "vectors of numbers by name (one per declared vector)",
            "concrete values: asks for the Jacobian there too",
            "{x: [0.5, -1, 2]}",
            default="(none: no jacobian part)",
        ),
    )
)


def parse_given(node: Node) -> IndexGradientGiven:
    fields = GIVEN.fields(node)
    vectors = tuple((name, entry.text()) for name, entry in fields["vectors"].mapping().items())
    indices = tuple(item.text() for item in fields["indices"].items())
    try:
        scope = Scope(vectors=dict(vectors), indices=indices)
    except ExprError as exc:
        raise node.error(str(exc).removeprefix("scope: ")) from None
    function, f = _formula(fields["function"], scope)
    _, wrt_node = _formula(fields["wrt"], scope)
    if not isinstance(wrt_node, sympy.Indexed) or not isinstance(wrt_node.indices[0], sympy.Symbol):
        written = fields["wrt"].text()
        raise fields["wrt"].error(
            f"expected one element of a vector with a declared index, as in x[k]; got '{written}'"
        )
    name, k = str(wrt_node.base.label), str(wrt_node.indices[0])
    free = sorted(str(s) for s in f.free_symbols if str(s) in indices)
    if k in free:
        raise fields["wrt"].error(f"the function uses {k}; differentiate by an element whose index it does not use")
    if not f.has(vector(name)):
        raise fields["wrt"].error(f"the function does not depend on {name}")
    values = _values(fields["values"], vectors) if "values" in fields else ()
    if values and len(free) > 1:
        raise fields["values"].error(f"a Jacobian needs a function with at most one free index, not {', '.join(free)}")
    rows = next((str(e.base.label) for e in f.atoms(sympy.Indexed) if free and e.indices == (index(free[0]),)), name)
    return IndexGradientGiven(function, name, k, vectors, indices, free[0] if free else None, rows, values)


def _formula(node: Node, scope: Scope) -> tuple[Any, sympy.Expr]:
    written = node.text()
    try:
        tree = parse(written, scope)
    except ExprError as exc:
        raise node.error(f"cannot read '{written}': {exc}") from None
    return tree, to_sympy(tree)


def _values(node: Node, vectors: tuple[tuple[str, str], ...]) -> tuple[tuple[str, tuple[Fraction, ...]], ...]:
    entries = node.fields(tuple(name for name, _ in vectors))
    found: dict[str, tuple[Fraction, ...]] = {}
    lengths: dict[str, int] = {}  # vectors of the same size symbol must have the same length
    for name, size_name in vectors:
        found[name] = entries[name].vector(lengths.get(size_name), scalar_ok=False)
        lengths[size_name] = len(found[name])
    return tuple(found.items())

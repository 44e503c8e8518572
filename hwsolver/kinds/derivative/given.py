"""The given of a derivative problem: its keys (GIVEN), and the function, orders and rewrite they ask for."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sympy

from hwsolver.errors import ExprError
from hwsolver.expr import Scope, equivalent, parse, to_sympy
from hwsolver.expr.sympy_build import variable
from hwsolver.kinds.base import Given, Key
from hwsolver.kinds.derivative.forms import REWRITES, in_terms_of
from hwsolver.spec.node import Node

MAX_ORDER = 5
_DOMAIN = (-4.0, 4.0)


@dataclass(frozen=True)
class DerivativeGiven:
    """The function (a parsed formula in `variable`), the orders asked for, and the function to write them in."""

    function: Any
    variable: str
    orders: tuple[int, ...]
    rewrite: str | None = None
    domain: tuple[float, float] = _DOMAIN

    @property
    def scope(self) -> Scope:
        return Scope(variables=(self.variable,))

    def answer_scope(self, order: int) -> Scope:
        """The scope of the answer d<order>: for the sigmoid itself, σ' (σ'') is what d1 (d2) asks for, so an
        answer using that derivative, or a higher one, restates the question."""
        sigmoid = parse(f"sigmoid({self.variable})", self.scope)
        if equivalent(sigmoid, self.function, self.scope, domain=self.domain).equal is not True:
            return self.scope
        asked = ("sigmoid'", "sigmoid''")[order - 1 :]
        return Scope(variables=(self.variable,), asked=asked)

    @property
    def symbol(self) -> sympy.Symbol:
        return variable(self.variable)  # as the expression module builds variables


GIVEN = Given(
    (
        Key(
            "function", "a formula in the variable (the expression language)", "f, to differentiate", "1/(1 + exp(-x))"
        ),
        Key("variable", "a name", "the variable f is a function of", "x"),
        Key("orders", f"an integer from 1 to {MAX_ORDER}, or a list of them", "the derivatives asked for", "[1, 2]"),
        Key(
            "rewrite",
            f"one of {', '.join(REWRITES)}",
            "write every result in terms of this function of the variable (no exp left), factored",
            "sigmoid",
            default="(as differentiation gives it, factored)",
        ),
        Key(
            "domain",
            "[low, high] with low < high",
            "where answers are compared with a student's formula, and with direct differentiation",
            "[-4, 4]",
            default="[-4, 4]",
        ),
    )
)


def parse_given(node: Node) -> DerivativeGiven:
    fields = GIVEN.fields(node)
    variable = fields["variable"].text()
    try:
        scope = Scope(variables=(variable,))
    except ExprError as exc:
        raise fields["variable"].error(str(exc).removeprefix("scope: ")) from None
    written = fields["function"].text()
    try:
        function = parse(written, scope)
    except ExprError as exc:
        raise fields["function"].error(f"cannot read '{written}': {exc}") from None
    given = DerivativeGiven(function, variable, _orders(fields["orders"]))
    f, x = to_sympy(function), given.symbol
    if not f.has(x):
        raise fields["function"].error(f"'{written}' does not depend on {variable}")
    if "rewrite" in fields:
        name = fields["rewrite"].choice(REWRITES)
        try:
            in_terms_of(f, x, REWRITES[name])
        except ValueError as exc:
            raise fields["rewrite"].error(f"cannot write '{written}' in terms of {name}({variable}): {exc}") from None
        given = DerivativeGiven(function, variable, given.orders, name)
    if "domain" in fields:
        low, high = fields["domain"].vector(2, scalar_ok=False)
        if low >= high:
            raise fields["domain"].error(f"expected [low, high] with low < high, got [{low}, {high}]")
        given = DerivativeGiven(function, variable, given.orders, given.rewrite, (float(low), float(high)))
    return given


def _orders(node: Node) -> tuple[int, ...]:
    items = (node,) if node.is_scalar else node.items()
    if not items:
        raise node.error("expected at least one order, as in [1, 2]")
    orders: list[int] = []
    for item in items:
        order = item.integer(minimum=1)
        if order > MAX_ORDER:
            raise item.error(f"orders go up to {MAX_ORDER}, got {order}")
        if order in orders:
            raise item.error(f"order {order} is listed twice")
        orders.append(order)
    return tuple(sorted(orders))

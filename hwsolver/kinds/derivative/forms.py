"""A derivative in terms of sigmoid or tanh instead of exp: sigma' = sigma(1 - sigma), not exp(-x)/(1 + exp(-x))^2.

The function's value t determines exp(power*x), so a result free of other powers of exp is a rational function of t
(compute/formulas.py then writes it factored, in reading order).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import sympy

from hwsolver.expr import from_sympy
from hwsolver.expr.sympy_funcs import sigmoid


@dataclass(frozen=True)
class Rewrite:
    """A function whose value t determines exp(power*x): results are rational functions of t."""

    name: str
    function: Callable[[sympy.Expr], sympy.Expr]
    power: int
    exp_in_terms_of: Callable[[sympy.Expr], sympy.Expr]  # t -> exp(power*x)
    identities: Callable[[sympy.Symbol], tuple[tuple[sympy.Expr, sympy.Expr], ...]]  # shown in the work


REWRITES = {
    "sigmoid": Rewrite(
        "sigmoid",
        sigmoid,
        1,
        lambda s: s / (1 - s),
        lambda x: ((sigmoid(x), 1 / (1 + sympy.exp(-x))), (1 - sigmoid(x), sympy.exp(-x) / (1 + sympy.exp(-x)))),
    ),
    "tanh": Rewrite(
        "tanh",
        sympy.tanh,
        2,
        lambda t: (1 + t) / (1 - t),
        lambda x: ((sympy.tanh(x), (sympy.exp(2 * x) - 1) / (sympy.exp(2 * x) + 1)),),
    ),
}


def in_terms_of(expr: sympy.Expr, x: sympy.Symbol, rewrite: Rewrite) -> sympy.Expr:
    """expr with every exp(m*x) written through rewrite's function of x; ValueError says what cannot be."""
    t, u, w = sympy.Dummy("t"), sympy.Dummy("u", positive=True), sympy.Dummy("w", positive=True)
    in_t = expr.subs(rewrite.function(x), t)
    if not in_t.has(x):  # already a rational function of it (a second derivative): no detour through exp
        return sympy.cancel(in_t).subs(t, rewrite.function(x))

    def power_of_u(term: sympy.Expr) -> sympy.Expr:
        arg = term.args[0]
        rest, linear = arg.as_independent(x, as_Add=True)
        m = sympy.cancel(linear / x)
        if not m.is_integer:
            raise ValueError(f"exp({from_sympy(arg)}) is not a power of exp({from_sympy(x)})")
        return u**m * sympy.exp(rest)

    # x itself may stay (x*sigmoid(x) differentiates to sigmoid(x) + x*sigmoid(x)*(1 - sigmoid(x))).
    in_u = expr.rewrite(sympy.exp).replace(lambda e: isinstance(e, sympy.exp) and e.has(x), power_of_u)
    # w = exp(power*x) is what the function's value determines: the result must be a rational function of w.
    in_w = sympy.cancel(sympy.powsimp(sympy.cancel(in_u).subs(u, w ** sympy.Rational(1, rewrite.power))))
    if in_w.has(u) or any(not p.exp.is_integer for p in in_w.atoms(sympy.Pow) if p.base.has(w)):
        raise ValueError(f"an odd power of exp({from_sympy(x)}) remains, which {rewrite.name} does not determine")
    return sympy.cancel(in_w.subs(w, rewrite.exp_in_terms_of(t))).subs(t, rewrite.function(x))

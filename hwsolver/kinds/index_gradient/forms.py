"""Index calculus for `index_gradient`: collapsing sums of Kronecker deltas, and recognising softmax.

sympy differentiates x[i] - log(Sum(exp(x[j]), (j, 1, C))) by x[k] into KroneckerDelta(i, k) minus
Sum(exp(x[j])*KroneckerDelta(j, k), ...)/Sum(exp(x[j]), ...); its doit() then gives a Piecewise on 1 <= k <= C.
The wrt index always lies in its vector's range, so a delta sum over that whole range is its term at j = k; and
exp(x[k])/Sum(exp(x[j]), (j, 1, C)) is written softmax(x)[k], the form an answer key reads.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import sympy

from hwsolver.compute.formulas import symbolic, tidy
from hwsolver.errors import SolveError
from hwsolver.expr import Scope, from_sympy
from hwsolver.expr.sympy_build import array as vector
from hwsolver.expr.sympy_build import size
from hwsolver.model import Symbolic

_PLACEHOLDER = "_softmax_"  # a declared name never starts with "_", so this cannot clash with the problem's names
_PLACED = re.compile(rf"(?<!\w){_PLACEHOLDER}(\w+)\(([^()]*)\)")


def collapse(expr: sympy.Expr, wrt: sympy.Indexed, wrt_size: sympy.Symbol) -> sympy.Expr:
    """Every sum over the wrt vector's whole range of (term * KroneckerDelta(j, k)) replaced by the term at j = k."""
    (k,) = wrt.indices

    def fold(total: sympy.Sum) -> sympy.Expr:
        if len(total.limits) != 1:
            return total
        j, low, high = total.limits[0]
        whole = low == 1 and high == wrt_size
        kept = []
        for term in sympy.Add.make_args(sympy.expand(total.function)):
            delta = next((d for d in term.atoms(sympy.KroneckerDelta) if set(d.args) == {j, k}), None)
            if delta is None:
                kept.append(sympy.Sum(term, (j, low, high)))
            elif whole:
                kept.append((term / delta).subs(j, k))
            else:
                raise SolveError(f"the sum over {j} runs over {low}..{high}, not all of 1..{wrt_size}")
        return sympy.Add(*kept)

    return expr.replace(lambda e: isinstance(e, sympy.Sum), fold)


def _partition(e: sympy.Expr, sizes: Mapping[str, str]) -> str | None:
    """The vector v when e is Sum(exp(v[j]), (j, 1, C)) over v's whole range, else None."""
    if not isinstance(e, sympy.Sum) or len(e.limits) != 1 or not isinstance(e.function, sympy.exp):
        return None
    j, low, high = e.limits[0]
    item = e.function.args[0]
    if not isinstance(item, sympy.Indexed) or item.indices != (j,) or str(item.base.label) not in sizes:
        return None
    name = str(item.base.label)
    return name if low == 1 and high == size(sizes[name]) else None


def softmax_form(expr: sympy.Expr, sizes: Mapping[str, str]) -> sympy.Expr:
    """exp(x[a]) / Sum(exp(x[j]), ...) as a softmax placeholder (exp(x[a] + x[b]) / Sum(...)^2 as two)."""

    def fix(term: sympy.Expr) -> sympy.Expr:
        pending: dict[str, int] = {}
        totals: dict[str, sympy.Expr] = {}
        rest, items = [], []
        for factor in sympy.Mul.make_args(term):
            base, power = factor.as_base_exp()
            name = _partition(base, sizes)
            if name and power.is_Integer and power < 0:
                pending[name], totals[name] = pending.get(name, 0) - int(power), base
            elif isinstance(factor, sympy.exp):
                for part in sympy.Add.make_args(factor.args[0]):
                    times, item = part.as_coeff_Mul()  # exp(2*x[k]) is exp(x[k]) twice
                    if isinstance(item, sympy.Indexed) and str(item.base.label) in sizes and times in range(1, 9):
                        items.extend([item] * int(times))
                    else:
                        rest.append(sympy.exp(part))
            else:
                rest.append(factor)
        for item in items:
            name = str(item.base.label)
            if pending.get(name, 0) > 0:
                rest.append(sympy.Function(_PLACEHOLDER + name)(*item.indices))
                pending[name] -= 1
            else:
                rest.append(sympy.exp(item))
        rest.extend(totals[name] ** -count for name, count in pending.items() if count)
        return sympy.Mul(*rest)

    return expr.replace(lambda e: e.is_Mul, fix)


def unplaced(expr: sympy.Expr, sizes: Mapping[str, str]) -> sympy.Expr:
    """The softmax placeholders written out again as exp(x[a]) / Sum(exp(x[j]), (j, 1, C))."""
    j = sympy.Dummy("j", integer=True)

    def written(name: str, at: sympy.Expr) -> sympy.Expr:
        return sympy.exp(vector(name)[at]) / sympy.Sum(sympy.exp(vector(name)[j]), (j, 1, size(sizes[name])))

    return expr.replace(
        lambda e: isinstance(e, sympy.core.function.AppliedUndef) and type(e).__name__.startswith(_PLACEHOLDER),
        lambda e: written(type(e).__name__.removeprefix(_PLACEHOLDER), e.args[0]),
    )


def formula(expr: sympy.Expr, sizes: Mapping[str, str], scope: Scope, domain: tuple[float, float]) -> Symbolic:
    """A tidy answer formula in the expression language, softmax(x)[k] for every recognised softmax."""
    tidied = tidy(softmax_form(expr, sizes))
    written = _PLACED.sub(r"softmax(\1)[\2]", from_sympy(tidied, reading_order=True))
    return symbolic(tidied, scope, domain, written=written)

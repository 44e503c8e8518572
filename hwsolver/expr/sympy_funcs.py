"""sympy Function classes for the network activations, so kinds can differentiate in terms of sigmoid."""

from __future__ import annotations

import sympy
from sympy.core.function import ArgumentIndexError


def _evalf(expr: sympy.Expr, prec: int) -> sympy.Expr | None:
    if not expr.free_symbols and not expr.has(sympy.Indexed):
        return expr.evalf(sympy.core.evalf.prec_to_dps(prec))
    return None


class sigmoid(sympy.Function):
    """The logistic function 1 / (1 + exp(-x)); its derivative is sigmoid(x) * (1 - sigmoid(x))."""

    nargs = 1

    @classmethod
    def eval(cls, x: sympy.Expr) -> sympy.Expr | None:
        if x == 0:  # structurally (an assumption query walks every path of the argument: slow on deep nests)
            return sympy.Rational(1, 2)
        return None

    def fdiff(self, argindex: int = 1) -> sympy.Expr:
        if argindex != 1:
            raise ArgumentIndexError(self, argindex)
        s = sigmoid(self.args[0])
        return s * (1 - s)

    def _eval_rewrite_as_exp(self, x: sympy.Expr, **kwargs: object) -> sympy.Expr:
        return 1 / (1 + sympy.exp(-x))

    def _eval_evalf(self, prec: int) -> sympy.Expr | None:
        return _evalf(self.rewrite(sympy.exp), prec)

    def _eval_is_real(self) -> bool | None:
        return self.args[0].is_real

    def _eval_is_positive(self) -> bool | None:
        return True if self.args[0].is_real else None

    def _latex(self, printer: object) -> str:
        return rf"\sigma\left({printer._print(self.args[0])}\right)"  # type: ignore[attr-defined]


class relu(sympy.Function):
    """max(0, x); its derivative is Heaviside(x, 0) (the course's convention ReLU'(0) = 0)."""

    nargs = 1

    @classmethod
    def eval(cls, x: sympy.Expr) -> sympy.Expr | None:
        if x.is_number and x.is_extended_real:
            return sympy.Max(0, x)
        if x.is_nonnegative:
            return x
        if x.is_nonpositive:
            return sympy.S.Zero
        return None

    def fdiff(self, argindex: int = 1) -> sympy.Expr:
        if argindex != 1:
            raise ArgumentIndexError(self, argindex)
        return sympy.Heaviside(self.args[0], 0)

    def _eval_rewrite_as_Max(self, x: sympy.Expr, **kwargs: object) -> sympy.Expr:
        return sympy.Max(0, x)

    def _eval_rewrite_as_exp(self, x: sympy.Expr, **kwargs: object) -> sympy.Expr:
        return sympy.Max(0, x)

    def _eval_evalf(self, prec: int) -> sympy.Expr | None:
        return _evalf(sympy.Max(0, self.args[0]), prec)

    def _latex(self, printer: object) -> str:
        return rf"\operatorname{{relu}}\left({printer._print(self.args[0])}\right)"  # type: ignore[attr-defined]


class softplus(sympy.Function):
    """log(1 + exp(x)); its derivative is sigmoid(x)."""

    nargs = 1

    def fdiff(self, argindex: int = 1) -> sympy.Expr:
        if argindex != 1:
            raise ArgumentIndexError(self, argindex)
        return sigmoid(self.args[0])

    def _eval_rewrite_as_exp(self, x: sympy.Expr, **kwargs: object) -> sympy.Expr:
        return sympy.log(1 + sympy.exp(x))

    _eval_rewrite_as_log = _eval_rewrite_as_exp

    def _eval_evalf(self, prec: int) -> sympy.Expr | None:
        return _evalf(self.rewrite(sympy.exp), prec)

    def _eval_is_real(self) -> bool | None:
        return self.args[0].is_real

    def _latex(self, printer: object) -> str:
        return rf"\operatorname{{softplus}}\left({printer._print(self.args[0])}\right)"  # type: ignore[attr-defined]


ACTIVATIONS = {"sigmoid": sigmoid, "relu": relu, "softplus": softplus}

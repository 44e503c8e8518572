"""The state of one numeric evaluation: the caller's environment, index values, and the work budget."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from hwsolver.errors import ExprError
from hwsolver.expr.work import Budget


class Context:
    """One evaluation: the caller's environment, current index values, and the budget its sums draw on."""

    __slots__ = ("budget", "env", "idx", "sizes", "zero_outside")

    def __init__(
        self, env: Mapping[str, Any], idx: dict[str, int], sizes: Mapping[str, str], zero: bool, budget: Budget
    ) -> None:
        self.env, self.idx, self.sizes, self.zero_outside, self.budget = env, idx, sizes, zero, budget

    def value(self, name: str) -> Any:
        try:
            return self.env[name]
        except KeyError:
            raise ExprError(f"no value given for {name!r}") from None

    def index(self, name: str) -> int:
        try:
            return self.idx[name]
        except KeyError:
            raise ExprError(f"no value given for index {name!r}") from None

    def size(self, name: str) -> int:
        if name in self.env:
            return int(self.env[name])
        if name in self.sizes:
            return int(self.value(self.sizes[name]).shape[-1])
        raise ExprError(f"no value given for size {name!r}")

"""Why a formula is no number at a point: the innermost part that turns finite inputs into nan or inf.

Students see "log of a negative number" or "division by zero", never a raw nan or inf.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from hwsolver.errors import ExprError
from hwsolver.expr.nodes import Call, Div, Expr, Pow, Sum, children
from hwsolver.expr.scope import Scope

_CALLS = {
    "log": "the log of 0 or of a negative number",
    "sqrt": "the square root of a negative number",
    "csch": "csch(0), a division by zero",
    "coth": "coth(0), a division by zero",
    "tan": "tan at an odd multiple of pi/2",
}


def why_no_number(expr: Expr, scope: Scope, env: Mapping[str, Any]) -> str:
    """What makes expr no number in env (one point): "division by zero", "the log of ...", "a number too large"."""
    import numpy as np

    from hwsolver.expr.numeric import evaluator

    def value(node: Expr) -> float | None:
        try:
            return float(np.asarray(evaluator(node, scope)(env)).reshape(-1)[0])
        except (ExprError, ValueError, TypeError, IndexError):
            return None

    node = expr
    while True:  # down to the innermost part that is no number while all its parts are numbers
        inner = [c for c in children(node) if not isinstance(node, Sum)]
        bad = next((c for c in inner if (v := value(c)) is not None and not np.isfinite(v)), None)
        if bad is None:
            break
        node = bad
    parts = [value(c) for c in children(node)] if not isinstance(node, Sum) else []
    if isinstance(node, Div):
        return "0/0" if parts[0] == 0 and parts[1] == 0 else "a division by zero"
    if isinstance(node, Pow) and parts[0] is not None and parts[1] is not None:
        if parts[0] == 0 and parts[1] < 0:
            return "0 to a negative power, a division by zero"
        if parts[0] < 0 and parts[1] != int(parts[1]):
            return "a negative number to a fractional power"
    if isinstance(node, Call) and not node.user and node.name in _CALLS:
        return _CALLS[node.name]
    result = value(node)
    if result is not None and np.isinf(result):
        return "a number too large for a computer (an overflow)"
    return "a term of a sum that is no number" if isinstance(node, Sum) else "an operation that gives no number"

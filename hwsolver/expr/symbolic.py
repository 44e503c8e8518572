"""The symbolic fallback: sympy.simplify(a - b) == 0 in a child process that is killed after a time cap."""

from __future__ import annotations

import multiprocessing
from multiprocessing.connection import Connection

from hwsolver.expr.limits import SYMBOLIC_MAX_NODES, SYMBOLIC_TIMEOUT
from hwsolver.expr.nodes import Expr, node_count


def symbolic_difference_is_zero(a: Expr, b: Expr, timeout: float = SYMBOLIC_TIMEOUT) -> bool | None:
    """True when sympy proves a - b == 0; None when it cannot (or runs out of time, or inputs are too big)."""
    if node_count(a) + node_count(b) > SYMBOLIC_MAX_NODES:
        return None
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(a, b, sender), daemon=True)
    process.start()
    sender.close()
    try:
        return receiver.recv() if receiver.poll(timeout) else None
    except EOFError:
        return None
    finally:
        if process.is_alive():
            process.kill()
        process.join()
        receiver.close()


def _child(a: Expr, b: Expr, sender: Connection) -> None:
    import sympy

    from hwsolver.expr.sympy_build import tree_to_sympy

    try:
        difference = (tree_to_sympy(a) - tree_to_sympy(b)).rewrite(sympy.exp)
        sender.send(True if sympy.simplify(difference) == 0 else None)
    except Exception:  # any sympy failure just means "undecided"
        sender.send(None)
    finally:
        sender.close()

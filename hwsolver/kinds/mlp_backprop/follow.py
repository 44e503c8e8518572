"""Follow-through on an mlp_backprop problem: the first training step as a chain of the steps a student writes
down (follow_steps.py), re-run from the student's own values in place of some of them.

Routes: the loss and the error terms from the student's output or forward values; the gradients from their
error terms (with the true or their own forward values), or from their output; the update from their gradients;
output and loss after from their parameters or (the loss) their output after; the comparison from their losses.
Not sound to carry on (`trivial`): gradients or parameters that copy the given weights, an output that copies
the target (each leaves nothing to compute after it).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

import numpy as np

from hwsolver.compute.networks.network import Network
from hwsolver.kinds.mlp_backprop import follow_sgd, follow_spread
from hwsolver.kinds.mlp_backprop.follow_steps import Array, Steps, Values
from hwsolver.memo import Bounded, LastOne
from hwsolver.model import Chain, Problem, Route, Solution

_COPY_RTOL = 5e-3  # a value within this of a given one, entry by entry, is a copy of it (as rounded)
_COPY_ATOL = 1e-12  # and within this of a given 0
_RUNS = 64  # chain runs a variant's routes keep for each other (a student's re-runs, each number moved)
_AFTER = ("params_after", "output_after", "loss_after", "loss_decreased")  # one step's, in the chain
ROUTES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("output_before", ("forward",)),
    ("loss_before", ("output_before",)),
    ("loss_before", ("forward",)),
    ("errors", ("output_before",)),
    ("errors", ("forward",)),
    ("gradients", ("errors",)),
    ("gradients", ("errors", "forward")),
    ("gradients", ("output_before",)),
    ("gradients", ("forward",)),
    ("params_after", ("gradients",)),
    ("output_after", ("params_after",)),
    ("loss_after", ("params_after",)),
    ("loss_after", ("output_after",)),
    ("loss_decreased", ("loss_before", "loss_after")),
)


def chain(problem: Problem, solution: Solution) -> Chain:
    """The first training step as steps; with several steps, the parts after it are not the chain's; with
    mini-batch SGD, the first iteration's gradients alone."""
    net: Network = problem.given
    if net.schedule is not None:
        built = Steps(net.subset(net.schedule.batches()[0][1])).chain()
        return replace(built, answers={"gradients": built.answers["gradients"]})
    built = _built(net)[1]
    if problem.given.steps == 1:
        return built
    kept = {part: read for part, read in built.answers.items() if part not in _AFTER}
    return replace(built, answers=kept)


_last: LastOne[Network, tuple[Steps, Chain]] = LastOne()  # the network last built for


def _built(net: Network) -> tuple[Steps, Chain]:
    """The network's steps and chain: a variant's preparation asks for its follow-through routes, then its
    chain, and each variant has its own network (recognised by identity: one built is shared by both)."""
    return _last.get(net, _steps_and_chain)


def _steps_and_chain(net: Network) -> tuple[Steps, Chain]:
    steps = Steps(net)
    return steps, steps.chain()


def follow_through(problem: Problem, solution: Solution) -> tuple[Route, ...]:
    """Every way to work a part out from the student's own earlier answers on this network."""
    net: Network = problem.given
    if net.schedule is not None:
        return follow_sgd.routes(net, solution.answers["iteration_params"])
    steps, built = _built(net)
    # the steps worked out from the answers read, by those answers' identity (kept with them): the routes that read
    # the same answers share them (the output and the loss after, from the parameters after; each moved number's
    # re-run too, follow.py handing both routes the same moved answer)
    runs: Bounded[tuple[Any, ...], tuple[tuple[Any, ...], Values]] = Bounded(_RUNS)

    def run(uses: tuple[str, ...], values: Values) -> Values:
        read = tuple(values[name] for name in uses)
        key = (uses, *map(id, read))
        found = runs.get(key)
        if found is None:
            given: dict[str, Any] = {}
            for name, value in zip(uses, read):
                given.update(steps.steps_of(name, value))
            found = runs.keep(key, (read, built.values(given)))
        return found[1]

    spreads = follow_spread.spreads(net, run)  # how far some routes move, told unrun
    routes = []
    for part, uses in ROUTES:
        if net.steps != 1 and part == "params_after":
            continue  # several steps: the parameters after them do not follow from the first step's gradients
        if part == "loss_decreased":  # the two losses read compared, as the chain's answer compares them: no step
            routes.append(Route(part, uses, _decreased))
            continue

        def compute(values: Values, part: str = part, uses: tuple[str, ...] = uses) -> Any:
            return built.answers[part](run(uses, values))

        routes.append(Route(part, uses, compute, spread=spreads.get((part, uses))))
    return tuple(routes)


def _decreased(values: Values) -> bool:
    """Whether the loss went down, from the student's losses before and after (steps_of reads each as a float)."""
    return bool(float(values["loss_after"]) < float(values["loss_before"]))


def trivial(problem: Problem, solution: Solution, part: str, value: Any) -> bool:
    """Gradients that copy the given weights (or a multiple of them: no data in them), parameters after that
    copy them (no update), an output that copies the target (nothing to propagate)."""
    net: Network = problem.given
    if part == "iteration_params" and isinstance(value, tuple | list) and value:
        return all(trivial(problem, solution, "params_after", params) for params in value)
    if part in ("gradients", "params_after") and isinstance(value, Mapping):
        given = _given(net)
        if not all(name in value for name in given.names):
            return False
        got = _flat_floats([value[name] for name in given.names])
        if got is None:  # another layout: NumPy reads it, as it always did
            got = np.concatenate([_flat(value[name]) for name in given.names]).tolist()
        if part == "params_after":
            return _copies(got, given.numbers)
        # NumPy's dot product on the numbers as one float64 vector (as on the arrays concatenated), and its product
        # with each given number (a Python float's, the same operation)
        scale = float(np.array(got) @ given.array) / given.norm if given.nonzero else 0.0
        return scale != 0 and _copies(got, [scale * w for w in given.numbers])
    if part in ("output_before", "output_after"):
        rows = value if net.batch else (value,)
        got = _flat_floats([rows])  # (one array: its rows as long as each other)
        return _copies(_flat(rows).tolist() if got is None else got, net.floats[3].reshape(-1).tolist())
    return False


class _Given:
    """The given parameters by name (Params.named's order), flat, as floats and as one float64 vector, and what
    the scale of a multiple of them reads (each wrong answer to a variant asks; a network's are made once)."""

    __slots__ = ("array", "names", "nonzero", "norm", "numbers")

    def __init__(self, net: Network) -> None:
        weights, biases = net.floats[:2]
        named = []
        for l, w in enumerate(weights, start=1):
            named.append((f"W{l}", w.reshape(-1)))
            if biases is not None:
                named.append((f"b{l}", biases[l - 1].reshape(-1)))
        self.names = tuple(name for name, _ in named)
        self.array = np.concatenate([flat for _, flat in named])
        self.numbers: list[float] = self.array.tolist()
        self.nonzero = bool(np.count_nonzero(self.array))  # (ndarray.any's detour)
        self.norm = float(self.array @ self.array)


_given_last: LastOne[Network, _Given] = LastOne()  # the network last asked for (a variant's wrong answers ask again)


def _given(net: Network) -> _Given:
    return _given_last.get(net, _Given)


def _flat_floats(items: Any) -> list[float] | None:
    """The numbers of vectors or matrices of floats (the reader's), flat in row-major order, without NumPy: what
    _flat gives each, concatenated; None for anything else (ragged rows, other types), which _flat reads."""
    found: list[float] = []
    for item in items:
        if type(item) is not tuple:
            return None
        if item and type(item[0]) is tuple:
            width = len(item[0])
            for row in item:
                if type(row) is not tuple or len(row) != width or not all(type(x) is float for x in row):
                    return None
                found += row
        elif all(type(x) is float for x in item):
            found += item
        else:
            return None
    return found


def _flat(value: Any) -> Array:
    try:
        return np.array(value, dtype=float).reshape(-1)
    except (TypeError, ValueError):
        return np.full(1, np.nan)  # copies nothing


def _copies(got: list[float], want: list[float]) -> bool:
    """closeness.allclose's rule (np.allclose's), on the few numbers of a network as Python floats: the same float
    operations, without NumPy's per-call and error-state costs (each new wrong answer of a variant asks)."""
    return len(got) == len(want) and all(
        g == w or abs(g - w) <= _COPY_ATOL + _COPY_RTOL * abs(w) for g, w in zip(got, want)
    )

"""How far rounding the intermediate values of an mlp_backprop chain (follow.py's steps) can move each of its
numbers (model.Chain.reach), by the rules of reach_rules.py: the homework's 2-2-1 network by reach_small.py's direct
path, any other the rules cover by reach_rows.py's. A grader asks it before working out the allowances: a wrong
answer further from the reference than any rounding reaches needs none."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from hwsolver.compute.networks.network import Network
from hwsolver.kinds.mlp_backprop import reach_rows, reach_small
from hwsolver.kinds.mlp_backprop.reach_rules import Start, covered


def reach_of(net: Network, size: int) -> Callable[[int], Mapping[str, Any]] | None:
    """The chain's reach (`size`: the numbers in its steps, each moved once at most), for the networks whose
    arithmetic the rules cover (reach_rules.covered); else None."""
    if not covered(net):
        return None

    def reach(sigfigs: int) -> Mapping[str, Any]:
        start = Start(net, sigfigs, size)
        return _Reaches((reach_small if reach_small.applies(start) else reach_rows).steps(start))

    return reach


class _Reaches(dict):
    """Each step's reach, shaped as the step (the chain's answers read them as they read its values), worked out
    a few steps at a time in the chain's order when first read: a part's answer reads only the steps up to its
    own."""

    def __init__(self, steps: Iterator[dict[str, Any]]) -> None:
        super().__init__()
        self.steps = steps

    def __missing__(self, name: str) -> Any:
        for found in self.steps:
            self.update(found)
            if name in found:
                return found[name]
        raise KeyError(name)

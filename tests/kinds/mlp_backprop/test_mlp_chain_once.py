"""A variant's network's chain of steps is built once, when a wrong answer first needs it: its follow-through routes
and its rounding allowances share it (kinds/mlp_backprop/follow.py). Counted; and a network of its own gets a
chain of its own."""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction

from hwsolver.grading import prepared as preparing
from hwsolver.kinds.mlp_backprop import follow_steps
from hwsolver.solving import solve, solve_paths


def test_one_chain_per_variant(monkeypatch) -> None:
    written = next(p for p in preparing.prepare(solve_paths()) if p.problem.id == "relu-network-update")
    built = []
    real = follow_steps.Steps.chain
    monkeypatch.setattr(follow_steps.Steps, "chain", lambda self: built.append(self.net) or real(self))
    for rate in ("0.5", "0.25"):  # two variants: each its own network
        net = replace(written.problem.given, learning_rate=Fraction(rate))
        problem = replace(written.problem, given=net)
        before = len(built)
        made = preparing.prepare_variant(solve(problem, witness=False), written)
        assert len(built) == before  # nothing built while no answer is wrong
        # the routes and the allowances read the same chain, the variant's own
        params = made.by_id["params_after"]
        assert params.routes and built[-1] is net
        assert made.by_id["output_after"].allowances.chain is params.allowances.chain
    assert len(built) == 2

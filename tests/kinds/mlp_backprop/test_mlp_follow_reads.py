"""A follow-through re-run works out only the steps its part reads (kinds/mlp_backprop/follow.py): the loss after
from the student's output after reads the trained weights only for a weight-decay penalty. Counted, with the
solution's own loss after as the witness."""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction

import pytest

from hwsolver import model
from hwsolver.grading import prepared as preparing
from hwsolver.grading.worked import as_floats
from hwsolver.kinds.mlp_backprop import follow
from hwsolver.solving import solve, solve_paths


@pytest.mark.parametrize("decay", [Fraction(0), Fraction(1, 10)])
def test_the_loss_after_from_the_output_after_reads_the_update_only_for_its_penalty(monkeypatch, decay) -> None:
    written = next(p for p in preparing.prepare(solve_paths()) if p.problem.id == "relu-network-update")
    problem = replace(written.problem, given=replace(written.problem.given, weight_decay=decay))
    solution = solve(problem, witness=False)
    route = next(
        r for r in follow.follow_through(problem, solution) if (r.part, r.uses) == ("loss_after", ("output_after",))
    )
    worked: list[str] = []
    real = model._LazySteps.__missing__
    monkeypatch.setattr(model._LazySteps, "__missing__", lambda self, name: worked.append(name) or real(self, name))
    answers = as_floats(solution.answers)
    # the witness: from the true output after, the exact path's loss after (its penalty on the trained weights)
    assert route.compute({"output_after": answers["output_after"]}) == pytest.approx(answers["loss_after"], rel=1e-12)
    if decay:
        assert {"W0", "W1"} <= set(worked)  # the penalty reads the trained weights
    else:
        assert worked == ["loss'"]  # the output after is the student's: nothing else to work out

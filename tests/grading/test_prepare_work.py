"""A variant's preparation does only what every student's grading needs: its follow-through routes and its chain
(the rounding allowances') wait for a wrong answer that asks for them, and which routes a part keeps is worked
out once for the problem as written, not per variant. Counted; the routes kept are a preparation from scratch's."""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction

import pytest

from hwsolver.grading import prepared as preparing
from hwsolver.grading.prepared import Seen, prepare, prepare_variant
from hwsolver.grading.slips import work_out
from hwsolver.grading.worked import Worked
from hwsolver.solving import solve, solve_paths

RATES = ("0.5", "0.25", "0.125")


@pytest.fixture(scope="module")
def written():
    (found,) = prepare(solve_paths(["problems/relu-network-update.yaml"]))
    return found


def variants(written):
    for rate in RATES:
        problem = replace(written.problem, given=replace(written.problem.given, learning_rate=Fraction(rate)))
        yield prepare_variant(solve(problem, witness=False), written)


def test_a_variant_waits_for_a_wrong_answer_to_work_out_its_routes_and_chain(written) -> None:
    preparing.WORK.clear()
    made = list(variants(written))
    assert preparing.WORK == {}  # no mutant, route, chain or allowance worked out
    part = made[0].by_id["output_after"]
    known = Seen(key="1.5", value=(1.5,), written="1.5")
    work_out(made[0], part, known)  # plainly wrong: slips, but no allowance (no rounding could explain it)
    assert not known.outcome.correct and preparing.WORK["chains"] == 0 and preparing.WORK["routes"] == 0
    assert part.routes and preparing.WORK["routes"] == 1
    assert made[0].by_id["loss_after"].routes  # all the problem's were worked out at once
    assert preparing.WORK["routes"] == 1 and preparing.WORK["mutants"] == 1
    assert part.allowances is not None and preparing.WORK["chains"] == 1
    assert all(preparing.WORK[work] == 1 for work in ("routes", "chains", "mutants"))  # the other variants': none


def test_which_routes_a_part_keeps_is_worked_out_once_for_every_variant(written, monkeypatch) -> None:
    asked = []
    keeps = Worked._keeps
    monkeypatch.setattr(Worked, "_keeps", lambda self, route: asked.append(route.part) or keeps(self, route))
    made = list(variants(written))
    assert all(part.routes is not None for variant in made for part in variant.every)
    assert asked == []  # the problem as written's, worked out when it was prepared
    for variant in made:
        fresh = prepare([variant.solution], lazy=True)[0]  # from scratch: its own
        for part, alone in zip(variant.every, fresh.every, strict=True):
            assert [(r.part, r.uses) for r in part.routes] == [(r.part, r.uses) for r in alone.routes]
            assert part.reads == alone.reads
    assert len(written.worked.kept) == 14 and len(asked) == 14 * len(RATES)

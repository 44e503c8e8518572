"""A variant's preparation does only what every student's grading needs: its follow-through routes and its chain
(the rounding allowances') wait for a wrong answer that asks for them, and which routes a part keeps is worked
out once for the problem as written, not per variant. Counted; the routes kept are a preparation from scratch's.
And its references as floats are float() of each number."""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hwsolver.grading import prepared as preparing
from hwsolver.grading.formulas import Formulas
from hwsolver.grading.prepared import Seen, alike, as_floats, prepare, prepare_variant
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


def test_whether_a_part_reads_no_formula_is_told_once_for_every_variant(monkeypatch) -> None:
    """A variant's numeric answer keeps the part's formula reading where the part as written reads formulas as a
    part without any does: told once per part (PreparedProblem.plain), not per variant; each variant's reading
    is the part's (a preparation from scratch reads alike: the witness above and in tests/variants)."""
    (written,) = prepare(solve_paths(["problems/relu-network-update.yaml"]))
    asked = []
    monkeypatch.setattr(preparing, "alike", lambda one, other: asked.append(other) or alike(one, other))
    made = list(variants(written))
    assert len(asked) == len(written.plain) >= 5 and all(written.plain.values())
    assert set(written.plain) < set(written.by_id)  # (not a yes/no the variant answers alike: True itself)
    made += variants(written)
    assert len(asked) == len(written.plain)  # nothing asked again
    for variant in made:
        assert all(part.formulas is other.formulas for part, other in zip(variant.parts, written.parts))


def test_a_variant_takes_the_formula_it_shares_with_the_problem_as_written_as_that_part_read_it(monkeypatch) -> None:
    """conv's recursion is one formula whatever the arrays: a variant's part whose answer is the problem as
    written's very object takes that part's reference and formula reading (not read again); every part reads as a
    preparation of the variant from scratch reads it."""
    (written,) = prepare(solve_paths(["problems/conv-backprop.yaml"]))
    kernel = ((Fraction(1, 4), Fraction(-1)), (Fraction(1), Fraction(1, 2)))
    solution = solve(replace(written.problem, given=replace(written.problem.given, kernel=kernel)), witness=False)
    read = []
    for_part = Formulas.for_part
    monkeypatch.setattr(Formulas, "for_part", classmethod(lambda cls, *args: read.append(args) or for_part(*args)))
    made = prepare_variant(solution, written)
    assert read == []
    shared, as_written = made.by_id["recursion"], written.by_id["recursion"]
    assert shared.reference is as_written.reference and shared.formulas is as_written.formulas
    assert made.by_id["output"].reference != written.by_id["output"].reference  # the variant's own numbers
    monkeypatch.undo()
    (alone,) = prepare([solution])
    for part, fresh in zip(made.every, alone.every, strict=True):
        assert repr(part.reference) == repr(fresh.reference) and alike(part.formulas, fresh.formulas)


# small ones, and ratios of integers each beyond a float's range (the ratio within it)
big = st.builds(Fraction, st.integers(-(10**330), 10**330), st.integers(10**30, 10**330))
fractions = st.fractions(-(10**6), 10**6) | big
answers = st.recursive(
    fractions
    | st.integers(-(10**300), 10**300)
    | st.floats(allow_nan=False)
    | st.booleans()
    | st.none()
    | st.text(max_size=3),
    lambda inner: st.lists(inner, max_size=4) | st.tuples(inner, inner) | st.dictionaries(st.text(max_size=2), inner),
    max_leaves=12,
)


def plainly(value: Any) -> Any:
    """What as_floats gives, worked out the plain way: float() of every number, the structure as tuples."""
    if isinstance(value, bool | str) or value is None:
        return value
    if isinstance(value, list | tuple):
        return tuple(plainly(item) for item in value)
    if isinstance(value, dict):
        return {key: plainly(item) for key, item in value.items()}
    return float(value)


@given(answers)
def test_an_answer_as_floats_is_every_number_float_of_it(value: Any) -> None:
    """as_floats divides a Fraction's numerator by its denominator itself (no detour through numbers.Rational):
    the same float as float() gives, to the last bit, for ratios of integers too large for a float each."""
    found = as_floats(value)
    assert found == plainly(value)
    assert repr(found) == repr(plainly(value))  # the same floats, -0.0 and all

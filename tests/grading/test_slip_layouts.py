"""A slip's answer laid out in one walk (float_answers.floats_and_layout) is what as_floats and checkers.layout make
of it, for the shapes float runs give (taken as they are) and every other (exact numbers, ragged, nested, named,
formulas)."""

from __future__ import annotations

from fractions import Fraction

import pytest

from hwsolver.grading import float_answers
from hwsolver.grading.checkers import layout
from hwsolver.grading.float_answers import as_floats
from hwsolver.model import Symbolic

FLOATS = [
    0.25,
    (0.5, -1.0, 2.0),
    ((0.1, 0.2), (0.3, 0.4)),
    ((0.1, 0.2, 0.3),),
    {"W2": ((0.5, 0.8),), "W1": ((0.6, 0.2), (0.1, 0.7))},
    {"W1": ((0.6,),), "b1": (0.1,)},
]
OTHERS = [
    None,
    True,
    3,
    Fraction(1, 3),
    (),
    ((),),
    (Fraction(1, 2), 0.5),
    (0.5, 1),
    (0.5, True),
    ((0.1, 0.2), (0.3,)),
    ((0.1, 0.2), 0.3),
    ((0.1, Fraction(1, 5)), (0.3, 0.4)),
    (((0.1, 0.2), (0.3, 0.4)),),
    [0.5, 0.25],
    [[0.5], [0.25]],
    ({"z": (0.1,), "a": (0.2,)},),
    {"W1": ((0.6, 0.2),), "b1": 0.5},
    {"W1": ((Fraction(3, 5), 0.2),)},
    {"W1": ((0.6, 0.2), (0.1,))},
    {"W1": ()},
    Symbolic("x + 1", ""),
]


@pytest.mark.parametrize("answer", FLOATS + OTHERS, ids=repr)
def test_laid_out_as_floats_and_layout_make_it(answer) -> None:
    floats = as_floats(answer)
    assert float_answers.floats_and_layout(answer) == (floats, layout(floats) if floats is not None else None)


@pytest.mark.parametrize("answer", FLOATS, ids=repr)
def test_a_float_runs_answer_is_taken_as_it_is(monkeypatch, answer) -> None:
    """Counted: no copy through as_floats, no generic layout, for what a float run gives."""
    calls = []
    monkeypatch.setattr(float_answers, "as_floats", lambda *a: calls.append(a))
    monkeypatch.setattr(float_answers, "layout", lambda *a: calls.append(a))
    floats, _ = float_answers.floats_and_layout(answer)
    assert floats is answer and calls == []


@pytest.mark.parametrize("value", FLOATS + OTHERS, ids=repr)
def test_float_layout_is_layout_or_leaves_it_to_layout(value) -> None:
    """A student's answer is laid out so too (slips._matching_mutants): layout's own, or None for layout to say."""
    found = float_answers.float_layout(value)
    assert found == layout(value) if value in FLOATS else found is None


def test_an_answer_is_laid_out_only_for_a_slip_laid_out(monkeypatch) -> None:
    """slips._matching_mutants lays a wrong answer out when a slip's layout first asks, once: not for a part whose
    slips the kind's matches tell alone (nor for one without slips). The witness: each slip's own answer, given as
    the student's, is found among the slips that give it."""
    from hwsolver.grading import slips
    from hwsolver.grading.prepared import prepare
    from hwsolver.solving import solve_paths

    laid: list[object] = []
    monkeypatch.setattr(slips, "float_layout", lambda value: laid.append(value) or float_answers.float_layout(value))
    (problem,) = prepare(solve_paths(["problems/relu-network-update.yaml"]))
    matched_alone = 0
    for part in problem.every:
        layouts = sum(answer_layout is not None for _, _, answer_layout in part.slips)
        matched_alone += not layouts
        for mutant, _, _ in part.slips:
            given = mutant.answers.get(part.part.id)
            if given is None:
                continue
            laid.clear()
            assert mutant in slips._matching_mutants(part, given)
            assert len(laid) == (1 if layouts else 0)
        laid.clear()
        slips._matching_mutants(part, True)  # a yes/no: no slip's layout matches it, each asked
        assert len(laid) == (1 if layouts else 0)
    assert matched_alone and matched_alone < len(problem.every)

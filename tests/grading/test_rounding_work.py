"""The rounding allowances are worked out only for an answer they may save, and once per problem: counted, since
per-student variants prepare a problem per student and the allowances were most of what grading them cost."""

from __future__ import annotations

import functools
import sys
from collections import Counter
from pathlib import Path

import pytest

from hwsolver.grading import prepared as preparing
from hwsolver.grading.checkers import Tolerance
from hwsolver.grading.leaves import leaves, map_leaves
from hwsolver.grading.prepared import Seen, as_floats, prepare
from hwsolver.grading.rounded_chain import Rounding
from hwsolver.grading.rounding import allowances, settled, within
from hwsolver.grading.slips import work_out
from hwsolver.model import Chain
from hwsolver.numbers import decimal_value
from hwsolver.solving import solve_paths

sys.path.insert(0, str(Path(__file__).parent))
from helpers import counted_step


@pytest.fixture
def problem():
    (found,) = prepare(solve_paths(["problems/relu-network-update.yaml"]))
    preparing.WORK.clear()
    return found


def judged(problem, part_id: str, value) -> Seen:
    known = Seen(key=repr(value), value=value, written=repr(value))
    work_out(problem, problem.by_id[part_id], known)
    return known


def test_right_and_plainly_wrong_answers_need_no_allowance(problem) -> None:
    assert judged(problem, "output_after", (0.321,)).outcome.correct  # 0.32124532712 to 3 figures
    assert not judged(problem, "output_after", (5.0,)).outcome.correct  # further off than the answer is large
    assert not judged(problem, "output_after", (0.3, 0.2)).outcome.correct  # another shape
    assert not judged(problem, "loss_after", -1.0).outcome.correct
    assert preparing.WORK["allowances"] == 0


def test_a_near_miss_works_out_its_own_parts_only_once(problem) -> None:
    judged(problem, "output_after", (0.322,))  # a rounding on the way may explain it: the allowances are needed
    assert preparing.WORK["allowances"] == 1
    judged(problem, "output_after", (0.320,))
    assert preparing.WORK["allowances"] == 1  # the part's, kept
    judged(problem, "loss_after", 0.0161)
    assert preparing.WORK["allowances"] == 2  # a total chain's parts are worked out each alone, when asked
    judged(problem, "loss_after", 0.0162)
    assert preparing.WORK["allowances"] == 2


@pytest.mark.parametrize(
    ("part_id", "text"),
    [("output_after", "0.32"), ("output_after", "0.3"), ("loss_after", "0.02"), ("loss_after", "0.017")],
)
def test_an_answer_written_with_fewer_figures_than_asked_needs_no_allowance(problem, part_id, text) -> None:
    """No bound moves a number written with fewer figures than asked (rounding._moved keeps the reference): such
    an answer gets, without the allowance, what it gets with it; the witness works the allowance out afterwards
    and asks `within` with it."""
    value = decimal_value(text) if part_id == "loss_after" else (decimal_value(text),)
    part = problem.by_id[part_id]
    assert not judged(problem, part_id, value).outcome.correct
    assert preparing.WORK["allowances"] == 0
    assert part.allowance  # there is one, and it does not save the answer
    assert within(value, part.reference, part.allowance, part.tolerance) is False


def test_one_short_number_off_settles_an_answer(problem) -> None:
    """Parameters with one number written short and wrong: no bound moves it, so no allowance saves the answer,
    whatever the others' figures (the witness: `within` with the allowance worked out afterwards)."""
    reference = problem.by_id["params_after"].reference
    value = {name: tuple(map(tuple, rows)) for name, rows in reference.items()}
    name = next(iter(value))
    first = value[name][0]
    value[name] = ((first[0] + 0.1 if abs(first[0]) < 1 else first[0] * 1.1, *first[1:]), *value[name][1:])
    value[name] = ((decimal_value(f"{value[name][0][0]:.1f}"), *value[name][0][1:]), *value[name][1:])
    part = problem.by_id["params_after"]
    assert settled(leaves(value), leaves(reference), part.tolerance) is False
    assert not judged(problem, "params_after", value).outcome.correct
    assert preparing.WORK["allowances"] == 0
    assert within(value, part.reference, part.allowance, part.tolerance) is False


def test_figures_settle_only_what_no_bound_moves() -> None:
    """All short and close: yes, whatever the bounds; one short and off: no; a number written to the figures
    asked (0.320), a yes/no (whose bound is the values it may take) or no figures asked: the bounds decide."""
    tolerance = Tolerance(sigfigs=3)
    assert settled({(0,): decimal_value("0.32")}, {(0,): 0.3212}, tolerance) is False
    assert settled({(0,): 0.5, (1,): 0.3213}, {(0,): 0.5, (1,): 0.3212}, tolerance) is None
    assert settled({(0,): 0.4, (1,): 0.3213}, {(0,): 0.5, (1,): 0.3212}, tolerance) is False
    assert settled({(0,): 0.5, (1,): 2.0}, {(0,): 0.5, (1,): 2.0}, tolerance) is True
    assert settled({(0,): decimal_value("0.320")}, {(0,): 0.3212}, tolerance) is None
    assert settled({(0,): 0.5, (1,): False}, {(0,): 0.5, (1,): True}, tolerance) is None
    assert settled({(0,): 0.32}, {(0,): 0.3212}, Tolerance(sigfigs=None)) is None


def test_a_yes_no_answer_works_out_no_allowance(problem) -> None:
    """Rounding moves numbers: whether the loss went down has none to move, so a wrong yes/no (the commonest
    near miss of a class) never re-runs the whole chain, and its bounds are what the re-run would find."""
    assert not judged(problem, "loss_decreased", False).outcome.correct
    assert problem.by_id["loss_decreased"].allowance == {}
    assert preparing.WORK["allowances"] == 0
    assert not problem.by_id["loss_decreased"].allowances.rounding.base  # told by the solution: no step worked out
    assert allowances(problem.by_id["loss_decreased"].allowances.chain, ["loss_decreased"], 3) == {}


def test_moving_a_step_works_again_only_the_steps_after_it() -> None:
    """Each step is worked out once for the chain, once with the values before it rounded, and again only when
    a step before it is moved: a step moved keeps the values of those before it."""
    worked: Counter[str] = Counter()

    step = functools.partial(counted_step, worked)

    chain = Chain(
        (step("a", lambda v: 0.1808), step("b", lambda v: 0.3 * v["a"]), step("y", lambda v: 2 * v["b"] + v["a"])),
        {"y": lambda v: (v["y"],)},
    )
    found = allowances(chain, ["y"], 3)
    down, up = found["y"][(0,)]
    # a: 0.1808 to 0.181 moves y up (2 * 0.3 + 1) * 0.0002; b: 0.05424 to 0.0542 moves it down 2 * 0.00004
    assert (down, up) == (pytest.approx(0.00008), pytest.approx(0.00032))
    assert worked["a"] == 2  # never again when b or y is moved, though y reads it
    assert worked["b"] == 3  # and once more when a is moved


def test_parts_without_formulas_share_one_scope() -> None:
    """A Scope is validated when made: a part with no formula (most parts of most variants) makes none."""
    from hwsolver.grading.formulas import Formulas

    assert Formulas().scope is Formulas.for_part((0.5,), {}).scope


def test_an_answer_is_read_with_one_step_moved_alone_only_if_it_reads_that_step() -> None:
    """Moving a step, the answer is read from the steps worked again and from the steps with that one moved
    alone: an answer that does not read the moved step itself reads the unmoved numbers there, known already."""
    alone: list[dict] = []  # the plain values an answer was read from: a step moved alone

    def answer(v):
        if type(v) is dict:
            alone.append(v)
        return (v["y"],)

    steps = (("a", lambda v: 0.1808), ("b", lambda v: 0.3 * v["a"]), ("y", lambda v: 2 * v["b"] + v["a"]))
    found = allowances(Chain(steps, {"y": answer}), ["y"], 3)
    assert found["y"][(0,)] == (pytest.approx(0.00008), pytest.approx(0.00032))  # as before (a and b moved)
    assert alone and all(v["a"] == 0.1808 and v["b"] == 0.3 * 0.1808 for v in alone)  # y's own moves only


def test_a_near_miss_beyond_the_reach_needs_no_allowance(problem) -> None:
    """Answers 1-4% off (a slip's earlier value carried on): further than the chain's reach (model.Chain.reach, one
    pass for the problem), so no allowance is worked out for them; the witness works the allowances out afterwards
    and asks `within` with them."""
    answers = [("output_after", (0.331,)), ("output_after", (0.315,)), ("loss_after", 0.0168), ("gradients", None)]
    reference = problem.by_id["gradients"].reference
    answers[-1] = (
        "gradients",
        {name: tuple(tuple(x * 1.02 for x in row) for row in rows) for name, rows in reference.items()},
    )
    for part_id, value in answers:
        assert not judged(problem, part_id, value).outcome.correct
    assert preparing.WORK["allowances"] == 0
    assert preparing.WORK["reaches"] == 1  # once for the problem, its parts read from it
    for part_id, value in answers:
        part = problem.by_id[part_id]
        assert part.allowance and within(value, part.reference, part.allowance, part.tolerance) is False


def test_a_part_surely_without_an_allowance_is_told_so_unworked(monkeypatch) -> None:
    """Worked.may_round says no only where the part's allowance is empty (the witness: each part's worked out
    afterwards), before any chain is built (a kind without one: pooling's) and after (a yes/no of a total chain, a
    part the chain does not answer); and a wrong answer to such a part walks nothing for its rounding."""
    from hwsolver.grading import slips

    walked: list[object] = []
    monkeypatch.setattr(slips, "answer_leaves", lambda value: walked.append(value) or leaves(value))
    said_no, unbuilt_no = set(), set()
    for problem in prepare(solve_paths(), lazy=True):
        chains = preparing.WORK["chains"]
        unbuilt = {part.part.id: part.worked.may_round(part.part.id) for part in problem.every}
        unbuilt_no |= {(problem.problem.id, name) for name, may in unbuilt.items() if not may}
        for part in problem.every:
            formulas: list = []
            as_floats(part.reference, formulas)
            if not unbuilt[part.part.id] and not formulas:  # numbers and yes/no values: made wrong
                wrong = map_leaves(part.reference, lambda path, x: not x if type(x) is bool else 3 * float(x) + 1)
                walked.clear()
                assert not judged(problem, part.part.id, wrong).outcome.correct and not walked
        assert preparing.WORK["chains"] == chains  # told without one
        built = problem.worked.allowances
        # the witness: every part's allowance worked out by the chain itself, with no rule telling it unworked
        worked_out = Rounding(built.chain, built.sigfigs).allowances(built.order) if built else {}
        for part in problem.every:
            name = (problem.problem.id, part.part.id)
            if not unbuilt[part.part.id] or not part.worked.may_round(part.part.id):
                said_no.add(name)
                assert not worked_out.get(part.part.id) and part.allowance == {}
    assert ("pooling-backprop", "delta_prev") in unbuilt_no and ("relu-network-update", "loss_decreased") in said_no
    assert {("relu-network-update", "loss_history"), ("conv-backprop", "recursion")} <= said_no  # not the chain's
    assert ("relu-network-update", "output_after") not in said_no

"""Follow-through's work on one wrong answer, each piece once: the re-run's widened bounds per re-run and part,
and no second check against a re-run no rounding moves (counted, with the result a fresh computation gives)."""

from __future__ import annotations

from fractions import Fraction
from types import SimpleNamespace
from typing import Any

from hwsolver.grading import follow
from hwsolver.grading.checkers import Tolerance, check
from hwsolver.grading.prepared import Seen
from hwsolver.grading.rounding import within


class _Part:
    """A part as _with_allowance and _checked read it, counting how often its allowance is asked for."""

    def __init__(self, allowance: dict) -> None:
        self._allowance, self.asked = allowance, 0
        self.allowances = None  # no reach: the allowance alone decides
        self.tolerance, self.formulas = Tolerance(), SimpleNamespace(equivalent=None)

    @property
    def allowance(self) -> dict:
        self.asked += 1
        return self._allowance


def test_the_widened_bounds_are_worked_out_once_per_rerun_and_part() -> None:
    rerun = follow.Rerun((0.5, 0.25), lambda: {(0,): (0.01, 0.02)})
    part, other = _Part({(1,): (0.001, 0.002)}), _Part({})
    first = follow._with_allowance(rerun, part)  # type: ignore[arg-type]
    assert first == {(0,): (0.01, 0.02), (1,): (0.001, 0.002)}  # by hand: the re-run's and the part's, added
    assert follow._with_allowance(rerun, part) is first  # type: ignore[arg-type]
    assert part.asked == 1
    assert follow._with_allowance(rerun, other) == {(0,): (0.01, 0.02)}  # type: ignore[arg-type]
    assert other.asked == 1


def test_a_rerun_no_rounding_moves_is_not_checked_again(monkeypatch) -> None:
    part = _Part({})
    rerun = follow.Rerun((0.5, 0.25, 0.125), None)  # not rounded: no bounds
    known = Seen(key="k", value=(0.5, 0.3, 0.125), written="")
    fresh = follow._against(known, rerun, part)  # type: ignore[arg-type]
    assert fresh.share == Fraction(2, 3) == check(known.value, rerun.nominal, part.tolerance).share  # the witness
    calls: list[Any] = []
    real = follow._checked
    monkeypatch.setattr(follow, "_checked", lambda *args, **kw: calls.append(args) or real(*args, **kw))
    plain = follow._checked(known.value, rerun.nominal, part, explain=False)  # type: ignore[arg-type]
    assert follow._against(known, rerun, part, plain) is plain  # type: ignore[arg-type]
    assert len(calls) == 1


def _counted_rerun(nominal: Any, bounds: dict) -> tuple[follow.Rerun, list[int]]:
    """A rounded re-run whose bounds count how often they are worked out."""
    worked: list[int] = []
    return follow.Rerun(nominal, lambda: worked.append(1) or bounds), worked


def test_figures_written_short_settle_the_answer_without_bounds() -> None:
    # 3 figures asked; 0.26 and 0.5 are written with fewer, so rounding._moved judges them against the re-run's
    # own value whatever the bounds: 0.26 against 0.25 says no, 0.25 and 0.5 against themselves say yes
    nominal, wide = (0.25, 0.5), {(0,): (0.5, 0.5), (1,): (0.5, 0.5)}
    for value, agrees in (((0.26, 0.5), False), ((0.25, 0.5), True), ((0.2512, 0.5), None)):
        part = _Part({})
        rerun, worked = _counted_rerun(nominal, wide)
        known = Seen(key="k", value=value, written="")
        found = follow._agrees(known, rerun, part)  # type: ignore[arg-type]
        # the witness: within itself, with bounds wide enough to reach any value near the re-run's
        assert found == within(value, nominal, wide, part.tolerance)
        if agrees is None:  # 4 figures: its bound decides (0.2512 lies within it)
            assert found and worked == [1] and part.asked == 1
        else:
            assert found is agrees and worked == [] and part.asked == 0  # neither bounds nor allowance


def test_a_yes_no_in_the_answer_leaves_its_bound_to_decide() -> None:
    part = _Part({})
    rerun, worked = _counted_rerun((0.25, False), {(0,): (0.0, 0.0), (1,): {False, True}})
    known = Seen(key="k", value=(0.25, True), written="")
    assert follow._agrees(known, rerun, part)  # type: ignore[arg-type]
    assert worked == [1]


def test_an_unrounded_rerun_asks_no_allowance_where_the_figures_settle_it() -> None:
    # a re-run from positions or a formula (not rounded): 0.26 and 0.5 are written with fewer figures than the 3
    # asked, so the answer is judged against the re-run's own value whatever the part's allowance
    nominal, wide = (0.25, 0.5), {(0,): (0.5, 0.5), (1,): (0.5, 0.5)}
    for value, agrees in (((0.26, 0.5), False), ((0.25, 0.5), True)):
        part = _Part(wide)
        known = Seen(key="k", value=value, written="")
        assert follow._agrees(known, follow.Rerun(nominal, None), part) is agrees  # type: ignore[arg-type]
        assert part.asked == 0
        # the witness: within itself, with the part's allowance wide enough to reach any value near the re-run's
        assert within(value, nominal, wide, part.tolerance) is agrees
    part = _Part(wide)  # 4 figures: the allowance decides (0.2512 lies within it, and is not close to 0.25)
    known = Seen(key="k", value=(0.2512, 0.5), written="")
    assert follow._agrees(known, follow.Rerun(nominal, None), part)  # type: ignore[arg-type]
    assert part.asked > 0


class _Reaching(_Part):
    """A part whose allowances the kind bounds unrun (Allowances.reach): each number moves by 0.002 at most."""

    def __init__(self, allowance: dict) -> None:
        super().__init__(allowance)
        self.allowances = SimpleNamespace(reach=lambda part: {(0,): 0.002, (1,): 0.002})
        self.part = SimpleNamespace(id="p")


def test_an_answer_beyond_the_reach_needs_no_allowance() -> None:
    # the re-run's bounds 0.01 and the reach 0.002: 0.5 + 0.012 and a tolerance's half unit at most; 0.5301 is beyond
    allowance = {(0,): (0.001, 0.002), (1,): (0.0, 0.0)}
    for value, agrees in (((0.5301, 0.25), False), ((0.5105, 0.25), True)):
        part = _Reaching(allowance)
        rerun, _ = _counted_rerun((0.5, 0.25), {(0,): (0.01, 0.01), (1,): (0.0, 0.0)})
        known = Seen(key="k", value=value, written="")
        assert follow._agrees(known, rerun, part) is agrees  # type: ignore[arg-type]
        assert part.asked == (0 if agrees is False else 1)  # ruled out before the allowance is asked for
        # the witness: within with the re-run's bounds widened by the allowance
        assert within(value, rerun.nominal, follow._with_allowance(rerun, part), part.tolerance) is agrees  # type: ignore[arg-type]


# Exercise (1)'s gradients with W2 off (not a slip), and parameters after with W1 right and W2 neither the
# reference's nor the re-run's from those gradients
W2_OFF = """\
    gradients:
      W1: [[-0.0226, -0.0339], [-0.03616, -0.05424]]
      W2: [[-0.06102, -0.07797]]
    params_after:
      W1: [[0.6226, 0.2339], [0.13616, 0.75424]]
      W2: [[0.6, 0.9]]
"""


def test_a_share_of_entries_no_more_than_the_checkers_own_is_not_made(tmp_path, monkeypatch) -> None:
    """Exercise (1): gradients whose W2 is off (not a slip), parameters after with W1 right and W2 neither the
    reference's nor the re-run's. The re-run from the gradients agrees on W1 alone, as the reference does: its share
    is the checker's own, never taken, and its feedback is not made (counted); the part earns the checker's share
    (the witness: the check against the reference, made here)."""
    answers = "    output_before: 0.274\n" + W2_OFF
    explained: list[Any] = []
    real = follow._checked

    def counted(*args: Any, **kw: Any) -> Any:
        if kw.get("explain", True):
            explained.append(args)
        return real(*args, **kw)

    monkeypatch.setattr(follow, "_checked", counted)
    prepared, parts = _graded(tmp_path, answers)
    found, part = parts["params_after"], prepared.by_id["params_after"]
    written = {"W1": ((0.6226, 0.2339), (0.13616, 0.75424)), "W2": ((0.6, 0.9),)}
    expected = check(written, part.reference, part.tolerance)
    assert 0 < expected.share < 1
    assert found.score == expected.share * part.points and not found.follow_through
    assert "reckoned" not in found.feedback
    assert explained == []  # the re-run's share not taken: no feedback made for it


def test_a_rerun_further_off_than_its_spread_is_told_without_its_bounds(tmp_path, monkeypatch) -> None:
    """Exercise (1): parameters after off (not a slip), an output after off the re-run from them by more than
    rounding moves it, but not by more than the output itself. The kind's spread (follow_spread.py) tells so
    without the re-run's bounds (counted: a re-run per number read); the witness: the same grades with the spread
    not told, its bounds worked out."""
    from hwsolver.grading import reruns
    from hwsolver.kinds.mlp_backprop import follow_spread

    answers = """\
    params_after:
      W1: [[0.65, 0.25], [0.15, 0.8]]
      W2: [[0.6, 0.9]]
    output_after: 0.412
    loss_after: 0.00300
"""
    worked: list[str] = []
    real = reruns._bounds
    monkeypatch.setattr(
        reruns, "_bounds", lambda parts, route, *rest: worked.append(route.part) or real(parts, route, *rest)
    )
    _, told = _graded(tmp_path, answers)
    assert worked == []
    monkeypatch.setattr(follow_spread, "spreads", lambda net, run: {})
    _, untold = _graded(tmp_path, answers)
    assert told == untold
    assert "output_after" in worked and "loss_after" in worked


def _graded(tmp_path: Any, answers: str, grading: str = "") -> tuple[Any, dict[str, Any]]:
    """Exercise (1) prepared (with `grading`, the lecturer's options, when given) and the parts graded for a
    submission whose answers are `answers` (YAML, as a student writes)."""
    from pathlib import Path

    from hwsolver.grading.grader import grade_file
    from hwsolver.grading.prepared import prepare
    from hwsolver.solving import solve_paths

    exercise = Path(__file__).resolve().parents[2] / "problems" / "relu-network-update.yaml"
    if grading:
        spec = exercise.read_text(encoding="utf-8").replace("\nparts:\n", f"\ngrading: {grading}\nparts:\n", 1)
        exercise = tmp_path / "variant.yaml"
        exercise.write_text(spec, encoding="utf-8")
    prepared = prepare(solve_paths([exercise]))
    path = tmp_path / "student.yaml"
    path.write_text(f"student: PB21000001\nanswers:\n  relu-network-update:\n{answers}", encoding="utf-8")
    result = grade_file(str(path), prepared)
    assert result.error is None, result.error
    return prepared[0], {part.id: part for part in result.problems[0].parts}


def test_a_route_whose_credit_is_no_more_than_the_checkers_share_is_not_checked(tmp_path, monkeypatch) -> None:
    """Exercise (1) with half credit for follow-through: gradients whose W2 is off (not a slip), parameters after
    with W1 right and W2 neither the reference's nor the re-run's. The checker gives the parameters half their points;
    the route from the gradients could give at most half of its credit of a half: it is not checked at all (counted).
    The witness: the re-run by hand (the given weights less the student's gradients, learning rate 1), its check
    times the credit no more than the checker's share, which the part earns."""
    answers = W2_OFF
    checked: list[Any] = []
    real = follow._checked
    monkeypatch.setattr(follow, "_checked", lambda *args, **kw: checked.append(args[2].part.id) or real(*args, **kw))
    prepared, parts = _graded(tmp_path, answers, "{follow_through: 0.5}")
    part = prepared.by_id["params_after"]
    assert part.follow_through_credit == Fraction(1, 2)
    written = {"W1": ((0.6226, 0.2339), (0.13616, 0.75424)), "W2": ((0.6, 0.9),)}
    own = check(written, part.reference, part.tolerance).share
    rerun = {"W1": written["W1"], "W2": ((0.5 + 0.06102, 0.8 + 0.07797),)}  # W1 = given less gradients, as written
    assert 0 < part.follow_through_credit * check(written, rerun, part.tolerance).share <= own < 1
    found = parts["params_after"]
    assert found.score == own * part.points and not found.follow_through and "reckoned" not in found.feedback
    assert "params_after" not in checked  # (last: the grade above is the same with the route checked)


def test_a_yes_no_the_rerun_gives_agrees_without_its_bounds(tmp_path, monkeypatch) -> None:
    """Exercise (1): both losses wrong (not slips) and the loss said to have gone up, as they say (the reference's
    yes is that it went down): the re-run from the losses gives that no, and agrees whatever the rounding of the
    losses moves, so its bounds are not worked out, nor widened by the part's allowance (counted), and the point is
    earned by follow-through. The witness: the same no after losses that went down (the two swapped), which the
    re-run's bounds (worked out) do not reach (0.0300 and 0.0350 rounded never compare the other way), earns nothing."""
    from hwsolver.grading import reruns

    worked: list[str] = []
    real = reruns._bounds
    monkeypatch.setattr(
        reruns, "_bounds", lambda parts, route, *rest: worked.append(route.part) or real(parts, route, *rest)
    )
    widened: list[str] = []
    real_widened = follow._with_allowance
    monkeypatch.setattr(
        follow,
        "_with_allowance",
        lambda rerun, part: widened.append(part.part.id) or real_widened(rerun, part),
    )
    swapped = "    loss_before: 0.0350\n    loss_after: 0.0300\n    loss_decreased: no\n"
    prepared, parts = _graded(tmp_path, swapped)
    assert prepared.by_id["loss_decreased"].reference is True
    assert (parts["loss_decreased"].score, parts["loss_decreased"].follow_through) == (0, False)
    assert "loss_decreased" in worked  # the counter sees the bounds a no the re-run does not give needs
    worked.clear()
    widened.clear()
    _, parts = _graded(tmp_path, "    loss_before: 0.0300\n    loss_after: 0.0350\n    loss_decreased: no\n")
    assert (parts["loss_decreased"].score, parts["loss_decreased"].follow_through) == (1, True)
    assert "loss_decreased" not in worked and "loss_decreased" not in widened  # (last: the same grade with them)


def test_an_answers_ends_are_worked_out_once_and_again_once_it_is_checked(monkeypatch) -> None:
    """Every route that reads an answer, and a re-run's bound and its bounds, share the answer's ends (counted); an
    answer read before it was checked (taken as wrong) gets them worked out again once it is known to be right."""
    from hwsolver.grading import reruns
    from hwsolver.grading.checkers import RIGHT

    part = SimpleNamespace(reference=(0.5, 0.25), tolerance=Tolerance())
    item = Seen(key="k", value=(0.5, 0.2504), written="")
    worked: list[Any] = []
    real = reruns._worked_out_ends
    monkeypatch.setattr(reruns, "_worked_out_ends", lambda *args: worked.append(args) or real(*args))
    wrong = reruns._ends(part, item, False)  # type: ignore[arg-type]
    assert reruns._ends(part, item, False) is wrong and len(worked) == 1  # type: ignore[arg-type]
    # by hand: half a unit of the last digit written, at most of the third figure (the tolerance)
    assert wrong == [((0,), [(0.0005, True)]), ((1,), [(0.00005, True)])]
    assert len(reruns._ends(part, item, True)[0][1]) == 2 and len(worked) == 2  # type: ignore[arg-type]  # both ways
    item.outcome = RIGHT
    right = reruns._ends(part, item, False)  # type: ignore[arg-type]
    assert len(worked) == 3 and right == [((1,), [(0.25 - 0.2504, False)])]  # the true value: the one move


def test_an_answer_equal_to_its_reference_as_a_whole_is_its_numbers_by_place() -> None:
    """_same_numbers's shortcut (equal as a whole) against the comparison number by number (the witness), on drawn
    answers: equal ones, one number moved, -0.0 for 0.0, yes/no for 1.0, NaN, lists for tuples, no numbers at all."""
    import math
    import random

    from hwsolver.grading.leaves import answer_leaves

    def by_leaves(value: Any, reference: Any) -> bool:
        found = answer_leaves(value)
        return bool(found) and found == answer_leaves(reference)

    rng = random.Random(29)
    pool = [0.0, -0.0, 1.0, True, False, 0.25, math.nan, 1e-300, -2.5]

    def drawn(depth: int) -> Any:
        shape = rng.choice(["number", "tuple", "dict"] if depth else ["number"])
        if shape == "number":
            return rng.choice(pool)
        items = [drawn(depth - 1) for _ in range(rng.randint(0, 3))]
        return tuple(items) if shape == "tuple" else {f"W{n}": item for n, item in enumerate(items)}

    def varied(value: Any) -> Any:
        if type(value) is tuple:
            return rng.choice([tuple(varied(v) for v in value), list(value), value])
        if type(value) is dict:
            return {key: varied(item) for key, item in value.items()}
        return rng.choice([value, value, rng.choice(pool)])

    said = set()
    for _ in range(3000):
        reference = drawn(3)
        value = rng.choice([reference, varied(reference), drawn(3)])
        found = follow._same_numbers(value, reference)
        assert found is by_leaves(value, reference), (value, reference)
        said.add(found)
    assert said == {True, False}

"""Follow-through's work on one wrong answer, each piece once: the re-run's widened bounds per re-run and part,
and no second check against a re-run no rounding moves (counted, with the result a fresh computation gives)."""

from __future__ import annotations

from fractions import Fraction
from types import SimpleNamespace
from typing import Any

from hwsolver.grading import follow
from hwsolver.grading.checkers import Tolerance, check
from hwsolver.grading.prepared import Seen


class _Part:
    """A part as _with_allowance and _checked read it, counting how often its allowance is asked for."""

    def __init__(self, allowance: dict) -> None:
        self._allowance, self.asked = allowance, 0
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

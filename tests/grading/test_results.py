"""PartResult's own __init__ (one step, not the frozen dataclass's nine): it sets every field, and nothing else."""

from __future__ import annotations

import pickle
from dataclasses import FrozenInstanceError, fields, replace
from fractions import Fraction

import pytest

from hwsolver.grading.results import PartResult


def test_a_part_result_holds_every_field_by_position_or_name_and_stays_frozen() -> None:
    values = ("d1", Fraction(1, 2), Fraction(1), "partial", "fb", "sign_error", True, "0.5", "hint")
    by_position = PartResult(*values)
    by_name = PartResult(**{f.name: v for f, v in zip(fields(PartResult), values)})
    assert by_position == by_name and hash(by_position) == hash(by_name)
    assert vars(by_position) == {f.name: v for f, v in zip(fields(PartResult), values)}
    defaults = PartResult("d1", Fraction(0), Fraction(1), "missing")
    assert vars(defaults) == {f.name: getattr(defaults, f.name) for f in fields(PartResult)}
    assert (defaults.feedback, defaults.mistake, defaults.follow_through, defaults.answer) == ("", None, False, None)
    assert defaults.feedback_without_expected is None and defaults.hint == ""
    assert replace(by_position, verdict="correct").verdict == "correct"
    assert pickle.loads(pickle.dumps(by_position)) == by_position
    with pytest.raises(FrozenInstanceError):
        by_position.score = Fraction(1)  # type: ignore[misc]

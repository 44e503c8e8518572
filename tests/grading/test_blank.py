"""No answer: a key left empty or a remark in place of an answer is `missing`, not `invalid` (POLICY of the TA's
class: "no answer" is worth 0 and says so; "unknown name 'idk'" would be beside the point)."""

from __future__ import annotations

from pathlib import Path

import pytest

from hwsolver.grading.grader import grade_file
from hwsolver.grading.prepared import prepare
from hwsolver.solving import solve_paths

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def prepared():
    return prepare(solve_paths([ROOT / "problems"]))


def _graded(tmp_path: Path, prepared, answers: str) -> dict:
    path = tmp_path / "s.yaml"
    path.write_text(f"student: s1\nanswers:\n  relu-network-update:\n{answers}", encoding="utf-8")
    result = grade_file(str(path), prepared)
    assert result.error is None
    (problem,) = [p for p in result.problems if p.id == "relu-network-update"]
    return {part.id: (part.verdict, part.feedback) for part in problem.parts}


@pytest.mark.parametrize("written", ["", "null", "~", "''", "'   '", '""'])
def test_a_key_with_no_value_is_no_answer(tmp_path: Path, prepared, written: str) -> None:
    parts = _graded(tmp_path, prepared, f"    output_before: {written}\n    gradients: {written}\n")
    assert parts["output_before"] == parts["gradients"] == ("missing", "no answer")


@pytest.mark.parametrize(
    ("written", "said"),
    [("idk", "idk"), ("I don't know.", "I don't know."), ("不会", "不会"), ("见纸质版", "见纸质版"), ("'?'", "?")],
)
def test_a_remark_in_place_of_an_answer_is_no_answer(tmp_path: Path, prepared, written: str, said: str) -> None:
    parts = _graded(tmp_path, prepared, f"    output_before: {written}\n    loss_decreased: {written}\n")
    assert parts["output_before"] == parts["loss_decreased"] == ("missing", f"no answer ('{said}' is not one)")


@pytest.mark.parametrize(("written", "verdict"), [("是", "correct"), ("否", "incorrect"), ("idk(x)", "invalid")])
def test_what_reads_as_an_answer_or_is_garbage_is_not_a_remark(
    tmp_path: Path, prepared, written: str, verdict: str
) -> None:
    assert _graded(tmp_path, prepared, f"    loss_decreased: {written}\n")["loss_decreased"][0] == verdict

"""The one JSON writer of submissions: the record submission_record builds, written as json.dumps writes it."""

from __future__ import annotations

import json
from fractions import Fraction

from hwsolver.grading.reports import submission_json, submission_record
from hwsolver.grading.results import PartResult, ProblemResult, SubmissionResult


def test_the_writer_is_json_dumps_of_the_record_for_every_kind_of_value() -> None:
    part = PartResult("d1", Fraction(8, 9), Fraction(1), "partial", 'a "quote", 中文, \\ and é', "sign_error", True)
    other = PartResult("d2", Fraction(0), Fraction(2), "missing", "no answer", None, False)
    problem = ProblemResult("p-1", (part, other))
    result = SubmissionResult(
        "dir/学生 1.yaml", "PB1", problems=(problem,), max_score=Fraction(3), warnings=("line\nbreak", "tab\there")
    )
    text = submission_json(result)
    assert text == json.dumps(submission_record(result), ensure_ascii=False)
    assert json.loads(text)["problems"][0]["parts"][0]["score"] == 0.8889
    failed = SubmissionResult("x.yaml", None, error="cannot read: \x1b[31m")
    assert submission_json(failed) == json.dumps(submission_record(failed), ensure_ascii=False)

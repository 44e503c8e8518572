"""The one JSON writer of submissions: the record submission_record builds, written as json.dumps writes it."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from fractions import Fraction

from hwsolver.grading import reports
from hwsolver.grading.reports import json_pieces, render_outputs, submission_json, submission_record
from hwsolver.grading.results import Late, PartResult, ProblemResult, SubmissionResult


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
    hidden = PartResult("d3", Fraction(1, 2), Fraction(1), "partial", "expected 2", None, False, "1\n", "wrong")
    when = datetime(2026, 3, 1, 12, tzinfo=timezone.utc)
    late = SubmissionResult(
        "l.yaml",
        "PB2",
        problems=(ProblemResult("p", (hidden,)),),
        max_score=Fraction(1),
        submitted=when,
        late=Late(when, 2, Fraction(1, 3)),
    )
    assert submission_json(late) == json.dumps(submission_record(late), ensure_ascii=False)
    assert json.loads(submission_json(late))["late_deduction"] == 0.3333


def test_a_worker_hands_the_json_record_over_as_utf8_and_the_document_is_those_bytes_joined() -> None:
    """Encoded once, in the worker: the parent neither decodes nor encodes a class's tens of megabytes."""
    part = PartResult("d1", Fraction(1), Fraction(1), "correct", "中文 é")
    results = [
        SubmissionResult(f"学生{n}.yaml", f"PB{n}", problems=(ProblemResult("p", (part,)),), max_score=Fraction(1))
        for n in range(3)
    ]
    rendered = [render_outputs(r, [], fmt="json", gradebook=False, feedback=False) for r in results]
    assert [type(r.document) for r in rendered] == [bytes] * 3
    assert [r.document for r in rendered] == [submission_json(r).encode("utf-8") for r in results]
    document = b"".join(json_pieces([r.document for r in rendered], '{"lock": "l.yaml",\n'))
    expected = {"lock": "l.yaml", "submissions": [submission_record(r) for r in results]}
    assert json.loads(document.decode("utf-8")) == json.loads(json.dumps(expected, ensure_ascii=False))
    assert document.startswith(b'{"lock": "l.yaml",\n"submissions": [\n{') and document.endswith(b"}\n]}")


def test_a_part_result_shared_by_students_is_encoded_once_and_an_equal_one_alike() -> None:
    shared = PartResult("d1", Fraction(1), Fraction(1), "correct", "right")
    first, second = (
        SubmissionResult(f"s{n}.yaml", f"PB{n}", problems=(ProblemResult("p", (shared,)),), max_score=Fraction(1))
        for n in range(2)
    )
    submission_json(first)
    kept = reports._PARTS[id(shared)]
    submission_json(second)
    assert reports._PARTS[id(shared)] is kept  # found by the object itself, not encoded again
    equal = PartResult("d1", Fraction(1), Fraction(1), "correct", "right")  # another student's, by value the same
    assert reports._part_json(equal) == kept[1] and reports._PARTS[id(equal)][0] is equal

"""The late rule's arithmetic (grading/late.py) and the strict reading of due dates, late rules and submission
times (spec/deadlines.py). Expected values are worked by hand from the README's rule; `_started_days` counts days
a second way (stepping a day at a time) as the witness of the ceiling."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from fractions import Fraction

import pytest

from hwsolver.errors import SpecError
from hwsolver.grading.late import with_late
from hwsolver.grading.results import PartResult, ProblemResult, SubmissionResult
from hwsolver.spec.deadlines import Deadline, read_deadline, read_time
from hwsolver.spec.reader import parse_text

RULE = "late: {per_day: 10%, max_days: 5, grace_minutes: 15}"


def deadline(text: str) -> Deadline | None:
    fields = parse_text(text, "hw.yaml").mapping()
    return read_deadline(fields.get("due"), fields.get("timezone"), fields.get("late"))


def submitted(text: str) -> datetime:
    return read_time(parse_text(f"submitted: {text}\n", "a.yaml").mapping()["submitted"], None)


def graded(raw: int, top: int = 10, when: str | None = None) -> SubmissionResult:
    part = PartResult("p", Fraction(raw), Fraction(top), "partial")
    return SubmissionResult(
        "a.yaml",
        "PB1",
        problems=(ProblemResult("x", (part,)),),
        max_score=Fraction(top),
        submitted=when and submitted(when),
    )


def final(raw: int, when: str, due: str = f"due: 2024-10-15T12:00:00Z\n{RULE}\n", top: int = 10):
    result = with_late(graded(raw, top, when), deadline(due))
    assert result.score == raw  # the raw score is kept beside the deduction
    return result.late.days, result.final_score


def _started_days(over: timedelta) -> int:
    days = 0
    while over > timedelta(days=days):
        days += 1
    return days


@pytest.mark.parametrize(
    ("when", "days", "score"),
    [
        ("2024-10-15T11:00:00Z", 0, 7),  # early
        ("2024-10-15T12:00:00Z", 0, 7),  # on the due moment
        ("2024-10-15T12:15:00Z", 0, 7),  # at the end of the grace
        ("2024-10-15T12:15:01Z", 1, 6),  # a second past the grace: late from the due moment, 10% of 10 points
        ("2024-10-16T12:00:00Z", 1, 6),  # exactly one day
        ("2024-10-16T12:01:00Z", 2, 5),  # a day and a minute: 2 days (every started day counts)
        ("2024-10-20T12:00:00Z", 5, 2),  # max_days exactly: 50% of the maximum taken
        ("2024-10-20T12:00:01Z", 6, 0),  # past max_days: 0, whatever the raw score
    ],
)
def test_days_late_and_the_deduction_from_the_maximum(when: str, days: int, score: int) -> None:
    assert final(7, when) == (days, score)
    over = submitted(when) - datetime(2024, 10, 15, 12, tzinfo=timezone.utc)
    if over > timedelta(minutes=15):
        assert days == _started_days(over)


def test_the_deduction_never_takes_a_score_below_zero_or_the_lowest_share() -> None:
    assert final(1, "2024-10-18T12:00:00Z") == (3, 0)  # 1 point less 3 points: 0, never negative
    floor = "due: 2024-10-15T12:00:00Z\nlate: {per_day: 20%, lowest: 50%}\n"
    assert final(8, "2024-10-18T12:00:00Z", floor) == (3, 5)  # 8 - 6 is below half of 10: 5
    assert final(3, "2024-10-18T12:00:00Z", floor) == (3, 3)  # already below the floor: kept, not raised
    assert final(8, "2024-12-31T12:00:00Z", floor) == (77, 5)  # no max_days: the floor holds however late


def test_with_no_rule_lateness_is_measured_and_nothing_taken() -> None:
    result = with_late(graded(7, when="2024-10-17T00:00:01Z"), deadline("due: 2024-10-15\n"))
    assert (result.late.days, result.late.deduction, result.final_score) == (2, 0, 7)


def test_no_recorded_time_no_due_date_or_an_ungraded_file_is_never_late() -> None:
    rule = deadline(f"due: 2024-10-15\n{RULE}\n")
    assert with_late(graded(7), rule).late is None  # no `submitted:`: no guess (not from the file's mtime)
    assert with_late(graded(7, when="2030-01-01T00:00:00Z"), None).late is None
    broken = SubmissionResult("a.yaml", None, error="bad", max_score=Fraction(10))
    assert with_late(broken, rule) is broken


def test_a_bare_due_date_is_the_end_of_that_day_in_the_assignments_timezone() -> None:
    shanghai = f"due: 2024-10-15\ntimezone: Asia/Shanghai\n{RULE}\n"
    assert deadline(shanghai).due == datetime(2024, 10, 15, 16, tzinfo=timezone.utc)  # midnight +08:00
    assert final(7, "2024-10-15T23:59:59+08:00", shanghai) == (0, 7)
    assert final(7, "2024-10-15T16:30:00Z", shanghai) == (1, 6)  # 00:30 the next day in Shanghai
    assert final(7, "2024-10-16 00:10", shanghai) == (0, 7)  # no offset: Shanghai time, within the grace
    assert final(7, "2024-10-16 00:10", f"due: 2024-10-15\n{RULE}\n") == (0, 7)  # default UTC
    assert final(7, "2024-10-16 08:10", f"due: 2024-10-15\n{RULE}\n") == (1, 6)
    # a time with its offset wins over the timezone, which still places submissions written without one
    explicit = f"due: 2024-10-15T23:59:00-04:00\ntimezone: Asia/Shanghai\n{RULE}\n"
    assert final(7, "2024-10-16T03:59:00Z", explicit) == (0, 7)
    assert final(7, "2024-10-16 11:59", explicit) == (0, 7)  # 11:59 in Shanghai is 03:59 UTC


def test_days_are_elapsed_time_across_a_change_of_clocks() -> None:
    # New York falls back on 2024-11-03: its 25 hours after midnight are more than a day
    rule = f"due: 2024-11-02\ntimezone: America/New_York\n{RULE}\n"
    assert final(7, "2024-11-03T23:30:00-05:00", rule) == (2, 5)  # 24.5 hours after the due midnight (-04:00)
    assert final(7, "2024-11-03T22:59:00-05:00", rule) == (1, 6)


@pytest.mark.parametrize(
    "text",
    [
        "99999-01-01T00:00:00Z",  # a year past 9999
        "+10000-01-01T00:00:00Z",
        "0000-01-01T00:00:00Z",  # no year 0
        "2024-02-30T12:00:00Z",
        "2024-10-15T24:00:00Z",
        "2024-10-15T12:00:00+25:00",
        "2024-10-15",  # a date alone says nothing of the time
        "yesterday",
        "２０２４-10-15T12:00:00Z",  # full-width digits
        "2024-10-15T12:00:00\u202eZ",  # a bidirectional control
        "1729000000",  # a Unix time: not ISO 8601
        "[2024, 10, 15]",
        "{at: 2024-10-15T12:00:00Z}",
        "2024-10-15T12:00:00Z" + "0" * 200,
        "__import__('os').system('true')",
        "~",
    ],
)
def test_a_hostile_submitted_time_is_one_message_naming_file_line_and_field(text: str) -> None:
    with pytest.raises(SpecError) as error:
        submitted(text)
    message = str(error.value)
    assert message.startswith("a.yaml:1:12: submitted: ") and "\n" not in message


def test_a_yaml_timestamp_and_a_quoted_string_read_alike() -> None:
    # unquoted, YAML would make a datetime object; quoted, a string: both are the same time here
    assert submitted("2024-10-16T00:20:00+08:00") == submitted("'2024-10-16T00:20:00+08:00'")
    assert submitted('"2024-10-16 00:20:00.5 +08:00"') == datetime(
        2024, 10, 16, 0, 20, 0, 500000, tzinfo=timezone(timedelta(hours=8))
    )
    assert submitted("2024-10-16t00:20Z").tzinfo == timezone.utc
    assert submitted("9999-12-31T23:59:59-23:59").year == 9999  # far, yet a real time: late, not a crash
    # 10000-01-01T23:58:59Z: the whole days from the due date to 9999-12-31, one more, and a started one
    days = (date(9999, 12, 31) - date(2024, 10, 15)).days + 2
    assert final(7, "9999-12-31T23:59:59-23:59") == (days, 0)


@pytest.mark.parametrize(
    ("text", "where", "says"),
    [
        (f"{RULE}\n", "hw.yaml:1:7: late", "needs a `due:` date"),
        ("due: soon\n", "hw.yaml:1:6: due", "expected a date and time"),
        ("due: 2024-10-15\ntimezone: Mars/Olympus\n", "hw.yaml:2:11: timezone", "unknown timezone"),
        ("due: 2024-10-15\ntimezone: ../../etc/passwd\n", "hw.yaml:2:11: timezone", "unknown timezone"),
        ("due: 2024-10-15\nlate: {per_day: 10}\n", "hw.yaml:2:17: late.per_day", "expected a percentage"),
        ("due: 2024-10-15\nlate: {per_day: 0%}\n", "hw.yaml:2:17: late.per_day", "above 0%"),
        ("due: 2024-10-15\nlate: {per_day: 101%}\n", "hw.yaml:2:17: late.per_day", "from 0% to 100%"),
        ("due: 2024-10-15\nlate: {per_day: 10%, max_days: -1}\n", "hw.yaml:2:32: late.max_days", ">= 0"),
        ("due: 2024-10-15\nlate: {per_day: 10%, grace_minutes: 1.5}\n", "late.grace_minutes", "an integer"),
        ("due: 2024-10-15\nlate: {per_day: 10%, lowest: 100%}\n", "late.lowest", "nothing to deduct"),
        ("due: 2024-10-15\nlate: {per_day: 10%, per_hour: 1%}\n", "late.per_hour", "unknown key"),
        ("due: 2024-10-15\nlate: {max_days: 3}\n", "hw.yaml:2:7: late", "missing key 'per_day'"),
    ],
)
def test_a_bad_deadline_is_one_message_naming_file_line_and_field(text: str, where: str, says: str) -> None:
    with pytest.raises(SpecError) as error:
        deadline(text)
    assert where in str(error.value) and says in str(error.value)

"""The late deduction: a submission's recorded time against its assignment's due date and late rule
(spec/deadlines.py reads both).

The rule, as Canvas's late policy applies it: lateness is the time after the due date; up to `grace_minutes` it
is on time; past it, every started day counts as a whole day (1 day and 1 minute late is 2 days), and each day
takes `per_day` of the MAXIMUM score (not of the student's score), never taking a score below `lowest` of the
maximum (a raw score already below it is kept) nor below 0. Later than `max_days` days the score is 0.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from fractions import Fraction

from hwsolver.grading.results import Late, SubmissionResult
from hwsolver.spec.deadlines import Deadline

DAY = timedelta(days=1)


def with_late(result: SubmissionResult, deadline: Deadline | None) -> SubmissionResult:
    """The result with its lateness and deduction, when there is a due date and a recorded time."""
    if deadline is None or result.submitted is None or result.error is not None:
        return result
    submitted = result.submitted
    if submitted.tzinfo is None:  # written without an offset: the course's time
        submitted = submitted.replace(tzinfo=deadline.zone)
    days = days_late(submitted - deadline.due, deadline.rule.grace if deadline.rule else timedelta())
    deduction, zeroed = Fraction(0), False
    rule = deadline.rule
    if rule is not None and days > 0:
        raw, top = Fraction(result.score), Fraction(result.max_score)
        if rule.max_days is not None and days > rule.max_days:
            deduction, zeroed = raw, True
        else:
            final = max(raw - min(1, days * rule.per_day) * top, min(raw, rule.lowest * top), Fraction(0))
            deduction = raw - final
    return replace(result, late=Late(submitted, days, _whole(deduction), zeroed))


def days_late(over: timedelta, grace: timedelta) -> int:
    """Whole days late: 0 up to the grace, else every started day (elapsed time, so a DST change moves nothing)."""
    return 0 if over <= grace else -(-over // DAY)


def _whole(value: Fraction) -> Fraction | int:
    return int(value) if value.denominator == 1 else value

"""What grading produces: per part, per problem, per submission (separate from the input types)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from fractions import Fraction

VERDICTS = ("correct", "partial", "incorrect", "missing", "invalid")


@dataclass(frozen=True, init=False)
class PartResult:
    id: str
    score: Fraction
    max_score: Fraction
    verdict: str  # one of VERDICTS
    feedback: str = ""
    mistake: str | None = None  # id of a recognised mistake (a kind's mutant), or None
    follow_through: bool = False  # credit for work consistent with the student's own earlier answers
    answer: str | None = None  # the student's answer as written, for feedback handouts
    # the feedback with every right value left out (reveal.py), for homework still open to resubmission
    feedback_without_expected: str | None = None  # None: the same as feedback

    def __init__(
        self,
        id: str,
        score: Fraction,
        max_score: Fraction,
        verdict: str,
        feedback: str = "",
        mistake: str | None = None,
        follow_through: bool = False,
        answer: str | None = None,
        feedback_without_expected: str | None = None,
    ) -> None:
        # the fields in one step (a frozen dataclass's own __init__ sets each through object.__setattr__, twice as
        # long): with per-student variants every part's result is new
        self.__dict__.update(
            id=id,
            score=score,
            max_score=max_score,
            verdict=verdict,
            feedback=feedback,
            mistake=mistake,
            follow_through=follow_through,
            answer=answer,
            feedback_without_expected=feedback_without_expected,
        )

    @property
    def hint(self) -> str:
        """The feedback without right values."""
        return self.feedback if self.feedback_without_expected is None else self.feedback_without_expected


@dataclass(frozen=True)
class ProblemResult:
    id: str
    parts: tuple[PartResult, ...]
    # sums of the parts, ints while the points are whole (set once: reports read them many times)
    score: Fraction = field(init=False)
    max_score: Fraction = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "score", sum(p.score for p in self.parts))
        object.__setattr__(self, "max_score", sum(p.max_score for p in self.parts))


@dataclass(frozen=True)
class Late:
    """A submission measured against its assignment's due date (grading/late.py)."""

    submitted: datetime  # with its timezone
    days: int  # whole days late, any part of a day counting as one; 0: on time or within the grace
    deduction: Fraction  # points taken from the raw score
    zeroed: bool = False  # later than the rule's max_days: the score is 0


@dataclass(frozen=True)
class SubmissionResult:
    file: str
    student: str | None
    name: str | None = None
    error: str | None = None  # why the whole file could not be graded (then no problems)
    problems: tuple[ProblemResult, ...] = ()
    max_score: Fraction = Fraction(0)
    warnings: tuple[str, ...] = field(default=())
    submitted: datetime | None = None  # the file's `submitted:` time (without an offset: the course's timezone)
    late: Late | None = None  # set when the assignment has a due date and the file a submitted time
    score: Fraction = field(init=False)  # the problems' sum (the raw score, before any late deduction)

    @property
    def final_score(self) -> Fraction:
        """The score after the late deduction: what the gradebook and the LMS get."""
        return self.score - self.late.deduction if self.late is not None else self.score

    def __post_init__(self) -> None:
        object.__setattr__(self, "score", sum(p.score for p in self.problems))

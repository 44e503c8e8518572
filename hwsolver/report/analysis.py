"""How a class did, from its graded submissions: per part the item statistics lecturers judge a question by
(PrairieLearn, Moodle and Gradescope report the same), per problem and for the whole assignment the spread of
scores. Files that could not be graded are counted and named, never averaged in as zeros.

Per part: n (graded submissions; a missing or invalid answer is a score of 0), mean, median, standard deviation,
facility (mean / the part's points), corrected item-total discrimination (the correlation of the part's score with
the total minus that part, so that a part is not correlated with itself), the share of each verdict, and each
named mistake with how many made it and a few of them. Per problem and for the whole assignment: the same summary,
a histogram of the scores and the mean score in each fifth of the class ranked by total score.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from hwsolver.grading.results import VERDICTS
from hwsolver.report import statistics as stats
from hwsolver.report.grades import Graded, GradedPart, Number

EXAMPLES = 3  # students named per mistake


@dataclass(frozen=True)
class Summary:
    """Scores out of `top`: what a lecturer reads first."""

    n: int
    top: Number
    mean: Fraction | None
    median: Fraction | None
    sd: float | None
    facility: Fraction | None  # mean / top
    discrimination: float | None  # against the rest of the total; None: no spread on one side, or n < 2


@dataclass(frozen=True)
class Spread:
    """The shape of a set of scores: a histogram over [0, top] and the means of the class's fifths."""

    counts: tuple[int, ...]
    edges: tuple[Fraction, ...]  # len(counts) + 1 bin edges
    quintiles: tuple[Fraction, ...] | None  # mean score in each fifth ranked by total, lowest first


@dataclass(frozen=True)
class MistakeCount:
    id: str
    count: int
    examples: tuple[str, ...]  # the first few students (by id) who made it


@dataclass(frozen=True)
class PartReport:
    id: str
    summary: Summary
    shares: Mapping[str, Fraction]  # verdict -> share of the n submissions
    mistakes: tuple[MistakeCount, ...]  # most often made first


@dataclass(frozen=True)
class ProblemReport:
    id: str
    summary: Summary
    spread: Spread
    parts: tuple[PartReport, ...]


@dataclass(frozen=True)
class ClassReport:
    submissions: int
    not_graded: tuple[str, ...]  # files that could not be graded
    total: Summary
    spread: Spread
    problems: tuple[ProblemReport, ...]


def analyse(graded: Sequence[Graded]) -> ClassReport:
    """The class report's numbers from every submission of a grading run."""
    done = [g for g in graded if g.error is None]
    totals = [g.raw_score for g in done]  # before any late deduction: the statistics measure the answers
    top = done[0].max_score if done else (graded[0].max_score if graded else 0)
    problems: dict[str, list[tuple[Graded, Number, Number]]] = {}
    parts: dict[tuple[str, str], list[tuple[Graded, GradedPart]]] = {}
    for g in done:
        for problem in g.problems:
            problems.setdefault(problem.id, []).append((g, problem.score, problem.max_score))
            for part in problem.parts:
                parts.setdefault((problem.id, part.id), []).append((g, part))
    return ClassReport(
        submissions=len(graded),
        not_graded=tuple(g.file for g in graded if g.error is not None),
        total=_summary(totals, top, None),
        spread=_spread([(t, t) for t in totals], top),
        problems=tuple(
            ProblemReport(
                id=problem_id,
                summary=_summary([s for _, s, _ in rows], rows[0][2], [g.raw_score - s for g, s, _ in rows]),
                spread=_spread([(g.raw_score, s) for g, s, _ in rows], rows[0][2]),
                parts=tuple(_part(part_id, entries) for (pid, part_id), entries in parts.items() if pid == problem_id),
            )
            for problem_id, rows in problems.items()
        ),
    )


def _part(part_id: str, entries: list[tuple[Graded, GradedPart]]) -> PartReport:
    scores = [part.score for _, part in entries]
    rests = [g.raw_score - part.score for g, part in entries]
    counted = Counter(part.verdict for _, part in entries)
    who: defaultdict[str, list[str]] = defaultdict(list)
    for g, part in entries:
        if part.mistake:
            who[part.mistake].append(g.student or g.file)
    mistakes = sorted(who.items(), key=lambda item: (-len(item[1]), item[0]))
    return PartReport(
        id=part_id,
        summary=_summary(scores, entries[0][1].max_score, rests),
        shares={v: Fraction(counted[v], len(entries)) for v in VERDICTS},
        mistakes=tuple(MistakeCount(m, len(names), tuple(sorted(names)[:EXAMPLES])) for m, names in mistakes),
    )


def _summary(scores: Sequence[Number], top: Number, rests: Sequence[Number] | None) -> Summary:
    mean = stats.mean(scores)
    return Summary(
        n=len(scores),
        top=top,
        mean=mean,
        median=stats.median(scores),
        sd=stats.standard_deviation(scores),
        facility=mean / top if mean is not None and top > 0 else None,
        discrimination=stats.correlation(scores, rests) if rests is not None else None,
    )


def _spread(pairs: Sequence[tuple[Number, Number]], top: Number, bins: int = 10) -> Spread:
    """Histogram of the values and their quintile means, from (total, value) pairs."""
    edges = tuple(Fraction(top) * k / bins for k in range(bins + 1))
    return Spread(stats.histogram([v for _, v in pairs], top, bins), edges, stats.quintile_means(pairs))

"""Facility against each varied value: does one range of numbers make a part harder?

For each varied value of a problem (varied.py), the students are put in bins: a choice, or a number with at most
`DISTINCT` different values, one bin per value; a number with more, `QUANTILE_BINS` quantile bins of near equal
size (students with the same value always share a bin: a value's bin is the one its middle rank falls in).
Per part and bin: n and the facility (the bin's mean score / the part's points), exact.

Whether the bins differ by more than chance: a permutation test per part and varied value. The statistic is the
between-bin sum of squares of the part's scores (sum over bins of n * (bin mean - mean)^2); its p-value is the
share of `PERMUTATIONS` shuffles of the scores among the students (plus the observed one) scoring at least as high.
The shuffles are drawn from SHAKE-256 of a fixed text (the same on every machine and version, as the variants'
draws are). A part is flagged when p < `ALPHA` / m, m the number of tests of its problem (Bonferroni: with many
parts and values, chance alone must not raise a flag).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from hwsolver.report.grades import Graded, Number
    from hwsolver.report.varied import Varied

DISTINCT = 5  # at most this many values: one bin each
QUANTILE_BINS = 4
PERMUTATIONS = 1999
ALPHA = 0.05
_CHUNK = 250  # permutations drawn at a time (memory: _CHUNK x class size)


@dataclass(frozen=True)
class Bin:
    low: Fraction | str  # a choice: its value, as low and high
    high: Fraction | str
    members: tuple[int, ...]  # students, by index in the grading run


@dataclass(frozen=True)
class PartFacility:
    part: str
    n: tuple[int, ...]  # per bin
    facility: tuple[Fraction | None, ...]  # per bin
    p: float | None  # None: fewer than two bins with students
    flagged: bool


@dataclass(frozen=True)
class ValueFacility:
    name: str
    numeric: bool
    bins: tuple[Bin, ...]
    parts: tuple[PartFacility, ...]


def facility_by_value(graded: Sequence[Graded], problem: str, varied: Sequence[Varied]) -> tuple[ValueFacility, ...]:
    """Per varied value of `problem`, each part's facility in each bin and whether the bins differ."""
    found = []
    for value in varied:
        bins = make_bins(value.values, value.numeric)
        parts: dict[str, tuple[list[Fraction], list[int], Number]] = {}
        for b, group in enumerate(bins):
            for index in group.members:
                for graded_problem in graded[index].problems:
                    if graded_problem.id != problem:
                        continue
                    for part in graded_problem.parts:
                        scores, labels, _ = parts.setdefault(part.id, ([], [], part.max_score))
                        scores.append(Fraction(part.score))
                        labels.append(b)
        found.append((value, bins, parts))
    tests = sum(len(parts) for _, _, parts in found)  # each value varies: two bins at least
    return tuple(
        ValueFacility(
            value.name,
            value.numeric,
            tuple(bins),
            tuple(_part(part, scores, labels, top, len(bins), tests) for part, (scores, labels, top) in parts.items()),
        )
        for value, bins, parts in found
    )


def make_bins(values: dict[int, Fraction | str], numeric: bool) -> list[Bin]:
    """The students' bins by their value, lowest value first (choices: in the order of their text)."""
    by_value: dict[Fraction | str, list[int]] = {}
    for index, value in sorted(values.items()):
        by_value.setdefault(value, []).append(index)
    ordered = sorted(by_value)
    if not numeric or len(ordered) <= DISTINCT:
        return [Bin(v, v, tuple(by_value[v])) for v in ordered]
    n, before = len(values), 0
    groups: dict[int, list[Fraction]] = {}
    for v in ordered:  # the bin of a value's middle rank: ties stay together, bins stay in order
        count = len(by_value[v])
        groups.setdefault(min(QUANTILE_BINS - 1, (2 * before + count) * QUANTILE_BINS // (2 * n)), []).append(v)
        before += count
    return [Bin(vs[0], vs[-1], tuple(sorted(i for v in vs for i in by_value[v]))) for _, vs in sorted(groups.items())]


def _part(part: str, scores: list[Fraction], labels: list[int], top: Number, bins: int, tests: int) -> PartFacility:
    n = [labels.count(b) for b in range(bins)]
    sums = [sum((s for s, b in zip(scores, labels) if b == k), Fraction(0)) for k in range(bins)]
    facility = tuple(total / (count * top) if count and top else None for total, count in zip(sums, n))
    p = permutation_p(scores, labels) if sum(1 for c in n if c) > 1 else None
    return PartFacility(part, tuple(n), facility, p, p is not None and p < ALPHA / max(tests, 1))


def permutation_p(scores: Sequence[Fraction], labels: Sequence[int]) -> float:
    """The share of shuffles of `scores` over the students whose between-bin sum of squares is at least the
    observed one (the observed arrangement counted among them, so p is never 0)."""
    import numpy as np

    values = np.array([float(s) for s in scores])
    values -= values.mean()  # the sum of squares is sum over bins of (bin total)^2 / n: totals of centred scores
    bins = np.array(labels)
    onehot = np.zeros((len(values), int(bins.max()) + 1))
    onehot[np.arange(len(values)), bins] = 1.0
    counts = onehot.sum(axis=0)
    counts[counts == 0] = 1.0

    def statistic(arranged: np.ndarray) -> np.ndarray:
        return ((arranged @ onehot) ** 2 / counts).sum(axis=-1)

    observed = statistic(values)
    higher = 0
    for start in range(0, PERMUTATIONS, _CHUNK):
        higher += int((statistic(values[_shuffles(len(values), start)]) >= observed * (1 - 1e-9)).sum())
    return (higher + 1) / (PERMUTATIONS + 1)


@lru_cache(maxsize=8)
def _shuffles(n: int, start: int):  # type: ignore[no-untyped-def]
    """Permutations start .. start + _CHUNK - 1 of range(n) (fewer in the last chunk): each the order of 64-bit
    keys from SHAKE-256, the same for every part and value tested on n students."""
    import numpy as np

    rows = min(_CHUNK, PERMUTATIONS - start)
    stream = hashlib.shake_256(f"hwsolver-facility-1|{n}|{start}".encode()).digest(8 * rows * n)
    keys = np.frombuffer(stream, dtype=">u8").reshape(rows, n)
    return np.argsort(keys, axis=1, kind="stable")

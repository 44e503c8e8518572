"""Grade the TA's class with hwsolver and compare, part by part, with the verdicts the TA wrote beforehand.

`python tests/ta_class/agreement.py` prints the agreement figures and every disagreement (`--all`: every part,
`--group`: disagreements counted by problem part and verdict pair). The test (test_ta_agreement.py) asserts on
the same figures. Rules and file format: POLICY.md.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
SUBMISSIONS = HERE / "submissions"
VERDICTS = HERE / "verdicts"
# The homework the class answered: its problem files, named so that later built-in problems do not join it.
HOMEWORK = tuple(
    HERE.parents[1] / "problems" / f"{name}.yaml"
    for name in (
        "relu-network-update",
        "sigmoid-derivatives",
        "log-softmax-gradient",
        "mlp-op-count",
        "conv-backprop",
        "pooling-backprop",
        "average-pooling-backprop",
    )
)
KINDS_OF_VERDICT = ("correct", "partial", "incorrect", "missing", "invalid")
_FIELDS = {"verdict", "share", "clear_cut", "follow_through", "mistake", "mistake_id", "reason"}
_EPS = 1e-9


@dataclass(frozen=True)
class Expected:
    """The TA's verdict on one part."""

    student: str  # the file name without .yaml
    problem: str
    part: str
    verdicts: tuple[str, ...]
    low: float
    high: float
    clear_cut: bool
    follow_through: bool
    mistake: str | None
    mistake_id: str | None
    reason: str

    @property
    def key(self) -> tuple[str, str, str]:
        return self.student, self.problem, self.part

    def shown(self) -> str:
        share = f"{self.low:g}" if self.low == self.high else f"[{self.low:g}, {self.high:g}]"
        return f"{'|'.join(self.verdicts)} {share}"


@dataclass(frozen=True)
class Graded:
    """hwsolver's result for one part."""

    verdict: str
    share: float  # score / max_score
    feedback: str = ""
    mistake: str | None = None
    follow_through: bool = False

    def shown(self) -> str:
        return f"{self.verdict} {self.share:.3g}"


@dataclass(frozen=True)
class Comparison:
    expected: Expected
    graded: Graded

    @property
    def agrees(self) -> bool:
        e, g = self.expected, self.graded
        return g.verdict in e.verdicts and e.low - _EPS <= g.share <= e.high + _EPS

    @property
    def false_accept(self) -> bool:
        """Full credit for an answer the TA finds fault with."""
        return self.graded.share >= 1 - _EPS and self.expected.high < 1 - _EPS


@dataclass(frozen=True)
class Agreement:
    comparisons: tuple[Comparison, ...]

    @staticmethod
    def _rate(items: Sequence[Comparison]) -> float:
        return sum(c.agrees for c in items) / len(items) if items else 1.0

    @property
    def clear_cut(self) -> tuple[Comparison, ...]:
        return tuple(c for c in self.comparisons if c.expected.clear_cut)

    @property
    def rate(self) -> float:
        return self._rate(self.comparisons)

    @property
    def clear_cut_rate(self) -> float:
        return self._rate(self.clear_cut)

    @property
    def disagreements(self) -> tuple[Comparison, ...]:
        return tuple(c for c in self.comparisons if not c.agrees)

    @property
    def false_accepts(self) -> tuple[Comparison, ...]:
        return tuple(c for c in self.comparisons if c.false_accept)

    def figures(self) -> str:
        n, k = len(self.comparisons), len(self.clear_cut)
        harsher = sum(c.graded.share < c.expected.low - _EPS for c in self.disagreements)
        return (
            f"agreement: {self.rate:.1%} of {n} parts, {self.clear_cut_rate:.1%} of {k} clear-cut parts; "
            f"{len(self.disagreements)} disagreements ({harsher} harsher than the TA), "
            f"{len(self.false_accepts)} false accepts"
        )


# -- the TA's side ------------------------------------------------------------------------------------------


class VerdictError(ValueError):
    """A verdict file that does not follow POLICY.md."""


def load_expected(folder: Path = VERDICTS) -> list[Expected]:
    """Every part's verdict from every file in `folder`, checked against the format of POLICY.md."""
    found = []
    for path in sorted(folder.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or data.get("student") != path.stem:
            raise VerdictError(f"{path.name}: 'student' must be the file's name, {path.stem}")
        for problem, parts in data.items():
            if problem in ("student", "profile"):
                continue
            if not isinstance(parts, dict):
                raise VerdictError(f"{path.name}: {problem}: expected a mapping of parts")
            found += [_expected(path, problem, part, entry) for part, entry in parts.items()]
    return found


def _expected(path: Path, problem: str, part: str, entry: Any) -> Expected:
    where = f"{path.name}: {problem}.{part}"
    if not isinstance(entry, dict) or not {"verdict", "share", "reason"} <= set(entry) or set(entry) - _FIELDS:
        raise VerdictError(f"{where}: expected verdict, share and reason (and only the fields of POLICY.md)")
    clear_cut = entry.get("clear_cut", True)
    verdicts = entry["verdict"] if isinstance(entry["verdict"], list) else [entry["verdict"]]
    if not verdicts or any(v not in KINDS_OF_VERDICT for v in verdicts):
        raise VerdictError(f"{where}: verdicts must be among {', '.join(KINDS_OF_VERDICT)}")
    if len(verdicts) > 1 and clear_cut:
        raise VerdictError(f"{where}: several acceptable verdicts only where clear_cut is false")
    share = entry["share"]
    pair = share if isinstance(share, list) else [share, share]
    if len(pair) != 2 or not all(isinstance(v, int | float) for v in pair) or not 0 <= pair[0] <= pair[1] <= 1:
        raise VerdictError(f"{where}: share must be a number or [lo, hi] within 0..1")
    low, high = pair
    if (verdicts == ["correct"] and low < 1) or (set(verdicts) <= {"missing", "invalid", "incorrect"} and high > 0):
        raise VerdictError(f"{where}: the share contradicts the verdict")
    return Expected(
        path.stem,
        problem,
        part,
        tuple(verdicts),
        float(low),
        float(high),
        bool(clear_cut),
        bool(entry.get("follow_through", False)),
        entry.get("mistake"),
        entry.get("mistake_id"),
        str(entry["reason"]),
    )


# -- hwsolver's side ----------------------------------------------------------------------------------------


def grade_class(folder: Path = SUBMISSIONS, jobs: int = 2) -> dict[tuple[str, str, str], Graded]:
    """Grade every submission with `hwsolver grade --format json` (the documented contract), by part."""
    command = [sys.executable, "-m", "hwsolver", "grade", str(folder), "--format", "json", "--jobs", str(jobs)]
    command += [option for path in HOMEWORK for option in ("--problems", str(path))]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"hwsolver grade failed ({done.returncode}): {done.stderr.strip()}")
    return parse_report(json.loads(done.stdout))


def parse_report(report: Mapping[str, Any]) -> dict[tuple[str, str, str], Graded]:
    graded = {}
    for submission in report["submissions"]:
        student = Path(submission["file"]).stem
        if submission.get("error"):
            graded[(student, "*", "*")] = Graded("invalid", 0.0, f"the whole file: {submission['error']}")
        for problem in submission.get("problems", ()):
            for part in problem["parts"]:
                share = part["score"] / part["max_score"] if part["max_score"] else 0.0
                graded[(student, problem["id"], part["id"])] = Graded(
                    part["verdict"], share, part.get("feedback") or "", part.get("mistake"), part["follow_through"]
                )
    return graded


def compare(expected: Iterable[Expected], graded: Mapping[tuple[str, str, str], Graded]) -> Agreement:
    """Each expected part against hwsolver's; a part hwsolver does not report counts as graded invalid."""
    unreported = Graded("invalid", 0.0, "(not in hwsolver's report)")
    comparisons = []
    for e in expected:
        found = graded.get(e.key) or graded.get((e.student, "*", "*"), unreported)
        comparisons.append(Comparison(e, found))
    return Agreement(tuple(comparisons))


def run(jobs: int = 2) -> Agreement:
    return compare(load_expected(), grade_class(jobs=jobs))


# -- tables -------------------------------------------------------------------------------------------------


def table(comparisons: Iterable[Comparison]) -> str:
    """One line per part: student, part, TA verdict/share vs hwsolver's, clear-cut, then both reasons."""
    lines = []
    for c in comparisons:
        e, g = c.expected, c.graded
        mark = "=" if c.agrees else ("!!" if c.false_accept else "x")
        cut = "cc" if e.clear_cut else "--"
        feedback = " ".join(g.feedback.split())
        feedback = feedback if len(feedback) <= 160 else feedback[:157] + "..."
        hw_mistake = f" [{g.mistake}]" if g.mistake else ""
        hw_ft = " (ft)" if g.follow_through else ""
        ta_mistake = f" [{e.mistake_id}]" if e.mistake_id else ""
        lines.append(
            f"{mark:2} {cut} {e.student} {e.problem}.{e.part}: TA {e.shown()}{' (ft)' if e.follow_through else ''}"
            f"{ta_mistake} vs hwsolver {g.shown()}{hw_mistake}{hw_ft}\n"
            f"        TA: {e.reason}\n        hwsolver: {feedback or '-'}"
        )
    return "\n".join(lines)


def groups(comparisons: Iterable[Comparison]) -> str:
    """Disagreements counted by problem part and (TA verdict -> hwsolver verdict), most frequent first."""
    counts = Counter(
        (f"{c.expected.problem}.{c.expected.part}", "|".join(c.expected.verdicts), c.graded.verdict)
        for c in comparisons
        if not c.agrees
    )
    return "\n".join(f"{n:4}  {part}: TA {ta} -> hwsolver {hw}" for (part, ta, hw), n in counts.most_common())


def report(agreement: Agreement, *, everything: bool = False) -> str:
    shown = agreement.comparisons if everything else agreement.disagreements
    parts = [agreement.figures()]
    if agreement.false_accepts:
        parts.append("false accepts:\n" + table(agreement.false_accepts))
    parts.append(("every part:\n" if everything else "disagreements:\n") + table(shown))
    return "\n\n".join(parts)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--all", action="store_true", help="list every part, not only the disagreements")
    parser.add_argument("--group", action="store_true", help="count the disagreements by part and verdicts")
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args(argv)
    agreement = run(jobs=args.jobs)
    if args.group:
        print(agreement.figures() + "\n\n" + groups(agreement.comparisons))
    else:
        print(report(agreement, everything=args.all))
    return 0


if __name__ == "__main__":
    sys.exit(main())

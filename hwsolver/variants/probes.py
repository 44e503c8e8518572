"""Answers a problem is graded on before it is handed out, as a student writes them (YAML text, numbers rounded
to the problem's precision): the reference's, each classic mistake's, an unreadable one, a blank one, and the
problem's own `tests:`. Each probe says what went wrong, or nothing."""

from __future__ import annotations

import tempfile
from collections.abc import Mapping
from fractions import Fraction
from pathlib import Path
from typing import Any

import yaml

from hwsolver.grading.checkers import Tolerance
from hwsolver.grading.grader import grade_file
from hwsolver.grading.prepared import PreparedProblem
from hwsolver.grading.results import VERDICTS, ProblemResult
from hwsolver.model import Mutant, Symbolic
from hwsolver.numbers import to_json
from hwsolver.spec.node import Node
from hwsolver.variants.nodes import flow

UNREADABLE = "@@ ?"  # no number, no formula, no yes or no


class Prober:
    """Grades answers to one prepared problem (in this process, without time limits: they are ours)."""

    def __init__(self, prepared: PreparedProblem, folder: Path) -> None:
        self.prepared, self.folder = prepared, folder
        self.problem = prepared.problem
        self.asked = [part.part.id for part in prepared.parts]

    def grade(self, answers: Mapping[str, Any]) -> ProblemResult:
        """The answers (by part) as a submission's YAML writes them, graded."""
        return self.grade_text(_indented(yaml.safe_dump(dict(answers), allow_unicode=True, width=10**6), 4))

    def grade_text(self, body: str) -> ProblemResult:
        """Answers written as YAML (a block indented 4, or one flow mapping), graded."""
        separator = " " if body.lstrip().startswith("{") else "\n"
        path = self.folder / "answers.yaml"
        path.write_text(f"student: check\nanswers:\n  {self.problem.id}:{separator}{body}\n", encoding="utf-8")
        result = grade_file(str(path), [self.prepared])
        if result.error:
            raise AssertionError(result.error)  # the answers are ours: a bug
        return result.problems[0]

    def written(self, value: Any, part: str) -> Any:
        """An answer as a student writes it: formulas as text, numbers rounded to the part's precision."""
        options = {**self.problem.options, **self.prepared.by_id[part].part.options}
        return _written(value, Tolerance.from_options(options).sigfigs)

    def right(self) -> str | None:
        answers = {part: self.written(self.prepared.solution.answers[part], part) for part in self.asked}
        result = self.grade(answers)
        wrong = [f"{p.id} is {p.verdict} ({p.feedback})" for p in result.parts if p.verdict != "correct"]
        if wrong or result.score != result.max_score:
            return "the right answers, rounded as asked, do not get full marks: " + "; ".join(wrong)
        return None

    def mistake(self, mutant: Mutant) -> str | None:
        solution = self.prepared.solution.answers
        answers = {part: self.written(mutant.answers.get(part, solution[part]), part) for part in self.asked}
        result = self.grade(answers)
        named = [p for p in result.parts if p.mistake == mutant.id]
        if not named:
            seen = {p.id: p.mistake or p.verdict for p in result.parts if p.id in mutant.answers}
            return f"the answers of {mutant.id} are not named so ({_pairs(seen)})"
        if result.score >= result.max_score:
            return f"the answers of {mutant.id} get full marks"
        return None

    def lecturer(self, mistake_id: str, answers: Mapping[str, str]) -> str | None:
        """One of the problem's own mistakes (`mistakes:`), its answers as it writes them (grading.lecturer_answers),
        the other parts left blank: named on every asked part it answers."""
        asked = {part: text for part, text in answers.items() if part in self.asked}
        if not asked:
            return None
        result = {p.id: p for p in self.grade_text("{" + ", ".join(f"{p}: {t}" for p, t in asked.items()) + "}").parts}
        seen = {part: result[part].mistake or result[part].verdict for part in asked}
        if all(named == mistake_id for named in seen.values()):
            return None
        return f"the answers of {mistake_id} are not named so ({_pairs(seen)})"

    def unreadable(self) -> str | None:
        result = self.grade(dict.fromkeys(self.asked, UNREADABLE))
        wrong = {p.id: p.verdict for p in result.parts if p.verdict != "invalid"}
        return f"an unreadable answer is not invalid ({_pairs(wrong)})" if wrong else None

    def blank(self) -> str | None:
        result = self.grade(dict.fromkeys(self.asked))
        wrong = {p.id: p.verdict for p in result.parts if p.verdict != "missing"}
        return f"a blank answer is not missing ({_pairs(wrong)})" if wrong else None

    def own_test(self, test: Node, number: int) -> str | None:
        """One entry of the problem's `tests:`: {name?, answers: {...}, expect: {part: {verdict, mistake, score}}}."""
        fields = test.fields(["answers", "expect"], ["name"])
        name = fields["name"].text() if "name" in fields else f"test {number}"
        result = {p.id: p for p in self.grade_text(flow(fields["answers"])).parts}
        problems = []
        for part, expected in fields["expect"].mapping().items():
            if part not in result:
                raise expected.error(f"part '{part}' is not asked; asked: {', '.join(result)}")
            got = result[part]
            wanted = expected.fields(["verdict"], ["mistake", "score"])
            verdict = wanted["verdict"].choice(VERDICTS)
            if got.verdict != verdict:
                problems.append(f"{part} is {got.verdict}, not {verdict}")
            if "mistake" in wanted:
                mistake = None if wanted["mistake"].is_null else wanted["mistake"].text()
                if got.mistake != mistake:
                    problems.append(f"{part} names {got.mistake}, not {mistake}")
            if "score" in wanted and Fraction(got.score) != wanted["score"].number():
                problems.append(f"{part} scores {got.score}, not {wanted['score'].value}")
        return f"{name}: " + "; ".join(problems) if problems else None


def scratch() -> tempfile.TemporaryDirectory[str]:
    return tempfile.TemporaryDirectory(prefix="hwsolver-check-")


def _written(value: Any, sigfigs: int | None) -> Any:
    if isinstance(value, Symbolic):
        return value.expr
    if isinstance(value, Mapping):
        return {key: _written(item, sigfigs) for key, item in value.items()}
    if isinstance(value, tuple | list):
        return [_written(item, sigfigs) for item in value]
    number = to_json(value)
    if isinstance(number, float):
        return float(f"{number:.{sigfigs}g}") if sigfigs else number
    return number


def _indented(text: str, spaces: int) -> str:
    return "\n".join(" " * spaces + line for line in text.splitlines())


def _pairs(found: Mapping[str, Any]) -> str:
    return ", ".join(f"{key}: {value}" for key, value in found.items())

"""`hwsolver check`: every problem and every variant tested before it is handed out.

For each problem, as written and in each variant (drawn with --samples, or each distinct one of a lock): the spec
is valid, the exact and float paths agree, the `require:` constraints hold (variants), the right answers written
as a student writes them get full marks, each classic mistake's answers get that mistake's name and less than
full marks, an unreadable answer is invalid and a blank one missing, no mistake gives the right answers and no two
give the same ones, both languages are there, the handout and the sheet render, and the problem's own `tests:`
pass (as written).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from hwsolver.errors import HwsolverError
from hwsolver.grading.prepared import PreparedProblem
from hwsolver.kinds import KINDS
from hwsolver.model import LANGUAGES, Problem
from hwsolver.spec.assignments import Assignment
from hwsolver.spec.node import Node
from hwsolver.spec.problems import hidden_as_written
from hwsolver.variants.detect import Judge
from hwsolver.variants.drawing import ProblemVariants
from hwsolver.variants.lock import Lock, check_lock
from hwsolver.variants.nodes import flow

CHECKS = {  # name: what it checks (the table's columns, in order)
    "spec": "the spec is valid (for a variant: the problem with its numbers)",
    "solves": "the exact and float paths agree",
    "require": "the require: constraints hold (variants)",
    "right": "the right answers, rounded as asked, get full marks",
    "named": "each mistake's answers get its name and less than full marks",
    "invalid": "an unreadable answer is invalid",
    "blank": "a blank answer is missing",
    "shown": "no mistake gives the right answers",
    "apart": "no two mistakes give the same answers",
    "zh/en": "title and statement in both languages",
    "renders": "the handout and the sheet render",
    "tests": "the problem's own tests: pass (as written)",
}
AS_WRITTEN = "as written"
SAMPLE_SALT = "hwsolver-check"  # samples of loose problem files, which have no salt of their own


@dataclass
class Checked:
    """One problem's checks over its variants: how many were checked, and each failure (variant, message)."""

    problem: str
    number: str
    variants: int = 0
    checked: dict[str, int] = field(default_factory=dict)
    failures: dict[str, list[tuple[str, str]]] = field(default_factory=dict)

    def note(self, name: str, variant: str, message: str | None) -> None:
        self.checked[name] = self.checked.get(name, 0) + 1
        if message:
            self.failures.setdefault(name, []).append((variant, message))

    @property
    def ok(self) -> bool:
        return not self.failures


def check_set(assignment: Assignment, *, lock: Lock | None = None, samples: int = 0) -> list[Checked]:
    """Every problem of the set, as written and in its variants."""
    if lock is not None:
        check_lock(lock, assignment.id, [entry.problem.id for entry in assignment.entries])
    from hwsolver.variants.probes import scratch

    found = []
    with scratch() as folder:
        for entry in assignment.entries:
            maker = ProblemVariants(entry)
            checked = Checked(entry.problem.id, entry.number)
            as_written: list[PreparedProblem] = []  # its formula readings serve every variant
            for label, given in _variants(maker, assignment, lock, samples):
                checked.variants += 1
                _check_variant(maker, label, given, checked, Path(folder), as_written)
            found.append(checked)
    return found


def _variants(
    maker: ProblemVariants, assignment: Assignment, lock: Lock | None, samples: int
) -> Iterator[tuple[str, Node | None]]:
    """(label, given) for the problem as written (given None) and each variant to check, each distinct once."""
    yield AS_WRITTEN, None
    if not maker.varies:
        return
    seen = {flow(maker.given)}
    problem_id = maker.entry.problem.id
    if lock is not None:
        for student, givens in lock.students.items():
            if problem_id in givens and (text := flow(givens[problem_id])) not in seen:
                seen.add(text)
                yield student, givens[problem_id]
    for n in range(1, samples + 1):
        variant = maker.draw(assignment.salt or SAMPLE_SALT, f"sample-{n}")
        if variant.given.source not in seen:
            seen.add(variant.given.source)
            yield f"sample-{n}", variant.given


def _check_variant(
    maker: ProblemVariants,
    label: str,
    given: Node | None,
    checked: Checked,
    folder: Path,
    as_written: list[PreparedProblem],
) -> None:
    from hwsolver.grading.lecturer import lecturer_answers
    from hwsolver.grading.prepared import prepare, prepare_variant
    from hwsolver.solving import solve
    from hwsolver.variants.probes import Prober

    note = lambda name, message=None: checked.note(name, label, message)  # noqa: E731
    try:
        problem = maker.entry.problem if given is None else maker.build(given)
    except HwsolverError as error:
        return note("spec", str(error))
    note("spec")
    try:
        solution = solve(problem)
    except HwsolverError as error:
        return note("solves", str(error))
    note("solves")
    if given is not None:
        failed = [r.shown for r in maker.requirements if not r.constraint.holds(problem, solution, r.argument)]
        note("require", f"not met: {', '.join(failed)}" if failed else None)
    judge = Judge(problem, solution, maker.formulas)
    hidden, confused = judge.hidden(), judge.confused()
    note("shown", _shown(hidden, _known_hidden(maker) if given is None else ()))
    note("apart", "; ".join(f"{a} and {b} give the same answers" for a, b in confused) or None)
    if as_written:
        prepared = prepare_variant(solution, as_written[0], lazy=False)
    else:
        (prepared,) = prepare([solution])
        as_written.append(prepared)
    prober = Prober(prepared, folder)
    note("right", prober.right())
    for mutant in judge.mutants:
        if mutant.id not in hidden:  # a mistake that changes nothing cannot be named (told under "shown")
            note("named", prober.mistake(mutant))
    if given is None:  # the problem's own mistakes are those of the problem as written
        for mistake, answers in lecturer_answers(problem):
            note("named", prober.lecturer(mistake.id, answers))
    note("invalid", prober.unreadable())
    note("blank", prober.blank())
    note("zh/en", _languages(maker, problem))
    note("renders", _renders(problem, solution, html=given is None))
    tests = maker.entry.root.mapping().get("tests")
    if given is None and tests is not None:
        for number, test in enumerate(tests.items(), start=1):
            note("tests", prober.own_test(test, number))


def _known_hidden(maker: ProblemVariants) -> tuple[str, ...]:
    node = maker.entry.root.mapping().get("check")
    return () if node is None else hidden_as_written(node, KINDS[maker.entry.problem.kind])


def _shown(hidden: list[str], known: tuple[str, ...]) -> str | None:
    """Every mistake changes some answer, but those the problem's `check: {hidden: [...]}` lists for it as written
    (which must then really be hidden, so the list cannot go stale)."""
    told = [m for m in hidden if m not in known]
    stale = [m for m in known if m not in hidden]
    said = [f"{', '.join(told)}: the slip gives the right answers on every asked part"] if told else []
    said += [f"{', '.join(stale)}: listed under check.hidden, but the slip changes an answer"] if stale else []
    return "; ".join(said) or None


def _languages(maker: ProblemVariants, problem: Problem) -> str | None:
    """Title and statement written in both languages: a mapping with both, or references whose texts differ."""
    missing = []
    for key in ("title", "statement"):
        node, texts = maker.entry.root.mapping()[key], getattr(problem, key)
        entries = node.value if isinstance(node.value, dict) else {}
        if not (all(lang in entries for lang in LANGUAGES) or (not entries and len(set(texts.values())) > 1)):
            missing.append(key)
    return f"{' and '.join(missing)} not in both languages ({', '.join(LANGUAGES)})" if missing else None


def _renders(problem: Problem, solution: object, html: bool) -> str | None:
    """The handout and the sheet in Markdown in both languages (a variant's numbers are in them), and for the
    problem as written the handout in HTML too (the converter reads the same markup for every variant)."""
    from hwsolver.handout.document import render_handout
    from hwsolver.handout.precision import precision_text
    from hwsolver.handout.sheet import Sheet, sheet_markdown

    try:
        for lang in LANGUAGES:
            render_handout([solution], "md", lang)  # type: ignore[list-item]
            precision = {problem.id: {lang: precision_text(solution, lang)}}  # type: ignore[arg-type]
            sheet_markdown(Sheet(problem.title, None, "check", [problem], ["1"], precision, "check.yaml"), lang)
        if html:
            render_handout([solution], "html", "zh")  # type: ignore[list-item]
    except Exception as error:  # a template or a converter that fails on these numbers: the check's finding
        return f"{type(error).__name__}: {error}"
    return None


def check_text(found: list[Checked]) -> str:
    """The table (ok, — where a check does not apply, else how many variants failed it) and each failure."""
    from hwsolver.render import render

    rows = [
        {"label": f"{c.number}. {c.problem}", "variants": c.variants, "cells": [_cell(c, name) for name in CHECKS]}
        for c in found
    ]
    failures = [
        f"{c.problem} ({variant}): {name}: {message}"
        for c in found
        for name in CHECKS
        for variant, message in c.failures.get(name, [])
    ]
    return render("check/table.txt.j2", rows=rows, checks=list(CHECKS), failures=failures)


def _cell(checked: Checked, name: str) -> str:
    if name not in checked.checked:
        return "—"
    failed = len(checked.failures.get(name, []))
    return "ok" if not failed else f"{failed}✗"


def check_json(found: list[Checked]) -> str:
    """{"ok", "checks": {name: meaning}, "problems": [{"id", "number", "variants", "checks": {name: {"checked",
    "failures": [{"variant", "message"}]}}}]}"""
    import json

    document = {
        "ok": all(c.ok for c in found),
        "checks": CHECKS,
        "problems": [
            {
                "id": c.problem,
                "number": c.number,
                "variants": c.variants,
                "checks": {
                    name: {
                        "checked": c.checked[name],
                        "failures": [{"variant": v, "message": m} for v, m in c.failures.get(name, [])],
                    }
                    for name in CHECKS
                    if name in c.checked
                },
            }
            for c in found
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=2)

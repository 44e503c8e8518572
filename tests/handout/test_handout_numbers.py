"""Every number a handout shows comes from the solver: it is one of the solution's numbers (answers, worked steps,
the given, the kind's extras), the problem's own text, or a constant written in the kind's templates and strings
(the 180 of "rotated by 180 degrees"). Templates format; a number computed or typed in one fails here, besides
the golden files (which only say "unchanged"). Indices and layer labels (subscripts, ^{(l)}, the numbers of rows
and items) are not numbers the solver computes and are left out; so is the network drawing (its coordinates)."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator, Mapping
from fractions import Fraction
from typing import Any

import mpmath
import pytest

from hwsolver.handout.document import handout_markdown
from hwsolver.handout.latexfmt import latex_num
from hwsolver.handout.precision import precision_text
from hwsolver.handout.strings import STRINGS
from hwsolver.kinds import KINDS
from hwsolver.model import LANGUAGES, Solution, Symbolic
from hwsolver.numbers import display, exact_string
from hwsolver.resources import data_dir
from hwsolver.solving import solve_paths
from hwsolver.spec.problems import builtin_dir, load_problems

NUMBER = re.compile(r"(?<![\w.])\d+(?:\.\d+)?")
# subscripts (indices), layer labels ^{(l)}, the numbers of table rows, of list items and of per-item answers
# ("3: $2 \times 4$"), and drawings, which hold coordinates
NOT_COMPUTED = re.compile(
    r"<svg.*?</svg>|_\{[^{}]*\}|_\d|\^\{\(\d+\)\}|^\|\s*\d+\s*\||^\d+\.\s|(?<![\w.])\d+(?=[:：] ?\$)", re.S | re.M
)


def numbers(value: Any, seen: set[int] | None = None) -> Iterator[Any]:
    """Every number in a solution's data, and every number written in its texts (formulas, notes)."""
    seen = set() if seen is None else seen
    if id(value) in seen or isinstance(value, bool) or value is None:
        return
    seen.add(id(value))
    if isinstance(value, int | Fraction | float | mpmath.mpf):
        yield value
    elif isinstance(value, str):
        yield from NUMBER.findall(value)
    elif isinstance(value, Symbolic):
        yield from (*NUMBER.findall(value.expr), *NUMBER.findall(value.latex))
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from numbers(key, seen)
            yield from numbers(item, seen)
    elif isinstance(value, list | tuple | set | frozenset):
        for item in value:
            yield from numbers(item, seen)
    elif dataclasses.is_dataclass(value):
        for field in dataclasses.fields(value):
            yield from numbers(getattr(value, field.name), seen)
    elif hasattr(value, "tolist"):  # a NumPy array or number
        yield from numbers(value.tolist(), seen)


def written(value: Any) -> set[str]:
    """The number as handouts and texts may write it."""
    if isinstance(value, str):
        return {value}
    found = set(NUMBER.findall(str(value)))
    for form in (latex_num, display, exact_string):
        found.update(NUMBER.findall(form(value)))
    return found


def constants(kind: str, lang: str) -> set[str]:
    """Numbers written in the templates a kind's handout uses and in the strings they read."""
    templates = data_dir("templates")
    sources = [*(templates / "handout").glob("*.j2"), templates / "kinds" / kind / "handout.md.j2"]
    texts = [path.read_text(encoding="utf-8") for path in sources]
    texts += [str(STRINGS[lang]), str(KINDS[kind].strings[lang]), str(KINDS[kind].labels[lang])]
    return {number for text in texts for number in NUMBER.findall(text)}


def allowed(solution: Solution, lang: str) -> set[str]:
    kind = KINDS[solution.problem.kind]
    problem = solution.problem
    data = [solution.answers, solution.work, problem.given, problem.title, problem.statement]
    data += [kind.extras(solution) if kind.extras else {}, precision_text(solution, lang)]
    return {text for value in numbers(data) for text in written(value)} | constants(problem.kind, lang)


def check_numbers_come_from_the_solver(solution: Solution, lang: str) -> None:
    shown = NOT_COMPUTED.sub(" ", handout_markdown([solution], lang))
    stray = sorted(set(NUMBER.findall(shown)) - allowed(solution, lang), key=float)
    assert not stray, (
        f"the {lang} handout of {solution.problem.id} shows numbers the solver did not give: {stray[:10]} "
        f"(templates/kinds/{solution.problem.kind}/handout.md.j2 must show the solution's values, not compute them)"
    )


@pytest.fixture(scope="module")
def builtin() -> dict[str, Solution]:
    return {solution.problem.id: solution for solution in solve_paths([builtin_dir()])}  # not just the homework


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("problem_id", [problem.id for problem in load_problems()])
def test_builtin_handouts_show_only_the_solvers_numbers(builtin, problem_id: str, lang: str) -> None:
    check_numbers_come_from_the_solver(builtin[problem_id], lang)


@pytest.mark.parametrize(("kind", "seed"), [(kind, seed) for kind in sorted(KINDS) for seed in range(3)])
def test_random_handouts_show_only_the_solvers_numbers(example_solution, kind: str, seed: int) -> None:
    for lang in LANGUAGES:
        check_numbers_come_from_the_solver(example_solution(kind, seed), lang)

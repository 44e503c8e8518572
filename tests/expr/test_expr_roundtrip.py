"""Every formula hwsolver prints reads back as an equivalent answer: all built-in problems, all their formula answers,
both printers (text and LaTeX), the lines `solve` prints and the math of both handouts.

Read back means graded as a student's answer is (Formulas: an equation's right-hand side, a unit word left out,
restating the question is no answer) and found correct. Printed math that cannot sensibly be an answer to any part
is listed below with the reason; a reason that no longer matches anything printed fails too.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from typing import Any

import pytest

from hwsolver.errors import ExprError
from hwsolver.expr import parse, read
from hwsolver.grading.formulas import Formulas
from hwsolver.handout.document import handout_markdown
from hwsolver.model import Solution, Symbolic
from hwsolver.solving import solutions_text, solve_paths

SOLUTIONS = solve_paths()


def _formula_parts(solution: Solution) -> Iterator[tuple[str, Symbolic]]:
    """(part, or part.key for named formulas; the formula) for every formula answer of a solution."""
    for part, answer in solution.answers.items():
        if isinstance(answer, Symbolic):
            yield part, answer
        elif isinstance(answer, dict):
            yield from ((f"{part}.{key}", item) for key, item in answer.items() if isinstance(item, Symbolic))


PARTS = [(s.problem.id, part, answer) for s in SOLUTIONS for part, answer in _formula_parts(s)]
WITH_FORMULAS = [s for s in SOLUTIONS if any(True for _ in _formula_parts(s))]


def _reads_back(text: str, answer: Symbolic) -> bool:
    """Whether text, graded as a student's answer to this formula part, is right."""
    formulas = Formulas.for_part(answer, {})
    try:
        return formulas.equivalent(formulas.parse(text), answer).correct
    except ExprError:
        return False


def test_every_built_in_problem_with_formulas_is_covered() -> None:
    kinds = {s.problem.kind for s in WITH_FORMULAS}
    assert kinds == {"derivative", "index_gradient", "op_count", "conv_backprop"}
    assert len(PARTS) >= 12


@pytest.mark.parametrize(("problem", "part", "answer"), PARTS, ids=[f"{p}.{q}" for p, q, _ in PARTS])
def test_every_formula_answer_reads_back_from_both_printers(problem: str, part: str, answer: Symbolic) -> None:
    assert _reads_back(answer.expr, answer)
    assert _reads_back(f"${answer.latex}$", answer)
    assert _reads_back(f"{part.rpartition('.')[2]} = {answer.expr}", answer)  # as `solve` prints an answer


def _symbolics(value: Any, path: str = "") -> Iterator[tuple[str, Symbolic]]:
    if isinstance(value, Symbolic):
        yield path, value
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            yield from _symbolics(getattr(value, field.name), f"{path}.{field.name}")
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _symbolics(item, f"{path}[{key}]")
    elif isinstance(value, tuple | list):
        for n, item in enumerate(value):
            yield from _symbolics(item, f"{path}[{n}]")


WORK = [(s.problem.id, path, f) for s in SOLUTIONS for path, f in _symbolics(s.work) if f.latex and f.scope]


@pytest.mark.parametrize(("problem", "path", "formula"), WORK, ids=[f"{p}{q}" for p, q, _ in WORK])
def test_every_formula_of_the_worked_solutions_reads_back_from_its_latex(problem: str, path: str, formula: Any) -> None:
    assert _reads_back(f"${formula.latex}$", formula), formula.latex


# Printed math that is no answer to any formula part, with the reason (a regular expression for each group).
NOT_ANSWERS = {
    r"\\begin\{pmatrix\}|^-?[\d.]+$": "numbers: the problem's data, or a numeric part's answer (numeric tests)",
    r"^[^=+\-\\]*$|^\\(delta|sigma|eta)$|^[a-zA-Z]\^\{\(l-?1?\)\}(_\{[^}]*\})?$|^\\partial L / \\partial w$": (
        "a name, an index or a position in the prose, not a formula of what is asked"
    ),
    r"^(e\^\{\(l-1\)\}_\{i,j\}|K-1|f'\(z\^\{\(l-1\)\}\)|\\delta_\{[ijk]+\}|\\dfrac\{\\partial y_i\}\{\\partial x_k\}|"
    r"\(i-u, j-v\)|w_\{i-p,\\,j-q\}|\\mathrm\{softmax\}\(x\)_k|\\sigma\(x\))$": (
        "a name in the prose (e.g. of what is asked)"
    ),
    r"^[a-z] \+ [a-z] = [a-z]$|^[a-z] = [a-z] - [a-z]$|^i, k = 1|^x = \(x_1|^i (\\ne|=) k$|^j = k$": (
        "a relation between indices in the prose"
    ),
    r"^\\delta_\{ik\} = [01]$|\\delta_\{jk\} \\ne 0": "the value of the Kronecker delta in one case",
    r"\\mathrm\{ReLU\}'\(0\)=0|^f = \\mathrm\{ReLU\}$": "the problem's convention for ReLU",
    r"^(z\^\{\(l\)\}_\{[ip],[jq]\} = |a\^\{\(l(-1)?\)\} = f|a\^\{\(l\)\} = \\sigma|z\^\{\(l\)\} = W)": (
        "the forward pass, which no part asks as a formula"
    ),
    r"^e\^\{\(l\)\}_\{i,j\} = \\partial|^e\^\{\(l\)\} = \\partial": "the definition of the error term",
    r"^\\frac\{\\partial z\^\{\(l\)\}_\{p,q\}\}": "one factor of the chain rule (a step of the derivation)",
    r"^\\frac\{\\partial L\}\{\\partial w": "the kernel gradient, a numeric part in this problem",
    r"^\\frac\{\\partial f_\{i\}\}\{\\partial x_\{k\}\} = (1 - |-\\op)|\\begin\{cases\}": (
        "the gradient in the case i = k or i != k only (the part asks for one formula with the delta)"
    ),
    r"^\\frac\{\\partial\}\{\\partial x_\{k\}\}": "the derivative of one term of f (a step of the derivation)",
    r"^-?1? ?-? ?\\mathrm\{softmax\}_k$": "the gradient in one case, in the prose",
    r"\\mathrm\{softmax\}\(x\)_i = |^y_i = \\log|^f_\{i\} = ": "the definition of softmax or of f",
    r"^\\partial x_j / \\partial x_\{k\}$": "the derivative of one entry (a step of the derivation)",
    r"\\sigma'\(x\)$|\\sigma''\(x\)$": "the name of what is asked: restating the question is no answer",
    r"^\\sigma(\\left)?\(x(\\right)?\) = |^1 - \\sigma\\left\(x\\right\) = |^f\(x\) = \\frac": (
        "the sigmoid itself, the function differentiated, or an identity used"
    ),
    r"^\(uv\)' = |^\\left\(\\frac\{u\}\{v\}\\right\)' = |^\\big\(g\(u\)\\big\)' = |^\\frac\{d\}\{dx \}e\^": (
        "a rule of differentiation, or an elementary derivative"
    ),
    r"^e\^\{-x\}$": "a term the statement says the answer must not contain",
    r"^(n\^\{2\} \+ n|3 n\^\{2\} \+ 3 n|L n\^\{2\} \+ L n|3 L n\^\{2\} \+ 3 L n - n\^\{2\} \+ n|2 L n\^\{2\} - "
    r"n\^\{2\}|n \\left\(n - 1\\right\))$": "a count under another convention, or of one operation of the table",
    r"\\begin\{align\*\}": "all four totals in one block (each of its equations is read on its own)",
    r"\\leftarrow|\\nabla|\\mathrel|\\odot \\sigma'|^W\^\\top e$|^d = |^d\^\{\(l-1\)\} = |^\\sigma'\(z\) = a|"
    r"^a = \\frac\{1\}\{1 \+ e\^\{-z\}\}$|^z = W a": "an operation of the counted step (the table's formula column)",
}
MATH = re.compile(r"\$\$(.+?)\$\$|(?<!\$)\$([^$]+?)\$(?!\$)", re.S)


def _printed_math() -> Iterator[tuple[Solution, str]]:
    for solution in WITH_FORMULAS:
        for lang in ("en", "zh"):
            for display, inline in MATH.findall(handout_markdown([solution], lang)):
                math = " ".join((display or inline).split())
                yield solution, math
                if math.startswith("\\begin{align*}"):  # and each of its equations: "N &= L n^{2}, &"
                    body = math.removeprefix("\\begin{align*}").removesuffix("\\end{align*}")
                    for row in body.split("\\\\"):
                        for cell in row.split(", &"):
                            yield solution, cell.replace("&", "").strip()


def _answers_of(solution: Solution, text: str) -> set[str]:
    """The formula parts text is a right answer to."""
    return {part for part, answer in _formula_parts(solution) if _reads_back(text, answer)}


def test_every_math_a_handout_prints_reads_back_or_is_said_to_be_no_answer() -> None:
    unexplained, answered, used = [], set(), set()
    for solution, math in _printed_math():
        parts = _answers_of(solution, f"${math}$")
        if parts:
            answered |= {(solution.problem.id, part) for part in parts}
            continue
        reasons = [pattern for pattern in NOT_ANSWERS if re.search(pattern, math)]
        used.update(reasons)
        if not reasons:
            unexplained.append(f"{solution.problem.id}: {math}")
    assert not unexplained, "printed math that neither reads back nor has a reason:\n" + "\n".join(unexplained)
    assert set(NOT_ANSWERS) == used, f"reasons that match nothing printed: {set(NOT_ANSWERS) - used}"
    # every formula answer is printed in a handout, and reads back from there
    assert answered == {(p, q) for p, q, _ in PARTS}


def test_the_matrix_form_of_the_conv_recursion_reads_back() -> None:
    (conv,) = [s for s in SOLUTIONS if s.problem.kind == "conv_backprop"]
    assert "\\ast_{\\mathrm{full}} \\operatorname{rot180}(w)" in conv.work["rule_latex"]
    assert _reads_back(f"${conv.work['rule_latex']}$", conv.answers["recursion"])
    unrotated = conv.work["rule_latex"].replace(r"\operatorname{rot180}(w)", "w")
    assert not _reads_back(f"${unrotated}$", conv.answers["recursion"])


def _segments(line: str) -> list[str]:
    """A line of `solve` as the formulas it holds: a label before ': ' dropped, counts split at ', '."""
    body = re.sub(r"^[\w ,]+:\s+(?=\S)", "", line.strip()) if not re.match(r"^\w+: e\(", line.strip()) else line
    counts = re.search(r"\b(mults|adds)\b|^forward .*, backward ", body)
    return [piece.strip() for piece in body.split(", ")] if counts else [body.strip()]


TEXT_NOT_ANSWERS = {
    "as whole arrays: e(l-1) = f'(z(l-1)) * full convolution of e(l) with the kernel rotated by 180 degrees": (
        "prose: the matrix form in words (its LaTeX, in the handout, reads back)"
    ),
}


def test_every_answer_line_solve_prints_reads_back() -> None:
    for solution in WITH_FORMULAS:
        text = solutions_text([solution])
        for part, answer in _formula_parts(solution):
            segments = [s for line in text.splitlines() if answer.expr in line for s in _segments(line)]
            key = part.partition(".")[2]  # "multiplications to leading order: forward L*n^2, backward 3*L*n^2"
            segments = [s.removeprefix(f"{key} ") if key else s for s in segments]
            assert segments, f"{part}: {answer.expr} is not printed"
            assert any(_reads_back(s, answer) for s in segments), (part, segments)
        for line in text.splitlines():
            if line.strip() in TEXT_NOT_ANSWERS:
                assert not _answers_of(solution, line.strip())


def test_a_prose_line_is_no_formula() -> None:
    (line,) = TEXT_NOT_ANSWERS
    conv = next(s for s in SOLUTIONS if s.problem.kind == "conv_backprop")
    assert line in solutions_text([conv])
    with pytest.raises(ExprError):
        read(line, conv.answers["recursion"].scope)
    assert parse(conv.answers["recursion"].expr, conv.answers["recursion"].scope)

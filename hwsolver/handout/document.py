"""Worked-solution handouts: every solved problem explained step by step, as Markdown, HTML or LaTeX.

Each kind's account is written once, in Math Markdown (templates/kinds/<kind>/handout.md.j2). Markdown output
is that text; HTML converts it with formulas as MathML and the CSS inlined, one file that renders offline;
LaTeX converts it for xelatex (ctex for Chinese). Annotations add one student's answers and verdicts:
{problem_id: {part_id: {"answer": ..., "verdict": ..., "feedback": ...}}}.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from hwsolver.errors import HwsolverError
from hwsolver.handout.mathdown_tex import to_tex
from hwsolver.handout.precision import precision_text
from hwsolver.handout.strings import STRINGS
from hwsolver.kinds import KINDS
from hwsolver.model import LANGUAGES, Solution
from hwsolver.render import kind_template, render
from hwsolver.resources import data_dir

FORMATS = ("md", "html", "tex")
Annotations = Mapping[str, Mapping[str, Mapping[str, Any]]]


def _figures(solution: Solution) -> dict[str, Any]:
    """What the kind's template shows besides the solution: its extras (the answers under other counting
    conventions, say) and its drawing (a network's units and weights), where the kind has them."""
    kind = KINDS[solution.problem.kind]
    figures = dict(kind.extras(solution)) if kind.extras else {}
    if kind.drawing:
        figures["drawing"] = kind.drawing(solution)
    return figures


def handout_markdown(
    solutions: Sequence[Solution],
    lang: str = "zh",
    annotations: Annotations | None = None,
    target: str = "md",
    numbers: Sequence[str] | None = None,
    student: str | None = None,
    charts: bool = True,
) -> str:
    """The handout in Math Markdown; `target` (md, html, tex) picks the drawings' format; `numbers` are the
    problems' numbers in their assignment ("1", "2a"; default 1, 2, ...); `student`: whose variants these are.
    charts=False puts a line naming each matplotlib chart and the digest of its data in its place (golden files:
    matplotlib's bytes change with its releases, the data must not)."""
    if lang not in LANGUAGES:
        raise HwsolverError(f"unknown language '{lang}'; known languages: {', '.join(LANGUAGES)}")
    strings = STRINGS[lang]
    numbers = list(numbers) if numbers is not None else [str(n) for n in range(1, len(solutions) + 1)]
    bodies = []
    for number, solution in zip(numbers, solutions):
        problem = solution.problem
        kind = KINDS[problem.kind]
        bodies.append(
            render(
                kind_template(problem.kind, "handout"),
                problem=problem,
                given=problem.given,
                answers=solution.answers,
                work=solution.work,
                notes=(annotations or {}).get(problem.id),
                n=number,
                S=strings,
                T=kind.strings[lang],
                labels=kind.labels[lang],
                lang=lang,
                target=target,
                charts=charts,
                precision=precision_text(solution, lang),
                **_figures(solution),
            )
        )
    problems = [s.problem for s in solutions]
    ordered = numbers == [str(n) for n in range(1, len(solutions) + 1)]  # else the contents list the numbers
    document = render(
        "handout/document.md.j2",
        problems=problems,
        numbers=numbers,
        ordered=ordered,
        bodies=bodies,
        S=strings,
        lang=lang,
        student=student,
    )
    # Templates leave runs of blank lines where optional parts are skipped; one blank line means the same.
    return re.sub(r"\n{3,}", "\n\n", document)


def render_handout(
    solutions: Sequence[Solution],
    fmt: str = "html",
    lang: str = "zh",
    annotations: Annotations | None = None,
    numbers: Sequence[str] | None = None,
    student: str | None = None,
) -> str:
    """The whole handout of `solutions` in one format (md, html or tex) and language (zh or en)."""
    if fmt not in FORMATS:
        raise HwsolverError(f"unknown handout format '{fmt}'; known formats: {', '.join(FORMATS)}")
    source = handout_markdown(solutions, lang, annotations, target=fmt, numbers=numbers, student=student)
    return as_format(source, fmt, STRINGS[lang]["title"], lang)


def as_format(source: str, fmt: str, title: str, lang: str) -> str:
    """A Math Markdown document as itself (md), one self-contained HTML page, or a LaTeX document."""
    if fmt == "md":
        return source
    if fmt == "html":
        from hwsolver.handout.mathdown_html import to_html  # latex2mathml: loaded for HTML only

        css = (data_dir("templates") / "handout" / "style.css").read_text(encoding="utf-8")
        return render("handout/document.html.j2", body=to_html(source), css=css, title=title, lang=lang)
    return render("handout/document.tex.j2", body=to_tex(source), title=title, lang=lang)


def output_path(output: str | Path, fmt: str) -> Path:
    """Where --output writes: the file itself, or handout.<fmt> inside a folder (existing or ending in /)."""
    path = Path(output)
    if path.is_dir() or str(output).endswith(("/", "\\")):
        return path / f"handout.{fmt}"
    return path


def graded_annotations(solutions: Sequence[Solution], submission: str | Path) -> dict[str, dict[str, dict[str, Any]]]:
    """One student's submission graded against `solutions`, as the annotations render_handout takes."""
    # The grader's machinery (worker pool, time limits) is loaded only for a handout with a student's answers.
    from hwsolver.grading.batch import grade_all
    from hwsolver.grading.display import shown_path
    from hwsolver.grading.files import Source
    from hwsolver.grading.prepared import prepare

    # Graded as `hwsolver grade` grades: in a worker, each answer and the file under a time limit.
    source = Source(os.path.realpath(submission), shown_path(str(submission)))
    (result,) = grade_all([source], prepare(solutions), jobs=1)
    if result.error:
        raise HwsolverError(result.error)
    return {
        problem.id: {
            part.id: {
                "answer": part.answer,
                "verdict": part.verdict,
                "feedback": part.feedback,
                "score": part.score,
                "max_score": part.max_score,
            }
            for part in problem.parts
        }
        for problem in result.problems
    }

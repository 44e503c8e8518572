"""Problem sheets: one student's statements with their own numbers and no answers (Markdown, HTML or LaTeX, like
the handouts), and the submission template that goes beside it: a YAML file with the student id filled in and
every asked part present and empty (returned blank, each part grades as missing)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from hwsolver.handout.document import as_format
from hwsolver.kinds import KINDS
from hwsolver.model import LANGUAGES, Problem
from hwsolver.render import render
from hwsolver.variants.nodes import written

STRINGS: dict[str, dict[str, str]] = {
    "zh": {
        "title": "作业题",
        "student": "学生",
        "due": "截止",
        "colon": "：",
        "hand_in": "每个小题的答案写进同一目录下的 `{file}`（写在键名后的冒号后面），然后提交该文件。",
        "part": "小题",
        "key": "键名",
        "worth": "分值",
        "answer": "答案的写法",
        "template": "在每个冒号后写答案，然后提交本文件。数可以写成小数、分数或常数公式；"
        "公式也可以写成 $...$ 中的 LaTeX。",
        "point": "分",
        "points": "分",
    },
    "en": {
        "title": "Problem sheet",
        "student": "Student",
        "due": "Due",
        "colon": ": ",
        "hand_in": "Write each part's answer into `{file}` beside this sheet (after the colon that follows its key), "
        "then hand that file in.",
        "part": "Part",
        "key": "Key",
        "worth": "Points",
        "answer": "How to write the answer",
        "template": "Write each answer after its colon, then hand in this file. Numbers may be decimals, fractions or "
        "constant formulas; formulas may also be LaTeX between $...$.",
        "point": "point",
        "points": "points",
    },
}
assert all(STRINGS[lang].keys() == STRINGS["en"].keys() for lang in LANGUAGES)


@dataclass(frozen=True)
class Sheet:
    """What one student's sheet shows: the assignment's title and due date, the student, each problem with its
    number, and the precision each problem's numbers are graded to (the same for every variant)."""

    title: Mapping[str, str]
    due: str | None
    student: str
    problems: Sequence[Problem]
    numbers: Sequence[str]
    precision: Mapping[str, Mapping[str, str]]  # problem id -> lang -> the sentence ("" for formula answers)
    template_file: str  # the submission template's file name, beside the sheet


def sheet_markdown(sheet: Sheet, lang: str) -> str:
    items = [(number, problem, _parts(problem, lang)) for number, problem in zip(sheet.numbers, sheet.problems)]
    text = render(
        "sheet/sheet.md.j2",
        sheet=sheet,
        items=items,
        precision=sheet.precision,
        T=STRINGS[lang],
        lang=lang,
        hand_in=STRINGS[lang]["hand_in"].format(file=sheet.template_file),
    )
    return re.sub(r"\n{3,}", "\n\n", text)  # statements end with a line break: one blank line is enough


def render_sheet(sheet: Sheet, fmt: str, lang: str) -> str:
    """The sheet in one format (md, html or tex)."""
    title = sheet.title[lang] or STRINGS[lang]["title"]
    return as_format(sheet_markdown(sheet, lang), fmt, f"{title} · {sheet.student}", lang)


def submission_template(sheet: Sheet, lang: str) -> str:
    """The YAML the student fills in: every asked part present and empty, each commented with its label."""
    items = [(number, problem, _parts(problem, lang)) for number, problem in zip(sheet.numbers, sheet.problems)]
    # comments start in one column: after the longest problem id (indented 2) or part id (indented 4)
    width = max([len(p.id) + 2 for p in sheet.problems] + [len(part["id"]) + 4 for *_, ps in items for part in ps]) + 3
    return render(
        "sheet/submission.yaml.j2",
        sheet=sheet,
        items=items,
        T=STRINGS[lang],
        lang=lang,
        student=written(sheet.student),
        width=width,
    )


def _parts(problem: Problem, lang: str) -> list[dict[str, Any]]:
    kind = KINDS[problem.kind]
    answers = {info.id: info.answer for info in kind.parts}
    if kind.answer_forms is not None:  # said for this problem's given (no b1 for a network without biases)
        answers |= kind.answer_forms(problem.given)
    return [
        {
            "id": part.id,
            "label": kind.labels[lang][part.id],
            "points": _points(part.points),
            "unit": STRINGS[lang]["point" if part.points == 1 else "points"],
            "answer": answers[part.id],
        }
        for part in problem.parts
    ]


def _points(points: Fraction) -> str:
    return str(points.numerator) if points.denominator == 1 else f"{points.numerator}/{points.denominator}"

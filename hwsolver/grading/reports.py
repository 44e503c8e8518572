"""Grading results out: one JSON document, a readable text report, a gradebook CSV, feedback files."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import tempfile
from collections.abc import Sequence
from fractions import Fraction
from pathlib import Path
from typing import Any

from hwsolver.grading.grader import PreparedProblem
from hwsolver.grading.results import SubmissionResult
from hwsolver.render import render


def points(value: Fraction) -> int | float:
    """Points as a JSON number: 3, or 2.5."""
    return int(value) if value.denominator == 1 else float(value)


def results_json(results: Sequence[SubmissionResult]) -> str:
    document = {
        "submissions": [
            {
                "file": r.file,
                "student": r.student,
                "score": points(r.score),
                "max_score": points(r.max_score),
                "error": r.error,
                "problems": [
                    {
                        "id": p.id,
                        "score": points(p.score),
                        "max_score": points(p.max_score),
                        "parts": [
                            {
                                "id": part.id,
                                "score": points(part.score),
                                "max_score": points(part.max_score),
                                "verdict": part.verdict,
                                "feedback": part.feedback,
                                "mistake": part.mistake,
                                "follow_through": part.follow_through,
                            }
                            for part in p.parts
                        ],
                    }
                    for p in r.problems
                ],
                "warnings": list(r.warnings),
            }
            for r in results
        ]
    }
    return json.dumps(document, ensure_ascii=False, indent=2)


def results_text(results: Sequence[SubmissionResult]) -> str:
    return render("grade/report.txt.j2", results=results, points=points)


def gradebook_rows(results: Sequence[SubmissionResult], prepared: Sequence[PreparedProblem]) -> list[list[Any]]:
    """Header and one row per submission: student, file, total, max, then each problem and its parts."""
    header: list[Any] = ["student", "file", "total", "max"]
    for p in prepared:
        header += [p.problem.id, *(f"{p.problem.id}.{part.part.id}" for part in p.parts)]
    rows = [[*header, "error"]]
    for r in results:
        row: list[Any] = [r.student or "", r.file, points(r.score), points(r.max_score)]
        graded = {p.id: p for p in r.problems}
        for p in prepared:
            problem = graded.get(p.problem.id)
            scores = {part.id: points(part.score) for part in problem.parts} if problem else {}
            row += [points(problem.score) if problem else 0, *(scores.get(part.part.id, 0) for part in p.parts)]
        rows.append([*row, r.error or ""])
    return rows


def write_gradebook(path: str | Path, results: Sequence[SubmissionResult], prepared: Sequence[PreparedProblem]) -> None:
    """The gradebook CSV, written atomically: a reader never sees half a file."""
    buffer = io.StringIO()
    csv.writer(buffer).writerows(gradebook_rows(results, prepared))
    _write_atomically(Path(path), buffer.getvalue())


def write_feedback(
    folder: str | Path, results: Sequence[SubmissionResult], prepared: Sequence[PreparedProblem]
) -> list[Path]:
    """One Markdown feedback file per submission, named after the student id (made safe as a file name)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    titles = {p.problem.id: p.problem.title for p in prepared}
    written: list[Path] = []
    used: set[str] = set()
    for r in results:
        stem = _safe_name(r.student or Path(r.file).stem)
        name, count = stem, 1
        while name in used:
            count += 1
            name = f"{stem}-{count}"
        used.add(name)
        path = folder / f"{name}.md"
        _write_atomically(path, render("grade/feedback.md.j2", result=r, titles=titles, points=points))
        written.append(path)
    return written


def _safe_name(text: str) -> str:
    name = re.sub(r"[^A-Za-z0-9_.\-\u4e00-\u9fff]+", "_", text).strip("._")[:80]
    return name or "submission"


def _write_atomically(path: Path, text: str) -> None:
    handle, temporary = tempfile.mkstemp(dir=path.parent or Path("."), prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise

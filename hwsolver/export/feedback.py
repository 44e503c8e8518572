"""A submission's feedback in a few words per part, for an LMS's feedback field (one line)."""

from __future__ import annotations

from hwsolver.export.cells import score_text
from hwsolver.report.grades import Graded, GradedPart


def part_feedback(part: GradedPart, hide_expected: bool) -> str:
    """The part's feedback, without the right values when asked (a file too old to have that is refused before)."""
    return (part.hint or "") if hide_expected else part.feedback


def feedback_line(graded: Graded, hide_expected: bool) -> str:
    """ "Score 30.5/35. problem.part 1.5/3: feedback; ..." for the parts that lost points or have a note."""
    said = [f"Score {score_text(graded.score)}/{score_text(graded.max_score)}."]
    for problem in graded.problems:
        for part in problem.parts:
            text = part_feedback(part, hide_expected)
            if part.score < part.max_score or text:
                points = f"{score_text(part.score)}/{score_text(part.max_score)}"
                said.append(f"{problem.id}.{part.id} {points}: {text or part.verdict};")
    return " ".join(said).rstrip(";")

"""A small class whose statistics are worked out by hand in the tests (see test_statistics.py)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

# (student, gradient /2, d1 /1, d2 /1) with each part's (verdict, mistake); totals 4, 3, 2, 1, 1, 3.
ROWS: list[tuple[str, tuple[Any, ...], tuple[Any, ...], tuple[Any, ...]]] = [
    ("A", (2, "correct", None), (1, "correct", None), (1, "correct", None)),
    ("B", (2, "correct", None), (1, "correct", None), (0, "incorrect", None)),
    ("C", (1, "partial", "softmax_sign"), (1, "correct", None), (0, "missing", None)),
    ("D", (1, "partial", "missing_delta"), (0, "incorrect", None), (0, "invalid", None)),
    ("E", (0, "incorrect", None), (0.5, "partial", "missing_chain_factor"), (0.5, "partial", "sign_error")),
    ("F", (1, "partial", "softmax_sign"), (1, "correct", None), (1, "correct", None)),
]


def _part(part_id: str, points: int, score: Any, verdict: str, mistake: str | None) -> dict[str, Any]:
    feedback = "" if verdict == "correct" else f"{part_id}: expected 0.5"
    hint = "" if verdict == "correct" else f"{part_id}: not the right value"
    return {
        "id": part_id,
        "score": score,
        "max_score": points,
        "verdict": verdict,
        "feedback": feedback,
        "feedback_without_expected": hint,
        "mistake": mistake,
        "follow_through": False,
    }


def small_class() -> dict[str, Any]:
    submissions = []
    for student, g, d1, d2 in ROWS:
        total = g[0] + d1[0] + d2[0]
        submissions.append(
            {
                "file": f"in/{student}.yaml",
                "student": student,
                "score": total,
                "max_score": 4,
                "error": None,
                "problems": [
                    {"id": "log-softmax-gradient", "score": g[0], "max_score": 2, "parts": [_part("gradient", 2, *g)]},
                    {
                        "id": "sigmoid-derivatives",
                        "score": d1[0] + d2[0],
                        "max_score": 2,
                        "parts": [_part("d1", 1, *d1), _part("d2", 1, *d2)],
                    },
                ],
                "warnings": [],
            }
        )
    submissions.append(
        {
            "file": "in/G.yaml",
            "student": None,
            "score": 0,
            "max_score": 4,
            "error": "in/G.yaml: not a text file (binary content)",
            "problems": [],
            "warnings": [],
        }
    )
    return {"submissions": submissions}


def write_class(folder: Path, document: dict[str, Any] | None = None) -> Path:
    path = folder / "grades.json"
    path.write_text(json.dumps(document or small_class(), ensure_ascii=False))
    return path

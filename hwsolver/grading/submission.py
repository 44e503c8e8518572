"""Student submission files: who it is, and the answer node of every part they answered."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from hwsolver.node import Node
from hwsolver.spec import read_file

_MAX_ID = 100
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


@dataclass(frozen=True)
class Submission:
    file: str
    student: str
    name: str | None
    answers: Mapping[str, Mapping[str, Node]]  # problem id -> part id -> what the student wrote
    warnings: tuple[str, ...] = ()


def read_submission(path: str | Path, parts: Mapping[str, tuple[str, ...]], display: str | None = None) -> Submission:
    """Read one submission; `parts` maps each known problem id to its part ids. SpecError if unreadable."""
    # Answers are built only when the grader has not seen their text before (see grader._key).
    root = read_file(path, display, lazy_below=3)
    fields = root.fields(["student", "answers"], ["name"])
    student = _identifier(fields["student"])
    name = _one_line(fields["name"]) if "name" in fields and not fields["name"].is_null else None
    answers: dict[str, dict[str, Node]] = {}
    warnings: list[str] = []
    if not fields["answers"].is_null:
        for problem_id, node in fields["answers"].mapping().items():
            if problem_id not in parts:
                warnings.append(_where(node, f"no problem '{problem_id}' in this problem set; its answers are ignored"))
                continue
            if node.is_null:
                continue
            answered = {}
            for part_id, answer in node.mapping().items():
                if part_id in parts[problem_id]:
                    answered[part_id] = answer
                else:
                    known = ", ".join(parts[problem_id])
                    warnings.append(_where(answer, f"problem '{problem_id}' has no part '{part_id}' (it has: {known})"))
            answers[problem_id] = answered
    return Submission(root.file, student, name, answers, tuple(warnings))


def _identifier(node: Node) -> str:
    if not node.is_scalar or node.is_null or not node.value.strip():
        raise node.error(f"expected the student's id as text, got {node.describe()}")
    if len(node.value) > _MAX_ID:
        raise node.error(f"a student id of at most {_MAX_ID} characters")
    return _one_line(node)


def _one_line(node: Node) -> str:
    """Text that goes into reports and file names: one line, no control characters (no forged report lines)."""
    if _CONTROL.search(node.value):
        raise node.error("expected one line of text, without line breaks or control characters")
    return node.value.strip()


def _where(node: Node, message: str) -> str:
    return str(node.error(message))

"""Building submissions from solutions, for grading tests."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from typing import Any

import yaml

from hwsolver.model import Solution, Symbolic
from hwsolver.numbers import to_json


def plain(value: Any) -> Any:
    """An answer as a student would write it: numbers as floats, formulas as their text."""
    if isinstance(value, Symbolic):
        return value.expr
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, tuple | list):
        return [plain(v) for v in value]
    return to_json(value)


def submission_text(student: str, answers: dict[str, dict[str, Any]]) -> str:
    return yaml.safe_dump({"student": student, "answers": answers}, allow_unicode=True, sort_keys=False)


def correct_answers(solutions: list[Solution]) -> dict[str, dict[str, Any]]:
    return {s.problem.id: {p.id: plain(s.answers[p.id]) for p in s.problem.parts} for s in solutions}


def written(value: Any, digits: int) -> str:
    """An answer as YAML flow text with every number written to `digits` significant figures, trailing zeros
    kept as a careful student writes them (0.520, not 0.52: YAML's own dump would drop the zero)."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{key}: {written(item, digits)}" for key, item in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(written(item, digits) for item in value) + "]"
    text = f"{value:#.{digits}g}"
    return text[:-1] if text.endswith(".") else text


def counted_step(
    worked: Counter[str], name: str, compute: Callable[[Mapping[str, Any]], Any]
) -> tuple[str, Callable[[Mapping[str, Any]], Any]]:
    """A chain step (model.Chain) that counts its runs in `worked`, by its name."""

    def counted(values: Mapping[str, Any]) -> Any:
        worked[name] += 1
        return compute(values)

    return name, counted

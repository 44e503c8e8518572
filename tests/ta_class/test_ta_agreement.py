"""hwsolver against a careful TA on a realistic class of the built-in homework (POLICY.md says how it was graded).

The agreement test is the measure of issue 11: at least 98% of the clear-cut parts and 95% of all parts graded as
the TA graded them, and no false accept. The other tests keep the class itself honest: complete, well-formed,
and every number the TA calls right is right by the policy's own rule against the exact solution.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from decimal import Decimal, localcontext
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
_spec = importlib.util.spec_from_file_location("ta_agreement", HERE / "agreement.py")
assert _spec and _spec.loader
agreement = importlib.util.module_from_spec(_spec)
sys.modules["ta_agreement"] = agreement  # dataclasses look their module up by name
_spec.loader.exec_module(agreement)

NUMERIC = ("relu-network-update", "conv-backprop", "pooling-backprop", "average-pooling-backprop")


def built_in_parts() -> dict[str, list[str]]:
    parts = {}
    for path in agreement.HOMEWORK:
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
        parts[spec["id"]] = [p["id"] if isinstance(p, dict) else p for p in spec["parts"]]
    return parts


@pytest.fixture(scope="module")
def expected() -> list[Any]:
    return agreement.load_expected()


def test_the_class_is_complete(expected: list[Any]) -> None:
    students = sorted(p.stem for p in agreement.SUBMISSIONS.glob("*.yaml"))
    assert len(students) >= 64
    assert students == sorted(p.stem for p in agreement.VERDICTS.glob("*.yaml"))
    for student in students:
        text = (agreement.SUBMISSIONS / f"{student}.yaml").read_text(encoding="utf-8")
        assert yaml.safe_load(text)["student"] == student
    wanted = {(s, problem, part) for s in students for problem, parts in built_in_parts().items() for part in parts}
    assert {e.key for e in expected} == wanted


def test_the_class_is_mostly_distinct_and_varied(expected: list[Any]) -> None:
    texts = [p.read_text(encoding="utf-8").split("answers:", 1)[1] for p in agreement.SUBMISSIONS.glob("*.yaml")]
    assert len(set(texts)) == len(texts)
    kinds = {v for e in expected for v in e.verdicts}
    assert kinds == set(agreement.KINDS_OF_VERDICT)
    assert sum(e.follow_through for e in expected) >= 40
    assert sum(not e.clear_cut for e in expected) < 0.05 * len(expected)


def _exact(value: Any) -> Fraction:
    text = str(value).strip()
    if "/" in text:
        top, bottom = text.split("/")
        return Fraction(int(top), int(bottom))
    return Fraction(Decimal(text))


def _numbers(value: Any, reference: Any) -> list[tuple[Fraction, Fraction]]:
    """(student's, reference) number pairs, in the reference's order; parameter keys as in POLICY.md."""
    if isinstance(reference, dict):
        named = {str(k).lower().removeprefix("d"): v for k, v in value.items()}
        return [pair for key, ref in reference.items() for pair in _numbers(named[key.lower()], ref)]
    flat_value, flat_reference = _flatten(value), _flatten(reference)
    assert len(flat_value) == len(flat_reference), (value, reference)
    return [(_exact(v), _exact(r)) for v, r in zip(flat_value, flat_reference)]


def _flatten(value: Any) -> list[Any]:
    return [x for item in value for x in _flatten(item)] if isinstance(value, list) else [value]


def right_to_three_figures(value: Fraction, reference: Fraction) -> bool:
    """POLICY.md: rounded or truncated to 3 or more figures, or within half a unit of the third figure."""
    if value == reference or reference == 0:
        return value == reference
    with localcontext() as context:
        context.prec = 50
        exact = Decimal(reference.numerator) / Decimal(reference.denominator)
        unit = Fraction(10) ** (exact.adjusted() - 2)  # a unit in the third significant figure
        if abs(value - reference) <= unit / 2:
            return True
        for figures in range(3, 30):
            step = Decimal(1).scaleb(exact.adjusted() - figures + 1)
            if value == Fraction(exact.quantize(step, rounding="ROUND_DOWN")):
                return True
    return False


def test_numbers_the_ta_calls_right_are_right(expected: list[Any]) -> None:
    """The TA's second witness: hwsolver's exact solution (not its grader) and the policy's number rule."""
    solved = subprocess.run(
        [sys.executable, "-m", "hwsolver", "solve", *map(str, agreement.HOMEWORK), "--exact", "--format", "json"],
        capture_output=True,
        text=True,
    )
    solutions = {p["id"]: p["answers"] for p in json.loads(solved.stdout)["problems"]}
    checked = 0
    for e in expected:
        if e.problem not in NUMERIC or e.verdicts != ("correct",) or e.follow_through or not e.clear_cut:
            continue
        reference = solutions[e.problem][e.part]
        if isinstance(reference, bool) or (isinstance(reference, dict) and "expr" in reference):
            continue  # yes/no and formulas: not numbers
        text = (agreement.SUBMISSIONS / f"{e.student}.yaml").read_text(encoding="utf-8")
        answer = yaml.load(text, Loader=yaml.BaseLoader)["answers"][e.problem][e.part]  # every scalar as text
        for value, ref in _numbers(answer, reference):
            assert right_to_three_figures(value, ref), f"{e.student} {e.problem}.{e.part}: {value} for {ref}"
            checked += 1
    assert checked > 3000


@pytest.mark.parametrize(
    ("value", "reference", "right"),
    [
        ("0.274", "137/500", True),
        ("0.851", "42599/50000", True),
        ("0.8529", "42599/50000", False),
        ("0.016", "0.0159766", True),
        ("0.32", "0.32124532712", False),
        ("0", "0", True),
        ("1e-9", "0", False),
    ],
)
def test_the_number_rule(value: str, reference: str, right: bool) -> None:
    assert right_to_three_figures(_exact(value), _exact(reference)) is right


def _one(verdict: Any, share: Any, clear_cut: bool = True) -> Any:
    entry = {"verdict": verdict, "share": share, "reason": "r", **({} if clear_cut else {"clear_cut": False})}
    return agreement._expected(Path("s.yaml"), "p", "q", entry)


@pytest.mark.parametrize(
    ("verdict", "share", "graded", "agrees", "false_accept"),
    [
        ("correct", 1, ("correct", 1.0), True, False),
        ("partial", [0.25, 0.75], ("partial", 0.5), True, False),
        ("partial", [0.25, 0.75], ("incorrect", 0.0), False, False),
        ("partial", [0.25, 0.75], ("correct", 1.0), False, True),
        ("incorrect", 0, ("correct", 1.0), False, True),
        ("missing", 0, ("invalid", 0.0), False, False),
        ("partial", 0.875, ("partial", 0.875), True, False),
        ("partial", 0.875, ("partial", 0.75), False, False),
    ],
)
def test_a_part_agrees_only_on_verdict_and_share(verdict, share, graded, agrees, false_accept) -> None:
    comparison = agreement.Comparison(_one(verdict, share), agreement.Graded(*graded))
    assert (comparison.agrees, comparison.false_accept) == (agrees, false_accept)


@pytest.mark.parametrize(
    ("verdict", "share", "clear_cut"),
    [
        ("right", 1, True),
        (["correct", "partial"], [0.5, 1], True),
        ("correct", 0.5, True),
        ("incorrect", [0, 1], True),
        ("partial", [0.8, 0.2], True),
        ("partial", [0.2, 0.5, 0.8], True),
    ],
)
def test_malformed_verdicts_are_refused(verdict: Any, share: Any, clear_cut: bool) -> None:
    with pytest.raises(agreement.VerdictError):
        _one(verdict, share, clear_cut)


def test_hwsolver_agrees_with_the_ta(expected: list[Any]) -> None:
    result = agreement.compare(expected, agreement.grade_class())
    report = agreement.report(result)
    print(report)
    assert not result.false_accepts, report
    assert result.clear_cut_rate >= 0.98 and result.rate >= 0.95, report

"""`hwsolver report --lock`: each part's facility against each varied value. A small class worked out by hand
(bins, n, facility), the permutation test against the exact test (every arrangement enumerated), a planted effect
flagged and a class without one left alone, in every format and language."""

from __future__ import annotations

import itertools
import json
from fractions import Fraction
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from hwsolver.cli import cli
from hwsolver.report import facility
from hwsolver.report.facility import make_bins, permutation_p

ASSIGNMENT = """\
id: facility-test
title: {zh: 测试, en: test}
salt: facility-1
problems:
  - {problem: adagrad-rates, points: 4}
  - {problem: sigmoid-derivatives, points: 2}
"""
ADAGRAD = (
    "{objective: '2*w^2 + b^2/20000', start: {w: 1, b: 1}, optimizer: {name: adagrad, lr: %s, eps: 1e-8}, steps: 3}"
)
SIGMOID = "{function: %s, variable: x, orders: [1, 2], rewrite: sigmoid}"


def _part(part_id: str, score: int, top: int) -> dict:
    verdict = "correct" if score == top else "incorrect" if score == 0 else "partial"
    return {"id": part_id, "score": score, "max_score": top, "verdict": verdict, "feedback": "", "mistake": None}


def _submission(student: str, trajectory: int, state: int, d1: int) -> dict:
    return {
        "file": f"{student}.yaml",
        "student": student,
        "score": trajectory + state + d1 + 1,
        "max_score": 6,
        "error": None,
        "problems": [
            {
                "id": "adagrad-rates",
                "score": trajectory + state,
                "max_score": 4,
                "parts": [_part("trajectory", trajectory, 2), _part("state", state, 2)],
            },
            {
                "id": "sigmoid-derivatives",
                "score": d1 + 1,
                "max_score": 2,
                "parts": [_part("d1", d1, 1), _part("d2", 1, 1)],
            },
        ],
        "warnings": [],
    }


def _report(folder: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(
        cli, ["report", str(folder / "grades.json"), "--problems", str(folder / "hw.yaml"), *args]
    )
    return result.exit_code, result.output


# (student, lr, function, trajectory /2, state /2, d1 /1)
SMALL = [
    ("A", "0.1", "1/(1 + exp(-x))", 2, 2, 1),
    ("B", "0.1", "log(1 + exp(x))", 1, 2, 0),
    ("C", "0.2", "1/(1 + exp(-x))", 2, 0, 1),
    ("D", "0.2", "log(1 + exp(x))", 2, 2, 1),
    ("E", "0.3", "1/(1 + exp(-x))", 0, 2, 0),
    ("F", "0.3", "1/(1 + exp(-x))", 1, 1, 1),
]


@pytest.fixture
def small(tmp_path: Path) -> Path:
    """Six students, a lock written by hand: lr 0.1, 0.2, 0.3 (two each) and the sigmoid or softplus."""
    (tmp_path / "hw.yaml").write_text(ASSIGNMENT, encoding="utf-8")
    lock = ["hwsolver: 0.1.0", "assignment: facility-test", "salt: facility-1", "students:"]
    for student, lr, function, *_ in SMALL:
        lock += [f"  {student}:", f"    adagrad-rates:\n      given: {ADAGRAD % lr}"]
        lock += [f"    sigmoid-derivatives:\n      given: {SIGMOID % function}"]
    (tmp_path / "lock.yaml").write_text("\n".join(lock) + "\n", encoding="utf-8")
    grades = {"submissions": [_submission(s, t, st, d1) for s, _, _, t, st, d1 in SMALL]}
    (tmp_path / "grades.json").write_text(json.dumps(grades), encoding="utf-8")
    return tmp_path


def test_small_class_by_hand(small: Path) -> None:
    code, output = _report(small, "--lock", str(small / "lock.yaml"), "--format", "json")
    assert code == 0, output
    adagrad, sigmoid = json.loads(output)["problems"]
    (lr,) = adagrad["by_varied_value"]
    assert lr["value"] == "optimizer.lr" and lr["numeric"]
    assert lr["bins"] == [{"low": 0.1, "high": 0.1}, {"low": 0.2, "high": 0.2}, {"low": 0.3, "high": 0.3}]
    trajectory, state = lr["parts"]
    # trajectory /2: lr 0.1 scored 2 + 1 of 4, 0.2 scored 2 + 2 of 4, 0.3 scored 0 + 1 of 4
    assert (trajectory["id"], trajectory["n"], trajectory["facility"]) == ("trajectory", [2, 2, 2], [0.75, 1, 0.25])
    # state /2: 2 + 2, 0 + 2, 2 + 1 of 4
    assert (state["n"], state["facility"]) == ([2, 2, 2], [1, 0.5, 0.75])
    (function,) = sigmoid["by_varied_value"]
    assert function["value"] == "function" and not function["numeric"]
    assert [b["low"] for b in function["bins"]] == ["1/(1 + exp(-x))", "log(1 + exp(x))"]
    d1, d2 = function["parts"]
    # d1 /1: the sigmoid A C E F scored 1 1 0 1, softplus B D scored 0 1
    assert (d1["n"], d1["facility"], d2["facility"]) == ([4, 2], [0.75, 0.5], [1, 1])
    assert not any(p["flagged"] for v in (lr, function) for p in v["parts"])  # six students: nothing is sure


def test_without_a_lock_the_report_is_as_before(small: Path) -> None:
    code, output = _report(small, "--format", "json")
    assert code == 0
    assert all("by_varied_value" not in p for p in json.loads(output)["problems"])
    code, output = _report(small, "--format", "md", "--lang", "en")
    assert "Facility against" not in output


def test_markdown_and_html_in_both_languages(small: Path) -> None:
    lock = str(small / "lock.yaml")
    code, markdown = _report(small, "--lock", lock, "--format", "md", "--lang", "en")
    assert code == 0
    assert "| 1 | 0.1 | 2 | 75% | 100% |" in markdown and "| 3 | 0.3 | 2 | 25% | 75% |" in markdown
    assert "| 2 | log(1 + exp(x)) | 2 | 50% | 100% |" in markdown
    code, html = _report(small, "--lock", lock, "--format", "html", "--lang", "zh")
    assert code == 0 and "各变化数值下的得分率" in html
    assert html.count("facility-") > 0 and html.count("<svg") == 3 * 2 + 2  # two spreads each, a chart per value
    assert _report(small, "--lock", lock, "--format", "html", "--lang", "zh")[1] == html  # the same bytes


def test_quantile_bins_keep_equal_values_together() -> None:
    eight = {i: Fraction(v) for i, v in enumerate([8, 1, 7, 2, 6, 3, 5, 4])}
    assert [(b.low, b.high, b.members) for b in make_bins(eight, True)] == [
        (1, 2, (1, 3)),
        (3, 4, (5, 7)),
        (5, 6, (4, 6)),
        (7, 8, (0, 2)),
    ]
    # 1 1 1 1 1 2 3 4 5 6: the five 1s share a bin (their middle rank, 2.5 of 10, lies in the second quarter)
    tied = {i: Fraction(v) for i, v in enumerate([1, 1, 1, 1, 1, 2, 3, 4, 5, 6])}
    assert [(b.low, b.high, len(b.members)) for b in make_bins(tied, True)] == [(1, 1, 5), (2, 3, 2), (4, 6, 3)]
    few = {0: Fraction(1), 1: Fraction(3), 2: Fraction(1)}
    assert [(b.low, b.members) for b in make_bins(few, True)] == [(1, (0, 2)), (3, (1,))]


def test_permutation_p_agrees_with_the_exact_test() -> None:
    """Every arrangement of 8 scores over two bins of 4 enumerated: the sampled p is within sampling error."""
    scores = [Fraction(s) for s in (2, 2, 1, 2, 0, 1, 0, 0)]
    labels = [0, 0, 0, 0, 1, 1, 1, 1]

    def statistic(arranged: tuple[Fraction, ...]) -> Fraction:
        mean = sum(arranged) / 8
        return sum(4 * (sum(arranged[k * 4 : k * 4 + 4]) / 4 - mean) ** 2 for k in (0, 1))

    observed = statistic(tuple(scores))
    arrangements = list(itertools.permutations(scores))
    exact = sum(statistic(a) >= observed for a in arrangements) / len(arrangements)
    assert exact == pytest.approx(0.0571, abs=1e-3)  # 4 of the 70 splits are at least as far apart
    assert permutation_p(scores, labels) == pytest.approx(exact, abs=0.015)
    assert permutation_p(scores, labels) == permutation_p(scores, labels)  # a fixed seed


@pytest.fixture(scope="module")
def forty(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Forty students, their variants drawn by `hwsolver assign`."""
    folder = tmp_path_factory.mktemp("forty")
    (folder / "hw.yaml").write_text(ASSIGNMENT, encoding="utf-8")
    (folder / "roster.csv").write_text("student\n" + "".join(f"S{n}\n" for n in range(40)), encoding="utf-8")
    args = ["assign", str(folder / "hw.yaml"), "--roster", str(folder / "roster.csv"), "-o", str(folder / "lock.yaml")]
    assert CliRunner().invoke(cli, args).exit_code == 0
    return folder


def _class(folder: Path, planted: bool) -> dict[str, dict]:
    """Scores that do not depend on the variant, except (planted) no trajectory marks for a learning rate of
    0.35 or more; the report's JSON by varied value."""
    students = yaml.safe_load((folder / "lock.yaml").read_text(encoding="utf-8"))["students"]
    rows = []
    for n, (student, problems) in enumerate(students.items()):
        high = Fraction(str(problems["adagrad-rates"]["given"]["optimizer"]["lr"])) >= Fraction(35, 100)
        rows.append(_submission(student, 0 if planted and high else 1 + (n % 3 > 0), 2 * (n % 4 > 0), n % 2))
    (folder / "grades.json").write_text(json.dumps({"submissions": rows}), encoding="utf-8")
    code, output = _report(folder, "--lock", str(folder / "lock.yaml"), "--format", "json")
    assert code == 0, output
    return {v["value"]: v for p in json.loads(output)["problems"] for v in p.get("by_varied_value", [])}


def test_a_planted_effect_is_flagged(forty: Path) -> None:
    values = _class(forty, planted=True)
    lr = values["optimizer.lr"]
    flagged = {p["id"]: p["flagged"] for v in values.values() for p in v["parts"]}
    assert flagged == {"trajectory": True, "state": False, "d1": False, "d2": False}
    trajectory = lr["parts"][0]
    assert trajectory["facility"][-1] == 0 and trajectory["facility"][0] > 0.5 and sum(trajectory["n"]) == 40
    assert trajectory["p"] < facility.ALPHA / 2  # two tests (trajectory, state) in the problem


def test_no_flag_without_an_effect(forty: Path) -> None:
    values = _class(forty, planted=False)
    assert set(values) == {"optimizer.lr", "function"}
    assert not any(p["flagged"] for v in values.values() for p in v["parts"])


def test_grade_records_its_lock_and_report_reads_it(forty: Path, tmp_path: Path, monkeypatch) -> None:
    """`grade --lock --format json` writes the lock's path first; `report` uses it without being told."""
    monkeypatch.chdir(forty)
    (tmp_path / "subs").mkdir()
    for student in ("S0", "S1", "S2"):
        text = yaml.safe_dump({"student": student, "answers": {"adagrad-rates": {"trajectory": "1"}}})
        (tmp_path / "subs" / f"{student}.yaml").write_text(text, encoding="utf-8")
    args = ["grade", str(tmp_path / "subs"), "--problems", "hw.yaml", "--lock", "lock.yaml", "--format", "json"]
    result = CliRunner().invoke(cli, [*args, "--jobs", "1"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith('{"lock": "lock.yaml",\n"submissions": [')
    assert len(json.loads(result.stdout)["submissions"]) == 3
    (tmp_path / "grades.json").write_text(result.stdout, encoding="utf-8")
    (tmp_path / "hw.yaml").write_text(ASSIGNMENT, encoding="utf-8")
    code, output = _report(tmp_path, "--format", "json")
    assert code == 0, output
    assert json.loads(output)["problems"][0]["by_varied_value"][0]["value"] == "optimizer.lr"
    monkeypatch.chdir(tmp_path)  # a lock neither where grading ran nor beside the grades: one line naming --lock
    code, output = _report(tmp_path, "--format", "json")
    assert code == 1
    assert output.strip().endswith("the lock it was graded with, lock.yaml, is not found: give --lock LOCK")
    assert len(output.strip().splitlines()) == 1

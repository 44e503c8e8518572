"""`hwsolver report` through click's runner: exact output on the hand-computed class (small_class.py, whose
numbers test_statistics.py works out), deterministic charts, hostile text, errors, and lazy matplotlib."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

sys.path.insert(0, str(Path(__file__).parent))
from small_class import small_class, write_class

from hwsolver.cli import cli

ROOT = Path(__file__).resolve().parents[2]

# The whole English report of the small class, reviewed once: every number in it is the hand computation of
# test_statistics.py, rounded half up to 2 places.
MARKDOWN = (Path(__file__).parent / "expected" / "small_class.en.md").read_text(encoding="utf-8")


def report(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["report", *args])
    return result.exit_code, result.output


def test_markdown_report_exactly(tmp_path) -> None:
    code, output = report(str(write_class(tmp_path)), "--format", "md", "--lang", "en")
    assert (code, output) == (0, MARKDOWN)


def test_json_report(tmp_path) -> None:
    code, output = report(str(write_class(tmp_path)), "--format", "json")
    assert code == 0
    document = json.loads(output)
    assert document["submissions"] == 7 and document["not_graded"] == ["in/G.yaml"]
    assert document["total"] == {
        "n": 6,
        "max_score": 4,
        "mean": 2.3333,
        "median": 2.5,
        "sd": 1.2111,  # sqrt(22/15) = 1.21106
        "facility": 0.5833,
        "discrimination": None,
        "histogram": {
            "edges": [0, 0.4, 0.8, 1.2, 1.6, 2, 2.4, 2.8, 3.2, 3.6, 4],
            "counts": [0, 0, 2, 0, 0, 1, 0, 2, 0, 1],
        },
        "quintile_means": [1, 1.3333, 2.5, 3, 3.8333],
    }
    softmax = document["problems"][0]
    assert softmax["title"] == {"zh": "log-softmax 的梯度", "en": "The gradient of log-softmax"}
    (gradient,) = softmax["parts"]
    assert gradient == {
        "id": "gradient",
        "n": 6,
        "max_score": 2,
        "mean": 1.1667,
        "median": 1,
        "sd": 0.7528,  # sqrt(17/30) = 0.75277
        "facility": 0.5833,
        "discrimination": 0.2941,  # 5/17
        "verdicts": {"correct": 0.3333, "partial": 0.5, "incorrect": 0.1667, "missing": 0, "invalid": 0},
        "mistakes": [
            {"id": "softmax_sign", "count": 2, "examples": ["C", "F"]},
            {"id": "missing_delta", "count": 1, "examples": ["D"]},
        ],
    }


def test_the_format_follows_the_output_name(tmp_path) -> None:
    grades = write_class(tmp_path)
    code, output = report(str(grades), "--output", str(tmp_path / "r.md"), "--lang", "en")
    assert (code, output) == (0, f"wrote {tmp_path / 'r.md'}\n")
    assert (tmp_path / "r.md").read_text() == MARKDOWN
    code, _ = report(str(grades), "--output", str(tmp_path / "r.json"))
    assert json.loads((tmp_path / "r.json").read_text())["total"]["n"] == 6


def test_the_output_folder_is_made_as_for_every_other_output_file(tmp_path) -> None:
    code, output = report(str(write_class(tmp_path)), "--output", str(tmp_path / "new" / "r.md"), "--lang", "en")
    assert (code, output) == (0, f"wrote {tmp_path / 'new' / 'r.md'}\n")
    assert (tmp_path / "new" / "r.md").read_text() == MARKDOWN


def _html(tmp_path: Path, seed: str, document: dict | None = None) -> str:
    """The HTML report made in a fresh interpreter (its own hash seed, its own matplotlib state)."""
    grades = write_class(tmp_path, document)
    out = tmp_path / f"report-{seed}.html"
    environment = {**os.environ, "PYTHONHASHSEED": seed}
    command = [sys.executable, "-m", "hwsolver", "report", str(grades), "-o", str(out)]
    subprocess.run(command, check=True, capture_output=True, env=environment, cwd=ROOT)
    return out.read_text()


def test_html_is_byte_identical_run_to_run(tmp_path) -> None:
    first, second = _html(tmp_path, "1"), _html(tmp_path, "2")
    assert first == second
    assert first.count("<svg") == 6  # a histogram and the quintile means: the whole, then each problem


def test_html_is_one_self_contained_page(tmp_path) -> None:
    page = _html(tmp_path, "0")
    ids = re.findall(r'\bid="([^"]+)"', page)
    assert ids and len(ids) == len(set(ids)), "two charts share an id"
    assert not re.search(r"<script|<link|<img|\bsrc=|href=\"http|url\(http", page)
    assert "<title>班级成绩分析</title>" in page and "Date" not in page and "<dc:date>" not in page
    assert page.count("<td>58%</td>") == 4  # facility 7/12: the whole, both problems, the part gradient


def test_student_text_is_inert_in_html(tmp_path) -> None:
    document = small_class()
    document["submissions"][2]["student"] = "<script>alert(1)</script>\u202e"
    page = _html(tmp_path, "0", document)
    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;\\u202e" in page


@pytest.mark.parametrize(
    "edit, message",
    [
        (
            lambda d: d["submissions"][0]["problems"][0].update(id="no-such-problem"),
            "grades.json: problem 'no-such-problem' is not among the built-in problems: "
            "give the --problems the grading used",
        ),
        (
            lambda d: d["submissions"][0]["problems"][0]["parts"][0].update(score=3),
            "grades.json: submissions[0].problems[0].parts[0].score: expected at most max_score (2), got 3",
        ),
        (
            lambda d: d["submissions"][0]["problems"][0]["parts"][0].update(score=True),
            "grades.json: submissions[0].problems[0].parts[0].score: expected a number >= 0",
        ),
        (
            lambda d: d["submissions"][1]["problems"][1]["parts"][1].update(verdict="great"),
            "grades.json: submissions[1].problems[1].parts[1].verdict: "
            "expected one of correct, partial, incorrect, missing, invalid, got 'great'",
        ),
        (
            lambda d: d.update(submissions={}),
            'grades.json: expected {"submissions": [...]}, as `hwsolver grade --format json` writes it',
        ),
    ],
)
def test_a_bad_grades_file_is_one_line(tmp_path, monkeypatch, edit, message) -> None:
    document = small_class()
    edit(document)
    write_class(tmp_path, document)
    monkeypatch.chdir(tmp_path)
    assert report("grades.json", "--format", "json") == (1, f"Error: {message}\n")


def test_not_json(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("grades.json").write_text('{"submissions": [\n  {"file": NaN}]}')
    assert report("grades.json") == (1, "Error: grades.json: not JSON: NaN is not a score\n")
    Path("grades.json").write_text('{"submissions": [\n  {"file": ]}')
    assert report("grades.json") == (1, "Error: grades.json:2:12: not JSON: Expecting value\n")
    assert report("missing.json") == (1, "Error: missing.json: cannot read: No such file or directory\n")


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["solve", "problems/log-softmax-gradient.yaml"],
        ["grade", "tests/ta_class/submissions/PB21000101.yaml"],
        ["report", "GRADES", "--format", "md"],
    ],
)
def test_only_the_html_report_imports_matplotlib(args, tmp_path) -> None:
    args = [str(write_class(tmp_path)) if a == "GRADES" else a for a in args]
    code = (
        "import sys\n"
        "from hwsolver.cli import main\n"
        f"sys.argv = ['hwsolver', *{args!r}]\n"
        "try:\n    main()\nexcept SystemExit as exit:\n    assert not exit.code, exit.code\n"
        "print('PLOT', 'matplotlib' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert "PLOT False" in result.stdout, result.stderr

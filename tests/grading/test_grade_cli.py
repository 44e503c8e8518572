"""`hwsolver grade` through click's runner: JSON shape, gradebook, feedback files, exit codes."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

from click.testing import CliRunner

from hwsolver.cli import cli

GOOD = """\
student: PB21000001
name: 张三
answers:
  relu-network-update:
    output_before: 0.274
    params_after:
      W1: [[0.6226, 0.2339], [0.13616, 0.75424]]
      W2: [[0.54068, 0.85198]]
"""


def write(folder: Path, name: str, text: str | bytes) -> Path:
    path = folder / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    return path


def grade(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["grade", *args, "--jobs", "1"])
    return result.exit_code, result.output


def test_json_document_shape(tmp_path) -> None:
    write(tmp_path, "a.yaml", GOOD)
    write(tmp_path, "b.yaml", b"\x00\x01binary")
    code, output = grade(str(tmp_path), "--problems", "problems/relu-network-update.yaml", "--format", "json")
    assert code == 0
    document = json.loads(output)
    first, second = document["submissions"]
    late = {"raw_score", "submitted", "days_late", "late_deduction"}  # without a due date: raw, null, 0, 0
    assert set(first) == {"file", "student", "score", "max_score", "error", "problems", "warnings", *late}
    assert (first["raw_score"], first["submitted"], first["days_late"], first["late_deduction"]) == (4, None, 0, 0)
    assert (first["student"], first["score"], first["max_score"], first["error"]) == ("PB21000001", 4, 10, None)
    (problem,) = first["problems"]
    assert set(problem) == {"id", "score", "max_score", "parts"}
    part = problem["parts"][0]
    assert set(part) == {
        "id",
        "score",
        "max_score",
        "verdict",
        "feedback",
        "feedback_without_expected",
        "mistake",
        "follow_through",
        "answer",
    }
    assert [p["verdict"] for p in problem["parts"]] == ["correct", "missing", "missing", "correct"] + ["missing"] * 3
    assert [p["answer"] for p in problem["parts"]][:4] == [
        "0.274",
        None,
        None,
        "{W1: [[0.6226, 0.2339], [0.13616, 0.75424]], W2: [[0.54068, 0.85198]]}",
    ]
    assert second["error"] == f"{tmp_path / 'b.yaml'}: not a text file (binary content)"
    assert (second["score"], second["max_score"], second["problems"]) == (0, 10, [])


def test_gradebook_and_feedback(tmp_path) -> None:
    submissions = tmp_path / "in"
    submissions.mkdir()
    write(submissions, "a.yaml", GOOD)
    write(submissions, "evil.yaml", GOOD.replace("PB21000001", "../../etc/passwd"))
    book, feedback = tmp_path / "grades.csv", tmp_path / "feedback"
    code, _ = grade(
        str(submissions),
        "--problems",
        "problems/relu-network-update.yaml",
        "--gradebook",
        str(book),
        "--feedback",
        str(feedback),
    )
    assert code == 0
    rows = list(csv.reader(book.open()))
    assert rows[0][:5] == ["student", "file", "total", "max", "relu-network-update"]
    assert rows[0][5] == "relu-network-update.output_before"
    assert rows[1][:5] == ["PB21000001", str(submissions / "a.yaml"), "4", "10", "4"]
    assert sorted(p.name for p in feedback.iterdir()) == ["PB21000001.md", "etc_passwd.md"]
    text = (feedback / "PB21000001.md").read_text()
    assert "# Feedback for PB21000001 (张三)" in text
    assert "**Score: 4 / 10**" in text
    assert not list(tmp_path.glob("**/.*.tmp"))


def test_text_report(tmp_path) -> None:
    write(tmp_path, "a.yaml", GOOD.replace("0.274", "0.3"))
    code, output = grade(str(tmp_path / "a.yaml"), "--problems", "problems/relu-network-update.yaml")
    assert code == 0
    assert "PB21000001 (张三): 3/10" in output
    assert re.search(r"\n    output_before +0/1  incorrect: expected 0.274\n", output)
    assert output.rstrip().endswith("1 submission, 0 not graded")


def test_invalid_problem_spec_is_exit_1(tmp_path) -> None:
    write(tmp_path, "a.yaml", GOOD)
    bad = write(tmp_path, "p.yaml", "id: x\nkind: nope\n")
    code, output = grade(str(tmp_path / "a.yaml"), "--problems", str(bad))
    assert code == 1
    assert output.startswith("Error: ")


def test_missing_submission_file_gets_its_row(tmp_path) -> None:
    code, output = grade(
        str(tmp_path / "nope.yaml"), "--problems", "problems/relu-network-update.yaml", "--format", "json"
    )
    assert code == 0
    (row,) = json.loads(output)["submissions"]
    assert row["error"].endswith("nope.yaml: cannot read: No such file or directory")


def test_progress_bar_only_on_a_terminal(tmp_path, monkeypatch) -> None:
    import io
    import sys

    from hwsolver import cli as cli_module

    for n in range(25):
        write(tmp_path, f"s{n:02}.yaml", GOOD)

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    with cli_module._progress_bar() as (start, advance):
        start(25)
        advance(25)
    assert "grading" in terminal.getvalue()

    quiet = io.StringIO()
    monkeypatch.setattr(sys, "stderr", quiet)
    with cli_module._progress_bar() as (start, advance):
        start(25)
        advance(25)
    assert quiet.getvalue() == ""


def test_student_text_cannot_forge_reports_or_formulas(tmp_path) -> None:
    evil = GOOD.replace("student: PB21000001", 'student: "=HYPERLINK(1)"').replace(
        "name: 张三", 'name: "Eve <img src=x onerror=alert(1)> *bold*"'
    )
    write(tmp_path, "a.yaml", evil)
    write(tmp_path, "b.yaml", GOOD.replace("name: 张三", 'name: "Eve\\nalice: 10/10"'))
    book, feedback = tmp_path / "grades.csv", tmp_path / "feedback"
    code, output = grade(
        str(tmp_path / "a.yaml"),
        str(tmp_path / "b.yaml"),
        "--problems",
        "problems/relu-network-update.yaml",
        "--gradebook",
        str(book),
        "--feedback",
        str(feedback),
    )
    assert code == 0
    assert list(csv.reader(book.open()))[1][0] == "'=HYPERLINK(1)"
    (page,) = [p for p in feedback.iterdir() if p.name.startswith("HYPERLINK")]
    assert (
        page.read_text().splitlines()[0]
        == r"# Feedback for =HYPERLINK(1) (Eve \<img src=x onerror=alert(1)\> \*bold\*)"
    )
    assert "alice: 10/10" not in output.replace("not graded", "")
    assert "expected one line of text, without line breaks or control characters" in output


def test_a_folder_without_submissions_is_said_so(tmp_path) -> None:
    (tmp_path / "notes.txt").write_text("not a submission")
    result = CliRunner().invoke(cli, ["grade", str(tmp_path), "--format", "json"])
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {"submissions": []}
    assert result.stderr == f"warning: no submission files (*.yaml, *.yml) in {tmp_path}\n"


def test_the_text_report_ends_with_how_the_class_did(tmp_path) -> None:
    write(tmp_path, "a.yaml", GOOD)  # output_before right, params_after right: 4 of 10
    write(tmp_path, "b.yaml", GOOD.replace("PB21000001", "PB21000002").replace("0.274", "0.3"))  # 3 of 10
    flipped = "W1: [[0.5774, 0.1661], [0.06384, 0.64576]]\n      W2: [[0.45932, 0.74802]]"
    sign = GOOD.replace("PB21000001", "PB21000003").replace(
        "W1: [[0.6226, 0.2339], [0.13616, 0.75424]]\n      W2: [[0.54068, 0.85198]]", flipped
    )
    write(tmp_path, "c.yaml", sign)  # output_before right, params_after the sign_flipped slip (half of 3): 2.5
    write(tmp_path, "d.yaml", b"\x00 not a submission")
    code, output = grade(str(tmp_path), "--problems", "problems/relu-network-update.yaml")
    assert code == 0
    summary = output[output.index("4 submissions, 1 not graded") :]
    assert "scores out of 10: mean 3.2, median 3, lowest 2.5, highest 4\n" in summary
    rows = {line.split()[0]: line.split()[1:] for line in summary.splitlines() if line.startswith("relu-")}
    assert rows["relu-network-update.output_before"] == ["67%", "0%", "33%", "0%", "0%"]
    assert rows["relu-network-update.params_after"] == ["67%", "33%", "0%", "0%", "0%", "sign_flipped", "(1)"]
    assert rows["relu-network-update.loss_decreased"] == ["0%", "0%", "0%", "100%", "0%"]


def test_the_problems_are_read_once_per_run(tmp_path, monkeypatch) -> None:
    """The command reads the set for its due date and hands it to grading, which does not read it again."""
    import hwsolver.spec.sets as sets

    calls = []
    original = sets.load_set
    monkeypatch.setattr(sets, "load_set", lambda paths=(): calls.append(paths) or original(paths))
    write(tmp_path, "a.yaml", GOOD)
    code, output = grade(str(tmp_path), "--problems", "problems/relu-network-update.yaml", "--format", "json")
    assert code == 0 and json.loads(output)["submissions"][0]["student"] == "PB21000001"
    assert calls == [("problems/relu-network-update.yaml",)]

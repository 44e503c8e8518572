"""`hwsolver grade` against the red team's attacks: each test reproduces one and asserts the whole behaviour."""

from __future__ import annotations

import csv
import json
import os
import stat
from pathlib import Path

from click.testing import CliRunner

from hwsolver.cli import cli

ONE = "problems/relu-network-update.yaml"
GOOD = "student: {id}\nanswers:\n  relu-network-update:\n    output_before: 0.274\n    loss_decreased: yes\n"


def grade(*args: str):
    return CliRunner().invoke(cli, ["grade", *args, "--problems", ONE, "--jobs", "1"])


def test_a_name_that_is_not_utf8_is_graded_and_shown_with_escapes(tmp_path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    gbk = os.fsdecode(os.path.join(os.fsencode(folder), "张三.yaml".encode("gbk")))
    Path(gbk).write_text(GOOD.format(id="PB1"))
    (folder / "李四.yaml").write_text(GOOD.format(id="PB2"))
    book, feedback = tmp_path / "grades.csv", tmp_path / "feedback"
    result = grade(str(folder), "--gradebook", str(book), "--feedback", str(feedback), "--format", "json")
    assert result.exit_code == 0, result.output
    shown = f"{folder}/\\xd5\\xc5\\xc8\\xfd.yaml"
    files = [s["file"] for s in json.loads(result.stdout)["submissions"]]
    assert sorted(files) == sorted([shown, f"{folder}/李四.yaml"])
    rows = list(csv.reader(book.open(encoding="utf-8")))
    assert sorted((r[0], r[1], r[2]) for r in rows[1:]) == [("PB1", shown, "2"), ("PB2", f"{folder}/李四.yaml", "2")]
    assert sorted(p.name for p in feedback.iterdir()) == ["PB1.md", "PB2.md"]
    text = grade(str(folder)).stdout
    assert f"PB1: 2/10   [{shown}]\n" in text


def test_two_files_claiming_one_student_id_are_both_graded_and_both_flagged(tmp_path) -> None:
    (tmp_path / "a.yaml").write_text(GOOD.format(id="PB21000001"))
    (tmp_path / "b.yaml").write_text(GOOD.format(id="pb21000001").replace("0.274", "0.3"))
    (tmp_path / "c.yaml").write_text(GOOD.format(id="PB21000001-1"))  # a real id the numbering must not take
    feedback = tmp_path / "feedback"
    result = grade(str(tmp_path), "--feedback", str(feedback), "--format", "json")
    assert result.exit_code == 0
    a, b, c = json.loads(result.stdout)["submissions"]
    assert (a["student"], a["score"], b["student"], b["score"]) == ("PB21000001", 2, "pb21000001", 1)
    assert a["warnings"] == [
        f"the student id 'PB21000001' is claimed by another file too: {tmp_path}/b.yaml (both graded)"
    ]
    assert b["warnings"] == [
        f"the student id 'pb21000001' is claimed by another file too: {tmp_path}/a.yaml (both graded)"
    ]
    assert c["warnings"] == []
    assert result.stderr == (
        f"warning: student id 'PB21000001' is claimed by 2 files (each graded and warned): "
        f"{tmp_path}/a.yaml, {tmp_path}/b.yaml\n"
    )
    pages = {p.name: p.read_text() for p in feedback.iterdir()}
    assert sorted(pages) == ["PB21000001-1.md", "PB21000001-2.md", "pb21000001-3.md"]
    assert pages["PB21000001-1.md"].startswith("# Feedback for PB21000001-1\n")  # the real PB21000001-1 keeps it
    assert pages["PB21000001-2.md"].startswith("# Feedback for PB21000001\n")
    assert "- Note: the student id 'pb21000001' is claimed by another file too" in pages["pb21000001-3.md"]


def test_student_ids_with_invisible_characters_are_refused(tmp_path) -> None:
    for n, char in enumerate(["\u202e", "\u200b", "\ufeff", "\u2066"]):
        (tmp_path / f"{n}.yaml").write_text(GOOD.format(id=f'"PB{char}1"'))
    (tmp_path / "ok.yaml").write_text(GOOD.format(id="PB2"))
    result = grade(str(tmp_path), "--format", "json")
    rows = json.loads(result.stdout)["submissions"]
    assert [r["error"] for r in rows[:4]] == [
        f"{tmp_path}/{n}.yaml:1:10: student: the student's id holds an invisible character (U+{code}: a "
        "bidirectional control, zero-width character or byte-order mark); write the id without it"
        for n, code in enumerate(["202E", "200B", "FEFF", "2066"])
    ]
    assert (rows[4]["student"], rows[4]["score"]) == ("PB2", 2)


def test_student_keys_cannot_forge_report_lines(tmp_path) -> None:
    forged = '"x\\nPB0009 (Victim): 35/35\\e[2J\\u202e"'
    text = GOOD.format(id="PB1") + f"    {forged}: 1\n  {forged}: {{}}\n"
    (tmp_path / "a.yaml").write_text(text)
    (tmp_path / "b.yaml").write_text(GOOD.format(id="PB0009").replace("0.274", "0.3"))
    feedback = tmp_path / "feedback"
    result = grade(str(tmp_path), "--feedback", str(feedback))
    assert result.exit_code == 0
    escaped = "x\\nPB0009 (Victim): 35/35\\x1b[2J\\u202e"
    lines = result.stdout.splitlines()
    assert [line for line in lines if "warning" in line] == [
        f"  warning: {tmp_path}/a.yaml:6:45: problem 'relu-network-update' has no part '{escaped}' (it has: forward, "
        "output_before, loss_before, errors, gradients, params_after, output_after, loss_after, loss_decreased, "
        "loss_history); this answer is ignored",
        f"  warning: {tmp_path}/a.yaml:7:43: no problem '{escaped}' in this problem set; its answers are ignored",
    ]
    assert [line for line in lines if line.startswith("PB0009")] == [f"PB0009: 1/10   [{tmp_path}/b.yaml]"]
    assert "\x1b" not in result.stdout and "\u202e" not in result.stdout
    page = (feedback / "PB1.md").read_text()
    assert "\x1b" not in page and "\u202e" not in page and "\nPB0009" not in page
    record = json.loads(grade(str(tmp_path / "a.yaml"), "--format", "json").stdout)["submissions"][0]
    assert all("\n" not in w and "\x1b" not in w for w in record["warnings"]) and len(record["warnings"]) == 2


def test_parameter_names_cannot_forge_report_lines(tmp_path) -> None:
    forged = '"W1\\nPB0009 (Victim): 35/35\\e[2J"'
    (tmp_path / "a.yaml").write_text(GOOD.format(id="PB1") + f"    params_after: {{{forged}: [[1]], W2: [[1, 2]]}}\n")
    result = grade(str(tmp_path), "--format", "json")
    (part,) = [
        p for p in json.loads(result.stdout)["submissions"][0]["problems"][0]["parts"] if p["id"] == "params_after"
    ]
    feedback = (
        "W1 missing; unexpected W1\\nPB0009 (Victim): 35/35\\x1b[2J (there is no such parameter); "
        "2 of 2 entries wrong, counting from 1: W2[1,1] (expected 0.54068), W2[1,2] (expected 0.85198)"
    )
    assert part["feedback"] == feedback
    lines = grade(str(tmp_path)).stdout.splitlines()
    assert [line for line in lines if "params_after" in line] == [
        f"    params_after                0/3  incorrect: {feedback}"
    ]


def test_warnings_are_capped_per_file(tmp_path) -> None:
    keys = "".join(f"    k{n}: 1\n" for n in range(60_000))
    (tmp_path / "a.yaml").write_text(GOOD.format(id="PB1") + keys)
    result = grade(str(tmp_path / "a.yaml"), "--format", "json")
    (record,) = json.loads(result.stdout)["submissions"]
    assert len(record["warnings"]) == 21
    assert record["warnings"][0] == (
        f"{tmp_path}/a.yaml:6:9: problem 'relu-network-update' has no part 'k0' (it has: forward, output_before, "
        "loss_before, errors, gradients, params_after, output_after, loss_after, loss_decreased, loss_history); "
        "this answer is ignored"
    )
    assert record["warnings"][-1] == "and 59980 more warnings like these (not shown)"
    assert len(result.stdout) < 10_000


def test_answers_to_parts_not_asked_and_misspelt_parts_are_warned_in_the_feedback(tmp_path, monkeypatch) -> None:
    text = GOOD.format(id="PB1") + "    errors: [[1]]\n    output_befor: 0.274\n  relu-network-updat: {}\n"
    (tmp_path / "a.yaml").write_text(text)
    monkeypatch.chdir(tmp_path)
    problems = str(Path(__file__).parents[2] / ONE)
    result = CliRunner().invoke(cli, ["grade", "a.yaml", "--problems", problems, "--feedback", "feedback"])
    assert result.exit_code == 0
    notes = [line for line in (tmp_path / "feedback" / "PB1.md").read_text().splitlines() if line.startswith("- Note")]
    assert notes == [
        "- Note: a.yaml:6:13: problem 'relu-network-update' does not ask for 'errors': it earns no points",
        "- Note: a.yaml:7:19: problem 'relu-network-update' has no part 'output\\_befor' (did you mean "
        "'output\\_before'?); this answer is ignored",
        "- Note: a.yaml:8:23: no problem 'relu-network-updat' in this problem set (did you mean "
        "'relu-network-update'?); its answers are ignored",
    ]


def test_a_one_language_title_is_shown_once(tmp_path) -> None:
    spec = Path(ONE).read_text()
    start, end = spec.index("title:"), spec.index("statement:")
    problem = tmp_path / "p.yaml"
    problem.write_text(spec[:start] + "title: {en: One update}\n" + spec[end:])
    (tmp_path / "a.yaml").write_text(GOOD.format(id="PB1"))
    feedback = tmp_path / "feedback"
    result = CliRunner().invoke(
        cli, ["grade", str(tmp_path / "a.yaml"), "--problems", str(problem), "--feedback", str(feedback)]
    )
    assert result.exit_code == 0
    headings = [line for line in (feedback / "PB1.md").read_text().splitlines() if line.startswith("## ")]
    assert headings == ["## One update — 2 / 10"]


def test_feedback_names_keep_readable_unicode_and_avoid_collisions_and_reserved_names(tmp_path) -> None:
    ids = ["Иван", "김민준", "😀", "ab", "AB", "CON", "nul.txt"]
    for n, student in enumerate(ids):
        (tmp_path / f"{n}.yaml").write_text(GOOD.format(id=f'"{student}"'))
    feedback = tmp_path / "feedback"
    assert grade(str(tmp_path), "--feedback", str(feedback)).exit_code == 0
    names = sorted(p.name for p in feedback.iterdir())
    assert names == sorted(["Иван.md", "김민준.md", "😀.md", "ab-1.md", "AB-2.md", "_CON.md", "_nul.txt.md"])


def test_links_and_special_files_are_skipped_with_a_row_and_debris_is_counted(tmp_path) -> None:
    (tmp_path / "a.YAML").write_text(GOOD.format(id="PB1"))
    (tmp_path / "passwd.yaml").symlink_to("/etc/passwd")
    (tmp_path / "token.yml").symlink_to(tmp_path / "a.YAML")
    os.mkfifo(tmp_path / "pipe.yaml")
    (tmp_path / "__MACOSX").mkdir()
    (tmp_path / "__MACOSX" / "._a.yaml").write_bytes(b"\x00\x05")
    (tmp_path / ".~lock.yaml").write_text("x")
    book = tmp_path / "grades.csv"
    result = grade(str(tmp_path), "--gradebook", str(book))
    assert result.exit_code == 0
    rows = [(r[0], Path(r[1]).name, r[2], r[-1]) for r in csv.reader(book.open())][1:]
    link = "skipped: a symbolic link (--follow-links grades links to files in its folder)"
    assert rows == [
        ("PB1", "a.YAML", "2", ""),
        ("", "passwd.yaml", "0", link),
        ("", "pipe.yaml", "0", "skipped: a named pipe, not a regular file"),
        ("", "token.yml", "0", link),
    ]
    assert "root:" not in book.read_text()
    assert result.stderr == "warning: left out 2 hidden or archive-debris files (.*, __MACOSX/)\n"
    followed = grade(str(tmp_path), "--gradebook", str(book), "--follow-links")
    assert followed.exit_code == 0
    rows = [(r[0], Path(r[1]).name, r[2], r[-1]) for r in csv.reader(book.open())][1:]
    assert rows[1] == ("", "passwd.yaml", "0", "skipped: a symbolic link to a file outside its folder")
    assert rows[3] == ("PB1", "token.yml", "2", "")  # graded as the file it names (and warned: PB1 twice)


def test_jobs_above_the_cores_are_capped_with_a_note(tmp_path, monkeypatch) -> None:
    from hwsolver.grading import batch, workers

    monkeypatch.setattr(workers, "usable_cores", lambda: 2)
    monkeypatch.setattr(batch, "usable_cores", lambda: 2)
    (tmp_path / "a.yaml").write_text(GOOD.format(id="PB1"))
    result = CliRunner().invoke(cli, ["grade", str(tmp_path), "--problems", ONE, "--jobs", "1000"])
    assert result.exit_code == 0
    assert result.stderr == "warning: --jobs 1000 is more than the 2 cores: grading with 2\n"


def test_a_full_disk_is_a_one_line_error_and_status_1(tmp_path) -> None:
    (tmp_path / "a.yaml").write_text(GOOD.format(id="PB1"))
    for option in ("--gradebook", "--feedback"):
        target = "/dev/full" if option == "--gradebook" else "/dev/full/feedback"
        result = grade(str(tmp_path), option, target)
        assert result.exit_code == 1
        reason = "No space left on device" if option == "--gradebook" else "Not a directory"
        assert result.stderr == f"Error: {target}: cannot write: {reason}\n"
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)  # written in place, never replaced


def test_standard_output_on_a_full_disk_is_a_one_line_error_and_status_1(tmp_path) -> None:
    import subprocess
    import sys

    (tmp_path / "a.yaml").write_text(GOOD.format(id="PB1"))
    with open("/dev/full", "w") as full:
        run = subprocess.run(
            [sys.executable, "-m", "hwsolver", "grade", str(tmp_path), "--problems", ONE, "--jobs", "1"],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
        )
    assert (run.returncode, run.stderr) == (1, "Error: cannot write the output: No space left on device\n")


def test_outputs_keep_their_mode_or_get_the_umasks(tmp_path) -> None:
    (tmp_path / "a.yaml").write_text(GOOD.format(id="PB1"))
    book, feedback = tmp_path / "grades.csv", tmp_path / "feedback"
    book.write_text("old")
    book.chmod(0o640)
    old = os.umask(0o027)
    try:
        assert grade(str(tmp_path / "a.yaml"), "--gradebook", str(book), "--feedback", str(feedback)).exit_code == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE(book.stat().st_mode) == 0o640
    assert stat.S_IMODE((feedback / "PB1.md").stat().st_mode) == 0o640  # 0666 less the umask 027
    book.chmod(0o664)
    assert grade(str(tmp_path / "a.yaml"), "--gradebook", str(book)).exit_code == 0
    assert stat.S_IMODE(book.stat().st_mode) == 0o664 and book.read_text().startswith("student,")


def test_errors_are_one_line(tmp_path) -> None:
    (tmp_path / "a.yaml").write_text("student: PB1\nanswers: {x: \x01}\n")
    (tmp_path / "b.yaml").write_text('student: PB1\nanswers: {}\n"x\\nPB0009 (Victim): 35/35": 1\n')
    a, b = json.loads(grade(str(tmp_path), "--format", "json").stdout)["submissions"]
    assert a["error"] == f"{tmp_path}/a.yaml:2:14: YAML error: control characters are not allowed (#x0001)"
    assert b["error"] == (
        f"{tmp_path}/b.yaml:3:30: x\\nPB0009 (Victim): 35/35: unknown key 'x\\nPB0009 (Victim): 35/35'; "
        "expected one of: answers, name, student, submitted"
    )
    lines = grade(str(tmp_path)).stdout.splitlines()
    assert [line for line in lines if "not graded:" in line] == [
        f"{tmp_path}/a.yaml: not graded: {a['error']}",
        f"{tmp_path}/b.yaml: not graded: {b['error']}",
    ]

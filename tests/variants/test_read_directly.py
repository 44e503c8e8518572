"""The Chooser reads a lock as written straight from its entries' text (ProblemVariants.build_written), and a lock
edited by hand through the spec reader: the same variants either way, and an edited given's message still names
its file, line and key path."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from hwsolver.cli import cli
from hwsolver.errors import SpecError
from hwsolver.grading.prepared import PreparedProblem, prepare
from hwsolver.solving import solve_paths
from hwsolver.spec.sets import load_set
from hwsolver.variants.grading import Chooser
from hwsolver.variants.lock import read_lock

STUDENTS = [f"PB2100{n:04}" for n in range(5)]


@pytest.fixture(scope="module")
def lock_text(tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("lock")
    (folder / "roster.csv").write_text("student\n" + "\n".join(STUDENTS) + "\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["assign", "--roster", str(folder / "roster.csv"), "-o", str(folder / "l.yaml")])
    assert result.exit_code == 0, result.output
    return (folder / "l.yaml").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def base() -> list[PreparedProblem]:
    return prepare(solve_paths())


def chosen(path: Path, base: list[PreparedProblem]) -> tuple[list[list[PreparedProblem]], Chooser]:
    chooser = Chooser(load_set(), read_lock(path))
    return [chooser(student, base) for student in STUDENTS], chooser


def test_a_lock_as_written_is_read_directly_and_an_edited_one_by_the_spec_reader_alike(
    lock_text: str, base: list[PreparedProblem], tmp_path: Path
) -> None:
    written = tmp_path / "written.lock.yaml"
    written.write_text(lock_text, encoding="utf-8")
    direct, chooser = chosen(written, base)
    assert chooser.work["read directly"] == 4 * len(STUDENTS)  # each drawn problem's entry, for every student
    edited = tmp_path / "edited.lock.yaml"  # a comment among the students: no longer laid out as lock_text writes
    edited.write_text(lock_text.replace("\n  PB21000001:", "\n  # checked by hand\n  PB21000001:"), encoding="utf-8")
    general, chooser = chosen(edited, base)
    assert chooser.work["read directly"] == 0 and chooser.work["prepared"] >= 4 * len(STUDENTS)
    for own_direct, own_general in zip(direct, general):
        assert [p.problem for p in own_direct] == [p.problem for p in own_general]
        assert [p.problem.given for p in own_direct[4:]] != [p.problem.given for p in base[4:]]  # (variants)


def test_a_given_edited_in_a_lock_as_written_is_named_where_it_stands(
    lock_text: str, base: list[PreparedProblem], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    start = lock_text.index("given: {input:", lock_text.index("PB21000002"))
    bad = lock_text[:start] + lock_text[start:].replace("size: 2", "size: 0", 1)
    Path("variants.lock.yaml").write_text(bad, encoding="utf-8")
    chooser = Chooser(load_set(), read_lock("variants.lock.yaml"))
    chooser("PB21000001", base)
    with pytest.raises(SpecError) as error:
        chooser("PB21000002", base)
    line = bad[:start].count("\n") + 1
    column = len("      ") + bad[start:].index("size: 0") + len("size: ") + 1  # (the line starts `      given: `)
    assert str(error.value) == (
        f"variants.lock.yaml:{line}:{column}: students.PB21000002.pooling-backprop.given.size: "
        "expected an integer >= 1, got 0"
    )

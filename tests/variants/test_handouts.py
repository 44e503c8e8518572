"""Worked solutions of a student's own variant: drawn or read from the lock alike, the statement, the steps and
the network drawing showing that student's numbers; one handout per student from a lock."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from hwsolver.cli import cli
from hwsolver.variants.lock import read_lock
from hwsolver.variants.rules import written
from tests.variants.oracles import relu_network, values


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout


@pytest.fixture
def lock(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    Path("roster.csv").write_text("student\nPB1\nPB2\n", encoding="utf-8")
    assert invoke("assign", "--roster", "roster.csv", "-o", "lock.yaml")[0] == 0
    return tmp_path / "lock.yaml"


def test_a_students_handout_shows_their_own_numbers(lock: Path) -> None:
    given = values(read_lock(lock).students["PB2"]["relu-network-update"])
    code, locked = invoke("handout", "--student", "PB2", "--lock", "lock.yaml", "--format", "md", "--lang", "en")
    assert code == 0, locked
    assert invoke("handout", "--student", "PB2", "--format", "md", "--lang", "en")[1] == locked  # drawn alike
    assert "**Student**: PB2" in locked
    w1 = given["weights"]["W1"]
    assert f"Hidden unit 1 weighs $x_1$ and $x_2$ by {written(w1[0][0])} and {written(w1[0][1])}" in locked
    found = relu_network(given)
    assert f"{found['loss_before']:.6g}" in locked  # the steps work with the variant's numbers
    code, html = invoke("handout", "--student", "PB2", "--lang", "en")
    assert code == 0
    svg = html[html.index("<svg") : html.index("</svg>")]
    drawn = re.findall(r'fill="#14457a"[^>]*>([^<]+) → ', svg)  # each weight's old value on its edge
    assert sorted(drawn) == sorted(written(w) for w in [*w1[0], *w1[1], *given["weights"]["W2"][0]])


def test_a_lock_alone_gives_one_handout_per_student(lock: Path) -> None:
    code, _ = invoke("handout", "--lock", "lock.yaml", "-o", "solutions", "--format", "md")
    assert code == 0
    assert sorted(p.name for p in Path("solutions").iterdir()) == ["PB1.md", "PB2.md"]
    assert "**学生**：PB1" in Path("solutions/PB1.md").read_text(encoding="utf-8")
    assert invoke("handout", "--lock", "lock.yaml")[0] == 2  # one per student: a folder to write them into

"""The command line through click's runner: exit codes, JSON shape, exact output, lazy imports."""

from __future__ import annotations

import itertools
import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from hwsolver.cli import cli
from hwsolver.spec.problems import builtin_dir
from hwsolver.spec.sets import load_set


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


@pytest.mark.parametrize("command", sorted(cli.commands))
def test_every_command_has_help(command: str) -> None:
    code, output = invoke(command, "--help")
    assert code == 0
    assert cli.commands[command].help and len(cli.commands[command].help) > 20
    assert "Usage: " in output


def test_solve_json_has_the_homework_in_its_order_and_every_part_of_each_kind() -> None:
    from hwsolver.kinds import KINDS

    code, output = invoke("solve", "--format", "json")
    assert code == 0
    document = json.loads(output)
    problems = [entry.problem for entry in load_set().entries]
    assert [p.id for p in problems] == [
        "relu-network-update",
        "sigmoid-derivatives",
        "log-softmax-gradient",
        "mlp-op-count",
        "conv-backprop",
        "pooling-backprop",
        "average-pooling-backprop",
    ]
    assert [p["id"] for p in document["problems"]] == [p.id for p in problems]
    for entry, problem in zip(document["problems"], problems):
        assert entry["kind"] == problem.kind
        assert list(entry["answers"]) == list(KINDS[problem.kind].parts_for(problem.given))


def test_solve_json_values_of_exercise_one() -> None:
    code, output = invoke("solve", "problems/relu-network-update.yaml", "--format", "json")
    assert code == 0
    answers = json.loads(output)["problems"][0]["answers"]
    assert answers["output_before"] == [0.274]
    assert answers["params_after"] == {
        "W1": [[0.6226, 0.2339], [0.13616, 0.75424]],
        "W2": [[0.54068, 0.85198]],
    }
    assert answers["gradients"]["W2"] == [[-0.04068, -0.05198]]
    assert answers["loss_decreased"] is True
    assert answers["forward"][0] == {"z": [0.18, 0.23], "a": [0.18, 0.23]}


def test_solve_exact_gives_fractions_as_strings() -> None:
    code, output = invoke("solve", "problems/relu-network-update.yaml", "--format", "json", "--exact")
    assert code == 0
    answers = json.loads(output)["problems"][0]["answers"]
    assert answers["output_before"] == ["137/500"]
    assert answers["loss_before"] == "12769/500000"
    assert answers["params_after"]["W2"] == [["13517/25000", "42599/50000"]]


def test_solve_text_shows_terminating_decimals_exactly() -> None:
    code, output = invoke("solve", "problems/relu-network-update.yaml")
    assert code == 0
    assert "W2[1,1]: 0.5 -> 0.54068   (-0.04068)" in output
    assert "loss decreased: yes (0.025538 -> 0.01597661654)" in output
    assert "0.5406800000" not in output


def test_solve_text_tells_the_precision_under_each_heading_with_numeric_answers() -> None:
    code, output = invoke("solve", str(builtin_dir()))  # every built-in problem
    assert code == 0
    told = {
        line.split(":")[0][3:]
        for line, after in itertools.pairwise(output.splitlines())
        if line.startswith("== ") and after.startswith("  Give numbers to at least 3 significant figures.")
    }
    numeric = {"relu-network-update", "conv-backprop", "pooling-backprop", "average-pooling-backprop"}
    optimization = {"adam-step", "momentum-step", "momentum-minibatch-gradients", "adagrad-rates", "adamw-decay"}
    optimization |= {"step-decay", "inverse-time-decay"}
    initialization = {"symmetric-initialization", "he-initialization"}
    regularization = {"l2-weight-decay", "l1-regularized-steps", "dropout-lecture-code", "dropconnect-inverted"}
    training = {"gd-vs-sgd"}
    assert told == numeric | optimization | initialization | regularization | training


def test_help_imports_neither_sympy_nor_numpy() -> None:
    code = (
        "import sys\n"
        "from hwsolver.cli import main\n"
        "sys.argv = ['hwsolver', '--help']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('sympy', 'numpy', 'mpmath') if m in sys.modules]\n"
        "print('HEAVY', heavy)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "HEAVY []" in result.stdout


def test_python_dash_m_works() -> None:
    result = subprocess.run([sys.executable, "-m", "hwsolver", "--version"], capture_output=True, text=True)
    assert result.returncode == 0
    assert result.stdout.startswith("hwsolver, version ")


def test_the_command_ends_with_its_status_and_all_its_output() -> None:
    # `python -m hwsolver` leaves without Python's tear-down (cli.run): the output must still arrive whole, and
    # each way of ending keep its status
    solved = subprocess.run([sys.executable, "-m", "hwsolver", "solve", "--format", "json"], capture_output=True)
    assert solved.returncode == 0 and len(json.loads(solved.stdout)["problems"]) == 7
    assert subprocess.run([sys.executable, "-m", "hwsolver", "no-such-command"], capture_output=True).returncode == 2
    failed = subprocess.run([sys.executable, "-m", "hwsolver", "solve", "no-such.yaml"], capture_output=True, text=True)
    assert failed.returncode == 1 and "no-such.yaml" in failed.stderr


def test_handout_with_answers_grades_under_the_time_limits(tmp_path, monkeypatch) -> None:
    import time

    from hwsolver.grading import grader, workers

    monkeypatch.setattr(workers, "ANSWER_SECONDS", 0.2)
    original = grader.read_answer
    started = tmp_path / "started"

    def read(node, *rest):
        if node.source == "slow":
            started.write_text("yes")
            end = time.monotonic() + 30
            while time.monotonic() < end:  # a check that would run for long (bounded: the test must end)
                pass
        return original(node, *rest)

    monkeypatch.setattr(grader, "read_answer", read)
    answers = tmp_path / "a.yaml"
    answers.write_text("student: PB1\nanswers:\n  relu-network-update:\n    output_before: slow\n")
    args = ["problems/relu-network-update.yaml", "--format", "md", "--lang", "en", "--with-answers", str(answers)]
    code, output = invoke("handout", *args)
    assert code == 0
    assert started.exists()
    assert "this answer took longer than 0.2 seconds to check" in output


def test_handout_with_answers_never_waits_on_a_pipe(tmp_path) -> None:
    import os

    pipe = tmp_path / "a.yaml"
    os.mkfifo(pipe)
    code, output = invoke("handout", "problems/relu-network-update.yaml", "--with-answers", str(pipe))
    assert code == 1
    assert output == f"Error: {pipe}: not read: not a regular file (a folder, named pipe, device or socket)\n"

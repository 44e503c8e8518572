"""`hwsolver check`: a table of problems x checks over every variant, each check able to fail, exit status 1."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from hwsolver.cli import cli
from hwsolver.errors import SpecError
from hwsolver.spec.sets import load_set
from hwsolver.variants.check import CHECKS, check_set
from hwsolver.variants.lock import read_lock
from tests.variants.oracles import values

ROOT = Path(__file__).resolve().parents[2]


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout


def failures(found) -> list[tuple[str, str, str]]:
    return [(c.problem, variant, name) for c in found for name, seen in c.failures.items() for variant, _ in seen]


def test_the_homework_passes_every_check() -> None:
    code, output = invoke("check")
    assert code == 0
    lines = output.splitlines()
    assert lines[0].split() == ["problem", "variants", *CHECKS]
    assert lines[1].split() == ["1.", "relu-network-update", "1", *["ok", "ok", "—"], *["ok"] * 9]
    assert lines[-1] == "every check passed"


def test_a_mistake_hidden_as_written_is_told_unless_the_problem_lists_it(write_yaml) -> None:
    """Exercise (1) as the lecture gives it has every ReLU unit active: leaving out ReLU' changes no answer. Its
    `check: {hidden: [no_activation_derivative]}` says so; without it, or listing a mistake that shows, check fails."""
    text = (ROOT / "problems" / "relu-network-update.yaml").read_text(encoding="utf-8")
    listed = "check:\n  hidden: [no_activation_derivative]\n"
    assert listed in text
    write_yaml(text.replace(listed, ""), "unlisted.yaml")
    write_yaml(text.replace("[no_activation_derivative]", "[no_activation_derivative, sign_flipped]"), "stale.yaml")
    (unlisted,) = check_set(load_set(["unlisted.yaml"]), samples=0)
    (stale,) = check_set(load_set(["stale.yaml"]), samples=0)
    assert unlisted.failures == {
        "shown": [("as written", "no_activation_derivative: the slip gives the right answers on every asked part")]
    }
    assert stale.failures == {
        "shown": [("as written", "sign_flipped: listed under check.hidden, but the slip changes an answer")]
    }


def test_check_hidden_names_the_kinds_mistakes(write_yaml) -> None:
    text = (ROOT / "problems" / "relu-network-update.yaml").read_text(encoding="utf-8")
    write_yaml(text.replace("[no_activation_derivative]", "[no_activation_derivativ]"), "typo.yaml")
    with pytest.raises(SpecError, match=r"typo.yaml:\d+:\d+: .*unknown mistake 'no_activation_derivativ'"):
        load_set(["typo.yaml"])


def test_check_passes_on_drawn_variants_of_every_builtin_problem() -> None:
    found = check_set(load_set(), samples=12)
    assert failures(found) == []
    by_id = {c.problem: c for c in found}
    assert by_id["sigmoid-derivatives"].variants == 2  # the sigmoid as written, and softplus
    for problem in ("relu-network-update", "conv-backprop", "pooling-backprop", "average-pooling-backprop"):
        assert by_id[problem].variants == 13 and by_id[problem].checked["require"] == 12
        assert by_id[problem].checked["named"] >= 13  # every variant's mistakes named


# The built-in problems of the later lectures' kinds, each with vary: rules on its numbers.
LATER = (
    "momentum-step", "adam-step", "adamw-decay", "adagrad-rates", "step-decay", "inverse-time-decay",
    "l2-weight-decay", "l1-regularized-steps", "dropout-lecture-code", "dropconnect-inverted",
    "fc-param-count", "cnn-param-count", "he-initialization", "symmetric-initialization",
)  # fmt: skip


def test_check_passes_on_drawn_variants_of_the_later_kinds_problems() -> None:
    found = check_set(load_set([ROOT / "problems" / f"{name}.yaml" for name in LATER]), samples=4)
    assert failures(found) == []
    assert [c.problem for c in found] == list(LATER)
    for checked in found:  # each draws numbers of its own: more than the problem as written
        assert checked.variants >= 3, checked.problem
        assert checked.checked["named"] >= checked.variants, checked.problem


def test_check_reads_every_distinct_variant_of_a_lock(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("roster.csv").write_text("student\nPB1\nPB2\nPB3\n", encoding="utf-8")
    assert invoke("assign", "--roster", "roster.csv", "-o", "lock.yaml")[0] == 0
    code, output = invoke("check", "--lock", "lock.yaml", "--format", "json")
    assert code == 0
    document = json.loads(output)
    assert document["ok"] is True and list(document["checks"]) == list(CHECKS)
    relu = document["problems"][0]
    assert (relu["id"], relu["number"], relu["variants"]) == ("relu-network-update", "1", 4)
    assert relu["checks"]["shown"] == {"checked": 4, "failures": []}
    assert relu["checks"]["require"] == {"checked": 3, "failures": []}
    lock = read_lock("lock.yaml")
    functions = {values(lock.students[s]["sigmoid-derivatives"])["function"] for s in ("PB1", "PB2", "PB3")}
    expected = len(functions | {"1/(1 + exp(-x))"})  # each distinct variant once, the one as written too
    assert [p["variants"] for p in document["problems"]] == [4, expected, 1, 1, 4, 4, 4]
    code, output = invoke("check", "--lock", "lock.yaml", "--samples", "3")
    assert code == 2


def test_each_check_can_fail(write_yaml) -> None:
    text = (ROOT / "problems" / "pooling-backprop.yaml").read_text(encoding="utf-8")
    broken = (
        text.replace("  en: Backpropagation through max pooling\n", "")  # the title in one language
        .replace("tests:", "old_tests:")
        .rstrip("\n")
        + "\ntests:\n  - answers: {output: [[4, 5], [6, 3]]}\n    expect: {output: {verdict: partial}}\n"
    )
    write_yaml(broken, "pooling.yaml")
    (found,) = check_set(load_set(["pooling.yaml"]), samples=2)
    assert {name for name in found.failures} == {"zh/en", "tests"}
    assert found.failures["tests"] == [("as written", "test 1: output is correct, not partial")]
    assert found.failures["zh/en"][0][1] == "title not in both languages (zh, en)"

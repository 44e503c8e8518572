"""Feedback without the right values (`--hide-expected`): every right value the grader writes is left out, the
mistake and its place stay, and the feedback as written is unchanged."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from hwsolver.cli import cli
from hwsolver.grading.reveal import expected, marked, split

# Every kind of sentence that states a right value, and what the hidden feedback says instead.
WRONG = """\
student: PB21000001
answers:
  relu-network-update:
    output_before: 0.3
    loss_before: 0.03
    gradients:
      W1: [[-0.0226, -0.0339], [-0.03616, -0.05424]]
      W2: [[-0.04068, -0.05198]]
    params_after:
      W1: [[0.6226, 0.2339], [0.13616, 0.75424]]
      W2: [[0.54, 0.852]]
    loss_decreased: no
  sigmoid-derivatives:
    d1: sigmoid(x)
  mlp-op-count:
    forward_mults_per_layer: n
"""

FULL = {
    ("relu-network-update", "output_before"): "expected 0.274",
    ("relu-network-update", "loss_before"): "expected 0.025538",
    ("relu-network-update", "params_after"): "1 of 6 entries wrong, counting from 1: "
    "W2[1,1] (rounded too coarsely: expected 0.54068, to at least 3 significant figures)",
    ("relu-network-update", "loss_decreased"): "expected yes",
    (
        "sigmoid-derivatives",
        "d1",
    ): "not equivalent to the answer: differs at x = 1.09569: 0.749452 vs 0.187774 expected",
    ("mlp-op-count", "forward_mults_per_layer"): "not the count: at n = 2, L = 2 this gives 2, the count is 4",
}
HIDDEN = {
    ("relu-network-update", "output_before"): "not the right value",
    ("relu-network-update", "loss_before"): "not the right value",
    ("relu-network-update", "params_after"): "1 of 6 entries wrong, counting from 1: "
    "W2[1,1] (rounded too coarsely: give at least 3 significant figures)",
    ("relu-network-update", "loss_decreased"): "not the right answer",
    ("sigmoid-derivatives", "d1"): "not equivalent to the answer: differs at x = 1.09569: yours gives 0.749452",
    ("mlp-op-count", "forward_mults_per_layer"): "not the count: at n = 2, L = 2 this gives 2",
}


def _graded(tmp_path: Path, *options: str) -> dict:
    (tmp_path / "a.yaml").write_text(WRONG)
    result = CliRunner().invoke(cli, ["grade", str(tmp_path / "a.yaml"), "--format", "json", "--jobs", "1", *options])
    assert result.exit_code == 0, result.output
    (submission,) = json.loads(result.output)["submissions"]
    return {(p["id"], part["id"]): part for p in submission["problems"] for part in p["parts"]}


def test_json_keeps_the_feedback_and_gives_it_without_right_values(tmp_path) -> None:
    parts = _graded(tmp_path)
    assert {key: parts[key]["feedback"] for key in FULL} == FULL
    assert {key: parts[key]["feedback_without_expected"] for key in HIDDEN} == HIDDEN
    right = parts[("relu-network-update", "gradients")]
    assert right["feedback"] == right["feedback_without_expected"] == ""


def test_hidden_feedback_names_no_right_value(tmp_path) -> None:
    """The hidden texts hold none of the right values the full ones show."""
    parts = _graded(tmp_path)
    for value in ("0.274", "0.025538", "0.54068", "yes", "0.187774", "is 4"):
        assert not any(value in part["feedback_without_expected"] for part in parts.values()), value
        assert any(value in part["feedback"] for part in parts.values()), value


def test_feedback_files_hide_right_values_only_when_asked(tmp_path) -> None:
    (tmp_path / "a.yaml").write_text(WRONG)
    for folder, options in (("full", []), ("hidden", ["--hide-expected"])):
        result = CliRunner().invoke(
            cli, ["grade", str(tmp_path / "a.yaml"), "--feedback", str(tmp_path / folder), "--jobs", "1", *options]
        )
        assert result.exit_code == 0, result.output
    full = (tmp_path / "full" / "PB21000001.md").read_text()
    hidden = (tmp_path / "hidden" / "PB21000001.md").read_text()
    assert "| `output_before` | 0 / 1 | incorrect | expected 0.274 |" in full
    assert "| `output_before` | 0 / 1 | incorrect | not the right value |" in hidden
    assert "0.274" not in hidden and "0.187774" not in hidden
    assert "yours gives 0.749452" in hidden


def test_split_gives_both_texts() -> None:
    text = f"2 of 4 entries wrong: [0,1]{expected(' (expected 0.5)')}, [1,1]{expected(' (expected 2)')}"
    assert split(text) == (
        "2 of 4 entries wrong: [0,1] (expected 0.5), [1,1] (expected 2)",
        "2 of 4 entries wrong: [0,1], [1,1]",
    )
    assert split("no marks") == ("no marks", "no marks")


@pytest.mark.parametrize(
    "student",
    ["\ue000", "\ue001", "\ue002", "\ue000x\ue001y\ue002", "\ue002\ue000", "\ue000\ue000\ue001"],
)
def test_marks_in_a_students_text_never_uncover_a_right_value(student: str) -> None:
    text = f"unknown name '{student}'; {expected('expected 0.5', 'wrong')}"
    full, hidden = split(text)
    assert "0.5" not in hidden and "\ue000" not in full + hidden and "\ue002" not in full + hidden
    assert full.endswith("expected 0.5") and hidden.endswith("wrong")


@pytest.mark.parametrize(
    "sentence, hidden",
    [
        (
            "differs at x = [0.82177, -1.38128], i = 1, k = 1, C = 4: -0.86 vs 0.14 expected",
            "differs at x = [0.82177, -1.38128], i = 1, k = 1, C = 4: yours gives -0.86",
        ),
        (
            "not the count: at n = 2, L = 2 this gives 18, the count is 16",
            "not the count: at n = 2, L = 2 this gives 18",
        ),
        ("could not be evaluated: division by zero", "could not be evaluated: division by zero"),
    ],
)
def test_sentences_from_outside_grading_are_marked(sentence: str, hidden: str) -> None:
    assert split(marked(sentence)) == (sentence, hidden)


def test_split_is_what_the_patterns_alone_make() -> None:
    """Texts of marks, stray and well formed, among other characters: split gives what the marked clauses' pattern
    and the stray marks' pattern make of every text (the witness, without the plain searches split skips them by)."""
    import random

    from hwsolver.grading import reveal

    def witness(text: str) -> tuple[str, str]:
        pieces = reveal._MARKED.split(text)
        written, hidden = pieces[:], pieces[:]
        del written[2::3], hidden[1::3]
        return reveal._STRAY.sub("", "".join(written)), reveal._STRAY.sub("", "".join(hidden))

    rng = random.Random(26)
    alphabet = ["\ue000", "\ue001", "\ue002", "a", " ", "0.5", "é", "[1,2]"]
    texts = ["", "plain", expected("expected 1", "wrong"), f"x{expected(' (expected 2)')}y\ue002"]
    texts += ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12))) for _ in range(3000)]
    for text in texts:
        assert split.__wrapped__(text) == witness(text), repr(text)

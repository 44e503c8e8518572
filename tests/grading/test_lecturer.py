"""A problem's own wrong answers (`mistakes:`): read and checked with file:line:column messages, matched like the
kind's mistakes (tolerance, spellings, consistency, their own credit, follow-through), and handed to `check` as
a student writes them."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest
from click.testing import CliRunner

from hwsolver.cli import cli
from hwsolver.grading.grader import grade_file
from hwsolver.grading.lecturer import lecturer_answers
from hwsolver.grading.prepared import prepare
from hwsolver.grading.results import PartResult
from hwsolver.kinds import KINDS
from hwsolver.solving import solve
from hwsolver.spec.problems import load_problem

BASE = """\
id: tiny
kind: mlp_backprop
title: {en: Tiny}
statement: {en: One step.}
given:
  weights:
    W1: [[0.6, 0.2], [0.1, 0.7]]
    W2: [[0.5, 0.8]]
  activation: relu
  x: [0.2, 0.3]
  target: 0.5
  loss: half_squared_error
  learning_rate: 1
parts:
  - {id: output_before, points: 2}
  - loss_before
  - {id: params_after, points: 3}
"""
# The hidden layer left out: the output is W2 x = 0.5*0.2 + 0.8*0.3 = 0.34, its loss (0.34 - 0.5)^2 / 2 = 0.0128.
MISTAKES = """\
mistakes:
  - id: hidden_skipped
    answers:
      output_before: 0.34
      params_after:
        W1: [[0.6, 0.2], [0.1, 0.7]]
        W2: [[0.532, 0.848]]
    feedback: {en: The hidden layer was left out of the forward pass., zh: 前向传播漏掉了隐藏层。}
    credit: 1/4
"""


@pytest.fixture
def tiny(write_yaml):
    def build(mistakes: str = MISTAKES, base: str = BASE):
        path = write_yaml(base + mistakes)
        return prepare([solve(load_problem(path))])

    return build


@pytest.fixture
def grade_written(tmp_path: Path):
    """Grade one submission whose answers are YAML text as a student writes it (part id -> text)."""

    def grade(prepared, answers: dict[str, str]) -> dict[str, PartResult]:
        problem_id = prepared[0].problem.id
        lines = ["student: s1", "answers:", f"  {problem_id}:", *(f"    {p}: {text}" for p, text in answers.items())]
        path = tmp_path / "student.yaml"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        result = grade_file(str(path), prepared)
        (problem,) = [p for p in result.problems if p.id == problem_id]
        return {part.id: part for part in problem.parts if part.verdict != "missing"}

    return grade


def test_named_with_its_id_feedback_and_credit(tiny, grade_answers) -> None:
    prepared = tiny()
    for written in ("0.34", "0.340", "17/50", "0.3404"):  # any spelling, within the part's 3 figures
        result = grade_answers(prepared, {"output_before": written})["output_before"]
        assert (result.mistake, result.verdict, result.score) == ("hidden_skipped", "partial", Fraction(1, 2))
        assert result.feedback == "The hidden layer was left out of the forward pass. (expected 0.274)"
    other = grade_answers(prepared, {"output_before": "0.35"})["output_before"]
    assert (other.mistake, other.score) == (None, 0)


def test_its_own_credit_not_what_entries_match_by_chance(tiny, grade_written) -> None:
    """W1 as given is half the parameters wrong: per entry that would be 1/2 of 3 points; the mistake earns 1/4."""
    answer = "{W1: [[0.6, 0.2], [0.1, 0.7]], W2: [[0.532, 0.848]]}"
    result = grade_written(tiny(), {"params_after": answer})["params_after"]
    assert (result.mistake, result.score) == ("hidden_skipped", Fraction(3, 4))


def test_a_right_earlier_answer_rules_it_out(tiny, grade_written) -> None:
    answer = "{W1: [[0.6, 0.2], [0.1, 0.7]], W2: [[0.532, 0.848]]}"
    results = grade_written(tiny(), {"output_before": "0.274", "params_after": answer})
    assert results["output_before"].verdict == "correct"
    assert results["params_after"].mistake is None  # the mistake would have made output_before 0.34


def test_mistake_credit_may_set_its_share(tiny, grade_answers) -> None:
    prepared = tiny(MISTAKES + "grading: {mistake_credit: {hidden_skipped: 0.5}}\n")
    result = grade_answers(prepared, {"output_before": "0.34"})["output_before"]
    assert result.score == 1


def test_later_work_from_it_follows_through(tiny, grade_answers) -> None:
    """A later part right for the student's own output (0.34 gives the loss 0.0128) earns follow-through; the mistake
    is named once, where it was made."""
    results = grade_answers(tiny(), {"output_before": "0.34", "loss_before": "0.0128"})
    assert results["output_before"].mistake == "hidden_skipped"
    assert (results["loss_before"].follow_through, results["loss_before"].mistake) == (True, None)
    assert results["loss_before"].score == 1


def test_answers_as_a_student_writes_them_are_named(tiny, grade_written) -> None:
    """What `hwsolver check` grades: each mistake's answers as written, named on every part, with its credit."""
    prepared = tiny()
    ((mistake, answers),) = list(lecturer_answers(prepared[0].problem))
    assert answers == {
        "output_before": "0.34",
        "params_after": "{W1: [[0.6, 0.2], [0.1, 0.7]], W2: [[0.532, 0.848]]}",
    }
    results = grade_written(prepared, answers)
    for part, points in (("output_before", 2), ("params_after", 3)):
        assert (results[part].mistake, results[part].score) == (mistake.id, mistake.credit * points)


def test_formula_mistake_matches_equivalent_spellings(write_yaml, grade_answers) -> None:
    text = (Path(__file__).parents[2] / "problems" / "sigmoid-derivatives.yaml").read_text(encoding="utf-8")
    text += """\
mistakes:
  - id: plus_instead_of_minus
    answers: {d2: 'σ(x)(1 - σ(x))(1 + 2σ(x))'}
    feedback: {en: 'The derivative of 1 - σ is -σ(1 - σ), not +σ(1 - σ).', zh: 1 - σ 的导数是 -σ(1 - σ)。}
    credit: 0
"""
    prepared = prepare([solve(load_problem(write_yaml(text)))])
    ((mutant,),) = [[m for m in p.mutants if m.id == "plus_instead_of_minus"] for p in prepared]
    assert mutant.answers["d2"].expr == "sigmoid(x)*(1 - sigmoid(x))*(1 + 2*sigmoid(x))"
    for written in ("sigmoid(x)*(1-sigmoid(x))*(1+2*sigmoid(x))", "σ(1-σ)(1+2σ)", "σ(x) + σ(x)^2 - 2σ(x)^3"):
        result = grade_answers(prepared, {"d2": written})["d2"]
        assert (result.mistake, result.verdict) == ("plus_instead_of_minus", "incorrect"), written
    assert grade_answers(prepared, {"d2": "σ(1-σ)(1+3σ)"})["d2"].mistake is None


def solve_message(path: Path) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["solve", str(path)])
    return result.exit_code, result.output


BAD = [
    (
        MISTAKES.replace("id: hidden_skipped", "id: HiddenSkipped"),
        "19:9: mistakes[0].id: mistake id 'HiddenSkipped' must be snake_case (lowercase letters, digits and _)",
    ),
    (
        MISTAKES.replace("id: hidden_skipped", "id: sign_flipped"),
        "19:9: mistakes[0].id: 'sign_flipped' is one of kind mlp_backprop's own mistakes: choose another id",
    ),
    (MISTAKES + MISTAKES.removeprefix("mistakes:\n"), "27:9: mistakes[1].id: mistake 'hidden_skipped' is listed twice"),
    (
        MISTAKES.replace("output_before: 0.34", "hidden: 0.34"),
        "21:15: mistakes[0].answers.hidden: kind "
        "mlp_backprop cannot answer part 'hidden'; it answers: forward, output_before, loss_before, errors, gradients, "
        "params_after, output_after, loss_after, loss_decreased, loss_history",
    ),
    (
        MISTAKES.replace("output_before: 0.34", "output_after: 0.34").replace(
            "      params_after:\n        W1: [[0.6, 0.2], [0.1, 0.7]]\n        W2: [[0.532, 0.848]]\n", ""
        ),
        "21:7: mistakes[0].answers: expected an answer to a part "
        "the problem asks (output_before, loss_before, params_after): this mistake would never be named",
    ),
    (
        MISTAKES.replace("output_before: 0.34", "output_before:"),
        "21:21: mistakes[0].answers.output_before: expected the wrong answer, got nothing",
    ),
    (
        MISTAKES.replace("credit: 1/4", "credit: 1.5"),
        "26:13: mistakes[0].credit: expected a share of the points from 0 to 1, got 1.5",
    ),
    (
        MISTAKES.replace(
            "    feedback: {en: The hidden layer was left out of the forward pass., zh: 前向传播漏掉了隐藏层。}\n", ""
        ),
        "19:5: mistakes[0]: missing key 'feedback'",
    ),
    (
        MISTAKES.replace("    credit: 1/4", "    credit: 1/4\n    note: why"),
        "27:11: mistakes[0].note: unknown key 'note'; expected one of: answers, credit, feedback, id",
    ),
    # read against the solved answers
    (
        MISTAKES.replace("W2: [[0.532, 0.848]]", "W2: [[0.532, 0.848, 1]]"),
        "23:9: mistakes[0].answers.params_after: W2: expected a 1x2 array, got a 1x3 array "
        "(the shape of the part's answer)",
    ),
    (
        MISTAKES.replace("output_before: 0.34", "output_before: [0.34, 1]"),
        "21:22: mistakes[0].answers.output_before: expected a vector of 1, got a vector of 2 (the shape of the "
        "part's answer)",
    ),
    (
        MISTAKES.replace("output_before: 0.34", "output_before: 0.2740"),
        "21:22: mistakes[0].answers.output_before: "
        "this is the right answer to part 'output_before': a mistake's answer must differ",
    ),
    (
        MISTAKES.replace("output_before: 0.34", "output_before: x + 1"),
        "21:22: mistakes[0].answers.output_before: expected a number: column 1: unknown name 'x'; this answer may "
        "use: numbers only (no variables); functions: exp, log, sqrt, abs, sigmoid (σ), tanh, sinh, cosh, sech, "
        "csch, coth, sin, cos, tan, relu, softplus, Heaviside, Max, Min",
    ),
    (
        MISTAKES.replace("id: hidden_skipped", "id: transposed"),
        "19:9: mistakes[0].id: 'transposed' is a mistake the grader names already: choose another id",
    ),
    (
        MISTAKES + "grading: {mistake_credit: {hiden_skipped: 0.5}}\n",
        "27:43: grading.mistake_credit.hiden_skipped: "
        "unknown mistake 'hiden_skipped' (did you mean 'hidden_skipped'?); this problem's mistakes: "
        + ", ".join((*KINDS["mlp_backprop"].credits, "hidden_skipped")),
    ),
]


@pytest.mark.parametrize(("mistakes", "message"), BAD)
def test_bad_mistakes_say_where(write_yaml, mistakes: str, message: str) -> None:
    code, output = solve_message(write_yaml(BASE + mistakes))
    assert (code, output) == (1, f"Error: problem.yaml:{message}\n")


def test_a_variant_with_other_numbers_is_graded_without_the_problems_own_mistakes(tmp_path) -> None:
    """The lecturer's wrong answers are those of the problem as written: a student's variant with other numbers
    has other wrong answers (and may have other shapes), so it is prepared and graded without them."""
    from hwsolver.spec.sets import load_set
    from hwsolver.variants.drawing import ProblemVariants

    text = (Path(__file__).resolve().parents[2] / "problems" / "pooling-backprop.yaml").read_text(encoding="utf-8")
    own = """mistakes:
  - id: last_window_misread
    answers: {output: [[4, 5], [6, 2]]}
    feedback: {en: The last window's maximum is 3., zh: 最后一个窗口的最大值是 3。}
    credit: 0
"""
    path = tmp_path / "pooling.yaml"
    path.write_text(text + own, encoding="utf-8")
    (entry,) = load_set([path]).entries
    maker = ProblemVariants(entry)
    assert [m.id for m in maker.build(maker.given).mistakes] == ["last_window_misread"]
    variant = maker.draw("a-salt", "PB21000101")
    assert variant.problem.given != entry.problem.given and variant.problem.mistakes == ()
    (prepared,) = prepare([solve(variant.problem)])
    assert "last_window_misread" not in {m.id for m in prepared.mutants}


def test_an_assignment_may_credit_the_problems_own_mistakes(tmp_path) -> None:
    from hwsolver.spec.sets import load_set

    (tmp_path / "tiny.yaml").write_text(BASE + MISTAKES, encoding="utf-8")
    (tmp_path / "quiz.yaml").write_text(
        "id: quiz\ntitle: {en: Quiz}\nproblems:\n"
        "  - {problem: tiny.yaml, grading: {mistake_credit: {hidden_skipped: 1/2}}}\n",
        encoding="utf-8",
    )
    (entry,) = load_set([tmp_path / "quiz.yaml"]).entries
    assert entry.problem.options["mistake_credit"] == {"hidden_skipped": Fraction(1, 2)}


def test_check_names_the_problems_own_mistakes(tmp_path) -> None:
    """`hwsolver check` grades each of the problem's own mistakes as its answers are written (lecturer_answers):
    named, or told (a second mistake with the same answers is never named)."""
    from hwsolver.spec.sets import load_set
    from hwsolver.variants.check import check_set

    def checked(text: str):
        path = tmp_path / "tiny.yaml"
        path.write_text(text, encoding="utf-8")
        (found,) = check_set(load_set([path]))
        return found

    bare, own = checked(BASE), checked(BASE + MISTAKES)
    assert "named" not in own.failures, own.failures  # (the tiny problem fails others: one language, a ReLU)
    assert own.checked["named"] == bare.checked["named"] + 1
    twice = MISTAKES + MISTAKES.removeprefix("mistakes:\n").replace("hidden_skipped", "hidden_skipped_again")
    assert checked(BASE + twice).failures["named"] == [
        (
            "as written",
            "the answers of hidden_skipped_again are not named so "
            "(output_before: hidden_skipped, params_after: hidden_skipped)",
        )
    ]

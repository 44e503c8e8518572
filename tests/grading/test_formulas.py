"""Formulas in answers: the equivalence cache and the required-form check."""

from __future__ import annotations

from fractions import Fraction

import pytest

import hwsolver.expr
from hwsolver.expr import Scope, parse
from hwsolver.grading.checkers import Check
from hwsolver.grading.formulas import Formulas, form_problem, functions_used
from hwsolver.model import Symbolic

X = Scope(variables=("x",))


def test_the_equivalence_cache_is_keyed_by_the_reference_formula(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    original = hwsolver.expr.equivalent

    def counting(student, reference, scope, **options):  # type: ignore[no-untyped-def]
        calls.append("call")
        return original(student, reference, scope, **options)

    monkeypatch.setattr(hwsolver.expr, "equivalent", counting)
    formulas = Formulas(X)
    student = formulas.parse("2*x")
    assert formulas.equivalent(student, Symbolic("x + x", "")).correct
    assert formulas.equivalent(student, Symbolic("x + x", "")).correct  # same formula, another object: cached
    assert len(calls) == 1
    for _ in range(50):  # an object freed and another made in its place may get its id: never a stale verdict
        assert formulas.equivalent(student, Symbolic("x + x", "")).correct
        assert not formulas.equivalent(student, Symbolic("3*x", "")).correct


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("sigmoid(x)*(1 - sigmoid(x))", {"sigmoid"}),
        ("exp(-x)/(1 + exp(-x))^2 + 0*sigmoid(x)", {"exp"}),
        ("exp(-x)/(1 + exp(-x))^2 + sigmoid(x)*0", {"exp"}),
        ("exp(-x)/(1 + exp(-x))^2 + (1 - 1)*sigmoid(x)", {"exp"}),
        ("exp(-x)/(1 + exp(-x))^2 - 0*tanh(x)/2", {"exp"}),
        ("exp(-x)/(1 + exp(-x))^2 + 0/sigmoid(x)", {"exp"}),
        ("2.718281828459045^(-x)/(1 + 2.718281828^(-x))^2", {"exp"}),
        ("e^(-x)", {"exp"}),
        ("2.7^(-x)", set()),
        ("sigmoid'(x)", {"sigmoid'"}),
    ],
)
def test_functions_used_ignores_vanishing_terms_and_sees_e_written_out(text: str, names: set[str]) -> None:
    assert functions_used(parse(text, X)) == names


def test_form_problem_is_not_fooled() -> None:
    form = {"uses": ["sigmoid"], "avoids": ["exp"]}
    assert form_problem(parse("sigmoid(x)*(1 - sigmoid(x))", X), form) is None
    assert form_problem(parse("exp(-x)/(1 + exp(-x))^2 + 0*sigmoid(x)", X), form) is not None
    assert form_problem(parse("sigmoid(x)*2.718281828459045^(-x)/(1 + 2.718281828459045^(-x))", X), form) is not None


# -- the grader's view: what a student sees ------------------------------------------------------------------


def _prepared(*names: str, extra: str = "") -> list:
    """The built-in problems named (with `extra` appended to each file's text, e.g. a part or aliases)."""
    from hwsolver.grading.prepared import prepare
    from hwsolver.solving import solve
    from hwsolver.spec.problems import builtin_dir, problem_from_node
    from hwsolver.spec.reader import parse_text

    problems = []
    for name in names:
        text = (builtin_dir() / f"{name}.yaml").read_text(encoding="utf-8") + extra
        problems.append(problem_from_node(parse_text(text, f"{name}.yaml")))
    return prepare([solve(p) for p in problems])


SIGMOID = _prepared("sigmoid-derivatives")
SOFTMAX = _prepared("log-softmax-gradient", extra="aliases: {p: softmax(x)}\n")
COUNTS = _prepared("mlp-op-count", extra="  - {id: leading_order, points: 1}\n")
NOTE_SIGMA = "note: σ was read as σ(x)"


@pytest.mark.parametrize(
    ("prepared", "part", "text", "verdict", "feedback"),
    [
        # a guess is said, on a right answer too
        (SIGMOID, "d1", "σ(1 - σ)", "correct", NOTE_SIGMA),
        (SIGMOID, "d1", "σ'(x) = σ(x)(1 - σ(x))", "correct", ""),
        (SOFTMAX, "gradient", "[i == k] - softmax_k", "correct", "note: softmax_... was read as softmax(x)_..."),
        (SOFTMAX, "gradient", r"$\mathbb{1}_{i=k} - p_k$", "correct", ""),  # the problem's alias p
        (
            COUNTS,
            "forward_mults_total",
            "L n^2 multiplications",
            "correct",
            "note: the word 'multiplications' after the formula was left out",
        ),
        # a guess on a wrong answer: the reason, then the note
        (SIGMOID, "d1", "σ(1 + σ)", "incorrect", None),
        # restating the question is no answer; a lower derivative is a form question (this part asks for σ alone)
        (SIGMOID, "d1", "σ'(x)", "incorrect", "σ'(x) is what is asked: restating the question is no answer"),
        (
            SIGMOID,
            "d1",
            "σ''(x)/(1 - 2σ(x))",
            "incorrect",
            "σ''(x) is beyond the σ'(x) asked: restating the question is no answer",
        ),
        (SIGMOID, "d2", "σ''(x)", "incorrect", "σ''(x) is what is asked: restating the question is no answer"),
        (
            SIGMOID,
            "d2",
            "σ'(x)(1 - 2σ(x))",
            "partial",
            "equivalent, but write it in terms of sigmoid(...) (without exp): write σ'(...) out in σ(...)",
        ),
        # the order of growth: an answer only where only the order is asked
        (COUNTS, "leading_order", {"forward": "O(L n^2)", "backward": "O(n^2 L + L n)"}, "correct", ""),
        (
            COUNTS,
            "leading_order",
            {"forward": "O(L n)", "backward": "O(L n^2)"},
            "partial",  # one of two right
            "forward: not the order of growth asked: compare the terms of highest degree",
        ),
        (
            COUNTS,
            "forward_mults_total",
            "O(L n^2)",
            "incorrect",
            "an exact count is asked, not its order O(...): give the whole formula",
        ),
        # no number: invalid, with the reason, never nan or inf
        (
            SIGMOID,
            "d1",
            "log(x)",
            "invalid",
            "this formula is no number at x = -1.84171: the log of 0 or of a negative number",
        ),
        (SIGMOID, "d1", "sqrt(-1)", "invalid", "'sqrt(-1)' is no number: the square root of a negative number"),
        (SIGMOID, "d1", "1/0", "invalid", "'1/0' is no number: a division by zero"),
        (SIGMOID, "d1", "0/0", "invalid", "'0/0' is no number: 0/0"),
        (SIGMOID, "d1", "log(0)", "invalid", "'log(0)' is no number: the log of 0 or of a negative number"),
        (
            SIGMOID,
            "d1",
            "exp(1000)",
            "invalid",
            "'exp(1000)' is no number: a number too large for a computer (an overflow)",
        ),
        (SIGMOID, "d1", "x/(x - x)", "invalid", "this formula is no number at x = 1.09569: a division by zero"),
    ],
)
def test_what_the_student_is_told(grade_answers, prepared, part, text, verdict, feedback) -> None:  # type: ignore[no-untyped-def]
    result = grade_answers(prepared, {part: text})[part]
    assert result.verdict == verdict, result.feedback
    if feedback is not None and verdict == "invalid":  # after where: line:column: part
        assert (
            result.feedback == f"{result.feedback.split(': ')[0]}: answers.{prepared[0].problem.id}.{part}: {feedback}"
        )
    elif feedback is not None:
        assert result.feedback == feedback
    assert "nan" not in result.feedback and "inf " not in result.feedback


def test_a_note_follows_the_reason_on_a_wrong_answer(grade_answers) -> None:  # type: ignore[no-untyped-def]
    result = grade_answers(SIGMOID, {"d1": "σ(1 + σ)"})["d1"]
    assert result.feedback.startswith("not equivalent to the answer: differs at x = ")
    assert result.feedback.endswith(f"; {NOTE_SIGMA}")


NEAR_MISSES = [
    "{ref} + 1/10^10",
    "({ref})*(1 + 1/10^7)",
    "{ref} + exp(-40)",
    "{ref} + relu(x - 5)",
    "{ref} + Heaviside(x - 3.5)",
    "{ref} + 1000*Heaviside(0.3 - abs(x))",  # 1000 more, on |x| < 0.3 only
    "{ref} + relu(1000 - 1000*relu(abs(x) - 0.3)/0.001)",  # the same with relu alone
]


@pytest.mark.parametrize("template", NEAR_MISSES)
@pytest.mark.parametrize("part", ["d1", "d2"])
def test_no_near_miss_is_accepted(grade_answers, template: str, part: str) -> None:  # type: ignore[no-untyped-def]
    reference = SIGMOID[0].solution.answers[part].expr
    result = grade_answers(SIGMOID, {part: template.format(ref=f"({reference})")})[part]
    assert result.verdict == "incorrect", result.feedback
    assert result.feedback.startswith("not equivalent to the answer: differs at x = ")


@pytest.mark.parametrize("size", range(1, 13))
def test_a_term_alive_at_one_size_only_is_caught_at_every_small_size(grade_answers, size: int) -> None:  # type: ignore[no-untyped-def]
    result = grade_answers(SOFTMAX, {"gradient": f"δ_ik - softmax(x)_k + KroneckerDelta(C, {size})"})["gradient"]
    assert result.verdict == "incorrect", result.feedback
    assert f"C = {size}:" in result.feedback or size in (4, 5)  # 4 and 5 are the usual settings: said otherwise
    near = grade_answers(SOFTMAX, {"gradient": f"δ_ik - softmax(x)_k + 1e-12*KroneckerDelta(C, {size})"})
    assert near["gradient"].verdict == "incorrect"


def test_latex_in_double_quotes_is_told_how_to_quote(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from hwsolver.grading.grader import grade_file

    path = tmp_path / "s.yaml"
    path.write_text('student: s1\nanswers:\n  sigmoid-derivatives:\n    d1: "$\\mathrm{x}$"\n', encoding="utf-8")
    assert grade_file(str(path), SIGMOID).error == (
        f"{path}:4:11: YAML syntax error: found unknown escape character (in double quotes a backslash starts an "
        "escape: write LaTeX in single quotes or without quotes)"
    )


def test_latex_that_lost_a_backslash_in_double_quotes_is_told_how_to_quote(grade_answers) -> None:  # type: ignore[no-untyped-def]
    result = grade_answers(SIGMOID, {"d1": "\tanh(x)"})["d1"]
    assert (result.verdict, result.feedback) == (
        "invalid",
        '3:9: answers.sigmoid-derivatives.d1: column 1: "\\tanh" lost its backslash: in double quotes YAML reads "\\t" '
        "as a TAB; write LaTeX in single quotes or without quotes",
    )


@pytest.mark.parametrize(
    ("aliases", "message"),
    [
        ("{exp: softmax(x)}", "24:16: aliases.exp: 'exp' is a builtin name: it cannot be an alias"),
        (
            "{p: softmax(x) @}",
            "24:14: aliases.p: cannot read the formula of alias 'p': column 12: unexpected character '@'",
        ),
        ("{p: [1, 2]}", "24:14: aliases.p: expected text, got a list of 2"),
    ],
)
def test_aliases_are_checked_when_the_problem_is_read(aliases: str, message: str) -> None:
    from hwsolver.errors import SpecError

    with pytest.raises(SpecError) as info:
        _prepared("log-softmax-gradient", extra=f"aliases: {aliases}\n")
    assert str(info.value) == f"log-softmax-gradient.yaml:{message}"


def test_a_reading_keeps_its_own_notes_when_another_text_reads_as_the_same_formula() -> None:
    answer = COUNTS[0].solution.answers["forward_mults_total"]
    formulas = Formulas.for_part(answer, {})
    order, plain, worded = (formulas.parse(t) for t in ("O(L n^2)", "L n^2", "L n^2 mults"))
    assert order == plain == worded
    assert formulas.equivalent(order, answer).feedback.startswith("an exact count is asked")
    assert formulas.equivalent(plain, answer) == Check(Fraction(1), "")
    assert formulas.equivalent(worded, answer).feedback == "note: the word 'mults' after the formula was left out"
    assert formulas.equivalent(formulas.parse("L n^2"), answer).feedback == ""  # again, after the others


@pytest.mark.parametrize("text", ["2*x +", "1/0", "y"])
def test_a_remembered_formula_error_holds_no_student_frames(text: str) -> None:
    # an error kept in a memo with its traceback would keep alive the frames of every raise, and with them the
    # answers and prepared variants of the students who wrote it
    formulas = Formulas(X, reference=Symbolic("x", ""))
    raised = []
    for _ in range(2):
        with pytest.raises(hwsolver.expr.ExprError) as caught:
            formulas.parse(text)
        raised.append(caught.value)
    kept = formulas._parsed[text]
    assert kept.__traceback__ is None and kept.__context__ is None and kept not in raised
    assert str(raised[0]) == str(raised[1]) == str(kept) and type(raised[1]) is type(kept)
    assert getattr(raised[1], "caret", None) == getattr(kept, "caret", None)  # a located error keeps its place

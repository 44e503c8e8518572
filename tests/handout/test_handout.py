"""Handouts: a template per kind, golden Markdown, self-contained HTML, annotations that stay inert."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from hwsolver.errors import HwsolverError
from hwsolver.handout.document import handout_markdown, render_handout
from hwsolver.handout.strings import STRINGS
from hwsolver.kinds import KINDS
from hwsolver.model import Solution
from hwsolver.render import kind_template
from hwsolver.solving import solve, solve_paths
from hwsolver.spec.problems import builtin_dir, load_problems, problem_from_node
from hwsolver.spec.reader import parse_text

GOLDEN = Path(__file__).resolve().parent / "golden"
BUILTIN = [problem.id for problem in load_problems()]


@pytest.fixture(scope="module")
def solutions() -> list[Solution]:
    return solve_paths([builtin_dir()])  # every built-in problem (the homework is seven of them)


def mlp_solution(parts: tuple[str, ...] = ("gradients", "params_after", "loss_history"), **given: Any) -> Solution:
    """An mlp_backprop problem around exercise (1), with some of its `given` replaced."""
    base: dict[str, Any] = {
        "weights": {"W1": [[0.6, 0.2], [0.1, 0.7]], "W2": [[0.5, 0.8]]},
        "activation": "relu",
        "x": [0.2, 0.3],
        "target": 0.5,
        "loss": "half_squared_error",
        "learning_rate": 1,
    }
    text = yaml.safe_dump(
        {
            "id": "variant",
            "kind": "mlp_backprop",
            "title": {"zh": "变体", "en": "Variant"},
            "statement": {"zh": "变体。", "en": "A variant."},
            "given": {**base, **given},
            "parts": list(parts),
        }
    )
    return solve(problem_from_node(parse_text(text, "variant.yaml")))


VARIANTS = {
    "batch-biases-decay-steps": {
        "x": [[0.2, 0.3], [0.5, -0.1]],
        "target": [[0.5], [0.1]],
        "biases": {"b1": [0.1, -0.2], "b2": [0.05]},
        "weight_decay": 0.01,
        "steps": 3,
    },
    # 20 steps are cheap at fixed precision (exact rationals would grow without bound): the history elides rows.
    "sigmoid-binary-cross-entropy": {
        "activation": "sigmoid",
        "loss": "binary_cross_entropy",
        "target": 1,
        "steps": 20,
    },
    "softmax-cross-entropy": {
        "weights": {"W1": [[0.6, 0.2], [0.1, 0.7]], "W2": [[0.5, 0.8], [-0.3, 0.2]]},
        "activation": ["tanh", "softmax"],
        "target": [1, 0],
        "loss": "cross_entropy",
    },
    "leaky-mse-dead-unit": {
        "weights": {"W1": [[-0.6, 0.2], [0.1, 0.7]], "W2": [[0.5, 0.8]]},
        "activation": ["leaky_relu", "identity"],
        "loss": "mean_squared_error",
        "steps": 2,
    },
}


@pytest.mark.parametrize("kind", sorted(KINDS))
@pytest.mark.parametrize("which", ["text", "handout"])
def test_every_kind_has_its_own_templates(kind: str, which: str) -> None:
    assert kind_template(kind, which) == f"kinds/{kind}/{which}.{'txt' if which == 'text' else 'md'}.j2"


def test_a_missing_template_names_the_kind_and_the_file_it_should_be() -> None:
    with pytest.raises(HwsolverError) as error:
        kind_template("no_such_kind", "handout")
    assert str(error.value) == (
        "kind no_such_kind has no handout template: expected templates/kinds/no_such_kind/handout.md.j2"
    )


def _keys(value: Any, prefix: str = "") -> set[str]:
    """Every key path of nested strings, less the lookup tables that translate solver text, which may be partial:
    a missing entry shows the solver's text."""
    if not isinstance(value, dict):
        return {prefix}
    found = {k for key, item in value.items() for k in _keys(item, f"{prefix}.{key}")}
    return {k for k in found if not re.search(r"\.(names|notes|scopes|summaries)\.", k)}


@pytest.mark.parametrize("strings", [STRINGS, *(kind.strings for kind in KINDS.values())])
def test_every_language_has_the_same_strings(strings: dict[str, Any]) -> None:
    assert _keys(strings["zh"]) == _keys(strings["en"])


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("problem_id", BUILTIN)
def test_golden_markdown(problem_id: str, lang: str, solutions: list[Solution], update_golden: bool) -> None:
    solution = next(s for s in solutions if s.problem.id == problem_id)
    check_golden(f"{problem_id}.{lang}.md", handout_markdown([solution], lang, charts=False), update_golden)


@pytest.mark.parametrize("name", ["batch-biases-decay-steps", "softmax-cross-entropy"])
def test_golden_markdown_of_mlp_variants(name: str, update_golden: bool) -> None:
    text = handout_markdown([mlp_solution(**VARIANTS[name])], "en", charts=False)
    check_golden(f"mlp-{name}.en.md", text, update_golden)


def test_error_terms_and_forward_values_are_one_vector_per_layer() -> None:
    """Exercise (1) is 2-2-1: e(1) has two entries and e(2) one, never one ragged matrix (values worked by hand in
    tests/kinds/test_mlp_backprop.py)."""
    text = handout_markdown([mlp_solution(("errors", "forward"))], "en")
    assert (
        r"**Error terms** (`errors`): $e^{(1)} = \left(-0.113, -0.1808\right)$; $e^{(2)} = \left(-0.226\right)$"
        "\n" in text
    )
    assert (
        r"**Forward pass** (`forward`): $z^{(1)} = \left(0.18, 0.23\right)$, $a^{(1)} = \left(0.18, 0.23\right)$; "
        r"$z^{(2)} = \left(0.274\right)$, $a^{(2)} = \left(0.274\right)$"
        "\n" in text
    )


def test_error_terms_of_a_batch_are_given_per_sample() -> None:
    solution = mlp_solution(("errors",), x=[[0.2, 0.3], [0.5, -0.1]], target=[[0.5], [0.1]])
    (line,) = [row for row in handout_markdown([solution], "zh").splitlines() if "(`errors`)" in row]
    samples = line.split("样本 ")[1:]
    assert len(samples) == 2 and "pmatrix" not in line
    for number, (sample, errors) in enumerate(zip(samples, solution.answers["errors"]), start=1):
        assert sample.startswith(f"{number}：$e^{{(1)}} = ")
        assert sample.count("e^{(") == len(errors) == 2


def graded(grading: dict[str, Any], parts: list[Any]) -> Solution:
    """Exercise (1) with grading options on the problem and its parts."""
    text = yaml.safe_dump(
        {
            "id": "graded",
            "kind": "mlp_backprop",
            "title": "t",
            "statement": "t",
            "given": {
                "weights": {"W1": [[0.6, 0.2], [0.1, 0.7]], "W2": [[0.5, 0.8]]},
                "activation": "relu",
                "x": [0.2, 0.3],
                "target": 0.5,
                "loss": "half_squared_error",
                "learning_rate": 1,
            },
            **({"grading": grading} if grading else {}),
            "parts": parts,
        }
    )
    return solve(problem_from_node(parse_text(text, "graded.yaml")))


PRECISION = [
    ({}, ["output_before"], "Give numbers to at least 3 significant figures.", "数值至少保留 3 位有效数字。"),
    (
        {"sigfigs": 4},
        ["output_before"],
        "Give numbers to at least 4 significant figures.",
        "数值至少保留 4 位有效数字。",
    ),
    (
        {"rtol": "1/100"},
        ["output_before"],
        "Give numbers within a relative error of 1%.",
        "数值的相对误差不超过 1%。",
    ),
    (
        {"rtol": 0.005, "atol": 0.001},
        ["output_before"],
        "Give numbers within a relative error of 0.5% or an absolute error of 0.001.",
        "数值的相对误差不超过 0.5%或绝对误差不超过 0.001。",
    ),
    (
        {"sigfigs": 2, "atol": "1e-6"},
        ["output_before"],
        "Give numbers to at least 2 significant figures, or within an absolute error of 0.000001.",
        "数值至少保留 2 位有效数字，或绝对误差不超过 0.000001。",
    ),
    (  # the commonest rule, then the parts graded otherwise
        {},
        ["output_before", {"id": "loss_before", "rtol": 0.01}, "params_after", {"id": "output_after", "rtol": 0.01}],
        "Give numbers to at least 3 significant figures. Loss before the update, Output after the update: give "
        "numbers within a relative error of 1%.",
        "数值至少保留 3 位有效数字。更新前的损失、更新后的输出：数值的相对误差不超过 1%。",
    ),
    ({"sigfigs": 5}, ["loss_decreased"], "", ""),  # a yes/no answer is no number
]


@pytest.mark.parametrize(("grading", "parts", "en", "zh"), PRECISION)
def test_the_statement_tells_the_precision_numbers_are_graded_to(
    grading: dict[str, Any], parts: list[Any], en: str, zh: str
) -> None:
    solution = graded(grading, parts)
    for lang, sentence in (("en", en), ("zh", zh)):
        statement = "**Problem.** t" if lang == "en" else "**题目** t"
        expected = f"{statement}\n\n{sentence}\n\n" if sentence else f"{statement}\n\n###"
        assert expected in handout_markdown([solution], lang)


def test_builtin_statements_tell_precision_only_where_answers_are_numbers(solutions: list[Solution]) -> None:
    told = {s.problem.id for s in solutions if "3 significant figures" in handout_markdown([s], "en", charts=False)}
    numeric = {"relu-network-update", "conv-backprop", "pooling-backprop", "average-pooling-backprop"}
    optimization = {"adam-step", "momentum-step", "momentum-minibatch-gradients", "adagrad-rates", "adamw-decay"}
    optimization |= {"step-decay", "inverse-time-decay"}
    training = {"gd-vs-sgd"}
    initialization = {"symmetric-initialization", "he-initialization"}
    regularization = {"l2-weight-decay", "l1-regularized-steps", "dropout-lecture-code", "dropconnect-inverted"}
    assert told == numeric | optimization | initialization | regularization | training
    exact = {s.problem.id for s in solutions if "Give numbers exactly." in handout_markdown([s], "en", charts=False)}
    assert exact == {"fc-param-count", "cnn-param-count"}  # `grading: {rtol: 0}`: counts are integers


def check_golden(name: str, text: str, update: bool) -> None:
    path = GOLDEN / name
    if update:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return
    assert path.exists(), f"no golden file {path}; run pytest --update-golden and review the new file"
    assert text == path.read_text(encoding="utf-8"), f"{name} changed; review, then pytest --update-golden"


@pytest.mark.parametrize("name", sorted(VARIANTS))
@pytest.mark.parametrize("fmt", ["md", "html", "tex"])
def test_mlp_variants_render_in_every_format(name: str, fmt: str) -> None:
    text = render_handout([mlp_solution(**VARIANTS[name])], fmt, "zh")
    assert "变体" in text
    if fmt == "html":
        assert "$" not in strip_tags(text) and r"\frac" not in strip_tags(text)


def test_exercise_one_shows_every_step_with_numbers(solutions: list[Solution]) -> None:
    text = handout_markdown([s for s in solutions if s.problem.id == "relu-network-update"], "en")
    for step in [
        r"= 0.6 \times 0.2 + 0.2 \times 0.3 = 0.18",  # a hidden unit's weighted sum, numbers substituted
        r"\mathrm{ReLU}\left(0.18\right) = 0.18",
        r"\mathrm{ReLU}'\left(0.274\right) = 1",  # ReLU' stated for each unit
        r"= \left(0.274 - 0.5\right) \times 1 = -0.226",  # the output error term
        r"= 1 \times \left(0.5 \times \left(-0.226\right)\right) = -0.113",  # a hidden error term
        r"= \left(-0.226\right) \times 0.18 = -0.04068",  # a gradient
        r"$0.5 - 1 \times \left(-0.04068\right) = 0.54068$",  # an update, old -> new
        "0.5 → <tspan",  # the drawing's edge label, old and new
        r"\approx 0.01597661654",  # the loss after, honest about rounding
        "The loss decreased",
    ]:
        assert step in text


def test_every_handout_is_one_self_contained_page(solutions: list[Solution]) -> None:
    page = render_handout(solutions, "html", "en")
    # Namespace names identify MathML and SVG; they are never fetched. Nothing else may point outside.
    rest = re.sub(r'xmlns="http://www\.w3\.org/[^"]+"', "", page)
    assert not re.search(r"https?:|//[a-z]|<script|<link|<img|<iframe|@import|\bsrc=", rest, re.IGNORECASE)
    targets = set(re.findall(r"url\(([^)]*)\)", rest))
    assert targets and all(f'id="{target[1:]}"' in rest for target in targets)  # markers inside the page
    assert all(href.startswith("#") for href in re.findall(r'href="([^"]*)"', rest))
    assert "<style>" in page and "@media print" in page
    assert "<math" in page and "<svg" in page
    assert r"\frac" not in strip_tags(page) and "$" not in strip_tags(page)


def strip_tags(html: str) -> str:
    """The text a reader would see, roughly: tags, styles and MathML annotations removed."""
    html = re.sub(r"<style>.*?</style>", "", html, flags=re.DOTALL)
    return re.sub(r"<[^>]+>", "", html)


def test_contents_link_every_problem(solutions: list[Solution]) -> None:
    text = handout_markdown(solutions, "zh")
    for number, solution in enumerate(solutions, start=1):
        assert f"{number}. [{solution.problem.title['zh']}](#{solution.problem.id})" in text
        assert f"## {number}. {solution.problem.title['zh']} {{#{solution.problem.id}}}" in text


def test_latex_document_per_language(solutions: list[Solution]) -> None:
    zh, en = render_handout(solutions, "tex", "zh"), render_handout(solutions, "tex", "en")
    assert r"\documentclass[11pt,a4paper]{ctexart}" in zh and "ctexart" not in en
    assert r"\begin{tikzpicture}" in zh and "<svg" not in zh
    assert zh.count(r"\begin{document}") == 1 and zh.rstrip().endswith(r"\end{document}")


HOSTILE = r"$\frac{1}{2}$ <script>alert(1)</script> **bold** [x](#y) `code`"


@pytest.mark.parametrize("fmt", ["md", "html", "tex"])
def test_annotations_show_the_students_answer_inert(fmt: str, solutions: list[Solution]) -> None:
    exercise = [s for s in solutions if s.problem.id == "relu-network-update"]
    notes = {
        "relu-network-update": {
            "output_before": {"answer": HOSTILE, "verdict": "incorrect", "feedback": HOSTILE},
            "loss_before": {"answer": "0.0255", "verdict": "correct", "feedback": "", "score": 1, "max_score": 1},
            "gradients": {"answer": None, "verdict": "missing"},
        }
    }
    text = render_handout(exercise, fmt, "en", notes)
    assert ("incorrect" in text) and ("1/1 points" in text) and ("(no answer)" in text)
    if fmt == "html":
        assert "<script>" not in text and "&lt;script&gt;" in text
        assert r"$\frac{1}{2}$" in strip_tags(text)  # shown as typed, not typeset
        assert '<a href="#y">' not in text
    if fmt == "md":
        assert r"\$\\frac" in text  # escaped: Markdown renderers show it literally
    if fmt == "tex":
        assert r"\$\textbackslash{}frac\{1\}\{2\}\$" in text


def test_unknown_format_and_language_are_user_errors(solutions: list[Solution]) -> None:
    from hwsolver.errors import HwsolverError

    with pytest.raises(HwsolverError, match="unknown handout format 'pdf'"):
        render_handout(solutions, "pdf")
    with pytest.raises(HwsolverError, match="unknown language 'fr'"):
        render_handout(solutions, "md", "fr")

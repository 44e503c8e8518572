"""The problem sheet's "how to write the answer" column says only what the problem has: a network's own
parameters (no b1 without biases), a list per sample only for a batch, the first iteration only with a schedule;
checked against the solver's own answers."""

from __future__ import annotations

import pytest
import yaml

from hwsolver.handout.sheet import Sheet, sheet_markdown
from hwsolver.model import Problem
from hwsolver.solving import solve
from hwsolver.spec.problems import load_problems, problem_from_node
from hwsolver.spec.reader import parse_text

NETWORK = {
    "weights": {"W1": [[0.5, -0.5], [0.3, 0.8]], "W2": [[1.0, -0.4]]},
    "activation": "relu",
    "loss": "half_squared_error",
    "learning_rate": 0.5,
}
BIASES = {"b1": [0, 0.1], "b2": [0]}
PARTS = ["forward", "output_before", "errors", "gradients"]


def answer_forms(problem: Problem) -> dict[str, str]:
    """{part id: the cell "how to write the answer"} of the problem's row on an English sheet."""
    sheet = Sheet({"en": "t"}, None, "s", [problem], ["1"], {problem.id: {"en": ""}}, "s.yaml")
    lines = sheet_markdown(sheet, "en").splitlines()
    rows = (line.split(" | ") for line in lines if line.startswith("| ") and "| `" in line)
    return {row[1].strip("`"): row[3].rstrip(" |") for row in rows}


def test_the_built_in_network_without_biases_is_asked_for_w1_and_w2_alone() -> None:
    (problem,) = [p for p in load_problems() if p.id == "relu-network-update"]
    forms = answer_forms(problem)
    assert forms["gradients"] == "parameters by name: W1 (a matrix), W2 (a matrix): the objective's gradients"
    assert forms["output_before"] == "a number: the output a(2)"
    assert not any("b1" in form or "sample" in form or "mini-batch" in form for form in forms.values())


@pytest.mark.parametrize(
    "extra",
    [
        {"x": [1, 0], "target": 1},
        {"x": [1, 0], "target": 1, "biases": BIASES},
        {"x": [[1, 0], [0, 1]], "target": [1, 0], "biases": BIASES},
        {"x": [[1, 0], [0, 1]], "target": [1, 0], "batch_size": 1, "epochs": 1, "order": [[2, 1]]},
    ],
)
def test_each_answer_form_fits_what_the_solver_answers(extra: dict) -> None:
    """The gradients' names are the solution's keys; a list per sample is asked exactly where the answer is one;
    the first iteration's gradients exactly with a schedule."""
    document = {"id": "t", "kind": "mlp_backprop", "title": "t", "statement": "t", "given": NETWORK | extra}
    problem = problem_from_node(parse_text(yaml.safe_dump(document | {"parts": PARTS}), "t.yaml"))
    forms, answers = answer_forms(problem), solve(problem).answers
    listed = forms["gradients"].removeprefix("parameters by name: ").split(": ")[0]
    assert [name.split(" (")[0] for name in listed.split(", ")] == list(answers["gradients"])
    batch = isinstance(answers["output_before"][0], tuple)  # one vector per sample
    assert all(forms[part].startswith("a list with one per sample of: ") == batch for part in PARTS[:3])
    assert forms["output_before"].endswith("a number: the output a(2)")
    assert forms["errors"].endswith("a list of e(1), e(2), each a vector")
    assert forms["gradients"].endswith("(the first iteration's)") == ("epochs" in extra)

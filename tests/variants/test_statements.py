"""Statements that show the given's values: each reference filled in exactly as written, in both languages, and
every bad reference named where it is written."""

from __future__ import annotations

import pytest

from hwsolver.errors import SpecError
from hwsolver.spec.problems import problem_from_node
from hwsolver.spec.reader import parse_text
from hwsolver.spec.sets import load_set
from hwsolver.variants.drawing import ProblemVariants
from hwsolver.variants.statements import fill

PROBLEM = r"""id: tiny
kind: derivative
title: "{{ function | show.title }}"
statement:
  zh: "求 {{ function | show }} 的导数；变量 {{ variable }}，阶 {{ orders }}，{{ orders | tuple }}。"
  en: "Differentiate {{ function | show }} in {{ variable }}, orders {{ orders }} = {{ orders | tuple }}, {{(l)}}."
given:
  function: 1/(1 + exp(-x))
  variable: x
  orders: [1, 2]
vary:
  function:
    choice: [1/(1 + exp(-x)), tanh(x)]
    show:
      - {"": {zh: Sigmoid 函数, en: the sigmoid}, title: {zh: S, en: Sigmoid}}
      - {"": {zh: tanh 函数, en: tanh}, title: T}
parts: [d1]
"""


def test_references_show_values_as_written_in_each_language() -> None:
    problem = problem_from_node(parse_text(PROBLEM, "p.yaml"))
    assert problem.title == {"zh": "S", "en": "Sigmoid"}
    assert problem.statement["zh"] == "求 Sigmoid 函数 的导数；变量 x，阶 [1, 2]，(1, 2)。"
    # text in double braces that is no reference stays as it is (LaTeX writes {{(l)}})
    assert problem.statement["en"] == "Differentiate the sigmoid in x, orders [1, 2] = (1, 2), {{(l)}}."


def test_a_variant_shows_its_own_values() -> None:
    text = PROBLEM.replace("  function: 1/(1 + exp(-x))\n", "  function: tanh(x)\n", 1)
    problem = problem_from_node(parse_text(text, "p.yaml"))
    assert (problem.title["en"], problem.statement["en"][:19]) == ("T", "Differentiate tanh ")


def test_matrices_show_as_pmatrix_with_numbers_as_written() -> None:
    homework = load_set()
    conv = ProblemVariants(homework.entries[4])
    shown = conv.entry.problem.statement["en"]
    assert r"$z^{(l-1)} = \begin{pmatrix} 0.5 & -0.2 & 0.3 & 0.1 \\ 0.2 & 0.4 & -0.1 & 0.6 \\ " in shown
    variant = conv.draw("salt", "PB1")
    matrix = variant.problem.given.z_prev
    first_row = " & ".join(_written(v) for v in matrix[0])
    assert rf"$z^{{(l-1)}} = \begin{{pmatrix}} {first_row} \\" in variant.problem.statement["en"]
    assert rf"z^{{(l-1)}} = \begin{{pmatrix}} {first_row} \\" in variant.problem.statement["zh"]


def _written(value) -> str:
    from hwsolver.variants.rules import written

    return written(value)


BAD = [
    ("{{ variable }}，阶", "{{ varaible }}，阶", "p.yaml:5:7: statement.zh: {{ varaible }}: the given has no varaible"),
    ("{{ orders | tuple }}。", "{{ orders | matrix }}。", "{{ orders | matrix }}: unknown filter 'matrix'"),
    ("{{ orders | tuple }}。", "{{ variable | tuple }}。", "{{ variable | tuple }}: tuple writes a list of numbers"),
    (
        "{{ orders | tuple }}。",
        "{{ variable | show }}。",
        "show needs a `vary:` choice for variable with `show:` texts",
    ),
    ("{{ function | show.title }}", "{{ function | show.name }}", "the choice for function shows show, show.title"),
]


@pytest.mark.parametrize(("old", "new", "message"), BAD)
def test_every_bad_reference_is_named_where_it_is_written(old: str, new: str, message: str) -> None:
    assert old in PROBLEM
    with pytest.raises(SpecError) as error:
        problem_from_node(parse_text(PROBLEM.replace(old, new, 1), "p.yaml"))
    assert message in str(error.value)


def test_a_value_that_is_none_of_the_choices_has_no_text() -> None:
    text = PROBLEM.replace("  function: 1/(1 + exp(-x))\n", "  function: exp(x)\n", 1)
    with pytest.raises(SpecError, match=r"exp\(x\) is none of the choices of vary\.function"):
        problem_from_node(parse_text(text, "p.yaml"))


def test_thousands_groups_the_digits_of_a_whole_number() -> None:
    given = parse_text("{width: 160000, small: 100, rate: 0.5}", "g.yaml")
    shown = fill("{{ width | thousands }} and {{ small | thousands }}", given, given, (), "en")
    assert shown == "160,000 and 100"
    with pytest.raises(SpecError, match=r"thousands writes a whole number written with digits alone"):
        fill("{{ rate | thousands }}", given, given, (), "en")

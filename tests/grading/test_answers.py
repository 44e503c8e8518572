"""Reading answers: an array the grader has not seen is read straight from its text when it is plain decimals,
and that shortcut reads exactly what the node path reads, or leaves the answer to it (with its message)."""

from __future__ import annotations

import pytest

from hwsolver.grading.answers import InvalidAnswer, read_answer
from hwsolver.grading.formulas import Formulas
from hwsolver.node import LATER
from hwsolver.spec import parse_text

MATRIX = ((0.5, 0.5), (0.5, 0.5))

PLAIN = [
    "[[1, 2], [3, 4]]",
    "[[1e5, -2.5e-3], [+3, .5]]",
    "\n      - [1, 2]\n      - [3, 4]",
    "\n      - - 1\n        - 2\n      - - 3\n        - 4",
    "[[1, 2, 3]]",
    "[]",
    "[[]]",
]
OTHER = [
    "[[1, '2'], [3, 4]]",  # quoted: text, read by the node path
    "[[1, 1/4], [3, 4]]",
    "[[exp(-1), 2], [3, 4]]",
    "[[1, x], [3, 4]]",
    "[[1, ], [3, 4]]",
    "[[1, null], [3, 4]]",
    "[[1, 2], [3]]",
    "[[1, 2], {a: 1}]",
    "[1, [2, 3]]",
    "[[1, 2], [.inf, 4]]",
    "[[1, 2], [3, " + "9" * 50 + "]]",
]


def read(text: str, *, lazy: bool) -> tuple[object, bool]:
    """What the part's answer reads as (or its message), and whether its node was left unbuilt."""
    document = f"student: s\nanswers:\n  problem:\n    part: {text}\n"
    root = parse_text(document, "s.yaml", lazy_below=3 if lazy else None)
    node = root.value["answers"].value["problem"].value["part"]
    try:
        value: object = read_answer(node, MATRIX, Formulas())
    except InvalidAnswer as error:
        value = str(error)
    return value, node.content is LATER


@pytest.mark.parametrize("text", PLAIN + OTHER)
def test_an_unbuilt_array_reads_as_a_built_one(text: str) -> None:
    assert read(text, lazy=True)[0] == read(text, lazy=False)[0]


@pytest.mark.parametrize("text", PLAIN)
def test_plain_decimals_are_read_without_building_nodes(text: str) -> None:
    value, unbuilt = read(text, lazy=True)
    assert unbuilt and isinstance(value, tuple)


@pytest.mark.parametrize("text", OTHER)
def test_anything_else_is_left_to_the_node_path(text: str) -> None:
    assert not read(text, lazy=True)[1]

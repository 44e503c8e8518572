"""A lock entry's given read straight into plain values (plainflow.py) against the YAML reader: the same values
for every drawn entry, and None (the YAML reader's turn) for any text outside the subset."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import pytest

from hwsolver.spec import plainflow
from hwsolver.spec.node import Node
from hwsolver.spec.plainflow import PlainFlow
from hwsolver.spec.reader import parse_text
from hwsolver.spec.sets import load_set
from hwsolver.variants.drawing import ProblemVariants
from hwsolver.variants.nodes import flow
from hwsolver.variants.rules import draw
from hwsolver.variants.seeds import Draws

DRAWN = ("relu-network-update", "conv-backprop", "pooling-backprop", "average-pooling-backprop")


def by_yaml(text: str) -> Node:
    return parse_text(f"given: {text}\n", "lock.yaml").mapping()["given"]


def plain(node: Node) -> Any:
    """The values plainflow.py promises, from the YAML reader's tree: decimals as Node.number reads them."""
    value = node.value
    if isinstance(value, dict):
        return {key: plain(child) for key, child in value.items()}
    if isinstance(value, tuple):
        return tuple(plain(child) for child in value)
    return node.number() if value[:1].isdigit() or value[:1] == "-" else value


def drawn_texts(problem: str, count: int) -> list[str]:
    """The given of `count` students' first draws of `problem`, as a lock writes it (no solving)."""
    maker = next(ProblemVariants(e) for e in load_set().entries if e.problem.id == problem)
    return [flow(draw(maker.rules, maker.given, Draws("plain", f"S{n}", problem, 0))) for n in range(count)]


@pytest.mark.parametrize("problem", DRAWN)
def test_every_drawn_entry_is_read_as_the_yaml_reader_reads_it(problem: str) -> None:
    reader = PlainFlow()
    texts = drawn_texts(problem, 300)
    for text in texts:
        values, general = reader.values(text), plain(by_yaml(text))
        assert values == general and repr(values) == repr(general)  # (repr: the numbers' types too)
        assert all(type(x) is tuple for x in _collections(values))  # tuples, as the kinds' inputs hold them
    assert len(reader.shapes) == reader.tried == 1  # one shape, learned from the first line, read by it after
    assert len({str(reader.values(text)) for text in texts}) == len(set(texts))


def _collections(values: Any) -> list[Any]:
    found = []
    for value in values.values():
        found += _collections(value) if isinstance(value, dict) else [value] if isinstance(value, tuple) else []
    return found


def test_a_line_of_a_shape_read_before_is_read_by_its_shape() -> None:
    reader = PlainFlow()
    assert reader.values("{a: [[1, 2], [3, 4]], b: relu, c: {d: 0.5}}") == {
        "a": ((1, 2), (3, 4)),
        "b": "relu",
        "c": {"d": Fraction(1, 2)},
    }
    # other numbers, words and lengths, ragged rows too (the kind refuses them, the reader reads what is written)
    assert reader.values("{a: [[-0.25], [3, 4, 5]], b: max, c: {d: 10}}") == {
        "a": ((Fraction(-1, 4),), (3, 4, 5)),
        "b": "max",
        "c": {"d": 10},
    }
    assert reader.tried == 1


@pytest.mark.parametrize(
    "text",
    [
        "{a: 'x'}",
        '{a: "x"}',
        "{a: 1e-3}",
        "{a: 1/4}",
        "{a: .5}",
        "{a: 1.}",
        "{a: +1}",
        "{a: [1,2]}",
        "{a: [1, 2] }",
        "{a:  1}",
        "{a: [relu, relu]}",
        "{a: [1, [2]]}",
        "{a: [[1, 2], 3]}",
        "{a: [[[1]]]}",
        "{a: []}",
        "{a: {}}",
        "{}",
        "{a: 1, a: 2}",
        "{a: x y}",
        "{a: log(x)}",
        "{a: 1} # c",
        "[1, 2]",
        "{a: " + "1" * 61 + "}",
    ],
)
def test_text_outside_the_subset_is_left_to_the_yaml_reader(text: str) -> None:
    assert PlainFlow().values(text) is None


@pytest.mark.parametrize(
    ("shape", "text"),
    [
        ("{a: [0.1, 0.2]}", "{a: [0.1, 0.2.3]}"),
        ("{a: [0.1, 0.2]}", "{a: [0.1,0.2]}"),
        ("{a: [0.1, 0.2]}", "{a: [0.1, 1e5]}"),
        ("{a: [0.1, 0.2]}", "{a: [0.1, x]}"),
        ("{a: [0.1, 0.2]}", "{a: [0.1, ]}"),
        ("{a: [0.1, 0.2]}", "{a: [0.1,  0.2]}"),
        ("{a: [[1, 2], [3, 4]]}", "{a: [[1, 2],[3, 4]]}"),
        ("{a: [[1, 2], [3, 4]]}", "{a: [[1, 2], [3, 4 ]]}"),
        ("{a: 0.5}", "{a: 0..5}"),
        ("{a: 0.5}", "{a: -}"),
        ("{a: 0.5}", "{a: " + "1" * 61 + "}"),
    ],
)
def test_a_line_of_a_known_shape_with_a_number_out_of_the_subset_is_left_to_the_yaml_reader(
    shape: str, text: str
) -> None:
    reader = PlainFlow()
    assert reader.values(shape) is not None
    assert reader.values(text) is None


def test_a_problem_whose_lines_keep_changing_shape_is_left_to_the_yaml_reader() -> None:
    reader = PlainFlow()
    for n in range(plainflow._MOST_SHAPES):
        assert reader.values(f"{{k{n}: 1}}") == {f"k{n}": 1}
    assert reader.values("{k: 1}") is None  # no more shapes learned: the YAML reader reads it
    assert reader.tried == plainflow._MOST_SHAPES

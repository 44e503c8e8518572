"""A student's block of numbers read without YAML events (blockread.py) against the event loop (later.py): the same
nested texts, or it leaves the text to the event loop; a class's plain matrices never reach the event loop."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest

from hwsolver.grading.grader import grade_file
from hwsolver.grading.prepared import prepare
from hwsolver.solving import solve_paths
from hwsolver.spec import blockread, later
from hwsolver.spec.blockread import read_block
from hwsolver.spec.node import LATER, Node

# Answers as two generated classes wrote them (a class with a variant per student and one without), each with
# the column it started at: up to 15 of each shape.
ANSWERS = [tuple(pair) for pair in json.loads((Path(__file__).parent / "block_answers.json").read_text())]


def assert_agrees(source: str, column: int) -> bool:
    """Whether blockread.py read `source` (as the event loop reads it: asserted)."""
    node = Node(LATER, "s.yaml", 4, column, "answers.p", "q", True, source)
    texts = read_block(source, column)
    assert texts is None or texts == later._event_texts(node), source
    return texts is not None


def test_every_answer_of_a_class_is_read_as_the_event_loop_reads_it() -> None:
    assert len(ANSWERS) > 250
    assert all(assert_agrees(source, column) for source, column in ANSWERS)


def test_answers_of_one_shape_are_read_line_by_line_once() -> None:
    """Answers that differ in their numbers alone are read by the shape of the first (each as the event loop
    reads it); other shapes (another size, column or key) are read line by line, once each."""
    blockread._SHAPES.clear()
    before = blockread.READS[0]
    assert all(assert_agrees(source, column) for source, column in ANSWERS)
    shapes = {(column, re.sub(r"(?<=[-:] )\S+$", "", source.rstrip(), flags=re.M)) for source, column in ANSWERS}
    assert blockread.READS[0] - before == len(shapes) == 6
    assert read_block("- - 0.5\n      - 1e-3\n    - - -.25\n      - +7.\n", 5) == (("0.5", "1e-3"), ("-.25", "+7."))
    assert blockread.READS[0] - before == 6
    for text in ("- - 0.5\n      - 1e-3\n    - - -.25\n      - -", "- - 0.5\n      - 1e-3\n    - - -.25\n      - 1:2"):
        assert not assert_agrees(text, 5)  # the shape's lines but for one, outside the subset


def test_shapes_remembered_are_few() -> None:
    blockread._SHAPES.clear()
    for size in range(1, 100):
        assert read_block("- 1\n" * size, 1) == ("1",) * size
    assert 0 < sum(map(len, blockread._SHAPES.values())) <= blockread._MOST_SHAPES


TEXTS = [
    "- 1\n- 2",
    "- - 1\n  - 2\n- - 3\n  - 4\n",
    "a:\n- 1\nb: 2",
    "a:\n  b:\n    - - 1e-3\n      - +.5\n  c: -7.\nd: 0",
    "- 0.5  \n  ",
    "- 0.5 # c",
    "- '0.5'",
    '- "0.5"',
    "- [1, 2]",
    "- {a: 1}",
    "- &x 1\n- *x",
    "- !!str 1",
    "- 0.5\n\n- 1",
    "- 0.5\n  0.6",
    "- 0.5\n 0.6",
    "a: 0.5\n  0.6",
    "-\n  - 1",
    "- -\n  - 1",
    "- - 1\n    - 2",
    "- - 1\n - 2",
    "- a: 1\n  b: 2",
    "- a: 1",
    "- - a: 1",
    "a:\n  0.5",
    "a:\n  0.5\n   b: 1",
    "a: 1\n- 2\n  - 3",
    "a: 1\na: 2",
    "a:\nb: 1",
    "a:",
    "a:  1",
    "-  1",
    "a: 1\n- 2",
    "- 1\na: 2",
    "- 1\n\t- 2",
    "- 1:2",
    "- 1 2",
    "- 0x1F",
    "- .inf",
    "- 1_000",
    "- true",
    "- -",
    "- ---",
    "- ...",
    "---\n- 1",
    "- 1\n...",
    "  - 1",
    "- 1\r\n- 2",
    "W1:\n  - - 0.1\n    - 0.2\n  - - 0.3\n    - 0.4\nW2:\n  - - 0.5\n    - 0.6\n",
    "a: 1\n  ",
    "a: 1\n  b: 2",
    "a:\n  - 1\n - 2",
    "a:\n   - 1\n  - 2",
    "a:\n  b: 1\n c: 2",
    "- " * 20 + "1",
    "- " * 2000 + "1",
    "a:\n" + "".join("  " * i + f"k{i}:\n" for i in range(1, 20)) + "  " * 20 + "- 1",
    "k" * 70 + ": 1",
]


@pytest.mark.parametrize("text", TEXTS)
def test_a_text_is_read_as_the_event_loop_reads_it_or_left_to_it(text: str) -> None:
    for column in (1, 5):
        assert_agrees(text, column)


def test_a_text_the_subset_holds_is_read() -> None:
    """(The table above would pass were every text left to the event loop.)"""
    assert read_block("a:\n  b:\n    - - 1e-3\n      - +.5\n  c: -7.\nd: 0", 1) == {
        "a": {"b": (("1e-3", "+.5"),), "c": "-7."},
        "d": "0",
    }
    assert read_block("a:\n- 1\nb: 2", 1) == {"a": ("1",), "b": "2"}
    assert read_block("- - 1\n      - 2\n    - - 3\n      - 4\n  ", 5) == (("1", "2"), ("3", "4"))
    assert read_block("- 0.5 # c", 1) is None and read_block("a: 1\na: 2", 1) is None


def test_random_mutations_of_answers_are_read_as_the_event_loop_reads_them_or_left_to_it() -> None:
    """Each answer of the class with one character inserted, deleted or changed (many are left to the event loop;
    those read, including texts YAML reads otherwise than meant, are read as it reads them)."""
    pieces = [" ", "-", "- ", "\n", ":", ": ", "#", "'", "[", "{", "&", "*", "!", "?", ".", "e", "1", "a", "\t", ""]
    rng = random.Random(15)
    read = 0
    for _ in range(4000):
        source, column = rng.choice(ANSWERS)
        at = rng.randrange(len(source))
        source = source[:at] + rng.choice(pieces) + source[at + rng.randint(0, 1) :]
        read += assert_agrees(source, column)
    assert read > 300


def test_a_class_of_plain_matrices_never_reaches_the_event_loop(tmp_path: Path) -> None:
    """A student's block answers (a list, named matrices) are read and graded without YAML's event loop; one
    written with a comment goes to it, and both are graded as before."""
    path = tmp_path / "s.yaml"
    path.write_text(
        "student: s\nanswers:\n  relu-network-update:\n    output_before:\n    - 0.274\n"
        "    params_after:\n      W1:\n      - - 0.6226\n        - 0.2339\n      - - 0.13616\n        - 0.75424\n"
        "      W2:\n      - - 0.54068\n        - 0.85198  # from the update\n",
        encoding="utf-8",
    )
    prepared = prepare(solve_paths(["problems/relu-network-update.yaml"]))
    blocks, events = later.PLAIN_PARSES[0], later.EVENT_PARSES[0]
    parts = {p.id: p for p in grade_file(str(path), prepared).problems[0].parts}
    assert later.PLAIN_PARSES[0] - blocks == 2
    assert later.EVENT_PARSES[0] - events == 1  # the block with a comment alone
    assert parts["output_before"].verdict == parts["params_after"].verdict == "correct"
    assert parts["params_after"].answer == "{W1: [[0.6226, 0.2339], [0.13616, 0.75424]], W2: [[0.54068, 0.85198]]}"
    path.write_text(path.read_text(encoding="utf-8").replace("  # from the update", ""), encoding="utf-8")
    events = later.EVENT_PARSES[0]
    parts = {p.id: p for p in grade_file(str(path), prepared).problems[0].parts}
    assert later.EVENT_PARSES[0] == events
    assert parts["output_before"].verdict == parts["params_after"].verdict == "correct"

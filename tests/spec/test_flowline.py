"""A lock's entries read without YAML (flowline.py) against the YAML reader: the same tree node for node, or it
leaves the text to the YAML reader; rows left unbuilt give Node.tensor the same numbers and the same messages."""

from __future__ import annotations

import dataclasses
import random
from pathlib import Path

import pytest

from hwsolver.errors import SpecError
from hwsolver.kinds import KINDS
from hwsolver.spec import flowline, later
from hwsolver.spec import node as node_module
from hwsolver.spec.flowline import read_line
from hwsolver.spec.node import LATER, SCALAR, Node
from hwsolver.spec.reader import parse_text, read_file
from hwsolver.spec.sets import load_set
from hwsolver.variants.drawing import ProblemVariants
from hwsolver.variants.lock import read_lock

LOCK = Path(__file__).resolve().parents[1] / "variants" / "golden" / "homework.lock.yaml"


def by_yaml(node: Node) -> tuple[Node, ...] | dict[str, Node]:
    """What the YAML reader builds for a collection left unbuilt (read_later before flowline.py)."""
    placed = " " * (node.column - 1) + node.source
    return parse_text(placed, node.file, base=node.base, step=node.step, first_line=node.line).content


def built(node: Node) -> Node:
    """`node` with every collection under it read (rows left unbuilt included)."""
    value = node.value
    for child in value if isinstance(value, tuple) else value.values() if isinstance(value, dict) else ():
        built(child)
    return node


def entries() -> list[Node]:
    root = read_file(LOCK, lazy_below=3)
    return [entry for student in root.mapping()["students"].mapping().values() for entry in student.mapping().values()]


def test_every_entry_of_a_lock_is_read_as_the_yaml_reader_reads_it() -> None:
    read = 0
    for entry in entries():
        content = read_line(entry)
        if content is None:  # quoted text (log-softmax-gradient's formulas): the YAML reader's
            assert "'" in entry.source
            continue
        read += 1
        assert content == by_yaml(entry)
        rows = read_line(entry, rows=True)
        assert built(Node(rows, entry.file, entry.line, entry.column)).value == by_yaml(entry)
    assert read == 18  # 3 students, 7 problems each: all but one of them


TEXTS = [
    "given: {a: 'x'}",
    'given: {a: "x"}',
    "given: {a: b # c}",
    "given: {a: 1, a: 2}",
    "given: {a: [1,2]}",
    "given: {a: -}",
    "given: {a: [- 1]}",
    "given: {a: [1, 2, ]}",
    "given: {a: *x}",
    "given: {a: &x 1}",
    "given: {a: !!str 1}",
    "given: {a: 1:2}",
    "given: {a: ? b}",
    "given: {a: |}",
    "given: {a: [1, 2]}  # a comment\n",
    "given:  {a: 1}",
    "given: {a:  1}",
    "given: {a: 1 }",
    "given: {a: [[1, 2], [3]]}\n    ",
    "given: {a: [[1, 2], [3]]}\n      b: 1",
    "given: {a: [[1, 2]\n  , [3]]}",
    "given: {a: ---}",
    "given: {a: -.5, b: (1 + x)^2, c: 1/4, d: 1e-3, e: yes, f: null, g: ~}",
    "given: {a: []}",
    "given: {}",
    "given: [{a: 1}, [2, [3, [4]]], x y]",
    "given: {a: 1}}",
    "given: {a: 1",
    "given: " + "[" * 20 + "1" + "]" * 20,
    "[1, 2, [3, 4]]",
    "{a: [1, 2], b: {c: d}}",
    "[1, 2] x",
]


@pytest.mark.parametrize("text", TEXTS)
def test_a_text_is_read_as_the_yaml_reader_reads_it_or_left_to_it(text: str) -> None:
    assert_agrees(text)


def test_random_texts_are_read_as_the_yaml_reader_reads_them_or_left_to_it() -> None:
    """Flow texts as a lock writes them, each with one piece changed (most are left to the YAML reader)."""
    pieces = ["[", "]", "{", "}", ", ", ",", ": ", ":", " ", "-", "a", "-1", "#", "'", "?", "*", "&", "!", "\n", ""]
    rng = random.Random(15)
    read = 0
    for _ in range(3000):
        text = "given: " + flow_text(rng, 0)
        at = rng.randrange(6, len(text))
        text = text[:at] + rng.choice(pieces) + text[at + rng.randint(0, 2) :]
        read += assert_agrees(text)
    assert read > 200


def test_lines_of_one_shape_are_read_by_it_as_the_yaml_reader_reads_them() -> None:
    """A lock's lines of one problem differ in their numbers alone: the first is read item by item, the others by
    its shape (one shape remembered), each as the YAML reader reads it, whatever their numbers' lengths."""
    rng = random.Random(7)
    values = ["0.5", "-1/4", "12.125", "x y", "relu", "(1 + x)^2", "7", "-0.0625"]

    def v() -> str:
        return rng.choice(values)

    flowline._SHAPES.clear()
    for _ in range(200):
        text = (
            f"given: {{a: [[{v()}, {v()}], [{v()}, {v()}]], b: {v()}, c: {{d: [{v()}], e: []}}, f: [{v()}, [{v()}]]}}"
        )
        assert assert_agrees(text + "\n    ")
    assert len(flowline._SHAPES) == 1
    assert not assert_agrees("given: {a: [[0.5, 1], [2, 3:4]], b: 1, c: {d: [1], e: []}, f: [1, [2]]}")


def flow_text(rng: random.Random, depth: int) -> str:
    if depth > 2 or rng.random() < 0.3:
        return rng.choice(["0.5", "-1/4", "1e-3", "x y", "relu", "(1 + x)^2", "-.5", "3"])
    items = [flow_text(rng, depth + 1) for _ in range(rng.randint(1, 3))]
    if rng.random() < 0.5:
        return "[" + ", ".join(items) + "]"
    return "{" + ", ".join(f"k{i}: {item}" for i, item in enumerate(items)) + "}"


def assert_agrees(text: str) -> bool:
    """Whether flowline.py read `text` (as the YAML reader reads it: asserted)."""
    node = Node(LATER, "lock.yaml", 7, 5, "students.PB1", "p", True, text)
    try:
        expected = by_yaml(node)
    except SpecError:
        expected = None
    content = read_line(node)
    assert content is None or content == expected, text
    rows = read_line(node, rows=True)
    assert (content is None) == (rows is None)
    if rows is not None:
        assert built(Node(rows, node.file, node.line, node.column)).value == expected
    return content is not None


def test_a_row_left_unbuilt_gives_the_numbers_and_the_messages_of_its_nodes() -> None:
    text = "given: {m: [[0.5, -1/4], [1e-3, 2]], bad: [[1, 2], [3, abc]], short: [[1, 2], [3]]}"
    node = Node(LATER, "lock.yaml", 7, 5, "students.PB1", "p", True, text)
    fields = later.read_apart(node).mapping()["given"].mapping()
    assert all(row.content is LATER for row in fields["m"].value)
    assert fields["m"].matrix() == by_yaml(node)["given"].mapping()["m"].matrix()
    assert all(row.content is LATER for row in fields["m"].value)  # read from their text: no node per number
    for key in ("bad", "short"):
        with pytest.raises(SpecError) as lazy:
            fields[key].matrix()
        with pytest.raises(SpecError) as whole:
            by_yaml(node)["given"].mapping()[key].matrix()
        assert str(lazy.value) == str(whole.value)
    assert "lock.yaml:7:" in str(lazy.value) and "students.PB1.p.given.short[1]" in str(lazy.value)


def test_a_rows_numbers_are_matched_once_per_text(monkeypatch: pytest.MonkeyPatch) -> None:
    """Counted: a number met in rows before is not matched against SCALAR again; a text that is no SCALAR (or no
    number) is refused every time, and the numbers are those the row's nodes give."""
    matched = []

    class Counted:
        def fullmatch(self, text: str) -> object:
            matched.append(text)
            return SCALAR.fullmatch(text)

    monkeypatch.setattr(node_module, "_ROW_NUMBERS", {})
    monkeypatch.setattr(node_module, "SCALAR", Counted())
    rows = ["[0.5, -1/4, 0.5]", "[-1/4, 2]", "[0.5, 2, 1e-3]"]
    for row in rows:
        lazy = Node(LATER, "lock.yaml", 1, 1, "", "r", True, row).vector()
        monkeypatch.setattr(node_module, "SCALAR", SCALAR)
        assert lazy == by_yaml(Node(LATER, "lock.yaml", 1, 1, "", "r", True, f"r: {row}"))["r"].vector()
        monkeypatch.setattr(node_module, "SCALAR", Counted())
    assert sorted(matched) == sorted(["0.5", "-1/4", "2", "1e-3"])
    for row in ("[ 0.5, 2]", "[ 0.5, 2]", "[0.5, abc]", "[0.5, abc]"):
        assert node_module._row_numbers(row) is None
    assert matched.count(" 0.5") == 2 and matched.count("abc") == 2


@pytest.mark.parametrize(
    ("layers", "x"),
    [
        ("[2, 2, 1]", "[0.2, 0.7]"),
        ("[2, 0, 1]", "[0.2, 0.7]"),
        ("[2, 1.5, 1]", "[0.2, 0.7]"),
        ("[2]", "[0.2, 0.7]"),
        ("[2, 2, 1]", "[0.2, abc]"),
        ("[2, 2, 1]", "[[0.2, 0.7], [0.1, 0.3]]"),
    ],
)
def test_a_networks_rows_in_a_lock_give_what_their_nodes_give(layers: str, x: str) -> None:
    """A lock's rows of layer sizes and inputs, read from their text, give the network (or the message) the
    YAML reader's nodes give."""
    text = (
        f"given: {{layers: {layers}, weights: {{W1: [[0.4, -0.2], [0.8, 0.8]], W2: [[0.7, 0.5]]}}, activation: relu, "
        f"x: {x}, target: {'[0.5, 0.3]' if x.startswith('[[') else 0.5}, loss: half_squared_error, learning_rate: 1}}"
    )
    parse = KINDS["mlp_backprop"].parse_given
    node = Node(LATER, "lock.yaml", 7, 5, "students.PB1", "p", True, text)
    results = []
    for given in (later.read_apart(node).mapping()["given"], built(node).value["given"]):
        try:
            results.append(parse(given))
        except SpecError as error:
            results.append(str(error))
    assert results[0] == results[1]
    assert isinstance(results[0], str) == (layers != "[2, 2, 1]" or "abc" in x)
    assert isinstance(results[0], str) or results[0].batch == x.startswith("[[")


def test_a_variant_is_built_from_its_lock_entry_without_the_yaml_reader(monkeypatch: pytest.MonkeyPatch) -> None:
    homework, lock = load_set(), read_lock(LOCK)
    makers = {m.entry.problem.id: m for m in (ProblemVariants(entry) for entry in homework.entries)}
    monkeypatch.setattr(later, "parse_text", None)  # the YAML reader, were it called, would fail
    for student in lock.students.values():
        for problem in ("relu-network-update", "conv-backprop", "pooling-backprop", "average-pooling-backprop"):
            made = makers[problem].build(student[problem])
            assert made.given == KINDS[made.kind].parse_given(built(student[problem]))


def test_the_parts_of_the_problem_as_written_are_worked_out_once(monkeypatch: pytest.MonkeyPatch) -> None:
    homework, lock = load_set(), read_lock(LOCK)
    maker = next(ProblemVariants(e) for e in homework.entries if e.problem.id == "pooling-backprop")
    kind = KINDS[maker.entry.problem.kind]
    calls = []

    def parts_for(given: object) -> tuple[str, ...]:
        calls.append(given)
        return kind.parts_for(given)

    monkeypatch.setitem(KINDS, kind.name, dataclasses.replace(kind, parts_for=parts_for))
    for student in lock.students.values():
        maker.build(student["pooling-backprop"])
    assert len(calls) == len(lock.students) + 1  # each variant's, and the problem's own once

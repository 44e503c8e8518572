"""An answer of plain decimals read with its texts (answers.read_decimals) and written from them
(written.decimals_written): the value read_answer reads from the built node, the line written() writes for it, or
None, leaving the answer to those two; and the grader takes that path for such answers."""

from __future__ import annotations

import random
from typing import Any

import pytest

from hwsolver.grading import grader
from hwsolver.grading import written as writing
from hwsolver.grading.answers import InvalidAnswer, read_answer, read_decimals
from hwsolver.grading.formulas import Formulas
from hwsolver.grading.written import decimals_written, written
from hwsolver.spec.node import LATER, Node
from hwsolver.spec.reader import parse_text
from tests.grading.test_answers import MATRIX, NAMED, OTHER, PLAIN, WINDOWS


def answer(text: str, lazy: bool) -> Node:
    document = f"student: s\nanswers:\n  problem:\n    part: {text}\n"
    root = parse_text(document, "s.yaml", lazy_below=3 if lazy else None)
    return root.value["answers"].value["problem"].value["part"]


def leaves(value: Any) -> list[tuple[type, Any]]:
    """Each number with its type, in order (a Written 0.540 is not a float 0.54 to a truncation)."""
    if isinstance(value, tuple):
        return [found for item in value for found in leaves(item)]
    if isinstance(value, dict):
        return [(key, found) for key, item in value.items() for found in leaves(item)]
    return [(type(value), value)]


def as_built(reference: Any, text: str, positions: bool = False) -> tuple[Any, str]:
    """The witness: the answer read and written from the node built by the YAML reader."""
    node = answer(text, lazy=False)
    assert node.content is not LATER
    try:
        value = read_answer(node, reference, Formulas(), positions)
    except InvalidAnswer as error:
        value = str(error)
    return value, written(node)


def direct(reference: Any, text: str, positions: bool = False) -> tuple[Any, str] | None:
    node = answer(text, lazy=True)
    found = read_decimals(node, reference, positions)
    return None if found is None else (found[0], decimals_written(found[1]))


def decimal(rng: random.Random) -> str:
    sign = rng.choice(["", "", "-", "+"])
    whole = rng.choice(["0", "1", "12", "", "3"])
    point = rng.choice([".", ".5", ".540", ".0142", ".25", "", ".000"]) if whole else rng.choice([".5", ".75"])
    exponent = rng.choice(["", "", "", "e-3", "E+2", "e5"])
    return sign + whole + point + exponent


def block(rng: random.Random, shape: tuple[int, ...], indent: int) -> str:
    """A vector or matrix in block style, as a class writes it, at `indent`."""
    pad = " " * indent
    if len(shape) == 1:
        return "".join(f"\n{pad}- {decimal(rng)}" for _ in range(shape[0]))
    rows = []
    for _ in range(shape[0]):
        entries = [decimal(rng) for _ in range(shape[1])]
        rows.append(f"\n{pad}- - {entries[0]}" + "".join(f"\n{pad}  - {entry}" for entry in entries[1:]))
    return "".join(rows)


@pytest.mark.parametrize("seed", [3, 4])
def test_drawn_block_answers_read_and_write_as_built_ones(seed: int) -> None:
    """Vectors, matrices and named matrices of drawn decimals (Written ones, exponents, signs): the value, leaf by
    leaf with its type, and the written line are the built node's."""
    rng = random.Random(seed)
    cases = 0
    for _ in range(400):
        kind = rng.choice(["vector", "matrix", "named", "windows"])
        if kind == "vector":
            size = rng.randint(1, 4)
            reference, text = tuple([0.5] * size), block(rng, (size,), 6)
        elif kind == "matrix":
            reference, text = MATRIX, block(rng, rng.choice([(2, 2), (1, 4), (4, 1), (2, 3)]), 6)
        elif kind == "named":
            names = [rng.choice(spellings) for spellings in rng.sample([("W1", "w_1"), ("W2", "W^{(2)}"), ("b1",)], 2)]
            text = "".join(f"\n      {name}:" + block(rng, rng.choice([(2, 2), (1, 2)]), 8) for name in names)
            reference = NAMED
        else:
            reference, text = WINDOWS, block(rng, (4, 2), 6)
        positions = kind == "windows"
        found = direct(reference, text, positions)
        built = as_built(reference, text, positions)
        assert found is not None, text
        assert found == built and leaves(found[0]) == leaves(built[0]), text
        cases += 1
    assert cases == 400


@pytest.mark.parametrize(("reference", "text"), PLAIN)
def test_plain_answers_read_and_write_as_built_ones(reference: Any, text: str) -> None:
    found = direct(reference, text)
    assert found is not None and found == as_built(reference, text)
    assert repr(found[0]) == repr(as_built(reference, text)[0])


@pytest.mark.parametrize(("reference", "text"), OTHER)
def test_anything_else_is_left_to_read_answer_and_written(reference: Any, text: str) -> None:
    assert direct(reference, text) is None


@pytest.mark.parametrize(
    ("reference", "text", "lazy"),
    [(0.5, "\n      - 1\n      - 2", True), (True, "\n      - 1", True), (MATRIX, "[[1, 2], [3, 4]]", False)],
)
def test_a_number_yes_no_or_built_answer_is_left_to_read_answer(reference: Any, text: str, lazy: bool) -> None:
    """A collection where a number or yes/no is asked is read_answer's to refuse, with its message; a node
    already built is read as it is."""
    assert read_decimals(answer(text, lazy), reference) is None


def test_the_grader_writes_such_an_answer_from_its_texts(monkeypatch: pytest.MonkeyPatch) -> None:
    """A part answered with plain decimals: graded without written() (a witness that the path is taken), its
    answer line the built node's; another answer still goes through written()."""
    from hwsolver.grading.prepared import prepare
    from hwsolver.solving import solve_paths

    prepared = next(p for p in prepare(solve_paths()) if p.problem.id == "pooling-backprop")
    text = block(random.Random(1), (4, 4), 6)
    calls: list[Node] = []
    monkeypatch.setattr(writing, "written", lambda node: calls.append(node) or written(node))
    node = answer(text, lazy=True)
    result = grader.grade_problem(prepared, {"delta_prev": node, "output": answer("[[1, 2], [3, x]]", lazy=True)})
    by_id = {part.id: part for part in result.parts}
    assert by_id["delta_prev"].answer == as_built(MATRIX, text)[1]
    assert [call.source for call in calls] == [answer("[[1, 2], [3, x]]", lazy=True).source]

"""Reading answers: shapes and names read as what the student meant; an array (or named arrays) the grader has not
seen is read straight from its text when it is plain decimals, and that shortcut reads exactly what the node path
reads, or leaves the answer to it (with its message)."""

from __future__ import annotations

import pytest

from hwsolver.grading import answers, decimal_texts
from hwsolver.grading.answers import InvalidAnswer, read_answer
from hwsolver.grading.formulas import Formulas
from hwsolver.memo import Bounded
from hwsolver.numbers import decimal_value, figures
from hwsolver.spec.node import LATER
from hwsolver.spec.reader import parse_text

MATRIX = ((0.5, 0.5), (0.5, 0.5))
NAMED = {"W1": MATRIX, "W2": ((0.5, 0.5),)}
VECTOR = (0.5,)  # a one-element vector: a scalar stands for it
PAIR = (0.5, 0.5)
ROW = ((0.5, 0.5, 0.5),)  # a 1x3 matrix
WINDOWS = (((1.0, 0.0), (1.0, 3.0)), ((2.0, 1.0), (2.0, 2.0)))  # a [row, column] per window of a 2x2 grid

PLAIN = [
    (MATRIX, "[[1, 2], [3, 4]]"),
    (MATRIX, "[[1e5, -2.5e-3], [+3, .5]]"),
    (MATRIX, "\n      - [1, 2]\n      - [3, 4]"),
    (MATRIX, "\n      - - 1\n        - 2\n      - - 3\n        - 4"),
    (MATRIX, "[[1, 2, 3]]"),
    (MATRIX, "[]"),
    (MATRIX, "[[]]"),
    (NAMED, "{W1: [[1, 2], [3, 4]], W2: [[5, 6]]}"),
    (NAMED, "\n      W2: [[5, 6]]\n      W1:\n        - [1, 2]\n        - [3, 4]"),
    (NAMED, "{W1: [[1, 2], [3, 4]]}"),
    (NAMED, "{W1: [[1, 2], [3, 4]], W2: [[5, 6]], b1: [1, 2]}"),
    (NAMED, "{W1: [[1, 2], [3, 4]], W2: [5, 6]}"),
    (VECTOR, "[0.25]"),
    (VECTOR, "[[0.25]]"),
    (PAIR, "[[1], [2]]"),
    (PAIR, "[[1, 2]]"),
    (ROW, "[1, 2, 3]"),
    (ROW, "[[1], [2], [3]]"),  # one row written as a column
    (NAMED, "{w1: [[1, 2], [3, 4]], W_2: [[5, 6]]}"),
]
OTHER = [
    (MATRIX, "[[1, '2'], [3, 4]]"),  # quoted: text, read by the node path
    (MATRIX, "[[1, 1/4], [3, 4]]"),
    (MATRIX, "[[exp(-1), 2], [3, 4]]"),
    (MATRIX, "[[1, x], [3, 4]]"),
    (MATRIX, "[[1, ], [3, 4]]"),
    (MATRIX, "[[1, null], [3, 4]]"),
    (MATRIX, "[[1, 2], [3]]"),
    (MATRIX, "[[1, 2], {a: 1}]"),
    (MATRIX, "[1, [2, 3]]"),
    (MATRIX, "[[1, 2], [.inf, 4]]"),
    (MATRIX, "[[1, 2], [3, " + "9" * 50 + "]]"),
    (MATRIX, "{W1: 1}"),
    (NAMED, "[[1, 2], [3, 4]]"),
    (NAMED, "{W1: [[1, 2], [3, 4]], W2: {a: 1}}"),
    (NAMED, "{W1: [[1, 2], [3, 4]], W2: [[5, '6']]}"),
    (NAMED, "{W1: [[1, 2], [3, 4]], W2: [[5, 1/2]]}"),
    (VECTOR, "[1/4]"),
    (NAMED, "{W1: [[1, 2], [3, 4]], w1: [[5, 6]]}"),  # two names for one parameter: the node path says so
    (NAMED, "{'W^{(1)}': [[1, 2], [3, 4]], W2: [5, 6]}"),  # a quoted key
]
# A whole file with these is refused; inside an answer left unbuilt they cost that answer, with the reason.
REFUSED = [
    (NAMED, "{W1: [[1, 2], [3, 4]], W1: [[5, 6]]}", "4:34: answers.problem.part.W1: duplicate key 'W1'"),
    (NAMED, "{W1: [[1, 2], [3, 4]], [W2]: [[5, 6]]}", "4:34: answers.problem.part: mapping keys must be plain text"),
]


def read(reference: object, text: str, *, lazy: bool, positions: bool = False) -> tuple[object, bool]:
    """What the part's answer reads as (or its message), and whether its node was left unbuilt."""
    document = f"student: s\nanswers:\n  problem:\n    part: {text}\n"
    root = parse_text(document, "s.yaml", lazy_below=3 if lazy else None)
    node = root.value["answers"].value["problem"].value["part"]
    try:
        value: object = read_answer(node, reference, Formulas(), positions)
    except InvalidAnswer as error:
        value = str(error)
    return value, node.content is LATER


@pytest.mark.parametrize(("reference", "text"), PLAIN + OTHER)
def test_an_unbuilt_answer_reads_as_a_built_one(reference: object, text: str) -> None:
    assert read(reference, text, lazy=True)[0] == read(reference, text, lazy=False)[0]


@pytest.mark.parametrize(("reference", "text"), PLAIN)
def test_plain_decimals_are_read_without_building_nodes(reference: object, text: str) -> None:
    value, unbuilt = read(reference, text, lazy=True)
    assert unbuilt and isinstance(value, tuple | dict)


@pytest.mark.parametrize(("reference", "text"), OTHER)
def test_anything_else_is_left_to_the_node_path(reference: object, text: str) -> None:
    assert not read(reference, text, lazy=True)[1]


@pytest.mark.parametrize(("reference", "text", "message"), REFUSED)
def test_what_a_file_may_not_hold_costs_the_answer_it_is_in(reference: object, text: str, message: str) -> None:
    value, _ = read(reference, text, lazy=True)
    assert value == message


@pytest.mark.parametrize(
    ("reference", "text", "value"),
    [
        (VECTOR, "0.25", (0.25,)),
        (VECTOR, "[[0.25]]", (0.25,)),
        (PAIR, "[[1], [2]]", (1.0, 2.0)),
        (PAIR, "[[1, 2]]", (1.0, 2.0)),
        (PAIR, "[1]", (1.0,)),  # too short: as written, for the checker to say so
        (ROW, "[1, 2, 3]", ((1.0, 2.0, 3.0),)),
        (ROW, "[[1], [2], [3]]", ((1.0, 2.0, 3.0),)),  # one row written as a column: its entries not in doubt
        (MATRIX, "[[1, 3], [2, 4]]", ((1.0, 3.0), (2.0, 4.0))),  # a transposed matrix: never turned around
        (((0.5,),), "0.25", ((0.25,),)),  # a 1x1 matrix as a number
        (MATRIX, "[1, 2, 3, 4]", ((1.0, 2.0), (3.0, 4.0))),  # a matrix's entries in one list: row by row
        (MATRIX, "[1, 2, 3]", (1.0, 2.0, 3.0)),  # too few: as written, for the checker to say so
        (NAMED, "{w1: [[1, 2], [3, 4]], W_2: [5, 6]}", {"W1": ((1.0, 2.0), (3.0, 4.0)), "W2": ((5.0, 6.0),)}),
        (NAMED, "{W1: [[1, 2], [3, 4]], B1: [1]}", {"W1": ((1.0, 2.0), (3.0, 4.0)), "B1": (1.0,)}),
        (NAMED, "{W1: [[1, 2], [3, 4]], W1x: [1]}", {"W1": ((1.0, 2.0), (3.0, 4.0)), "W1x": (1.0,)}),
    ],
)
@pytest.mark.parametrize("lazy", [True, False])
def test_shapes_and_names_read_as_meant(reference: object, text: str, value: object, lazy: bool) -> None:
    found = read(reference, text, lazy=lazy)[0]
    assert found == value
    assert repr(found) == repr(value)  # the same nesting, not only equal numbers


@pytest.mark.parametrize(
    ("text", "positions", "value"),
    [
        ("[[1, 0], [1, 3], [2, 1], [2, 2]]", True, WINDOWS),
        ("[[[1, 0], [1, 3]], [[2, 1], [2, 2]]]", True, WINDOWS),
        ("[[1, 0], [1, 3], [2, 1], [2, 2]]", False, ((1.0, 0.0), (1.0, 3.0), (2.0, 1.0), (2.0, 2.0))),
        ("[1, 0, 1, 3, 2, 1, 2, 2]", True, (1.0, 0.0, 1.0, 3.0, 2.0, 1.0, 2.0, 2.0)),  # no pairs: as written
    ],
)
@pytest.mark.parametrize("lazy", [True, False])
def test_positions_as_pairs_or_per_window(text: str, positions: bool, value: object, lazy: bool) -> None:
    assert read(WINDOWS, text, lazy=lazy, positions=positions)[0] == value


def test_two_names_for_one_parameter_are_invalid() -> None:
    value, _ = read(NAMED, "{W1: [[1, 2], [3, 4]], w1: [[5, 6]]}", lazy=True)
    assert value == "4:11: answers.problem.part: W1 is given twice (as W1 and w1)"


def test_a_decimal_text_is_read_once_and_reads_the_same_again(monkeypatch: pytest.MonkeyPatch) -> None:
    """A class's new arrays repeat numbers written before: each text is parsed once (a count of the parses),
    and a remembered one reads as it did (figures kept: 0.540 is a truncation to 3, a witness read uncached)."""
    parsed: list[str] = []
    real = decimal_texts.is_decimal
    monkeypatch.setattr(decimal_texts, "is_decimal", lambda text: parsed.append(text) or real(text))
    decimal_texts._DECIMALS.clear()
    first = read((1.0, 2.0, 3.0), "\n      - 0.540\n      - 1e-3\n      - x1", lazy=True)[0]
    again = read((1.0, 2.0), "\n      - 1e-3\n      - 0.540", lazy=True)[0]
    assert sorted(parsed) == ["0.540", "1e-3", "x1"]
    assert isinstance(first, str) and again == (1e-3, 0.54)  # x1: no number; the remembered ones read again
    assert figures(again[1]) == 3 == figures(decimal_value("0.540"))


@pytest.mark.parametrize(("reference", "text"), PLAIN + OTHER)
def test_an_answer_of_texts_read_before_reads_as_a_built_one(reference: object, text: str) -> None:
    """Rows whose texts are all remembered are looked up a row at a time: read again (the memo warm), an answer
    reads as the node path reads it, a ragged or mixed one left to it as before."""
    read(reference, text, lazy=True)
    again, unbuilt = read(reference, text, lazy=True)
    built = read(reference, text, lazy=False)[0]
    assert again == built and repr(again) == repr(built)
    assert unbuilt == ((reference, text) in PLAIN)


def test_rows_of_remembered_texts_are_not_parsed_again(monkeypatch: pytest.MonkeyPatch) -> None:
    """A matrix whose every text was read before costs no parse (a count), and its figures are kept."""
    read(MATRIX, "\n      - - 0.540\n        - 2\n      - - 3\n        - 4", lazy=True)
    parsed: list[str] = []
    real = decimal_texts.is_decimal
    monkeypatch.setattr(decimal_texts, "is_decimal", lambda text: parsed.append(text) or real(text))
    again = read(MATRIX, "\n      - - 4\n        - 3\n      - - 2\n        - 0.540", lazy=True)[0]
    assert parsed == [] and again == ((4.0, 3.0), (2.0, 0.54)) and figures(again[1][1]) == 3


def test_the_decimals_memo_stays_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    """A class writing ever new numbers never fills memory: full, the memo starts again with the new text."""
    monkeypatch.setattr(decimal_texts, "_DECIMALS", Bounded(3))
    for n in range(10):
        assert decimal_texts.decimal(f"{n}.5") == n + 0.5
        assert 0 < len(decimal_texts._DECIMALS) <= 3 and f"{n}.5" in decimal_texts._DECIMALS


def test_names_are_matched_once_per_set_of_names(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each variant's reference has the same names: a class's answers' names are matched once per set (a count),
    as matching them anew does (the witness), and two names for one parameter are refused every time."""
    answers._MATCHED.clear()
    matched: list[tuple[str, ...]] = []
    real = answers._match_names
    monkeypatch.setattr(answers, "_match_names", lambda names, ref: matched.append(tuple(names)) or real(names, ref))
    for n in range(3):
        assert read(NAMED, f"{{w1: [[1, 2], [3, {n}]], W_2: [[5, 6]]}}", lazy=True)[0]["W2"] == ((5.0, 6.0),)
        assert answers.match_names({"dW1": 0, "b1": 0}, NAMED) == real({"dW1": 0, "b1": 0}, NAMED)
        value, _ = read(NAMED, "{W1: [[1, 2], [3, 4]], w1: [[5, 6]]}", lazy=True)
        assert value == "4:11: answers.problem.part: W1 is given twice (as W1 and w1)"
    assert matched.count(("w1", "W_2")) == 1 and matched.count(("dW1", "b1")) == 1


def test_rectangular_as_its_level_by_level_form_says() -> None:
    """rectangular: rows of one length at each level, a number first at the bottom; its witness is that rule written
    with any() over each level, over random nestings of vectors, matrices and arrays of pairs, ragged, empty and
    mixed ones among them (those led by a float as well, which it tells at a glance)."""
    import random

    def witness(value: object) -> bool:
        level = [value]
        while type(level[0]) is tuple:
            size = len(level[0])
            if size == 0 or any(type(row) is not tuple or len(row) != size for row in level):
                return False
            level = [item for row in level for item in row]
        return answers.is_number(level[0])

    rng = random.Random(26)

    def nested(depth: int) -> object:
        if depth == 0 or rng.random() < 0.1:
            return rng.choice([1.0, 2, "x", None, (), 0.5])
        width = rng.randint(0, 3)
        if rng.random() < 0.3:
            return tuple(nested(depth - 1) for _ in range(width))
        return tuple([nested(depth - 1)] * width)

    found = set()
    for _ in range(3000):
        value = nested(rng.randint(1, 4))
        first = value[0] if type(value) is tuple and value else None
        assert answers.rectangular(value) == witness(value), value
        found.add((witness(value), type(value) is tuple and type(first) is tuple))
    assert len(found) == 4  # rectangular and not, arrays of rows among both


def test_the_same_shape_is_told_as_shape_of_tells_it() -> None:
    """conform's first test (no answer turned where its shape is the reference's) against shape_of."""
    from hwsolver.spec.node import shape_of

    shapes = [0.5, (), (0.5,), (0.5, 0.25), ((0.5,),), ((0.5, 0.25),), ((0.5,), (0.25,)), (((0.5,),),), ((),), (None,)]
    ragged = [((0.5,), 0.25), (0.5, (0.25,)), ((0.5, 0.25), (1.0,))]
    for value in shapes + ragged:
        for reference in shapes:
            if type(reference) is tuple:
                assert answers._same_shape(value, reference) == (shape_of(value) == shape_of(reference))

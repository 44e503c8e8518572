"""The direct check of the common answers (plain_check.py) against its witness, the general walk (entries.score):
the same share and the same feedback, byte for byte, over answers drawn as a class writes them (right, rounded,
a slip, perturbed, mixed), and the general walk left to every answer it does not cover."""

from __future__ import annotations

import random
from fractions import Fraction
from typing import Any

import pytest

from hwsolver.grading import checkers, entries
from hwsolver.grading.checkers import RIGHT, check
from hwsolver.grading.plain_check import plain_check
from hwsolver.grading.precision import Tolerance
from hwsolver.grading.shares import ONE
from hwsolver.numbers import Written

TOLERANCES = [
    Tolerance(),
    Tolerance(sigfigs=4, base=0),
    Tolerance(partial=False),
    Tolerance.from_options({"rtol": 0.01}),
    Tolerance(sigfigs=2),
]


def _answer(reference: float, rng: random.Random) -> float:
    """One entry as a class writes it: right, rounded, a sign or factor slip, off by a little or a lot."""
    how = rng.randrange(8)
    if how == 0:
        return reference
    if how in (1, 2):
        return float(f"{reference:.{rng.choice((2, 3, 4, 6))}g}")
    if how == 3:
        return -reference
    if how == 4:
        return reference * rng.choice((0.5, 1.5, 2.0))
    if how == 5:
        return reference + rng.choice((0.1, -0.2, 1e-3, 1e-9))
    if how == 6:
        return 0.0
    return float(f"{reference:.{rng.choice((1, 2))}g}")  # too few figures: maybe rounded too coarsely


def _drawn(rng: random.Random) -> tuple[Any, Any]:
    """(answer, reference): a number, a vector, a matrix, or named matrices."""

    def array(rows: int, columns: int) -> tuple[Any, Any]:
        reference = tuple(
            tuple(round(rng.uniform(-2, 2), rng.choice((1, 3, 6))) for _ in range(columns)) for _ in range(rows)
        )
        answer = tuple(tuple(_answer(x, rng) for x in row) for row in reference)
        if rng.random() < 0.1 and rows == columns:
            answer = tuple(zip(*reference))  # its transpose
        return answer, reference

    shape = rng.randrange(4)
    if shape == 0:
        reference = round(rng.uniform(-2, 2), 4)
        return _answer(reference, rng), reference
    if shape == 1:
        answer, reference = array(1, rng.choice((1, 2, 3, 5)))
        return answer[0], reference[0]
    if shape == 2:
        return array(rng.choice((1, 2, 3, 4)), rng.choice((1, 2, 4)))
    named = {name: array(rng.choice((1, 2)), 2) for name in ("W1", "b1", "W2")}
    return {k: a for k, (a, _) in named.items()}, {k: r for k, (_, r) in named.items()}


@pytest.mark.parametrize("tolerance", TOLERANCES)
def test_plain_check_is_the_general_walk(tolerance: Tolerance) -> None:
    rng = random.Random(f"plain {tolerance}")
    covered = wrong = 0
    for _ in range(3000):
        value, reference = _drawn(rng)
        for explain in (True, False):
            plain = plain_check(value, reference, tolerance, explain)
            if plain is None:
                continue
            share, feedback, mistake = entries.score(value, reference, tolerance, None, explain)
            assert mistake is None, (value, reference)
            assert plain == (share, feedback), (value, reference)
            covered += 1
            wrong += share != 1
    assert covered > 2000 and wrong > 1000  # most answers take the direct path, right and wrong alike


def test_answers_it_does_not_cover_are_left_to_the_general_walk() -> None:
    tolerance = Tolerance()
    square = ((0.5, 0.25), (0.125, 0.75))
    left = [
        ((0.5, 0.25), square),  # another shape
        (tuple(zip(*square)), square),  # transposed: a named slip
        (((0.5, 0.3), (0.125, 0.75)), square),  # right on the diagonal: may be the transpose
        ((0.26,), (0.2554,)),  # rounded too coarsely: a named slip
        (0.26, 0.2554),
        ({"W1": (0.5,)}, {"W1": (0.5,), "b1": (0.0,)}),  # a name missing
        ({"W1": (0.5,), "W9": (1.0,)}, {"W1": (0.5,)}),  # an unknown name
        ((0.5,), (float("inf"),)),
        (True, 0.5),
        ((((0.5,),),), (((0.5,),),)),  # three axes
        ((0.5, (0.25,)), (0.5, 0.25)),  # ragged
        ({"a": (0.5,)}, {"a": 0.5}),  # a list where a named number is wanted
    ]
    for value, reference in left:
        assert plain_check(value, reference, tolerance, True) is None, value
    # a Fraction (137/500 as written) is decided alike, by Tolerance.wrong's own test for such entries
    half = ((Fraction(1, 2),), (0.5,))
    assert plain_check(*half, tolerance, True) == entries.score(*half, tolerance)[:2] == (ONE, "")
    positions = Tolerance(positions=True)
    grid = (((1.0, 0.0), (1.0, 3.0)), ((2.0, 1.0), (2.0, 2.0)))
    for value, reference in [
        ((1.0, 2.0), (1.0, 2.0)),  # a single position: entries
        (((1.0, 0.0), (1.0, 3.0), (2.0, 1.0), (2.0, 2.0)), grid),  # the windows in one list: another shape
        ((((1.0, 0.0), (1.0, 3.0)), ((2.0, 1.0), (2.0,))), grid),  # ragged
        ((((1.0, 0.0), (1.0, 3.0)), ((2.0, 1.0), (2.0, Fraction(2)))), grid),  # an exact number
        ((((1.0, 0.0), (1.0, 3.0)), ((2.0, 1.0), (2.0, True))), grid),  # a yes/no
    ]:
        assert plain_check(value, reference, positions, True) is None, value
    assert plain_check(grid, (((1.0, 0.0), (1.0, 3.0)), ((2.0, 1.0), (2.0, float("inf")))), positions, True) is None


def test_a_written_number_is_read_as_its_value() -> None:
    tolerance = Tolerance()
    assert plain_check((Written(0.540, 3),), (0.54068,), tolerance, True) == (ONE, "")  # truncated to 3 figures
    wrong = Written(0.50, 2)
    assert plain_check(wrong, 0.54068, tolerance, True) == entries.score(wrong, 0.54068, tolerance)[:2]
    assert plain_check(wrong, 0.54068, tolerance, True)[0] == 0


def test_check_takes_the_direct_path_for_the_common_shapes(monkeypatch: pytest.MonkeyPatch) -> None:
    """A wrong matrix or named matrices never reach the general walk: its score is not called."""

    def walked(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the general walk was taken")

    monkeypatch.setattr(checkers, "score", walked)
    found = check({"W1": ((0.5, 0.25),), "W2": ((1.5,),)}, {"W1": ((0.5, 0.2),), "W2": ((1.0,),)}, Tolerance())
    assert found.share == Fraction(1, 4)
    assert "2 of 3 entries wrong, counting from 1" in found.feedback
    assert check((0.333,), (1 / 3,), Tolerance()) is RIGHT
    assert check(0.3, 0.25, Tolerance()).share == 0


def test_an_answer_written_as_its_reference_is_right_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Positions (an array of three axes) and lists of arrays too: equal to the reference, right without a walk."""

    def walked(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the general walk was taken")

    monkeypatch.setattr(checkers, "score", walked)
    positions = (((0.0, 1.0), (1.0, 1.0)), ((2.0, 0.0), (3.0, 3.0)))
    assert check(positions, positions, Tolerance(positions=True)) is RIGHT
    layers = ((0.5, 0.25), ((1.0,), (2.0,)))
    assert check(layers, layers, Tolerance()) is RIGHT
    # a yes/no (equal to 1.0) or an infinity among them: the walk decides
    assert not checkers._finite_floats((((0.0, True),),))
    assert not checkers._finite_floats((((0.0, float("inf")),),))
    assert checkers._finite_floats((((0.0, 1.0),),))


def _positions(rng: random.Random) -> tuple[Any, Any]:
    """(answer, reference): [row, column] per window of a grid, or a list of them, written as a class writes them
    (right, counted from 1, row and column swapped, one off, in another window)."""
    grid = rng.choice([(2, 2), (3, 3), (1, 2), (4,)])
    windows = [(float(rng.randrange(4)), float(rng.randrange(4))) for _ in range(grid[0] * (grid[1:] or (1,))[0])]
    written = []
    for row, column in windows:
        how = rng.randrange(6)
        written.append(
            (row, column)
            if how < 2
            else (row + 1, column + 1)
            if how == 2
            else (column, row)
            if how == 3
            else (row, column + rng.choice((1.0, -1.0, 0.5)))
            if how == 4
            else (Written(row, 1), column)
        )

    def shaped(pairs: list[Any]) -> Any:
        if len(grid) == 1:
            return tuple(pairs)
        return tuple(tuple(pairs[k : k + grid[1]]) for k in range(0, len(pairs), grid[1]))

    return shaped(written), shaped(windows)


@pytest.mark.parametrize("tolerance", [Tolerance(positions=True, base=0), Tolerance(positions=True, partial=False)])
def test_positions_are_checked_as_the_general_walk_checks_them(tolerance: Tolerance) -> None:
    """[row, column] positions drawn as a class writes them: the same share and feedback as entries.score."""
    rng = random.Random(f"positions {tolerance}")
    wrong = 0
    for _ in range(2000):
        value, reference = _positions(rng)
        for explain in (True, False):
            plain = plain_check(value, reference, tolerance, explain)
            assert plain is not None, (value, reference)
            share, feedback, mistake = entries.score(value, reference, tolerance, None, explain)
            assert mistake is None and plain == (share, feedback), (value, reference)
            wrong += share != 1
    assert wrong > 1000

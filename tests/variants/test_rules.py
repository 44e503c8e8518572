"""`vary:` rules and SHA-256 draws: exact values, every way a rule can be wrong named where it is written, and
draws that no Python or NumPy random stream touches."""

from __future__ import annotations

import hashlib
import json
import random
from collections import Counter
from fractions import Fraction

import pytest

from hwsolver.errors import SpecError
from hwsolver.spec.problems import problem_from_node
from hwsolver.spec.reader import parse_text
from hwsolver.variants.nodes import find, flow, parse_path
from hwsolver.variants.rules import draw, read_rules, written
from hwsolver.variants.seeds import Draws

PROBLEM = """\
id: tiny
kind: pooling_backprop
title: {en: Tiny}
statement: {en: "Pool $x = {{ input | pmatrix }}$ with $e = {{ upstream[0] | tuple }}$."}
given:
  input: [[1, 3], [4, 2]]
  pool: max
  size: 2
  upstream: [[0.5]]
vary:
  input: {range: [0.1, 0.9], step: 0.1}
  upstream: {range: [1, 3], step: 1, sign: random, exclude: [2]}
parts: [output, delta_prev]
"""


def rules_of(text: str):
    root = parse_text(text, "p.yaml")
    fields = root.mapping()
    return read_rules(fields["vary"], fields["given"]), fields["given"]


def test_the_first_draws_of_a_seed_are_fixed_for_ever() -> None:
    # golden: SHA-256 of the JSON of ["hwsolver-variants-1", salt, student, problem, attempt] and "|0", 8 bytes at
    # a time; a change here changes every lock ever drawn
    draws = Draws("salt", "PB1", "tiny", 0)
    assert [draws.below(10) for _ in range(8)] == [2, 1, 4, 1, 8, 4, 7, 4]
    key = json.dumps(["hwsolver-variants-1", "salt", "PB1", "tiny", 0]).encode()
    word = int.from_bytes(hashlib.sha256(key + b"|0").digest()[:8], "big")
    assert Draws("salt", "PB1", "tiny", 0).below(2**40) == word % 2**40


def test_draws_ignore_the_random_modules_and_differ_by_every_field() -> None:
    random.seed(1)
    first = [Draws("s", "a", "p", 0).below(1000) for _ in range(3)]
    random.seed(2)
    import numpy

    numpy.random.seed(3)
    assert [Draws("s", "a", "p", 0).below(1000) for _ in range(3)] == first
    others = [Draws(*fields).below(2**60) for fields in [("t", "a", "p", 0), ("s", "b", "p", 0), ("s", "a", "q", 0)]]
    assert len({*others, Draws("s", "a", "p", 0).below(2**60)}) == 4
    # fields are kept apart: ("a|b", "c") is not ("a", "b|c")
    assert Draws("a|b", "c", "p", 0).below(2**60) != Draws("a", "b|c", "p", 0).below(2**60)


def test_a_draw_is_uniform_and_counts_its_work() -> None:
    draws = Draws("s", "a", "p", 0)
    counts = Counter(draws.below(3) for _ in range(3000))
    assert set(counts) == {0, 1, 2} and all(900 < n < 1100 for n in counts.values())
    assert draws.used == 3000  # 2^64 // 3 * 3 leaves almost nothing to draw again
    with pytest.raises(ValueError):
        draws.below(0)


def test_drawn_numbers_are_exact_decimals_on_the_grid_as_written() -> None:
    rules, given = rules_of(PROBLEM)
    seen_inputs, seen_upstream = set(), set()
    for attempt in range(300):
        drawn = draw(rules, given, Draws("s", "a", "tiny", attempt))
        for row in find(drawn, ("input",)).value:
            for cell in row.value:
                seen_inputs.add(cell.value)
        seen_upstream.add(find(drawn, ("upstream", 0, 0)).value)
        assert find(drawn, ("pool",)).value == "max"
    assert seen_inputs == {f"0.{d}" for d in range(1, 10)}  # 0.3, never 0.30000000000000004
    assert seen_upstream == {"1", "3", "-1", "-3"}  # 2 excluded, signs drawn
    assert flow(given) == "{input: [[1, 3], [4, 2]], pool: max, size: 2, upstream: [[0.5]]}"  # the original untouched


def test_written_numbers() -> None:
    assert [written(Fraction(n)) for n in ("3/10", "-2", "1/3", "0", "1/8")] == ["0.3", "-2", "1/3", "0", "0.125"]


def test_a_sign_rule_flips_numbers_as_written_and_a_choice_sets_its_companions() -> None:
    text = PROBLEM.replace(
        "vary:\n  input: {range: [0.1, 0.9], step: 0.1}\n"
        "  upstream: {range: [1, 3], step: 1, sign: random, exclude: [2]}",
        "vary:\n  upstream: {sign: random}\n  pool: {choice: [max, average], with: {size: [2, 1]}}",
    )
    rules, given = rules_of(text)
    drawn = {flow(draw(rules, given, Draws("s", "a", "tiny", attempt))) for attempt in range(200)}
    assert drawn == {
        "{input: [[1, 3], [4, 2]], pool: max, size: 2, upstream: [[0.5]]}",
        "{input: [[1, 3], [4, 2]], pool: max, size: 2, upstream: [[-0.5]]}",
        "{input: [[1, 3], [4, 2]], pool: average, size: 1, upstream: [[0.5]]}",
        "{input: [[1, 3], [4, 2]], pool: average, size: 1, upstream: [[-0.5]]}",
    }


def test_paths() -> None:
    assert parse_path("weights.W1[0][1]") == ("weights", "W1", 0, 1)
    assert [parse_path(text) for text in ("[0]", "a..b", "a[x]", ".a", "a b")] == [None] * 5


BAD = [
    (
        "  input: {range: [0.1, 0.9], step: 0.1}",
        "  inputs: {range: [0, 1], step: 1}",
        "p.yaml:11:11: vary.inputs: the given has no inputs",
    ),
    (
        "  input: {range: [0.1, 0.9], step: 0.1}",
        "  input[0][5]: {range: [0, 1], step: 1}",
        "the given has no input[0][5]",
    ),
    ("  input: {range: [0.1, 0.9], step: 0.1}", "  in put: {sign: random}", "'in put' is no path of the given"),
    ("step: 0.1}", "stepp: 0.1}", "p.yaml:11:37: vary.input.stepp: unknown key 'stepp'; did you mean 'step'?"),
    ("{range: [0.1, 0.9], step: 0.1}", "{range: [0.1, 0.9]}", "p.yaml:11:18: vary.input.range: a range needs its step"),
    ("{range: [0.1, 0.9], step: 0.1}", "{range: [0.9, 0.1], step: 0.1}", "expected [low, high] with low <= high"),
    ("{range: [0.1, 0.9], step: 0.1}", "{range: [0.1, 0.9], step: 0}", "vary.input.step: expected a step > 0, got 0"),
    (
        "{range: [0.1, 0.9], step: 0.1}",
        "{range: [0.1, 0.2], step: 0.1, exclude: [0.1, 0.2]}",
        "every value of the range is excluded",
    ),
    ("{range: [0.1, 0.9], step: 0.1}", "{range: [0, 1e15], step: 1e-3}", "the range holds 1000000000000000001 values"),
    ("{range: [0.1, 0.9], step: 0.1}", "{sign: yes}", "expected sign: random"),
    ("{range: [0.1, 0.9], step: 0.1}", "{step: 0.1}", "expected range (with step), choice, or sign"),
    ("{range: [0.1, 0.9], step: 0.1}", "{choice: [[[1, 2], [3, 4]]]}", "a choice lists at least 2 values"),
    ("{range: [0.1, 0.9], step: 0.1}", "{choice: [1, 2], step: 1}", "a choice takes no 'step'"),
    ("{range: [0.1, 0.9], step: 0.1}", "{choice: [1, 2], show: [a]}", "expected one text per choice (2), got 1"),
    ("{range: [0.1, 0.9], step: 0.1}", "{range: [0, 1], step: 1, show: [a]}", "'show' belongs to a choice"),
    (
        "{range: [1, 3], step: 1, sign: random, exclude: [2]}",
        "{choice: [[[1]], [[2]]], with: {stride: [1, 2]}}",
        "the given has no stride",
    ),
    (
        "  upstream: {range: [1, 3], step: 1, sign: random, exclude: [2]}",
        "  input[0]: {sign: random}",
        "p.yaml:12:13: vary.input[0]: input[0][0] is varied by the rule for input already",
    ),
    (
        "  upstream: {range: [1, 3], step: 1, sign: random, exclude: [2]}",
        "  pool: {range: [1, 3], step: 1}",
        "pool holds no number to vary",
    ),
]


@pytest.mark.parametrize(("old", "new", "message"), BAD)
def test_every_mistake_in_a_rule_is_named_where_it_is_written(old: str, new: str, message: str) -> None:
    assert old in PROBLEM
    with pytest.raises(SpecError) as error:
        problem_from_node(parse_text(PROBLEM.replace(old, new, 1), "p.yaml"))
    assert message in str(error.value)
    assert str(error.value).startswith("p.yaml:")

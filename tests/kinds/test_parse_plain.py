"""A kind's parse_plain (a lock's entry read straight into the kind's input) against its parse_given, as
ProblemVariants.build_written against build: the same problem for every drawn entry; for an entry edited at random,
the same problem or None (parse_given's turn), never a given parse_given refuses or reads otherwise."""

from __future__ import annotations

import random
import re

import pytest

from hwsolver.errors import SpecError
from hwsolver.kinds import KINDS
from hwsolver.model import Problem
from hwsolver.spec.plainflow import PlainFlow
from hwsolver.spec.sets import load_set
from hwsolver.variants.drawing import ProblemVariants
from tests.spec.test_plainflow import DRAWN, by_yaml, drawn_texts


def maker_of(problem: str) -> ProblemVariants:
    return next(ProblemVariants(e) for e in load_set().entries if e.problem.id == problem)


def by_build(maker: ProblemVariants, text: str) -> Problem | None:
    """What the general path makes of the entry: build on the YAML reader's tree (None where it refuses it)."""
    try:
        return maker.build(by_yaml(text), texts=("title",))
    except SpecError:
        return None


def test_the_kinds_with_drawn_numbers_read_their_entries_directly() -> None:
    assert {name for name, kind in KINDS.items() if kind.parse_plain} == {
        "mlp_backprop",
        "conv_backprop",
        "pooling_backprop",
    }


@pytest.mark.parametrize("problem", DRAWN)
def test_every_drawn_entry_is_built_as_build_builds_it(problem: str) -> None:
    maker = maker_of(problem)
    for text in drawn_texts(problem, 300):
        direct = maker.build_written(text)
        assert direct is not None  # the whole class goes the direct way
        assert direct == by_build(maker, text)
        general = KINDS[direct.kind].parse_given(by_yaml(text))
        assert direct.given == general and repr(direct.given) == repr(general)  # (repr: Fraction 1/2 is no 0.5)


# Edits of an entry: a number or word replaced, an item or a key dropped, a key added
_TOKEN = re.compile(r"(?<=[\[ ])(-?[0-9.]+|[A-Za-z_]\w*)(?=[,\]}])")
_ITEM = re.compile(r", -?[0-9.]+(?=[,\]])|, \[[^\[\]]*\](?=[,\]])")
_KEY = re.compile(r"(?<=[{ ])[A-Za-z_]\w*: (?:-?[0-9.]+|[A-Za-z_]\w*|\[[^{}]*?\]\]?|\{[^{}]*\})(?:, |(?=\}$))")
_REPLACEMENTS = [
    *("0", "-1", "1", "2", "3", "5", "0.25", "1.5", "-0.5", "10", "1.0", "007", "1e-3", "1/4", "abc", "null"),
    *("relu", "sigmoid", "softmax", "tanh", "linear", "max", "average", "half_squared_error", "[1, 2]", "[[1]]"),
]
_ADDED = [
    *("stride: 1", "stride: 2", "stride: 0", "padding: 1", "padding: 0", "padding: -1", "bias: 0.5", "bias: [1]"),
    *("layers: [2, 2, 1]", "layers: [2, 3, 1]", "layers: [2, 1]", "biases: {b1: [0, 0], b2: [0]}", "steps: 2"),
    *("weight_decay: 0.1", "frozen: [W1]", "batch_size: 1", "size: 3", "kernel: [[1]]", "x: [0.1]", "zz: 1"),
]


def edited(text: str, rng: random.Random) -> str:
    how = rng.randrange(4)
    spans = [m.span() for m in (_TOKEN, _ITEM, _KEY)[min(how, 2)].finditer(text)]
    if how == 3 or not spans:
        return text[:-1] + ", " + rng.choice(_ADDED) + "}"
    start, end = rng.choice(spans)
    return text[:start] + (rng.choice(_REPLACEMENTS) if how == 0 else "") + text[end:]


@pytest.mark.parametrize("problem", DRAWN)
def test_an_edited_entry_is_built_as_build_builds_it_or_left_to_build(problem: str) -> None:
    maker, rng = maker_of(problem), random.Random(problem)
    outcomes = {"direct": 0, "refused by both": 0, "left to build": 0}
    for drawn in drawn_texts(problem, 100):
        for _ in range(10):
            text = edited(drawn, rng)
            text = edited(text, rng) if rng.random() < 0.3 else text
            direct, general = maker.build_written(text), by_build(maker, text)
            if direct is not None:
                assert direct == general, text  # never a given build refuses, or reads otherwise
                outcomes["direct"] += 1
            else:
                outcomes["refused by both" if general is None else "left to build"] += 1
    assert min(outcomes.values()) > 20, outcomes  # every way is taken, many times


def test_a_problem_whose_title_shows_a_given_value_is_built_by_build() -> None:
    maker = maker_of("pooling-backprop")
    text = drawn_texts("pooling-backprop", 1)[0]
    assert maker.build_written(text) is not None
    maker.texts["title"] = maker.texts["statement"]  # (a title that refers to the given, as statements do)
    assert maker.build_written(text) is None


RELU = (
    "{layers: [2, 2, 1], weights: {W1: [[0.4, -0.2], [0.8, 0.8]], W2: [[0.7, 0.5]]}, activation: relu, x: [0.2, 0.7], "
    "target: 0.5, loss: half_squared_error, learning_rate: 1}"
)
CONV = (
    "{z_prev: [[-0.3, 0.4, 0.1, -0.2], [-0.6, 0.2, 0.6, -0.4], [0.6, -0.2, 0.5, -0.6], [0.1, 0.3, -0.2, 0.5]], "
    "activation: relu, kernel: [[-1, 0.5], [0.5, 1]], upstream: [[-0.2, 0.2, 0.1], [0.1, -0.1, 0.1], [-0.2, 0.3, 0.3]]}"
)
POOL = (
    "{input: [[2, 4, 5, 3], [6, 3, 2, 4], [7, 0, 4, 3], [2, 3, 1, 1]], pool: max, size: 2, "
    "upstream: [[1.25, 0.75], [0.5, 1.75]]}"
)
_W2_TWO_ROWS = ("W2: [[0.7, 0.5]]", "W2: [[0.7, 0.5], [0.1, 0.2]]")
_UP_1x1 = ("upstream: [[-0.2, 0.2, 0.1], [0.1, -0.1, 0.1], [-0.2, 0.3, 0.3]]", "upstream: [[0.1]]")
_UP_1x1_POOL = ("upstream: [[1.25, 0.75], [0.5, 1.75]]", "upstream: [[1]]")


# Each of parse_given's checks on the common shape, met by an edit: (problem, its entry, the edits, the way taken:
# parse_plain's, refused by both, or left to parse_given)
@pytest.mark.parametrize(
    ("problem", "text", "edits", "way"),
    [
        ("relu-network-update", RELU, [], "direct"),
        ("relu-network-update", RELU, [("learning_rate: 1", "learning_rate: 0.5")], "direct"),
        ("relu-network-update", RELU, [("learning_rate: 1", "learning_rate: 0")], "refused"),
        ("relu-network-update", RELU, [("learning_rate: 1", "learning_rate: -0.5")], "refused"),
        ("relu-network-update", RELU, [("learning_rate: 1", "learning_rate: fast")], "refused"),
        ("relu-network-update", RELU, [("relu", "sigmoid")], "direct"),
        ("relu-network-update", RELU, [("relu", "softmax")], "refused"),
        ("relu-network-update", RELU, [("relu", "relu6")], "refused"),
        ("relu-network-update", RELU, [("relu", "0.5")], "refused"),
        ("relu-network-update", RELU, [("half_squared_error", "mean_squared_error")], "direct"),
        ("relu-network-update", RELU, [("half_squared_error", "relu")], "refused"),
        ("relu-network-update", RELU, [("layers: [2, 2, 1], ", "")], "direct"),
        ("relu-network-update", RELU, [("layers: [2, 2, 1]", "layers: [3, 2, 1]")], "refused"),
        ("relu-network-update", RELU, [("layers: [2, 2, 1]", "layers: [2, 3, 1]")], "refused"),
        ("relu-network-update", RELU, [("layers: [2, 2, 1]", "layers: [2, 2]")], "refused"),
        ("relu-network-update", RELU, [("layers: [2, 2, 1]", "layers: [2, 2, 1, 1]")], "refused"),
        ("relu-network-update", RELU, [("layers: [2, 2, 1]", "layers: [2, 2.5, 1]")], "refused"),
        ("relu-network-update", RELU, [("layers: [2, 2, 1]", "layers: [2, 0, 1]")], "refused"),
        ("relu-network-update", RELU, [("layers: [2, 2, 1]", "layers: [2]")], "refused"),
        ("relu-network-update", RELU, [("layers: [2, 2, 1]", "layers: [2.0, 2, 1]")], "direct"),
        ("relu-network-update", RELU, [_W2_TWO_ROWS, ("[2, 2, 1]", "[2, 2, 2]"), ("0.5,", "[0.5, 0.1],")], "direct"),
        ("relu-network-update", RELU, [_W2_TWO_ROWS, ("layers: [2, 2, 1], ", ""), ("0.5,", "[0.5, 0.1],")], "direct"),
        ("relu-network-update", RELU, [_W2_TWO_ROWS, ("layers: [2, 2, 1], ", "")], "refused"),
        ("relu-network-update", RELU, [_W2_TWO_ROWS, ("[2, 2, 1]", "[2, 2, 2]")], "refused"),
        ("relu-network-update", RELU, [("W2: [[0.7, 0.5]]", "W2: [[0.7, 0.5, 0.1]]")], "refused"),
        ("relu-network-update", RELU, [("[0.8, 0.8]]", "[0.8]]")], "refused"),
        ("relu-network-update", RELU, [("[[0.4, -0.2], [0.8, 0.8]]", "[[0.4, -0.2]]")], "refused"),
        ("relu-network-update", RELU, [("W2:", "W3:")], "refused"),
        (
            "relu-network-update",
            RELU,
            [("{W1: [[0.4, -0.2], [0.8, 0.8]], W2: [[0.7, 0.5]]}", "[[0.4, -0.2]]")],
            "refused",
        ),
        ("relu-network-update", RELU, [("W1: [[0.4, -0.2], [0.8, 0.8]], ", "")], "refused"),
        ("relu-network-update", RELU, [("[[0.7, 0.5]]}", "[[0.7, 0.5]], W3: [[1]]}")], "refused"),
        ("relu-network-update", RELU, [("target: 0.5", "target: [0.5]")], "direct"),
        ("relu-network-update", RELU, [("target: 0.5", "target: [0.5, 0.1]")], "refused"),
        ("relu-network-update", RELU, [("target: 0.5", "target: relu")], "refused"),
        ("relu-network-update", RELU, [("x: [0.2, 0.7]", "x: [0.2, 0.7, 0.1]")], "refused"),
        ("relu-network-update", RELU, [("x: [0.2, 0.7], ", "")], "refused"),
        (
            "relu-network-update",
            RELU,
            [("x: [0.2, 0.7]", "x: [[0.2, 0.7], [0.1, 0.1]]"), ("0.5,", "[0.5, 0.1],")],
            "left",
        ),
        ("relu-network-update", RELU, [("activation: relu", "activation: [relu, sigmoid]")], "left"),
        # an activation or loss written as a mapping: no name a dict of them could look up (a TypeError there)
        ("relu-network-update", RELU, [("activation: relu", "activation: {name: leaky_relu, slope: 0.1}")], "left"),
        ("relu-network-update", RELU, [("loss: half_squared_error", "loss: {a: 1}")], "refused"),
        ("relu-network-update", RELU, [("learning_rate: 1}", "learning_rate: 1, steps: 2}")], "left"),
        ("relu-network-update", RELU, [("learning_rate: 1}", "learning_rate: 1, weight_decay: 0.1}")], "left"),
        (
            "relu-network-update",
            RELU,
            [("learning_rate: 1}", "learning_rate: 1, biases: {b1: [0, 0], b2: [0]}}")],
            "left",
        ),
        ("relu-network-update", RELU, [("learning_rate: 1}", "learning_rate: 1, learning: 1}")], "refused"),
        ("conv-backprop", CONV, [], "direct"),
        ("conv-backprop", CONV, [("relu", "tanh")], "direct"),
        ("conv-backprop", CONV, [("relu", "softmax")], "refused"),
        ("conv-backprop", CONV, [("relu", "[relu]")], "refused"),
        ("conv-backprop", CONV, [("upstream", "bias: 0.5, upstream")], "direct"),
        ("conv-backprop", CONV, [("upstream", "bias: [0.5], upstream")], "refused"),
        ("conv-backprop", CONV, [("upstream", "bias: relu, upstream")], "refused"),
        ("conv-backprop", CONV, [("upstream", "stride: 2, upstream"), _UP_1x1], "refused"),
        (
            "conv-backprop",
            CONV,
            [("upstream", "stride: 3, upstream"), ("[[-0.2, 0.2, 0.1], [0.1", "[[-0.2, 0.2], [0.1")],
            "refused",
        ),
        (
            "conv-backprop",
            CONV,
            [
                ("upstream", "stride: 2, upstream"),
                ("[0.1, -0.1, 0.1], ", ""),
                ("0.1], [-0.2", "0.1], [-0.2, 0.3], [-0.2"),
            ],
            "refused",
        ),
        ("conv-backprop", CONV, [("upstream", "stride: 0, upstream")], "refused"),
        ("conv-backprop", CONV, [("upstream", "stride: 1.5, upstream")], "refused"),
        ("conv-backprop", CONV, [("upstream", "padding: 0, upstream")], "direct"),
        ("conv-backprop", CONV, [("upstream", "padding: -1, upstream"), _UP_1x1], "refused"),
        ("conv-backprop", CONV, [("upstream", "padding: 0.5, upstream")], "refused"),
        (
            "conv-backprop",
            CONV,
            [("kernel: [[-1, 0.5], [0.5, 1]]", "kernel: [[-1], [0.5]]")],
            "refused",
        ),
        (
            "conv-backprop",
            CONV,
            [
                (
                    "kernel: [[-1, 0.5], [0.5, 1]]",
                    "kernel: [[1, 1, 1, 1, 1], [1, 1, 1, 1, 1], [1, 1, 1, 1, 1], [1, 1, 1, 1, 1], [1, 1, 1, 1, 1]]",
                ),
                _UP_1x1,
            ],
            "refused",
        ),
        (
            "conv-backprop",
            CONV,
            [
                (
                    "kernel: [[-1, 0.5], [0.5, 1]]",
                    "kernel: [[1, 1, 1, 1, 1], [1, 1, 1, 1, 1], [1, 1, 1, 1, 1], [1, 1, 1, 1, 1], [1, 1, 1, 1, 1]]",
                ),
                ("upstream", "padding: 1, upstream"),
                ("[[-0.2, 0.2, 0.1], [0.1, -0.1, 0.1], [-0.2, 0.3, 0.3]]", "[[1, 2], [3, 4]]"),
            ],
            "direct",
        ),
        ("conv-backprop", CONV, [("[0.1, 0.3, -0.2, 0.5]", "[0.1, 0.3, -0.2]")], "refused"),
        ("conv-backprop", CONV, [("[-0.2, 0.3, 0.3]", "[-0.2, 0.3]")], "refused"),
        ("conv-backprop", CONV, [("z_prev", "z_previous")], "refused"),
        ("conv-backprop", CONV, [("z_prev: [[", "z_prev: [[["), ("0.5]], activation", "0.5]]], activation")], "left"),
        ("pooling-backprop", POOL, [], "direct"),
        ("pooling-backprop", POOL, [("max", "average")], "direct"),
        ("pooling-backprop", POOL, [("max", "min")], "refused"),
        ("pooling-backprop", POOL, [("max", "[max]")], "refused"),
        ("pooling-backprop", POOL, [("size: 2", "size: 2.0")], "direct"),
        ("pooling-backprop", POOL, [("size: 2", "size: 0"), _UP_1x1_POOL], "refused"),
        ("pooling-backprop", POOL, [("size: 2", "size: 1.5"), _UP_1x1_POOL], "refused"),
        ("pooling-backprop", POOL, [("size: 2", "size: 5"), _UP_1x1_POOL], "refused"),
        ("pooling-backprop", POOL, [("size: 2", "size: 4"), _UP_1x1_POOL], "direct"),
        (
            "pooling-backprop",
            POOL,
            [("size: 2", "size: 2, stride: 1"), ("[0.5, 1.75]]", "[0.5, 1.75, 1], [1, 1, 1]]"), ("0.75]", "0.75, 1]")],
            "direct",
        ),
        ("pooling-backprop", POOL, [("size: 2", "size: 2, stride: 0")], "refused"),
        ("pooling-backprop", POOL, [("size: 2", "size: 2, stride: 1")], "refused"),
        ("pooling-backprop", POOL, [("size: 2", "size: 2, padding: 1")], "refused"),
        ("pooling-backprop", POOL, [("[2, 3, 1, 1]", "[2, 3, 1]")], "refused"),
        ("pooling-backprop", POOL, [("[0.5, 1.75]", "[0.5]")], "refused"),
        ("pooling-backprop", POOL, [("size: 2, ", "")], "refused"),
    ],
)
def test_each_check_of_parse_given_is_made_by_parse_plain(
    problem: str, text: str, edits: list[tuple[str, str]], way: str
) -> None:
    kind = KINDS[maker_of(problem).entry.problem.kind]
    for old, new in edits:
        assert old in text
        text = text.replace(old, new, 1)
    values = PlainFlow().values(text)
    direct = None if values is None else kind.parse_plain(values)  # type: ignore[misc]
    try:
        general = kind.parse_given(by_yaml(text))
    except SpecError:
        general = None
    assert direct is None or direct == general
    assert way == ("direct" if direct is not None else "refused" if general is None else "left")

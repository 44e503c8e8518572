"""An answer as written, on one line (the grading JSON's `answer`): it reads back as the same answer, shows nothing
invisible, and a block collection becomes flow style."""

from __future__ import annotations

import json
import random

import pytest

from hwsolver.grading.display import shown
from hwsolver.grading.written import LIMIT, is_whole, written
from hwsolver.spec.node import Node
from hwsolver.spec.reader import parse_text


def values(node: Node):
    """What a node says: its texts (nulls as one value), nested as written."""
    if isinstance(node.value, str):
        return None if node.is_null and node.plain else node.value
    if isinstance(node.value, tuple):
        return tuple(values(item) for item in node.value)
    return {key: values(item) for key, item in node.value.items()}


def answer(document: str, lazy: bool = False) -> Node:
    return parse_text(document, lazy_below=1 if lazy else None).mapping()["a"]


@pytest.mark.parametrize(
    ("document", "line"),
    [
        ("a: 0.274\n", "0.274"),
        ("a: -1/3\n", "-1/3"),
        ("a:\n  W1: [[0.6, 0.2],\n       [0.1, 0.7]]\n  w2: [0.5]\n", "{W1: [[0.6, 0.2], [0.1, 0.7]], w2: [0.5]}"),
        ("a:\n  - 1\n  -\n  - [2, 3]\n", "[1, null, [2, 3]]"),
        ("a: σ(x)(1 - σ(x))\n", "σ(x)(1 - σ(x))"),
        ("a: 'yes'\n", '"yes"'),  # quoted: text, not a boolean
        ("a: Sum(x[j], (j, 1, C))\n", '"Sum(x[j], (j, 1, C))"'),  # flow indicators
        ("a: σ''(x) = σ(1-σ) # note\n", "σ''(x) = σ(1-σ)"),  # the comment is no part of it
        ('a: "\\x1b[2J\\u202e\\n\\\\frac"\n', '"\\x1b[2J\\u202e\\n\\\\frac"'),  # escaped as display.shown shows them
        ("a: $\\frac{1}{2}$\n", '"$\\\\frac{1}{2}$"'),
    ],
)
def test_one_line_that_reads_back(document: str, line: str) -> None:
    for lazy in (False, True):
        node = answer(document, lazy)
        assert written(node) == line
        assert values(answer(f"a: {line}\n")) == values(answer(document))
        assert shown(line) == line


def test_any_text_reads_back_as_written() -> None:
    """Random texts of YAML's indicators, quotes, escapes and invisible characters, written plain (where they
    read), in a block collection and double-quoted: the line reads back as the same values."""
    alphabet = [*"ab01.-+:#,[]{}?!&*|>'\"%@` \\/()σ^_$=", "\n", ": ", " #", "\t", "\x1b", "\u200b", "\u202e"]
    alphabet += ["\U0001f600", "\x85", "\ufeff", "\x7f", "\u2028"]
    rng = random.Random(17)
    checked = 0
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 8)))
        for document in (f"a: {json.dumps(text)}\n", f"a:\n  k: {text}\n  l: [{text}]\n", f"a: {text}\n"):
            try:
                node = answer(document)
            except Exception:
                continue  # not YAML as written: nothing to write back
            line = written(node)
            assert line.isprintable() and values(answer(f"a: {line}\n")) == values(node), (document, line)
            checked += 1
    assert checked > 4000


def test_too_long_is_shortened_and_not_whole() -> None:
    node = answer("a: [" + ", ".join(["0.123456"] * 1000) + "]\n")
    line = written(node)
    assert len(line) == LIMIT and line.endswith("...") and not is_whole(line)
    assert is_whole(written(answer("a: [1, 2]\n")))


def test_the_plain_texts_memo_stays_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    """Ever new numbers never fill memory: full, the memo of plain texts starts again with the new one."""
    from hwsolver.grading import written as writing
    from hwsolver.memo import Bounded

    monkeypatch.setattr(writing, "_PLAIN", Bounded(3))
    for n in range(10):
        assert writing._plain(f"{n}.5") == f"{n}.5"
        assert 0 < len(writing._PLAIN) <= 3 and f"{n}.5" in writing._PLAIN
    assert writing._plain("a: b") == '"a: b"'


@pytest.mark.parametrize(
    "document",
    [
        "a:\n  - - 0.5\n    - -0.25\n  - - 1e-3\n    - 0.540\n",
        "a:\n  - 1\n  - [2, 3]\n",
        "a:\n  - 1\n  - {b: 2}\n",
        "a:\n  - 1\n  - 'x: y'\n",
        "a:\n  W1:\n  - - 0.5\n    - 2\n  b1: [1, 2]\n",
    ],
)
def test_rows_written_before_are_written_alike(document: str) -> None:
    """A row whose texts were all written before is looked up a row at a time: the same line as the built node's,
    however many times, a row holding a list, a mapping or quoted text included."""
    built = written(answer(document))
    assert [written(answer(document, lazy=True)) for _ in range(3)] == [built] * 3
    assert values(answer(f"a: {built}\n")) == values(answer(document))

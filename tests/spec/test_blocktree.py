"""A student's file read line by line (blocktree.py) against the event reader and libyaml's composer: the same tree
node for node, or it leaves the text to them; a class's file is read without YAML, each answer's block once."""

from __future__ import annotations

import random
import sys
from pathlib import Path
from typing import Any

import pytest

from hwsolver.errors import SpecError
from hwsolver.memo import Bounded
from hwsolver.spec import blockread, reader
from hwsolver.spec.blocktree import read_tree
from hwsolver.spec.composed import composed
from hwsolver.spec.later import plain_later
from hwsolver.spec.node import LATER

sys.path.insert(0, str(Path(__file__).parent))
from trees import tree

# As a generated class writes a file (block style, a folded formula, an empty quoted answer, Greek letters).
CLASS_FILE = """\
student: PB21000000
answers:
  relu-network-update:
    output_before:
    - 0.36
    loss_before: 0.0098
    gradients:
      W1:
      - - 0.0
        - 0.0
      - - -0.014
        - -0.049
      W2:
      - - 0.0
        - -0.101
    loss_decreased: true
  sigmoid-derivatives:
    d1: σ(x)(1-σ(x))
    d2: sigmoid(x)*(1 - sigmoid(x))
  log-softmax-gradient:
    gradient: KroneckerDelta(i, k) - softmax(x)[k] + 1
  mlp-op-count:
    forward_adds_per_layer: $n^{2}$
  conv-backprop:
    recursion: fprime(z[i, j]) * Sum(Sum(w[u, v]*e[i - u, j - v], (v, 0, K - 1)),
      (u, 0, K - 1))
    output: ''
    grad_kernel:
    - - 0.16
      - 0.05
    - - 0.28
      - 0.12
submitted: 2026-05-01T10:00:00+08:00
"""
TAKEN = {
    "a class's file": CLASS_FILE,
    "without the last line break": CLASS_FILE.rstrip("\n"),
    "a more indented block": "student: a\nanswers:\n  p:\n    q:\n        - 1\n        - 2\n    r: 3\n",
    "matrices by name last": "student: a\nanswers:\n  p:\n    g:\n      W1:\n      - - 1\n      W2:\n      - - 2\n",
    "a scalar folded over lines": "student: a\nanswers:\n  p:\n    q: a +\n      b\n        + c\n    r: d\n",
    "a placed piece": "  a: 1\n  b:\n    c: 2\n",
}
LEFT = {
    "a comment": "student: a # me\n",
    "a blank line": "student: a\n\nanswers:\n  p:\n    q: 1\n",
    "a line of spaces": "student: a\n   \nanswers:\n  p:\n    q: 1\n",
    "a tab": "student: a\nanswers:\n  p:\n\tq: 1\n",
    "line breaks of Windows": "student: a\r\nanswers:\r\n  p:\r\n    q: 1\r\n",
    "a duplicate key": "student: a\nstudent: b\n",
    "an empty value": "student:\nanswers:\n  p:\n    q: 1\n",
    "an empty answer": "student: a\nanswers:\n  p:\n    q:\n",
    "a flow list": "student: a\nanswers:\n  p:\n    q: [1, 2]\n",
    "a sequence above the answers": "student: a\nanswers:\n- 1\n",
    "a mapping value on the key's line": "student: a\nanswers: b: c\n",
    "a value ending in a colon": "student: a:\n",
    "two spaces after a colon": "student:  a\n",
    "an anchor": "student: &a b\n",
    "a double-quoted value": 'student: "a"\n',
    "a quote inside single quotes": "student: 'it''s'\n",
    "a block scalar": "student: a\nanswers:\n  p:\n    q: |\n      text\n",
    "a word in a matrix": "student: a\nanswers:\n  p:\n    q:\n    - - x\n",
    "a folded line that could be an item": "student: a\nanswers:\n  p:\n    q: a\n      - b\n",
    "a line less indented than its mapping": "student: a\nanswers:\n  p:\n    q: 1\n   r: 2\n",
    "a byte-order mark": "\ufeffstudent: a\n",
    "a line separator": "student: a\u2028b\n",
    "empty": "",
}


def by_events(text: str, monkeypatch: pytest.MonkeyPatch, lazy_below: int = 3, **place: Any) -> Any:
    """The event reader's tree (answers left unbuilt), or its message."""
    with monkeypatch.context() as patch:
        patch.setattr(reader, "read_tree", lambda *args: None)
        patch.setattr(reader, "composed", lambda *args: None)
        try:
            return tree(reader.parse_text(text, "s.yaml", lazy_below=lazy_below, **place))
        except SpecError as error:
            return str(error)


@pytest.mark.parametrize("lazy_below", [1, 2, 3])
@pytest.mark.parametrize("name", TAKEN)
def test_a_class_file_is_read_as_the_event_reader_and_libyaml_read_it(name: str, lazy_below: int, monkeypatch) -> None:
    text = TAKEN[name]
    place = {"base": "answers", "step": "p", "first_line": 7} if name == "a placed piece" else {}
    fast = read_tree(text, "s.yaml", lazy_below, place.get("base", ""), place.get("step"), place.get("first_line", 1))
    if lazy_below < 3 and fast is None:
        return  # (a block above the answers' depth may be outside what blockread.py reads)
    assert fast is not None, "left to libyaml"
    assert tree(fast) == by_events(text, monkeypatch, lazy_below, **place)
    if not place:
        assert tree(fast) == tree(composed(text, "s.yaml", lazy_below, "", None, 1, reader.MAX_DEPTH))


@pytest.mark.parametrize("name", LEFT)
def test_what_is_outside_the_subset_is_left_to_libyaml_and_the_event_reader(name: str, monkeypatch) -> None:
    text = LEFT[name]
    assert read_tree(text, "s.yaml", 3, "", None, 1) is None
    try:
        got = tree(reader.parse_text(text, "s.yaml", lazy_below=3))
    except SpecError as error:
        got = str(error)
    assert got == by_events(text, monkeypatch)


def test_a_class_file_with_a_letter_changed_is_read_alike_or_left(monkeypatch) -> None:
    """Each of 600 copies with one character inserted, removed or replaced (a space, a colon, a dash, a quote, a
    line break, ...) is read as the event reader reads it, or left to it (and then, if YAML, to libyaml)."""
    rng, taken = random.Random(14), 0
    for _ in range(600):
        text, at = CLASS_FILE, rng.randrange(len(CLASS_FILE))
        char = rng.choice(" :-#'\"\n[]{}&!|>?,x0.σ\t")
        text = rng.choice([text[:at] + char + text[at:], text[:at] + text[at + 1 :], text[:at] + char + text[at + 1 :]])
        fast = read_tree(text, "s.yaml", 3, "", None, 1)
        if fast is not None:
            taken += 1
            assert tree(fast) == by_events(text, monkeypatch), text
    assert taken > 100


def test_a_class_file_is_read_without_yaml_and_each_answer_block_built_once(monkeypatch) -> None:
    def refused(*args: Any) -> None:
        raise AssertionError("libyaml asked")

    monkeypatch.setattr(reader, "composed", refused)
    monkeypatch.setattr(blockread, "_RECENT", Bounded(64))  # (blocks read by other tests)
    built = blockread.BUILT[0]
    root = reader.parse_text(CLASS_FILE.replace("0.36", "0.37"), "s.yaml", lazy_below=3)
    blocks = [
        node
        for problem in root.mapping()["answers"].mapping().values()
        for node in problem.mapping().values()
        if node.content is LATER
    ]
    assert len(blocks) == 3 and blockread.BUILT[0] == built + 3  # checked when read
    assert plain_later(blocks[0]) == ("0.37",)
    assert [plain_later(node) is not None for node in blocks] == [True] * 3
    assert blockread.BUILT[0] == built + 3  # the grader's reading: the same texts, not built again

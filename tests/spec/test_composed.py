"""The reader's fast path (libyaml composing in C) against the event reader: the same tree node for node, or it
leaves the text to the event reader (which refuses tags, anchors, aliases, duplicate keys, deep nesting)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

from hwsolver.errors import SpecError
from hwsolver.spec import reader
from hwsolver.spec.composed import composed

sys.path.insert(0, str(Path(__file__).parent))
from trees import tree

ROOT = Path(__file__).resolve().parents[2]
SUBMISSION = """\
student: PB21000001
name: 张三
answers:
  sigmoid-derivatives:
    d1: '$\\sigma(x)\\!\\left(1 - \\sigma(x)\\right)$'
    d2: sigmoid(x)*(1 - sigmoid(x))
  relu-network-update:
    output_before: [0.274]
    params_after:
      W1:
      - - 0.6226
        - 0.2339
      - [0.13616, 0.75424]
    loss_decreased: yes
    note: |
      a block
      of text
"""
# What the fast path must leave to the event reader, each for its own message.
REFUSED = {
    "tag in a flow key's value": '{"a":!!str b}\n',
    "tag on a list item": "- !x 1\n",
    "tag in a flow list": "[!x 1]\n",
    "tag first": "!x a\n",
    "tag directive": "%TAG ! tag:x,2000:\n--- !a x\n",
    "non-specific tag": "a: ! b\n",
    "tag in an unbuilt answer": "student: a\nanswers:\n  p:\n    q: [[1, !!int 2]]\n",
    "tag after a line break YAML 1.1 knows": "a:\u2028!x b\n",
    "anchor and alias": "a: &x 1\nb: *x\n",
    "alias without anchor": "a: *x\n",
    "duplicate key": "a: 1\na: 2\n",
    "collection as key": "? [1, 2]\n: 3\n",
    "two documents": "a: 1\n---\nb: 2\n",
    "empty": "",
    "syntax error": "student: [\n",
    "tab": "a:\n\tb: 1\n",
    "33 levels": "[" * 33 + "]" * 33,
    "33 levels in an unbuilt answer": "student: a\nanswers:\n  p:\n    q: " + "[" * 30 + "]" * 30 + "\n",
    "deeper than libyaml goes": "[" * 100_000 + "]" * 100_000,
}
TAKEN = {
    "a submission": SUBMISSION,
    "LaTeX's \\! and a quoted !": "a: $f'\\!(x)$\nb: 'x!'\nc: y!\n",
    "32 levels": "[" * 32 + "]" * 32,
    "32 levels in an unbuilt answer": "student: a\nanswers:\n  p:\n    q: " + "[" * 29 + "]" * 29 + "\n",
    "single-pair mappings in a flow list": "a:\n  b:\n    c:\n      d: [x: 1, y]\n",
    "line breaks of Windows": "student: a\r\nanswers:\r\n  p:\r\n    q: [1, 2]\r\n",
    "a scalar alone": "hello\n",
    "a complex key": "? a\n: b\n",
}


def by_events(text: str, lazy_below: int | None, monkeypatch: pytest.MonkeyPatch, **place: Any) -> Any:
    """The event reader's tree, or its message."""
    with monkeypatch.context() as patch:
        patch.setattr(reader, "read_tree", lambda *args: None)  # (blocktree.py: its own tests)
        patch.setattr(reader, "composed", lambda *args: None)
        try:
            return tree(reader.parse_text(text, "s.yaml", lazy_below=lazy_below, **place))
        except SpecError as error:
            return str(error)


@pytest.mark.parametrize("lazy_below", [None, 1, 2, 3])
@pytest.mark.parametrize("name", TAKEN)
def test_the_fast_path_builds_the_event_readers_tree(name: str, lazy_below: int | None, monkeypatch) -> None:
    fast = composed(TAKEN[name], "s.yaml", lazy_below, "", None, 1, reader.MAX_DEPTH)
    assert fast is not None, "left to the event reader"
    assert tree(fast) == by_events(TAKEN[name], lazy_below, monkeypatch)


def test_an_unbuilt_answer_is_not_looked_into_as_the_event_reader_does_not(monkeypatch) -> None:
    """A duplicate key in an answer left unbuilt is found when it is read (and worded then), not before."""
    text = "student: a\nanswers:\n  p:\n    q: {x: 1, x: 2}\n"
    fast = composed(text, "s.yaml", 3, "", None, 1, reader.MAX_DEPTH)
    assert fast is not None and tree(fast) == by_events(text, 3, monkeypatch)
    assert composed(text, "s.yaml", None, "", None, 1, reader.MAX_DEPTH) is None


def test_a_piece_placed_in_its_file_keeps_its_lines_and_key_path(monkeypatch) -> None:
    text = "    - [1, 2]\n    - x: 3\n"
    fast = composed(text, "s.yaml", None, "answers.p", "q", 40, reader.MAX_DEPTH)
    assert fast is not None
    assert tree(fast) == by_events(text, None, monkeypatch, base="answers.p", step="q", first_line=40)
    assert fast.items()[1].mapping()["x"].where == "s.yaml:41:10: answers.p.q[1].x"


@pytest.mark.parametrize("lazy_below", [None, 3])
@pytest.mark.parametrize("name", REFUSED)
def test_what_the_event_reader_refuses_or_words_is_left_to_it(name: str, lazy_below: int | None, monkeypatch) -> None:
    text = REFUSED[name]
    assert composed(text, "s.yaml", lazy_below, "", None, 1, reader.MAX_DEPTH) is None
    expected = by_events(text, lazy_below, monkeypatch)
    try:
        got = tree(reader.parse_text(text, "s.yaml", lazy_below=lazy_below))
    except SpecError as error:
        got = str(error)
    assert got == expected


def test_every_yaml_file_of_the_project_reads_the_same_either_way(monkeypatch) -> None:
    """Problem sets, assignments, locks, submissions of the tests: whatever the fast path takes, it builds alike."""
    taken = 0
    for path in sorted([*ROOT.glob("problems/**/*.yaml"), *ROOT.glob("tests/**/*.yaml")]):
        text = path.read_text(encoding="utf-8-sig", errors="replace")
        for lazy_below in (None, 3):
            fast = composed(text, "s.yaml", lazy_below, "", None, 1, reader.MAX_DEPTH)
            if fast is not None:
                taken += 1
                assert tree(fast) == by_events(text, lazy_below, monkeypatch), path
    assert taken > 100

"""A drawn given is the problem's given with some numbers replaced: rebuilt in one walk, each collection's source
its flow text, every subtree's text written once (a homework's arrays are rebuilt for every draw)."""

from __future__ import annotations

from dataclasses import FrozenInstanceError, fields, replace

import pytest

from hwsolver.model import Problem
from hwsolver.spec.reader import parse_text
from hwsolver.spec.sets import load_set
from hwsolver.variants import nodes
from hwsolver.variants.drawing import with_changes
from hwsolver.variants.nodes import flow, rebuilt, scalar


def test_each_text_is_written_once(monkeypatch) -> None:
    given = parse_text("a: [[1, 2], [3, 4]]\nb:\n  c: [5, 6]\n")
    calls: list[str] = []

    def counted(node):
        calls.append(node.source)
        return flow(node)  # whose own calls for the children come here too

    monkeypatch.setattr(nodes, "flow", counted)
    changed = rebuilt(given, {("a", 0, 1): scalar("9", given.value["a"].value[0].value[1])})
    assert changed.source == "{a: [[1, 9], [3, 4]], b: {c: [5, 6]}}"
    assert changed.value["a"].source == "[[1, 9], [3, 4]]"
    assert changed.value["b"] is given.value["b"]  # untouched: the same node
    # 12 nodes; the root, a and a[0] are rebuilt from their children's texts; each of the other 9 is written once
    assert len(calls) == 9


def test_a_variants_problem_is_the_problem_replace_makes() -> None:
    """with_changes (how a variant's problem is made from the problem as written) gives what dataclasses.replace
    gives, the problem as written untouched; a name that is no field is refused, as replace refuses it."""
    homework = load_set()
    for entry in homework.entries:
        problem = entry.problem
        before = dict(problem.__dict__)
        changes = {"given": object(), "mistakes": (), "title": {"en": "T"}}
        made, want = with_changes(problem, **changes), replace(problem, **changes)
        assert type(made) is Problem and made == want and repr(made) == repr(want)
        assert [getattr(made, f.name) for f in fields(Problem)] == [getattr(want, f.name) for f in fields(Problem)]
        assert problem.__dict__ == before
    with pytest.raises(TypeError):
        with_changes(problem, gvien=None)
    with pytest.raises(FrozenInstanceError):
        made.given = None  # type: ignore[misc]

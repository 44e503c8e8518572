"""The registry drives everything: each registered kind has what README "Adding a problem kind" asks, and the
failure says what is missing and where it goes. The checks that run each kind's own code on its problems live
beside: tests/kinds/test_examples.py (random problems, the witness), tests/kinds/test_mistakes.py (every mistake
shows), tests/test_solve_text.py (the text, value by value), tests/handout/test_handout_numbers.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from hwsolver.kinds import KINDS
from hwsolver.model import LANGUAGES
from hwsolver.render import KIND_TEMPLATES
from hwsolver.resources import data_dir
from hwsolver.spec.problems import load_problems

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_kind_has_a_built_in_problem(kind: str) -> None:
    assert any(p.kind == kind for p in load_problems()), (
        f"add a problem of kind {kind} to problems/ (hwsolver new {kind} -o problems/<id>.yaml starts one)"
    )


@pytest.mark.parametrize("which", sorted(KIND_TEMPLATES))
@pytest.mark.parametrize("kind", sorted(KINDS))
def test_kind_has_both_templates(kind: str, which: str) -> None:
    path = data_dir("templates") / "kinds" / kind / KIND_TEMPLATES[which]
    assert path.is_file(), f"kind {kind} has no {which} template: add templates/kinds/{kind}/{KIND_TEMPLATES[which]}"


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_kind_has_its_own_tests(kind: str) -> None:
    assert sorted((ROOT / "tests" / "kinds" / kind).glob("test_*.py")), f"add tests/kinds/{kind}/test_{kind}.py"


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_part_has_its_own_label_in_each_language(kind: str, lang: str) -> None:
    labels = KINDS[kind].labels.get(lang, {})
    unlabelled = [part for part in KINDS[kind].part_ids if not labels.get(part)]
    assert not unlabelled, f"kind {kind}: parts {unlabelled} have no {lang} label (LABELS in kinds/{kind}/explain.py)"
    shown = [labels[part] for part in KINDS[kind].part_ids]
    assert len(set(shown)) == len(shown), f"kind {kind}: two parts share a {lang} label: {shown}"


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_kind_names_classic_mistakes(kind: str) -> None:
    assert KINDS[kind].description
    assert KINDS[kind].mistakes, (
        f"kind {kind} gives the grader no mistakes to name (MISTAKES in kinds/{kind}/grading.py)"
    )


def test_every_problem_solves_and_answers_every_part_it_asks() -> None:
    from hwsolver.solving import solve

    for problem in load_problems():
        answers = solve(problem).answers
        assert all(part.id in answers for part in problem.parts), problem.id

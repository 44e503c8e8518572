"""A kind documents itself: `hwsolver kinds`, the README's kind reference and `hwsolver new`, all from the Kind
contract."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from hwsolver.cli import cli
from hwsolver.errors import SpecError
from hwsolver.kinds import KINDS
from hwsolver.kinds.docs import readme_with_reference, reference_markdown, skeleton
from hwsolver.solving import solve
from hwsolver.spec.problems import problem_from_node
from hwsolver.spec.reader import parse_text

README = Path(__file__).resolve().parents[2] / "README.md"
FILLED = {"<new-problem-id>": "my-problem", "<标题>": "标题", "<title>": "Title", "<题目>": "题目", "<statement>": "A."}


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


def test_the_readme_kind_reference_is_generated_from_the_kinds(update_golden: bool) -> None:
    text = README.read_text(encoding="utf-8")
    fresh = readme_with_reference(text)
    if update_golden:
        README.write_text(fresh, encoding="utf-8")
    assert text == fresh or update_golden, (
        "README.md's kind reference is stale: regenerate it with `pytest tests/kinds/test_docs.py --update-golden` "
        "(the text `hwsolver kinds --format markdown` prints)"
    )


def test_markdown_format_prints_the_reference() -> None:
    assert invoke("kinds", "--format", "markdown") == (0, reference_markdown())
    assert all(f"### `{name}`" in reference_markdown() for name in KINDS)


def test_kinds_lists_every_kind_on_one_line() -> None:
    code, output = invoke("kinds")
    width = max(map(len, KINDS))
    lines = [f"{name.ljust(width)}  {KINDS[name].description}" for name in sorted(KINDS)]
    assert code == 0
    assert output.splitlines()[: len(KINDS)] == lines


@pytest.mark.parametrize("name", sorted(KINDS))
def test_one_kind_shows_its_keys_parts_and_mistakes(name: str) -> None:
    code, output = invoke("kinds", name)
    kind = KINDS[name]
    words = " ".join(output.split())  # wrapped lines joined
    assert code == 0 and output.startswith(f"{name}: {kind.description}\n")
    for key in kind.given.keys:
        required = "required" if key.required else f"optional, default: {key.default}"
        if key.one_of:
            required = f"one of {' or '.join(key.one_of)} is required; without it: {key.default}"
        assert f"{key.name} {' '.join(key.type.split())}; {required} {' '.join(key.meaning.split())}" in words
    for part in kind.parts:
        assert f"{part.id} {' '.join(part.answer.split())}" in words
    for mistake in kind.mistakes:
        assert f"{mistake.id} {mistake.credit}: " in words


def test_the_text_of_errors_and_gradients_says_a_list_per_layer_and_parameters_by_name() -> None:
    """The answer layouts a new user could only learn by trial."""
    _, output = invoke("kinds", "mlp_backprop")
    assert re.search(r"\n  errors +a list per layer", output)
    assert re.search(r"\n  gradients +parameters by name: W1 \(a matrix\), b1 \(a vector\)", output)


def test_an_unknown_kind_is_one_line_naming_the_close_one() -> None:
    code, output = invoke("kinds", "mlp_backprob")
    assert code == 1
    assert output == (
        "Error: unknown kind 'mlp_backprob'; did you mean 'mlp_backprop'? known kinds: "
        + ", ".join(sorted(KINDS))
        + "\n"
    )


def _load(text: str, name: str = "new.yaml") -> object:
    return problem_from_node(parse_text(text, name))


@pytest.mark.parametrize("name", sorted(KINDS))
def test_a_skeleton_loads_and_solves_once_its_placeholders_are_filled(name: str) -> None:
    kind, text = KINDS[name], skeleton(KINDS[name])
    with pytest.raises(SpecError, match="id '<new-problem-id>' must be kebab-case"):
        _load(text)  # unfilled, it says so
    for key in kind.given.keys:  # every key is there, commented with its meaning
        status = "required" if key.required else "one of" if key.one_of else "optional"
        assert f"  # {key.name} ({status}" in text
        assert f"#   {key.meaning}\n" in text
    for placeholder, value in FILLED.items():
        text = text.replace(placeholder, value)
    problem = _load(text)
    assert [part.id for part in problem.parts] == list(kind.parts_for(problem.given))
    assert set(solve(problem).answers) == set(kind.parts_for(problem.given))


@pytest.mark.parametrize("name", sorted(KINDS))
def test_a_skeleton_with_every_optional_key_set_asks_every_part_it_can(name: str) -> None:
    kind, text = KINDS[name], skeleton(KINDS[name])
    for placeholder, value in FILLED.items():
        text = text.replace(placeholder, value)
    for key in kind.given.keys:
        text = text.replace(f"  # {key.name}: ", f"  {key.name}: ")
    given = _load(text).given
    for part in kind.parts_for(given):
        text = text.replace(f"  # - {{id: {part}, ", f"  - {{id: {part}, ")
    problem = _load(text)
    assert [part.id for part in problem.parts] == list(kind.parts_for(given))
    solve(problem)


def test_new_writes_the_skeleton_and_never_over_another_file(tmp_path: Path) -> None:
    target = tmp_path / "conv.yaml"
    assert invoke("new", "conv_backprop", "-o", str(target))[0] == 0
    assert target.read_text(encoding="utf-8") == skeleton(KINDS["conv_backprop"])
    target.write_text("mine", encoding="utf-8")
    code, output = invoke("new", "conv_backprop", "-o", str(target))
    assert code == 1 and "exists already" in output
    assert target.read_text(encoding="utf-8") == "mine"
    assert invoke("new", "conv_backprop") == (0, skeleton(KINDS["conv_backprop"]))

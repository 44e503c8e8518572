"""The Kind contract holds: given keys declared once and read only so, declared defaults true, every part labelled
and every mistake worded in each language, every mistake a kind names in its table."""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction

import pytest

from hwsolver.errors import SpecError
from hwsolver.kinds import KINDS
from hwsolver.kinds.base import Given, Key, Mistake
from hwsolver.solving import solve
from hwsolver.spec.problems import load_problems
from hwsolver.spec.reader import parse_text

GIVEN = Given((Key("size", "an integer", "K", "2"), Key("stride", "an integer", "S", "1", default="1")))


def test_fields_give_the_declared_keys_and_refuse_to_read_any_other() -> None:
    fields = GIVEN.fields(parse_text("size: 3", "g.yaml"))
    assert fields["size"].integer() == 3 and "stride" not in fields and fields.get("stride") is None
    for read in (lambda: fields["padding"], lambda: "padding" in fields, lambda: fields.get("padding")):
        with pytest.raises(LookupError, match="given key 'padding' is read but not declared"):
            read()


def test_fields_check_the_given_as_the_schema_says() -> None:
    with pytest.raises(SpecError) as missing:
        GIVEN.fields(parse_text("stride: 1", "g.yaml"))
    assert str(missing.value) == "g.yaml:1:1: missing key 'size'"
    with pytest.raises(SpecError) as misspelt:
        GIVEN.fields(parse_text("given:\n  size: 2\n  strde: 1", "g.yaml").mapping()["given"])
    assert str(misspelt.value) == "g.yaml:3:10: given.strde: unknown key 'strde'; did you mean 'stride'?"


SOURCES = ("formula", "table")
ONE_OF = Given(
    (
        Key("formula", "a formula", "f", "x^2", default="(none)", one_of=SOURCES),
        Key("table", "numbers", "f's values", "[1, 2]", default="(from the formula)", one_of=SOURCES),
        Key("size", "an integer", "K", "2"),
    )
)


def test_a_one_of_group_needs_one_of_its_keys_and_takes_any_of_them() -> None:
    with pytest.raises(SpecError) as missing:
        ONE_OF.fields(parse_text("size: 3", "g.yaml"))
    assert str(missing.value) == "g.yaml:1:1: missing key 'formula' or 'table'"
    for text in ("size: 3\nformula: x", "size: 3\ntable: [1]", "size: 3\nformula: x\ntable: [1]"):
        assert "size" in ONE_OF.fields(parse_text(text, "g.yaml"))
    assert [key.name for key in ONE_OF.minimal] == ["formula", "size"]  # what a skeleton sets
    assert ONE_OF.keys[1].status == "one of formula or table is required; without it: (from the formula)"


@pytest.mark.parametrize(
    ("keys", "message"),
    [
        (
            (Key("formula", "t", "m", "x", one_of=SOURCES), Key("table", "t", "m", "x", "(f)", one_of=SOURCES)),
            "formula",
        ),
        ((Key("formula", "t", "m", "x", "(t)", one_of=SOURCES),), "formula"),  # its partner undeclared
        ((Key("formula", "t", "m", "x", "(t)", one_of=("table",)),), "formula"),  # itself not in its group
        (
            (Key("formula", "t", "m", "x", "(t)", one_of=SOURCES), Key("table", "t", "m", "x", "(f)")),
            "formula",  # its partner in no group
        ),
    ],
)
def test_a_one_of_group_is_declared_by_each_of_its_optional_keys(keys: tuple[Key, ...], message: str) -> None:
    with pytest.raises(ValueError, match=f"given key {message}"):
        Given(keys)


def _full_given(kind_name: str) -> str:
    return "\n".join(f"{key.name}: {key.example}" for key in KINDS[kind_name].given.keys)


@pytest.mark.parametrize("name", sorted(KINDS))
def test_parse_given_reads_every_key_it_knows_through_the_schema(name: str) -> None:
    """Every key set: parse_given reading a key the schema does not declare fails here (LookupError)."""
    KINDS[name].parse_given(parse_text(_full_given(name), "given.yaml"))


OPTIONAL_WITH_A_VALUE = [
    (name, key)
    for name, kind in sorted(KINDS.items())
    for key in kind.given.keys
    if not key.required and not str(key.default).startswith("(")
]


@pytest.mark.parametrize(("name", "key"), OPTIONAL_WITH_A_VALUE, ids=lambda v: getattr(v, "name", v))
def test_a_declared_default_means_what_leaving_the_key_out_means(name: str, key: Key) -> None:
    kind = KINDS[name]
    required = "\n".join(f"{k.name}: {k.example}" for k in kind.given.minimal)
    without = kind.parse_given(parse_text(required, "given.yaml"))
    assert kind.parse_given(parse_text(f"{required}\n{key.name}: {key.default}", "given.yaml")) == without


def test_a_kind_without_a_label_or_feedback_in_a_language_does_not_build() -> None:
    kind = KINDS["pooling_backprop"]
    with pytest.raises(ValueError, match="part 'argmax' has no label in zh"):
        replace(kind, labels={**kind.labels, "zh": {"output": "输出", "delta_prev": "误差"}})
    with pytest.raises(ValueError, match="mistake 'oops' has no feedback in zh"):
        replace(kind, mistakes=(*kind.mistakes, Mistake("oops", Fraction(1, 2), {"en": "Oops."})))
    with pytest.raises(ValueError, match="position part 'where' is not a part"):
        replace(kind, position_parts=("where",))


@pytest.mark.parametrize("problem", load_problems(), ids=lambda p: p.id)
def test_every_mistake_a_kind_names_is_in_its_table_with_its_credit_and_words(problem) -> None:
    kind = KINDS[problem.kind]
    solution = solve(problem)
    named = [mutant for mutant in kind.mutants(problem, solution) if not mutant.per_part or mutant.id in kind.credits]
    assert named
    for mutant in named:
        mistake = kind.mistake(mutant.id)
        assert mutant.credit == mistake.credit
        if "{" not in mistake.feedback["en"] and not mistake.variants:
            assert mutant.feedback == mistake.feedback["en"]

"""The Kind contract: everything a problem kind provides, as one frozen instance per kind.

A kind's package builds its instance (`KIND` in kinds/<kind>/__init__.py) from its three parts: the given and the
solver (__init__.py), the grader's hooks (grading.py) and the explanation (explain.py); kinds/__init__.py registers
it. Spec validation, `hwsolver kinds`, `hwsolver new`, the README's kind reference, the grader and the handouts
read kinds only through these fields; a missing required one is a TypeError when the kind is imported.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from hwsolver.model import LANGUAGES, Chain, Mutant, Problem, Route, Solution
from hwsolver.spec.node import Node

Texts = Mapping[str, str]  # one text per language: {"zh": ..., "en": ...}


@dataclass(frozen=True)
class Key:
    """One key of a kind's `given`, as `hwsolver kinds KIND` shows it and `hwsolver new KIND` writes it."""

    name: str
    type: str  # what the value is, in words: "a list of numbers (one per input unit)"
    meaning: str  # one line: what it stands for in the problem
    example: str  # a YAML value the kind accepts (the skeleton's)
    # An optional key's default: the YAML value that means the same as leaving the key out ("1"), or in words
    # and parentheses what leaving it out means ("(no biases)"). None: the key is required.
    default: str | None = None
    # The keys of which a given needs at least one (an objective, or the gradients of each step), this one among
    # them; each is optional by itself, with a default.
    one_of: tuple[str, ...] = ()

    @property
    def required(self) -> bool:
        return self.default is None

    @property
    def status(self) -> str:
        """Whether the key must be set, as the docs say it: "required", "optional, default: ...", or the group."""
        if self.required:
            return "required"
        if self.one_of:
            return f"one of {' or '.join(self.one_of)} is required; without it: {self.default}"
        return f"optional, default: {self.default}"


@dataclass(frozen=True)
class Given:
    """The keys of a kind's `given`: the one place they are declared. parse_given reads them through `fields`."""

    keys: tuple[Key, ...]

    def __post_init__(self) -> None:
        names = [key.name for key in self.keys]
        if len(set(names)) != len(names):
            raise ValueError(f"a given key is declared twice: {names}")
        for key in self.keys:
            group = [k for k in self.keys if k.name in key.one_of]
            if key.one_of and (key.required or key.name not in key.one_of or len(group) != len(key.one_of)):
                raise ValueError(f"given key {key.name}: one_of names declared optional keys, itself among them")
            if any(k.one_of != key.one_of for k in group):
                raise ValueError(f"given key {key.name}: the keys of {key.one_of} declare different groups")

    @property
    def minimal(self) -> tuple[Key, ...]:
        """The keys the least given sets: the required ones, and the first key of each one-of group."""
        return tuple(key for key in self.keys if key.required or key.one_of[:1] == (key.name,))

    @functools.cached_property
    def _names(self) -> tuple[tuple[str, ...], tuple[str, ...], tuple[tuple[str, ...], ...], frozenset[str]]:
        """The required keys, the optional ones, the one-of groups and every key: worked out once per kind (a
        class's variants each read a given)."""
        required = tuple(key.name for key in self.keys if key.required)
        optional = tuple(key.name for key in self.keys if not key.required)
        groups = tuple(key.one_of for key in self.keys if key.one_of[:1] == (key.name,))
        return required, optional, groups, frozenset(required + optional)

    def fields(self, node: Node) -> Fields:
        """The given's entries, after checking that every required key is there (and one of each one-of group) and
        no undeclared one is (a close declared key suggested)."""
        required, optional, groups, declared = self._names
        entries = node.fields(required, optional)
        for group in groups:
            if not any(name in entries for name in group):
                raise node.error(f"missing key {' or '.join(repr(name) for name in group)}")
        return Fields(entries, declared)


class Fields(dict):  # type: ignore[type-arg]
    """The keys a given sets, by name. Asking for a key the schema does not declare is a bug in the kind (its
    meaning would be documented nowhere): LookupError, which a test drives every kind through."""

    def __init__(self, entries: Mapping[str, Node], declared: frozenset[str]) -> None:
        super().__init__(entries)
        self.declared = declared

    def _check(self, key: object) -> None:
        if key not in self.declared:
            raise LookupError(f"given key '{key}' is read but not declared in the kind's Given schema")

    def __getitem__(self, key: str) -> Node:
        self._check(key)
        return super().__getitem__(key)

    def __contains__(self, key: object) -> bool:
        self._check(key)
        return super().__contains__(key)

    def get(self, key: str, default: Any = None) -> Any:
        self._check(key)
        return super().get(key, default)


@dataclass(frozen=True)
class PartInfo:
    """A part a kind can answer: its id and the shape of its answer (as a submission writes it)."""

    id: str
    answer: str  # "a number", "a list per layer of vectors", "parameters by name: W1, b1, ..."


@dataclass(frozen=True)
class Mistake:
    """A classic slip: its id (what feedback names and `mistake_credit` sets), the share of the part's points it
    earns by default, and its feedback in every language. Texts with {fields} are filled in by the kind (the
    formula, the factor); `variants` are other wordings of the same slip for other situations."""

    id: str
    credit: Fraction
    feedback: Texts
    variants: Mapping[str, Texts] = field(default_factory=dict)

    def says(self, lang: str = "en", variant: str | None = None, **fields: Any) -> str:
        """The feedback in `lang`, with its fields filled in (texts are formatted only when fields are given)."""
        text = (self.variants[variant] if variant else self.feedback)[lang]
        return text.format(**fields) if fields else text


@dataclass(frozen=True)
class Constraint:
    """A condition a per-student variant must meet to be handed out, named in a problem's `require:`
    (`no_relu_kink: 0.05`); hwsolver/variants draws again until every one holds."""

    meaning: str  # one line, for `hwsolver kinds KIND` and the message when no draw meets it
    holds: Callable[[Problem, Solution, Any], bool]  # holds(variant, its solution, the argument)
    argument: str = ""  # what `name: value` sets, in words ("a margin > 0"); "" when it takes none
    read: Callable[[Node], Any] | None = None  # the argument from its node (the node's SpecError when out of range)
    default: Any = None  # the argument when only the name is written


@dataclass(frozen=True)
class Kind:
    """What a problem kind provides: the fields up to `labels` are required, the rest are optional hooks."""

    # -- the problem ----------------------------------------------------------------------------------------
    name: str  # as problems write it (`kind: <name>`) and the registry lists it
    description: str  # one line for people: "gradient-descent update of a fully-connected network"
    given: Given
    parse_given: Callable[[Node], Any]  # the given (read through given.fields) as the kind's frozen input type
    parts: tuple[PartInfo, ...]  # every part the kind can answer, in the order of computation
    parts_for: Callable[[Any], tuple[str, ...]]  # the parts answerable for this input (a subset of `parts`, in order)
    # -- solving --------------------------------------------------------------------------------------------
    solve: Callable[..., Solution]  # solve(problem, exact=True): every answer of parts_for; exact=False: float64
    # witness(problem, solution): an independent computation of the answers (the other path, finite differences,
    # a counted run); SolveError where it disagrees. Run on every solution solve(exact=True) gives.
    witness: Callable[[Problem, Solution], None]
    # -- grading --------------------------------------------------------------------------------------------
    mistakes: tuple[Mistake, ...]  # the table: every mistake `mutants` may name
    mutants: Callable[[Problem, Solution], tuple[Mutant, ...]]  # the slips on this problem, with their answers
    # -- explaining: sentences and part labels in every language (templates/kinds/<kind>/*.j2 use them) --------
    strings: Mapping[str, Mapping[str, Any]]  # {lang: {key: text}}, the handout template's `T`
    labels: Mapping[str, Mapping[str, str]]  # {lang: {part id: label}}
    # -- optional hooks -------------------------------------------------------------------------------------
    # example(seed): a random valid `given` of this kind, as the plain data a problem file's `given:` holds (numbers
    # as ints, floats of few digits such as 0.3, or "p/q" strings; lists; mappings; strings), another for another
    # seed. spec.problems.example_problem makes a problem of it asking every part; the registry's tests solve such
    # problems (the witness checks each: tests/kinds/test_examples.py), look for each mistake on them and check the
    # text and handout shown for them, and fail for a kind without the hook.
    example: Callable[[int], Mapping[str, Any]] | None = None
    follow_through: Callable[[Problem, Solution], tuple[Route, ...]] | None = None  # parts from earlier answers
    chain: Callable[[Problem, Solution], Chain] | None = None  # the steps a student writes down (rounding)
    # trivial(problem, solution, part, value): a wrong answer that leaves later work trivial (a copy of the
    # given values, a routing that ignores the input), so that nothing follows through from it
    trivial: Callable[[Problem, Solution, str, Any], bool] | None = None
    # evidence(problem, solution, part, value): a better account than the checker's of how a wrong answer
    # differs (a count at small whole sizes), or None
    evidence: Callable[[Problem, Solution, str, Any], str | None] | None = None
    # pairs(problem, solution): two of the kind's mistakes made together, their switches on at once in the one
    # computation (kinds/pairs.py; id "first+second"), for `hwsolver mine`; None where the mistakes do not combine
    pairs: Callable[[Problem, Solution], tuple[Mutant, ...]] | None = None
    index_base: int = 1  # where feedback counts entries, items and windows from, as the statement does
    position_parts: tuple[str, ...] = ()  # parts whose answers end in a [row, column] axis (read also as pairs)
    # parts graded from their answer and reference alone, the reference one object for all givens of a shape (conv's
    # recursion: one formula per layer shape): the kind's slips, routes, `trivial` and `evidence` read nothing else
    # of the given. A per-student variant with such a part's very reference, and the lecturer's mistakes of the
    # problem as written, shares its memos (prepared._memos).
    shared_parts: tuple[str, ...] = ()
    # answer_forms(given): {part id: how to write its answer} for this given, where a part's kind-wide description
    # (PartInfo.answer) speaks of what the problem may not have (biases, a mini-batch); the problem sheet shows it
    answer_forms: Callable[[Any], Mapping[str, str]] | None = None
    extras: Callable[[Solution], Mapping[str, Any]] | None = None  # more for the handout template
    drawing: Callable[[Solution], Any] | None = None  # a figure for the handout template, as `drawing`
    constraints: Mapping[str, Constraint] = field(default_factory=dict)  # what `require:` may name, by name
    # parse_plain(values): what parse_given makes of a lock's entry, from its plain values (spec/plainflow.py: a
    # class's variants are read without nodes), for the shapes the kind knows; None for any other shape and for any
    # value parse_given would refuse (parse_given then reads the entry, with its messages)
    parse_plain: Callable[[dict[str, Any]], Any] | None = None

    def __post_init__(self) -> None:
        ids = [part.id for part in self.parts]
        problems = []
        if len(set(ids)) != len(ids):
            problems.append(f"parts listed twice: {ids}")
        if len(set(self.credits)) != len(self.mistakes):
            problems.append(f"mistakes listed twice: {[m.id for m in self.mistakes]}")
        problems += [f"position part '{p}' is not a part" for p in self.position_parts if p not in ids]
        if self.index_base not in (0, 1):
            problems.append(f"index_base is 0 or 1, not {self.index_base}")
        for lang in LANGUAGES:
            if lang not in self.strings:
                problems.append(f"no strings in {lang}")
            problems += [f"part '{p}' has no label in {lang}" for p in ids if not self.labels.get(lang, {}).get(p)]
            for mistake in self.mistakes:
                if not all(texts.get(lang) for texts in (mistake.feedback, *mistake.variants.values())):
                    problems.append(f"mistake '{mistake.id}' has no feedback in {lang}")
        if problems:
            raise ValueError(f"kind {self.name}: " + "; ".join(problems))

    @property
    def part_ids(self) -> tuple[str, ...]:
        return tuple(part.id for part in self.parts)

    @property
    def credits(self) -> dict[str, Fraction]:
        """{mistake id: default share}: the names `mistake_credit` may set."""
        return {mistake.id: mistake.credit for mistake in self.mistakes}

    def mistake(self, mistake_id: str) -> Mistake:
        return next(m for m in self.mistakes if m.id == mistake_id)

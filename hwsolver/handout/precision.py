"""The precision a problem's numeric answers are graded to, told in its statement: "Give numbers to at least 3
significant figures." Read from the same options the grader reads (grading/precision.py, Tolerance)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from numbers import Number
from typing import Any

from hwsolver.grading.precision import Tolerance
from hwsolver.handout.strings import STRINGS
from hwsolver.kinds import KINDS
from hwsolver.model import Solution
from hwsolver.numbers import display


@dataclass(frozen=True)
class Rule:
    """Significant figures asked for, and the symmetric test's tolerances (None where not set)."""

    sigfigs: int | None
    rtol: Fraction | None
    atol: Fraction | None


def part_rule(options: Mapping[str, Any]) -> Rule:
    """The rule of a part's options (the part's own over its problem's), as the grader reads them."""
    return Rule(Tolerance.from_options(options).sigfigs, options.get("rtol"), options.get("atol"))


def rules(solution: Solution) -> list[tuple[Rule, list[str]]]:
    """Each rule of the asked parts that have numbers for answers, with those parts; the commonest first."""
    problem = solution.problem
    found: dict[Rule, list[str]] = {}
    for part in problem.parts:
        if _has_number(solution.answers[part.id]):
            found.setdefault(part_rule({**problem.options, **part.options}), []).append(part.id)
    return sorted(found.items(), key=lambda item: -len(item[1]))  # stable: ties keep the parts' order


def precision_text(solution: Solution, lang: str) -> str:
    """The statement's sentences on precision in `lang` ("" when no answer is a number): the commonest rule,
    then the parts graded otherwise."""
    words, labels = STRINGS[lang]["precision"], KINDS[solution.problem.kind].labels[lang]
    found = rules(solution)
    sentences = [words["give"].format(_rule(rule, words)) for rule, _ in found[:1]]
    for rule, parts in found[1:]:
        named = words["and"].join(labels[part] for part in parts)
        sentences.append(words["for_parts"].format(named, _rule(rule, words)))
    return STRINGS[lang]["gap"].join(sentences)


def _rule(rule: Rule, words: Mapping[str, str]) -> str:
    if rule.sigfigs is None and not rule.rtol and not rule.atol:
        return words["exactly"]  # `rtol: 0`: counts, compared as the integers they are
    tolerances = []
    if rule.rtol is not None:
        tolerances.append(words["rtol"].format(display(rule.rtol * 100)))
    if rule.atol is not None:
        tolerances.append(words["atol"].format(display(rule.atol)))
    within = words["or"].join(tolerances)
    if rule.sigfigs is None:
        return words["within"].format(within)
    if not tolerances:
        return words["sigfigs"].format(rule.sigfigs)
    return words["sigfigs_or_within"].format(rule.sigfigs, within)


def _has_number(value: Any) -> bool:
    if isinstance(value, Mapping):
        return any(_has_number(item) for item in value.values())
    if isinstance(value, tuple | list):
        return any(_has_number(item) for item in value)
    return isinstance(value, Number) and not isinstance(value, bool)

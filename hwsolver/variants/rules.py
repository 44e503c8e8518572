"""A problem's `vary:` rules, read and checked against its `given`, and one draw of them.

```yaml
vary:
  weights.W1: {range: [0.1, 0.9], step: 0.1}                # each number under the path, drawn by itself
  x: {range: [0.1, 0.9], step: 0.1, sign: random}           # ... then made negative half of the time
  target: {range: [1, 9], step: 1, exclude: [5]}
  upstream: {sign: random}                                  # the numbers as written, each sign drawn
  function:                                                 # one of a list (a formula, an activation, an array)
    choice: [1/(1 + exp(-x)), log(1 + exp(x))]
    show: [{zh: Sigmoid 函数, en: the sigmoid}, {zh: Softplus 函数, en: softplus}]   # {{ function | show }}
    with: {rewrite: [sigmoid, sigmoid]}                     # other given paths that change with the choice
```
Values are exact: a range with a step holds low, low + step, ... up to high, written as exact decimals (0.3,
never 0.30000000000000004). Rules are drawn in the order written, the numbers under a path in file order.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction

from hwsolver.model import LANGUAGES
from hwsolver.numbers.decimals import exact_decimal
from hwsolver.spec.node import Node
from hwsolver.variants.nodes import Path, find, numbers, parse_path, rebuilt, scalar, show_path
from hwsolver.variants.seeds import Draws

MAX_VALUES = 10**12  # values in one range: more cannot be told apart from a continuum anyway
_EXCLUDE_TRIES = 64


@dataclass(frozen=True)
class Range:
    low: Fraction
    step: Fraction
    count: int  # low, low + step, ..., low + (count - 1) step
    exclude: frozenset[Fraction] = frozenset()

    def draw(self, draws: Draws) -> Fraction:
        for _ in range(_EXCLUDE_TRIES):
            value = self.low + self.step * draws.below(self.count)
            if value not in self.exclude:
                return value
        return next(v for k in range(self.count) if (v := self.low + self.step * k) not in self.exclude)


@dataclass(frozen=True)
class Rule:
    """One rule: a range (each number under the path), a sign (each number's), or a choice (the whole value)."""

    path: Path
    where: Node  # the rule as written, for messages
    range: Range | None = None
    sign: bool = False
    choices: tuple[Node, ...] = ()
    show: tuple[Mapping[str, Mapping[str, str]], ...] = ()  # per choice, its texts by name, each in every language
    together: Mapping[Path, tuple[Node, ...]] = field(default_factory=dict)  # `with`: per path, a value per choice

    @property
    def name(self) -> str:
        return show_path(self.path)


def read_rules(node: Node, given: Node) -> tuple[Rule, ...]:
    """The `vary:` mapping, each path checked against `given`; no number may be drawn by two rules."""
    rules = tuple(_rule(key, entry, given) for key, entry in node.mapping().items())
    claimed: dict[Path, Rule] = {}
    for rule in rules:
        for path in _touched(rule, given):
            other = next((claimed[p] for p in claimed if p[: len(path)] == path or path[: len(p)] == p), None)
            if other is not None:
                raise rule.where.error(f"{show_path(path)} is varied by the rule for {other.name} already")
            claimed[path] = rule
    return rules


def _touched(rule: Rule, given: Node) -> list[Path]:
    if rule.choices:
        return [rule.path, *rule.together]
    return [(*rule.path, *sub) for sub, _ in numbers(find(given, rule.path))]  # type: ignore[arg-type]


def _rule(key: str, node: Node, given: Node) -> Rule:
    path = parse_path(key)
    if path is None:
        raise node.error(f"'{key}' is no path of the given: write it as weights.W1, x[0], weights.W1[0][1]")
    target = find(given, path)
    if target is None:
        raise node.error(f"the given has no {show_path(path)}")
    fields = node.fields(optional=("range", "step", "exclude", "sign", "choice", "show", "with"))
    if "choice" in fields:
        if extra := [k for k in ("range", "step", "exclude", "sign") if k in fields]:
            raise fields[extra[0]].error(f"a choice takes no '{extra[0]}' (a range is another rule)")
        return _choice(path, node, fields, given)
    if extra := [k for k in ("show", "with") if k in fields]:
        raise fields[extra[0]].error(f"'{extra[0]}' belongs to a choice")
    if not any(True for _ in numbers(target)):
        raise node.error(f"{show_path(path)} holds no number to vary (a choice varies text)")
    sign = _sign(fields["sign"]) if "sign" in fields else False
    if "range" not in fields:
        if not sign:
            raise node.error("expected range (with step), choice, or sign")
        return Rule(path, node, sign=True)
    return Rule(path, node, _range(fields), sign)


def _range(fields: Mapping[str, Node]) -> Range:
    where = fields["range"]
    low, high = where.vector(2, scalar_ok=False)
    if low > high:
        raise where.error(f"expected [low, high] with low <= high, got [{low}, {high}]")
    if "step" not in fields:
        raise where.error("a range needs its step (step: 0.1 draws 0.1, 0.2, ...; step: 1 draws integers)")
    step = fields["step"].number()
    if step <= 0:
        raise fields["step"].error(f"expected a step > 0, got {fields['step'].value}")
    count = int((high - low) / step) + 1
    if count > MAX_VALUES:
        raise fields["step"].error(f"the range holds {count} values; at most {MAX_VALUES}")
    exclude = frozenset(item.number() for item in fields["exclude"].items()) if "exclude" in fields else frozenset()
    if all(low + step * k in exclude for k in range(min(count, len(exclude) + 1))):
        raise where.error("every value of the range is excluded")
    return Range(low, step, count, exclude)


def _sign(node: Node) -> bool:
    if node.is_scalar and node.value == "random":
        return True
    raise node.error("expected sign: random (each number's sign drawn; none: leave out `sign`)")


def _choice(path: Path, node: Node, fields: Mapping[str, Node], given: Node) -> Rule:
    choices = fields["choice"].items()
    if len(choices) < 2:
        raise fields["choice"].error("a choice lists at least 2 values")
    show: tuple[Mapping[str, str], ...] = ()
    if "show" in fields:
        items = fields["show"].items()
        if len(items) != len(choices):
            raise fields["show"].error(f"expected one text per choice ({len(choices)}), got {len(items)}")
        show = tuple(_shown(item) for item in items)
    together: dict[Path, tuple[Node, ...]] = {}
    for key, entry in fields["with"].mapping().items() if "with" in fields else ():
        other = parse_path(key)
        if other is None or find(given, other) is None:
            raise entry.error(f"the given has no {key}")
        values = entry.items()
        if len(values) != len(choices):
            raise entry.error(f"expected one value per choice ({len(choices)}), got {len(values)}")
        together[other] = values
    return Rule(path, node, choices=choices, show=show, together=together)


def _shown(node: Node) -> dict[str, dict[str, str]]:
    """A choice's texts: one text ({zh, en} or the same in both), or several by name ({title: ..., statement:
    ...}) for `{{ path | show.title }}`; the unnamed one is ""."""
    entries = node.value
    if isinstance(entries, dict) and entries and not set(entries) <= set(LANGUAGES):
        return {name: _texts(entry) for name, entry in entries.items()}
    return {"": _texts(node)}


def _texts(node: Node) -> dict[str, str]:
    if node.is_scalar:
        return dict.fromkeys(LANGUAGES, node.text())
    entries = node.fields(optional=LANGUAGES)
    if not entries:
        raise node.error(f"expected text in at least one language ({', '.join(LANGUAGES)})")
    texts = {lang: entry.text() for lang, entry in entries.items()}
    return {lang: texts.get(lang) or next(iter(texts.values())) for lang in LANGUAGES}


def draw(rules: tuple[Rule, ...], given: Node, draws: Draws) -> Node:
    """The given with every rule drawn once."""
    changes: dict[Path, Node] = {}
    for rule in rules:
        if rule.choices:
            index = draws.below(len(rule.choices))
            changes[rule.path] = rule.choices[index]
            changes.update((other, values[index]) for other, values in rule.together.items())
            continue
        for sub, number in numbers(find(given, rule.path)):  # type: ignore[arg-type]
            if rule.range is not None:
                value = rule.range.draw(draws)
                text = written(-value if rule.sign and draws.below(2) else value)
            elif draws.below(2):  # the sign alone: the number flipped as written
                text = number.value[1:] if number.value.startswith("-") else "-" + number.value.lstrip("+")
            else:
                continue
            changes[(*rule.path, *sub)] = scalar(text, number)
    return rebuilt(given, changes)


def written(value: Fraction) -> str:
    """An exact number as a problem file writes it: 0.3, -2, or 1/3 where no decimal terminates."""
    return exact_decimal(value, 60) or f"{value.numerator}/{value.denominator}"

"""References to given values in a problem's title and statement, so that each variant shows its own numbers.

`{{ x[0] }}` is the number as written (0.2, never 0.2000000001), `{{ x }}` a list as YAML writes it ([0.2, 0.3]),
`{{ x | tuple }}` as (0.2, 0.3), `{{ z_prev | pmatrix }}` a vector or matrix as LaTeX's pmatrix, `{{ n |
thousands }}` a whole number with commas between groups of three digits (160,000), and
`{{ function | show }}` (`show.title`: its text named title) the text the `vary:` choice gives that value, in
the statement's language. Nothing is evaluated: a reference names a path of the given and one of these ways to
write it. Text in double braces that is no path (`{{(l)}}` in LaTeX) is left as it is.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from hwsolver.spec.node import Node
from hwsolver.variants.nodes import find, flow, parse_path, show_path
from hwsolver.variants.rules import Rule

_REFERENCE = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_.\[\]]*)\s*(?:\|\s*([A-Za-z_]+(?:\.[A-Za-z_]\w*)?)\s*)?\}\}")


def has_references(text: str) -> bool:
    return "{{" in text and _REFERENCE.search(text) is not None


def fill(text: str, where: Node, given: Node, rules: tuple[Rule, ...], lang: str) -> str:
    """`text` with each reference replaced by the given's value; a SpecError at `where` for a reference to no
    value or by no known filter."""
    if "{{" not in text:
        return text

    def value(match: re.Match[str]) -> str:
        name, how = match.group(1), match.group(2) or ""
        path = parse_path(name)
        node = find(given, path) if path is not None else None
        if node is None:
            raise where.error(f"{match.group(0)}: the given has no {name}")
        if how == "show" or how.startswith("show."):
            return _shown(match.group(0), path, how[5:], node, where, rules, lang)  # type: ignore[arg-type]
        writer = _WRITERS.get(how)
        if writer is None:
            known = ", ".join(name or "(none)" for name in (*_WRITERS, "show", "show.NAME"))
            raise where.error(f"{match.group(0)}: unknown filter '{how}'; known filters: {known}")
        try:
            return writer(node)
        except ValueError as error:
            raise where.error(f"{match.group(0)}: {error}") from None

    return _REFERENCE.sub(value, text)


def _as_written(node: Node) -> str:
    return node.value if node.is_scalar else flow(node)  # type: ignore[return-value]


def _tuple(node: Node) -> str:
    if node.is_scalar or any(not item.is_scalar for item in node.items()):
        raise ValueError("tuple writes a list of numbers")
    return "(" + ", ".join(item.value for item in node.items()) + ")"  # type: ignore[misc]


def _pmatrix(node: Node) -> str:
    rows = node.items() if not node.is_scalar else ()
    if not rows:
        raise ValueError("pmatrix writes a vector or a matrix")
    if all(row.is_scalar for row in rows):
        rows = (node,)  # a vector: one row
    lines = []
    for row in rows:
        if row.is_scalar or any(not item.is_scalar for item in row.items()):
            raise ValueError("pmatrix writes a vector or a matrix")
        lines.append(" & ".join(item.value for item in row.items()))  # type: ignore[misc]
    return r"\begin{pmatrix} " + r" \\ ".join(lines) + r" \end{pmatrix}"


def _thousands(node: Node) -> str:
    text = node.value if node.is_scalar else ""
    if not isinstance(text, str) or not text.isascii() or not text.isdigit():
        raise ValueError("thousands writes a whole number written with digits alone")
    return f"{int(text):,}"


_WRITERS: dict[str, Callable[[Node], str] | None] = {
    "": _as_written,
    "tuple": _tuple,
    "pmatrix": _pmatrix,
    "thousands": _thousands,
    "show": None,
}


def _shown(reference: str, path: tuple, name: str, node: Node, where: Node, rules: tuple[Rule, ...], lang: str) -> str:
    rule = next((r for r in rules if r.path == path and r.choices), None)
    if rule is None or not rule.show:
        raise where.error(f"{reference}: show needs a `vary:` choice for {show_path(path)} with `show:` texts")
    if name not in rule.show[0]:
        named = ", ".join(f"show.{n}" if n else "show" for n in rule.show[0])
        raise where.error(f"{reference}: the choice for {rule.name} shows {named}")
    written = flow(node)
    for choice, texts in zip(rule.choices, rule.show):
        if flow(choice) == written:
            return texts[name][lang]
    raise where.error(f"{reference}: {written} is none of the choices of vary.{rule.name}, which have the texts")

"""Problem specs from YAML files: the common keys here, the kind's `given` by its own parse_given."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from fractions import Fraction
from pathlib import Path

import yaml

from hwsolver.errors import ExprError, HwsolverError, SpecError
from hwsolver.expr import check_alias
from hwsolver.kinds import KINDS
from hwsolver.kinds.base import Kind
from hwsolver.model import LANGUAGES, Part, Problem
from hwsolver.resources import data_dir
from hwsolver.spec.mistakes import read_mistakes
from hwsolver.spec.node import Node, close_match, parse_number
from hwsolver.spec.options import OPTIONS, read_options
from hwsolver.spec.reader import parse_text, read_file
from hwsolver.variants.require import read_require
from hwsolver.variants.rules import Rule, read_rules
from hwsolver.variants.statements import fill
from hwsolver.witness import LIMIT_TEXT

ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_TOP_REQUIRED = ("id", "kind", "title", "statement", "given", "parts")
# vary, require and tests: the variants package reads them (hwsolver/variants/)
_TOP_OPTIONAL = ("grading", "aliases", "mistakes", "vary", "require", "tests", "check")


def builtin_dir() -> Path:
    return data_dir("problems")


def problem_files(paths: Sequence[str | Path]) -> list[Path]:
    """The YAML files named by `paths` (files, or folders of *.yaml files); none means the built-in set."""
    if not paths:
        paths = [builtin_dir()]
    files: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())
            if not found:
                raise SpecError(f"{path}: no problem files (*.yaml) in this folder")
            files.extend(found)
        elif path.exists():
            files.append(path)
        else:
            raise SpecError(f"{path}: no such file or folder")
    return files


def load_problems(paths: Sequence[str | Path] = ()) -> list[Problem]:
    """Every problem in `paths` (default: every built-in problem), checking that ids are unique."""
    return [problem for problem, _ in load_files(paths)]


def load_files(paths: Sequence[str | Path] = ()) -> list[tuple[Problem, Node]]:
    """Every problem in `paths` with its file's tree (default: every built-in problem). Assignment files in a
    folder are left out; one named among the paths is an error (an assignment is given alone)."""
    found: list[tuple[Problem, Node]] = []
    seen: dict[str, str] = {}
    named = {Path(path) for path in paths}
    for file in problem_files(paths):
        root = read_spec(file)
        if is_listing(root):
            if file in named:
                raise SpecError(f"{root.file}: an assignment is given alone, not with other problem files")
            continue
        problem = problem_from_node(root)
        if problem.id in seen:
            raise SpecError(f"{problem.source}: id '{problem.id}' is also the id of {seen[problem.id]}")
        seen[problem.id] = problem.source
        found.append((problem, root))
    return found


def load_problem(path: str | Path) -> Problem:
    """One problem file, validated against its kind."""
    return problem_from_node(read_spec(path))


def read_spec(path: str | Path) -> Node:
    """A problem or assignment file's tree, named as the user will recognise it."""
    return read_file(path, display_name(path))


def is_listing(root: Node) -> bool:
    """An assignment file: it lists problems and has no kind of its own."""
    entries = root.value
    return isinstance(entries, dict) and "problems" in entries and "kind" not in entries


def example_problem(kind: Kind, seed: int) -> Problem:
    """A problem of `kind` made from its `example(seed)` given, asking every part the kind answers for it (for the
    registry's tests and the benchmarks: random valid problems of every kind)."""
    if kind.example is None:
        raise HwsolverError(
            f"kind {kind.name} has no example hook: write example(seed) -> a random valid `given` in "
            f"hwsolver/kinds/{kind.name}/examples.py and pass it to Kind(example=...) (kinds/base.py; README: Adding "
            "a problem kind)"
        )
    name = f"{kind.name.replace('_', '-')}-example-{seed}"
    source, given = f"<{name}>", kind.example(seed)
    # written as YAML and read back as a problem file is: numbers exact as written, symbols plain
    parts = kind.parts_for(kind.parse_given(parse_text(yaml.safe_dump(given), source)))
    spec = {"id": name, "kind": kind.name, "title": name, "statement": f"Example {seed} of {kind.name}."}
    text = yaml.safe_dump({**spec, "given": given, "parts": list(parts)}, sort_keys=False, allow_unicode=True)
    return problem_from_node(parse_text(text, source))


def problem_from_node(root: Node) -> Problem:
    fields = root.fields(_TOP_REQUIRED, _TOP_OPTIONAL)
    problem_id = fields["id"].text()
    if not ID.fullmatch(problem_id):
        raise fields["id"].error(f"id '{problem_id}' must be kebab-case (lowercase words joined by '-')")
    kind_name = fields["kind"].text()
    if kind_name not in KINDS:
        raise fields["kind"].error(f"unknown kind '{kind_name}'; known kinds: {', '.join(sorted(KINDS))}")
    kind = KINDS[kind_name]
    given = kind.parse_given(fields["given"])
    answerable = kind.parts_for(given)
    mistakes = ()
    if "mistakes" in fields:
        asked = tuple(part.id for part in _parts(fields["parts"], answerable, kind))
        mistakes = read_mistakes(fields["mistakes"], kind, answerable, asked, languages)
    own = tuple(m.id for m in mistakes)
    options = read_options(fields["grading"]) if "grading" in fields else {}
    if "aliases" in fields:
        options = {**options, "aliases": _aliases(fields["aliases"])}
    if "grading" in fields:
        check_mistakes(fields["grading"], kind, own)
    # the variants' rules are checked here (hwsolver/variants draws them); statements show the given's values
    rules = read_rules(fields["vary"], fields["given"]) if "vary" in fields else ()
    if "require" in fields:
        read_require(fields["require"], kind)
    if "check" in fields:
        hidden_as_written(fields["check"], kind)
    return Problem(
        id=problem_id,
        kind=kind_name,
        title=filled(fields["title"], fields["given"], rules),
        statement=filled(fields["statement"], fields["given"], rules),
        given=given,
        parts=_parts(fields["parts"], answerable, kind, own),
        source=root.file,
        options=options,
        mistakes=mistakes,
    )


def hidden_as_written(node: Node, kind: Kind) -> tuple[str, ...]:
    """`check: {hidden: [no_activation_derivative]}`: the kind's mistakes that the problem as written cannot tell
    from the right answers, known to the lecturer (hwsolver check then accepts them there; every variant must
    still show every mistake)."""
    entries = node.fields(optional=("hidden",))
    if "hidden" not in entries:
        return ()
    known = {mistake.id for mistake in kind.mistakes}
    hidden = []
    for entry in entries["hidden"].items():
        mistake = entry.text()
        if mistake not in known:
            raise entry.error(f"unknown mistake '{mistake}'; {kind.name}'s mistakes: {', '.join(sorted(known))}")
        hidden.append(mistake)
    return tuple(hidden)


def _aliases(node: Node) -> dict[str, str]:
    """`aliases: {p: softmax(x)}`: names students may write for a formula (read in its place in every answer)."""
    found = {}
    for name, entry in node.mapping().items():
        text = entry.text()
        try:
            check_alias(name, text)
        except ExprError as error:
            raise entry.error(str(error).removeprefix("scope: ")) from None
        found[name] = text
    return found


def filled(node: Node, given: Node, rules: tuple[Rule, ...]) -> dict[str, str]:
    """A title or statement in every language, with its references to given values filled in."""
    entries = node.value if isinstance(node.value, dict) else {}
    return {lang: fill(text, entries.get(lang, node), given, rules, lang) for lang, text in languages(node).items()}


def languages(node: Node) -> dict[str, str]:
    if node.is_scalar:
        text = node.text()
        return dict.fromkeys(LANGUAGES, text)
    entries = node.fields(optional=LANGUAGES)
    if not entries:
        raise node.error(f"expected text in at least one language ({', '.join(LANGUAGES)})")
    texts = {lang: entry.text() for lang, entry in entries.items()}
    # A problem written in one language is shown in that language whatever the reader asked for.
    return {lang: texts.get(lang) or next(iter(texts.values())) for lang in LANGUAGES}


def check_mistakes(node: Node, kind: Kind, own: tuple[str, ...] = ()) -> None:
    """`mistake_credit` (read by options.py) may name only the kind's mistakes and the problem's `own`."""
    entries = node.mapping()
    if "mistake_credit" not in entries:
        return
    known = (*kind.credits, *own)
    for name, value in entries["mistake_credit"].mapping().items():
        if name not in known:
            close = close_match(name, known)
            hint = f" (did you mean '{close}'?)" if close else ""
            whose = "this problem's" if own else "this kind's"
            raise value.error(f"unknown mistake '{name}'{hint}; {whose} mistakes: {', '.join(known) or 'none'}")


def _parts(node: Node, answerable: tuple[str, ...], kind: Kind, own: tuple[str, ...] = ()) -> tuple[Part, ...]:
    parts: list[Part] = []
    for item in node.items():
        if item.is_scalar:
            part_id, points, options, id_node = item.text(), Fraction(1), {}, item
        else:
            entries = item.fields(["id"], ["points", *OPTIONS])
            id_node = entries["id"]
            part_id = id_node.text()
            points = entries["points"].number() if "points" in entries else Fraction(1)
            if points < 0:
                raise entries["points"].error("points must not be negative")
            options = read_options(item, allowed=("id", "points"))
            check_mistakes(item, kind, own)
        if part_id not in answerable:
            raise id_node.error(f"kind {kind.name} cannot answer part '{part_id}'; it answers: {', '.join(answerable)}")
        if any(part.id == part_id for part in parts):
            raise id_node.error(f"part '{part_id}' is listed twice")
        parts.append(Part(part_id, points, options))
    if not parts:
        raise node.error("expected at least one part")
    return tuple(parts)


def too_large(problem: Problem, answer: str = "") -> SpecError:
    """The error for answers past float64's safe range, placed at the given number of largest magnitude (the
    likeliest cause; positions are kept in the file only, so it is read again)."""
    what = f"the answer {answer}" if answer else "an answer"
    try:
        given = read_file(problem.source).mapping().get("given")
    except SpecError:
        given = None
    largest = max(_numbers(given), key=lambda pair: pair[0], default=None) if given is not None else None
    if largest is None:
        return SpecError(f"{problem.source}: given: numbers too large: {what} overflows (exceeds {LIMIT_TEXT})")
    return largest[1].error(f"{largest[1].value} is too large: {what} overflows (exceeds {LIMIT_TEXT})")


def _numbers(node: Node) -> Iterator[tuple[Fraction, Node]]:
    """Every number under `node` with its node, by magnitude, in file order."""
    if isinstance(node.value, str):
        value = parse_number(node.value) if node.plain else None
        if value is not None:
            yield abs(value), node
        return
    yield from (
        found
        for child in (node.value.values() if isinstance(node.value, dict) else node.value)
        for found in _numbers(child)
    )


def display_name(path: str | Path) -> str:
    """A path as the user will recognise it: relative to the working folder when it is under it."""
    path = Path(path)
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)

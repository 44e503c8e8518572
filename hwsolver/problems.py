"""Problem specs from YAML files: the common keys here, the kind's `given` in its own module."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from fractions import Fraction
from pathlib import Path
from typing import Any

from hwsolver.errors import SpecError
from hwsolver.kinds import KINDS
from hwsolver.model import LANGUAGES, Part, Problem
from hwsolver.node import Node
from hwsolver.resources import data_dir
from hwsolver.spec import read_file

_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_PART_ID = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
_TOP_REQUIRED = ("id", "kind", "title", "statement", "given", "parts")
_TOP_OPTIONAL = ("grading", "aliases")
# Grading options a problem (under `grading:`) or a part may set; the grader reads them:
# rtol/atol: the symmetric test |a-b| <= atol + rtol*max(|a|,|b|) (setting either turns the sig-fig rule off);
# sigfigs: accept any correct rounding to this many significant figures (default 3);
# partial: per-entry partial credit for vectors and matrices (default false);
# follow_through: share of the points for work consistent with the student's own earlier answers (default 1);
# convention_credit: share for a count right under another documented convention (default 1);
# form: {uses: [sigmoid], avoids: [exp]}: the functions a formula answer must and must not be written with;
# form_credit: share for a formula that is right but not in the required form (default 1/2).
GRADING_OPTIONS = (
    "rtol",
    "atol",
    "sigfigs",
    "partial",
    "follow_through",
    "convention_credit",
    "form",
    "form_credit",
)
_SHARES = ("follow_through", "convention_credit", "form_credit")


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
    """Every problem in `paths` (default: the built-in set), checking that ids are unique."""
    problems: list[Problem] = []
    seen: dict[str, str] = {}
    for file in problem_files(paths):
        problem = load_problem(file)
        if problem.id in seen:
            raise SpecError(f"{problem.source}: id '{problem.id}' is also the id of {seen[problem.id]}")
        seen[problem.id] = problem.source
        problems.append(problem)
    return problems


def load_problem(path: str | Path) -> Problem:
    """One problem file, validated against its kind."""
    return problem_from_node(read_file(path, _display(path)))


def problem_from_node(root: Node) -> Problem:
    fields = root.fields(_TOP_REQUIRED, _TOP_OPTIONAL)
    problem_id = fields["id"].text()
    if not _ID.fullmatch(problem_id):
        raise fields["id"].error(f"id '{problem_id}' must be kebab-case (lowercase words joined by '-')")
    kind_name = fields["kind"].text()
    if kind_name not in KINDS:
        raise fields["kind"].error(f"unknown kind '{kind_name}'; known kinds: {', '.join(sorted(KINDS))}")
    kind = KINDS[kind_name]
    given = kind.parse_given(fields["given"])
    return Problem(
        id=problem_id,
        kind=kind_name,
        title=_languages(fields["title"]),
        statement=_languages(fields["statement"]),
        given=given,
        parts=_parts(fields["parts"], kind.parts(given), kind_name),
        source=root.file,
        options={
            **(grading_options(fields["grading"]) if "grading" in fields else {}),
            **({"aliases": _aliases(fields["aliases"])} if "aliases" in fields else {}),
        },
    )


def _aliases(node: Node) -> dict[str, str]:
    """`aliases: {p: softmax(x)}`: names students may write for a formula (read in its place in every answer)."""
    from hwsolver.errors import ExprError
    from hwsolver.expr import check_alias

    found = {}
    for name, entry in node.mapping().items():
        text = entry.text()
        try:
            check_alias(name, text)
        except ExprError as error:
            raise entry.error(str(error).removeprefix("scope: ")) from None
        found[name] = text
    return found


def _languages(node: Node) -> dict[str, str]:
    if node.is_scalar:
        text = node.text()
        return dict.fromkeys(LANGUAGES, text)
    entries = node.fields(optional=LANGUAGES)
    if not entries:
        raise node.error(f"expected text in at least one language ({', '.join(LANGUAGES)})")
    texts = {lang: entry.text() for lang, entry in entries.items()}
    # A problem written in one language is shown in that language whatever the reader asked for.
    return {lang: texts.get(lang) or next(iter(texts.values())) for lang in LANGUAGES}


def _parts(node: Node, answerable: Iterable[str], kind: str) -> tuple[Part, ...]:
    answerable = tuple(answerable)
    parts: list[Part] = []
    for item in node.items():
        if item.is_scalar:
            part_id, points, options, id_node = item.text(), Fraction(1), {}, item
        else:
            entries = item.fields(["id"], ["points", *GRADING_OPTIONS])
            id_node = entries["id"]
            part_id = id_node.text()
            points = entries["points"].number() if "points" in entries else Fraction(1)
            if points < 0:
                raise entries["points"].error("points must not be negative")
            options = grading_options(item, allowed=("id", "points"))
        if part_id not in answerable:
            raise id_node.error(f"kind {kind} cannot answer part '{part_id}'; it answers: {', '.join(answerable)}")
        if any(part.id == part_id for part in parts):
            raise id_node.error(f"part '{part_id}' is listed twice")
        parts.append(Part(part_id, points, options))
    if not parts:
        raise node.error("expected at least one part")
    return tuple(parts)


def grading_options(node: Node, allowed: Iterable[str] = ()) -> dict[str, Any]:
    """The grading options set on a problem or a part (see GRADING_OPTIONS), validated."""
    entries = node.fields(optional=(*allowed, *GRADING_OPTIONS))
    options: dict[str, Any] = {}
    for key in GRADING_OPTIONS:
        if key not in entries:
            continue
        if key == "sigfigs":
            options[key] = entries[key].integer(minimum=1)
        elif key == "partial":
            options[key] = entries[key].boolean()
        elif key == "form":
            form = entries[key].fields(optional=("uses", "avoids"))
            options[key] = {name: tuple(item.text() for item in value.items()) for name, value in form.items()}
        elif key in _SHARES:
            share = entries[key].number()
            if not 0 <= share <= 1:
                raise entries[key].error(f"{key} is a share of the points, from 0 to 1; got {entries[key].value}")
            options[key] = share
        else:
            value = entries[key].number()
            if value < 0:
                raise entries[key].error(f"{key} must not be negative")
            options[key] = value
    return options


def _display(path: str | Path) -> str:
    """A path as the user will recognise it: relative to the working folder when it is under it."""
    path = Path(path)
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)

"""Commands on problems: solve, handout (worked solutions), kinds and new (writing problems)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from hwsolver.cli.base import LANG, cli, emit, out, user_errors, write_file

_STUDENT = click.option("--student", help="That student's own variant (drawn from the salt, or read from --lock).")


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--exact", is_flag=True, help='Exact values ("137/500"); 30 significant digits where irrational.')
@click.option("--float", "float_only", is_flag=True, help="Skip the exact path (large networks); float64 only.")
@_STUDENT
@click.option("--lock", type=click.Path(dir_okay=False), help="The lock file of the variants (hwsolver assign).")
@user_errors
def solve(
    paths: tuple[str, ...], fmt: str, exact: bool, float_only: bool, student: str | None, lock: str | None
) -> None:
    """Solve problems: PATHS are an assignment, problem files or folders (default: the built-in homework).

    \b
    Examples:
      hwsolver solve
      hwsolver solve problems/relu-network-update.yaml --format json --exact
      hwsolver solve homework.yaml --student PB21000101 --lock variants.lock.yaml
    """
    from hwsolver.solving import solutions_json, solutions_text
    from hwsolver.solving import solve as solve_one

    if lock and not student:
        raise click.UsageError("--lock needs --student: whose variant to solve")
    _, problems = _chosen(paths, student, lock)
    solutions = [solve_one(problem, exact=not float_only) for problem in problems]
    render = solutions_json if fmt == "json" else solutions_text
    click.echo(render(solutions, exact=exact), nl=fmt == "json")


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["md", "html", "tex"]), default="html", show_default=True)
@LANG
@click.option("--output", "-o", type=click.Path(), help="A file, or a folder to write handout.<format> into.")
@click.option(
    "--with-answers", "submission", type=click.Path(dir_okay=False), help="Annotate with one student's graded answers."
)
@_STUDENT
@click.option(
    "--lock", type=click.Path(dir_okay=False), help="Variants from this lock; without --student, one handout each."
)
@user_errors
def handout(
    paths: tuple[str, ...],
    fmt: str,
    lang: str,
    output: str | None,
    submission: str | None,
    student: str | None,
    lock: str | None,
) -> None:
    """Write worked solutions of problems as one handout (default: the built-in homework, HTML, Chinese).

    HTML is one self-contained file (MathML, inline SVG and CSS) that renders offline; tex is for xelatex.
    With --student, the worked solution of that student's own variant; with --lock alone, one handout per
    student of the lock, into the folder --output.

    \b
    Examples:
      hwsolver handout -o handout.html
      hwsolver handout problems/relu-network-update.yaml --format md --lang en
      hwsolver handout --with-answers PB21000001.yaml -o feedback/
      hwsolver handout homework.yaml --lock variants.lock.yaml -o solutions/
    """
    from hwsolver.handout.document import graded_annotations, output_path, render_handout
    from hwsolver.solving import solve as solve_one

    if lock and not student:
        if not output or submission:
            raise click.UsageError("--lock without --student writes one handout per student: give --output FOLDER")
        _handouts(paths, lock, output, fmt, lang)
        return
    chosen, problems = _chosen(paths, student, lock)
    solutions = [solve_one(problem) for problem in problems]
    annotations = graded_annotations(solutions, submission) if submission else None
    numbers = [entry.number for entry in chosen.entries]
    text = render_handout(solutions, fmt, lang, annotations, numbers=numbers, student=student)
    emit(text, None if output is None else output_path(output, fmt))


def _chosen(paths: tuple[str, ...], student: str | None, lock: str | None) -> tuple[Any, list[Any]]:
    """The set the paths name, and its problems: as written, or the student's own variants."""
    from hwsolver.spec.sets import load_set

    chosen = load_set(paths)
    if not student:
        return chosen, [entry.problem for entry in chosen.entries]
    from hwsolver.variants.assign import student_problems
    from hwsolver.variants.lock import read_lock

    return chosen, student_problems(chosen, student, read_lock(lock) if lock else None)


def _handouts(paths: tuple[str, ...], lock: str, output: str, fmt: str, lang: str) -> None:
    """One handout per student of the lock, each of that student's variants, named after the student."""
    from hwsolver.grading.names import feedback_names
    from hwsolver.handout.document import render_handout
    from hwsolver.solving import solve as solve_one
    from hwsolver.spec.sets import load_set
    from hwsolver.variants.assign import student_problems
    from hwsolver.variants.lock import read_lock

    chosen, frozen = load_set(paths), read_lock(lock)
    numbers = [entry.number for entry in chosen.entries]
    students = list(frozen.students)
    for name, student in zip(feedback_names(students), students):
        solutions = [solve_one(problem) for problem in student_problems(chosen, student, frozen)]
        text = render_handout(solutions, fmt, lang, numbers=numbers, student=student)
        write_file(Path(output) / f"{name}.{fmt}", text, quiet=True)
    click.echo(f"wrote {len(students)} handouts into {output}", err=True)


@cli.command()
@click.argument("kind", required=False)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "markdown"]),
    default="text",
    show_default=True,
    help="markdown: every kind's reference, as the README has it.",
)
@user_errors
def kinds(kind: str | None, fmt: str) -> None:
    """List the problem kinds, or show one KIND's given keys, parts and mistakes.

    \b
    Examples:
      hwsolver kinds
      hwsolver kinds mlp_backprop
    """
    from hwsolver.kinds.docs import kind_named, kind_text, kinds_text, reference_markdown

    if fmt == "markdown":
        out(reference_markdown())
    else:
        out(kind_text(kind_named(kind)) if kind else kinds_text())


@cli.command()
@click.argument("kind")
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Write to this file (never over another).")
@user_errors
def new(kind: str, output: str | None) -> None:
    """Write a problem of KIND to fill in: every given key commented, the required ones set to an example.

    \b
    Examples:
      hwsolver new conv_backprop -o problems/my-conv.yaml
    """
    from hwsolver.kinds.docs import kind_named, skeleton

    text = skeleton(kind_named(kind))
    if output is None:
        out(text)
        return
    from hwsolver.grading.outputs import write_text

    target = Path(output)
    if target.exists():
        raise click.ClickException(f"{target}: exists already; remove it or choose another name")
    write_text(target, text)
    click.echo(f"wrote {target}; fill in its <...> placeholders, then: hwsolver solve {target}", err=True)

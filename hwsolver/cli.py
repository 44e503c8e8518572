"""The command line: each command parses its options and calls one library function.

Heavy libraries (sympy, numpy) are imported inside the commands, so `hwsolver --help` starts fast.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import click

from hwsolver import __version__
from hwsolver.errors import HwsolverError


def _user_errors(command: Callable[..., Any]) -> Callable[..., Any]:
    """Turn the library's HwsolverError into click's "Error: ..." and exit status 1."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except HwsolverError as error:
            raise click.ClickException(str(error)) from None

    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="hwsolver")
def cli() -> None:
    """Solve, grade and explain neural-network math homework written as YAML."""


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--exact", is_flag=True, help='Exact values ("137/500"); 30 significant digits where irrational.')
@click.option("--float", "float_only", is_flag=True, help="Skip the exact path (large networks); float64 only.")
@_user_errors
def solve(paths: tuple[str, ...], fmt: str, exact: bool, float_only: bool) -> None:
    """Solve problems: PATHS are problem files or folders (default: the built-in homework).

    \b
    Examples:
      hwsolver solve
      hwsolver solve problems/relu-network-update.yaml --format json --exact
    """
    from hwsolver.solving import solutions_json, solutions_text, solve_paths

    solutions = solve_paths(paths, exact=not float_only)
    render = solutions_json if fmt == "json" else solutions_text
    click.echo(render(solutions, exact=exact), nl=fmt == "json")


@cli.command()
@click.argument("submissions", nargs=-1, required=True, type=click.Path())
@click.option(
    "--problems", "problems", multiple=True, type=click.Path(), help="Problem files or folders (default: built-in)."
)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--gradebook", type=click.Path(dir_okay=False), help="Write a CSV: one row per submission.")
@click.option("--feedback", type=click.Path(file_okay=False), help="Write one Markdown feedback file per student.")
@click.option("--jobs", type=click.IntRange(min=1), help="Worker processes (default and most: one per core).")
@click.option(
    "--file-seconds",
    type=click.FloatRange(min=0, min_open=True),
    default=10,
    show_default=True,
    help="A file's grading time; parts not checked by then are invalid.",
)
@click.option("--follow-links", is_flag=True, help="Grade symbolic links to files inside their folder.")
@click.option(
    "--hide-expected", is_flag=True, help="Feedback files name each mistake but not the right value (resubmission)."
)
@_user_errors
def grade(
    submissions: tuple[str, ...],
    problems: tuple[str, ...],
    fmt: str,
    gradebook: str | None,
    feedback: str | None,
    jobs: int | None,
    file_seconds: float,
    follow_links: bool,
    hide_expected: bool,
) -> None:
    """Grade student submissions (YAML files, or folders of them) against the problems.

    Exit status 0 whenever grading ran and its outputs were written, whatever the scores; a file that cannot
    be read gets its row with the reason, and never stops the others. Only regular files are graded: a link
    or a special file gets a row saying it was skipped; hidden files and archive debris (__MACOSX/, ._*) are
    left out and counted.

    \b
    Examples:
      hwsolver grade submissions/
      hwsolver grade submissions/ --gradebook grades.csv --feedback feedback/
      hwsolver grade submissions/ --feedback feedback/ --hide-expected
      hwsolver grade PB21000001.yaml --problems my-problems/ --format json
    """
    from hwsolver.grading import grade as grade_files
    from hwsolver.grading.outputs import write_feedback, write_gradebook
    from hwsolver.grading.reports import gradebook_header, join_json, render_outputs, summary_text
    from hwsolver.grading.workers import usable_cores

    if jobs and jobs > usable_cores():
        _warn(f"--jobs {jobs} is more than the {usable_cores()} cores: grading with {usable_cores()}")
    finish = functools.partial(
        render_outputs, fmt=fmt, gradebook=bool(gradebook), feedback=bool(feedback), hide_expected=hide_expected
    )
    with _progress_bar() as (start, advance):
        outputs, prepared = grade_files(
            submissions,
            problems,
            jobs=jobs,
            progress=advance,
            on_files=start,
            finish=finish,
            follow_links=follow_links,
            file_seconds=file_seconds,
            notice=_warn,
        )
    if not outputs:  # a folder without submissions is most likely the wrong folder
        _warn(f"no submission files (*.yaml, *.yml) in {', '.join(submissions)}")
    if gradebook:
        write_gradebook(gradebook, [gradebook_header(prepared), *(o.row for o in outputs)])
    if feedback:
        write_feedback(feedback, [(o.who, o.feedback) for o in outputs])
    if fmt == "json":
        _out(join_json([o.document for o in outputs]) + "\n")
    else:
        _out("".join(o.document for o in outputs) + summary_text([o.tally for o in outputs]))


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["md", "html", "tex"]), default="html", show_default=True)
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
@click.option("--output", "-o", type=click.Path(), help="A file, or a folder to write handout.<format> into.")
@click.option(
    "--with-answers", "submission", type=click.Path(dir_okay=False), help="Annotate with one student's graded answers."
)
@_user_errors
def handout(paths: tuple[str, ...], fmt: str, lang: str, output: str | None, submission: str | None) -> None:
    """Write worked solutions of problems as one handout (default: the built-in homework, HTML, Chinese).

    HTML is one self-contained file (MathML, inline SVG and CSS) that renders offline; tex is for xelatex.

    \b
    Examples:
      hwsolver handout -o handout.html
      hwsolver handout problems/relu-network-update.yaml --format md --lang en
      hwsolver handout --with-answers PB21000001.yaml -o feedback/
    """
    from hwsolver.handout.document import graded_annotations, output_path, render_handout
    from hwsolver.solving import solve_paths

    solutions = solve_paths(paths)
    annotations = graded_annotations(solutions, submission) if submission else None
    text = render_handout(solutions, fmt, lang, annotations)
    if output is None:
        _out(text)
        return
    from hwsolver.grading.outputs import write_text

    target = output_path(output, fmt)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise click.ClickException(f"{target.parent}: cannot write: {error.strerror or error}") from None
    write_text(target, text)
    click.echo(f"wrote {target}", err=True)


@cli.command()
@click.argument("grades", type=click.Path(dir_okay=False))
@click.option(
    "--problems",
    multiple=True,
    type=click.Path(),
    help="Problem files or folders the grading used (default: built-in).",
)
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="The report file (default: standard output).")
@click.option(
    "--format", "fmt", type=click.Choice(["html", "md", "json"]), help="Default: the output's extension, else html."
)
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
@_user_errors
def report(grades: str, problems: tuple[str, ...], output: str | None, fmt: str | None, lang: str) -> None:
    """Report how a class did, from GRADES (the JSON of `hwsolver grade --format json`).

    Per part: n, mean, median, standard deviation, facility, discrimination, the share of each verdict and the
    named mistakes with how many made them; per problem and for the whole assignment a histogram of the scores
    and the mean of each fifth of the class. HTML is one self-contained page with its charts inline.

    \b
    Examples:
      hwsolver grade submissions/ --format json > grades.json
      hwsolver report grades.json --output report.html
      hwsolver report grades.json --problems my-problems/ --lang en --output report.md
    """
    from hwsolver.report import class_report

    fmt = fmt or {".md": "md", ".json": "json"}.get(Path(output or "").suffix.lower(), "html")
    text = class_report(grades, problems, fmt=fmt, lang=lang)
    if output is None:
        _out(text)
        return
    from hwsolver.grading.outputs import write_text

    write_text(output, text)
    click.echo(f"wrote {output}", err=True)


# The export formats and Gradescope's visibility settings, as hwsolver.export lists them (tests/export checks):
# named here so that --help imports nothing.
EXPORT_FORMATS = ("canvas", "moodle", "blackboard", "gradescope", "csv")
VISIBILITY = ("visible", "after_published", "after_due_date", "hidden")


@cli.command()
@click.argument("grades", type=click.Path(dir_okay=False))
@click.option("--to", "to", type=click.Choice(EXPORT_FORMATS), required=True, help="The LMS to import into.")
@click.option("--output", "-o", type=click.Path(), required=True, help="The file (gradescope: the folder) to write.")
@click.option("--roster", type=click.Path(dir_okay=False), help="The LMS's own export of the class (CSV).")
@click.option("--column", default="Homework", show_default=True, help="The grade's column in the LMS.")
@click.option("--allow-missing", is_flag=True, help="Write the others when some students are missing.")
@click.option("--hide-expected", is_flag=True, help="Feedback names each mistake but not the right value.")
@click.option(
    "--visibility",
    type=click.Choice(VISIBILITY),
    default="after_published",
    show_default=True,
    help="Gradescope: when students see their results.",
)
@_user_errors
def export(
    grades: str,
    to: str,
    output: str,
    roster: str | None,
    column: str,
    allow_missing: bool,
    hide_expected: bool,
    visibility: str,
) -> None:
    """Export GRADES (the JSON of `hwsolver grade --format json`) in the format an LMS imports.

    With --roster (the LMS's own export of the class) students are matched by its id columns; students graded but
    not in the roster, roster students with no submission and files that could not be graded are listed on
    stderr, and then nothing is written (exit status 1) unless --allow-missing.

    \b
    Examples:
      hwsolver export grades.json --to canvas --roster canvas-gradebook.csv --column "Homework 3" -o canvas.csv
      hwsolver export grades.json --to moodle --roster moodle-grades.csv -o moodle.csv --hide-expected
      hwsolver export grades.json --to gradescope -o results/ --visibility visible
    """
    from hwsolver.export import Options, export_grades

    options = Options(column, hide_expected, visibility)
    done = export_grades(grades, to, output, roster=roster, options=options, allow_missing=allow_missing)
    for line in (*done.missing, *(f"note: {note}" for note in done.notes)):
        click.echo(line, err=True)
    if done.missing and not allow_missing:
        raise click.ClickException(
            f"{len(done.missing)} missing (listed above): nothing written; --allow-missing writes the others"
        )
    click.echo(f"wrote {output}", err=True)


@cli.command()
@click.argument("grades", type=click.Path(dir_okay=False))
@click.option(
    "--problems",
    multiple=True,
    type=click.Path(),
    help="Problem files or folders the grading used (default: built-in).",
)
@click.option(
    "--min-students",
    type=click.IntRange(min=2),
    default=3,
    show_default=True,
    help="Report answers shared by at least this many students.",
)
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Write to this file (default: standard output).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "yaml"]),
    default="text",
    show_default=True,
    help="yaml: the `mistakes:` blocks alone.",
)
@_user_errors
def mine(grades: str, problems: tuple[str, ...], min_students: int, output: str | None, fmt: str) -> None:
    """Find the wrong answers a class shares that no mistake explains, from GRADES (the JSON of `hwsolver grade
    --format json`).

    Each such answer shared by --min-students or more is printed with the students and what may explain it: a
    mistake their other answers ruled out, two mistakes together, a sign, a constant factor, a transposition, one
    wrong entry. The unexplained ones are written as a `mistakes:` block to paste into the problem file.

    \b
    Examples:
      hwsolver grade submissions/ --format json > grades.json
      hwsolver mine grades.json
      hwsolver mine grades.json --problems my-problems/ --min-students 5 --format yaml -o mistakes.yaml
    """
    from hwsolver.mine import mine as mine_grades
    from hwsolver.mine.outputs import mining_json, mining_text, mining_yaml

    mining = mine_grades(grades, problems, min_students=min_students)
    text = {"json": mining_json, "yaml": mining_yaml}.get(fmt, mining_text)(mining)
    if output is None:
        _out(text)
        return
    from hwsolver.grading.outputs import write_text

    write_text(output, text)
    click.echo(f"wrote {output}", err=True)


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
@_user_errors
def kinds(kind: str | None, fmt: str) -> None:
    """List the problem kinds, or show one KIND's given keys, parts and mistakes.

    \b
    Examples:
      hwsolver kinds
      hwsolver kinds mlp_backprop
    """
    from hwsolver.kinds.docs import kind_named, kind_text, kinds_text, reference_markdown

    if fmt == "markdown":
        _out(reference_markdown())
    else:
        _out(kind_text(kind_named(kind)) if kind else kinds_text())


@cli.command()
@click.argument("kind")
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Write to this file (never over another).")
@_user_errors
def new(kind: str, output: str | None) -> None:
    """Write a problem of KIND to fill in: every given key commented, the required ones set to an example.

    \b
    Examples:
      hwsolver new conv_backprop -o problems/my-conv.yaml
    """
    from hwsolver.kinds.docs import kind_named, skeleton

    text = skeleton(kind_named(kind))
    if output is None:
        _out(text)
        return
    from hwsolver.grading.outputs import write_text

    target = Path(output)
    if target.exists():
        raise click.ClickException(f"{target}: exists already; remove it or choose another name")
    write_text(target, text)
    click.echo(f"wrote {target}; fill in its <...> placeholders, then: hwsolver solve {target}", err=True)


def _warn(line: str) -> None:
    click.echo(f"warning: {line}", err=True)


def _out(text: str) -> None:
    """Write to standard output; a full disk or a closed pipe is a one-line error and exit status 1."""
    import os
    import sys

    try:
        click.echo(text, nl=False)
        sys.stdout.flush()
    except OSError as error:
        # What is still buffered would fail again at exit (and turn the status into 120): send it nowhere.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise click.ClickException(f"cannot write the output: {error.strerror or error}") from None


@contextlib.contextmanager
def _progress_bar() -> Iterator[tuple[Callable[[int], None], Callable[[int], None]]]:
    """A progress bar on stderr when it is a terminal and there are many files; nothing otherwise."""
    import sys

    bar: Any = None

    def start(total: int) -> None:
        nonlocal bar
        if total >= 20 and sys.stderr.isatty():
            bar = click.progressbar(length=total, label="grading", file=sys.stderr)
            bar.__enter__()

    def advance(count: int) -> None:
        if bar is not None:
            bar.update(count)

    try:
        yield start, advance
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)


def main() -> None:
    cli(prog_name="hwsolver")

"""Commands on a class's work: grade submissions, report on the grades, export them to an LMS, mine the wrong
answers the class shares."""

from __future__ import annotations

import functools
from pathlib import Path

import click

from hwsolver.cli.base import LANG, cli, emit, out, progress_bar, user_errors, warn

# Every command on a class's work reads its problems alike: an assignment (with its due date and late rule), or
# problem files and folders; those that read GRADES need the ones the grading used.
_PROBLEMS = click.option(
    "--problems",
    multiple=True,
    type=click.Path(),
    help="The problems graded: an assignment, or problem files or folders (default: the built-in homework).",
)


@cli.command()
@click.argument("submissions", nargs=-1, required=True, type=click.Path())
@_PROBLEMS
@click.option(
    "--lock", type=click.Path(dir_okay=False), help="Grade each student against their own variant (hwsolver assign)."
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
@user_errors
def grade(
    submissions: tuple[str, ...],
    problems: tuple[str, ...],
    lock: str | None,
    fmt: str,
    gradebook: str | None,
    feedback: str | None,
    jobs: int | None,
    file_seconds: float,
    follow_links: bool,
    hide_expected: bool,
) -> None:
    """Grade student submissions (YAML files, or folders of them) against the problems.

    An assignment with a `due:` date applies its `late:` rule to each file's `submitted:` time (README: Late
    submissions); a file without one is never taken as late.

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
      hwsolver grade submissions/ --problems homework.yaml --lock variants.lock.yaml
    """
    from hwsolver.grading import grade as grade_files
    from hwsolver.grading.outputs import write_feedback, write_gradebook
    from hwsolver.grading.reports import gradebook_header, json_pieces, render_outputs, summary_text
    from hwsolver.grading.workers import usable_cores

    if jobs and jobs > usable_cores():
        warn(f"--jobs {jobs} is more than the {usable_cores()} cores: grading with {usable_cores()}")
    from hwsolver.spec.sets import load_set

    assignment = load_set(problems)  # its due date and late rule apply to each file's `submitted:` time
    choose = None
    if lock:  # each student against their own variant; a student not in the lock gets a row saying so
        from hwsolver.variants.grading import Chooser
        from hwsolver.variants.lock import read_lock

        choose = Chooser(assignment, read_lock(lock))
    finish = functools.partial(
        render_outputs,
        fmt=fmt,
        gradebook=bool(gradebook),
        feedback=bool(feedback),
        hide_expected=hide_expected,
        deadline=assignment.deadline,
    )
    with progress_bar() as (start, advance):
        outputs, prepared = grade_files(
            submissions,
            assignment,
            jobs=jobs,
            progress=advance,
            on_files=start,
            finish=finish,
            follow_links=follow_links,
            file_seconds=file_seconds,
            notice=warn,
            choose=choose,
        )
    if not outputs:  # a folder without submissions is most likely the wrong folder
        warn(f"no submission files (*.yaml, *.yml) in {', '.join(submissions)}")
    undated = sum(o.undated for o in outputs)
    if undated:  # never late for want of a time: the lecturer should know lateness went unchecked
        warn(f"{undated} graded file{'s have' if undated > 1 else ' has'} no submitted: time: not checked for lateness")
    if gradebook:
        write_gradebook(
            gradebook, [gradebook_header(prepared, assignment.deadline is not None), *(o.row for o in outputs)]
        )
    if feedback:
        write_feedback(feedback, [(o.who, o.feedback) for o in outputs])
    if fmt == "json":
        from hwsolver.report.grades import lock_head

        out([*json_pieces([o.document for o in outputs], lock_head(lock) if lock else "{"), b"\n"])
    else:
        out("".join(o.document for o in outputs) + summary_text([o.tally for o in outputs]))


@cli.command()
@click.argument("grades", type=click.Path(dir_okay=False))
@_PROBLEMS
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="The report file (default: standard output).")
@click.option(
    "--format", "fmt", type=click.Choice(["html", "md", "json"]), help="Default: the output's extension, else html."
)
@LANG
@click.option(
    "--lock",
    type=click.Path(dir_okay=False),
    help="The variants' lock the grading used (default: the one GRADES records): facility by varied value.",
)
@user_errors
def report(
    grades: str, problems: tuple[str, ...], output: str | None, fmt: str | None, lang: str, lock: str | None
) -> None:
    """Report how a class did, from GRADES (the JSON of `hwsolver grade --format json`).

    Per part: n, mean, median, standard deviation, facility, discrimination, the share of each verdict and the
    named mistakes with how many made them; per problem and for the whole assignment a histogram of the scores
    and the mean of each fifth of the class. HTML is one self-contained page with its charts inline.

    \b
    Examples:
      hwsolver grade submissions/ --format json > grades.json
      hwsolver report grades.json --output report.html
      hwsolver report grades.json --problems my-problems/ --lang en --output report.md
      hwsolver report grades.json --problems homework.yaml --lock variants.lock.yaml -o report.html
    """
    from hwsolver.report import class_report

    fmt = fmt or {".md": "md", ".json": "json"}.get(Path(output or "").suffix.lower(), "html")
    emit(class_report(grades, problems, fmt=fmt, lang=lang, lock=lock), output)


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
@user_errors
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
@_PROBLEMS
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
@click.option(
    "--lock",
    type=click.Path(dir_okay=False),
    help="The lock the class was graded with (default: the one the grades record): only answers to the "
    "problems as written are mined.",
)
@user_errors
def mine(
    grades: str, problems: tuple[str, ...], min_students: int, output: str | None, fmt: str, lock: str | None
) -> None:
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

    mining = mine_grades(grades, problems, min_students=min_students, lock=lock)
    emit({"json": mining_json, "yaml": mining_yaml}.get(fmt, mining_text)(mining), output)

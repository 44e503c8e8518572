"""Commands on per-student variants: assign (draw and freeze them), sheet (each student's problem sheet and
submission template) and check (every problem and variant tested before it is handed out)."""

from __future__ import annotations

from pathlib import Path

import click

from hwsolver.cli.base import LANG, cli, out, progress_bar, user_errors, write_file


@cli.command()
@click.argument("assignment", required=False, type=click.Path(dir_okay=False))
@click.option("--roster", required=True, type=click.Path(dir_okay=False), help="The class as CSV: a row per student.")
@click.option("--output", "-o", required=True, type=click.Path(dir_okay=False), help="The lock file to write.")
@click.option("--id-column", default="student", show_default=True, help="The roster's column of student ids.")
@user_errors
def assign(assignment: str | None, roster: str, output: str, id_column: str) -> None:
    """Draw every student's own variant of each problem of ASSIGNMENT (default: the built-in homework) and freeze
    them in a lock file, which grade, handout and sheet then read.

    Each variant is drawn from SHA-256 of the assignment's salt, the student id and the problem id: the same
    roster gives the same lock, byte for byte. Every variant solves (exact and float agreeing), meets its
    problem's `require:` constraints, and keeps every classic mistake detectable. A lock is never overwritten
    with other variants.

    \b
    Examples:
      hwsolver assign --roster roster.csv -o variants.lock.yaml
      hwsolver assign homework.yaml --roster canvas.csv --id-column "SIS User ID" -o variants.lock.yaml
    """
    from hwsolver.spec.sets import load_set
    from hwsolver.variants.assign import assign as draw_all
    from hwsolver.variants.assign import roster_ids

    students = roster_ids(roster, id_column)
    chosen = load_set([assignment] if assignment else [])
    with progress_bar("drawing") as (start, advance):
        start(len(students))
        text = draw_all(chosen, students, progress=advance)
    target = Path(output)
    if target.exists() and _read(target) != text:
        raise click.ClickException(f"{target}: a lock with other variants exists; remove it or choose another name")
    write_file(target, text)
    varied = sum(1 for entry in chosen.entries if "vary" in entry.root.mapping())
    click.echo(f"{len(students)} students, each with a variant of {varied} of {len(chosen.entries)} problems", err=True)


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


@cli.command()
@click.argument("assignment", required=False, type=click.Path(dir_okay=False))
@click.option("--lock", required=True, type=click.Path(dir_okay=False), help="The lock file (hwsolver assign).")
@click.option("--output", "-o", required=True, type=click.Path(file_okay=False), help="The folder to write into.")
@click.option("--format", "fmt", type=click.Choice(["html", "md", "tex"]), default="html", show_default=True)
@LANG
@user_errors
def sheet(assignment: str | None, lock: str, output: str, fmt: str, lang: str) -> None:
    """Write each student's problem sheet (their own numbers, no answers) and, beside it, the submission template
    they fill in: STUDENT.html and STUDENT.yaml for every student of the lock.

    The template holds every asked part, empty, with the student id filled in; returned blank, every part
    grades as missing. ASSIGNMENT defaults to the built-in homework.

    \b
    Examples:
      hwsolver sheet --lock variants.lock.yaml -o sheets/
      hwsolver sheet homework.yaml --lock variants.lock.yaml -o sheets/ --format tex --lang en
    """
    from hwsolver.spec.sets import load_set
    from hwsolver.variants.lock import read_lock
    from hwsolver.variants.sheets import sheets

    chosen, frozen = load_set([assignment] if assignment else []), read_lock(lock)
    count = 0
    for name, text, template in sheets(chosen, frozen, fmt, lang):
        write_file(Path(output) / f"{name}.{fmt}", text, quiet=True)
        write_file(Path(output) / f"{name}.yaml", template, quiet=True)
        count += 1
    click.echo(f"wrote {count} sheets and submission templates into {output}", err=True)


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--lock", type=click.Path(dir_okay=False), help="Check every distinct variant of this lock too.")
@click.option("--samples", type=click.IntRange(min=0), default=0, help="Check this many drawn variants too.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@user_errors
def check(paths: tuple[str, ...], lock: str | None, samples: int, fmt: str) -> None:
    """Test every problem and variant before it is handed out: PATHS are an assignment, problem files or
    folders (default: the built-in homework).

    For each problem, as written and in each variant (--samples N drawn, or each distinct one of --lock): the
    spec is valid; the exact and float paths agree; the require: constraints hold; the right answers written as
    a student would (rounded as asked) get full marks; each classic mistake's answers get that mistake's name
    and less than full marks; an unreadable answer is invalid, a blank one missing; no mistake gives the right
    answers, and no two give the same ones; both languages are there; the handout and the sheet render; the
    problem's own tests: pass. Exit status 1 on any failure.

    \b
    Examples:
      hwsolver check
      hwsolver check homework.yaml --samples 50
      hwsolver check homework.yaml --lock variants.lock.yaml --format json
    """
    from hwsolver.spec.sets import load_set
    from hwsolver.variants.check import check_json, check_set, check_text
    from hwsolver.variants.lock import read_lock

    if lock and samples:
        raise click.UsageError("--lock or --samples, not both")
    found = check_set(load_set(paths), lock=read_lock(lock) if lock else None, samples=samples)
    out(check_json(found) + "\n" if fmt == "json" else check_text(found))
    if not all(c.ok for c in found):
        raise SystemExit(1)

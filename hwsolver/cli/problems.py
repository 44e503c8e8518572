"""Commands on problems: solve, handout (worked solutions), kinds and new (writing problems)."""

from __future__ import annotations

from pathlib import Path

import click

from hwsolver.cli.base import cli, out, user_errors, write_file


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--exact", is_flag=True, help='Exact values ("137/500"); 30 significant digits where irrational.')
@click.option("--float", "float_only", is_flag=True, help="Skip the exact path (large networks); float64 only.")
@user_errors
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
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["md", "html", "tex"]), default="html", show_default=True)
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
@click.option("--output", "-o", type=click.Path(), help="A file, or a folder to write handout.<format> into.")
@click.option(
    "--with-answers", "submission", type=click.Path(dir_okay=False), help="Annotate with one student's graded answers."
)
@user_errors
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
    from hwsolver.solving import solve
    from hwsolver.spec.sets import load_set

    entries = load_set(paths).entries
    solutions = [solve(entry.problem) for entry in entries]
    annotations = graded_annotations(solutions, submission) if submission else None
    text = render_handout(solutions, fmt, lang, annotations, numbers=[entry.number for entry in entries])
    if output is None:
        out(text)
        return
    write_file(output_path(output, fmt), text)


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

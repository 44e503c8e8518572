"""The command line: each command parses its options and calls one library function.

Heavy libraries (sympy, numpy) are imported inside the commands, so `hwsolver --help` starts fast.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
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


def main() -> None:
    cli(prog_name="hwsolver")

"""The command group and what every command shares: user errors at the edge, output, warnings, progress.

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


def user_errors(command: Callable[..., Any]) -> Callable[..., Any]:
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


# The options several commands take alike.
LANG = click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)


def warn(line: str) -> None:
    click.echo(f"warning: {line}", err=True)


_PIECES = 256  # pieces written at a time (of a grading run's JSON, a submission each: a megabyte or two)


def out(text: str | list[str] | list[bytes]) -> None:
    """Write text, or pieces of text one after another (or of UTF-8, written as they are), to standard output; a
    full disk or a closed pipe is a one-line error and exit status 1."""
    import os
    import sys

    try:
        pieces: list[Any] = [text] if isinstance(text, str) else text
        empty = b"" if pieces and type(pieces[0]) is bytes else ""
        for start in range(0, len(pieces), _PIECES):  # a class's JSON is tens of megabytes: never joined whole
            click.echo(empty.join(pieces[start : start + _PIECES]), nl=False)
        sys.stdout.flush()
    except OSError as error:
        # What is still buffered would fail again at exit (and turn the status into 120): send it nowhere.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise click.ClickException(f"cannot write the output: {error.strerror or error}") from None


@contextlib.contextmanager
def progress_bar(label: str = "grading") -> Iterator[tuple[Callable[[int], None], Callable[[int], None]]]:
    """A progress bar on stderr when it is a terminal and there are many files; nothing otherwise."""
    import sys

    bar: Any = None

    def start(total: int) -> None:
        nonlocal bar
        if total >= 20 and sys.stderr.isatty():
            bar = click.progressbar(length=total, label=label, file=sys.stderr)
            bar.__enter__()

    def advance(count: int) -> None:
        if bar is not None:
            bar.update(count)

    try:
        yield start, advance
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)


def write_file(output: str | Path, text: str, *, quiet: bool = False) -> None:
    """Write a whole output file (its folder made first), then say so on stderr (unless `quiet`)."""
    from hwsolver.grading.outputs import write_text

    target = Path(output)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise click.ClickException(f"{target.parent}: cannot write: {error.strerror or error}") from None
    write_text(target, text)
    if not quiet:
        click.echo(f"wrote {target}", err=True)


def emit(text: str, output: str | Path | None) -> None:
    """A command's one result: into the file `output` (said on stderr), or without one to standard output."""
    if output is None:
        out(text)
    else:
        write_file(output, text)

"""Writing the gradebook and the feedback files: whole or not at all, with the file's mode kept, and a full disk
or an unwritable place as a one-line error (HwsolverError), never a traceback."""

from __future__ import annotations

import csv
import io
import os
import stat
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from hwsolver.errors import HwsolverError
from hwsolver.grading.display import shown_path
from hwsolver.grading.names import feedback_names


def write_gradebook(path: str | Path, rows: Sequence[Sequence[Any]]) -> None:
    """The gradebook CSV."""
    buffer = io.StringIO()
    csv.writer(buffer).writerows([[_inert(cell) for cell in row] for row in rows])
    write_text(path, buffer.getvalue())


def _inert(cell: Any) -> Any:
    """A text cell a spreadsheet would run as a formula (=HYPERLINK(...), +1, @x) gets a leading quote."""
    return "'" + cell if isinstance(cell, str) and cell[:1] in ("=", "+", "-", "@", "\t", "\r") else cell


def write_feedback(folder: str | Path, pages: Sequence[tuple[str, str]]) -> list[Path]:
    """One Markdown file per (student id or file stem, text), named safely and uniquely (see names.py)."""
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise _failed(folder, error) from None
    paths = [folder / f"{name}.md" for name in feedback_names([who for who, _ in pages])]
    for path, (_, text) in zip(paths, pages):
        write_text(path, text)
    return paths


def write_text(path: str | Path, text: str) -> None:
    """Write a whole file: a reader never sees half of it. An existing file keeps its mode (a new one gets the
    umask's); a device or a pipe (/dev/stdout, /dev/full) is written in place, never replaced."""
    given, path = path, Path(os.path.realpath(path))  # through a link, the file it names (the link stays)
    try:
        try:
            mode = os.stat(path).st_mode
        except FileNotFoundError:
            mode = stat.S_IFREG | (0o666 & ~_umask())
        if not stat.S_ISREG(mode):
            with open(path, "w", encoding="utf-8", newline="") as stream:
                stream.write(text)
            return
        _replace(path, text, stat.S_IMODE(mode))
    except OSError as error:
        raise _failed(given, error) from None


def _replace(path: Path, text: str, mode: int) -> None:
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
            os.fchmod(stream.fileno(), mode)  # mkstemp made it 0600
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0o022)  # the only way to read it is to set it: put back at once
    os.umask(mask)
    return mask


def _failed(path: str | Path, error: OSError) -> HwsolverError:
    return HwsolverError(f"{shown_path(str(path))}: cannot write: {error.strerror or error}")

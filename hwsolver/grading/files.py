"""Which files of the given paths are submissions, as folders arrive from real archives.

Only regular files are graded. A symbolic link or a special file (a named pipe, a device, a socket) named like a
submission gets a row saying why it was skipped: a link could make the grader read /etc/passwd or a token file
into a report, a named pipe would stall it. Hidden files and the debris archivers leave (`__MACOSX/`, `._*`)
are left out and counted. Extensions are matched without regard to case (`*.YAML`, `*.Yml`).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Sequence
from dataclasses import dataclass, field

from hwsolver.grading.display import shown_path

EXTENSIONS = (".yaml", ".yml")
_DEBRIS_FOLDERS = ("__MACOSX",)


@dataclass(frozen=True)
class Source:
    """One submission file: the path to open, the name reports show, and why it is skipped (None: graded)."""

    path: str
    shown: str
    skipped: str | None = None


@dataclass
class Found:
    """The files of a run in order, how many hidden or debris files were left out, and folders not read."""

    sources: list[Source] = field(default_factory=list)
    hidden: int = 0
    unreadable: list[str] = field(default_factory=list)  # one line each: the folder and why


def submission_files(paths: Sequence[str], follow_links: bool = False) -> Found:
    """The submission files named by `paths`: files as given, folders as their *.yaml/*.yml files (sorted).

    With `follow_links`, a link to a regular file inside the folder it was found in (for a file given by name:
    the folder holding it) is graded as that file, under the link's name.
    """
    found = Found()
    for path in paths:
        try:
            mode = os.lstat(path).st_mode
        except OSError:
            found.sources.append(Source(path, shown_path(path)))  # gets its row with the reason when read
            continue
        if stat.S_ISDIR(mode) or (stat.S_ISLNK(mode) and os.path.isdir(path)):  # a folder named is the user's
            start = len(found.sources)
            _walk(path, os.path.realpath(path), follow_links, found)
            found.sources[start:] = sorted(found.sources[start:], key=lambda s: s.shown)
        else:
            folder = os.path.realpath(os.path.dirname(os.path.abspath(path)))
            found.sources.append(_source(path, mode, folder, follow_links))
    return found


def is_submission_name(name: str) -> bool:
    return name.lower().endswith(EXTENSIONS)


def _walk(top: str, root: str, follow_links: bool, found: Found) -> None:
    """Every submission file under `top` (scandir: the entry types come with the names, no stat per file)."""
    folders = [(top, False)]
    while folders:
        folder, debris = folders.pop()
        try:
            with os.scandir(folder) as scan:
                entries = list(scan)
        except OSError as error:
            found.unreadable.append(f"{shown_path(folder)}: cannot read the folder: {error.strerror or error}")
            continue
        for entry in entries:
            name = entry.name
            hidden = debris or name.startswith(".") or name in _DEBRIS_FOLDERS
            if entry.is_dir(follow_symlinks=False):
                folders.append((entry.path, hidden))  # walked all the same, to count what is left out
            elif is_submission_name(name):
                if hidden:
                    found.hidden += 1
                elif entry.is_file(follow_symlinks=False):
                    found.sources.append(Source(entry.path, shown_path(entry.path)))
                else:
                    try:
                        mode = entry.stat(follow_symlinks=False).st_mode
                    except OSError:  # gone meanwhile: its row says so when it is read
                        mode = stat.S_IFREG
                    found.sources.append(_source(entry.path, mode, root, follow_links))


def _source(path: str, mode: int, root: str, follow_links: bool) -> Source:
    """A file that is not a folder: graded if regular, or a link followed; else skipped, with why."""
    shown = shown_path(path)
    if stat.S_ISREG(mode):
        return Source(path, shown)
    if not stat.S_ISLNK(mode):
        return Source(path, shown, f"skipped: {_special(mode)}, not a regular file")
    if not follow_links:
        return Source(path, shown, "skipped: a symbolic link (--follow-links grades links to files in its folder)")
    target = os.path.realpath(path)
    try:
        target_mode = os.stat(target).st_mode
    except OSError as error:
        return Source(path, shown, f"skipped: a symbolic link to nothing readable ({error.strerror or error})")
    if os.path.commonpath([root, target]) != root:
        return Source(path, shown, "skipped: a symbolic link to a file outside its folder")
    if not stat.S_ISREG(target_mode):
        return Source(path, shown, f"skipped: a symbolic link to {_special(target_mode)}, not a regular file")
    return Source(target, shown)


def _special(mode: int) -> str:
    kinds = [
        (stat.S_ISFIFO, "a named pipe"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISDIR, "a folder"),
    ]
    return next((name for test, name in kinds if test(mode)), "a special file")

"""Finding submissions in folders as archives deliver them: links, special files, debris, odd names."""

from __future__ import annotations

import os
from pathlib import Path

from hwsolver.grading.display import shown, shown_path
from hwsolver.grading.files import Source, submission_files

LINK = "skipped: a symbolic link (--follow-links grades links to files in its folder)"


def test_only_regular_files_are_graded_links_and_pipes_get_a_row_saying_why(tmp_path) -> None:
    (tmp_path / "a.yaml").write_text("student: a\n")
    (tmp_path / "passwd.yaml").symlink_to("/etc/passwd")
    (tmp_path / "stdin.yaml").symlink_to("/proc/self/fd/0")
    (tmp_path / "inside.yaml").symlink_to("a.yaml")
    os.mkfifo(tmp_path / "pipe.yaml")
    (tmp_path / "notes.txt").symlink_to("/etc/passwd")  # not named like a submission: not listed at all
    found = submission_files([str(tmp_path)])
    assert found.sources == [
        Source(f"{tmp_path}/a.yaml", f"{tmp_path}/a.yaml"),
        Source(f"{tmp_path}/inside.yaml", f"{tmp_path}/inside.yaml", LINK),
        Source(f"{tmp_path}/passwd.yaml", f"{tmp_path}/passwd.yaml", LINK),
        Source(f"{tmp_path}/pipe.yaml", f"{tmp_path}/pipe.yaml", "skipped: a named pipe, not a regular file"),
        Source(f"{tmp_path}/stdin.yaml", f"{tmp_path}/stdin.yaml", LINK),
    ]


def test_follow_links_grades_links_to_regular_files_inside_the_folder_only(tmp_path) -> None:
    folder = tmp_path / "class"
    (folder / "sub").mkdir(parents=True)
    (folder / "sub" / "real.yaml").write_text("student: a\n")
    (tmp_path / "outside.yaml").write_text("student: b\n")
    (folder / "inside.yaml").symlink_to("sub/real.yaml")
    (folder / "outside.yaml").symlink_to("../outside.yaml")
    (folder / "passwd.yaml").symlink_to("/etc/passwd")
    (folder / "stdin.yaml").symlink_to("/proc/self/fd/0")
    (folder / "gone.yaml").symlink_to("nowhere.yaml")
    os.mkfifo(folder / "sub" / "pipe")
    (folder / "pipe.yaml").symlink_to("sub/pipe")
    found = submission_files([str(folder)], follow_links=True)
    skipped = {Path(s.shown).name: s.skipped for s in found.sources}
    assert skipped == {
        "gone.yaml": "skipped: a symbolic link to nothing readable (No such file or directory)",
        "inside.yaml": None,
        "outside.yaml": "skipped: a symbolic link to a file outside its folder",
        "passwd.yaml": "skipped: a symbolic link to a file outside its folder",
        "pipe.yaml": "skipped: a symbolic link to a named pipe, not a regular file",
        "real.yaml": None,
        "stdin.yaml": "skipped: a symbolic link to a file outside its folder",
    }
    inside = next(s for s in found.sources if s.shown.endswith("inside.yaml"))
    assert inside == Source(str(folder / "sub" / "real.yaml"), str(folder / "inside.yaml"))  # its name, its target


def test_files_named_on_the_command_line_follow_the_same_rules(tmp_path) -> None:
    (tmp_path / "a.txt").write_text("student: a\n")  # named by the user: graded whatever its extension
    (tmp_path / "link.yaml").symlink_to("a.txt")
    os.mkfifo(tmp_path / "pipe.yaml")
    paths = [str(tmp_path / n) for n in ("a.txt", "link.yaml", "pipe.yaml", "missing.yaml")]
    assert [s.skipped for s in submission_files(paths).sources] == [
        None,
        LINK,
        "skipped: a named pipe, not a regular file",
        None,  # its row says it cannot be read
    ]
    assert [s.path for s in submission_files(paths, follow_links=True).sources][:2] == [paths[0], paths[0]]


def test_standard_input_named_as_a_file_is_never_read() -> None:
    (source,) = submission_files(["/proc/self/fd/0"]).sources
    assert source.skipped == LINK
    (source,) = submission_files(["/proc/self/fd/0"], follow_links=True).sources
    assert source.skipped is not None and source.skipped.startswith("skipped: a symbolic link to ")


def test_extensions_match_without_regard_to_case_and_debris_is_counted_not_graded(tmp_path) -> None:
    for name in ("a.YAML", "b.Yml", "c.yml", "d.txt", ".hidden.yaml", "._c.yml"):
        (tmp_path / name).write_text("student: a\n")
    (tmp_path / "__MACOSX").mkdir()
    (tmp_path / "__MACOSX" / "._a.YAML").write_text("\x00\x05binary")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "x.yaml").write_text("")
    found = submission_files([str(tmp_path)])
    assert [Path(s.path).name for s in found.sources] == ["a.YAML", "b.Yml", "c.yml"]
    assert found.hidden == 4


def test_a_name_that_is_not_utf8_is_shown_with_escapes(tmp_path) -> None:
    raw = os.path.join(os.fsencode(tmp_path), "张三.yaml".encode("gbk"))
    Path(os.fsdecode(raw)).write_text("student: a\n")
    (source,) = submission_files([str(tmp_path)]).sources
    assert os.fsencode(source.path) == raw  # opened by its real bytes
    assert source.shown == f"{tmp_path}/\\xd5\\xc5\\xc8\\xfd.yaml"
    assert shown_path("a\nb\x1b[2J.yaml") == "a\\nb\\x1b[2J.yaml"


def test_shown_escapes_what_breaks_a_line_or_is_invisible_and_keeps_the_rest() -> None:
    assert shown("x\nPB0009 (Victim): 35/35\r\t\x1b[2J\x85") == "x\\nPB0009 (Victim): 35/35\\r\\t\\x1b[2J\\x85"
    assert shown("a\u202eb\u200bc\ufeffd\u2028e\U000e0041") == "a\\u202eb\\u200bc\\ufeffd\\u2028e\\U000e0041"
    assert shown("张三 Иван 김민준 😀 σ'(x) \\frac{1}{2}") == "张三 Иван 김민준 😀 σ'(x) \\frac{1}{2}"


def test_an_unreadable_folder_is_reported_not_fatal(tmp_path) -> None:
    (tmp_path / "a.yaml").write_text("student: a\n")
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0)
    try:
        found = submission_files([str(tmp_path)])
        if os.access(locked, os.R_OK):  # root reads it anyway
            assert found.unreadable == []
        else:
            assert found.unreadable == [f"{locked}: cannot read the folder: Permission denied"]
        assert [Path(s.path).name for s in found.sources] == ["a.yaml"]
    finally:
        locked.chmod(0o755)

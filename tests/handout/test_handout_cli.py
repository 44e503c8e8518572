"""`hwsolver handout` through click's runner: formats, languages, --output to a file or a folder."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from hwsolver.cli import cli

EXERCISE = "problems/relu-network-update.yaml"
ROOT = Path(__file__).resolve().parents[2]


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


@pytest.mark.parametrize(
    ("fmt", "lang", "start", "marker"),
    [
        ("md", "zh", "# 神经网络作业详解", "第 1 层"),
        ("md", "en", "# Neural-network homework", "Layer 1"),
        ("html", "zh", "<!DOCTYPE html>", '<html lang="zh-CN">'),
        ("tex", "en", r"\documentclass[11pt,a4paper]{article}", r"\begin{tikzpicture}"),
    ],
)
def test_formats_and_languages_to_stdout(fmt: str, lang: str, start: str, marker: str) -> None:
    code, output = invoke("handout", str(ROOT / EXERCISE), "--format", fmt, "--lang", lang)
    assert code == 0, output
    assert output.startswith(start) and marker in output


def test_default_is_the_builtin_set_in_chinese_html() -> None:
    code, output = invoke("handout")
    assert code == 0
    assert (
        output.startswith("<!DOCTYPE html>") and 'id="relu-network-update"' in output and 'id="mlp-op-count"' in output
    )


def test_output_file_and_folder(tmp_path: Path) -> None:
    target = tmp_path / "out" / "exercise.md"
    code, _ = invoke("handout", str(ROOT / EXERCISE), "--format", "md", "--output", str(target))
    assert code == 0 and target.read_text(encoding="utf-8").startswith("# 神经网络作业详解")
    code, _ = invoke("handout", str(ROOT / EXERCISE), "-o", str(tmp_path))
    assert code == 0 and (tmp_path / "handout.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_with_answers_annotates_the_graded_submission(tmp_path: Path) -> None:
    submission = tmp_path / "student.yaml"
    submission.write_text(
        "student: PB21000001\nanswers:\n  relu-network-update:\n    output_before: 0.3\n    loss_before: 0.025538\n",
        encoding="utf-8",
    )
    code, output = invoke(
        "handout", str(ROOT / EXERCISE), "--format", "md", "--lang", "en", "--with-answers", str(submission)
    )
    assert code == 0, output
    assert "> Your answer: `0.3` · **incorrect**" in output
    assert "> Your answer: `0.025538` · **correct**" in output


def test_missing_problem_file_is_a_user_error() -> None:
    code, output = invoke("handout", "nowhere.yaml")
    assert code == 1 and output.startswith("Error: nowhere.yaml: no such file or folder")


def test_tex_compiles_with_xelatex(tmp_path: Path) -> None:
    if shutil.which("xelatex") is None:
        pytest.skip("xelatex is not installed (TeX is not installed for tests; CI compiles where it is)")
    for lang in ("zh", "en"):
        source = tmp_path / f"handout-{lang}.tex"
        code, _ = invoke("handout", "--format", "tex", "--lang", lang, "-o", str(source))
        assert code == 0
        run = subprocess.run(
            ["xelatex", "-interaction=nonstopmode", "-halt-on-error", source.name],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert run.returncode == 0, run.stdout[-3000:]
        assert (tmp_path / f"handout-{lang}.pdf").exists()

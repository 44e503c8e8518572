"""The wheel carries every subpackage, the problems and the templates, and works on the oldest Python the package
supports (3.10): built and installed there, `hwsolver solve` prints what it prints here (skipped, saying so, where
no Python 3.10 is found and HWSOLVER_PYTHON310 is unset)."""

from __future__ import annotations

import fcntl
import glob
import hashlib
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from hwsolver.cli import cli

if sys.version_info >= (3, 11):
    import tomllib
else:  # the test extra installs tomli there
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
OLDEST = (3, 10)
# The Python 3.10 environment with the dependencies, made once (about a minute) and kept between runs.
CACHE = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "hwsolver-tests"


def test_every_subpackage_is_listed_in_pyproject() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    listed = set(config["packages"])
    found = {".".join(init.parent.relative_to(ROOT).parts) for init in (ROOT / "hwsolver").rglob("__init__.py")}
    assert found <= listed, f"add to [tool.setuptools] packages: {sorted(found - listed)}"
    assert config["package-dir"] == {"hwsolver.problems": "problems", "hwsolver.templates": "templates"}
    # setuptools warns about (and may one day leave out) a data subfolder that is not a listed package
    folders = {
        ".".join((package, *folder.relative_to(ROOT / top).parts))
        for package, top in config["package-dir"].items()
        for folder in (ROOT / top).rglob("*")
        if folder.is_dir() and folder.name != "__pycache__"
    }
    assert folders <= listed, f"add to [tool.setuptools] packages: {sorted(folders - listed)}"


def test_data_folders_are_found() -> None:
    from hwsolver.resources import data_dir

    assert sorted(data_dir("problems").glob("*.yaml"))
    assert sorted(data_dir("templates").rglob("*.j2"))


def runs_as_310(python: str) -> bool:
    """Whether `python` runs and is a 3.10 (a pyenv shim without that version selected fails to run)."""
    done = subprocess.run(
        [python, "-c", "import sys; print(sys.version_info[:2])"], capture_output=True, text=True, check=False
    )
    return done.returncode == 0 and done.stdout.strip() == str(OLDEST)


def python_310() -> str | None:
    """$HWSOLVER_PYTHON310 when set (it must be a Python 3.10), else python3.10 on the PATH or one pyenv installed;
    None when there is none."""
    chosen = os.environ.get("HWSOLVER_PYTHON310")
    if chosen:
        if not runs_as_310(chosen):
            pytest.fail(f"HWSOLVER_PYTHON310={chosen} is not a Python 3.10 that runs: point it at one, or unset it")
        return chosen
    pyenv = os.environ.get("PYENV_ROOT") or str(Path.home() / ".pyenv")
    candidates = [
        shutil.which("python3.10"),
        *sorted(glob.glob(f"{pyenv}/versions/3.10*/bin/python3.10"), reverse=True),
    ]
    return next((candidate for candidate in filter(None, candidates) if runs_as_310(candidate)), None)


@pytest.fixture(scope="module")
def oldest_environment() -> Iterator[Path]:
    """A Python 3.10 virtual environment with the package's dependencies (cached by their list), locked while used.
    Without a Python 3.10 (none found, HWSOLVER_PYTHON310 unset) the test skips and says so; .ci/run warns."""
    python = python_310()
    if python is None:
        pytest.skip(
            "no Python 3.10 found (PATH, pyenv versions; HWSOLVER_PYTHON310 unset): the wheel was NOT tried on the "
            "oldest Python the package supports. pyenv install 3.10, or set HWSOLVER_PYTHON310 to one"
        )
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    # what pip needs to build the wheel without build isolation, then what the package needs to run
    needed = [*pyproject["build-system"]["requires"], *pyproject["project"]["dependencies"]]
    digest = hashlib.sha256("\n".join([python, *needed]).encode()).hexdigest()[:12]
    CACHE.mkdir(parents=True, exist_ok=True)
    venv = CACHE / f"py310-{digest}"
    with open(CACHE / "py310.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one test run at a time installs into it
        if not venv.exists():
            making = CACHE / f"{venv.name}.making"
            shutil.rmtree(making, ignore_errors=True)
            subprocess.run([python, "-m", "venv", str(making)], check=True)
            pip = [str(making / "bin" / "python"), "-m", "pip", "install", "-q"]
            subprocess.run([*pip, *needed], check=True)
            making.rename(venv)
        yield venv


def test_the_wheel_installs_solves_and_grades_on_python_310(
    oldest_environment: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """pip builds the wheel from a copy of the sources (nothing written into the worktree), installs it without
    its dependencies (the cached environment has them), and `hwsolver solve`, run away from the sources, prints
    what it prints here; so does grading a student of a lock it draws."""
    source = tmp_path / "source"
    shutil.copytree(
        ROOT,
        source,
        ignore=shutil.ignore_patterns(".git", ".venv", "*.egg-info", "build", "dist", "__pycache__", ".*_cache"),
    )
    python = str(oldest_environment / "bin" / "python")
    install = [python, "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation", "--force-reinstall"]
    subprocess.run([*install, str(source)], check=True, capture_output=True)
    done = subprocess.run(
        [str(oldest_environment / "bin" / "hwsolver"), "solve"], cwd=tmp_path, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    here = CliRunner().invoke(cli, ["solve"])
    assert here.exit_code == 0
    assert done.stdout == here.output
    # a class with variants too: the lock drawn, and read back the quick way (spec/plainflow.py) to grade
    (tmp_path / "roster.csv").write_text("student\nS1\nS2\n", encoding="utf-8")
    answers = {"relu-network-update": {"output_before": 0.5}, "pooling-backprop": {"output": [[1, 2], [3, 4]]}}
    submission = yaml.safe_dump({"student": "S2", "answers": answers})
    (tmp_path / "s2.yaml").write_text(submission, encoding="utf-8")
    for args in (["assign", "--roster", "roster.csv", "-o", "lock.yaml"], ["grade", "s2.yaml", "--lock", "lock.yaml"]):
        there = subprocess.run(
            [str(oldest_environment / "bin" / "hwsolver"), *args], cwd=tmp_path, capture_output=True, text=True
        )
        assert there.returncode == 0, there.stderr
    graded = there.stdout
    monkeypatch.chdir(tmp_path)
    here = CliRunner().invoke(cli, ["grade", "s2.yaml", "--lock", "lock.yaml"])
    assert here.exit_code == 0 and graded == here.output

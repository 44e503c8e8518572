"""The wheel must carry every subpackage, the problems and the templates."""

from __future__ import annotations

from pathlib import Path

import pytest

tomllib = pytest.importorskip("tomllib")  # Python 3.11+; the package itself runs on 3.10

ROOT = Path(__file__).resolve().parent.parent


def test_every_subpackage_is_listed_in_pyproject() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    listed = set(config["packages"])
    found = {".".join(init.parent.relative_to(ROOT).parts) for init in (ROOT / "hwsolver").rglob("__init__.py")}
    assert found <= listed, f"add to [tool.setuptools] packages: {sorted(found - listed)}"
    assert config["package-dir"] == {"hwsolver.problems": "problems", "hwsolver.templates": "templates"}


def test_data_folders_are_found() -> None:
    from hwsolver.resources import data_dir

    assert sorted(data_dir("problems").glob("*.yaml"))
    assert sorted(data_dir("templates").rglob("*.j2"))

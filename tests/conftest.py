"""Shared test helpers."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def write_yaml(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Write text to a .yaml file in a temporary working folder and return its relative path."""
    monkeypatch.chdir(tmp_path)

    def write(text: str, name: str = "problem.yaml") -> Path:
        Path(name).write_text(text, encoding="utf-8")
        return Path(name)

    return write


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="Rewrite tests/golden/ from the current output instead of comparing.",
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    """Whether golden files are being regenerated (pytest --update-golden)."""
    return bool(request.config.getoption("--update-golden"))

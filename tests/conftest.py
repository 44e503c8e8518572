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

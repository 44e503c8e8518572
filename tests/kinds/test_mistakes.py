"""Every kind's named mistakes are documented in the README with their default shares."""

from __future__ import annotations

import re
from fractions import Fraction
from pathlib import Path

from hwsolver.kinds import KINDS

README = Path(__file__).resolve().parents[2] / "README.md"


def documented() -> dict[str, dict[str, Fraction]]:
    """The README's table of named mistakes: kind -> {mistake: default share}."""
    text = README.read_text(encoding="utf-8")
    table = text[text.index("| kind | mistakes | default share |") :].split("\n\n")[0]
    found: dict[str, dict[str, Fraction]] = {}
    for row in table.splitlines()[2:]:
        kind, mistakes, share = (cell.strip() for cell in row.strip("|").split("|"))
        ids = re.findall(r"`([a-z_<>]+)`", mistakes)
        found.setdefault(kind.strip("`"), {}).update(dict.fromkeys(ids, Fraction(share)))
    return found


def test_the_readme_lists_every_mistake_with_its_default_share() -> None:
    table = documented()
    assert set(table) == {name for name, kind in KINDS.items() if getattr(kind, "MISTAKES", None)}
    for name, kind in KINDS.items():
        if name == "op_count":  # one row for every switch a statement may fix
            assert set(kind.MISTAKES.values()) == {table[name]["<switch>_counted"]}
            assert {"activation_counted", "update_not_counted"} <= set(kind.MISTAKES)
            continue
        assert table[name] == kind.MISTAKES, name

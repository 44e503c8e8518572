"""Rules of the test suite itself: no test skips because an import failed (an import error in hwsolver would turn
its tests into quiet skips). Tests skip only for a missing outside program (Chromium, xelatex, Python 3.10) and
say why."""

from __future__ import annotations

import re
from pathlib import Path

TESTS = Path(__file__).resolve().parent
IMPORT_OR_SKIP = re.compile(r"import" + r"orskip|except\s*\(?[^:\n]*\b(ImportError|ModuleNotFoundError)\b")


def test_no_test_skips_on_an_import_error() -> None:
    found = [
        f"{path.relative_to(TESTS.parent)}:{number}: {line.strip()}"
        for path in sorted(TESTS.rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if IMPORT_OR_SKIP.search(line)
    ]
    assert not found, "import plainly (an ImportError must fail the suite, not skip a test):\n" + "\n".join(found)

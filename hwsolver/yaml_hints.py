"""Plain words for the YAML syntax errors that libyaml describes obscurely, for spec.py's messages."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import yaml  # only spec.py reads YAML; this module reads its error marks

_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")  # YAML's line breaks, as its marks count lines


def syntax_hint(text: str, mark: yaml.Mark | None) -> str | None:
    """What to say instead of libyaml's words for the syntax error at `mark`, or None to keep them."""
    if mark is None:
        return None
    lines = _LINE_BREAK.split(text)
    line = lines[mark.line] if mark.line < len(lines) else ""
    indent = line[: len(line) - len(line.lstrip(" \t"))]
    # libyaml's own words for a tab there are often "found character that cannot start any token"
    if "\t" in indent and mark.column <= len(indent):
        return "a tab in the indentation; YAML indents with spaces only"
    return None

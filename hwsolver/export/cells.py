"""Cells of the files an LMS imports: scores as decimals, text on one line and never a spreadsheet formula.

A lecturer opens these files in a spreadsheet before importing them, and student text (ids, names, feedback) may
be hostile: a cell that starts with = + - @, a tab or a carriage return would run as a formula
(=HYPERLINK(...), -2+3), so it gets a leading ' (and shows as text); a number such as -1.5 stays a number.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from fractions import Fraction

from hwsolver.grading.display import shown
from hwsolver.report.document import decimal_text

_NUMBER = re.compile(r"-?(?:\d+(?:\.\d*)?|\.\d+)")
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def inert(cell: str) -> str:
    """The text as one line that no spreadsheet runs as a formula."""
    text = shown(cell)  # tabs, line breaks and invisible characters escaped: one line
    if text.startswith(_FORMULA) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


def score_text(value: Fraction | int, places: int = 4) -> str:
    """A score rounded half up to `places` decimals, without trailing zeros: 35, 30.5, 8.89."""
    return decimal_text(value, places)


def csv_text(rows: Iterable[Sequence[str]], quote_all: bool = False) -> str:
    """CSV (RFC 4180, CRLF line ends) with every cell made inert."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL)
    writer.writerows([inert(cell) for cell in row] for row in rows)
    return buffer.getvalue()

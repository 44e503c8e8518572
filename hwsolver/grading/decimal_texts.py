"""Plain decimal texts (nearly every number a class writes) read as floats, alone or in nested rows, each text
read once per process: a class's new answers are mostly numbers written before in other arrays."""

from __future__ import annotations

import math
from typing import Any

from hwsolver.memo import Bounded
from hwsolver.numbers import decimal_value
from hwsolver.numbers.decimals import is_decimal
from hwsolver.spec.node import shape_of

# Decimal texts read before, with their values (floats, and Written ones: never changed, so shared): a class's
# new answers are mostly numbers written before in other arrays; other short texts as None. Bounded.
_DECIMALS: Bounded[str, float | None] = Bounded(65_536)
_UNREAD = object()


def decimals(texts: Any) -> Any:
    """Nested tuples of decimal texts as floats, when every text is a plain decimal and the rows agree in shape;
    None otherwise."""
    if type(texts) is str:
        return decimal(texts)
    if type(texts) is not tuple:
        return None
    # most vectors and matrices: rows of texts each read before (values, never None), looked up row at a time
    if texts and type(texts[0]) is tuple:
        rows = tuple(map(known_row, texts))
        if None not in rows and len(set(map(len, rows))) == 1:
            return rows
    else:
        row = known_row(texts)
        if row is not None:
            return row
    values = tuple([decimal(text) if type(text) is str else decimals(text) for text in texts])
    if None in values:
        return None
    # a row of numbers (nearly every row) is rectangular as it is: only rows of rows are compared in shape
    if any(type(v) is tuple for v in values) and len({shape_of(v) if type(v) is tuple else () for v in values}) > 1:
        return None
    return values


def known_row(texts: Any) -> tuple[float, ...] | None:
    """A row of texts that are each a plain decimal read before: their values, without a call per text (texts kept
    in _DECIMALS are short; one it does not hold, or holds as no decimal, makes it None: decimals decides)."""
    if type(texts) is not tuple:
        return None
    try:
        values = tuple(map(_DECIMALS.get, texts))
    except TypeError:  # a mapping in the row: not a number
        return None
    return None if None in values else values


def decimal(text: str) -> float | None:
    """A plain decimal (nearly every number a class writes) as a float, or None: other text, or a decimal past
    float64's range (read exactly then, or refused, by the slower paths)."""
    if len(text) > 40:  # a hostile megabyte of text is neither parsed nor kept
        return None
    found = _DECIMALS.get(text, _UNREAD)
    if found is not _UNREAD:
        return found
    found = decimal_value(text) if is_decimal(text) else None
    if found is not None and not math.isfinite(found):
        found = None
    return _DECIMALS.keep(text, found)

"""Whether a student's e(l-1) is a slip's answer within the slack of rounding: the matchers' comparison (grading.py).

A matcher asks this of every wrong answer to e(l-1) in every variant, and most answers are far from every slip's:
so an answer of plain numbers in nested tuples (what the student's YAML gives) is read entry by entry, its shape
told level by level before the next is read, and told wrong at its first far entry, without building a NumPy array
(test_conv_variant_work.py checks it says what NumPy's allclose says); anything else goes through NumPy.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from hwsolver.compute.closeness import allclose
from hwsolver.numbers import Written

Layout = tuple[tuple[int, ...], list[float]]  # an answer's shape and its numbers in row-major order (checkers.layout)
# Students round (3 significant figures by default); a shape-recognised answer is compared this loosely.
RTOL, ATOL = 6e-3, 1e-9

# Floats compared as they are: a decimal written with trailing zeros (0.50, numbers.Written) is a float that keeps its
# figures, and computes as its float does
_FLOATS = frozenset((float, Written))


def laid_out(array: np.ndarray) -> Layout:
    """An array as `near` wants it: its shape and its numbers in row-major order."""
    return array.shape, array.ravel().tolist()


def entries(value: Any, shape: tuple[int, ...]) -> list[Any] | None:
    """An answer's entries in row-major order when it is an array of `shape`, else None: nested tuples or lists of
    those lengths whose entries are no sequence (what np.shape(value) == shape tells, without building the array).
    Level by level, each told by its lengths before the next is read: most wrong answers are told by their first."""
    items = [value]
    for size in shape:
        for item in items:  # (a loop, not all() over a generator: most answers are told at the first level)
            if not isinstance(item, tuple | list) or len(item) != size:
                return None
        items = [entry for item in items for entry in item]
    for item in items:
        if isinstance(item, tuple | list):
            return None
    return items


def near(value: Any, want: Layout, flat: list[Any] | None = None) -> bool:
    """Whether an answer is an array of the wanted shape, within the slack of students' rounding of the wanted
    numbers (in row-major order). An answer of floats (written ones too) and small whole numbers (a ReLU's 0) in
    nested tuples of that shape (most) is compared entry by entry as allclose compares them, and told wrong at its
    first far entry (most are); anything else through NumPy. `flat`: the answer's entries, when the caller has read
    them already (entries(value, shape): one read for several wanted arrays of that shape). Told wrong at the first
    far number even when a later entry is no number: NumPy either cannot read the answer or finds that entry far."""
    shape, wanted = want
    if type(value) is not tuple:
        flat = None  # (lists and the rest: NumPy reads them)
    elif flat is None:
        flat = entries(value, shape)
    if flat is not None:
        for g, w in zip(flat, wanted, strict=True):
            if type(g) not in _FLOATS and type(g) is not int:
                break  # not a number: NumPy says (it may read the entry, or not)
            # (an int compares with a float, and subtracts, as NumPy's float of it does)
            if not (g == w or abs(g - w) <= ATOL + RTOL * abs(w)):
                return False  # far at this entry, whatever the entries after it: NumPy would say so too
        else:
            return True
    try:
        got = np.array(value, dtype=float)
    except (TypeError, ValueError):
        return False
    return got.shape == shape and allclose(got, np.array(wanted).reshape(shape), rtol=RTOL, atol=ATOL)

"""Exact numbers as float64 arrays: what the float paths, a grader's mutants and its follow-through read of a
given (a class's variants each convert theirs)."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np


def float_array(values: Any) -> np.ndarray:
    """A number, or rectangular nested tuples or lists of numbers, as a read-only float64 array (shared by every
    reader of a given's floats). A Fraction's float is its numerator / denominator read off its terms (what float()
    gives, bit for bit, without numbers.Rational's detour: NumPy's own conversion calls float() per number); any
    other number goes through float()."""
    nested = type(values) is tuple or type(values) is list
    found = np.array(floats(values) if nested else floats((values,))[0])
    found.flags.writeable = False
    return found


def floats(values: tuple | list) -> list:
    """Each number's float (as float_array's), in lists nested as the numbers are."""
    return [
        floats(value)
        if type(value) is tuple or type(value) is list
        else value._numerator / value._denominator  # type: ignore[attr-defined]
        if type(value) is Fraction
        else float(value)
        for value in values
    ]

"""Feedback file names from student ids: readable in any script, safe on every system, never two alike.

A name keeps letters, digits, marks and symbols of any script (Cyrillic, Hangul, emoji) and ASCII's `-_.`;
everything else (separators, spaces, `<>:"/\\|?*`) becomes `_`. Windows' reserved device names (CON, nul.txt,
COM1, ...) get a leading `_`. Names are compared as macOS and Windows compare them (without regard to case or
Unicode normalization): when several files would share a name, none of them gets it; each gets the name with a
number that no other file's name can be, so one student's feedback never takes another student's name.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Sequence

_RESERVED = frozenset(
    ["con", "prn", "aux", "nul"] + [f"{device}{n}" for device in ("com", "lpt") for n in "0123456789¹²³"]
)
_MAX_BYTES = 120  # of a name's UTF-8 (file systems allow 255), leaving room for a number and the extension


def feedback_names(ids: Sequence[str]) -> list[str]:
    """A file name (without extension) for each id, in order, unique without regard to case."""
    stems = [safe_name(i) for i in ids]
    keys = [_key(stem) for stem in stems]
    counts = Counter(keys)
    taken = set(keys)  # every plain name belongs to someone: a numbered name never takes one
    names = []
    for stem, key in zip(stems, keys):
        if counts[key] > 1:
            number = 1
            while _key(f"{stem}-{number}") in taken:
                number += 1
            stem = f"{stem}-{number}"
            taken.add(_key(stem))
        names.append(stem)
    return names


def safe_name(text: str) -> str:
    """The text as a file name on any system: unsafe characters as `_`, not reserved, not hidden, short."""
    kept: list[str] = []
    for char in unicodedata.normalize("NFC", text):
        if _safe(char):
            kept.append(char)
        elif kept[-1:] != ["_"]:  # a run of unsafe characters is one `_`
            kept.append("_")
    name = "".join(kept)
    while len(name.encode("utf-8")) > _MAX_BYTES:
        name = name[:-1]
    name = name.strip("._")  # not hidden, no trailing dot (Windows drops it)
    if name.split(".")[0].casefold() in _RESERVED:
        name = "_" + name
    return name or "submission"


def _safe(char: str) -> bool:
    if char.isascii():
        return char.isalnum() or char in "-_."
    return unicodedata.category(char)[0] in "LNMS"


def _key(name: str) -> str:
    return unicodedata.normalize("NFKC", name).casefold()

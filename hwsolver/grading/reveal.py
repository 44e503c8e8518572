"""Right values in feedback, kept separable: feedback for homework still open to resubmission (`--hide-expected`)
names the mistake and where it is, but not the value that would have been right.

Where the grader writes a right value into a sentence, it wraps that clause with `expected(clause, instead)`;
`split` then gives the feedback as written and the feedback with `instead` in place of each such clause. The
marks are private-use characters no sentence of the grader's has; the same characters coming from a student's
text (quoted in a message) are dropped, and can only ever take text away from the hidden feedback.
"""

from __future__ import annotations

import re
from functools import lru_cache

_OPEN, _OR, _CLOSE = "\ue000", "\ue001", "\ue002"
_MARKED = re.compile(f"{_OPEN}([^{_OPEN}{_OR}{_CLOSE}]*){_OR}([^{_OPEN}{_OR}{_CLOSE}]*){_CLOSE}")
_STRAY = re.compile(f"[{_OPEN}{_OR}{_CLOSE}]")

# Sentences written outside grading/ that end with a right value: the expression module's evidence ("differs at
# x = 1.09569: 0.25 vs 0.187774 expected") and the operation count's ("..., this gives 0, the count is 16").
_DIFFERS = re.compile(r"(?P<before>.*: )(?P<got>\S+) vs (?P<want>\S+) expected$", re.DOTALL)
_COUNT = re.compile(r"(?P<before>.*this gives \S+)(?P<clause>, the count is \S+)$", re.DOTALL)


def expected(clause: str, instead: str = "") -> str:
    """`clause` (which states a right value), marked to be replaced by `instead` when right values are hidden."""
    return f"{_OPEN}{clause}{_OR}{instead}{_CLOSE}"


@lru_cache(maxsize=4096)  # a class's feedback repeats: each sentence is split once
def split(feedback: str) -> tuple[str, str]:
    """(the feedback as written, the feedback with every right value left out)."""
    if not _has_marks(feedback):
        return feedback, feedback
    # split at the marked clauses: [text, clause, instead, text, ...] (a third of re.sub's time with a template,
    # which a class with per-student variants, every sentence new, pays for each)
    pieces = _MARKED.split(feedback)
    written, hidden = pieces[:], pieces[:]
    del written[2::3], hidden[1::3]
    return _unmarked("".join(written)), _unmarked("".join(hidden))


def _has_marks(text: str) -> bool:
    """Whether any mark is in the text: three plain searches, a fraction of a pattern's scan of every character."""
    return _OPEN in text or _OR in text or _CLOSE in text


def _unmarked(text: str) -> str:
    """The text without stray marks (nearly always none are left: then the text itself, not scanned again)."""
    return _STRAY.sub("", text) if _has_marks(text) else text


def marked(sentence: str) -> str:
    """A sentence from outside grading/ (formula evidence, a kind's count evidence) with its right value marked."""
    found = _DIFFERS.match(sentence)
    if found:
        got = found["got"]
        return found["before"] + expected(f"{got} vs {found['want']} expected", f"yours gives {got}")
    found = _COUNT.match(sentence)
    if found:
        return found["before"] + expected(found["clause"])
    return sentence

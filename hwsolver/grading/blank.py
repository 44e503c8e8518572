"""Answers that are no answer: a key left empty, or a remark in its place ("idk", "不会", "see the paper copy").

A TA calls these `missing`, not `invalid`: there is nothing to read, so "unknown name 'idk'" would be beside the
point. A remark is recognised only after the answer failed to read as what was asked (so `是` stays a yes).
"""

from __future__ import annotations

import unicodedata

from hwsolver.spec.node import Node

# remarks students write instead of an answer, compared in lower case with spacing and end punctuation removed
_REMARKS = frozenset(
    {
        "idk",
        "i don't know",
        "i dont know",
        "don't know",
        "dont know",
        "no idea",
        "dunno",
        "n/a",
        "na",
        "none",
        "skip",
        "skipped",
        "todo",
        "tbd",
        "?",
        "??",
        "???",
        "-",
        "--",
        "不会",
        "不知道",
        "不懂",
        "略",
        "无",
        "空",
        "未做",
        "没做",
    }
)


def blank(node: Node) -> bool:
    """A key with no value: nothing after the colon, `null`, `~`, or a quoted text of spaces only."""
    content = node.content  # a collection not built yet is no text: it stays unread
    return type(content) is str and (node.is_null or not content.strip())


def remark(node: Node) -> str | None:
    """The text (on one line) when an answer that could not be read is a remark in place of one, else None.

    A remark is one of the usual non-answers, or a text in Chinese characters alone (no digit, Latin letter or
    mathematical sign: "见纸质版"), which no answer here is.
    """
    if not node.is_scalar:
        return None
    text = " ".join(str(node.value).split())
    said = text.lower().rstrip(".!。！").replace("’", "'")
    if said in _REMARKS or (said and all(_chinese(char) or char in " ，。、！？：；“”" for char in said)):
        return text
    return None


def _chinese(char: str) -> bool:
    return unicodedata.name(char, "").startswith(("CJK UNIFIED IDEOGRAPH", "CJK COMPATIBILITY IDEOGRAPH"))

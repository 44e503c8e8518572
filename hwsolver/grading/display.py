"""Student text and file names as reports show them: on one line, with every invisible character escaped.

A key with a newline could forge a report line, an ESC sequence could clear the lecturer's terminal, a
right-to-left override could make one name read as another, and a file name that is not UTF-8 (a Windows
archive unpacked by `unzip`) cannot be written at all. So every piece of text a student controls is shown
through `shown`, and every file name through `shown_path`.
"""

from __future__ import annotations

import os
import re

# Control characters (C0, DEL, C1), line and paragraph separators, lone surrogates (undecodable file-name bytes
# as Python keeps them), and the format characters of Unicode 14 (bidirectional controls, zero-width characters,
# the byte-order mark, tag characters): all either break a line or are invisible.
FORMAT = (
    "\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890-\u0891\u08e2\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064"
    "\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U00013438\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f"
)
_HIDDEN = re.compile(f"[\\x00-\\x1f\\x7f-\\x9f\\u2028\\u2029\\ud800-\\udfff{FORMAT}]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def shown(text: str) -> str:
    """The text with each control, separator or invisible character written as an escape (\\n, \\x1b, \\u202e)."""
    if text.isprintable() or not _HIDDEN.search(text):  # nearly always (isprintable: 10 times faster)
        return text
    return _HIDDEN.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    char = match[0]
    code = ord(char)
    if char in _NAMED:
        return _NAMED[char]
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def shown_path(path: str) -> str:
    """A file name as reports show it: bytes that are not UTF-8 as \\xNN, control characters escaped."""
    if path.isprintable():  # no control characters, and no lone surrogates: nearly always
        return path
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:  # undecodable bytes, kept by Python as lone surrogates
        path = os.fsencode(path).decode("utf-8", "backslashreplace")
    return shown(path)

"""Math Markdown, the handouts' source language: the few Markdown constructs they use, with $...$ math.

Blocks: headings (`## Title {#anchor}`), paragraphs, lists (`-`, `1.`; an item continues on lines indented by
two spaces), pipe tables, quotes (`> `), rules (`---`), display math (`$$ ... $$`), raw HTML blocks (a line
starting with `<tag`, up to a blank line) and raw fenced blocks for one output (```` ```{=latex} ````).
Inline: `$math$`, `` `code` ``, `**strong**`, `[text](#anchor)` and backslash escapes. Math is found before
any other markup, so underscores and asterisks inside formulas are never mistaken for emphasis. The HTML and
LaTeX writers (mathdown_html.py, mathdown_tex.py) turn the parsed blocks into their markup.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_HEADING = re.compile(r"(#{1,6})\s+(.*?)(?:\s+\{#([A-Za-z0-9_-]+)\})?\s*$")
_ITEM = re.compile(r"(?:([-*])|(\d+)[.)])\s+(.*)")
_FENCE = re.compile(r"```\{=(\w+)\}\s*$")
_HTML_START = re.compile(r"<[A-Za-z!?]")
_CELL_SPLIT = re.compile(r"(?<!\\)\|")
_CJK = re.compile(r"[\u2e80-\u9fff\uff00-\uffef\u3000-\u303f]")
_INLINE = re.compile(r"\\([!-/:-@\[-`{-~])|(`+)|\$(?=\S)|\*\*|\[")
_LINK = re.compile(r"\[((?:[^\]\\]|\\.)*)\]\(#([A-Za-z0-9_-]+)\)")


@dataclass(frozen=True)
class Block:
    """One block: `kind` is heading, paragraph, list, table, quote, rule, math or raw."""

    kind: str
    text: str = ""
    items: tuple[str, ...] = ()  # list items; table header cells
    rows: tuple[tuple[str, ...], ...] = ()  # table body
    level: int = 0  # heading level
    anchor: str = ""  # heading anchor
    ordered: bool = False  # list
    fmt: str = ""  # raw: "html" or "latex"


def join_lines(lines: list[str]) -> str:
    """Lines of one paragraph as one line: no space where the break sits between Chinese characters."""
    text = ""
    for line in (line.strip() for line in lines):
        if text and not (_CJK.match(text[-1]) and line and _CJK.match(line[0])):
            text += " "
        text += line
    return text


def parse_blocks(source: str) -> list[Block]:
    """The blocks of a Math Markdown document, in order."""
    lines, blocks, i = source.splitlines(), [], 0
    while i < len(lines):
        line = lines[i]
        stripped = line.strip()
        if not stripped:
            i += 1
        elif heading := _HEADING.fullmatch(stripped):
            blocks.append(Block("heading", heading[2], level=len(heading[1]), anchor=heading[3] or ""))
            i += 1
        elif stripped == "---":
            blocks.append(Block("rule"))
            i += 1
        elif stripped.startswith("$$"):
            i = _math(lines, i, blocks)
        elif fence := _FENCE.match(stripped):
            end = _until(lines, i + 1, lambda s: s.strip() == "```")
            blocks.append(Block("raw", "\n".join(lines[i + 1 : end]), fmt=fence[1]))
            i = end + 1
        elif _HTML_START.match(stripped):
            end = _until(lines, i, lambda s: not s.strip())
            blocks.append(Block("raw", "\n".join(lines[i:end]), fmt="html"))
            i = end
        elif stripped.startswith("|"):
            end = _until(lines, i, lambda s: not s.strip().startswith("|"))
            blocks.append(_table([s.strip() for s in lines[i:end]]))
            i = end
        elif stripped.startswith(">"):
            end = _until(lines, i, lambda s: not s.strip().startswith(">"))
            blocks.append(Block("quote", join_lines([s.strip()[1:] for s in lines[i:end]])))
            i = end
        elif _ITEM.fullmatch(stripped):
            i = _list(lines, i, blocks)
        else:
            end = _until(lines, i, lambda s: not s.strip() or _starts_block(s.strip()))
            blocks.append(Block("paragraph", join_lines(lines[i:end])))
            i = end
    return blocks


def _until(lines: list[str], start: int, stop) -> int:
    """The index of the first line from `start` on where `stop` holds (or the end)."""
    return next((j for j in range(start, len(lines)) if stop(lines[j])), len(lines))


def _starts_block(stripped: str) -> bool:
    return bool(
        _HEADING.fullmatch(stripped)
        or _ITEM.fullmatch(stripped)
        or stripped.startswith(("$$", "|", ">", "```"))
        or _HTML_START.match(stripped)
    )


def _math(lines: list[str], i: int, blocks: list[Block]) -> int:
    first = lines[i].strip()[2:]
    if first.rstrip().endswith("$$"):
        blocks.append(Block("math", first.rstrip()[:-2].strip()))
        return i + 1
    end = _until(lines, i + 1, lambda s: s.strip().endswith("$$"))
    body = [first, *lines[i + 1 : end], lines[end].strip()[:-2] if end < len(lines) else ""]
    blocks.append(Block("math", "\n".join(s.strip() for s in body if s.strip())))
    return end + 1


def _list(lines: list[str], i: int, blocks: list[Block]) -> int:
    ordered = _ITEM.fullmatch(lines[i].strip())[2] is not None
    items: list[list[str]] = []
    while i < len(lines):
        line = lines[i]
        item = _ITEM.fullmatch(line.strip())
        if item and (item[2] is not None) == ordered and not line.startswith("  "):
            items.append([item[3]])
        elif items and line.startswith("  ") and line.strip():
            items[-1].append(line)
        else:
            break
        i += 1
    blocks.append(Block("list", items=tuple(join_lines(item) for item in items), ordered=ordered))
    return i


def _table(lines: list[str]) -> Block:
    rows = [tuple(c.strip() for c in _CELL_SPLIT.split(line.strip().strip("|"))) for line in lines]
    body = [row for row in rows[1:] if not all(set(cell) <= set(":-") and cell for cell in row)]
    return Block("table", items=rows[0], rows=tuple(body))


def parse_inline(text: str) -> list[tuple]:
    """Inline nodes: ("text", s), ("math", tex), ("code", s), ("strong", nodes), ("link", anchor, nodes)."""
    nodes: list[tuple] = []
    plain, i = "", 0
    while (match := _INLINE.search(text, i)) is not None:
        plain += text[i : match.start()]
        token, end, node = match.group(0), match.end(), None
        if match[1]:
            plain, i = plain + match[1], end
            continue
        if match[2]:
            close = text.find(token, end)
            if close >= 0:
                node, end = ("code", text[end:close].strip() or text[end:close]), close + len(token)
        elif token == "$":
            close = re.compile(r"(?<![\\\s])\$").search(text, end)
            if close:
                node, end = ("math", text[end : close.start()]), close.end()
        elif token == "**":
            close = text.find("**", end)
            if close >= 0:
                node, end = ("strong", parse_inline(text[end:close])), close + 2
        elif link := _LINK.match(text, match.start()):
            node, end = ("link", link[2], parse_inline(link[1])), link.end()
        if node is None:
            plain, i = plain + token, end
            continue
        if plain:
            nodes.append(("text", plain))
        nodes.append(node)
        plain, i = "", end
    plain += text[i:]
    if plain:
        nodes.append(("text", plain))
    return nodes

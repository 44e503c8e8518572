"""Math Markdown to LaTeX: the formulas are LaTeX already, so only the text around them needs writing."""

from __future__ import annotations

import re

from hwsolver.handout.mathdown import Block, parse_blocks, parse_inline

_SPECIAL = re.compile(r"[\\{}$&#^_%~]")
_REPLACEMENTS = {
    "\\": r"\textbackslash{}",
    "^": r"\textasciicircum{}",
    "~": r"\textasciitilde{}",
}
_SECTIONS = {2: "section*", 3: "subsection*", 4: "subsubsection*"}


def escape_tex(text: str) -> str:
    """Plain text made literal for LaTeX."""
    return _SPECIAL.sub(lambda m: _REPLACEMENTS.get(m[0], "\\" + m[0]), text)


def inline_tex(text: str) -> str:
    """One line of inline Math Markdown as LaTeX."""
    return "".join(_node(node) for node in parse_inline(text))


def _node(node: tuple) -> str:
    kind = node[0]
    if kind == "text":
        return escape_tex(node[1])
    if kind == "math":
        return f"${node[1]}$"
    if kind == "code":
        return r"\texttt{" + escape_tex(node[1]) + "}"
    if kind == "strong":
        return r"\textbf{" + "".join(_node(n) for n in node[1]) + "}"
    return rf"\hyperref[{node[1]}]{{" + "".join(_node(n) for n in node[2]) + "}"


def to_tex(source: str) -> str:
    """A Math Markdown document as a LaTeX body (raw HTML blocks are dropped)."""
    return "\n\n".join(tex for tex in map(_block, parse_blocks(source)) if tex)


def _block(block: Block) -> str:
    if block.kind == "heading":
        # Headings are unnumbered: the templates number problems themselves, the same in every format.
        label = rf"\phantomsection\label{{{block.anchor}}}" if block.anchor else ""
        if block.level == 1:
            return rf"\begin{{center}}\LARGE\bfseries {inline_tex(block.text)}\end{{center}}{label}"
        command = _SECTIONS.get(block.level, "paragraph*")
        return rf"{label}\{command}{{{inline_tex(block.text)}}}"
    if block.kind == "paragraph":
        return inline_tex(block.text)
    if block.kind == "list":
        env = "enumerate" if block.ordered else "itemize"
        items = "\n".join(rf"  \item {inline_tex(item)}" for item in block.items)
        return f"\\begin{{{env}}}\n{items}\n\\end{{{env}}}"
    if block.kind == "table":
        columns = "l" * len(block.items)
        rows = [block.items, *block.rows]
        lines = [" & ".join(inline_tex(cell) for cell in row) + r" \\" for row in rows]
        body = "\n".join([r"\toprule", lines[0], r"\midrule", *lines[1:], r"\bottomrule"])
        return f"\\begin{{center}}\n\\begin{{tabular}}{{{columns}}}\n{body}\n\\end{{tabular}}\n\\end{{center}}"
    if block.kind == "quote":
        return f"\\begin{{quote}}\n{inline_tex(block.text)}\n\\end{{quote}}"
    if block.kind == "rule":
        return r"\medskip\hrule\medskip"
    if block.kind == "math":
        # align* is a display environment of its own and may not sit inside \[ \].
        if block.text.startswith(r"\begin{align"):
            return block.text
        return f"\\[\n{block.text}\n\\]"
    return block.text if block.fmt == "latex" else ""

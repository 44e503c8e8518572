"""Math Markdown to HTML, with every formula converted to MathML so the page needs no script or font."""

from __future__ import annotations

import re
from html import escape

from latex2mathml.converter import convert

from hwsolver.errors import HwsolverError
from hwsolver.handout.mathdown import Block, parse_blocks, parse_inline

_OPERATOR_WITH_DIGITS = re.compile(r"\\operatorname\{([A-Za-z]*\d[A-Za-z\d]*)\}")


def mathml(tex: str, display: str = "inline") -> str:
    """One formula as a MathML element; a formula the converter cannot read is a bug in a template."""
    # latex2mathml writes \operatorname{rot180} as an empty operator; \mathrm shows the same name.
    tex = _OPERATOR_WITH_DIGITS.sub(r"\\mathrm{\1}", tex)
    try:
        return convert(tex, display=display)
    except Exception as error:  # latex2mathml raises many exception types for unreadable input
        raise HwsolverError(f"cannot convert formula to MathML: {tex!r} ({error})") from error


_ALIGN = re.compile(r"\\begin\{align\*?\}(.*)\\end\{align\*?\}", re.DOTALL)
_GROUP = re.compile(r"\\begin\{|\\end\{|\\\\|\\[{}&]|&|\{|\}")
# \begin{ opens the environment and the brace of its name; \end{ closes the environment, opens the brace.
_DEPTH = {"\\begin{": 2, "\\end{": 0, "{": 1, "}": -1}
_DISPLAY_STYLE = "\\displaystyle "


def _split_top(tex: str) -> list[list[str]]:
    """Rows (at top-level \\\\) of cells (at top-level &) of an align* body; nested matrices stay whole."""
    rows, cells, depth, start = [], [], 0, 0
    for match in _GROUP.finditer(tex):
        token = match[0]
        if token in _DEPTH:
            depth += _DEPTH[token]
        elif depth == 0 and token in ("&", "\\\\"):
            cells.append(tex[start : match.start()])
            start = match.end()
            if token != "&":
                rows.append(cells)
                cells = []
    cells.append(tex[start:])
    rows.append(cells)
    return [[cell.strip() for cell in row] for row in rows if any(cell.strip() for cell in row)]


def _aligned(tex: str) -> str:
    """align* as an HTML table of formulas: browsers ignore MathML's columnalign, tables they align."""
    rows = []
    for row in _split_top(tex):
        cells = []
        for i, cell in enumerate(row):
            formula = mathml(_DISPLAY_STYLE + cell) if cell else ""
            cells.append(f'<td class="{"rhs" if i % 2 else "lhs"}">{formula}</td>')
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return '<table class="align">' + "".join(rows) + "</table>"


def inline_html(text: str) -> str:
    """One line of inline Math Markdown as HTML."""
    return "".join(_node(node) for node in parse_inline(text))


def _node(node: tuple) -> str:
    kind = node[0]
    if kind == "text":
        return escape(node[1], quote=False)
    if kind == "math":
        return mathml(node[1])
    if kind == "code":
        return f"<code>{escape(node[1], quote=False)}</code>"
    if kind == "strong":
        return "<strong>" + "".join(_node(n) for n in node[1]) + "</strong>"
    return f'<a href="#{escape(node[1])}">' + "".join(_node(n) for n in node[2]) + "</a>"


def to_html(source: str) -> str:
    """A Math Markdown document as an HTML fragment (raw LaTeX blocks are dropped)."""
    return "\n".join(html for html in map(_block, parse_blocks(source)) if html)


def _block(block: Block) -> str:
    if block.kind == "heading":
        anchor = f' id="{escape(block.anchor)}"' if block.anchor else ""
        return f"<h{block.level}{anchor}>{inline_html(block.text)}</h{block.level}>"
    if block.kind == "paragraph":
        return f"<p>{inline_html(block.text)}</p>"
    if block.kind == "list":
        tag = "ol" if block.ordered else "ul"
        return f"<{tag}>" + "".join(f"<li>{inline_html(item)}</li>" for item in block.items) + f"</{tag}>"
    if block.kind == "table":
        head = "".join(f"<th>{inline_html(cell)}</th>" for cell in block.items)
        body = "".join("<tr>" + "".join(f"<td>{inline_html(c)}</td>" for c in row) + "</tr>" for row in block.rows)
        return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    if block.kind == "quote":
        return f"<blockquote>{inline_html(block.text)}</blockquote>"
    if block.kind == "rule":
        return "<hr>"
    if block.kind == "math":
        align = _ALIGN.fullmatch(block.text.strip())
        formula = _aligned(align[1]) if align else mathml(block.text, "block")
        return f'<div class="display">{formula}</div>'
    return block.text if block.fmt == "html" else ""

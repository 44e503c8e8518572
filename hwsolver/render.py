"""The jinja2 environment: templates from templates/, and filters that format numbers (never compute them)."""

from __future__ import annotations

from functools import cache
from typing import Any

import jinja2

from hwsolver.compute.functions import ACTIVATIONS, LOSSES
from hwsolver.errors import HwsolverError
from hwsolver.handout import latexfmt
from hwsolver.numbers import display, exact_string
from hwsolver.resources import data_dir


@jinja2.pass_context
def _num(context: jinja2.runtime.Context, value: Any) -> str:
    """A number as text: exact ("137/500") when the template was rendered with exact=True, else displayed."""
    return exact_string(value) if context.get("exact") else display(value)


@jinja2.pass_context
def _vec(context: jinja2.runtime.Context, values: Any) -> str:
    return "(" + ", ".join(_num(context, v) for v in values) + ")"


@jinja2.pass_context
def _mat(context: jinja2.runtime.Context, rows: Any) -> str:
    return "[" + "; ".join(", ".join(_num(context, v) for v in row) for row in rows) + "]"


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(data_dir("templates"))),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
    )
    env.filters.update(num=_num, vec=_vec, mat=_mat)
    # The handouts' filters: one value as LaTeX, untrusted text made inert for Markdown.
    env.filters.update(
        latex_num=latexfmt.latex_num,
        latex_rel=latexfmt.latex_rel,
        latex_factor=latexfmt.latex_factor,
        latex_vec=latexfmt.latex_vec,
        latex_mat=latexfmt.latex_mat,
        latex_value=latexfmt.latex_value,
        latex_key=latexfmt.latex_key,
        md_text=latexfmt.md_text,
        md_code=latexfmt.md_code,
        plain=latexfmt.plain,
    )
    env.tests.update(tensor=latexfmt.is_tensor, scalar=latexfmt.is_scalar)
    # The activations' symbols and the losses' formulas, one table for the code and the templates.
    env.globals.update(activations=ACTIVATIONS, losses=LOSSES)
    return env


def render(template: str, **context: Any) -> str:
    return environment().get_template(template).render(**context)


KIND_TEMPLATES = {"text": "text.txt.j2", "handout": "handout.md.j2"}


def kind_template(kind: str, which: str) -> str:
    """The name of a kind's own template (`text` for `hwsolver solve`, `handout`); a missing one is an error that
    names the kind and the file it should be."""
    name = f"kinds/{kind}/{KIND_TEMPLATES[which]}"
    try:
        environment().get_template(name)
    except jinja2.TemplateNotFound:
        raise HwsolverError(f"kind {kind} has no {which} template: expected templates/{name}") from None
    return name

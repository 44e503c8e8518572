"""The class report as a document: self-contained HTML (inline SVG charts), Markdown, or JSON.

Numbers are shown rounded half up from their exact values (0.125 to 2 places is 0.13): means, medians and
standard deviations to 2 decimals, discrimination to 2, facility and verdict shares as whole percents; the JSON
gives each to 4 decimals (null where there is none).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from hwsolver.grading.results import VERDICTS
from hwsolver.render import render
from hwsolver.report.analysis import ClassReport, Spread, Summary
from hwsolver.report.labels import LABELS

FORMATS = ("html", "md", "json")
Titles = Mapping[str, Mapping[str, str]]  # problem id -> {"zh": ..., "en": ...}


def report_document(report: ClassReport, titles: Titles, fmt: str, lang: str) -> str:
    """The report in `fmt` (html, md or json) and `lang` (zh or en; JSON has both titles)."""
    if fmt == "json":
        return json.dumps(report_record(report, titles), ensure_ascii=False, indent=1) + "\n"
    charts = _charts(report) if fmt == "html" else {}
    return render(
        f"report/report.{fmt}.j2",
        r=report,
        titles=titles,
        lang=lang,
        t=LABELS[lang],
        verdicts=VERDICTS,
        charts=charts,
        dec=decimal_text,
        pct=percent_text,
    )


def decimal_text(value: Fraction | int | float | None, places: int = 2) -> str:
    """A number rounded half up to `places` decimals, trailing zeros dropped ("—" for none): 2.5, 0.13, 35."""
    if value is None:
        return "—"
    exact = Decimal(repr(value)) if isinstance(value, float) else Decimal(value.numerator) / value.denominator
    text = f"{exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP):f}"
    text = text.rstrip("0").rstrip(".") if "." in text else text
    return "0" if text == "-0" else text


def percent_text(share: Fraction | None) -> str:
    return "—" if share is None else f"{decimal_text(share * 100, 0)}%"


def _number(value: Fraction | int | float | None) -> int | float | None:
    """A JSON number: whole numbers as integers, others to 4 decimals."""
    if value is None:
        return None
    if isinstance(value, int) or (isinstance(value, Fraction) and value.denominator == 1):
        return int(value)
    return float(decimal_text(value, 4))


def _summary(s: Summary) -> dict[str, Any]:
    return {
        "n": s.n,
        "max_score": _number(s.top),
        "mean": _number(s.mean),
        "median": _number(s.median),
        "sd": _number(s.sd),
        "facility": _number(s.facility),
        "discrimination": _number(s.discrimination),
    }


def _spread(s: Spread) -> dict[str, Any]:
    return {
        "histogram": {"edges": [_number(e) for e in s.edges], "counts": list(s.counts)},
        "quintile_means": None if s.quintiles is None else [_number(q) for q in s.quintiles],
    }


def report_record(report: ClassReport, titles: Titles) -> dict[str, Any]:
    """The report as the JSON document describes it."""
    return {
        "submissions": report.submissions,
        "not_graded": list(report.not_graded),
        "total": {**_summary(report.total), **_spread(report.spread)},
        "problems": [
            {
                "id": p.id,
                "title": dict(titles.get(p.id, {})),
                **_summary(p.summary),
                **_spread(p.spread),
                "parts": [
                    {
                        "id": part.id,
                        **_summary(part.summary),
                        "verdicts": {v: _number(share) for v, share in part.shares.items()},
                        "mistakes": [
                            {"id": m.id, "count": m.count, "examples": list(m.examples)} for m in part.mistakes
                        ],
                    }
                    for part in p.parts
                ],
            }
            for p in report.problems
        ],
    }


def _charts(report: ClassReport) -> dict[str, tuple[str, str | None]]:
    """Each spread's (histogram, quintile means) SVG, keyed by problem id ("" for the whole assignment)."""
    from hwsolver.report.charts import histogram_svg, quintiles_svg

    spreads = {"": (report.spread, report.total.top), **{p.id: (p.spread, p.summary.top) for p in report.problems}}
    return {
        key: (
            histogram_svg(spread, f"problem-{key}" if key else "whole"),
            quintiles_svg(spread, float(top), f"problem-{key}" if key else "whole")
            if spread.quintiles is not None
            else None,
        )
        for key, (spread, top) in spreads.items()
    }

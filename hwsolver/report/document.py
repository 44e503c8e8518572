"""The class report as a document: self-contained HTML (inline SVG charts), Markdown, or JSON.

Numbers are shown rounded half up from their exact values (0.125 to 2 places is 0.13): means, medians and
standard deviations to 2 decimals, discrimination to 2, facility and verdict shares as whole percents; the JSON
gives each to 4 decimals (null where there is none).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from hwsolver.grading.results import VERDICTS
from hwsolver.render import render
from hwsolver.report.analysis import ClassReport, Spread, Summary
from hwsolver.report.facility import Bin, ValueFacility
from hwsolver.report.labels import LABELS

FORMATS = ("html", "md", "json")
Titles = Mapping[str, Mapping[str, str]]  # problem id -> {"zh": ..., "en": ...}
ByValue = Mapping[str, Sequence[ValueFacility]]  # problem id -> facility against each of its varied values


def report_document(report: ClassReport, titles: Titles, fmt: str, lang: str, by_value: ByValue | None = None) -> str:
    """The report in `fmt` (html, md or json) and `lang` (zh or en; JSON has both titles); `by_value`: each
    problem's facility against its varied values (a report with the variants' lock)."""
    by_value = by_value or {}
    if fmt == "json":
        return json.dumps(report_record(report, titles, by_value), ensure_ascii=False, indent=1) + "\n"
    charts = _charts(report) if fmt == "html" else {}
    return render(
        f"report/report.{fmt}.j2",
        r=report,
        titles=titles,
        lang=lang,
        t=LABELS[lang],
        verdicts=VERDICTS,
        charts=charts,
        by_value=by_value,
        value_charts=_value_charts(by_value) if fmt == "html" else {},
        bin_text=bin_text,
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


def bin_text(b: Bin) -> str:
    """A bin as the tables show it: a choice's value, a number, or the lowest and highest number in it."""
    if isinstance(b.low, str):
        return b.low
    return decimal_text(b.low, 6) if b.low == b.high else f"{decimal_text(b.low, 6)} – {decimal_text(b.high, 6)}"


def _value(v: ValueFacility) -> dict[str, Any]:
    return {
        "value": v.name,
        "numeric": v.numeric,
        "bins": [
            {"low": _number(b.low) if v.numeric else b.low, "high": _number(b.high) if v.numeric else b.high}
            for b in v.bins
        ],
        "parts": [
            {
                "id": p.part,
                "n": list(p.n),
                "facility": [_number(f) for f in p.facility],
                "p": _number(p.p),
                "flagged": p.flagged,
            }
            for p in v.parts
        ],
    }


def report_record(report: ClassReport, titles: Titles, by_value: ByValue | None = None) -> dict[str, Any]:
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
                **({"by_varied_value": [_value(v) for v in by_value[p.id]]} if by_value and p.id in by_value else {}),
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


def _value_charts(by_value: ByValue) -> dict[tuple[str, str], str]:
    """Each varied value's chart of facility per bin, keyed by (problem id, value)."""
    from hwsolver.report.charts import facility_svg

    return {
        (problem, v.name): facility_svg(v, f"problem-{problem}-{v.name}")
        for problem, values in by_value.items()
        for v in values
    }

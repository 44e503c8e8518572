"""Due dates and late rules of an assignment file, and the recorded time of a submission (hwsolver/grading/late.py
does the arithmetic).

```yaml
due: 2024-10-15                  # a bare date: the end of that day (midnight at its end) in `timezone:`
due: 2024-10-15T23:59:00+08:00   # a time with its offset; a time without one is read in `timezone:`
timezone: Asia/Shanghai          # an IANA name; default UTC
late: {per_day: 10%, max_days: 5, grace_minutes: 15, lowest: 0%}
```

Times are student text (a submission's `submitted:`): read by one strict pattern, never by a YAML or date library's
guessing, and every bad value is one message naming the file, line and field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from fractions import Fraction
from zoneinfo import ZoneInfo

from hwsolver.spec.node import Node

# 2024-10-15, 2024-10-15T23:59, 2024-10-15 23:59:30.5+08:00, ...Z: ISO 8601 as LMS exports and YAML write it.
_STAMP = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})"
    r"(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?)?",
    re.ASCII,  # digits are 0-9: int() would read full-width and Arabic-Indic ones too
)
_PERCENT = re.compile(r"(\d{1,3}(?:\.\d{1,4})?)\s*%", re.ASCII)
_LONGEST = 64  # characters: no timestamp is longer
_ZONE = re.compile(r"[A-Za-z][A-Za-z0-9_+-]*(?:/[A-Za-z0-9_+-]+){0,2}")
LATE_KEYS = ("per_day", "max_days", "grace_minutes", "lowest")


@dataclass(frozen=True)
class LateRule:
    per_day: Fraction  # share of the maximum score taken per day late (1/10 for 10%)
    max_days: int | None  # later than this many days: the score is 0 (None: no limit)
    grace: timedelta  # this little late is on time
    lowest: Fraction  # share of the maximum the deduction never takes a score below (Canvas's lowest grade)


@dataclass(frozen=True)
class Deadline:
    due: datetime  # with its timezone
    zone: tzinfo  # where a time written without an offset is read
    rule: LateRule | None  # None: lateness is reported, nothing deducted


def read_deadline(due: Node | None, zone: Node | None, late: Node | None) -> Deadline | None:
    """The assignment's `due:`, `timezone:` and `late:` fields (each None when absent)."""
    where = read_zone(zone) if zone is not None else timezone.utc
    if due is None:
        if late is not None:
            raise late.error("a late rule needs a `due:` date")
        return None
    moment = read_time(due, where, date_only=True)
    return Deadline(moment, where, read_rule(late) if late is not None else None)


def read_zone(node: Node) -> tzinfo:
    name = node.text().strip()
    if name.upper() == "UTC":
        return timezone.utc
    if _ZONE.fullmatch(name):
        try:
            return ZoneInfo(name)
        except (KeyError, ValueError, OSError):  # ZoneInfoNotFoundError is a KeyError
            pass
    raise node.error(f"unknown timezone {node.describe()}; expected an IANA name such as Asia/Shanghai, or UTC")


def read_rule(node: Node) -> LateRule:
    fields = node.fields(["per_day"], LATE_KEYS[1:])
    per_day = _percent(fields["per_day"])
    if per_day == 0:
        raise fields["per_day"].error("expected a share above 0%, such as 10%")
    lowest = _percent(fields["lowest"]) if "lowest" in fields else Fraction(0)
    if lowest == 1:
        raise fields["lowest"].error("a lowest score of 100% leaves nothing to deduct")
    return LateRule(
        per_day=per_day,
        max_days=fields["max_days"].integer(minimum=0) if "max_days" in fields else None,
        grace=timedelta(minutes=fields["grace_minutes"].integer(minimum=0))
        if "grace_minutes" in fields
        else timedelta(),
        lowest=lowest,
    )


def _percent(node: Node) -> Fraction:
    """A share written as a percentage, 10% or 12.5%, from 0% to 100%."""
    found = _PERCENT.fullmatch(node.text().strip()) if node.is_scalar else None
    if found is None or Fraction(found[1]) > 100:
        raise node.error(f"expected a percentage from 0% to 100% (such as 10%), got {node.describe()}")
    return Fraction(found[1]) / 100


def read_time(node: Node, zone: tzinfo | None, *, date_only: bool = False) -> datetime:
    """A date and time, ISO 8601 (2024-10-15T23:59:00+08:00, 2024-10-15 23:59, ...Z). Without an offset it is read in
    `zone` (None: kept without one); a bare date is allowed when `date_only` and means the end of that day."""
    text = node.value.strip() if node.is_scalar and not node.is_null else None
    found = _STAMP.fullmatch(text) if text is not None and len(text) <= _LONGEST else None
    expected = "a date and time such as 2024-10-15T23:59:00+08:00"
    if found is None:
        raise node.error(f"expected {expected}, got {node.describe()}")
    year, month, day, hour, minute, second, digits, offset = found.groups()
    if hour is None and not date_only:
        raise node.error(f"expected {expected} (the time of day too), got {node.describe()}")
    try:
        if hour is None:  # the end of that day: midnight at its end
            return datetime.combine(date(int(year), int(month), int(day)) + timedelta(days=1), time(), zone)
        fraction = int((digits or "0").ljust(6, "0")[:6])
        moment = datetime(int(year), int(month), int(day), int(hour), int(minute), int(second or 0), fraction)
        if offset is not None:
            return moment.replace(tzinfo=_offset(offset))
        return moment.replace(tzinfo=zone) if zone is not None else moment
    except (ValueError, OverflowError):  # month 13, 24:00, year 0, past the year 9999
        raise node.error(f"not a real date and time: {node.describe()}") from None


def _offset(text: str) -> tzinfo:
    if text in ("Z", "z"):
        return timezone.utc
    digits = text[1:].replace(":", "").ljust(4, "0")
    hours, minutes = int(digits[:2]), int(digits[2:])
    if hours > 23 or minutes > 59:
        raise ValueError(text)
    span = timedelta(hours=hours, minutes=minutes)
    return timezone(-span if text[0] == "-" else span)

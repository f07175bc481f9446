"""Months and date spans as reports and claims count them: local dates, both ends included.

>>> month_span("2026-02")
(datetime.date(2026, 2, 1), datetime.date(2026, 2, 28))
>>> months_in(date(2026, 10, 30), date(2026, 12, 2))
['2026-10', '2026-11', '2026-12']
"""

import re
from datetime import date, timedelta

_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def parse_month(text: str) -> str:
    """``YYYY-MM`` as given, or ``ValueError``."""
    if not _MONTH.match(text):
        raise ValueError(f"not a month (YYYY-MM): {text!r}")
    return text


def month_span(month: str) -> tuple[date, date]:
    """The first and the last day of a ``YYYY-MM`` month."""
    match = _MONTH.match(month)
    if match is None:
        raise ValueError(f"not a month (YYYY-MM): {month!r}")
    first = date(int(match.group(1)), int(match.group(2)), 1)
    return first, next_month(first) - timedelta(days=1)


def next_month(day: date) -> date:
    """The first day of the month after ``day``'s."""
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def month_of(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def months_in(start: date, end: date) -> list[str]:
    """Every month that a span of days touches, in order."""
    months, day = [], start.replace(day=1)
    while day <= end:
        months.append(month_of(day))
        day = next_month(day)
    return months


def days_in(start: date, end: date) -> int:
    """How many days from ``start`` to ``end``, both included."""
    return (end - start).days + 1

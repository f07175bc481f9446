"""When orders ahead close: a canteen's cut-off for a meal type, read and turned into a moment.

Pure: no I/O, no clock. A cut-off is written as a canteen manager would say it, local time:
``"09:00"`` (that day) or ``"18:00 the day before"``. The kitchen shops and cooks from the
count taken at the cut-off, so an order, and its cancellation, must come before it.
"""

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

_CUTOFF = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)( the day before)?$")
DAY_BEFORE = " the day before"


@dataclass(frozen=True)
class Cutoff:
    at: time
    """Local time of day."""
    day_before: bool
    """Closes on the day before the meal, not the same day."""

    def __str__(self) -> str:
        return self.at.strftime("%H:%M") + (DAY_BEFORE if self.day_before else "")

    def closes_at(self, meal_date: date, timezone: str) -> datetime:
        """The moment (UTC) orders for a meal on ``meal_date`` close, in the canteen's zone.

        >>> str(parse("18:00 the day before").closes_at(date(2026, 12, 1), "Asia/Shanghai"))
        '2026-11-30 10:00:00+00:00'
        """
        day = meal_date - timedelta(days=1) if self.day_before else meal_date
        local = datetime.combine(day, self.at, tzinfo=ZoneInfo(timezone))
        return local.astimezone(UTC)


def parse(text: str) -> Cutoff:
    """``"HH:MM"`` or ``"HH:MM the day before"``; ``ValueError`` for anything else."""
    match = _CUTOFF.match(text)
    if match is None:
        raise ValueError(f'{text!r}: write "HH:MM" or "HH:MM{DAY_BEFORE}"')
    hour, minute, before = match.groups()
    return Cutoff(time(int(hour), int(minute)), before is not None)

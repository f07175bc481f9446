"""The one source of the current time, so tests (and a demo) can set it.

Everything is stored in UTC; "which day" and "which meal window" are decided in a
canteen's own time zone by the code that needs them.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

_frozen: datetime | None = None


def now() -> datetime:
    """The current time, timezone-aware, in UTC."""
    return _frozen if _frozen is not None else datetime.now(UTC)


def today(tz: ZoneInfo) -> date:
    """Today's date in the given time zone (a canteen's, or the service's default)."""
    return now().astimezone(tz).date()


@contextmanager
def frozen_at(moment: datetime) -> Iterator[None]:
    """Make :func:`now` return ``moment`` inside the block (tests only)."""
    global _frozen
    if moment.tzinfo is None:
        raise ValueError("frozen_at needs a timezone-aware datetime")
    previous, _frozen = _frozen, moment.astimezone(UTC)
    try:
        yield
    finally:
        _frozen = previous

"""Finding who needs an alert today, for every diner at once: a few bulk queries, never a query
per diner or per day.

**Missed meal** (the wellbeing check for elders who live alone, 独居, and anyone else who comes
daily). An active diner *usually eats here* when they had a meal (any meal, any canteen, not
voided) on at least ``REGULAR_MIN_DAYS`` of the ``REGULAR_WEEKDAYS`` weekdays (Monday to Friday)
before today. Such a diner is *missing* when today is a weekday, their home canteen's lunch
window has ended (in that canteen's time zone), and they have had no meal today. Days are local
dates in the canteen's time zone. Public holidays are not known to the system: on one, every
regular is missing (the staff close those alerts with a note). Diners without a home canteen
are not checked: their canteen, and so their lunch hour and staff list, is unknown.

**Low balance at the day's end**: an active diner who ate today and whose account is below its
threshold once their home canteen's last meal window has closed (a sale that crosses the
threshold raises the alert at once; this catches the rest, e.g. a threshold the family raised).
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from tortoise.expressions import F
from tortoise.functions import Count

from canteen.accounts.models import Account
from canteen.alerts.models import Alert
from canteen.canteens.models import Canteen
from canteen.checkout.models import Meal
from canteen.columns import values_of

REGULAR_WEEKDAYS = 10
"""The last two working weeks."""
REGULAR_MIN_DAYS = 8
"""Came on at least this many of them: "most weekdays"."""


def weekdays_before(day: date, count: int) -> list[date]:
    """The ``count`` weekdays (Monday to Friday) before ``day``, newest first."""
    days: list[date] = []
    current = day
    while len(days) < count:
        current -= timedelta(days=1)
        if current.weekday() < 5:
            days.append(current)
    return days


@dataclass(frozen=True)
class LocalDay:
    """Where a canteen's day stands at one instant, in its own time zone."""

    canteen_id: int
    today: date
    lunch_over: bool
    """A weekday, and the lunch window has closed (False where there is no lunch window)."""
    day_over: bool
    """The last meal window of the day has closed."""


def local_day(canteen: dict[str, Any], now: datetime) -> LocalDay:
    local = now.astimezone(ZoneInfo(canteen["timezone"]))
    clock_time = local.strftime("%H:%M")
    windows: dict[str, list[str]] = canteen["meal_windows"]
    lunch = windows.get("lunch")
    last_end = max((end for _, end in windows.values()), default="00:00")
    return LocalDay(
        canteen_id=canteen["id"],
        today=local.date(),
        lunch_over=local.weekday() < 5 and lunch is not None and clock_time >= lunch[1],
        day_over=clock_time >= last_end,
    )


async def _local_days(now: datetime) -> list[LocalDay]:
    return [local_day(c, now) for c in await Canteen.all().values("id", "timezone", "meal_windows")]


def _by_date(days: list[LocalDay], flag: str) -> dict[date, list[int]]:
    """Canteen ids whose ``flag`` holds, grouped by their local date (one group per time zone
    day: usually one)."""
    groups: dict[date, list[int]] = {}
    for day in days:
        if getattr(day, flag):
            groups.setdefault(day.today, []).append(day.canteen_id)
    return groups


Found = dict[int, tuple[int, dict[str, Any]]]
"""diner id -> (canteen id, detail) of the alerts to raise."""


async def _raise(kind: str, on: date, found: Found, now: datetime) -> int:
    """Insert the alerts not raised yet today; a concurrent raiser's rows are skipped by the
    unique (kind, diner, local_date). How many this call wrote."""
    if not found:
        return 0
    already = set(
        await values_of(
            Alert.filter(kind=kind, local_date=on, diner_id__in=list(found)), "diner_id"
        )
    )
    new = [
        Alert(
            kind=kind,
            diner_id=diner_id,
            canteen_id=canteen_id,
            local_date=on,
            detail=detail,
            found_at=now,
        )
        for diner_id, (canteen_id, detail) in found.items()
        if diner_id not in already
    ]
    if new:
        await Alert.bulk_create(new, ignore_conflicts=True)
    return len(new)


async def missed_meals(now: datetime) -> int:
    """Raise today's missed-meal alerts; how many were new. Three queries per local date."""
    raised = 0
    for today, canteen_ids in _by_date(await _local_days(now), "lunch_over").items():
        window = weekdays_before(today, REGULAR_WEEKDAYS)
        regulars = {
            diner_id: (canteen_id, days)
            for diner_id, canteen_id, days in await Meal.filter(
                voided_at=None,
                local_date__in=window,
                diner__home_canteen_id__in=canteen_ids,
                diner__status="active",
            )
            .annotate(days=Count("local_date", distinct=True))
            .group_by("diner_id", "diner__home_canteen_id")
            .filter(days__gte=REGULAR_MIN_DAYS)
            .values_list("diner_id", "diner__home_canteen_id", "days")
        }
        if not regulars:
            continue
        came = set(
            await values_of(
                Meal.filter(
                    voided_at=None, local_date=today, diner_id__in=list(regulars)
                ).distinct(),
                "diner_id",
            )
        )
        found: Found = {
            diner_id: (
                canteen_id,
                {"days_eaten": days, "weekdays": REGULAR_WEEKDAYS, "since": window[-1].isoformat()},
            )
            for diner_id, (canteen_id, days) in regulars.items()
            if diner_id not in came
        }
        raised += await _raise("missed_meal", today, found, now)
    return raised


async def low_balances(now: datetime) -> int:
    """Raise today's low-balance alerts for who ate today and is left below the threshold."""
    raised = 0
    for today, canteen_ids in _by_date(await _local_days(now), "day_over").items():
        ate = await values_of(
            Meal.filter(
                voided_at=None, local_date=today, diner__home_canteen_id__in=canteen_ids
            ).distinct(),
            "diner_id",
        )
        if not ate:
            continue
        low = await Account.filter(
            diner_id__in=ate, diner__status="active", balance_fen__lt=F("low_balance_fen")
        ).values_list("diner_id", "diner__home_canteen_id", "balance_fen", "low_balance_fen")
        found: Found = {
            diner_id: (canteen_id, {"balance_fen": balance, "low_balance_fen": threshold})
            for diner_id, canteen_id, balance, threshold in low
        }
        raised += await _raise("low_balance", today, found, now)
    return raised

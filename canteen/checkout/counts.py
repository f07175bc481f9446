"""Today's count at one canteen: what the counter's "today" figure shows, in one query.

The counter used to page through every meal of the day each minute to count them; a count is
all it needs, and the database counts faster than it ships rows.
"""

from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from tortoise.expressions import Q
from tortoise.functions import Count

from canteen import clock
from canteen.canteens.models import Canteen
from canteen.checkout.models import Meal
from canteen.errors import NotFound
from canteen.roles import Actor, Role, require


@dataclass(frozen=True)
class DayCount:
    """One canteen's meals of one local day."""

    canteen_id: int
    date: date
    meals: int
    """Meals sold and not voided."""
    voided: int
    """Meals sold, then voided (not in ``meals``)."""
    manual: int
    """Of ``meals``, those sold without the card."""


async def count_meals(actor: Actor, canteen_id: int, on: date | None) -> DayCount:
    """The day's meals at a canteen (``on`` defaults to today in the canteen's time zone).

    A manager or cashier counts only their own canteen; another canteen answers 404, as if it
    did not exist (the reach rule of ``canteen.roles``).
    """
    require(actor, "meals.count")
    if actor.role in (Role.CASHIER, Role.MANAGER) and actor.canteen_id != canteen_id:
        raise NotFound(f"No canteen {canteen_id}.")
    canteen = await Canteen.get_or_none(id=canteen_id)
    if canteen is None:
        raise NotFound(f"No canteen {canteen_id}.")
    day = on or clock.today(ZoneInfo(canteen.timezone))
    live = Q(voided_at__isnull=True)
    row = (
        await Meal.filter(canteen_id=canteen_id, local_date=day)
        .annotate(
            meals=Count("id", _filter=live),
            voided=Count("id", _filter=Q(voided_at__isnull=False)),
            manual=Count("id", _filter=live & Q(manual_reason__isnull=False)),
        )
        .values("meals", "voided", "manual")
    )[0]
    return DayCount(canteen_id, day, row["meals"], row["voided"], row["manual"])

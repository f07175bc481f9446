"""The kitchen count of one canteen, day and meal: what was ordered, and the walk-ins expected.

One read use case: the day's menu and orders (small, through the models), the meal's history
(one bulk query, ``reports.loaders.kitchen_history``), and the pure count
(``reports.kitchen``), which also says in words how the forecast was made.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from canteen import clock
from canteen.canteens.models import Canteen, Offering
from canteen.columns import values_of
from canteen.errors import NotFound
from canteen.orders.models import Menu, Order
from canteen.roles import Actor, Role, require
from reports import kitchen, loaders
from reports.loaders import Span


@dataclass(frozen=True)
class KitchenDay:
    """A canteen's kitchen count, with the names of the offerings it lists."""

    canteen_id: int
    count: kitchen.KitchenCount
    names: dict[int, str]


async def _canteen(actor: Actor, canteen_id: int) -> Canteen:
    """The canteen in the caller's reach: a manager or cashier only their own (else 404)."""
    require(actor, "kitchen.read")
    if actor.role in (Role.MANAGER, Role.CASHIER) and actor.canteen_id != canteen_id:
        raise NotFound(f"No canteen {canteen_id}.")
    canteen = await Canteen.get_or_none(id=canteen_id)
    if canteen is None:
        raise NotFound(f"No canteen {canteen_id}.")
    return canteen


def history_span(canteen: Canteen, on: date) -> Span:
    """The weeks the forecast of ``on`` looks back on, ending before today: today's meal may
    still be on sale, so a half-sold day never stands for a whole one."""
    today = clock.today(ZoneInfo(canteen.timezone))
    end = min(on, today) - timedelta(days=1)
    return Span(on - timedelta(weeks=kitchen.LOOKBACK_WEEKS), end, canteen.id)


async def kitchen_count(
    actor: Actor, canteen_id: int, meal_type: str, on: date | None = None
) -> KitchenDay:
    """How many of each offering to cook for ``meal_type`` on ``on`` (default: the canteen's
    today): the orders not cancelled, plus the walk-ins forecast from the past weeks."""
    canteen = await _canteen(actor, canteen_id)
    day = on or clock.today(ZoneInfo(canteen.timezone))
    menu = await values_of(
        Menu.filter(canteen_id=canteen.id, local_date=day, meal_type=meal_type).order_by("id"),
        "offering_id",
    )
    orders = await Order.filter(
        canteen_id=canteen.id, local_date=day, meal_type=meal_type, status__not="cancelled"
    ).values_list("offering_id", "delivery")
    history = await loaders.kitchen_history(history_span(canteen, day), meal_type)
    found = kitchen.count(day, menu, [(int(o), bool(d)) for o, d in orders], history)
    ids = [row.offering_id for row in found.by_offering]
    names = dict(await Offering.filter(id__in=ids).values_list("id", "name"))
    return KitchenDay(canteen.id, found, {int(k): str(v) for k, v in names.items()})

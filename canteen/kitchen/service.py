"""The kitchen count of one canteen, day and meal: what was ordered, the walk-ins expected,
and after the meal what was cooked, sold and left over.

Two use cases: the count (read): the day's menu, orders, cooked counts and sales (small,
through the models), the meal's history (one bulk query, ``reports.loaders.kitchen_history``),
and the pure count (``reports.kitchen``), which also says in words how the forecast was made;
and recording what was cooked (write, audited), which answers the count as it then stands.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from tortoise.functions import Count
from tortoise.transactions import in_transaction

from canteen import clock
from canteen.audit import service as audit
from canteen.canteens.models import Canteen, Offering
from canteen.checkout.models import Meal
from canteen.columns import values_of
from canteen.errors import InvalidInput, NotFound, UnknownOffering
from canteen.kitchen.models import Cooked
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


async def _canteen(actor: Actor, canteen_id: int, action: str = "kitchen.read") -> Canteen:
    """The canteen in the caller's reach: a manager or cashier only their own (else 404)."""
    require(actor, action)
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
    cooked = await Cooked.filter(
        canteen_id=canteen.id, local_date=day, meal_type=meal_type
    ).values_list("offering_id", "portions")
    sold = (
        await Meal.filter(
            canteen_id=canteen.id,
            local_date=day,
            meal_type=meal_type,
            voided_at__isnull=True,
            offering_id__isnull=False,
        )
        .annotate(n=Count("id"))
        .group_by("offering_id")
        .values_list("offering_id", "n")
    )
    found = kitchen.count(
        day,
        menu,
        [(int(o), bool(d)) for o, d in orders],
        history,
        cooked={int(o): int(n) for o, n in cooked},
        sold={int(o): int(n) for o, n in sold},
    )
    ids = [row.offering_id for row in found.by_offering]
    names = dict(await Offering.filter(id__in=ids).values_list("id", "name"))
    return KitchenDay(canteen.id, found, {int(k): str(v) for k, v in names.items()})


@dataclass(frozen=True)
class CookedPortions:
    """Portions of one offering cooked (``PUT .../kitchen-count/cooked``'s ``cooked`` items)."""

    offering_id: int
    portions: int


async def _check_offerings(
    canteen: Canteen, meal_type: str, cooked: Sequence[CookedPortions]
) -> None:
    """Each offering is on this canteen's price list for that meal (taken off it since or
    not: a past day is recorded as it was), and listed once."""
    ids = {item.offering_id for item in cooked}
    found = dict(
        await Offering.filter(canteen_id=canteen.id, id__in=ids).values_list("id", "meal_type")
    )
    seen: set[int] = set()
    for i, item in enumerate(cooked):
        field = f"cooked.{i}.offering_id"
        if found.get(item.offering_id) != meal_type:
            raise UnknownOffering.on(field, f"not a {meal_type} on this canteen's price list")
        if item.offering_id in seen:
            raise InvalidInput.on(field, "listed twice")
        seen.add(item.offering_id)


async def record_cooked(
    actor: Actor, canteen_id: int, on: date, meal_type: str, cooked: Sequence[CookedPortions]
) -> KitchenDay:
    """Record how many portions of each offering were cooked for ``meal_type`` on ``on`` (today
    or a past day, in the canteen's time zone); an offering recorded before is replaced, one
    not listed is left as it was. Audited with what it replaced. Answers the kitchen count,
    now with cooked, sold and left over."""
    canteen = await _canteen(actor, canteen_id, "kitchen.record")
    if on > clock.today(ZoneInfo(canteen.timezone)):
        raise InvalidInput.on("date", "is after today: what was cooked is recorded after the meal")
    await _check_offerings(canteen, meal_type, cooked)
    ids = [item.offering_id for item in cooked]
    async with in_transaction():
        await Canteen.select_for_update().get(id=canteen.id)  # two recorders at once: in turn
        where = Cooked.filter(
            canteen_id=canteen.id, local_date=on, meal_type=meal_type, offering_id__in=ids
        )
        before = dict(await where.values_list("offering_id", "portions"))
        await where.delete()
        now = clock.now()
        await Cooked.bulk_create(
            [
                Cooked(
                    canteen_id=canteen.id,
                    local_date=on,
                    meal_type=meal_type,
                    offering_id=item.offering_id,
                    portions=item.portions,
                    recorded_by_id=actor.recorded_user_id,
                    recorded_at=now,
                )
                for item in cooked
            ]
        )
        await audit.record(
            actor,
            "kitchen.cooked",
            canteen,
            before={"date": on.isoformat(), "meal_type": meal_type, "cooked": before or None},
            after={
                "date": on.isoformat(),
                "meal_type": meal_type,
                "cooked": {item.offering_id: item.portions for item in cooked},
            },
        )
    return await kitchen_count(actor, canteen.id, meal_type, on)


@dataclass(frozen=True)
class OrderLine:
    """One order of the day as the kitchen reads it: who, which dish, eaten in or brought home."""

    order_id: int
    diner_name: str
    offering_name: str
    delivery: bool
    status: str
    note: str
    dietary: list[str]


async def orders_of_day(actor: Actor, canteen_id: int, on: date, meal_type: str) -> list[OrderLine]:
    """The day's orders for the meal, not cancelled, eat-in first then delivery, by name (the
    kitchen count's reach: a manager or cashier only their own canteen)."""
    canteen = await _canteen(actor, canteen_id)
    rows = (
        await Order.filter(
            canteen_id=canteen.id, local_date=on, meal_type=meal_type, status__not="cancelled"
        )
        .select_related("diner", "offering")
        .order_by("delivery", "id")
    )
    lines = [
        OrderLine(
            o.id,
            o.diner.name,
            o.offering.name,
            o.delivery,
            o.status,
            o.note,
            list(o.diner.dietary or []),
        )
        for o in rows
    ]
    return sorted(lines, key=lambda line: (line.delivery, line.diner_name))

"""A canteen's menus: which offerings it serves each day and meal, and what is in them.

A menu is what can be ordered ahead (``not_on_menu`` otherwise) and what the kitchen cooks; a
day's menu is set whole, so a manager's corrected week replaces what was there.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from tortoise.transactions import in_transaction

from canteen.audit import service as audit
from canteen.canteens import service as canteens
from canteen.canteens.models import Canteen, Offering
from canteen.errors import Forbidden, InvalidInput, UnknownOffering
from canteen.orders.models import Menu
from canteen.roles import Actor, Role, require

MAX_SPAN_DAYS = 62
"""How many days one ``GET .../menus`` may span: two months, a planner's view."""


@dataclass(frozen=True)
class Served:
    """One offering on a day's menu for a meal, as the menu lists it."""

    offering: Offering
    dishes: list[str]
    allergens: list[str]


DayMenu = dict[str, list[Served]]
"""A day's menu: meal type -> what is served."""


async def _run_by(actor: Actor, canteen_id: int) -> Canteen:
    canteen = await canteens.get_canteen(actor, canteen_id)
    if actor.role == Role.MANAGER and actor.canteen_id != canteen.id:
        raise Forbidden("A manager sets only their own canteen's menus.")
    return canteen


async def _check(canteen: Canteen, meals: dict[str, list[dict]]) -> dict[int, Offering]:
    """Every offering listed is on this canteen's price list, for that meal, once."""
    ids = {item["offering_id"] for items in meals.values() for item in items}
    offerings = {
        o.id: o for o in await Offering.filter(canteen_id=canteen.id, id__in=ids, active=True)
    }
    for meal_type, items in meals.items():
        seen: set[int] = set()
        for i, item in enumerate(items):
            field = f"meals.{meal_type}.{i}.offering_id"
            offering = offerings.get(item["offering_id"])
            if offering is None or offering.meal_type != meal_type:
                raise UnknownOffering.on(field, f"not a {meal_type} on this canteen's price list")
            if offering.id in seen:
                raise InvalidInput.on(field, "listed twice for this meal")
            seen.add(offering.id)
    return offerings


def _listed(meals: dict[str, list[dict]]) -> dict[str, list[int]]:
    return {
        meal_type: [item["offering_id"] for item in items] for meal_type, items in meals.items()
    }


async def set_menu(
    actor: Actor, canteen_id: int, on: date, meals: dict[str, list[dict]]
) -> DayMenu:
    """Replace the day's menu with ``meals`` (meal type -> offering_id, dishes, allergens)."""
    require(actor, "menus.write")
    canteen = await _run_by(actor, canteen_id)
    offerings = await _check(canteen, meals)
    rows = [
        Menu(
            canteen=canteen,
            local_date=on,
            meal_type=meal_type,
            offering_id=item["offering_id"],
            dishes=item.get("dishes", []),
            allergens=item.get("allergens", []),
        )
        for meal_type, items in meals.items()
        for item in items
    ]
    async with in_transaction():
        await Menu.filter(canteen_id=canteen.id, local_date=on).delete()
        await Menu.bulk_create(rows)
        await audit.record(
            actor,
            "menu.set",
            canteen,
            after={"date": on.isoformat(), "meals": _listed(meals)},
        )
    return {
        meal_type: [
            Served(offerings[i["offering_id"]], i.get("dishes", []), i.get("allergens", []))
            for i in items
        ]
        for meal_type, items in meals.items()
    }


async def menus(actor: Actor, canteen_id: int, start: date, end: date) -> dict[date, DayMenu]:
    """The menus of the days from ``start`` to ``end`` (both included) that have one."""
    require(actor, "menus.read")
    if end < start:
        raise InvalidInput.on("to", "must not be before from")
    if end - start > timedelta(days=MAX_SPAN_DAYS):
        raise InvalidInput.on("to", f"at most {MAX_SPAN_DAYS} days after from")
    canteen = await canteens.get_canteen(actor, canteen_id)
    rows = (
        await Menu.filter(canteen_id=canteen.id, local_date__gte=start, local_date__lte=end)
        .select_related("offering")
        .order_by("local_date", "meal_type", "id")
    )
    days: dict[date, DayMenu] = {}
    for row in rows:
        days.setdefault(row.local_date, {}).setdefault(row.meal_type, []).append(
            Served(row.offering, row.dishes, row.allergens)
        )
    return days


async def is_served(canteen_id: int, on: date, meal_type: str, offering_id: int) -> bool:
    return await Menu.exists(
        canteen_id=canteen_id, local_date=on, meal_type=meal_type, offering_id=offering_id
    )

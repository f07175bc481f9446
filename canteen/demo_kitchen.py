"""The demo's kitchens: what each canteen cooked on the last two weeks' meals, so the kitchen
count shows cooked against sold and the sustainability report its waste.

Called once from ``canteen.demo.fill`` after the meal history and the orders. For each canteen,
each of the :data:`DAYS` days before the last lunch that is over, and each meal it served, the
canteen's manager records what the kitchen cooked through ``kitchen.service.record_cooked``, as
a real manager would: the kitchen count of that morning (the orders plus the walk-ins forecast
from the weeks before) for each dish, or what was sold when more was (the kitchen cooked more
as the dish ran out). So what is left over is what the forecast over-counted, never a number
made up.

The mornings' counts are the service's (``reports.kitchen.count`` on what
``kitchen.service.kitchen_count`` reads), with each canteen's menus, orders, cooked counts,
sales and meal history read at once for the two weeks rather than seven queries a meal: nothing
this step records changes a later count (a cooked count only shows on its own day and meal).
"""

from collections import Counter
from datetime import date, timedelta

import pandas as pd

from canteen.canteens.models import Canteen
from canteen.checkout.models import Meal
from canteen.kitchen import service as kitchen
from canteen.kitchen.models import Cooked
from canteen.orders.models import Menu, Order
from canteen.roles import Actor, Role
from reports import kitchen as counting
from reports import loaders

DAYS = 14
"""Two weeks of cooked counts: enough for a month's waste rate in the report."""
MEALS = ("breakfast", "lunch", "dinner")


async def fill(canteens: list[Canteen], actors: dict[str, Actor], last: date) -> tuple[str, ...]:
    """Record the cooked counts; returns the lines the demo prints about them."""
    managers = {a.canteen_id: a for a in actors.values() if a.role == Role.MANAGER}
    cooked = left = 0
    days = [last - timedelta(days=back) for back in range(DAYS, 0, -1)]
    for canteen in canteens:
        manager = managers[canteen.id]
        counts = await _mornings(canteen, days)
        for day in days:
            for meal_type in MEALS:
                portions = [
                    kitchen.CookedPortions(row.offering_id, max(row.to_cook, row.sold))
                    for row in counts[day, meal_type].by_offering
                    if row.to_cook or row.sold
                ]
                if not portions:
                    continue
                found = await kitchen.record_cooked(manager, canteen.id, day, meal_type, portions)
                cooked += found.count.cooked or 0
                left += found.count.left_over or 0
    first = last - timedelta(days=DAYS)
    return (
        f"  kitchens: cooked counts from {first} to {last - timedelta(days=1)} ({cooked} portions,"
        f" {left} left over): /kitchen, and waste in /staff/sustainability",
    )


async def _mornings(
    canteen: Canteen, days: list[date]
) -> dict[tuple[date, str], counting.KitchenCount]:
    """The kitchen count of each day and meal as ``kitchen.service.kitchen_count`` makes it,
    from the same rows, read once for all the days."""
    menus: dict[tuple[date, str], list[int]] = {}
    for on, meal_type, offering_id in (
        await Menu.filter(canteen_id=canteen.id, local_date__in=days)
        .order_by("id")
        .values_list("local_date", "meal_type", "offering_id")
    ):
        menus.setdefault((on, meal_type), []).append(int(offering_id))
    orders: dict[tuple[date, str], list[tuple[int, bool]]] = {}
    for on, meal_type, offering_id, delivery in await Order.filter(
        canteen_id=canteen.id, local_date__in=days, status__not="cancelled"
    ).values_list("local_date", "meal_type", "offering_id", "delivery"):
        orders.setdefault((on, meal_type), []).append((int(offering_id), bool(delivery)))
    cooked: dict[tuple[date, str], dict[int, int]] = {}
    for on, meal_type, offering_id, portions in await Cooked.filter(
        canteen_id=canteen.id, local_date__in=days
    ).values_list("local_date", "meal_type", "offering_id", "portions"):
        cooked.setdefault((on, meal_type), {})[int(offering_id)] = int(portions)
    sold: dict[tuple[date, str], Counter[int]] = {}
    for on, meal_type, offering_id in await Meal.filter(
        canteen_id=canteen.id,
        local_date__in=days,
        voided_at__isnull=True,
        offering_id__isnull=False,
    ).values_list("local_date", "meal_type", "offering_id"):
        sold.setdefault((on, meal_type), Counter())[int(offering_id)] += 1
    spans = {day: kitchen.history_span(canteen, day) for day in days}
    whole = loaders.Span(
        min(s.start for s in spans.values()), max(s.end for s in spans.values()), canteen.id
    )
    counts = {}
    for meal_type in MEALS:
        history = await loaders.kitchen_history(whole, meal_type)
        for day in days:
            span, dates = spans[day], history["local_date"]
            within = (dates >= pd.Timestamp(span.start)) & (dates <= pd.Timestamp(span.end))
            counts[day, meal_type] = counting.count(
                day,
                menus.get((day, meal_type), []),
                orders.get((day, meal_type), []),
                history[within].reset_index(drop=True),
                cooked=cooked.get((day, meal_type), {}),
                sold=dict(sold.get((day, meal_type), {})),
            )
    return counts

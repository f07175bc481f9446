"""The demo's kitchens: what each canteen cooked on the last two weeks' meals, so the kitchen
count shows cooked against sold and the sustainability report its waste.

Called once from ``canteen.demo.fill`` after the meal history and the orders. For each canteen,
each of the :data:`DAYS` days before the last lunch that is over, and each meal it served, the
canteen's manager records what the kitchen cooked through ``kitchen.service.record_cooked``, as
a real manager would: the kitchen count of that morning (the orders plus the walk-ins forecast
from the weeks before) for each dish, or what was sold when more was (the kitchen cooked more
as the dish ran out). So what is left over is what the forecast over-counted, never a number
made up.
"""

from datetime import date, timedelta

from canteen.canteens.models import Canteen
from canteen.kitchen import service as kitchen
from canteen.roles import Actor, Role

DAYS = 14
"""Two weeks of cooked counts: enough for a month's waste rate in the report."""
MEALS = ("breakfast", "lunch", "dinner")


async def fill(canteens: list[Canteen], actors: dict[str, Actor], last: date) -> tuple[str, ...]:
    """Record the cooked counts; returns the lines the demo prints about them."""
    managers = {a.canteen_id: a for a in actors.values() if a.role == Role.MANAGER}
    cooked = left = 0
    for canteen in canteens:
        manager = managers[canteen.id]
        for back in range(DAYS, 0, -1):
            day = last - timedelta(days=back)
            for meal_type in MEALS:
                count = await kitchen.kitchen_count(manager, canteen.id, meal_type, day)
                portions = [
                    kitchen.CookedPortions(row.offering_id, max(row.to_cook, row.sold))
                    for row in count.count.by_offering
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

"""The demo's kitchens (``canteen.demo_kitchen``): each past meal cooked as its morning's count
said, and never less than was sold."""

from datetime import timedelta

from canteen import demo_kitchen
from canteen.canteens.models import Canteen
from canteen.kitchen.models import Cooked
from tests.orders.conftest import TODAY
from tests.orders.test_kitchen_api import sell_walk_ins


async def test_the_demo_records_what_the_count_said_or_what_sold(ahead, as_role):
    manager = await as_role("manager", canteen_id=ahead.counter.canteen_id)
    days = {TODAY - timedelta(days=n): n for n in (21, 14, 7, 1)}  # Tuesdays and a Monday
    for day, back in days.items():
        await sell_walk_ins(ahead, day, {21: 6, 14: 8, 7: 2, 1: 4}[back])
    canteen = await Canteen.get(id=ahead.counter.canteen_id)

    lines = await demo_kitchen.fill([canteen], {"m": manager.actor}, TODAY)

    cooked = {
        row.local_date: row.portions
        for row in await Cooked.filter(canteen_id=canteen.id, meal_type="lunch")
    }
    # 14 days back: the Tuesday before sold 6, so 6 to cook, 8 sold: 8 cooked as it ran out;
    # 7 days back: 7 expected (the two Tuesdays before), 2 sold, 5 left over; the day before:
    # no Monday before it, nothing expected, 4 sold, 4 cooked. The 21st day back is not counted.
    assert cooked == {TODAY - timedelta(days=14): 8, TODAY - timedelta(days=7): 7,
                      TODAY - timedelta(days=1): 4}  # fmt: skip
    assert lines == (
        f"  kitchens: cooked counts from {TODAY - timedelta(days=14)} to"
        f" {TODAY - timedelta(days=1)} (19 portions, 5 left over): /kitchen, and waste in"
        " /staff/sustainability",
    )

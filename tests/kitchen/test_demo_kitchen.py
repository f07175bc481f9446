"""The demo's kitchens (``canteen.demo_kitchen``): each past meal cooked as its morning's count
said, in whole trays, and never less than was sold."""

from datetime import timedelta

from canteen import demo_kitchen
from canteen.canteens.models import Canteen
from canteen.kitchen.models import Cooked
from tests.orders.conftest import TODAY
from tests.orders.test_kitchen_api import sell_walk_ins


def test_a_tray_is_five_portions_and_a_part_of_one_is_a_whole_one():
    assert [demo_kitchen.tray_up(n) for n in (0, 1, 5, 6, 11)] == [0, 5, 5, 10, 15]


async def test_the_demo_records_whole_trays_of_what_the_count_said_or_what_sold(ahead, as_role):
    manager = await as_role("manager", canteen_id=ahead.counter.canteen_id)
    days = {TODAY - timedelta(days=n): n for n in (14, 7, 1)}  # two Tuesdays and a Monday
    for day, back in days.items():
        await sell_walk_ins(ahead, day, {14: 3, 7: 12, 1: 4}[back])
    canteen = await Canteen.get(id=ahead.counter.canteen_id)

    lines = await demo_kitchen.fill([canteen], {"m": manager.actor}, TODAY)

    cooked = {
        row.local_date: row.portions
        for row in await Cooked.filter(canteen_id=canteen.id, meal_type="lunch")
    }
    # the 14th day back had no history: 3 sold, one tray; the 7th: the Tuesday before sold 3,
    # so 3 to cook, but 12 sold: three trays; the day before: 4 sold, one tray
    assert cooked == {TODAY - timedelta(days=14): 5, TODAY - timedelta(days=7): 15,
                      TODAY - timedelta(days=1): 5}  # fmt: skip
    assert lines == (
        f"  kitchens: cooked counts from {TODAY - timedelta(days=14)} to"
        f" {TODAY - timedelta(days=1)} (25 portions, 6 left over): /kitchen, and waste in"
        " /staff/sustainability",
    )

"""An order not collected by the end of its meal is marked missed by the periodic task, and
costs nothing: an eat-in order when its meal window closes, a delivery at the end of the day."""

from datetime import timedelta

from canteen import clock, periodic
from canteen.orders import service
from canteen.orders.models import Order
from tests.orders.conftest import LUNCH_TIME, TODAY, at_local


async def statuses() -> dict[tuple[str, bool], str]:
    return {(o.meal_type, o.delivery): o.status for o in await Order.all()}


async def test_an_uncollected_eat_in_order_is_missed_when_its_window_closes(ahead):
    await ahead.place()
    await ahead.place(meal_type="dinner", offering_id=ahead.dinner_id, delivery=True)
    assert await service.mark_missed(at_local(13, 29)) == 0
    assert await service.mark_missed(at_local(13, 30)) == 1
    assert await statuses() == {("lunch", False): "missed", ("dinner", True): "placed"}
    assert await service.mark_missed(at_local(19, 0)) == 0  # still on the road
    tomorrow = TODAY + timedelta(days=1)
    assert await service.mark_missed(at_local(0, 0, day=tomorrow)) == 1
    assert await statuses() == {("lunch", False): "missed", ("dinner", True): "missed"}
    assert await ahead.balance() == 5000


async def test_a_fulfilled_order_stays_fulfilled(ahead):
    await ahead.place()
    with clock.frozen_at(LUNCH_TIME):
        assert (
            await ahead.counter.cashier.post("/meals", ahead.counter.order())
        ).status_code == 201
    assert await service.mark_missed(at_local(23, 0)) == 0
    assert await statuses() == {("lunch", False): "fulfilled"}


async def test_the_periodic_run_marks_them_and_says_how_many(ahead):
    await ahead.place()
    with clock.frozen_at(at_local(14, 0)):
        run = await periodic.run_once()
    assert run.missed_orders == 1
    assert str(run).endswith("1 uncollected order(s) marked missed")
    r = await ahead.family.get("/orders", params={"status": "missed"})
    assert len(r.json()["items"]) == 1

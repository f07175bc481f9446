"""An order is handed over as a sale, once: an eat-in order when the diner's card is scanned
at that canteen for that meal, a delivery at the door with the canteen's delivery fee."""

import asyncio

import pytest

from canteen import clock
from canteen.accounts.models import LedgerEntry
from canteen.checkout.models import Meal
from canteen.columns import values_of
from canteen.errors import InsufficientBalance, OrderNotOpen
from canteen.orders import service
from canteen.orders.models import Order
from tests.checkout.conftest import POLICY
from tests.conftest import make_user
from tests.orders.conftest import LUNCH_TIME, TODAY, at_local

DELIVERY_RULE = {
    "code": "delivery_fee",
    "label": "送餐补贴",
    "when": {"min_age": 60, "offering_tags_any": ["delivery"]},
    "amount_fen": 300,
    "funder": "street",
    "stack_always": True,
}


async def placed(ahead, **over) -> dict:
    r = await ahead.place(**over)
    assert r.status_code == 201, r.text
    return r.json()


async def meals_of(order_id: int) -> list[int]:
    return await values_of(Meal.filter(order_id=order_id), "id")


async def test_a_card_scanned_for_the_meal_ordered_fulfils_the_order(ahead):
    order = await placed(ahead)
    with clock.frozen_at(LUNCH_TIME):
        r = await ahead.counter.cashier.post("/meals", ahead.counter.order())
    assert r.status_code == 201, r.text
    sale = r.json()
    assert sale["order_id"] == order["order_id"] and sale["pay_fen"] == 900
    shown = (await ahead.family.get("/orders")).json()["items"][0]
    assert (shown["status"], shown["meal_id"]) == ("fulfilled", sale["meal_id"])
    meal = (await ahead.family.get(f"/meals/{sale['meal_id']}")).json()
    assert meal["order_id"] == order["order_id"]
    assert await ahead.balance() == 5000 - 900


async def test_a_second_scan_is_a_walk_in_and_the_order_keeps_its_one_meal(ahead):
    order = await placed(ahead)
    with clock.frozen_at(LUNCH_TIME):
        first = (await ahead.counter.cashier.post("/meals", ahead.counter.order())).json()
        second = (await ahead.counter.cashier.post("/meals", ahead.counter.order())).json()
    assert (first["order_id"], second["order_id"]) == (order["order_id"], None)
    assert await meals_of(order["order_id"]) == [first["meal_id"]]


async def test_a_scan_elsewhere_or_for_a_delivery_order_fulfils_nothing(ahead, as_role):
    delivery = await placed(ahead, delivery=True)
    other = (await ahead.admin.post("/canteens", {"name": "另一饭堂"})).json()["id"]
    dish = (
        await ahead.admin.post(
            f"/canteens/{other}/offerings",
            {"name": "午餐", "meal_type": "lunch", "price_fen": 1000},
        )
    ).json()["id"]
    cashier = await as_role("cashier", canteen_id=other)
    with clock.frozen_at(LUNCH_TIME):
        here = await ahead.counter.cashier.post("/meals", ahead.counter.order())
        there = await cashier.post(
            "/meals", ahead.counter.order(canteen_id=other, offering_id=dish)
        )
    assert (here.json()["order_id"], there.json()["order_id"]) == (None, None)
    assert (await Order.get(id=delivery["order_id"])).status == "placed"


async def test_two_tills_scanning_at_once_fulfil_the_order_with_one_meal(ahead, as_role):
    order = await placed(ahead)
    second_till = await as_role("cashier", canteen_id=ahead.counter.canteen_id)
    with clock.frozen_at(LUNCH_TIME):
        sales = await asyncio.gather(
            ahead.counter.cashier.post("/meals", ahead.counter.order()),
            second_till.post("/meals", ahead.counter.order()),
        )
    assert [s.status_code for s in sales] == [201, 201]
    fulfilling = [s.json()["meal_id"] for s in sales if s.json()["order_id"]]
    assert len(fulfilling) == 1
    assert await meals_of(order["order_id"]) == fulfilling
    assert (await Order.get(id=order["order_id"])).meal_id == fulfilling[0]


# --- A delivery handed over at the door --------------------------------------------------


@pytest.fixture
async def deliverer(ahead):
    return await make_user("volunteer")


async def test_a_delivery_is_charged_once_with_its_fee_however_often_it_is_reported(
    ahead, deliverer
):
    order = await placed(ahead, delivery=True)
    assert order["estimate"]["pay_fen"] == 1200  # 15 + 3 yuan, 6 off
    with clock.frozen_at(LUNCH_TIME):
        first = await service.hand_over(deliverer, order["order_id"])
        again = [await service.hand_over(deliverer, order["order_id"]) for _ in range(2)]
        together = await asyncio.gather(
            *(service.hand_over(deliverer, order["order_id"]) for _ in range(10))
        )
    assert {m.id for m in [*again, *together]} == {first.id}
    assert (first.price_fen, first.pay_fen, first.order_id) == (1800, 1200, order["order_id"])
    assert await meals_of(order["order_id"]) == [first.id]
    assert await LedgerEntry.filter(meal_id=first.id).count() == 1
    assert await ahead.balance() == 5000 - 1200


async def test_ten_deliverers_reporting_at_once_charge_once(ahead):
    """The reports race from the start: none of them has seen the order fulfilled."""
    order = await placed(ahead, delivery=True)
    reporters = [await make_user("volunteer") for _ in range(10)]
    with clock.frozen_at(LUNCH_TIME):
        meals = await asyncio.gather(*(service.hand_over(r, order["order_id"]) for r in reporters))
    assert len({m.id for m in meals}) == 1
    assert await Meal.filter(diner_id=ahead.counter.diner_id).count() == 1
    assert await ahead.balance() == 5000 - 1200


async def test_a_delivery_paid_in_cash_leaves_the_account_alone(ahead, deliverer):
    order = await placed(ahead, delivery=True)
    with clock.frozen_at(LUNCH_TIME):
        meal = await service.hand_over(deliverer, order["order_id"], payment="cash")
    assert (meal.payment, meal.pay_fen) == ("cash", 1200)
    assert (await Order.get(id=order["order_id"])).status == "fulfilled"
    assert await ahead.balance() == 5000


async def test_a_delivery_the_balance_no_longer_covers_is_refused_unless_paid_in_cash(
    admin, as_role
):
    from tests.orders.conftest import open_orders

    ahead = await open_orders(admin, as_role, balance_fen=1500)
    deliverer = await make_user("volunteer")
    order = await placed(ahead, delivery=True)  # 12 yuan of 15
    r = await admin.patch(f"/canteens/{ahead.counter.canteen_id}", {"delivery_fee_fen": 1000})
    assert r.status_code == 200
    with clock.frozen_at(LUNCH_TIME):
        with pytest.raises(InsufficientBalance) as refused:
            await service.hand_over(deliverer, order["order_id"])
        assert refused.value.extra["shortfall_fen"] == 400  # 15 + 10 - 6 = 19 yuan
        assert (await Order.get(id=order["order_id"])).status == "placed"
        meal = await service.hand_over(deliverer, order["order_id"], payment="cash")
    assert meal.pay_fen == 1900
    assert await ahead.balance() == 1500


async def test_a_policy_rule_tagged_delivery_subsidises_the_fee(ahead, deliverer):
    policy = {
        **POLICY,
        "name": "with delivery",
        "effective_from": TODAY.isoformat(),
        "rules": [*POLICY["rules"], DELIVERY_RULE],
    }
    r = await ahead.admin.post("/policies", policy)
    assert r.status_code == 201, r.text
    order = await placed(ahead, delivery=True)
    assert order["estimate"] == {
        "price_fen": 1500,
        "subsidy_fen": 900,
        "delivery_fee_fen": 300,
        "pay_fen": 900,
    }
    with clock.frozen_at(LUNCH_TIME):
        meal = await service.hand_over(deliverer, order["order_id"])
    await meal.fetch_related("lines")
    assert {line.rule for line in meal.lines} >= {"delivery_fee", "age80"}
    assert (meal.subsidy_fen, meal.pay_fen) == (900, 900)


async def test_a_cancelled_order_is_not_handed_over(ahead, deliverer):
    order = await placed(ahead, delivery=True)
    await ahead.family.post(f"/orders/{order['order_id']}/cancel")
    with clock.frozen_at(at_local(12, 0)), pytest.raises(OrderNotOpen):
        await service.hand_over(deliverer, order["order_id"])
    assert await Meal.all().count() == 0

"""Orders ahead through the API: placed with an estimate and no money moved, refused with
the code API.md gives, cancelled before the cut-off, listed within the caller's reach."""

import asyncio
from datetime import timedelta

from canteen import clock
from canteen.audit.models import AuditEntry
from canteen.orders.models import Order
from tests.orders.conftest import TODAY, at_local, open_orders


async def test_an_order_is_placed_with_an_estimate_and_no_money_moves(ahead):
    r = await ahead.place()
    assert r.status_code == 201, r.text
    order = r.json()
    assert order["status"] == "placed" and order["meal_id"] is None
    # 15 yuan; age80's 5 yuan and the operator's 1 yuan off (the counter's own policy)
    assert order["estimate"] == {
        "price_fen": 1500,
        "subsidy_fen": 600,
        "delivery_fee_fen": 0,
        "pay_fen": 900,
    }
    assert order["cutoff_at"].startswith("2026-12-01T01:00:00")  # 09:00 in Shanghai
    assert await ahead.balance() == 5000


async def test_a_delivery_is_estimated_with_the_canteens_fee(ahead):
    r = await ahead.place(delivery=True, meal_type="dinner", offering_id=ahead.dinner_id)
    assert r.status_code == 201, r.text
    assert r.json()["estimate"] == {
        "price_fen": 1200,
        "subsidy_fen": 600,
        "delivery_fee_fen": 300,
        "pay_fen": 900,
    }


async def test_an_order_after_the_cutoff_is_refused(ahead):
    with clock.frozen_at(at_local(9, 0)):
        r = await ahead.place()
    assert (r.status_code, r.json()["code"]) == (409, "order_cutoff_passed")
    assert r.json()["cutoff_at"].startswith("2026-12-01T01:00:00")
    tomorrow = (TODAY + timedelta(days=1)).isoformat()
    with clock.frozen_at(at_local(9, 0)):
        assert (await ahead.place(date=tomorrow)).status_code == 201


async def test_a_dish_not_on_that_days_menu_is_refused(ahead):
    r = await ahead.place(date=(TODAY + timedelta(days=7)).isoformat())
    assert (r.status_code, r.json()["code"]) == (422, "not_on_menu")
    assert r.json()["errors"][0]["field"] == "offering_id"
    r = await ahead.place(meal_type="dinner")  # the lunch set is not on the dinner menu
    assert (r.status_code, r.json()["code"]) == (422, "not_on_menu")
    assert await Order.all().count() == 0


async def test_a_suspended_diner_orders_nothing(ahead):
    r = await ahead.admin.patch(
        f"/diners/{ahead.counter.diner_id}", {"status": "suspended", "reason": "住院"}
    )
    assert r.status_code == 200, r.text
    r = await ahead.place()
    assert (r.status_code, r.json()["code"]) == (409, "diner_inactive")


async def test_a_second_order_for_the_same_meal_is_refused_until_the_first_is_cancelled(ahead):
    first = (await ahead.place()).json()
    r = await ahead.place(delivery=True)
    assert (r.status_code, r.json()["code"]) == (409, "order_exists")
    assert (await ahead.family.post(f"/orders/{first['order_id']}/cancel")).status_code == 200
    assert (await ahead.place(delivery=True)).status_code == 201


async def test_orders_the_balance_cannot_cover_together_are_refused(admin, as_role):
    ahead = await open_orders(admin, as_role, balance_fen=1500)
    assert (await ahead.place()).status_code == 201  # 9 yuan of 15 promised
    r = await ahead.place(meal_type="dinner", offering_id=ahead.dinner_id)  # 6 more: 15 in all
    assert r.status_code == 201, r.text
    tomorrow = (TODAY + timedelta(days=1)).isoformat()
    r = await ahead.place(date=tomorrow)
    assert (r.status_code, r.json()["code"]) == (409, "insufficient_balance")
    assert r.json()["shortfall_fen"] == 900
    assert await Order.filter(local_date=TODAY + timedelta(days=1)).count() == 0


async def test_one_key_places_one_order_however_often_it_is_sent(ahead):
    first = await ahead.place(key="phone-1")
    again = await ahead.place(key="phone-1")
    assert (first.status_code, again.status_code) == (201, 201)
    assert first.json() == again.json()
    assert await Order.all().count() == 1
    r = await ahead.place(key="phone-1", delivery=True)
    assert (r.status_code, r.json()["code"]) == (422, "idempotency_key_reused")


async def test_a_family_orders_only_for_their_own_elder(ahead, as_role):
    stranger = await as_role("family")
    r = await ahead.place(by=stranger)
    assert (r.status_code, r.json()["code"]) == (404, "not_found")
    r = await ahead.place(by=ahead.counter.cashier)  # a phone call taken at the counter
    assert r.status_code == 201, r.text


async def test_a_cashier_takes_orders_only_for_their_own_canteen(ahead, as_role):
    other = (await ahead.admin.post("/canteens", {"name": "另一饭堂"})).json()["id"]
    cashier = await as_role("cashier", canteen_id=other)
    r = await ahead.place(by=cashier)
    assert (r.status_code, r.json()["code"]) == (403, "forbidden")


async def test_a_cancel_before_the_cutoff_costs_nothing_and_after_it_only_a_manager_may(
    ahead, as_role
):
    lunch = (await ahead.place()).json()["order_id"]
    dinner = (await ahead.place(meal_type="dinner", offering_id=ahead.dinner_id)).json()
    r = await ahead.family.post(f"/orders/{lunch}/cancel")
    assert (r.status_code, r.json()["status"]) == (200, "cancelled")
    again = await ahead.family.post(f"/orders/{lunch}/cancel")
    assert (again.status_code, again.json()["status"]) == (200, "cancelled")
    with clock.frozen_at(at_local(14, 0)):
        r = await ahead.family.post(f"/orders/{dinner['order_id']}/cancel")
        assert (r.status_code, r.json()["code"]) == (409, "order_cutoff_passed")
        manager = await as_role("manager", canteen_id=ahead.counter.canteen_id)
        r = await manager.post(f"/orders/{dinner['order_id']}/cancel")
        assert (r.status_code, r.json()["status"]) == (200, "cancelled")
    late = await AuditEntry.filter(action="order.cancel_after_cutoff").values_list(
        "object_id", flat=True
    )
    assert late == [str(dinner["order_id"])]
    assert await ahead.balance() == 5000


async def test_orders_are_listed_within_the_callers_reach(ahead, as_role):
    mine = (await ahead.place()).json()["order_id"]
    stranger = await as_role("family")
    other = (await ahead.admin.post("/canteens", {"name": "另一饭堂"})).json()["id"]
    elsewhere = await as_role("cashier", canteen_id=other)

    def ids(r):
        assert r.status_code == 200, r.text
        return [o["order_id"] for o in r.json()["items"]]

    assert ids(await ahead.family.get("/orders")) == [mine]
    assert ids(await stranger.get("/orders")) == []
    assert ids(await stranger.get("/orders", params={"diner_id": ahead.counter.diner_id})) == []
    assert ids(await ahead.counter.cashier.get("/orders", params={"date": "2026-12-01"})) == [mine]
    assert ids(await elsewhere.get("/orders")) == []
    assert ids(await ahead.admin.get("/orders", params={"status": "cancelled"})) == []
    assert ids(await ahead.admin.get("/orders", params={"meal_type": "lunch"})) == [mine]
    r = await ahead.admin.get("/orders", params={"status": "eaten"})
    assert r.status_code == 422


async def test_the_same_meal_ordered_twice_at_once_is_one_order(ahead):
    first, second = await asyncio.gather(
        ahead.place(key="phone-1"), ahead.place(by=ahead.counter.cashier, key="till-1")
    )
    assert sorted([first.status_code, second.status_code]) == [201, 409]
    refused = first if first.status_code == 409 else second
    assert refused.json()["code"] == "order_exists"
    assert await Order.all().count() == 1


async def test_two_orders_at_once_are_both_counted_against_the_balance(admin, as_role):
    ahead = await open_orders(admin, as_role, balance_fen=1000)  # one 9-yuan order, not two
    lunch, dinner = await asyncio.gather(
        ahead.place(), ahead.place(meal_type="dinner", offering_id=ahead.dinner_id)
    )
    assert sorted([lunch.status_code, dinner.status_code]) == [201, 409]
    refused = lunch if lunch.status_code == 409 else dinner
    assert refused.json()["code"] == "insufficient_balance"
    assert await Order.all().count() == 1

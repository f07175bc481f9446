"""A canteen's menus, its order cut-offs and its delivery fee, as their users see them."""

from datetime import timedelta

from tests.orders.conftest import TODAY


async def test_a_week_of_menus_reads_back_by_day_with_its_dishes_and_allergens(ahead):
    end = TODAY + timedelta(days=2)
    r = await ahead.family.get(
        f"/canteens/{ahead.counter.canteen_id}/menus",
        params={"from": TODAY.isoformat(), "to": end.isoformat()},
    )
    assert r.status_code == 200, r.text
    items = r.json()["items"]
    assert [i["date"] for i in items] == [(TODAY + timedelta(days=d)).isoformat() for d in range(3)]
    dinner = items[0]["meals"]["dinner"][0]
    assert (dinner["name"], dinner["dishes"], dinner["allergens"]) == ("晚餐套餐", ["蒸蛋"], ["蛋"])
    assert items[0]["meals"]["lunch"][0]["price_fen"] == 1500


async def test_a_day_set_again_is_replaced_whole(ahead):
    c, on = ahead.counter.canteen_id, TODAY.isoformat()
    only_lunch = {"meals": {"lunch": [{"offering_id": ahead.counter.lunch_id}]}}
    r = await ahead.admin.request("PUT", f"/canteens/{c}/menus/{on}", json=only_lunch)
    assert r.status_code == 200 and set(r.json()["meals"]) == {"lunch"}
    r = await ahead.admin.get(f"/canteens/{c}/menus", params={"from": on, "to": on})
    assert set(r.json()["items"][0]["meals"]) == {"lunch"}


async def test_a_menu_takes_only_this_canteens_dishes_for_that_meal_once(ahead):
    c, on = ahead.counter.canteen_id, TODAY.isoformat()
    lunch = ahead.counter.lunch_id
    for meals, field in [
        ({"dinner": [{"offering_id": lunch}]}, "meals.dinner.0.offering_id"),
        ({"lunch": [{"offering_id": 999}]}, "meals.lunch.0.offering_id"),
        ({"lunch": [{"offering_id": lunch}, {"offering_id": lunch}]}, "meals.lunch.1.offering_id"),
    ]:
        r = await ahead.admin.request("PUT", f"/canteens/{c}/menus/{on}", json={"meals": meals})
        assert r.status_code == 422, r.text
        assert r.json()["errors"][0]["field"] == field
    r = await ahead.admin.request("PUT", f"/canteens/{c}/menus/2026-02-30", json={"meals": {}})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "date"


async def test_only_the_canteens_own_manager_or_an_admin_sets_its_menu(ahead, as_role):
    c, on = ahead.counter.canteen_id, TODAY.isoformat()
    other = (await ahead.admin.post("/canteens", {"name": "另一饭堂"})).json()["id"]
    menu = {"meals": {"lunch": [{"offering_id": ahead.counter.lunch_id}]}}
    own = await as_role("manager", canteen_id=c)
    foreign = await as_role("manager", canteen_id=other)
    assert (await own.request("PUT", f"/canteens/{c}/menus/{on}", json=menu)).status_code == 200
    r = await foreign.request("PUT", f"/canteens/{c}/menus/{on}", json=menu)
    assert (r.status_code, r.json()["code"]) == (403, "forbidden")
    r = await ahead.counter.cashier.request("PUT", f"/canteens/{c}/menus/{on}", json=menu)
    assert r.status_code == 403


async def test_a_span_of_menus_is_at_most_two_months_and_in_order(ahead):
    c = ahead.counter.canteen_id
    for start, end in [(TODAY, TODAY - timedelta(days=1)), (TODAY, TODAY + timedelta(days=63))]:
        r = await ahead.family.get(
            f"/canteens/{c}/menus", params={"from": start.isoformat(), "to": end.isoformat()}
        )
        assert (r.status_code, r.json()["errors"][0]["field"]) == (422, "to")


async def test_cutoffs_default_and_change_per_meal_type(ahead):
    c = ahead.counter.canteen_id
    shown = (await ahead.admin.get(f"/canteens/{c}")).json()
    assert shown["order_cutoffs"] == {
        "breakfast": "18:00 the day before",
        "lunch": "09:00",
        "dinner": "14:00",
    }
    assert shown["delivery_fee_fen"] == 300
    r = await ahead.admin.patch(f"/canteens/{c}", {"order_cutoffs": {"lunch": "08:00"}})
    assert r.status_code == 200, r.text
    assert r.json()["order_cutoffs"]["lunch"] == "08:00"
    assert r.json()["order_cutoffs"]["dinner"] == "14:00"


async def test_a_bad_cutoff_or_fee_is_refused_naming_the_field(ahead, as_role):
    c = ahead.counter.canteen_id
    for body, field in [
        ({"order_cutoffs": {"lunch": "9 点"}}, "order_cutoffs.lunch"),
        ({"order_cutoffs": {"supper": "09:00"}}, "order_cutoffs.supper"),
        ({"delivery_fee_fen": 1001}, "delivery_fee_fen"),
        ({"delivery_fee_fen": -1}, "delivery_fee_fen"),
    ]:
        r = await ahead.admin.patch(f"/canteens/{c}", body)
        assert r.status_code == 422, r.text
        assert r.json()["errors"][0]["field"].startswith(field)
    r = await ahead.counter.cashier.patch(f"/canteens/{c}", {"delivery_fee_fen": 0})
    assert r.status_code == 403
    assert (await ahead.admin.get(f"/canteens/{c}")).json()["delivery_fee_fen"] == 300

"""Today's count at a canteen (``GET /meals/count``): what the counter's "today" figure shows.

One small answer instead of every meal of the day paged through: live meals, voided ones, and
the live sales without a card, for the canteen's own roles and the office.
"""

from tests.checkout.test_manual_sales import enrol, manual


async def test_the_count_is_the_days_live_meals_with_voids_and_manual_sales_apart(counter):
    elder, last4 = await enrol(counter.admin, "李桂兰")
    sold = [(await counter.cashier.post("/meals", counter.order())).json() for _ in range(2)]
    assert all("meal_id" in s for s in sold), sold
    r = await counter.cashier.post("/meals", manual(counter, elder, last4, payment="cash"))
    assert r.status_code == 201, r.text
    await counter.cashier.post(f"/meals/{sold[0]['meal_id']}/void", {"reason": "wrong_scan"})

    r = await counter.cashier.get(f"/meals/count?canteen_id={counter.canteen_id}")

    assert r.status_code == 200, r.text
    assert r.json() == {
        "canteen_id": counter.canteen_id,
        "date": sold[1]["local_date"],
        "meals": 2,
        "voided": 1,
        "manual": 1,
    }


async def test_another_day_counts_its_own_meals(counter):
    await counter.cashier.post("/meals", counter.order())

    r = await counter.cashier.get(f"/meals/count?canteen_id={counter.canteen_id}&date=2020-01-01")

    assert r.json() | {"date": None} == {
        "canteen_id": counter.canteen_id,
        "date": None,
        "meals": 0,
        "voided": 0,
        "manual": 0,
    }
    assert r.json()["date"] == "2020-01-01"


async def test_a_counter_of_another_canteen_is_told_there_is_no_such_canteen(counter, as_role):
    await counter.cashier.post("/meals", counter.order())
    other = (await counter.admin.post("/canteens", {"name": "另一个饭堂"})).json()["id"]
    for role in ("cashier", "manager"):
        stranger = await as_role(role, canteen_id=other)
        r = await stranger.get(f"/meals/count?canteen_id={counter.canteen_id}")
        assert r.status_code == 404 and r.json()["code"] == "not_found", (role, r.text)


async def test_the_office_counts_any_canteen_and_a_family_may_not(counter, as_role):
    await counter.cashier.post("/meals", counter.order())
    staff = await as_role("staff")
    r = await staff.get(f"/meals/count?canteen_id={counter.canteen_id}")
    assert r.status_code == 200 and r.json()["meals"] == 1

    family = await as_role("family")
    r = await family.get(f"/meals/count?canteen_id={counter.canteen_id}")
    assert r.status_code == 403 and r.json()["code"] == "forbidden"


async def test_bad_input_is_a_422_and_an_unknown_canteen_a_404(counter):
    for query in ("", "?canteen_id=x", f"?canteen_id={counter.canteen_id}&date=2026-13-01"):
        r = await counter.admin.get(f"/meals/count{query}")
        assert r.status_code == 422 and r.json()["code"] == "validation_error", (query, r.text)
    r = await counter.admin.get("/meals/count?canteen_id=999999")
    assert r.status_code == 404 and r.json()["code"] == "not_found"

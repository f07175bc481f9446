"""The kitchen count (``GET /canteens/{id}/kitchen-count``): what was ordered for a day and
meal, the walk-ins forecast from the same weekdays before it, and how many to cook."""

from datetime import timedelta

from canteen import clock
from canteen.checkout import service as checkout
from tests.checkout.test_manual_sales import enrol
from tests.orders.conftest import TODAY, at_local

TUESDAYS = [TODAY - timedelta(weeks=k) for k in (4, 3, 2, 1)]
"""The four Tuesdays before today (a Tuesday)."""


async def sell_walk_ins(ahead, day, meals: int) -> None:
    """``meals`` lunches sold at the counter on ``day`` without an order (paid in cash)."""
    counter = ahead.counter
    who = checkout.Who(card_payload=counter.card)
    order = checkout.Order(counter.canteen_id, offering_id=counter.lunch_id)
    for minute in range(meals):
        with clock.frozen_at(at_local(11, minute, day)):
            await checkout.sell(counter.cashier.actor, who, order, "cash")


async def order_for(ahead, name: str, delivery: bool) -> dict:
    diner, _ = await enrol(ahead.admin, name)
    r = await ahead.admin.post("/orders", ahead.order(diner_id=diner, delivery=delivery))
    assert r.status_code == 201, r.text
    return r.json()


def count_url(ahead, **query: str) -> str:
    params = "&".join(f"{k}={v}" for k, v in {"meal_type": "lunch", **query}.items())
    return f"/canteens/{ahead.counter.canteen_id}/kitchen-count?{params}"


async def test_the_kitchen_cooks_the_orders_and_the_walk_ins_of_past_tuesdays(ahead):
    for day, meals in zip(TUESDAYS, (3, 3, 3, 3), strict=True):
        await sell_walk_ins(ahead, day, meals)
    await sell_walk_ins(ahead, TODAY - timedelta(days=1), 9)  # a Monday: not a Tuesday
    await order_for(ahead, "李桂兰", delivery=True)
    await order_for(ahead, "张淑珍", delivery=False)
    cancelled = await order_for(ahead, "陈志强", delivery=False)
    r = await ahead.admin.post(f"/orders/{cancelled['order_id']}/cancel", {})
    assert r.status_code == 200, r.text

    r = await ahead.counter.cashier.get(count_url(ahead))

    assert r.status_code == 200, r.text
    found = r.json()
    assert found | {"basis": ""} == {
        "canteen_id": ahead.counter.canteen_id,
        "date": TODAY.isoformat(),
        "meal_type": "lunch",
        "ordered": {"eat_in": 1, "delivery": 1},
        "by_offering": [
            {
                "offering_id": ahead.counter.lunch_id,
                "name": "两荤一素",
                "ordered": {"eat_in": 1, "delivery": 1},
                "forecast_walk_ins": 3,
                "to_cook": 5,
                "cooked": None,
                "sold": 0,
                "left_over": None,
            }
        ],
        "forecast_walk_ins": 3,
        "to_cook": 5,
        "basis": "",
        "basis_weeks": [{"date": d.isoformat(), "walk_ins": 3} for d in TUESDAYS],
        "basis_trend_per_week": 0.0,
        "cooked": None,
        "sold": 0,
        "left_over": None,
    }
    assert found["basis"].startswith("散客（未预订）人数按前 4 个星期二（11/3 3 人、")
    assert found["basis"].endswith("预计散客 3 人。")


async def test_the_basis_is_in_english_on_request(ahead):
    await sell_walk_ins(ahead, TUESDAYS[-1], 2)
    r = await ahead.admin.get(count_url(ahead, lang="en"))
    assert r.json()["basis"] == (
        "Walk-ins (meals not ordered ahead) on the last 1 Tuesdays (11/24: 2) averaged 2.0;"
        " fewer than 3 weeks, so no trend; forecast: 2 walk-ins."
    )


async def test_a_past_day_is_counted_as_it_was_that_morning(ahead):
    """The forecast of a past Tuesday comes from the Tuesdays before it, not from itself."""
    for day, meals in zip(TUESDAYS, (2, 4, 6, 30), strict=True):
        await sell_walk_ins(ahead, day, meals)

    found = (await ahead.admin.get(count_url(ahead, date=TUESDAYS[-1].isoformat()))).json()

    assert [w["walk_ins"] for w in found["basis_weeks"]] == [2, 4, 6]
    # mean 4, +2 a week fitted, a quarter of it carried 2 weeks on: 4 + 0.5 * 2 = 5
    assert (found["forecast_walk_ins"], found["basis_trend_per_week"]) == (5, 0.5)
    assert found["ordered"] == {"eat_in": 0, "delivery": 0} and found["to_cook"] == 5


async def test_a_meal_without_history_forecasts_no_walk_ins_and_says_why(ahead):
    found = (await ahead.counter.cashier.get(count_url(ahead, meal_type="dinner"))).json()
    assert found["by_offering"] == [
        {
            "offering_id": ahead.dinner_id,
            "name": "晚餐套餐",
            "ordered": {"eat_in": 0, "delivery": 0},
            "forecast_walk_ins": 0,
            "to_cook": 0,
            "cooked": None,
            "sold": 0,
            "left_over": None,
        }
    ]
    assert (found["forecast_walk_ins"], found["to_cook"], found["basis_weeks"]) == (0, 0, [])
    assert found["basis"] == "前 8 周的星期二没有供应这一餐，无法预测散客，按 0 计。"


async def test_voided_meals_and_orders_handed_over_are_not_walk_ins(ahead):
    await sell_walk_ins(ahead, TUESDAYS[-1], 2)
    with clock.frozen_at(at_local(12, 0, TUESDAYS[-1])):
        sale = await checkout.sell(
            ahead.counter.cashier.actor,
            checkout.Who(card_payload=ahead.counter.card),
            checkout.Order(ahead.counter.canteen_id, offering_id=ahead.counter.lunch_id),
            "cash",
        )
        await checkout.void(ahead.counter.cashier.actor, sale.meal_id, "点错菜品")
    found = (await ahead.admin.get(count_url(ahead))).json()
    assert found["basis_weeks"] == [{"date": TUESDAYS[-1].isoformat(), "walk_ins": 2}]


async def test_the_count_is_the_canteens_own_and_the_office_s(ahead, as_role):
    other = (await ahead.admin.post("/canteens", {"name": "另一饭堂"})).json()["id"]
    for role in ("cashier", "manager"):
        stranger = await as_role(role, canteen_id=other)
        r = await stranger.get(count_url(ahead))
        assert (r.status_code, r.json()["code"]) == (404, "not_found"), role
    staff = await as_role("staff")
    assert (await staff.get(count_url(ahead))).status_code == 200
    r = await ahead.family.get(count_url(ahead))
    assert (r.status_code, r.json()["code"]) == (403, "forbidden")
    r = await ahead.admin.get("/canteens/999999/kitchen-count?meal_type=lunch")
    assert (r.status_code, r.json()["code"]) == (404, "not_found")


async def test_a_bad_query_names_its_field(ahead):
    for query, field in (
        ("", "meal_type"),
        ("?meal_type=supper", "meal_type"),
        ("?meal_type=lunch&date=2026-02-30", "date"),
        ("?meal_type=lunch&lang=fr", "lang"),
    ):
        r = await ahead.admin.get(f"/canteens/{ahead.counter.canteen_id}/kitchen-count{query}")
        assert r.status_code == 422, (query, r.text)
        assert r.headers["content-type"].startswith("application/problem+json")
        assert [e["field"] for e in r.json()["errors"]] == [field], query


async def test_the_calendars_first_and_last_days_are_counted_too(ahead):
    for day in ("1900-01-01", "2199-12-31"):
        r = await ahead.admin.get(count_url(ahead, date=day))
        assert r.status_code == 200, r.text
        assert (r.json()["to_cook"], r.json()["basis_weeks"]) == (0, []), day

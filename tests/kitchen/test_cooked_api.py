"""After the meal, what was cooked (``PUT /canteens/{id}/kitchen-count/cooked``): the kitchen
count then says, per dish and in all, what was cooked, sold and left over."""

import asyncio
from datetime import timedelta

from canteen import clock
from canteen.audit.models import AuditEntry
from canteen.kitchen.models import Cooked
from tests.orders.conftest import TODAY, at_local
from tests.orders.test_kitchen_api import TUESDAYS, count_url, order_for, sell_walk_ins

AFTER_LUNCH = at_local(13, 30)


def cooked_url(ahead) -> str:
    return f"/canteens/{ahead.counter.canteen_id}/kitchen-count/cooked"


def cooked(ahead, portions: int, **over: object) -> dict:
    item = {"offering_id": ahead.counter.lunch_id, "portions": portions}
    return {"date": TODAY.isoformat(), "meal_type": "lunch", "cooked": [item], **over}


async def put(api, ahead, body: dict):
    return await api.request("PUT", cooked_url(ahead), json=body)


async def test_the_count_shows_cooked_sold_and_left_over_once_recorded(ahead):
    await sell_walk_ins(ahead, TUESDAYS[-1], 4)
    await order_for(ahead, "李桂兰", delivery=False)
    await sell_walk_ins(ahead, TODAY, 3)  # today's walk-ins, sold at 11:00

    with clock.frozen_at(AFTER_LUNCH):
        before = (await ahead.counter.cashier.get(count_url(ahead))).json()
        r = await put(ahead.counter.cashier, ahead, cooked(ahead, 10))

    assert (before["cooked"], before["sold"], before["left_over"]) == (None, 3, None)
    assert r.status_code == 200, r.text
    found = r.json()
    [dish] = found["by_offering"]
    assert (dish["to_cook"], dish["cooked"], dish["sold"], dish["left_over"]) == (5, 10, 3, 7)
    assert (found["cooked"], found["sold"], found["left_over"]) == (10, 3, 7)
    again = (await ahead.counter.cashier.get(count_url(ahead))).json()
    assert again == found


async def test_recording_again_replaces_the_count_and_the_audit_says_what_it_was(ahead):
    await sell_walk_ins(ahead, TODAY, 6)
    with clock.frozen_at(AFTER_LUNCH):
        assert (await put(ahead.admin, ahead, cooked(ahead, 12))).status_code == 200
        r = await put(ahead.counter.cashier, ahead, cooked(ahead, 5))

    assert (r.json()["cooked"], r.json()["sold"], r.json()["left_over"]) == (5, 6, 0)
    assert await Cooked.filter(canteen_id=ahead.counter.canteen_id).count() == 1
    entries = await AuditEntry.filter(action="kitchen.cooked").order_by("id")
    assert [e.actor_id for e in entries] == [
        ahead.admin.actor.user_id,
        ahead.counter.cashier.actor.user_id,
    ]
    lunch = str(ahead.counter.lunch_id)
    assert entries[0].before == {"date": "2026-12-01", "meal_type": "lunch", "cooked": None}
    assert entries[1].before == {"date": "2026-12-01", "meal_type": "lunch", "cooked": {lunch: 12}}
    assert entries[1].after == {"date": "2026-12-01", "meal_type": "lunch", "cooked": {lunch: 5}}


async def test_a_past_day_keeps_its_other_dishes_when_one_is_recorded(ahead):
    other = (
        await ahead.admin.post(
            f"/canteens/{ahead.counter.canteen_id}/offerings",
            {"name": "素菜套餐", "meal_type": "lunch", "price_fen": 1000},
        )
    ).json()["id"]
    past = (TODAY - timedelta(days=2)).isoformat()
    both = [
        {"offering_id": ahead.counter.lunch_id, "portions": 30},
        {"offering_id": other, "portions": 8},
    ]
    r = await put(ahead.admin, ahead, {"date": past, "meal_type": "lunch", "cooked": both})
    assert r.status_code == 200, r.text
    one = [{"offering_id": other, "portions": 6}]
    r = await put(ahead.admin, ahead, {"date": past, "meal_type": "lunch", "cooked": one})

    rows = {row["offering_id"]: row["cooked"] for row in r.json()["by_offering"]}
    assert rows == {ahead.counter.lunch_id: 30, other: 6}
    assert (r.json()["cooked"], r.json()["left_over"]) == (36, 36)


async def test_bad_input_gets_its_code_and_names_its_field_and_nothing_is_written(ahead):
    other_canteen = (await ahead.admin.post("/canteens", {"name": "另一饭堂"})).json()["id"]
    elsewhere = (
        await ahead.admin.post(
            f"/canteens/{other_canteen}/offerings",
            {"name": "别家午餐", "meal_type": "lunch", "price_fen": 1200},
        )
    ).json()["id"]
    lunch = ahead.counter.lunch_id
    tomorrow = (TODAY + timedelta(days=1)).isoformat()
    cases = [
        (cooked(ahead, 10, date=tomorrow), "validation_error", "date"),
        (cooked(ahead, -1), "validation_error", "cooked.0.portions"),
        (cooked(ahead, 5001), "validation_error", "cooked.0.portions"),
        (cooked(ahead, 10, cooked=[]), "validation_error", "cooked"),
        (cooked(ahead, 10, meal_type="supper"), "validation_error", "meal_type"),
        (cooked(ahead, 10, date="2026-02-30"), "validation_error", "date"),
        (cooked(ahead, 10, extra=1), "validation_error", "extra"),
        (
            cooked(ahead, 10, cooked=[{"offering_id": ahead.dinner_id, "portions": 3}]),
            "unknown_offering",
            "cooked.0.offering_id",
        ),
        (
            cooked(ahead, 10, cooked=[{"offering_id": elsewhere, "portions": 3}]),
            "unknown_offering",
            "cooked.0.offering_id",
        ),
        (
            cooked(ahead, 0, cooked=[{"offering_id": lunch, "portions": 3}] * 2),
            "validation_error",
            "cooked.1.offering_id",
        ),
    ]
    for body, code, field in cases:
        r = await put(ahead.admin, ahead, body)
        assert r.status_code == 422, (body, r.text)
        assert r.headers["content-type"].startswith("application/problem+json")
        assert r.json()["code"] == code, body
        assert [e["field"] for e in r.json()["errors"]] == [field], body
    assert not await Cooked.exists()
    assert not await AuditEntry.filter(action="kitchen.cooked").exists()


async def test_the_canteens_own_counter_and_manager_record_and_no_one_else(ahead, as_role):
    body = cooked(ahead, 10)
    other = (await ahead.admin.post("/canteens", {"name": "另一饭堂"})).json()["id"]
    for role in ("cashier", "manager"):
        stranger = await as_role(role, canteen_id=other)
        r = await put(stranger, ahead, body)
        assert (r.status_code, r.json()["code"]) == (404, "not_found"), role
    for api in (await as_role("staff"), ahead.family):
        r = await put(api, ahead, body)
        assert (r.status_code, r.json()["code"]) == (403, "forbidden")
    manager = await as_role("manager", canteen_id=ahead.counter.canteen_id)
    assert (await put(manager, ahead, body)).status_code == 200
    r = await ahead.admin.request(
        "PUT", "/canteens/999999/kitchen-count/cooked", json=cooked(ahead, 1)
    )
    assert (r.status_code, r.json()["code"]) == (404, "not_found")
    assert await Cooked.filter(portions=10).count() == 1


async def test_the_sustainability_report_counts_what_was_left_over_as_waste(ahead):
    c = ahead.counter.canteen_id
    day = TUESDAYS[-1]  # 24 November
    await sell_walk_ins(ahead, day, 6)
    r = await ahead.admin.post(
        f"/canteens/{c}/finance",
        {"date": day.isoformat(), "kind": "cost", "category": "ingredients", "amount_fen": 10_000},
    )
    assert r.status_code == 201, r.text
    r = await put(ahead.admin, ahead, cooked(ahead, 10, date=day.isoformat()))
    assert r.status_code == 200, r.text

    r = await ahead.admin.get(
        "/reports/sustainability",
        params={"from": "2026-11-01", "to": "2026-11-30", "canteen_id": c},
    )

    assert r.status_code == 200, r.text
    assert r.json()["waste"] == {
        "days_recorded": 1,
        "portions_cooked": 10,
        "portions_sold": 6,
        "portions_left_over": 4,
        "waste_rate_pct": 40.0,
        "food_cost_per_portion_fen": 1000,  # 10,000 over 6 sold + 4 left over
        "waste_cost_fen": 4000,
        "rows": [
            {
                "canteen_id": c,
                "month": "2026-11",
                "days_recorded": 1,
                "portions_cooked": 10,
                "portions_sold": 6,
                "portions_left_over": 4,
                "waste_rate_pct": 40.0,
                "food_cost_per_portion_fen": 1000,
                "waste_cost_fen": 4000,
            }
        ],
    }


async def test_six_recorders_at_once_leave_one_count_the_last_one_saved(ahead, as_role):
    """Two phones in one kitchen saving at the same moment: each waits for the other (the
    canteen's row is locked), none fails, and one row per dish is left."""
    recorders = [ahead.admin, ahead.counter.cashier] + [
        await as_role(role, canteen_id=ahead.counter.canteen_id)
        for role in ("manager", "cashier", "manager", "cashier")
    ]
    with clock.frozen_at(AFTER_LUNCH):
        answers = await asyncio.gather(
            *(put(api, ahead, cooked(ahead, 10 + n)) for n, api in enumerate(recorders))
        )

    assert [r.status_code for r in answers] == [200] * 6
    rows = await Cooked.filter(canteen_id=ahead.counter.canteen_id)
    assert len(rows) == 1 and rows[0].portions in range(10, 16)
    assert await AuditEntry.filter(action="kitchen.cooked").count() == 6

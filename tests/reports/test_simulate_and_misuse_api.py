"""POST /policies/simulate and GET /reports/misuse on the October scenario."""

from canteen import clock
from canteen.policies.models import Policy
from tests.reports.scenario import at

FLAT = {
    "name": "草案: 统一补贴 4 元",
    "effective_from": "2027-01-01",
    "stacking": "highest",
    "rules": [
        {
            "code": "flat",
            "label": "统一补贴",
            "when": {"min_age": 60},
            "amount_fen": 400,
            "funder": "district",
            "daily_limit": 1,
        }
    ],
}
OCTOBER = {"from": "2025-10-01", "to": "2025-10-31"}


async def test_a_draft_policy_priced_over_the_past_month(oct_2025):
    s = oct_2025
    policies_before = await Policy.all().count()
    r = await s.admin.post("/policies/simulate", {"policy": FLAT, **OCTOBER})
    assert r.status_code == 200, r.text
    sim = r.json()
    # m1 400, m2 nothing (the daily limit, counted in the order sold), m3 400; m4 was voided.
    assert (sim["meals"], sim["actual_fen"], sim["simulated_fen"], sim["change_fen"]) == (
        3,
        1800,
        800,
        -1000,
    )
    assert sim["by_funder"] == [
        {"funder": "district", "actual_fen": 1100, "simulated_fen": 800, "change_fen": -300},
        {"funder": "operator", "actual_fen": 300, "simulated_fen": 0, "change_fen": -300},
        {"funder": "street", "actual_fen": 400, "simulated_fen": 0, "change_fen": -400},
    ]
    assert sim["diners_pay"] == {"actual_fen": 3300, "simulated_fen": 3700, "change_fen": 400}
    assert sim["by_category"] == [
        {"category": "none", "diners": 2, "meals": 3, "actual_fen": 1800,
         "simulated_fen": 800, "change_fen": -1000},
    ]  # fmt: skip
    assert [(c["canteen_id"], c["actual_fen"], c["simulated_fen"]) for c in sim["by_canteen"]] == [
        (s.counter.canteen_id, 1200, 400),
        (s.canteen_b, 600, 400),
    ]
    assert sim["policy_name"] == FLAT["name"] and sim["from"] == "2025-10-01"
    assert await Policy.all().count() == policies_before  # a draft is never stored


async def test_one_canteen_and_an_ill_formed_draft(oct_2025, as_role):
    s = oct_2025
    one = (
        await s.admin.post(
            "/policies/simulate", {"policy": FLAT, **OCTOBER, "canteen_id": s.canteen_b}
        )
    ).json()
    assert (one["meals"], one["actual_fen"], one["simulated_fen"]) == (1, 600, 400)
    bad = {**FLAT, "rules": [{**FLAT["rules"][0], "funder": "nobody"}]}
    r = await s.admin.post("/policies/simulate", {"policy": bad, **OCTOBER})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "policy.rules.0.funder"
    manager = await as_role("manager", canteen_id=s.canteen_b)
    assert (
        await manager.post("/policies/simulate", {"policy": FLAT, **OCTOBER})
    ).status_code == 403


async def test_misuse_signals_with_the_meals_behind_them(oct_2025, as_role):
    s = oct_2025
    # Diner A's card at canteen B twenty minutes after lunch at canteen A (another district).
    borrowed = await s.sell(at(10, 14, 12, 20), card=s.counter.card, canteen="b")
    # Diner B eats on 10-16 at noon; the office's record says B was suspended at 11:00.
    late = await s.sell(at(10, 16), canteen="b")
    with clock.frozen_at(at(10, 16, 11)):
        r = await s.admin.patch(f"/diners/{s.diner_b}", {"status": "suspended"})
        assert r.status_code == 200, r.text

    r = await s.admin.get("/reports/misuse", params=OCTOBER)
    assert r.status_code == 200, r.text
    found = r.json()
    kinds = {x["kind"]: x for x in found["signals"]}
    assert found["counts"]["card_at_two_canteens"] == 1
    card = kinds["card_at_two_canteens"]
    # 12:00 at A (m1), 12:20 at B, 12:30 at A again (m2): both hops are within the hour.
    assert card["meal_ids"] == sorted([s.meals["m1"], s.meals["m2"], borrowed["meal_id"]])
    assert card["diner_id"] == s.counter.diner_id and card["local_date"] == "2025-10-14"
    assert card["canteen_ids"] == sorted([s.counter.canteen_id, s.canteen_b])
    # Why, as a code and its numbers beside the English sentence outside tools read.
    assert (card["code"], card["numbers"], card["detail"]) == (
        "card_at_two_canteens",
        {"canteens": 2, "window_minutes": 60},
        "card used at 2 canteens within 60 minutes",
    )
    two = kinds["subsidised_in_two_districts"]
    assert two["meal_ids"] == sorted([s.meals["m1"], s.meals["m2"], borrowed["meal_id"]])
    assert two["code"] == "subsidised_in_two_districts" and two["numbers"] == {"districts": 2}
    assert two["detail"] == "subsidised in " + ", ".join(two["districts"])
    status = kinds["meal_after_status"]
    assert (status["diner_id"], status["status"], status["meal_ids"]) == (
        s.diner_b,
        "suspended",
        [late["meal_id"]],
    )
    assert (status["code"], status["numbers"]) == ("meal_after_suspended", {"meals": 1})
    assert found["meals"] == 5 and found["window_minutes"] == 60

    narrow = (await s.admin.get("/reports/misuse", params={**OCTOBER, "window_minutes": 5})).json()
    assert narrow["counts"]["card_at_two_canteens"] == 0
    only_a = (
        await s.admin.get("/reports/misuse", params={**OCTOBER, "canteen_id": s.counter.canteen_id})
    ).json()
    assert "meal_after_status" not in {x["kind"] for x in only_a["signals"]}
    manager = await as_role("manager", canteen_id=s.canteen_b)
    assert (await manager.get("/reports/misuse", params=OCTOBER)).status_code == 403

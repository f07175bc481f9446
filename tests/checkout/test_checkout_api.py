"""The counter through the API: quote, sell, void, and every error a cashier can meet."""

from datetime import timedelta

import pytest

from canteen import clock
from canteen.accounts.invariants import ledger_violations
from canteen.checkout.models import LimitUse, Meal
from tests.checkout.conftest import open_counter


async def balance(counter) -> int:
    return (await counter.admin.get(f"/diners/{counter.diner_id}/account")).json()["balance_fen"]


async def test_a_quote_shows_who_what_subsidy_and_price_and_changes_nothing(counter):
    r = await counter.cashier.post("/checkout/quote", counter.order())
    assert r.status_code == 200, r.text
    q = r.json()
    assert q["diner"]["name"] == "王秀英" and q["diner"]["age"] >= 80
    assert q["meal_type"] == "lunch" and q["price_fen"] == 1500
    assert [(s["rule"], s["funder"], s["amount_fen"]) for s in q["subsidies"]] == [
        ("age80", "district", 500),
        ("op_discount", "operator", 100),
    ]
    assert (q["subsidy_fen"], q["pay_fen"]) == (600, 900)
    assert (q["balance_fen"], q["balance_after_fen"]) == (5000, 4100)
    assert [(s["rule"], s["amount_fen"]) for s in q["operator_subsidies"]] == [("service", 300)]
    assert q["warnings"] == []
    assert await balance(counter) == 5000 and await Meal.all().count() == 0


async def test_a_sale_debits_records_lines_and_the_ledger_at_once(counter):
    r = await counter.cashier.post("/meals", counter.order(), headers={"Idempotency-Key": "scan-1"})
    assert r.status_code == 201, r.text
    sale = r.json()
    assert sale["pay_fen"] == 900 and sale["balance_after_fen"] == 4100 and sale["meal_id"]
    assert await balance(counter) == 4100
    ledger = (await counter.admin.get(f"/diners/{counter.diner_id}/ledger")).json()["items"]
    assert (ledger[0]["kind"], ledger[0]["amount_fen"], ledger[0]["meal_id"]) == (
        "meal",
        -900,
        sale["meal_id"],
    )
    meals = (await counter.admin.get("/meals", params={"diner_id": counter.diner_id})).json()[
        "items"
    ]
    assert meals[0]["meal_id"] == sale["meal_id"]
    assert [(s["rule"], s["amount_fen"]) for s in meals[0]["subsidies"]] == [
        ("age80", 500),
        ("op_discount", 100),
    ]
    assert meals[0]["policy_id"] == sale["policy_id"] is not None
    assert await ledger_violations() == []


async def test_one_scan_sold_twice_with_its_key_is_one_meal(counter):
    key = {"Idempotency-Key": "till-1-scan-77"}
    first = await counter.cashier.post("/meals", counter.order(), headers=key)
    again = await counter.cashier.post("/meals", counter.order(), headers=key)
    assert again.json() == first.json() and again.status_code == 201
    assert await Meal.all().count() == 1 and await balance(counter) == 4100
    other = await counter.cashier.post("/meals", counter.order(payment="cash"), headers=key)
    assert other.status_code == 422 and other.json()["code"] == "idempotency_key_reused"


async def test_not_enough_money_is_409_with_the_shortfall_and_records_nothing(admin, as_role):
    counter = await open_counter(admin, as_role, balance_fen=500)
    r = await counter.cashier.post("/meals", counter.order())
    assert r.status_code == 409 and r.json()["code"] == "insufficient_balance"
    assert r.json()["shortfall_fen"] == 400
    assert await Meal.all().count() == 0 and await LimitUse.all().count() == 0
    assert await balance(counter) == 500


async def test_cash_leaves_the_account_untouched(counter):
    r = await counter.cashier.post("/meals", counter.order(payment="cash"))
    assert r.status_code == 201 and r.json()["payment"] == "cash"
    assert r.json()["balance_after_fen"] == 5000 and await balance(counter) == 5000


async def test_after_the_daily_limit_the_next_rule_applies_and_the_quote_warns(counter):
    await counter.cashier.post("/meals", counter.order())
    r = await counter.cashier.post("/checkout/quote", counter.order())
    q = r.json()
    assert "subsidy_limit_reached" in q["warnings"]
    assert [(s["rule"], s["amount_fen"]) for s in q["subsidies"]] == [
        ("age60", 200),
        ("op_discount", 100),
    ]
    assert q["operator_subsidies"] == []
    sold = await counter.cashier.post("/meals", counter.order())
    assert sold.status_code == 201 and sold.json()["pay_fen"] == 1200


async def test_a_meal_over_every_limit_is_still_sold_unsubsidised_but_for_stack_always(counter):
    for _ in range(3):
        assert (await counter.cashier.post("/meals", counter.order())).status_code == 201
    r = await counter.cashier.post("/meals", counter.order())
    assert r.status_code == 201
    assert [s["rule"] for s in r.json()["subsidies"]] == ["op_discount"]
    assert "subsidy_limit_reached" in r.json()["warnings"]


async def test_void_refunds_withdraws_and_frees_the_limit(counter):
    sale = (await counter.cashier.post("/meals", counter.order())).json()
    r = await counter.cashier.post(f"/meals/{sale['meal_id']}/void", {"reason": "扫错人"})
    assert r.status_code == 200 and r.json()["voided_at"] and r.json()["void_reason"] == "扫错人"
    assert await balance(counter) == 5000
    ledger = (await counter.admin.get(f"/diners/{counter.diner_id}/ledger")).json()["items"]
    assert (ledger[0]["kind"], ledger[0]["amount_fen"], ledger[0]["meal_id"]) == (
        "void",
        900,
        sale["meal_id"],
    )
    again = await counter.cashier.post("/checkout/quote", counter.order())
    assert again.json()["subsidies"][0]["rule"] == "age80", "the daily limit is free again"
    twice = await counter.admin.post(f"/meals/{sale['meal_id']}/void", {"reason": "again"})
    assert twice.status_code == 409 and twice.json()["code"] == "already_voided"
    assert await ledger_violations() == []


async def test_a_cashier_voids_only_their_own_sale_within_ten_minutes(counter, as_role):
    sale = (await counter.cashier.post("/meals", counter.order())).json()
    colleague = await as_role("cashier", canteen_id=counter.canteen_id)
    r = await colleague.post(f"/meals/{sale['meal_id']}/void", {"reason": "x"})
    assert r.status_code == 403
    with clock.frozen_at(clock.now() + timedelta(minutes=11)):
        r = await counter.cashier.post(f"/meals/{sale['meal_id']}/void", {"reason": "x"})
        assert r.status_code == 403 and r.json()["code"] == "forbidden"
        manager = await as_role("manager", canteen_id=counter.canteen_id)
        assert (
            await manager.post(f"/meals/{sale['meal_id']}/void", {"reason": "x"})
        ).status_code == 200


async def test_another_canteens_staff_cannot_reach_the_meal(counter, as_role, admin):
    sale = (await counter.cashier.post("/meals", counter.order())).json()
    elsewhere = (await admin.post("/canteens", {"name": "别处"})).json()["id"]
    manager = await as_role("manager", canteen_id=elsewhere)
    r = await manager.post(f"/meals/{sale['meal_id']}/void", {"reason": "x"})
    assert (r.status_code, r.json()["code"]) == (404, "not_found")
    assert (await manager.get(f"/meals/{sale['meal_id']}")).status_code == 404
    cashier = await as_role("cashier", canteen_id=elsewhere)
    r = await cashier.post("/meals", counter.order())
    assert (r.status_code, r.json()["code"]) == (403, "forbidden")


@pytest.mark.parametrize(
    "mutate",
    [lambda p: p[:-1], lambda p: p[:-1] + ("A" if p[-1] != "A" else "B"), lambda p: "hello"],
)
async def test_an_altered_card_is_card_invalid(counter, mutate):
    r = await counter.cashier.post("/checkout/quote", counter.order(card=mutate(counter.card)))
    assert (r.status_code, r.json()["code"]) == (422, "card_invalid")


async def test_a_revoked_card_is_card_revoked(counter):
    await counter.admin.post(f"/cards/{counter.card_id}/revoke", {"reason": "lost"})
    r = await counter.cashier.post("/meals", counter.order())
    assert (r.status_code, r.json()["code"]) == (409, "card_revoked")


async def test_a_suspended_diner_is_refused(counter):
    await counter.admin.patch(f"/diners/{counter.diner_id}", {"status": "suspended"})
    r = await counter.cashier.post("/meals", counter.order())
    assert (r.status_code, r.json()["code"]) == (409, "diner_inactive")


async def test_a_deceased_diner_is_refused_by_card_and_by_name(counter):
    await counter.admin.patch(f"/diners/{counter.diner_id}", {"status": "deceased"})
    r = await counter.cashier.post("/meals", counter.order())
    assert (r.status_code, r.json()["code"]) == (409, "card_revoked")
    manual = counter.order(
        card=None, diner_id=counter.diner_id, manual_reason="card_forgotten", answer=counter.last4
    )
    r = await counter.cashier.post("/meals", manual)
    assert (r.status_code, r.json()["code"]) == (409, "diner_inactive")


async def test_an_offering_from_elsewhere_or_withdrawn_is_unknown(counter, admin):
    other = (await admin.post("/canteens", {"name": "别处"})).json()["id"]
    theirs = (
        await admin.post(
            f"/canteens/{other}/offerings", {"name": "x", "meal_type": "lunch", "price_fen": 100}
        )
    ).json()["id"]
    r = await counter.cashier.post("/checkout/quote", counter.order(offering_id=theirs))
    assert (r.status_code, r.json()["code"]) == (422, "unknown_offering")
    await admin.patch(
        f"/canteens/{counter.canteen_id}/offerings/{counter.lunch_id}", {"active": False}
    )
    r = await counter.cashier.post("/checkout/quote", counter.order())
    assert (r.status_code, r.json()["code"]) == (422, "unknown_offering")


async def test_meal_type_comes_from_the_canteens_window_in_its_time_zone(counter):
    body = counter.order(offering_id=None, price_fen=1200)
    with clock.frozen_at(clock.now().replace(hour=3, minute=0)):  # 11:00 in Shanghai
        r = await counter.cashier.post("/checkout/quote", body)
        assert r.json()["meal_type"] == "lunch"
    with clock.frozen_at(clock.now().replace(hour=7, minute=0)):  # 15:00 in Shanghai
        r = await counter.cashier.post("/checkout/quote", body)
        assert (r.status_code, r.json()["code"]) == (422, "outside_meal_window")
        r = await counter.cashier.post("/checkout/quote", {**body, "meal_type": "dinner"})
        assert r.status_code == 200 and r.json()["meal_type"] == "dinner"


async def test_the_cashier_is_warned_of_low_balance_and_diet(admin, as_role):
    counter = await open_counter(
        admin, as_role, balance_fen=2500, dietary=["diabetic", "allergy:peanut"]
    )
    q = (await counter.cashier.post("/checkout/quote", counter.order())).json()
    assert q["balance_after_fen"] == 1600
    assert set(q["warnings"]) == {"low_balance", "diabetic", "allergy:peanut"}


async def test_a_manual_sale_is_marked_audited_and_limited(counter, admin):
    body = counter.order(
        card=None, diner_id=counter.diner_id, manual_reason="card_forgotten", answer=counter.last4
    )
    for _ in range(4):
        r = await counter.cashier.post("/meals", {**body, "payment": "cash"})
        assert r.status_code == 201 and r.json()["manual_reason"] == "card_forgotten"
    r = await counter.cashier.post("/meals", body)
    assert (r.status_code, r.json()["code"]) == (409, "manual_sale_limit_reached")
    audit = (await admin.get("/audit", params={"object_type": "meal"})).json()["items"]
    assert [e["action"] for e in audit].count("meal.manual_sale") == 4
    bad = await counter.cashier.post("/meals", {**body, "manual_reason": "felt like it"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "manual_reason"


async def test_family_sees_only_their_elders_meals(counter, as_role, admin):
    await counter.cashier.post("/meals", counter.order())
    family = await as_role("family")
    assert (await family.get("/meals")).json()["items"] == []
    await admin.post(
        f"/diners/{counter.diner_id}/family",
        {"username": family.actor.username, "relation": "女儿"},
    )
    assert len((await family.get("/meals")).json()["items"]) == 1
    assert (await family.post("/meals", counter.order())).status_code == 403

"""``sell`` as one use case: typed warnings, the printed serial typed in, the receipt once.

What a cashier sees: each warning with its kind, so the page needs no guessing; a card that
will not scan sold by its serial only as a sale without the card; and a till that asks again
gets the first receipt, whatever happened since.
"""

import asyncio
from datetime import UTC, datetime

from tortoise.transactions import in_transaction

from canteen import clock, rawsql
from canteen.accounts.models import LedgerEntry
from canteen.checkout import service
from canteen.checkout.models import Meal
from canteen.errors import CanteenError
from canteen.idempotency.service import IdempotencyKey
from tests.checkout.conftest import open_counter


async def test_each_warning_comes_with_its_kind(admin, as_role):
    counter = await open_counter(
        admin, as_role, balance_fen=2500, dietary=["diabetic", "allergy:peanut"]
    )
    await counter.cashier.post("/meals", counter.order())  # age80's one a day is used up
    q = (await counter.cashier.post("/checkout/quote", counter.order())).json()
    kinds = {(w["kind"], w["code"]) for w in q["warning_details"]}
    assert kinds == {
        ("limit", "subsidy_limit_reached"),
        ("account", "low_balance"),
        ("sale", "recent_sale"),
        ("diet", "diabetic"),
        ("diet", "allergy:peanut"),
    }
    limit = next(w for w in q["warning_details"] if w["kind"] == "limit")
    sale = next(w for w in q["warning_details"] if w["kind"] == "sale")
    assert limit["rule"] == "age80" and 0 <= sale["seconds"] < 60
    assert q["warnings"] == [w["code"] for w in q["warning_details"]]


async def test_a_typed_serial_sells_only_as_a_sale_without_the_card(counter):
    serial = (await counter.admin.get(f"/diners/{counter.diner_id}/cards")).json()["items"][0]
    by_serial = counter.order(card=None, card_serial=serial["serial"].lower().replace("-", " -"))
    r = await counter.cashier.post("/meals", by_serial)
    assert r.status_code == 422 and r.json()["code"] == "validation_error"

    asked = {**by_serial, "manual_reason": "card_damaged"}
    wrong = "0000" if counter.last4 != "0000" else "1111"
    r = await counter.cashier.post("/meals", {**asked, "answer": wrong})
    assert r.json()["code"] == "identity_not_confirmed"

    r = await counter.cashier.post("/meals", {**asked, "answer": counter.last4})
    assert r.status_code == 201, r.text
    sold = r.json()
    assert sold["manual_reason"] == "card_damaged" and sold["card_serial"] == serial["serial"]
    manual = (await counter.cashier.get("/meals", params={"manual": "true"})).json()["items"]
    assert [m["meal_id"] for m in manual] == [sold["meal_id"]]


async def test_a_serial_no_card_has_or_a_revoked_one_sells_nothing(counter):
    body = counter.order(card=None, manual_reason="card_damaged", answer=counter.last4)
    r = await counter.cashier.post("/meals", {**body, "card_serial": "MC999999-9"})
    assert r.status_code == 422 and r.json()["code"] == "card_invalid"
    assert r.json()["errors"][0]["field"] == "card_serial"

    serial = (await counter.admin.get(f"/diners/{counter.diner_id}/cards")).json()["items"][0]
    await counter.admin.post(f"/cards/{counter.card_id}/revoke", {"reason": "lost"})
    r = await counter.cashier.post("/meals", {**body, "card_serial": serial["serial"]})
    assert r.status_code == 409 and r.json()["code"] == "card_revoked"
    assert await Meal.filter(diner_id=counter.diner_id).count() == 0


async def test_a_till_asking_again_gets_the_first_receipt_even_after_the_card_was_revoked(
    counter,
):
    key = {"Idempotency-Key": "till-2-scan-9"}
    first = await counter.cashier.post("/meals", counter.order(), headers=key)
    await counter.admin.post(f"/cards/{counter.card_id}/revoke", {"reason": "lost"})
    again = await counter.cashier.post("/meals", counter.order(), headers=key)
    assert (again.status_code, again.json()) == (201, first.json())
    assert await Meal.filter(diner_id=counter.diner_id).count() == 1


async def test_a_till_asking_again_after_the_first_sale_spent_the_balance_gets_its_receipt(
    admin, as_role
):
    """The repeat is not looked up first: its own sale is refused for the balance the first
    one spent, and only then is the first receipt found and given."""
    counter = await open_counter(admin, as_role)
    key = {"Idempotency-Key": "till-3-scan-1"}
    pay = (await counter.cashier.post("/checkout/quote", counter.order())).json()["pay_fen"]
    await counter.admin.post(
        f"/diners/{counter.diner_id}/adjustments",
        {"amount_fen": pay - 5000, "reason": "leave one meal's money"},
    )
    first = await counter.cashier.post("/meals", counter.order(), headers=key)
    assert first.status_code == 201 and first.json()["balance_after_fen"] == 0
    fresh = await counter.cashier.post("/meals", counter.order())
    assert fresh.json()["code"] == "insufficient_balance"
    again = await counter.cashier.post("/meals", counter.order(), headers=key)
    assert (again.status_code, again.json()) == (201, first.json())
    assert await Meal.filter(diner_id=counter.diner_id).count() == 1


async def test_sell_called_twice_with_one_key_records_one_meal_and_one_debit(counter):
    cashier = counter.cashier.actor
    order = service.Order(counter.canteen_id, counter.lunch_id)
    who = service.Who(card_payload=counter.card)
    key = IdempotencyKey.of(cashier.user_id, "k-1", "POST", "/meals", {"n": 1})
    first = await service.sell(cashier, who, order, "account", key)
    second = await service.sell(cashier, who, order, "account", key)
    assert first == second
    entries = await LedgerEntry.filter(meal_id=first.meal_id).count()
    assert entries == 1 and await Meal.filter(diner_id=counter.diner_id).count() == 1


async def test_wrong_answers_after_local_midnight_count_towards_the_days_five(counter):
    """01:30 in Shanghai is 17:30 UTC the day before: the day's wrong answers are counted from
    the canteen's midnight in UTC, not compared with a +08:00 bound as text (on SQLite)."""
    wrong = "0000" if counter.last4 != "0000" else "1111"
    who = service.Who(diner_id=counter.diner_id, manual_reason="card_forgotten", answer=wrong)
    order = service.Order(counter.canteen_id, counter.lunch_id)
    refused = []
    with clock.frozen_at(datetime(2026, 11, 30, 17, 30, tzinfo=UTC)):
        for _ in range(6):
            try:
                await service.quote(counter.cashier.actor, who, order)
            except CanteenError as e:
                refused.append(e.code)
    assert refused == ["identity_not_confirmed"] * 5 + ["identity_checks_exhausted"]


async def _until_a_sale_waits_for_the_account(conn) -> None:
    """On PostgreSQL, until another connection waits for a lock (the diner's account row);
    SQLite runs one transaction at a time, so there the other sale waits anyway."""
    if rawsql.dialect(conn) != "postgres":
        return
    waiting = "SELECT count(*) FROM pg_locks WHERE NOT granted"  # live, unlike pg_stat_activity
    for _ in range(500):
        if (await rawsql.fetch(conn, waiting))[0][0]:
            return
        await asyncio.sleep(0.01)
    raise AssertionError("the second sale never waited for the account")


async def test_a_scanned_sale_waits_for_the_diners_other_sale_and_sees_it(admin, as_role):
    """The scan's read locks the account: a sale at a second till waits for the first to
    commit, then prices from it, so it warns of the sale moments ago. (The day's limits are
    used up first: a limit slot taken twice would be caught and the sale priced again, but
    nothing would catch a read made before the lock missing the other sale.)"""
    counter = await open_counter(admin, as_role, balance_fen=20_000)
    cashier = counter.cashier.actor
    order = service.Order(counter.canteen_id, counter.lunch_id)
    who = service.Who(card_payload=counter.card)
    with clock.frozen_at(datetime(2026, 11, 30, 2, 0, tzinfo=UTC)):  # 10:00 in Shanghai
        for _ in range(3):
            await service.sell(cashier, who, order)
    start = asyncio.Event()

    async def second_till() -> service.SaleOut:
        await start.wait()
        return await service.sell(cashier, who, order)

    with clock.frozen_at(datetime(2026, 11, 30, 4, 0, tzinfo=UTC)):
        second = asyncio.create_task(second_till())  # outside the first sale's transaction
        async with in_transaction() as conn:
            first = await service.sell(cashier, who, order)
            start.set()
            await _until_a_sale_waits_for_the_account(conn)
        later = await second
    unlimited = ["op_discount"]  # the limited rules were used up in the morning
    assert [s.rule for s in first.subsidies] == [s.rule for s in later.subsidies] == unlimited
    assert first.recent_sale_seconds is None and "recent_sale" not in first.warnings
    assert later.recent_sale_seconds == 0 and "recent_sale" in later.warnings
    assert later.balance_after_fen == first.balance_after_fen - later.pay_fen

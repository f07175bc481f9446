"""The sale's hand-written statements give what the ORM gives.

Every scan reads the card, its diner and the account, and every sale writes the meal, its
lines and its ledger entry, through ``canteen.rawsql`` rather than the ORM (the ORM building
the statements cost more CPU than the database running them). These tests hold the models
made that way to the ones the ORM reads back from the database, on SQLite and PostgreSQL, and
the receipt's bytes to the ones ``JSONResponse`` wrote.
"""

from typing import Any

import pytest
from starlette.responses import JSONResponse
from tortoise.exceptions import IntegrityError
from tortoise.models import Model
from tortoise.transactions import in_transaction

from canteen import rawsql
from canteen.accounts import ledger
from canteen.accounts.models import Account, LedgerEntry
from canteen.canteens.models import Offering
from canteen.cards import service as cards
from canteen.cards.models import Card
from canteen.checkout import service
from canteen.checkout.models import LimitUse, Meal, SubsidyLine
from canteen.checkout.schemas import SaleOut
from canteen.claims import rollup as claim_rollup
from canteen.claims.models import ClaimDay
from canteen.http.endpoint import rendered
from canteen.idempotency import service as idempotency
from canteen.idempotency.service import IdempotencyKey


def fields(model: Model) -> dict[str, Any]:
    """Every column's value, as the model holds it."""
    return {name: getattr(model, name) for name in model._meta.fields_db_projection}


async def test_a_scanned_card_reads_as_the_orm_reads_it(counter):
    assert (await counter.cashier.post("/meals", counter.order())).status_code == 201
    card, diner = await cards.resolve(counter.card)
    orm = await Card.get(id=counter.card_id).select_related("diner__account")
    assert fields(card) == fields(orm)
    assert fields(diner) == fields(orm.diner)
    assert diner.dietary == orm.diner.dietary and diner.birth_date == orm.diner.birth_date
    assert fields(diner.account) == fields(orm.diner.account)
    assert diner.account.balance_fen == 5000 - (await Meal.get(diner_id=diner.id)).pay_fen

    serial_card, serial_diner = await cards.resolve_serial(orm.serial)
    assert fields(serial_card) == fields(orm) and fields(serial_diner) == fields(orm.diner)


async def test_the_canteen_and_dish_read_as_the_orm_reads_them(counter):
    found = await service._listed(counter.lunch_id, counter.canteen_id)
    assert found is not None
    canteen, offering = found
    orm = await Offering.get(id=counter.lunch_id).select_related("canteen")
    assert fields(offering) == fields(orm) and fields(canteen) == fields(orm.canteen)
    assert canteen.meal_windows == orm.canteen.meal_windows
    assert await service._listed(counter.lunch_id, counter.canteen_id + 1) is None
    await Offering.filter(id=counter.lunch_id).update(active=False)
    assert await service._listed(counter.lunch_id, counter.canteen_id) is None


async def test_a_meal_and_a_ledger_entry_written_by_hand_read_back_the_same(counter):
    sold = (await counter.cashier.post("/meals", counter.order())).json()
    meal = await Meal.get(id=sold["meal_id"])
    lines = await SubsidyLine.filter(meal_id=meal.id).order_by("id")
    assert [(ln.rule, ln.amount_fen, ln.pays) for ln in lines] == [
        *((s["rule"], s["amount_fen"], "diner") for s in sold["subsidies"]),
        *((s["rule"], s["amount_fen"], "operator") for s in sold["operator_subsidies"]),
    ]

    async with in_transaction():
        copy = await rawsql.create(
            Meal,
            {Meal._meta.fields_db_projection[f]: v for f, v in fields(meal).items() if f != "id"},
        )
        account = await Account.get(diner_id=counter.diner_id)
        entry = await ledger.debit(account.id, 100, meal_id=copy.id)
    assert copy.id != meal.id
    assert fields(copy) == fields(await Meal.get(id=copy.id))
    assert {**fields(copy), "id": meal.id} == fields(meal)
    assert fields(entry) == fields(await LedgerEntry.get(id=entry.id))
    assert entry.balance_after_fen == sold["balance_after_fen"] - 100
    assert (await Account.get(id=account.id)).balance_fen == entry.balance_after_fen


async def test_a_receipt_is_the_bytes_json_response_wrote(counter):
    receipt = SaleOut.model_validate((await counter.cashier.post("/meals", counter.order())).json())
    assert receipt.diner.name == "王秀英"
    legacy = JSONResponse(receipt.model_dump(mode="json"), status_code=201)
    ours = rendered(201, receipt)
    assert (ours.status_code, ours.body) == (201, legacy.body)
    assert ours.headers["content-type"] == legacy.headers["content-type"]


async def test_a_meal_is_written_with_its_lines_and_slots_or_not_at_all(counter):
    sold = (await counter.cashier.post("/meals", counter.order())).json()
    meal = await Meal.get(id=sold["meal_id"])
    slots = await LimitUse.filter(meal_id=meal.id).order_by("rule", "period")
    assert {(s.rule, s.slot) for s in slots} == {("age80", 1), ("service", 1)}
    row = rawsql.row_of(
        Meal, {Meal._meta.fields_db_projection[f]: v for f, v in fields(meal).items() if f != "id"}
    )
    line = [("age80", "80 岁及以上", "district", 500, "diner")]
    columns = ("rule", "label", "funder", "amount_fen", "pays")

    def family(slot: int) -> list[rawsql.Children]:
        taken = [(s.diner_id, s.rule, s.period, slot) for s in slots if s.rule == "age80"]
        return [
            ("subsidy_line", "meal_id", columns, line),
            ("limit_use", "meal_id", ("diner_id", "rule", "period", "slot"), taken),
        ]

    meals = await Meal.all().count()
    with pytest.raises(IntegrityError):  # slot 1 is the first sale's: nothing is written
        async with in_transaction():
            await rawsql.insert_with(Meal._meta.db, "meal", row, family(1))
    assert await Meal.all().count() == meals

    async with in_transaction():
        copy = await rawsql.insert_with(Meal._meta.db, "meal", row, family(2))
    written = await SubsidyLine.get(meal_id=copy)
    assert (written.rule, written.label, written.funder, written.amount_fen) == line[0][:4]
    assert [(s.rule, s.slot) for s in await LimitUse.filter(meal_id=copy)] == [("age80", 2)]
    assert {**fields(await Meal.get(id=copy)), "id": meal.id} == fields(meal)


async def test_the_sales_last_writes_land_together_or_not_at_all(counter):
    """The roll-up's upsert and the receipt's record run as one statement on PostgreSQL (in
    turn on SQLite): a record that collides leaves the roll-up as it was."""
    headers = {"Idempotency-Key": "till-1-scan-1"}
    sold = (await counter.cashier.post("/meals", counter.order(), headers=headers)).json()
    meal = await Meal.get(id=sold["meal_id"])
    lines = list(await SubsidyLine.filter(meal_id=meal.id))
    user = counter.cashier.actor.user_id

    async def rolled_up() -> list[tuple]:
        rows = ClaimDay.filter(canteen_id=meal.canteen_id).order_by("funder", "rule", "pays")
        return [(r.rule, r.meals, r.subsidy_fen) for r in await rows]

    before = await rolled_up()
    assert sum(fen for _, _, fen in before) == sold["subsidy_fen"] + sum(
        s["amount_fen"] for s in sold["operator_subsidies"]
    )
    taken = IdempotencyKey.of(user, "till-1-scan-1", "POST", "/meals", {})
    with pytest.raises(IntegrityError):
        async with in_transaction():
            writes = [claim_rollup.adding(meal, lines), idempotency.recording(taken, 201, {})]
            await rawsql.execute_together(Meal._meta.db, [w for w in writes if w])
    assert await rolled_up() == before

    fresh = IdempotencyKey.of(user, "till-1-scan-2", "POST", "/meals", {})
    async with in_transaction():
        writes = [claim_rollup.adding(meal, lines), idempotency.recording(fresh, 201, {"n": 2})]
        await rawsql.execute_together(Meal._meta.db, [w for w in writes if w])
    assert await rolled_up() == [(rule, 2 * n, 2 * fen) for rule, n, fen in before]
    assert await idempotency.answer_of(fresh) == (201, {"n": 2})

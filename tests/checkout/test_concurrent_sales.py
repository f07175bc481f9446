"""Truly concurrent sales against a real server: limits and balances hold under a race."""

import asyncio

import httpx

from canteen.accounts.invariants import ledger_violations
from canteen.accounts.models import Account
from canteen.cards import service as cards
from canteen.checkout.models import LimitUse, Meal, SubsidyLine
from canteen.policies import service as policies
from canteen.roles import SYSTEM
from tests.checkout.conftest import POLICY
from tests.conftest import PASSWORD, make_user
from tests.factories import id_number


async def _setup(c: httpx.AsyncClient, balance_fen: int) -> tuple[dict, dict, int]:
    admin = await make_user("admin")
    token = (
        await c.post("/auth/token", json={"username": admin.username, "password": PASSWORD})
    ).json()
    h = {"Authorization": f"Bearer {token['access_token']}"}
    canteen = (await c.post("/canteens", json={"name": "A"}, headers=h)).json()["id"]
    lunch = (
        await c.post(
            f"/canteens/{canteen}/offerings",
            json={"name": "午餐", "meal_type": "lunch", "price_fen": 1500},
            headers=h,
        )
    ).json()["id"]
    await policies.create(SYSTEM, POLICY)
    diner = (
        await c.post("/diners", json={"name": "王", "id_number": id_number("19400101")}, headers=h)
    ).json()["id"]
    await c.post(
        f"/diners/{diner}/topups", json={"amount_fen": balance_fen, "method": "cash"}, headers=h
    )
    card = cards.payload_of(await cards.issue(admin, diner))
    cashiers = []
    for _ in range(3):
        cashier = await make_user("cashier", canteen_id=canteen)
        t = (
            await c.post("/auth/token", json={"username": cashier.username, "password": PASSWORD})
        ).json()
        cashiers.append({"Authorization": f"Bearer {t['access_token']}"})
    order = {"card": card, "canteen_id": canteen, "offering_id": lunch}
    return order, {"cashiers": cashiers}, diner


async def test_thirty_counters_scanning_one_card_at_once_never_break_a_limit(live_server):
    async with httpx.AsyncClient(base_url=live_server.url + "/api/v1", timeout=60) as c:
        order, who, diner = await _setup(c, balance_fen=100_000)
        sales = [
            c.post(
                "/meals",
                json=order,
                headers={**who["cashiers"][i % 3], "Idempotency-Key": f"scan-{i}"},
            )
            for i in range(30)
        ]
        responses = await asyncio.gather(*sales)
    assert [r.status_code for r in responses] == [201] * 30, [
        r.text for r in responses if r.status_code != 201
    ][:2]
    rules = [tuple(s["rule"] for s in r.json()["subsidies"]) for r in responses]
    assert sum("age80" in r for r in rules) == 1, "daily limit 1"
    assert sum("age60" in r for r in rules) == 2, "daily limit 2, taken only after age80 is used"
    assert all("op_discount" in r for r in rules)
    assert sum(len(r.json()["operator_subsidies"]) for r in responses) == 1
    assert await Meal.filter(diner_id=diner).count() == 30
    assert await LimitUse.filter(diner_id=diner, rule="age80").count() == 1
    assert await LimitUse.filter(diner_id=diner, rule="age60").count() == 2
    paid = sum(r.json()["pay_fen"] for r in responses)
    account = await Account.get(diner_id=diner)
    assert account.balance_fen == 100_000 - paid
    assert await SubsidyLine.filter(meal__diner_id=diner, rule="age80").count() == 1
    assert await ledger_violations() == []


async def test_an_account_is_never_overdrawn_by_concurrent_sales(live_server):
    async with httpx.AsyncClient(base_url=live_server.url + "/api/v1", timeout=60) as c:
        order, who, diner = await _setup(c, balance_fen=5000)
        responses = await asyncio.gather(
            *(
                c.post(
                    "/meals",
                    json=order,
                    headers={**who["cashiers"][i % 3], "Idempotency-Key": f"k{i}"},
                )
                for i in range(25)
            )
        )
    sold = [r for r in responses if r.status_code == 201]
    refused = [r for r in responses if r.status_code == 409]
    assert len(sold) + len(refused) == 25
    assert {r.json()["code"] for r in refused} == {"insufficient_balance"}
    account = await Account.get(diner_id=diner)
    assert account.balance_fen == 5000 - sum(r.json()["pay_fen"] for r in sold) >= 0
    assert account.balance_fen < 1400, "it sold until the money ran out"
    assert await Meal.filter(diner_id=diner).count() == len(sold)
    assert await ledger_violations() == []

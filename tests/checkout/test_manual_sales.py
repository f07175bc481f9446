"""Sales without the card: the attacks a cashier could try, and what stops each.

Each test is written as the attack first (a cashier draining an account, guessing the last 4,
selling at a made-up price, finding an elder of another district) and asserts the refusal a
cashier sees: the HTTP status and the problem's ``code``.
"""

import asyncio
import os

import httpx
import pytest

from canteen.accounts.invariants import ledger_violations
from canteen.accounts.models import Account
from canteen.audit.models import AuditEntry
from canteen.checkout import service
from canteen.checkout.models import Meal
from canteen.config import get_settings
from tests.checkout.conftest import Counter
from tests.conftest import PASSWORD, LiveServer, make_user
from tests.factories import id_number

PHONE = "138 0013 8000"
WRONG = ("0000", "1111", "2222", "3333", "4444", "5555", "6666", "7777", "8888", "9999")


async def enrol(admin, name: str, phone: str = "", birth: str = "19400101") -> tuple[int, str]:
    """An elder with money: their id and the last 4 of their ID number."""
    number = id_number(birth)
    body = {"name": name, "id_number": number, "phone": phone}
    diner = (await admin.post("/diners", body)).json()
    await admin.post(f"/diners/{diner['id']}/topups", {"amount_fen": 50_000, "method": "cash"})
    return diner["id"], number[-4:]


def manual(counter: Counter, diner_id: int, answer: str | None, **over) -> dict:
    body = counter.order(card=None, diner_id=diner_id, manual_reason="card_forgotten", **over)
    return body if answer is None else {**body, "answer": answer}


def unguessed(last4: str) -> list[str]:
    return [w for w in WRONG if w != last4 and w != PHONE[-4:]]


async def balance(diner_id: int) -> int:
    return (await Account.get(diner_id=diner_id)).balance_fen


@pytest.fixture
def caps(monkeypatch):
    """Set the manual-sale caps for one test (the service reads them from the settings)."""

    def set_caps(**values: int) -> None:
        settings = get_settings().__class__(**{**get_settings().__dict__, **values})
        monkeypatch.setattr(service, "get_settings", lambda: settings)

    return set_caps


async def test_an_open_price_sale_without_the_card_is_refused(counter):
    """The attack of issue 12: 1,000 yuan to any diner, no card, no dish."""
    elder, last4 = await enrol(counter.admin, "李桂芳")
    body = manual(counter, elder, last4, offering_id=None, meal_type="lunch", price_fen=100_000)
    r = await counter.cashier.post("/meals", body)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "offering_id"
    assert await Meal.all().count() == 0 and await balance(elder) == 50_000


async def test_a_sale_without_the_card_needs_what_the_elder_knows(counter):
    elder, last4 = await enrol(counter.admin, "李桂芳", phone=PHONE)
    r = await counter.cashier.post("/meals", manual(counter, elder, None))
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "answer"
    r = await counter.cashier.post("/checkout/quote", manual(counter, elder, None))
    assert r.status_code == 422, "not even a quote (name, balance) without the answer"
    wrong = unguessed(last4)[0]
    for path in ("/checkout/quote", "/meals"):
        r = await counter.cashier.post(path, manual(counter, elder, wrong))
        assert (r.status_code, r.json()["code"]) == (403, "identity_not_confirmed")
        assert last4 not in r.text and "8000" not in r.text, "the answer is never shown"
    assert await Meal.all().count() == 0
    for answer in (last4, PHONE[-4:]):
        r = await counter.cashier.post("/meals", manual(counter, elder, answer))
        assert r.status_code == 201, r.text
        assert r.json()["manual_reason"] == "card_forgotten"


async def test_guessing_the_last_4_stops_after_five_wrong_answers_a_day(counter):
    elder, last4 = await enrol(counter.admin, "李桂芳")
    for guess in unguessed(last4)[:5]:
        r = await counter.cashier.post("/checkout/quote", manual(counter, elder, guess))
        assert r.json()["code"] == "identity_not_confirmed"
    r = await counter.cashier.post("/meals", manual(counter, elder, last4))
    assert (r.status_code, r.json()["code"]) == (429, "identity_checks_exhausted")
    assert 0 < r.json()["retry_after"] <= 24 * 3600
    assert await Meal.all().count() == 0
    wrongs = await AuditEntry.filter(action="diner.wrong_answer", object_id=str(elder)).count()
    assert wrongs == 5, "every wrong answer is in the audit log, with who gave it"
    card = await counter.cashier.post("/meals", counter.order())
    assert card.status_code == 201, "the card still works for the elder who has it"


async def test_a_cashier_cannot_drain_an_account_by_sales_without_the_card(counter, caps):
    """Even knowing the answer: four a month per diner, then the daily caps of the till."""
    caps(manual_sales_per_cashier_per_day=6, manual_sales_per_canteen_per_day=100)
    elder, last4 = await enrol(counter.admin, "李桂芳")
    codes = [
        (await counter.cashier.post("/meals", manual(counter, elder, last4))).status_code
        for _ in range(6)
    ]
    assert codes == [201] * 4 + [409] * 2
    assert await balance(elder) == 50_000 - sum(m.pay_fen for m in await Meal.all())
    others = [await enrol(counter.admin, f"老人{i}") for i in range(3)]
    answers = []
    for diner_id, answer in others:
        r = await counter.cashier.post("/meals", manual(counter, diner_id, answer))
        answers.append((r.status_code, r.json().get("code")))
    assert answers == [(201, None), (201, None), (409, "manual_sale_cap_reached")]
    assert await Meal.filter(manual_reason__isnull=False).count() == 6
    assert await ledger_violations() == []


async def test_the_canteens_daily_cap_holds_across_its_cashiers(counter, as_role, caps):
    caps(manual_sales_per_cashier_per_day=100, manual_sales_per_canteen_per_day=2)
    tills = [counter.cashier, await as_role("cashier", canteen_id=counter.canteen_id)]
    elders = [await enrol(counter.admin, f"老人{i}") for i in range(3)]
    results = []
    for n, (diner_id, answer) in enumerate(elders):
        r = await tills[n % 2].post("/meals", manual(counter, diner_id, answer))
        results.append(r.json().get("code", r.status_code))
    assert results == [201, 201, "manual_sale_cap_reached"]


async def test_cashiers_sell_at_an_open_price_only_up_to_the_price_list(counter, as_role):
    open_price = counter.order(offering_id=None, meal_type="lunch")
    r = await counter.cashier.post("/meals", {**open_price, "price_fen": 1500})
    assert r.status_code == 201, "the highest listed price is allowed"
    r = await counter.cashier.post("/meals", {**open_price, "price_fen": 1501})
    assert (r.status_code, r.json()["code"]) == (403, "open_price_not_allowed")
    assert r.json()["max_price_fen"] == 1500
    r = await counter.cashier.post("/checkout/quote", {**open_price, "price_fen": 100_000})
    assert (r.status_code, r.json()["code"]) == (403, "open_price_not_allowed")
    manager = await as_role("manager", canteen_id=counter.canteen_id)
    r = await manager.post("/meals", {**open_price, "price_fen": 3000})
    assert r.status_code == 201, "a manager may price a meal off the list"


async def test_the_look_up_finds_only_by_full_name_or_phone_and_shows_the_minimum(counter):
    elder, _ = await enrol(counter.admin, "欧阳秀英", phone=PHONE)
    r = await counter.cashier.get("/checkout/lookup", params={"q": "欧阳"})
    assert r.status_code == 200 and r.json()["items"] == [], "no partial names"
    r = await counter.cashier.get("/checkout/lookup", params={"q": "8000"})
    assert r.json()["items"] == [], "no last 4 of anything"
    for q in ("欧阳秀英", "13800138000", PHONE):
        r = await counter.cashier.get("/checkout/lookup", params={"q": q})
        assert [d["id"] for d in r.json()["items"]] == [elder], q
    found = r.json()["items"][0]
    assert set(found) == {"id", "name", "age", "status", "dietary"}
    entries = await AuditEntry.filter(action="checkout.lookup").values_list("after", flat=True)
    assert len(entries) == 5 and entries[-1]["found"] == [elder]
    r = await counter.cashier.get("/checkout/lookup", params={"q": "x"})
    assert r.status_code == 422


async def test_the_manager_sees_sales_without_the_card_at_once(counter, as_role):
    elder, last4 = await enrol(counter.admin, "李桂芳")
    await counter.cashier.post("/meals", counter.order())
    sold = (await counter.cashier.post("/meals", manual(counter, elder, last4))).json()
    manager = await as_role("manager", canteen_id=counter.canteen_id)
    r = await manager.get("/meals", params={"manual": "true"})
    items = r.json()["items"]
    assert [m["meal_id"] for m in items] == [sold["meal_id"]]
    assert items[0]["diner_name"] == "李桂芳"
    assert items[0]["sold_by"] == counter.cashier.actor.username
    card_sales = (await manager.get("/meals", params={"manual": "false"})).json()["items"]
    assert len(card_sales) == 1 and card_sales[0]["manual_reason"] is None


async def test_a_quote_says_the_diner_was_just_sold_a_meal(counter):
    q = (await counter.cashier.post("/checkout/quote", counter.order())).json()
    assert "recent_sale" not in q["warnings"] and q["recent_sale_seconds"] is None
    await counter.cashier.post("/meals", counter.order())
    q = (await counter.cashier.post("/checkout/quote", counter.order())).json()
    assert "recent_sale" in q["warnings"] and 0 <= q["recent_sale_seconds"] < 60


# --- Against a real server: guesses and sales at the same instant ----------------------------


async def _token(c: httpx.AsyncClient, role: str, canteen_id: int | None = None) -> dict:
    user = await make_user(role, canteen_id=canteen_id)
    r = await c.post("/auth/token", json={"username": user.username, "password": PASSWORD})
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


async def _live_counter(c: httpx.AsyncClient, elders: int) -> tuple[dict, list, list[dict]]:
    admin = await _token(c, "admin")
    canteen = (await c.post("/canteens", json={"name": "A"}, headers=admin)).json()["id"]
    dish = {"name": "午餐", "meal_type": "lunch", "price_fen": 1500}
    lunch = (await c.post(f"/canteens/{canteen}/offerings", json=dish, headers=admin)).json()
    found = []
    for n in range(elders):
        number = id_number("19400101")
        body = {"name": f"老人{n}", "id_number": number}
        diner = (await c.post("/diners", json=body, headers=admin)).json()["id"]
        top = {"amount_fen": 10_000, "method": "cash"}
        await c.post(f"/diners/{diner}/topups", json=top, headers=admin)
        found.append((diner, number[-4:]))
    tills = [await _token(c, "cashier", canteen) for _ in range(3)]
    order = {"canteen_id": canteen, "offering_id": lunch["id"], "manual_reason": "card_forgotten"}
    return order, found, tills


@pytest.fixture
async def capped_server(database, monkeypatch):
    monkeypatch.setenv("CANTEEN_MANUAL_SALES_PER_CANTEEN_PER_DAY", "4")
    server = LiveServer(database)
    try:
        await server.wait_ready()
        yield server
    finally:
        server.stop()
        os.environ.pop("CANTEEN_MANUAL_SALES_PER_CANTEEN_PER_DAY", None)


async def test_thirty_guesses_at_once_get_five_answers_checked(capped_server):
    async with httpx.AsyncClient(base_url=capped_server.url + "/api/v1", timeout=60) as c:
        order, [(diner, last4)], tills = await _live_counter(c, 1)
        guesses = [f"{n:04d}" for n in range(30) if f"{n:04d}" != last4][:30]
        responses = await asyncio.gather(
            *(
                c.post(
                    "/checkout/quote",
                    json={**order, "diner_id": diner, "answer": guess},
                    headers=tills[n % 3],
                )
                for n, guess in enumerate(guesses)
            )
        )
        late = await c.post(
            "/meals", json={**order, "diner_id": diner, "answer": last4}, headers=tills[0]
        )
    codes = [r.json()["code"] for r in responses]
    assert codes.count("identity_not_confirmed") == 5, codes
    assert codes.count("identity_checks_exhausted") == len(guesses) - 5
    assert late.json()["code"] == "identity_checks_exhausted"
    assert await AuditEntry.filter(action="diner.wrong_answer").count() == 5


async def test_a_canteens_cap_holds_when_its_tills_sell_at_the_same_instant(capped_server):
    async with httpx.AsyncClient(base_url=capped_server.url + "/api/v1", timeout=60) as c:
        order, elders, tills = await _live_counter(c, 12)
        responses = await asyncio.gather(
            *(
                c.post(
                    "/meals",
                    json={**order, "diner_id": diner, "answer": last4},
                    headers={**tills[n % 3], "Idempotency-Key": f"manual-{n}"},
                )
                for n, (diner, last4) in enumerate(elders)
            )
        )
    codes = sorted(str(r.json().get("code", r.status_code)) for r in responses)
    assert codes == ["201"] * 4 + ["manual_sale_cap_reached"] * 8, codes
    assert await Meal.filter(manual_reason__isnull=False).count() == 4
    assert await ledger_violations() == []

"""No meal's subsidy in two live claims, whatever the timing: claims raced against a real server.

On PostgreSQL the server's requests really run at the same time (one process, a pool of
connections); on SQLite it writes one transaction at a time. Each race drafts, at once, the
all-canteens claim and the one-canteen claims of one (month, funder) whose meals are already
sold, and counts the fen claimed twice.
"""

import asyncio
from datetime import datetime
from zoneinfo import ZoneInfo

import httpx

from canteen import clock
from canteen.cards import service as cards
from canteen.checkout import service as checkout
from canteen.claims.models import Claim, ClaimDay
from canteen.policies import service as policies
from canteen.roles import SYSTEM, Actor
from tests.checkout.conftest import POLICY
from tests.conftest import PASSWORD, make_user
from tests.factories import id_number

SHANGHAI = ZoneInfo("Asia/Shanghai")
MONTHS = [f"{2023 + (6 + n) // 12}-{(6 + n) % 12 + 1:02d}" for n in range(40)]
"""2023-07 .. 2026-10: forty finished months, one race each."""


async def _headers(c: httpx.AsyncClient, username: str) -> dict[str, str]:
    r = await c.post("/auth/token", json={"username": username, "password": PASSWORD})
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


async def _canteen(c: httpx.AsyncClient, h: dict[str, str], name: str) -> tuple[int, int]:
    canteen = (await c.post("/canteens", json={"name": name}, headers=h)).json()["id"]
    offering = {"name": "午餐", "meal_type": "lunch", "price_fen": 1500}
    lunch = (await c.post(f"/canteens/{canteen}/offerings", json=offering, headers=h)).json()
    return canteen, lunch["id"]


async def _elder(c: httpx.AsyncClient, h: dict[str, str], admin: Actor) -> str:
    """An 85-year-old with money and a card: each lunch carries district lines of 800 fen."""
    elder = {"name": "长者", "id_number": id_number("19400101")}
    r = await c.post("/diners", json=elder, headers=h)
    assert r.status_code == 201, r.text
    diner = r.json()["id"]
    money = {"amount_fen": 100_000, "method": "cash"}
    await c.post(f"/diners/{diner}/topups", json=money, headers=h)
    return cards.payload_of(await cards.issue(admin, diner))


async def _sell_in_each_month(cashier: Actor, card: str, canteen: int, lunch: int) -> None:
    """One lunch on the 10th of each raced month, sold at that moment through the checkout."""
    for month in MONTHS:
        year, number = map(int, month.split("-"))
        with clock.frozen_at(datetime(year, number, 10, 12, tzinfo=SHANGHAI)):
            await checkout.sell(
                cashier,
                checkout.Who(card_payload=card),
                checkout.Order(canteen_id=canteen, offering_id=lunch),
                "account",
            )


def _twice(claims: list[Claim], canteen: int, subsidy_fen: int) -> int:
    """The fen of ``canteen`` claimed by more than one live claim of one (month, funder)."""
    covering = [c for c in claims if c.canteen_id in (None, canteen)]  # type: ignore[attr-defined]
    return subsidy_fen * max(0, len(covering) - 1)


async def test_all_canteens_and_one_canteen_claims_drafted_at_once_never_bill_a_meal_twice(
    live_server,
):
    async with httpx.AsyncClient(base_url=live_server.url + "/api/v1", timeout=60) as c:
        admin = await make_user("admin")
        h = await _headers(c, admin.username)
        canteen_a, lunch_a = await _canteen(c, h, "A")
        canteen_b, lunch_b = await _canteen(c, h, "B")
        await policies.create(SYSTEM, POLICY)
        for canteen, lunch in ((canteen_a, lunch_a), (canteen_b, lunch_b)):
            cashier = await make_user("cashier", canteen)
            await _sell_in_each_month(cashier, await _elder(c, h, admin), canteen, lunch)
        staff = [await _headers(c, (await make_user("staff")).username) for _ in range(4)]
        answers = []
        for month in MONTHS:
            scopes = [None, canteen_a, None, canteen_b]
            answers += await asyncio.gather(
                *(
                    c.post(
                        "/claims",
                        json={"month": month, "funder": "district", "canteen_id": scope},
                        headers=staff[i],
                    )
                    for i, scope in enumerate(scopes)
                )
            )
    assert {r.status_code for r in answers} <= {201, 409}, [r.text for r in answers][:3]
    assert {r.json()["code"] for r in answers if r.status_code == 409} <= {"claim_exists"}
    double_fen, races_lost, scopes = 0, 0, []
    for month in MONTHS:
        claims = await Claim.filter(month=month, funder="district")
        month_fen = {
            canteen: sum(
                d.subsidy_fen
                for d in await ClaimDay.filter(canteen_id=canteen, funder="district")
                if d.local_date.strftime("%Y-%m") == month
            )
            for canteen in (canteen_a, canteen_b)
        }
        assert month_fen == {canteen_a: 800, canteen_b: 800}
        twice = sum(_twice(claims, canteen, fen) for canteen, fen in month_fen.items())
        double_fen += twice
        races_lost += twice > 0
        scopes.append({c.scope for c in claims})
    print(f"claims raced: {len(MONTHS)} months, double-billed: {races_lost}, fen: {double_fen}")
    assert (races_lost, double_fen) == (0, 0)
    # Every meal is claimed: by the all-canteens claim, or by both one-canteen claims.
    assert all(found in ({"all"}, {str(canteen_a), str(canteen_b)}) for found in scopes)

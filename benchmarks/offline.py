"""The offline counter's figures: the snapshot's size for 2,000 diners, and the time to sync
500 waiting sales.

For each database: a canteen whose home diners are 2,000 elders with cards and money, under the
checkout benchmark's policy. Over HTTP on a real server (``canteen serve``), as a cashier:
``GET /canteens/{id}/offline-snapshot`` (its size as JSON as sent, and gzipped, as a
compressing proxy would send it, and the time it takes), then 500 sales made offline, to 500
elders, sent as the counter sends its queue (``POST /offline-sales``, 40 a request, in order),
then the same 500 sent again (a replay: each answered from its stored row, none sold twice).
"""

import gzip
import json
import time
import uuid
from datetime import UTC, datetime
from typing import Any

import httpx

from benchmarks.checkout import PASSWORD, POLICY
from benchmarks.harness import fresh_database, server
from canteen import db
from canteen.accounts import service as accounts
from canteen.auth import service as auth
from canteen.canteens import service as canteens
from canteen.cards import service as cards
from canteen.checkout.models import Meal
from canteen.diners import resident_id
from canteen.diners import service as diners
from canteen.policies import service as policies
from canteen.roles import SYSTEM

DINERS = 2000
SALES = 500
BATCH = 40
"""What the counter's script sends per request (``counter/offline.js``)."""


def _id_number(n: int) -> str:
    """A valid, distinct resident ID number for each of 12,000 elders born 1940 to 1959."""
    first17 = f"440106{1940 + n % 20}{1 + n // 1000 % 12:02d}01{n % 1000:03d}"
    return first17 + resident_id.check_char(first17)


async def _prepare(url: str) -> dict[str, Any]:
    async with db.database(url, pool_size=4):
        admin = auth.actor_of(
            await auth.create_user(SYSTEM, username="bench-admin", password=PASSWORD, role="admin")
        )
        canteen = await canteens.create_canteen(
            SYSTEM, name="Bench", timezone=None, default_timezone="Asia/Shanghai"
        )
        offering = await canteens.create_offering(
            admin, canteen.id, name="午餐", meal_type="lunch", price_fen=1500, tags=[]
        )
        await policies.create(SYSTEM, POLICY)
        await auth.create_user(
            SYSTEM,
            username="bench-cashier",
            password=PASSWORD,
            role="cashier",
            canteen_id=canteen.id,
        )
        payloads = []
        for n in range(DINERS):
            diner = await diners.enrol(
                SYSTEM,
                name=f"食客{n}",
                id_number=_id_number(n),
                home_canteen_id=canteen.id,
                dietary=["allergy:花生"] if n % 7 == 0 else [],
            )
            await accounts.top_up(admin, diner.id, amount_fen=50_000, method="cash")
            payloads.append(cards.payload_of(await cards.issue(admin, diner.id)))
    return {"canteen": canteen.id, "offering": offering.id, "cards": payloads}


def _sales(setup: dict[str, Any], snap: dict[str, Any]) -> list[dict[str, Any]]:
    ref = {"canteen_id": setup["canteen"]}
    ref |= {k: snap[k] for k in ("issued_at", "expires_at", "digest", "signature")}
    now = datetime.now(UTC).isoformat()
    return [
        {
            "key": uuid.uuid4().hex,
            "made_at": now,
            "card": setup["cards"][n],
            "offering_id": setup["offering"],
            "payment": "account" if n % 2 else "cash",
            "price_fen": 1500,
            "pay_fen": 900,
            "subsidies": [{"rule": "age80", "amount_fen": 500}, {"rule": "op", "amount_fen": 100}],
            "snapshot": ref,
        }
        for n in range(SALES)
    ]


async def _send(c: httpx.AsyncClient, canteen: int, sales: list[dict[str, Any]]) -> float:
    started = time.perf_counter()
    for i in range(0, len(sales), BATCH):
        r = await c.post(
            "/offline-sales", json={"canteen_id": canteen, "sales": sales[i : i + BATCH]}
        )
        r.raise_for_status()
    return time.perf_counter() - started


async def _run(kind: str) -> None:
    async with fresh_database(kind) as url:
        started = time.perf_counter()
        setup = await _prepare(url)
        print(f"  {kind}: {DINERS} diners with cards made in {time.perf_counter() - started:.0f} s")
        async with (
            server(url) as base,
            httpx.AsyncClient(base_url=base + "/api/v1", timeout=120) as c,
        ):
            login = {"username": "bench-cashier", "password": PASSWORD}
            token = (await c.post("/auth/token", json=login)).json()["access_token"]
            c.headers["Authorization"] = f"Bearer {token}"
            started = time.perf_counter()
            r = await c.get(f"/canteens/{setup['canteen']}/offline-snapshot")
            took = time.perf_counter() - started
            r.raise_for_status()
            snap = r.json()
            raw = len(r.content)
            packed = len(gzip.compress(r.content))
            print(
                f"  {kind}: snapshot of {len(snap['diners'])} diners, {len(snap['cards'])} cards:"
                f" {raw / 1024:.0f} KiB JSON, {packed / 1024:.0f} KiB gzipped, {took * 1000:.0f} ms"
            )
            sales = _sales(setup, snap)
            one = len(json.dumps(sales[0]).encode())
            first = await _send(c, setup["canteen"], sales)
            again = await _send(c, setup["canteen"], sales)
        async with db.database(url, pool_size=2):
            meals = await Meal.all().count()
        print(
            f"  {kind}: {SALES} waiting sales ({one} bytes each as sent) synced in {first:.1f} s"
            f" ({SALES / first:.0f}/s), replayed in {again:.1f} s; {meals} meals recorded"
        )


async def main() -> None:
    print("offline counter: snapshot size and sync time")
    for kind in ("sqlite", "postgres"):
        await _run(kind)
